/* autodiff/network_graph.js: the scalar graph of a network's pass, where to draw each node, and
 * the data the graph stepper shows: bpkit/autodiff/network_graph.py (scalar_pass, latex),
 * layout.py and record.py (graph_data, groups), node for node and edge for edge. No DOM.
 *
 * A network is the plain object of engine/network.js ({sizes, weights, biases, activation,
 * output_activation, cost}); x and y are matrices (one column per example).
 */

import {
  adAdd, adBackwardSteps, adDiv, adExp, adIdentity, adLog, adMul, adNeg, adPow, adRelu, adSigmoid, adSub, adSum,
  adTanh, adTopologicalOrder, adValue,
} from "./value.js";

/** The book's subscripts: "1", "12", or "1,12" when an index has two digits. */
function sub(j, k = null) {
  if (k === null) return String(j);
  return j < 10 && k < 10 ? `${j}${k}` : `${j},${k}`;
}

const named = (node, name) => { node.name = name; return node; };
const ACTIVATE = { sigmoid: adSigmoid, tanh: adTanh, relu: adRelu, identity: adIdentity };

/** σ applied to one layer's weighted inputs (softmax: e^(z_j) / Σ_k e^(z_k)). */
function activate(name, z) {
  if (name === "softmax") {
    const e = z.map(adExp);
    const total = adSum(e);
    return e.map((ej) => adDiv(ej, total));
  }
  return z.map(ACTIVATE[name]);
}

/** C_x = Σ_j C_x,j, one term per output neuron j (network_graph.py's _cost_terms). */
function costTerms(cost, a, y, L, tag) {
  if (cost === "quadratic") {
    return a.map((aj, j) => {
      const diff = named(adSub(aj, y[j]), `a^${L}_${j + 1} \u2212 y_${j + 1}${tag}`);
      const square = named(adPow(diff, 2), `(a^${L}_${j + 1} \u2212 y_${j + 1})\u00B2${tag}`);
      return named(adMul(square, 0.5), `\u00BD(a^${L}_${j + 1} \u2212 y_${j + 1})\u00B2${tag}`);
    });
  }
  if (cost === "cross_entropy") {
    return a.map((aj, j) => named(adNeg(adSum([adMul(y[j], adLog(aj)), adMul(adSub(adValue(1), y[j]), adLog(adSub(adValue(1), aj)))])), `C_${j + 1}${tag}`));
  }
  return a.map((aj, j) => named(adNeg(adMul(y[j], adLog(aj))), `\u2212y_${j + 1} ln a^${L}_${j + 1}${tag}`));
}

/** The pass of `net` on x, y one number at a time (scalar_pass): the nodes by kind, w[l][j][k],
 * b[l][j], x[k][i], y[j][i], z[l][j][i], a[l][j][i] (0-based j, k, i) and C. */
export function adScalarPass(net, x, y) {
  const L = net.sizes.length, m = x[0].length, tag = (i) => (m === 1 ? "" : `(x${i + 1})`);
  const w = {}, b = {};
  for (let l = 2; l <= L; l += 1) {
    w[l] = net.weights[l - 2].map((row, j) => row.map((v, k) => adValue(v, `w^${l}_${sub(j + 1, k + 1)}`)));
    b[l] = net.biases[l - 2].map((row, j) => adValue(row[0], `b^${l}_${j + 1}`));
  }
  const xs = x.map((row, k) => row.map((v, i) => adValue(v, `a^1_${k + 1}${tag(i)}`)));
  const ys = y.map((row, j) => row.map((v, i) => adValue(v, `y_${j + 1}${tag(i)}`)));
  const z = {}, a = { 1: xs }, costs = [];
  for (let i = 0; i < m; i += 1) {
    for (let l = 2; l <= L; l += 1) {
      if (!z[l]) { z[l] = w[l].map(() => []); a[l] = w[l].map(() => []); }
      w[l].forEach((row, j) => {
        const products = row.map((wjk, k) => named(adMul(wjk, a[l - 1][k][i]), `${wjk.name}\u00B7${a[l - 1][k][i].name}`));
        z[l][j].push(named(adSum(products.concat([b[l][j]])), `z^${l}_${j + 1}${tag(i)}`));
      });
      const column = z[l].map((row) => row[i]);
      activate(l === L ? net.output_activation : net.activation, column).forEach((aj, j) => a[l][j].push(named(aj, `a^${l}_${j + 1}${tag(i)}`)));
    }
    const out = a[L].map((row) => row[i]);
    const terms = costTerms(net.cost, out, ys.map((row) => row[i]), L, tag(i));
    costs.push(named(adSum(terms), m === 1 ? "C" : `C_x${tag(i)}`));
  }
  const C = m === 1 ? costs[0] : named(adSum(costs), "C");
  return { w, b, x: xs, y: ys, z, a, C };
}

