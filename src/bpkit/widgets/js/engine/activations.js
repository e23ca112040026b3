/* engine/activations.js: the activations σ of bpkit/activations.py.
 *
 * Each is {name, latex, elementwise, f, fPrime, fn, prime, backward}: f and fPrime act on one
 * number (the fast loop calls them), fn and prime on a number or a matrix, and backward(z, a, g)
 * is g ⊙ σ'(z) (BP1, BP2), or (∂a/∂z)^T g for softmax, which is not element-wise.
 */

import { bpCopy, bpMap, bpShape } from "./matrix.js";

/** σ(z) = 1 / (1 + e^(−z)). */
export function bpSigmoid(z) {
  return 1 / (1 + Math.exp(-z));
}

/** An element-wise activation from f and f'; `fromA(a)` is σ'(z) written with a = σ(z), when
 * the forward pass kept a (sigmoid: (1 − a) a, tanh: 1 − a²). */
function elementwise(name, latex, f, fPrime, fromA = null) {
  const lift = (g) => (z) => (typeof z === "number" ? g(z) : bpMap(z, g));
  const backward = fromA
    ? (z, a, g) => bpMap(a === null ? bpMap(z, f) : a, (s, gj) => fromA(s) * gj, g)
    : (z, a, g) => bpMap(g, (gj, zj) => gj * fPrime(zj), z);
  return { name, latex, elementwise: true, f, fPrime, fromA, fn: lift(f), prime: lift(fPrime), backward };
}

/** softmax(z)_j = e^(z_j) / Σ_k e^(z_k), column by column, shifted by max(z) for stability. */
function softmaxFn(z) {
  const [r, c] = bpShape(z);
  const a = bpCopy(z);
  for (let x = 0; x < c; x += 1) {
    let top = -Infinity;
    for (let j = 0; j < r; j += 1) top = Math.max(top, z[j][x]);
    let sum = 0;
    for (let j = 0; j < r; j += 1) { a[j][x] = Math.exp(z[j][x] - top); sum += a[j][x]; }
    for (let j = 0; j < r; j += 1) a[j][x] /= sum;
  }
  return a;
}

/** (∂a/∂z)^T g with ∂a_i/∂z_j = a_i (1[i=j] − a_j): a ⊙ (g − Σ_i a_i g_i), column by column. */
function softmaxBackward(z, a, g) {
  if (a === null) a = softmaxFn(z);
  const [r, c] = bpShape(g);
  const out = bpCopy(g);
  for (let x = 0; x < c; x += 1) {
    let s = 0;
    for (let i = 0; i < r; i += 1) s += a[i][x] * g[i][x];
    for (let j = 0; j < r; j += 1) out[j][x] = a[j][x] * (g[j][x] - s);
  }
  return out;
}

export const BP_ACTIVATIONS = {
  // σ'(z) = σ(z) (1 − σ(z)), computed as (1 − σ) σ from a = σ(z) when the forward pass kept it.
  sigmoid: elementwise("sigmoid", "\\sigma", bpSigmoid, (z) => { const s = bpSigmoid(z); return (1 - s) * s; }, (s) => (1 - s) * s),
  // tanh'(z) = 1 − tanh²(z), from a = tanh(z) when kept.
  tanh: elementwise("tanh", "\\tanh", Math.tanh, (z) => { const t = Math.tanh(z); return 1 - t * t; }, (t) => 1 - t * t),
  // ReLU(z) = max(0, z); ReLU'(z) = 1 for z > 0, else 0 (the sub-gradient 0 at z = 0).
  relu: elementwise("relu", "\\operatorname{ReLU}", (z) => Math.max(z, 0), (z) => (z > 0 ? 1 : 0)),
  // id(z) = z; id'(z) = 1.
  identity: elementwise("identity", "\\operatorname{id}", (z) => z, () => 1),
  softmax: {
    name: "softmax", latex: "\\operatorname{softmax}", elementwise: false,
    fn: softmaxFn,
    prime() {
      throw new Error("softmax is not element-wise: it has a Jacobian, not a derivative σ'(z)");
    },
    backward: softmaxBackward,
  },
};
