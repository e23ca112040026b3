/* GraphStepper: the backward pass on the scalar graph of a network, one node at a time.
 *
 * model: _data (graph_stepper.py: graph_view, i.e. bpkit.autodiff.record.graph_data plus the
 * layer view), step (0-based), digits, title, _base ({net, x, y, eta}), _mathml, _options
 * ({names, max_nodes, key, editable}). The static copy embeds no graph: the page builds it from
 * _base with js/autodiff/ (held to bpkit.autodiff by a parity test), as it does for an edit.
 */

import { adGraphData } from "../autodiff/network_graph.js";
import { bpTrace } from "../engine/trace.js";
import { bpEsc, bpFmt, bpUid } from "../page/dom.js";
import { bpEditable } from "../page/explore.js";
import { bpMathml } from "../page/mathml.js";
import { bpMatrix, bpPack } from "../page/matrix_view.js";
import { BpStepper } from "../page/stepper.js";

const LAYER_VIEW = ["delta^", "dC/db^", "dC/dw^"];
const CHAIN_RULE = String.raw`\frac{\partial C}{\partial u} = \sum_{v:\; u \to v} \frac{\partial v}{\partial u}\,\frac{\partial C}{\partial v}`;
const GEO = { gap: 76, row: 46, r: 15, padL: 44, padR: 44, padT: 44, padB: 34 };

/** δ^l, ∂C/∂b^l, ∂C/∂w^l of the pass stepper, with the step that computes each (graph_stepper.py's layer_view). */
export function layerView(tr) {
  const out = {};
  for (const s of tr.steps) {
    for (const q of s.outputs) if (LAYER_VIEW.some((p) => q.name.startsWith(p))) out[q.name] = { step: s.index, equation: s.equation, value: q.value };
  }
  return out;
}

/** What the figure draws for network `net` on x, y (graph_stepper.py's graph_view). */
export function graphView(net, x, y, maxNodes = Infinity) {
  const data = adGraphData(net, x, y);
  if (data.nodes.length > maxNodes) {
    throw new Error(`this graph would have ${data.nodes.length} nodes, more than the ${maxNodes} the figure draws`);
  }
  data.layers = layerView(bpTrace(net, x, y, null));
  return data;
}

// ---- Reading the data ----------------------------------------------------------------------

/** The state of the walk before and at step k: each node's running sum, the node now, the shares
 * each node has received, and which nodes are done. */
function walk(d, k) {
  const sum = new Array(d.nodes.length).fill(0), received = d.nodes.map(() => []), done = new Set();
  sum[d.nodes.length - 1] = 1;
  for (let s = 0; s <= k; s += 1) {
    const st = d.steps[s];
    if (s < k) done.add(st.node);
    for (const e of st.sends) {
      sum[e.to] = e.sum;
      received[e.to].push({ from: st.node, share: e.share });
    }
  }
  return { sum, received, done, now: d.steps[k] };
}

/** The layer-view group holding node n, with its row and column, or null. */
function groupOf(d, n) {
  for (const g of d.groups) {
    for (let r = 0; r < g.nodes.length; r += 1) {
      const c = g.nodes[r].indexOf(n);
      if (c >= 0) return { g, r, c };
    }
  }
  return null;
}

const SYMBOL = { "\u00D7": "\u00D7", "\u03A3": "\u03A3", "\u03C3": "\u03C3", "\u2212": "\u2212", "+": "+", "\u00F7": "\u00F7", "^2": "( )\u00B2", exp: "exp", log: "ln", tanh: "tanh", ReLU: "ReLU", id: "id" };
const NAMED = new Set(["w", "b", "x", "y", "z", "a", "C"]);

