/* engine/fast.js: the same passes as engine/equations.js, for training in the page at speed.
 *
 * One function per equation again (fastWeightedInput, fastActivate, fastOutputError = BP1,
 * fastBackpropagateError = BP2, fastBiasGradient = BP3, fastWeightGradient = BP4, fastUpdate),
 * each the loop of its readable twin in the same order of operations, so the numbers are the
 * same bit for bit (tests/widgets/test_fast_engine.py). What differs is the memory: the
 * network's parameters are flat Float64Arrays (w^l row by row, w[j · n_(l−1) + k] = w^l_(j+1,k+1)),
 * a mini-batch of m examples is stored column by column inside flat buffers
 * (a^l_jx at a[j · m + x]), every buffer is allocated once, the update is made in place, and
 * the network is checked once, when it is made (bpCheckNet), not at every step.
 *
 *   const net = new FastNet(readableNet);             // checked, copied into typed arrays
 *   const ws = new FastWork(net.sizes, 10);           // buffers for mini-batches of up to 10
 *   const data = fastData(X, Y);                      // the examples as typed rows, once
 *   fastEpoch(net, ws, data, eta, bpEpochBatches(n, 10, seed, epoch));
 *   const { cost, correct } = fastEvaluate(net, ws, data);
 */

import { bpCheckNet } from "./checks.js";

const ACT = { sigmoid: 0, tanh: 1, relu: 2, identity: 3, softmax: 4 };
const COST = { quadratic: 0, cross_entropy: 1, log_likelihood: 2 };
const SIMPLIFIED = { quadratic: "identity", cross_entropy: "sigmoid", log_likelihood: "softmax" };

/** A network's parameters as flat Float64Arrays, with their gradient sums. */
export class FastNet {
  constructor(net) {
    bpCheckNet(net);
    this.sizes = net.sizes.slice();
    this.L = this.sizes.length;
    this.activation = net.activation;
    this.output_activation = net.output_activation;
    this.cost = net.cost;
    this.hidden = ACT[net.activation];
    this.out = ACT[net.output_activation];
    this.costCode = COST[net.cost];
    this.simplified = SIMPLIFIED[net.cost] === net.output_activation; // BP1 is δ^L = a^L − y
    this.w = [];
    this.b = [];
    this.gw = [];
    this.gb = [];
    this.count = 0;
    for (let l = 2; l <= this.L; l += 1) {
      const rows = this.sizes[l - 1], cols = this.sizes[l - 2];
      this.w.push(Float64Array.from(net.weights[l - 2].flat()));
      this.b.push(Float64Array.from(net.biases[l - 2].map((r) => r[0])));
      this.gw.push(new Float64Array(rows * cols));
      this.gb.push(new Float64Array(rows));
      this.count += rows * cols + rows;
    }
  }

  /** The readable network (arrays of rows), a copy. */
  toNet() {
    const weights = [], biases = [];
    for (let l = 2; l <= this.L; l += 1) {
      const rows = this.sizes[l - 1], cols = this.sizes[l - 2], w = this.w[l - 2];
      weights.push(Array.from({ length: rows }, (_, j) => Array.from(w.subarray(j * cols, (j + 1) * cols))));
      biases.push(Array.from(this.b[l - 2], (v) => [v]));
    }
    return { sizes: this.sizes.slice(), weights, biases, activation: this.activation, output_activation: this.output_activation, cost: this.cost };
  }

  /** Every parameter into `into` (a Float64Array of this.count): w^2, b^2, w^3, b^3, .... */
  save(into) {
    let at = 0;
    for (let i = 0; i < this.w.length; i += 1) {
      into.set(this.w[i], at); at += this.w[i].length;
      into.set(this.b[i], at); at += this.b[i].length;
    }
    return into;
  }

  /** The parameters back from a save(). */
  load(from) {
    let at = 0;
    for (let i = 0; i < this.w.length; i += 1) {
      this.w[i].set(from.subarray(at, at + this.w[i].length)); at += this.w[i].length;
      this.b[i].set(from.subarray(at, at + this.b[i].length)); at += this.b[i].length;
    }
  }

