/* autodiff/value.js: the scalar reverse-mode engine of bpkit/autodiff/value.py and order.py.
 *
 * A node is {name, op, parents: [[node, local], ...], data, grad}: its number, and for each
 * operand of the operation that made it the local derivative ∂node/∂operand. Each operation
 * below computes its result and, beside it, its local derivatives, as value.py does, in the
 * same order (so the same numbers, up to the last bit of exp, log, tanh and powers). No DOM.
 */

/** An input node (a weight, a bias, x, y, a constant): no parents. */
export function adValue(data, name = "") {
  if (typeof data !== "number" || !Number.isFinite(data)) throw new Error(`Value(${data}): a Value must be a finite number`);
  return { name, op: "", parents: [], data, grad: 0 };
}

/** The label of a node: its name, else its operation, else its number (value.py's label). */
export function adLabel(v) {
  return v.name || v.op || String(v.data);
}

/** The result of an operation: a new node with its edges [operand, local derivative]. */
export function adNode(data, op, ...edges) {
  if (!Number.isFinite(data) || !edges.every(([, d]) => Number.isFinite(d))) {
    throw new Error(`${op} of ${edges.map(([u]) => `${adLabel(u)} = ${u.data}`).join(", ")} is not a finite number (the result or its derivative overflowed)`);
  }
  return { name: "", op, parents: edges, data, grad: 0 };
}

const operand = (x) => (typeof x === "number" ? adValue(x) : x); // a number: a constant node

export function adAdd(u, v) { v = operand(v); return adNode(u.data + v.data, "+", [u, 1], [v, 1]); } // ∂/∂u = 1, ∂/∂v = 1
export function adSub(u, v) { v = operand(v); return adNode(u.data - v.data, "\u2212", [u, 1], [v, -1]); } // 1, −1
export function adMul(u, v) { v = operand(v); return adNode(u.data * v.data, "\u00D7", [u, v.data], [v, u.data]); } // v, u
export function adDiv(u, v) {
  v = operand(v);
  if (v.data === 0) throw new Error(`division by zero: ${adLabel(u)} \u00F7 ${adLabel(v)}, and ${adLabel(v)} = 0`);
  const q = u.data / v.data;
  return adNode(q, "\u00F7", [u, 1 / v.data], [v, -q / v.data]); // ∂/∂u = 1/v, ∂/∂v = −u/v²
}
export function adPow(u, k) {
  if ((u.data === 0 && k < 1) || (u.data < 0 && !Number.isInteger(k))) {
    throw new Error(`${adLabel(u)} ** ${k} is not a real number with a finite derivative at ${adLabel(u)} = ${u.data}`);
  }
  return adNode(u.data ** k, `^${k}`, [u, k * u.data ** (k - 1)]); // ∂/∂u = k u^(k−1)
}
export function adNeg(u) { return adNode(-u.data, "\u2212", [u, -1]); } // ∂/∂u = −1
export function adExp(u) {
  const e = Math.exp(u.data);
  if (!Number.isFinite(e)) throw new Error(`exp(${adLabel(u)}) overflows: ${adLabel(u)} = ${u.data} (at most about 709.78)`);
  return adNode(e, "exp", [u, e]); // ∂/∂u = e^u
}
export function adLog(u) {
  if (!(u.data > 0)) throw new Error(`log(${adLabel(u)}) needs ${adLabel(u)} > 0; got ${u.data}`);
  return adNode(Math.log(u.data), "log", [u, 1 / u.data]); // ∂/∂u = 1/u
}
/** σ(u) = 1/(1 + e^(−u)), with no overflow for any u (value.py's _sigmoid). */
export function adSigmoidOf(u) {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}
export function adSigmoid(u) { const s = adSigmoidOf(u.data); return adNode(s, "\u03C3", [u, s * (1 - s)]); } // σ(u)(1 − σ(u))
export function adTanh(u) { const t = Math.tanh(u.data); return adNode(t, "tanh", [u, 1 - t * t]); } // 1 − tanh²(u)
export function adRelu(u) { return adNode(Math.max(u.data, 0), "ReLU", [u, u.data > 0 ? 1 : 0]); } // 1 for u > 0, else 0
export function adIdentity(u) { return adNode(u.data, "id", [u, 1]); } // ∂/∂u = 1
/** Σ_i u_i as one node, one edge of local derivative 1 per term. */
export function adSum(terms) {
  terms = terms.map(operand);
  if (!terms.length) throw new Error("Value.sum of nothing: give at least one term");
  return adNode(terms.reduce((s, t) => s + t.data, 0), "\u03A3", ...terms.map((t) => [t, 1]));
}