/** A node's name as SVG text: "w^2_11" → w with a superscript 2 and a subscript 11. */
function svgName(name) {
  const m = /^([A-Za-z]+)(?:\^(\d+))?(?:_([\d,]+))?(\(x\d+\))?$/.exec(name);
  if (!m) return bpEsc(name);
  const [, base, sup, sub, tag] = m;
  const upper = sup ? `<tspan class="bpkit-gsup" dy="-5">${sup}</tspan>` : "";
  const lower = sub ? `<tspan class="bpkit-gsub" dy="${sup ? 8 : 3}"${sup ? ` dx="-${0.55 * sup.length}em"` : ""}>${sub}</tspan>` : "";
  return `${bpEsc(base)}${upper}${lower}${tag ? `<tspan dy="${sup ? -3 : sub ? -3 : 0}">${bpEsc(tag)}</tspan>` : ""}`;
}

/** A node's name as MathML (the table made in Python), with the source's name beside it. */
function nameHtml(d, n, table, names) {
  const v = d.nodes[n];
  if (!v.name) return v.parents.length ? `the ${bpEsc(v.op)} node` : `the constant ${bpEsc(String(v.data))}`;
  const own = names && names[v.name] ? ` <span class="bpkit-gsrc">(${bpEsc(names[v.name])})</span>` : "";
  return bpMathml(table, v.latex) + own;
}

/** Plain text for a node, for captions and labels read aloud. */
function plainName(v) {
  return v.name ? v.name.replace(/\^/g, " ").replace(/_/g, " ") : v.parents.length ? `the ${v.op} node` : `the constant ${v.data}`;
}

/** What step k does, in words; `name` writes a node (plain text for the live region, MathML on
 * the page). */
function caption(d, k, name = (n) => plainName(d.nodes[n])) {
  const st = d.steps[k], v = d.nodes[st.node];
  if (st.node === d.nodes.length - 1) return `The walk starts at the cost ${name(st.node)}, whose gradient is ∂C/∂C = 1, and passes it back along ${v.parents.length === 1 ? "one edge" : `${v.parents.length} edges`}.`;
  if (!v.parents.length) return `${name(st.node)} is an input of the graph (no operation made it): its gradient, now complete, is final.`;
  return `${name(st.node)} has received a share from every operation that uses it; it passes its gradient back along ${v.parents.length === 1 ? "one edge" : `${v.parents.length} edges`}, each times its local derivative.`;
}

// ---- The drawing -----------------------------------------------------------------------------

function geometry(d) {
  const cols = d.nodes.map((v) => v.col), rows = d.nodes.map((v) => v.row);
  const c0 = Math.min(...cols), r0 = Math.min(...rows);
  const at = (v) => ({ x: GEO.padL + (v.col - c0) * GEO.gap, y: GEO.padT + (v.row - r0) * GEO.row });
  const W = GEO.padL + (Math.max(...cols) - c0) * GEO.gap + GEO.padR, H = GEO.padT + (Math.max(...rows) - r0) * GEO.row + GEO.padB;
  return { at, W, H };
}

function segment(a, b, r1, r2) {
  const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
  return [a.x + (dx * r1) / len, a.y + (dy * r1) / len, b.x - (dx * r2) / len, b.y - (dy * r2) / len];
}

function edgesSvg(d, w, geo, uid, digits) {
  const R = GEO.r, now = w.now.node;
  let plain = "", hot = "";
  d.nodes.forEach((v, n) => v.parents.forEach(([p, local]) => {
    const a = geo.at(d.nodes[p]), b = geo.at(v);
    if (n === now) {
      const [x1, y1, x2, y2] = segment(b, a, R + 1, R + 4);
      const mx = (x1 + x2) / 2, my = (y1 + y2) / 2 - 4;
      hot += `<line class="bpkit-gedge is-now" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#${uid}-now)"/>
        <text class="bpkit-glocal" x="${mx}" y="${my}" text-anchor="middle">\u00D7${bpFmt(local, digits)}</text>`;
    } else {
      const [x1, y1, x2, y2] = segment(a, b, R, R + 3);
      plain += `<line class="bpkit-gedge" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#${uid}-fwd)"/>`;
    }
  }));
  return plain + hot;
}