  /** True when every weight and bias is a finite number (bpkit.sgd's check after each epoch). */
  finite() {
    for (let i = 0; i < this.w.length; i += 1) {
      let s = 0;
      const w = this.w[i], b = this.b[i];
      for (let k = 0; k < w.length; k += 1) s += w[k];
      for (let k = 0; k < b.length; k += 1) s += b[k];
      if (!Number.isFinite(s)) return false;
    }
    return true;
  }
}

/** The buffers of a pass over up to `columns` examples: z^l, a^l and δ^l for every layer, the
 * targets y, and BP2's product (w^(l+1))^T δ^(l+1). */
export class FastWork {
  constructor(sizes, columns) {
    this.columns = columns;
    this.z = sizes.map((n) => new Float64Array(n * columns));
    this.a = sizes.map((n) => new Float64Array(n * columns));
    this.delta = sizes.map((n) => new Float64Array(n * columns));
    this.y = new Float64Array(sizes[sizes.length - 1] * columns);
    this.t = new Float64Array(Math.max(...sizes) * columns);
  }
}

/** Examples as typed rows, made once per data set: X[k] and Y[j] as Float64Arrays. */
export function fastData(X, Y) {
  return { X: X.map((r) => Float64Array.from(r)), Y: Y.map((r) => Float64Array.from(r)), n: X[0].length };
}

/** a^1 = the columns idx[from .. from + m) of X, and y the same columns of Y. */
export function fastGather(ws, data, idx, from, m) {
  for (let k = 0; k < data.X.length; k += 1) {
    const row = data.X[k], a = ws.a[0], at = k * m;
    for (let x = 0; x < m; x += 1) a[at + x] = row[idx[from + x]];
  }
  for (let j = 0; j < data.Y.length; j += 1) {
    const row = data.Y[j], y = ws.y, at = j * m;
    for (let x = 0; x < m; x += 1) y[at + x] = row[idx[from + x]];
  }
}

/** z^l = w^l a^(l−1) + b^l for the m columns. */
export function fastWeightedInput(net, ws, l, m) {
  const w = net.w[l - 2], b = net.b[l - 2], rows = net.sizes[l - 1], cols = net.sizes[l - 2];
  const a = ws.a[l - 2], z = ws.z[l - 1];
  for (let j = 0; j < rows; j += 1) {
    const wj = j * cols, bj = b[j];
    for (let x = 0; x < m; x += 1) {
      let s = 0;
      for (let i = 0; i < cols; i += 1) s += w[wj + i] * a[i * m + x];
      z[j * m + x] = s + bj;
    }
  }
}

/** a^l = σ(z^l) for the m columns: the hidden σ, or the output activation in layer L. */
export function fastActivate(net, ws, l, m) {
  const code = l === net.L ? net.out : net.hidden, n = net.sizes[l - 1] * m;
  const z = ws.z[l - 1], a = ws.a[l - 1];
  switch (code) {
    case 0: for (let i = 0; i < n; i += 1) a[i] = 1 / (1 + Math.exp(-z[i])); break;
    case 1: for (let i = 0; i < n; i += 1) a[i] = Math.tanh(z[i]); break;
    case 2: for (let i = 0; i < n; i += 1) a[i] = Math.max(z[i], 0); break;
    case 3: for (let i = 0; i < n; i += 1) a[i] = z[i]; break;
    default: softmax(z, a, net.sizes[l - 1], m);
  }
}

/** softmax column by column, shifted by the column's largest z. */
function softmax(z, a, rows, m) {
  for (let x = 0; x < m; x += 1) {
    let top = -Infinity;
    for (let j = 0; j < rows; j += 1) top = Math.max(top, z[j * m + x]);
    let sum = 0;
    for (let j = 0; j < rows; j += 1) { const e = Math.exp(z[j * m + x] - top); a[j * m + x] = e; sum += e; }
    for (let j = 0; j < rows; j += 1) a[j * m + x] /= sum;
  }
}

/** The forward pass of the m columns of a^1: every z^l and a^l. */
export function fastForward(net, ws, m) {
  for (let l = 2; l <= net.L; l += 1) {
    fastWeightedInput(net, ws, l, m);
    fastActivate(net, ws, l, m);
  }
}

