/* engine/costs.js: the costs C_x of bpkit/costs.py. fn sums C_x over the columns; derivative
 * is ∇_a C_x, column by column. */

import { bpMap, bpSumAll } from "./matrix.js";

/** x ln y with 0 ln 0 = 0. */
export function bpXlogy(x, y) {
  return x === 0 ? 0 : x * Math.log(y);
}

export const BP_COSTS = {
  quadratic: {
    name: "quadratic", simplifiedFor: ["identity"],
    latex: "C_x = \\tfrac{1}{2} \\lVert y - a^L \\rVert^2",
    /** Σ_x ½ ‖y − a^L‖². */
    fn: (a, y) => 0.5 * bpSumAll(bpMap(a, (aj, yj) => (aj - yj) * (aj - yj), y)),
    /** ∂C_x/∂a_j = a_j − y_j. */
    d: (aj, yj) => aj - yj,
    /** ∇_a C_x = a^L − y. */
    derivative: (a, y) => bpMap(a, (aj, yj) => aj - yj, y),
  },
  cross_entropy: {
    name: "cross_entropy", simplifiedFor: ["sigmoid"],
    latex: "C_x = -\\sum_j \\left[ y_j \\ln a^L_j + (1 - y_j) \\ln (1 - a^L_j) \\right]",
    /** Σ_x −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]. */
    fn: (a, y) => -bpSumAll(bpMap(a, (aj, yj) => bpXlogy(yj, aj) + bpXlogy(1 - yj, 1 - aj), y)),
    d: (aj, yj) => (aj - yj) / (aj * (1 - aj)),
    /** ∇_a C_x = (a − y) / (a (1 − a)). */
    derivative: (a, y) => bpMap(a, (aj, yj) => (aj - yj) / (aj * (1 - aj)), y),
  },
  log_likelihood: {
    name: "log_likelihood", simplifiedFor: ["softmax"],
    latex: "C_x = -\\sum_j y_j \\ln a^L_j",
    /** Σ_x −Σ_j y_j ln a_j. */
    fn: (a, y) => -bpSumAll(bpMap(a, (aj, yj) => bpXlogy(yj, aj), y)),
    d: (aj, yj) => -yj / aj,
    /** ∇_a C_x = −y / a. */
    derivative: (a, y) => bpMap(a, (aj, yj) => -yj / aj, y),
  },
};

/** True when δ^L = a^L − y exactly (sigmoid + cross-entropy, softmax + log-likelihood,
 * identity + quadratic): σ' cancels in BP1. */
export function bpSimplifiedOutputError(cost, outputActivation) {
  return cost.simplifiedFor.includes(outputActivation.name);
}