function nodesSvg(d, w, geo, marked, digits) {
  const R = GEO.r, now = w.now.node, parents = new Set(d.nodes[now].parents.map(([p]) => p));
  let s = "";
  d.nodes.forEach((v, n) => {
    const { x, y } = geo.at(v);
    const state = n === now ? " is-now" : parents.has(n) ? " is-uses" : w.done.has(n) ? " is-done" : "";
    const inside = v.parents.length ? SYMBOL[v.op] || v.op : v.kind === "constant" ? String(v.data) : "";
    s += `<g class="bpkit-gnode bpkit-gk-${v.kind}${state}${marked.has(n) ? " is-group" : ""}" data-node="${n}">
      <circle cx="${x}" cy="${y}" r="${v.kind === "constant" ? R - 4 : R}"/>
      ${inside ? `<text class="bpkit-gop" x="${x}" y="${y + 4}" text-anchor="middle">${bpEsc(inside)}</text>` : ""}
      ${NAMED.has(v.kind) ? `<text class="bpkit-gname" x="${x}" y="${y + R + 12}" text-anchor="middle">${svgName(v.name)}</text>` : ""}`;
    if (n === now) s += `<text class="bpkit-gval is-now" x="${x}" y="${y - R - 6}" text-anchor="middle">${bpFmt(w.now.grad, digits)}</text>`;
    else if (parents.has(n)) s += `<text class="bpkit-gval is-uses" x="${x}" y="${y - R - 6}" text-anchor="middle">\u03A3 ${bpFmt(w.sum[n], digits)}</text>`;
    s += "</g>";
  });
  return s;
}

function drawGraph(d, w, marked, digits, uid) {
  const geo = geometry(d), v = d.nodes[w.now.node];
  const label = `The scalar graph, ${d.nodes.length} nodes. The backward pass is at ${plainName(v)}, gradient ${bpFmt(w.now.grad, digits)}`
    + (v.parents.length ? `, passing it back to ${v.parents.map(([p]) => plainName(d.nodes[p])).join(", ")}.` : ".");
  return `<svg class="bpkit-svg bpkit-gsvg" viewBox="0 0 ${geo.W} ${geo.H}" width="${geo.W}" height="${geo.H}" style="width: min(100%, ${geo.W}px); min-width: min(${geo.W}px, 560px)" role="img" aria-label="${bpEsc(label)}">
    <defs>
      <marker id="${uid}-now" viewBox="0 0 10 10" refX="8.5" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,1 L10,5 L0,9 z" class="bpkit-arrow-now"/></marker>
      <marker id="${uid}-fwd" viewBox="0 0 10 10" refX="8.5" refY="5" markerWidth="4.5" markerHeight="4.5" orient="auto"><path d="M0,1 L10,5 L0,9 z" class="bpkit-garrow"/></marker>
    </defs>${edgesSvg(d, w, geo, uid, digits)}${nodesSvg(d, w, geo, marked, digits)}</svg>`;
}

// ---- The numbers beside it -------------------------------------------------------------------

function receivedHtml(d, w, n, digits, table, names) {
  const v = d.nodes[n];
  if (n === d.nodes.length - 1) return `<p class="bpkit-gline bpkit-gsum" data-grad="${n}">It is the cost itself: \u2202C/\u2202C = ${bpFmt(1, digits)}, where every backward pass starts.</p>`;
  const got = w.received[n];
  const terms = got.map((r) => `<li>from ${nameHtml(d, r.from, table, names)}: ${bpFmt(r.share, digits)}</li>`).join("");
  return `<p class="bpkit-gline">It is used by ${got.length === 1 ? "one operation" : `${got.length} operations`}; each passed back its share, and the sum is its gradient:</p>
    <ul class="bpkit-gshares">${terms}</ul>
    <p class="bpkit-gline bpkit-gsum" data-grad="${n}">\u2202C/\u2202${v.name ? nameHtml(d, n, table, names) : "(this node)"} = ${bpFmt(w.now.grad, digits)}${v.parents.length ? "" : " (final: an input has no edge back)"}</p>`;
}

