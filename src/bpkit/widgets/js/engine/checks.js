/* engine/checks.js: bad input refused with a message in the book's notation, the same
 * sentences as bpkit/_validate.py (tests/widgets/test_engine_parity.py compares them). */

import { BP_ACTIVATIONS } from "./activations.js";
import { BP_COSTS } from "./costs.js";
import { bpShape } from "./matrix.js";

export function bpLayerName(l, L) {
  if (l === 1) return "layer l=1 (the input layer)";
  if (l === L) return `layer l=${l} (the output layer L)`;
  return `layer l=${l}`;
}

/** `value` must be a matrix (array of rows) of `rows` × `cols` finite numbers. */
export function bpCheckMatrix(value, name, rows, cols, where) {
  const want = `(${rows}, ${cols === null ? "m" : cols})`;
  if (!Array.isArray(value) || !value.every(Array.isArray)) {
    const hint = Array.isArray(value) && value.length === rows ? ": one example is a column [[v1], [v2], ...]" : "";
    throw new Error(`${name} (${where}) must be a matrix of shape ${want}, an array of rows${hint}`);
  }
  const [r, c] = bpShape(value);
  const ragged = value.some((row) => row.length !== c);
  if (r !== rows || (cols !== null && c !== cols) || ragged) {
    throw new Error(`${name} (${where}) must have shape ${want}; got ${ragged ? `rows of lengths ${value.map((row) => row.length).join(", ")}` : `shape (${r}, ${c})`}`);
  }
  if (c === 0) throw new Error(`${name} (${where}) is empty: shape (${r}, 0) has no examples`);
  value.forEach((row, j) => row.forEach((v, k) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(`${name} (${where}) has a non-finite value ${v} at row ${j}, column ${k}`);
    }
  }));
  return value;
}

function checkSizes(sizes) {
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new Error(`a network needs at least two layers (an input layer l=1 and an output layer l=L); got sizes=${JSON.stringify(sizes)}`);
  }
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1) throw new Error(`layer l=${i + 1} must have a whole number of neurons, at least one; sizes[${i}] = ${JSON.stringify(n)}`);
  });
}

function checkNames(net) {
  const names = (o) => Object.keys(o).sort().join(", ");
  if (!(net.activation in BP_ACTIVATIONS)) throw new Error(`unknown activation ${JSON.stringify(net.activation)}; choose one of ${names(BP_ACTIVATIONS)}`);
  if (!BP_ACTIVATIONS[net.activation].elementwise) throw new Error(`${net.activation} is not element-wise and may only be the output activation`);
  if (!(net.output_activation in BP_ACTIVATIONS)) throw new Error(`unknown output activation ${JSON.stringify(net.output_activation)}; choose one of ${names(BP_ACTIVATIONS)}`);
  if (!(net.cost in BP_COSTS)) throw new Error(`unknown cost ${JSON.stringify(net.cost)}; choose one of ${names(BP_COSTS)}`);
}

function checkParams(net, sym) {
  const sizes = net.sizes, L = sizes.length;
  const params = sym === "w" ? net.weights : net.biases;
  if (!Array.isArray(params) || params.length !== L - 1) {
    throw new Error(`${sym}: expected ${L - 1} arrays (${sym}^2 ... ${sym}^${L}) for sizes [${sizes.join(", ")}]; got ${Array.isArray(params) ? params.length : typeof params}`);
  }
  params.forEach((p, i) => {
    const l = i + 2, rows = sizes[i + 1], cols = sym === "w" ? sizes[i] : 1;
    const where = sym === "w" ? `${bpLayerName(l, L)}: ${rows} neurons fed by the ${cols} of layer l=${l - 1}` : `${bpLayerName(l, L)}, ${rows} neurons`;
    bpCheckMatrix(p, `${sym}^${l}`, rows, cols, where);
  });
}

/** Check a network object: sizes, names and every w^l, b^l; returns it, or throws an Error
 * that names the layer and the shapes expected. */
export function bpCheckNet(net) {
  if (!net || typeof net !== "object") throw new Error("a network must be an object {sizes, weights, biases, activation, output_activation, cost}");
  checkSizes(net.sizes);
  checkNames(net);
  checkParams(net, "w");
  checkParams(net, "b");
  return net;
}

/** x (n_1 × m) and y (n_L × m, one column per example of x), checked. */
export function bpCheckXY(net, x, y) {
  const L = net.sizes.length;
  bpCheckMatrix(x, "x", net.sizes[0], null, `the input a^1, ${net.sizes[0]} neurons`);
  bpCheckMatrix(y, "y", net.sizes[L - 1], x[0].length, `the target for a^${L}, ${bpLayerName(L, L)} of ${net.sizes[L - 1]} neurons`);
}

/** The learning rate η: a positive finite number (null allowed when `optional`). */
export function bpCheckEta(eta, optional = false) {
  if (optional && eta === null) return eta;
  if (!(typeof eta === "number" && Number.isFinite(eta) && eta > 0)) throw new Error(`the learning rate η must be a positive number; got ${eta}`);
  return eta;
}
