/* page/matrix_view.js: matrices on the page. A large array is *packed* (as _format.pack does
 * in Python): at most 6 rows and columns kept, the first and last few, with their indices; the
 * page draws a gap (⋮ ⋯ ⋱) wherever the indices jump. */

import { bpEsc, bpFmt, bpWords } from "./dom.js";

/** The 0-based indices kept when n rows are summarised (as _format.shown). */
export function bpShown(n, most = 6) {
  if (n <= most) return Array.from({ length: n }, (_, i) => i);
  const head = Math.floor(most / 2), tail = most - 1 - head;
  return [...Array.from({ length: head }, (_, i) => i), ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

/** A matrix packed as _format.pack does: {shape, r, c, v}. */
export function bpPack(A) {
  const rows = A.length, cols = rows ? A[0].length : 0;
  const r = bpShown(rows), c = bpShown(cols);
  return { shape: [rows, cols], r, c, v: r.map((i) => c.map((k) => A[i][k])) };
}

/** The value of a packed array at row r, column c, or undefined if not kept. */
export function bpAt(q, r, c) {
  const i = q.r.indexOf(r), k = q.c.indexOf(c);
  return i < 0 || k < 0 ? undefined : q.v[i][k];
}

/** Indices with a null wherever they jump (the place of a gap). */
function withGaps(idx) {
  const out = [];
  idx.forEach((v, i) => {
    if (i > 0 && v !== idx[i - 1] + 1) out.push(null);
    out.push(v);
  });
  return out;
}

function cell(q, r, c, digits, mark, names) {
  if (r === null && c === null) return '<span class="bpkit-gap">\u22F1</span>';
  if (r === null) return '<span class="bpkit-gap">\u22EE</span>';
  if (c === null) return '<span class="bpkit-gap">\u22EF</span>';
  const on = mark && mark[0] === r && mark[1] === c;
  const text = `<span class="bpkit-cell${on ? " is-mark" : ""}" data-r="${r}" data-c="${c}">${bpFmt(bpAt(q, r, c), digits)}</span>`;
  const nm = names && names[r] && names[r][c];
  return nm ? `<span class="bpkit-cellbox"><span class="bpkit-cname">${bpEsc(nm)}</span>${text}</span>` : text;
}

/** A packed array as a bracketed grid of rounded numbers; gaps where rows or columns were left
 * out. `mark` = [r, c] outlines one entry; `names` (Mazur's, say) label the entries. Cells
 * carry data-r / data-c (0-based). */
export function bpMatrix(q, digits, mark = null, names = null) {
  const rows = withGaps(q.r), cols = withGaps(q.c);
  let cells = "";
  for (const r of rows) for (const c of cols) cells += cell(q, r, c, digits, mark, names);
  const [nr, nc] = q.shape;
  const summarised = rows.length !== nr || cols.length !== nc;
  const shape = summarised ? `<span class="bpkit-shape">${nr} \u00D7 ${nc}, summarised</span>` : "";
  return `<span class="bpkit-mwrap"><span class="bpkit-matrix" style="grid-template-columns: repeat(${cols.length}, auto)">${cells}</span>${shape}</span>`;
}

/** One labelled quantity: "label = [matrix]", in its own box that scrolls sideways when the
 * matrix is wider than the figure (a region the keyboard reaches). */
export function bpQuantity(q, digits, role, mark = null, names = null) {
  return `<div class="bpkit-q bpkit-q-${role}" data-bpkit-q="${bpEsc(q.name)}" data-role="${role}" tabindex="0" role="region" aria-label="${bpEsc(bpWords(q.name))}, ${q.shape[0]} by ${q.shape[1]}">
    <span class="bpkit-qlabel">${q.label}<span class="bpkit-eqsign">=</span></span>${bpMatrix(q, digits, mark, names)}</div>`;
}