function sendsHtml(d, w, digits, table, names) {
  const st = w.now;
  if (!st.sends.length) return "";
  const rows = st.sends.map((e) => `<tr><th scope="row">${nameHtml(d, e.to, table, names)}</th><td>${bpFmt(e.local, digits)}</td>
    <td>${bpFmt(st.grad, digits)}</td><td>${bpFmt(e.share, digits)}</td><td>${bpFmt(e.sum, digits)}</td></tr>`).join("");
  return `<div class="bpkit-scroll" tabindex="0" role="region" aria-label="the shares passed back along each edge"><table class="bpkit-table bpkit-gtable">
    <caption>Along each edge back to an operand (the chain rule: local derivative \u00D7 gradient, added to the operand's sum)</caption>
    <thead><tr><th scope="col">operand</th><th scope="col">local derivative</th><th scope="col">\u00D7 \u2202C/\u2202(this node)</th><th scope="col">= share</th><th scope="col">operand's sum so far</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

/** The layer view: the vector of the pass stepper this node's gradient is an entry of. */
function layerHtml(d, n, digits, table, marking, cfg) {
  const v = d.nodes[n], hit = groupOf(d, n);
  let html = "";
  if (hit) {
    const lv = d.layers[hit.g.name], q = bpPack(lv.value);
    html = `<p class="bpkit-gline">In the layer view this gradient is entry (${hit.r + 1}, ${hit.c + 1}) of ${bpMathml(table, hit.g.latex)}, computed by ${lv.equation} at step ${lv.step + 1} of the pass stepper:</p>
      <div class="bpkit-q" tabindex="0" role="region" aria-label="${bpEsc(hit.g.name)} as the pass stepper computes it">${bpMathml(table, hit.g.latex)}<span class="bpkit-eqsign">=</span>${bpMatrix(q, digits, [hit.r, hit.c])}</div>
      <button type="button" class="bpkit-btn" data-act-graph="mark" aria-pressed="${marking ? "true" : "false"}">${marking ? "Unmark" : "Mark"} the nodes of ${bpMathml(table, hit.g.latex)} in the graph</button>`;
  } else if (v.kind === "a" && v.layer < d.sizes.length && cfg && cfg.net) {
    const delta = d.layers[`delta^${v.layer + 1}`].value, wNext = cfg.net.weights[v.layer - 1];
    const entry = wNext.reduce((s, row, j) => s + row[v.j - 1] * delta[j][v.i - 1], 0);
    html = `<p class="bpkit-gline">The sum over this node's edges out, one into each neuron of layer ${v.layer + 1}, is entry ${v.j} of (w<sup>${v.layer + 1}</sup>)<sup>T</sup>\u03B4<sup>${v.layer + 1}</sup> in the layer view: ${bpFmt(entry, digits)}, the transpose in BP2.</p>`;
  }
  return html ? `<div class="bpkit-glayer"><div class="bpkit-group-h">The layer view</div>${html}</div>` : "";
}

function panelHtml(d, w, digits, table, names, marking, cfg) {
  const n = w.now.node, v = d.nodes[n];
  const made = v.parents.length ? ` = ${bpEsc(SYMBOL[v.op] || v.op)}(${v.parents.map(([p]) => nameHtml(d, p, table, names)).join(", ")})` : " (an input)";
  return `<div class="bpkit-gpanel">
    <p class="bpkit-ghead">${nameHtml(d, n, table, names)}${made} = ${bpFmt(v.data, digits)}</p>
    ${receivedHtml(d, w, n, digits, table, names)}${sendsHtml(d, w, digits, table, names)}${layerHtml(d, n, digits, table, marking, cfg)}</div>`;
}

