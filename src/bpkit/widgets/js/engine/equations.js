/* engine/equations.js: the four equations of backpropagation (bpkit/equations.py) and the one
 * pass that applies them (bpkit.Network.backprop). bpTrace (engine/trace.js) records this same
 * pass step by step; it computes nothing of its own. */

import { BP_ACTIVATIONS } from "./activations.js";
import { BP_COSTS, bpSimplifiedOutputError } from "./costs.js";
import { bpCheckNet, bpCheckXY } from "./checks.js";
import { bpMap, bpMatmulByTransposed, bpMatmulTransposed, bpSumColumns } from "./matrix.js";
import { bpForward, bpSigmaOf } from "./network.js";

/** BP1: δ^L = ∇_a C ⊙ σ'(z^L); for softmax, (∂a^L/∂z^L)^T ∇_a C. */
export function bpOutputError(nablaA, zL, sigma, aL = null) {
  return sigma.backward(zL, aL, nablaA);
}

/** BP1 when σ' cancels (sigmoid + cross-entropy, softmax + log-likelihood, identity +
 * quadratic): δ^L = a^L − y. */
export function bpOutputErrorSimplified(aL, y) {
  return bpMap(aL, (aj, yj) => aj - yj, y);
}

/** BP2: δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l). */
export function bpBackpropagateError(wNext, deltaNext, z, sigma, a = null) {
  return sigma.backward(z, a, bpMatmulTransposed(wNext, deltaNext));
}

/** BP3: ∂C/∂b^l_j = δ^l_j, summed over the columns of a mini-batch. */
export function bpBiasGradient(delta) {
  return bpSumColumns(delta);
}

/** BP4: ∂C/∂w^l_jk = a^(l−1)_k δ^l_j, the matrix δ^l (a^(l−1))^T (summed over the columns). */
export function bpWeightGradient(delta, aPrev) {
  return bpMatmulByTransposed(delta, aPrev);
}

/** One forward and one backward pass of (x, y), unchecked, keeping everything the trace shows:
 * {zs, activations, nablaA (∇_a C, null when σ' cancels), deltas, nabla_b, nabla_w}, every
 * list indexed l − 2 (activations: l − 1), as in bpkit. */
export function bpPass(net, x, y) {
  const L = net.sizes.length;
  const { zs, activations } = bpForward(net, x);
  const aL = activations[L - 1], cost = BP_COSTS[net.cost], sigmaL = bpSigmaOf(net, L);
  const deltas = new Array(L - 1), nabla_b = new Array(L - 1), nabla_w = new Array(L - 1);
  let nablaA = null;
  if (bpSimplifiedOutputError(cost, sigmaL)) {
    deltas[L - 2] = bpOutputErrorSimplified(aL, y); // BP1, σ' cancelled
  } else {
    nablaA = cost.derivative(aL, y);
    deltas[L - 2] = bpOutputError(nablaA, zs[L - 2], sigmaL, aL); // BP1
  }
  const hidden = BP_ACTIVATIONS[net.activation];
  for (let l = L; l >= 2; l -= 1) {
    if (l < L) deltas[l - 2] = bpBackpropagateError(net.weights[l - 1], deltas[l - 1], zs[l - 2], hidden, activations[l - 1]); // BP2
    nabla_b[l - 2] = bpBiasGradient(deltas[l - 2]); // BP3
    nabla_w[l - 2] = bpWeightGradient(deltas[l - 2], activations[l - 2]); // BP4
  }
  return { zs, activations, nablaA, deltas, nabla_b, nabla_w };
}

/** The gradient of Σ_x C_x by BP1–BP4, as bpkit's Network.backprop:
 * {nabla_b, nabla_w} with nabla_b[l − 2] = ∂C/∂b^l and nabla_w[l − 2] = ∂C/∂w^l. */
export function bpBackprop(net, x, y) {
  bpCheckNet(net);
  bpCheckXY(net, x, y);
  const { nabla_b, nabla_w } = bpPass(net, x, y);
  return { nabla_b, nabla_w };
}