/** g ⊙ σ'(z), element-wise σ of `code`, in place in g (σ' from a = σ(z) for sigmoid and tanh). */
function timesPrime(code, g, z, a, n) {
  switch (code) {
    case 0: for (let i = 0; i < n; i += 1) g[i] = (1 - a[i]) * a[i] * g[i]; break;
    case 1: for (let i = 0; i < n; i += 1) g[i] = (1 - a[i] * a[i]) * g[i]; break;
    case 2: for (let i = 0; i < n; i += 1) g[i] = g[i] * (z[i] > 0 ? 1 : 0); break;
    default: for (let i = 0; i < n; i += 1) g[i] = g[i] * 1;
  }
}

/** ∇_a C_x of the cost, entry by entry, into d. */
function costGradient(code, a, y, d, n) {
  switch (code) {
    case 0: for (let i = 0; i < n; i += 1) d[i] = a[i] - y[i]; break;
    case 1: for (let i = 0; i < n; i += 1) d[i] = (a[i] - y[i]) / (a[i] * (1 - a[i])); break;
    default: for (let i = 0; i < n; i += 1) d[i] = -y[i] / a[i];
  }
}

/** BP1: δ^L = ∇_a C ⊙ σ'(z^L) (softmax: its Jacobian), or a^L − y when σ' cancels. */
export function fastOutputError(net, ws, m) {
  const L = net.L, rows = net.sizes[L - 1], n = rows * m;
  const a = ws.a[L - 1], z = ws.z[L - 1], y = ws.y, d = ws.delta[L - 1];
  if (net.simplified) {
    for (let i = 0; i < n; i += 1) d[i] = a[i] - y[i];
    return;
  }
  costGradient(net.costCode, a, y, d, n);
  if (net.out !== 4) {
    timesPrime(net.out, d, z, a, n);
    return;
  }
  for (let x = 0; x < m; x += 1) { // softmax: a ⊙ (g − Σ_i a_i g_i)
    let s = 0;
    for (let i = 0; i < rows; i += 1) s += a[i * m + x] * d[i * m + x];
    for (let j = 0; j < rows; j += 1) d[j * m + x] = a[j * m + x] * (d[j * m + x] - s);
  }
}

/** BP2: δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l). */
export function fastBackpropagateError(net, ws, l, m) {
  const w = net.w[l - 1], rows = net.sizes[l], cols = net.sizes[l - 1];
  const next = ws.delta[l], d = ws.delta[l - 1];
  for (let j = 0; j < cols; j += 1) {
    for (let x = 0; x < m; x += 1) {
      let s = 0;
      for (let i = 0; i < rows; i += 1) s += w[i * cols + j] * next[i * m + x];
      d[j * m + x] = s;
    }
  }
  timesPrime(net.hidden, d, ws.z[l - 1], ws.a[l - 1], cols * m);
}

/** BP3: ∂C/∂b^l_j = Σ_x δ^l_jx, into net.gb. */
export function fastBiasGradient(net, ws, l, m) {
  const d = ws.delta[l - 1], gb = net.gb[l - 2], rows = net.sizes[l - 1];
  for (let j = 0; j < rows; j += 1) {
    let s = 0;
    for (let x = 0; x < m; x += 1) s += d[j * m + x];
    gb[j] = s;
  }
}

/** BP4: ∂C/∂w^l_jk = Σ_x δ^l_jx a^(l−1)_kx, into net.gw. */
export function fastWeightGradient(net, ws, l, m) {
  const d = ws.delta[l - 1], a = ws.a[l - 2], gw = net.gw[l - 2], rows = net.sizes[l - 1], cols = net.sizes[l - 2];
  for (let j = 0; j < rows; j += 1) {
    for (let k = 0; k < cols; k += 1) {
      let s = 0;
      for (let x = 0; x < m; x += 1) s += d[j * m + x] * a[k * m + x];
      gw[j * cols + k] = s;
    }
  }
}

/** The errors of the m columns: δ^L by BP1, then δ^l by BP2 for l = L − 1, ..., 2. */
export function fastErrors(net, ws, m) {
  fastOutputError(net, ws, m);
  for (let l = net.L - 1; l >= 2; l -= 1) fastBackpropagateError(net, ws, l, m);
}