/** Every step at once, for print: the node, its gradient and what it passes back. */
function printTable(d, digits, table, names) {
  const rows = d.steps.map((st, k) => {
    const sends = st.sends.map((e) => `${nameHtml(d, e.to, table, names)}: ${bpFmt(e.local, digits)} \u00D7 ${bpFmt(st.grad, digits)} = ${bpFmt(e.share, digits)} (sum ${bpFmt(e.sum, digits)})`).join("; ");
    return `<tr><td>${k + 1}</td><th scope="row">${nameHtml(d, st.node, table, names)}</th><td>${bpFmt(d.nodes[st.node].data, digits)}</td><td>${bpFmt(st.grad, digits)}</td><td class="bpkit-gsends">${sends || "(an input)"}</td></tr>`;
  }).join("");
  return `<table class="bpkit-table bpkit-gprint"><caption>The backward pass on the scalar graph, node by node, in reverse topological order</caption>
    <colgroup><col class="bpkit-gc-step"><col class="bpkit-gc-node"><col class="bpkit-gc-num"><col class="bpkit-gc-num"><col></colgroup>
    <thead><tr><th scope="col">step</th><th scope="col">node</th><th scope="col">value</th><th scope="col">\u2202C/\u2202node</th><th scope="col">passed back: local \u00D7 gradient = share (the operand's sum)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function render({ model, el }) {
  const uid = bpUid("graph");
  const opts = model.get("_options") || {};
  const names = opts.names || null;
  const maxNodes = opts.max_nodes || Infinity;
  const compute = (c) => graphView(c.net, c.x, c.y, maxNodes);
  const base = model.get("_base") || {};
  if (!(model.get("_data") || {}).steps && base.net) model.set("_data", compute(base)); // a static copy: the page builds the graph
  let ed = null, marking = false;
  const data = () => (ed ? ed.data() : model.get("_data"));
  const table = () => model.get("_mathml") || {};
  const stepper = new BpStepper(model, el, {
    cls: "bpkit-graph",
    label: "The backward pass on the scalar graph, one node at a time",
    title: () => model.get("title"),
    count: () => data().steps.length,
    phases: () => data().steps.map(() => "backward"),
    tip: (k) => `Step ${k + 1}: ${caption(data(), k)}`,
    caption: (k) => caption(data(), k),
    printTable: () => printTable(data(), model.get("digits"), table(), names),
    draw(k) {
      const d = data(), w = walk(d, k), digits = model.get("digits"), hit = groupOf(d, w.now.node);
      const marked = new Set(marking && hit ? hit.g.nodes.flat() : []);
      stepper.badge.textContent = "\u2190 Backward pass, node by node";
      stepper.root.dataset.phase = "backward";
      stepper.main.innerHTML = `
        <div class="bpkit-eq">${bpMathml(table(), CHAIN_RULE, true)}</div>
        <p class="bpkit-caption">${caption(d, k, (n) => nameHtml(d, n, table(), names))}</p>
        <div class="bpkit-net bpkit-gnet" tabindex="0" role="region" aria-label="the scalar graph">${drawGraph(d, w, marked, digits, uid)}</div>
        <p class="bpkit-note">Orange: the node reached and its edges back (each labelled \u00D7 its local derivative); dashed: the operands receiving a share (\u03A3 = their sum so far); shaded: the nodes already passed. Numbers rounded to ${digits} decimals.</p>
        ${panelHtml(d, w, digits, table(), names, marking, ed ? ed.cfg() : null)}`;
    },
  });
  stepper.root.addEventListener("click", (e) => {
    const b = e.target.closest("[data-act-graph]");
    if (!b) return;
    marking = !marking;
    stepper.refresh();
    const again = stepper.root.querySelector("[data-act-graph]");
    if (again) again.focus();
  });
  ed = bpEditable(model, stepper, {
    cls: "bpkit-graph", xName: "x", yName: "y", m: (base.x && base.x[0] ? base.x[0].length : 1), etaRequired: false,
    fixedBiases: false, compute, count: (d) => d.steps.length,
  });
  stepper.rebuild();
  return () => { stepper.cleanup(); ed.cleanup(); };
}

export default { render };