/** Every node `root` depends on, root last, each after all of its parents: the depth-first
 * search of order.py, with an explicit stack (a cycle throws). */
export function adTopologicalOrder(root) {
  const order = [], state = new Map([[root, 1]]);
  const stack = [[root, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1], [node] = top;
    let pushed = false;
    while (top[1] < node.parents.length) {
      const parent = node.parents[top[1]][0];
      top[1] += 1;
      const seen = state.get(parent);
      if (seen === 1) throw new Error(`the graph has a cycle through ${adLabel(parent)}: a value cannot be computed from itself`);
      if (seen === undefined) {
        state.set(parent, 1);
        stack.push([parent, 0]);
        pushed = true;
        break;
      }
    }
    if (!pushed) {
      stack.pop();
      state.set(node, 2);
      order.push(node);
    }
  }
  return order;
}

/** The backward pass one node at a time (record.py's backward_steps): for each node, in
 * reverse topological order, its gradient (complete when the walk reaches it) and, per edge to
 * a parent, the local derivative, the share passed back and the parent's sum so far. */
export function adBackwardSteps(order) {
  const index = new Map(order.map((v, i) => [v, i]));
  const grad = new Array(order.length).fill(0);
  grad[order.length - 1] = 1; // ∂C/∂C
  const steps = [];
  for (let n = order.length - 1; n >= 0; n -= 1) {
    const v = order[n], g = grad[n], sends = [];
    for (const [parent, local] of v.parents) {
      const p = index.get(parent);
      grad[p] += local * g; // the chain rule along one edge, summed over the edges
      sends.push({ to: p, local, share: local * g, sum: grad[p] });
    }
    steps.push({ node: n, grad: g, sends });
  }
  order.forEach((v, i) => { v.grad = grad[i]; });
  return steps;
}

const BY_OP = {
  "+": (ps) => adAdd(ps[0], ps[1]), "\u00D7": (ps) => adMul(ps[0], ps[1]), "\u00F7": (ps) => adDiv(ps[0], ps[1]),
  "\u2212": (ps) => (ps.length === 1 ? adNeg(ps[0]) : adSub(ps[0], ps[1])), exp: (ps) => adExp(ps[0]),
  log: (ps) => adLog(ps[0]), "\u03C3": (ps) => adSigmoid(ps[0]), tanh: (ps) => adTanh(ps[0]), ReLU: (ps) => adRelu(ps[0]),
  id: (ps) => adIdentity(ps[0]), "\u03A3": (ps) => adSum(ps),
};

/** A graph rebuilt from its structure, [{op, parents: [index, ...], data (an input's)}] in
 * topological order, by this engine's own operations (the parity test's random graphs). */
export function adFromSpec(spec) {
  const nodes = [];
  for (const s of spec) {
    const ps = s.parents.map((i) => nodes[i]);
    let v;
    if (!ps.length) v = adValue(s.data, s.name || "");
    else if (s.op.startsWith("^")) v = adPow(ps[0], Number(s.op.slice(1)));
    else v = BY_OP[s.op](ps);
    v.name = s.name || "";
    nodes.push(v);
  }
  return nodes;
}
