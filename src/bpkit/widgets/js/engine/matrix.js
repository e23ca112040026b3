/* engine/matrix.js: matrices as arrays of rows, the layout of bpkit.Trace.to_dict().
 *
 * A matrix is an array of rows, A[j][k]; a column is [[v1], [v2], ...]; a scalar such as C_x is
 * [[c]]. These are the readable forms the trace and the tests exchange; the fast training loop
 * (engine/fast.js) works on flat Float64Arrays instead.
 */

/** [rows, columns] of a matrix. */
export function bpShape(A) {
  return [A.length, A.length ? A[0].length : 0];
}

/** A new matrix f(A[j][k]) entry by entry (f(A[j][k], B[j][k]) with a second matrix B). */
export function bpMap(A, f, B = null) {
  const out = new Array(A.length);
  for (let j = 0; j < A.length; j += 1) {
    const row = A[j], n = row.length, r = new Array(n);
    if (B === null) for (let k = 0; k < n; k += 1) r[k] = f(row[k]);
    else for (let k = 0; k < n; k += 1) r[k] = f(row[k], B[j][k]);
    out[j] = r;
  }
  return out;
}

/** The matrix product A B: (A B)_jk = Σ_i A_ji B_ik, summed in the order i = 1, 2, .... */
export function bpMatmul(A, B) {
  const n = B.length, m = n ? B[0].length : 0;
  return A.map((row) => {
    const out = new Array(m).fill(0);
    for (let k = 0; k < m; k += 1) {
      let s = 0;
      for (let i = 0; i < n; i += 1) s += row[i] * B[i][k];
      out[k] = s;
    }
    return out;
  });
}

/** The product A^T B without building A^T: (A^T B)_jk = Σ_i A_ij B_ik, in the order i = 1, 2, .... */
export function bpMatmulTransposed(A, B) {
  const n = A.length, r = n ? A[0].length : 0, m = n ? B[0].length : 0;
  const out = new Array(r);
  for (let j = 0; j < r; j += 1) {
    const row = new Array(m).fill(0);
    for (let k = 0; k < m; k += 1) {
      let s = 0;
      for (let i = 0; i < n; i += 1) s += A[i][j] * B[i][k];
      row[k] = s;
    }
    out[j] = row;
  }
  return out;
}

/** The product A B^T without building B^T: (A B^T)_jk = Σ_i A_ji B_ki. */
export function bpMatmulByTransposed(A, B) {
  const r = A.length, m = B.length;
  const out = new Array(r);
  for (let j = 0; j < r; j += 1) {
    const a = A[j], row = new Array(m);
    for (let k = 0; k < m; k += 1) {
      const b = B[k];
      let s = 0;
      for (let i = 0; i < a.length; i += 1) s += a[i] * b[i];
      row[k] = s;
    }
    out[j] = row;
  }
  return out;
}

/** The transpose A^T. */
export function bpTranspose(A) {
  const [r, c] = bpShape(A);
  const out = new Array(c);
  for (let k = 0; k < c; k += 1) {
    const row = new Array(r);
    for (let j = 0; j < r; j += 1) row[j] = A[j][k];
    out[k] = row;
  }
  return out;
}

/** A copy of a matrix. */
export function bpCopy(A) {
  return A.map((row) => row.slice());
}

/** A matrix of zeros shaped like A. */
export function bpZerosLike(A) {
  return A.map((row) => new Array(row.length).fill(0));
}

/** Σ over the columns of A, one column: (A 1)_j = Σ_x A_jx (BP3's sum over a mini-batch). */
export function bpSumColumns(A) {
  return A.map((row) => {
    let s = 0;
    for (let k = 0; k < row.length; k += 1) s += row[k];
    return [s];
  });
}

/** Σ of every entry, row by row (NumPy's np.sum of a small array). */
export function bpSumAll(A) {
  let s = 0;
  for (const row of A) for (const v of row) s += v;
  return s;
}

/** The columns idx of a matrix stored as rows. */
export function bpColumns(M, idx) {
  return M.map((row) => idx.map((i) => row[i]));
}
