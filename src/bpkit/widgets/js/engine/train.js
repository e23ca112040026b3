/* engine/train.js: gradient descent (bpkit/train.py) on the readable networks: the update,
 * full-batch steps, and the nudge of one parameter. The playground's fast loop is engine/fast.js. */

import { BP_COSTS } from "./costs.js";
import { bpCheckEta, bpCheckNet, bpCheckXY, bpLayerName } from "./checks.js";
import { bpBackprop, bpPass } from "./equations.js";
import { bpColumns, bpMap } from "./matrix.js";
import { bpCloneNet, bpCostOf, bpForward } from "./network.js";

/** A NEW network with w^l → w^l − (η/m) Σ_x ∂C_x/∂w^l and b^l → b^l − (η/m) Σ_x ∂C_x/∂b^l,
 * as bpkit.train's mini-batch update: the sums scaled by −η/m, then added. With
 * fixedBiases the biases stay (Mazur's rule). */
export function bpUpdate(net, nabla_b, nabla_w, eta, m = 1, fixedBiases = false) {
  bpCheckEta(eta);
  const scale = -eta / m;
  const next = bpCloneNet(net);
  next.weights = net.weights.map((w, i) => bpMap(w, (wjk, g) => wjk + g * scale, nabla_w[i]));
  if (!fixedBiases) next.biases = net.biases.map((b, i) => bpMap(b, (bj, g) => bj + g * scale, nabla_b[i]));
  return next;
}

function meanCostUnchecked(net, x, y) {
  const { activations } = bpForward(net, x);
  return BP_COSTS[net.cost].fn(activations[activations.length - 1], y) / x[0].length;
}

/** `steps` steps of full-batch gradient descent on the m columns of x (one mini-batch of all
 * the examples): {net: the final network, costs: [C before step 1, after step 1, ...]} where
 * C = (1/m) Σ_x C_x is the mean cost, as bpkit.Network.cost_value and sgd's History. The
 * inputs are checked once, not at every step. */
export function bpTrainSteps(net, x, y, eta, steps, { fixedBiases = false } = {}) {
  bpCheckNet(net);
  bpCheckXY(net, x, y);
  bpCheckEta(eta);
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`steps must be a whole number >= 0; got ${steps}`);
  const m = x[0].length;
  let current = bpCloneNet(net);
  const costs = [meanCostUnchecked(current, x, y)];
  for (let s = 0; s < steps; s += 1) {
    const { nabla_b, nabla_w } = bpPass(current, x, y);
    current = bpUpdate(current, nabla_b, nabla_w, eta, m, fixedBiases);
    costs.push(meanCostUnchecked(current, x, y));
  }
  return { net: current, costs };
}

function checkWhich(net, which, delta) {
  const { param, l, j } = which, k = param === "b" ? 1 : which.k, L = net.sizes.length;
  if (param !== "w" && param !== "b") throw new Error(`which.param must be "w" or "b"; got ${JSON.stringify(param)}`);
  if (!Number.isInteger(l) || l < 2 || l > L) throw new Error(`layer l=${l} has no weights or biases: they exist for l = 2, ..., L = ${L} (layer l=1 is the input layer)`);
  const rows = net.sizes[l - 1], cols = param === "w" ? net.sizes[l - 2] : 1;
  if (!Number.isInteger(j) || j < 1 || j > rows) throw new Error(`j=${j} is out of range: ${bpLayerName(l, L)} has neurons j = 1, ..., ${rows}`);
  if (!Number.isInteger(k) || k < 1 || k > cols) throw new Error(`k=${k} is out of range: layer l=${l - 1} has neurons k = 1, ..., ${cols}`);
  if (typeof delta !== "number" || !Number.isFinite(delta)) throw new Error(`the nudge Δ must be a finite number; got ${delta}`);
  return k;
}

/** Nudge one parameter by Δ: which = {param: "w"|"b", l, j, k} in the book's indices (l = 2..L,
 * j and k from 1). Returns {gradient: ∂C/∂param, predicted: ∂C/∂param · Δ,
 * measured: C(param + Δ) − C(param)}, C = Σ_x C_x over the columns (the C that bpBackprop
 * differentiates). */
export function bpNudge(net, x, y, which, delta) {
  bpCheckNet(net);
  bpCheckXY(net, x, y);
  const k = checkWhich(net, which, delta), { param, l, j } = which;
  const { nabla_b, nabla_w } = bpBackprop(net, x, y);
  const gradient = (param === "w" ? nabla_w : nabla_b)[l - 2][j - 1][k - 1];
  const nudged = bpCloneNet(net);
  (param === "w" ? nudged.weights : nudged.biases)[l - 2][j - 1][k - 1] += delta;
  return { gradient, predicted: gradient * delta, measured: bpCostOf(nudged, x, y) - bpCostOf(net, x, y) };
}

/** Gradient descent through the given mini-batches in order (each a list of column indices of
 * X): w → w − (η/m) Σ_x ∂C_x/∂w for each. Checked once; returns the new network. */
export function bpTrainBatches(net, X, Y, eta, batches) {
  bpCheckNet(net);
  bpCheckXY(net, X, Y);
  bpCheckEta(eta);
  for (const idx of batches) {
    const { nabla_b, nabla_w } = bpPass(net, bpColumns(X, idx), bpColumns(Y, idx));
    net = bpUpdate(net, nabla_b, nabla_w, eta, idx.length);
  }
  return net;
}
