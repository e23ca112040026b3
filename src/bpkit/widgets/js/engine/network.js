/* engine/network.js: a network and its forward pass (bpkit/forward.py, bpkit/network.py).
 *
 * A network is the plain object bpkit.widgets.engine.net_dict gives:
 *   { sizes: [n1, ..., nL], weights: [w^2, ..., w^L], biases: [b^2, ..., b^L],
 *     activation, output_activation, cost }
 * and, as in bpkit's Python lists, weights[l − 2] is the book's w^l. One example is one column
 * of x; several columns are a mini-batch.
 */

import { BP_ACTIVATIONS } from "./activations.js";
import { BP_COSTS } from "./costs.js";
import { bpCheckMatrix, bpCheckNet, bpCheckXY } from "./checks.js";
import { bpCopy, bpMatmul } from "./matrix.js";

/** A deep copy of a network. */
export function bpCloneNet(net) {
  return {
    sizes: net.sizes.slice(), weights: net.weights.map(bpCopy), biases: net.biases.map(bpCopy),
    activation: net.activation, output_activation: net.output_activation, cost: net.cost,
  };
}

/** z^l = w^l a^(l−1) + b^l, the bias column added to every column. */
export function bpWeightedInput(w, aPrev, b) {
  const z = bpMatmul(w, aPrev);
  for (let j = 0; j < z.length; j += 1) {
    const row = z[j], bj = b[j][0];
    for (let k = 0; k < row.length; k += 1) row[k] += bj;
  }
  return z;
}

/** σ of layer l: the output activation in layer L, else the hidden one. */
export function bpSigmaOf(net, l) {
  return BP_ACTIVATIONS[l === net.sizes.length ? net.output_activation : net.activation];
}

/** The forward pass a^1 = x, z^l = w^l a^(l−1) + b^l, a^l = σ(z^l), keeping every z^l and a^l:
 * zs[l − 2] = z^l, activations[l − 1] = a^l (as bpkit.forward). Unchecked. */
export function bpForward(net, x) {
  const activations = [x]; // a^1 = x
  const zs = [];
  net.weights.forEach((w, i) => {
    const z = bpWeightedInput(w, activations[i], net.biases[i]); // z^l = w^l a^(l−1) + b^l
    zs.push(z);
    activations.push(bpSigmaOf(net, i + 2).fn(z)); // a^l = σ(z^l)
  });
  return { zs, activations };
}

/** a^L for the input a^1 = x (x may have one column per example). */
export function bpFeedforward(net, x) {
  bpCheckNet(net);
  bpCheckMatrix(x, "x", net.sizes[0], null, `the input a^1, ${net.sizes[0]} neurons`);
  const { activations } = bpForward(net, x);
  return activations[activations.length - 1];
}

/** Σ_x C_x over the columns of x and y (C_x itself for one column), as bpkit's cost.fn. */
export function bpCostOf(net, x, y) {
  bpCheckNet(net);
  bpCheckXY(net, x, y);
  const { activations } = bpForward(net, x);
  return BP_COSTS[net.cost].fn(activations[activations.length - 1], y);
}

/** The mean cost C = (1/n) Σ_x C_x over the n columns, as bpkit's Network.cost_value. */
export function bpMeanCost(net, x, y) {
  return bpCostOf(net, x, y) / x[0].length;
}