/** A node's name as the book typesets it (network_graph.py's latex). */
export function adLatex(name) {
  let out = name.replace(/([a-zA-Z])\^(\d+)_([\d,]+)/g, "$1^{$2}_{$3}");
  out = out.replace(/\b([yC])_(\d+)/g, "$1_{$2}").replace(/\(x(\d+)\)/g, "(x_{$1})");
  for (const [plain, tex] of [["\u00B7", "\\,"], ["\u2212", "-"], ["\u00B2", "^2"], ["\u00BD", "\\frac{1}{2}"], [" ln ", " \\ln "], ["C_x", "C_{x}"]]) {
    out = out.split(plain).join(tex);
  }
  return out;
}

/** (column, row) of every node of `order` (layout.py): columns from the inputs to the cost,
 * rows by the mean row of the nodes fed, centred on 0. */
export function adLayout(order) {
  const index = new Map(order.map((v, i) => [v, i]));
  const children = new Map(order.map((v) => [v, []]));
  for (const v of order) for (const [p] of v.parents) if (!children.get(p).includes(v)) children.get(p).push(v);
  const column = new Map();
  for (const v of order) column.set(v, 1 + Math.max(-1, ...v.parents.map(([p]) => column.get(p))));
  for (const v of order) if (!v.parents.length && children.get(v).length) column.set(v, Math.min(...children.get(v).map((c) => column.get(c))) - 1);
  const columns = new Map();
  for (const v of order) { const c = column.get(v); if (!columns.has(c)) columns.set(c, []); columns.get(c).push(v); }
  const row = new Map();
  for (const c of Array.from(columns.keys()).sort((p, q) => q - p)) {
    const key = (v) => {
      const placed = children.get(v).filter((ch) => row.has(ch)).map((ch) => row.get(ch));
      return placed.length ? placed.reduce((s, r) => s + r, 0) / placed.length : 0;
    };
    const nodes = columns.get(c).map((v) => [key(v), index.get(v), v]).sort((p, q) => p[0] - q[0] || p[1] - q[1]).map((t) => t[2]);
    nodes.forEach((v, i) => row.set(v, i - (nodes.length - 1) / 2));
  }
  return new Map(order.map((v) => [v, [column.get(v), row.get(v)]]));
}

/** Each named node's role in the book's notation (record.py's _roles). */
function roles(parts, L) {
  const out = new Map();
  for (const l of Object.keys(parts.w).map(Number)) {
    parts.w[l].forEach((row, j) => {
      row.forEach((v, k) => out.set(v, { kind: "w", layer: l, j: j + 1, k: k + 1 }));
      out.set(parts.b[l][j], { kind: "b", layer: l, j: j + 1 });
    });
  }
  for (const kind of ["z", "a"]) {
    for (const l of Object.keys(parts[kind]).map(Number)) {
      parts[kind][l].forEach((row, j) => row.forEach((v, i) => out.set(v, { kind: l === 1 ? "x" : kind, layer: l, j: j + 1, i: i + 1 })));
    }
  }
  parts.y.forEach((row, j) => row.forEach((v, i) => out.set(v, { kind: "y", layer: L, j: j + 1, i: i + 1 })));
  out.set(parts.C, { kind: "C" });
  return out;
}

/** The layer view: δ^l, ∂C/∂b^l, ∂C/∂w^l and the nodes whose gradients they hold (record.py's groups). */
function groups(parts, index, L) {
  const out = [];
  for (let l = L; l >= 2; l -= 1) {
    out.push({ name: `delta^${l}`, latex: `\\delta^{${l}}`, layer: l, equation: l === L ? "BP1" : "BP2", nodes: parts.z[l].map((row) => row.map((v) => index.get(v))) });
    out.push({ name: `dC/db^${l}`, latex: `\\partial C/\\partial b^{${l}}`, layer: l, equation: "BP3", nodes: parts.b[l].map((v) => [index.get(v)]) });
    out.push({ name: `dC/dw^${l}`, latex: `\\partial C/\\partial w^{${l}}`, layer: l, equation: "BP4", nodes: parts.w[l].map((row) => row.map((v) => index.get(v))) });
  }
  return out;
}

/** Everything the graph stepper draws and steps through (record.py's graph_data). */
export function adGraphData(net, x, y) {
  const parts = adScalarPass(net, x, y);
  const order = adTopologicalOrder(parts.C);
  const index = new Map(order.map((v, i) => [v, i]));
  const steps = adBackwardSteps(order);
  const place = adLayout(order), role = roles(parts, net.sizes.length);
  const nodes = order.map((v) => {
    const [col, row] = place.get(v);
    return {
      name: v.name, latex: v.name ? adLatex(v.name) : "", op: v.op, parents: v.parents.map(([p, d]) => [index.get(p), d]),
      data: v.data, col, row, ...(role.get(v) || { kind: v.parents.length ? "operation" : "constant" }),
    };
  });
  return { sizes: net.sizes.slice(), m: x[0].length, nodes, steps, groups: groups(parts, index, net.sizes.length) };
}