/** The backward pass of the m columns: every δ^l, and the gradient sums of every layer. */
export function fastBackward(net, ws, m) {
  fastErrors(net, ws, m);
  for (let l = net.L; l >= 2; l -= 1) {
    fastBiasGradient(net, ws, l, m);
    fastWeightGradient(net, ws, l, m);
  }
}

/** Forward and errors for every example of `data` at once (ws must have data.n columns):
 * afterwards ws.a[l − 1] and ws.delta[l − 1] hold a^l_jx and δ^l_jx at [j · n + x]. */
export function fastAllErrors(net, ws, data) {
  fastGather(ws, data, fastRange(data.n), 0, data.n);
  fastForward(net, ws, data.n);
  fastErrors(net, ws, data.n);
}

/** w^l → w^l − (η/m) Σ_x ∂C_x/∂w^l and b^l likewise, in place. */
export function fastUpdate(net, eta, m) {
  const scale = -eta / m;
  for (let i = 0; i < net.w.length; i += 1) {
    const w = net.w[i], gw = net.gw[i], b = net.b[i], gb = net.gb[i];
    for (let k = 0; k < w.length; k += 1) w[k] = w[k] + gw[k] * scale;
    for (let k = 0; k < b.length; k += 1) b[k] = b[k] + gb[k] * scale;
  }
}

/** One step of gradient descent on the m columns idx[from .. from + m), in place. */
export function fastStep(net, ws, data, eta, idx, from, m) {
  fastGather(ws, data, idx, from, m);
  fastForward(net, ws, m);
  fastBackward(net, ws, m);
  fastUpdate(net, eta, m);
}

/** One epoch of gradient descent through `batches` (lists of column indices), in place. */
export function fastEpoch(net, ws, data, eta, batches) {
  for (const idx of batches) fastStep(net, ws, data, eta, idx, 0, idx.length);
}

/** One epoch through the order `perm` (all n examples), cut into mini-batches of m: the same
 * steps as fastEpoch of the batches bpEpochBatches cuts, with nothing allocated. */
export function fastEpochInOrder(net, ws, data, eta, perm, m) {
  for (let from = 0; from < data.n; from += m) fastStep(net, ws, data, eta, perm, from, Math.min(m, data.n - from));
}

/** Σ_x C_x over the m columns of a^L against y. */
function costSum(net, ws, m) {
  const n = net.sizes[net.L - 1] * m, a = ws.a[net.L - 1], y = ws.y;
  let s = 0;
  switch (net.costCode) {
    case 0: for (let i = 0; i < n; i += 1) { const d = a[i] - y[i]; s += d * d; } return 0.5 * s;
    case 1: for (let i = 0; i < n; i += 1) s += (y[i] === 0 ? 0 : y[i] * Math.log(a[i])) + (1 - y[i] === 0 ? 0 : (1 - y[i]) * Math.log(1 - a[i])); return -s;
    default: for (let i = 0; i < n; i += 1) s += y[i] === 0 ? 0 : y[i] * Math.log(a[i]); return -s;
  }
}

/** The class of column x of a (rows × m): one row, a ≥ 0.5; several, the largest. */
export function fastClassOf(v, rows, m, x) {
  if (rows === 1) return v[x] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < rows; j += 1) if (v[j * m + x] > v[best * m + x]) best = j;
  return best;
}

/** The mean cost C = (1/n) Σ_x C_x over every example of `data`, and how many are classified
 * right (a forward pass, ws.columns examples at a time). */
export function fastEvaluate(net, ws, data, idx = null) {
  const n = data.n, rows = net.sizes[net.L - 1];
  const all = idx || fastRange(n);
  let total = 0, correct = 0;
  for (let from = 0; from < n; from += ws.columns) {
    const m = Math.min(ws.columns, n - from);
    fastGather(ws, data, all, from, m);
    fastForward(net, ws, m);
    total += costSum(net, ws, m);
    const a = ws.a[net.L - 1];
    for (let x = 0; x < m; x += 1) if (fastClassOf(a, rows, m, x) === fastClassOf(ws.y, rows, m, x)) correct += 1;
  }
  return { cost: total / n, correct };
}

const ranges = new Map();
/** 0, 1, ..., n − 1 (kept: made once per n). */
export function fastRange(n) {
  if (!ranges.has(n)) ranges.set(n, Int32Array.from({ length: n }, (_, i) => i));
  return ranges.get(n);
}
