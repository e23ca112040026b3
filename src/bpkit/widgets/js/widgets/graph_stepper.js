/* GraphStepper: the backward pass on the scalar graph of a network, one node at a time.
 *
 * model: _data (graph_stepper.py: graph_view, i.e. bpkit.autodiff.record.graph_data plus the
 * layer view), step (0-based), digits, title, _base ({net, x, y, eta}), _mathml, _options
 * ({names, max_nodes, key, editable, pass_stepper: {href, text} for the layer view's link}). The
 * static copy embeds no graph: the page builds it from _base with js/autodiff/ (held to
 * bpkit.autodiff by a parity test), as it does for an edit.
 */

import { adGraphData } from "../autodiff/network_graph.js";
import { bpTrace } from "../engine/trace.js";
import { bpEsc, bpFmt, bpUid } from "../page/dom.js";
import { bpEditable } from "../page/explore.js";
import { bpMathml } from "../page/mathml.js";
import { bpMatrix, bpPack } from "../page/matrix_view.js";
import { BpStepper } from "../page/stepper.js";

const LAYER_VIEW = ["delta^", "dC/db^", "dC/dw^"];
const CHAIN_RULE = String.raw`\frac{\partial C}{\partial u} = \sum\nolimits_{v:\; u \to v} \frac{\partial \varphi_v}{\partial u}\,\frac{\partial C}{\partial v}`;
const GEO = { gap: 76, row: 66, r: 15, padL: 44, padR: 44, padT: 40, padB: 34 };
const LABEL = { font: 12, char: 0.61, h: 15 }; // the numbers' labels: 12 px monospace, a digit 0.61 em wide

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
  return `${name(st.node)} has received a share from every operation that uses it; it passes its gradient back along ${v.parents.length === 1 ? "one edge, multiplied by the edge's local derivative" : `${v.parents.length} edges, multiplied on each by that edge's local derivative`}.`;
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

function edgesSvg(d, w, geo, uid) {
  const R = GEO.r, now = w.now.node;
  let plain = "", hot = "";
  d.nodes.forEach((v, n) => v.parents.forEach(([p]) => {
    const a = geo.at(d.nodes[p]), b = geo.at(v);
    if (n === now) {
      const [x1, y1, x2, y2] = segment(b, a, R + 1, R + 4);
      hot += `<line class="bpkit-gedge is-now" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#${uid}-now)"/>`;
    } else {
      const [x1, y1, x2, y2] = segment(a, b, R, R + 3);
      plain += `<line class="bpkit-gedge" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#${uid}-fwd)"/>`;
    }
  }));
  return plain + hot;
}

function nodesSvg(d, w, geo, marked) {
  const R = GEO.r, now = w.now.node, parents = new Set(d.nodes[now].parents.map(([p]) => p));
  let s = "";
  d.nodes.forEach((v, n) => {
    const { x, y } = geo.at(v);
    const state = n === now ? " is-now" : parents.has(n) ? " is-uses" : w.done.has(n) ? " is-done" : "";
    const inside = v.parents.length ? SYMBOL[v.op] || v.op : v.kind === "constant" ? String(v.data) : "";
    s += `<g class="bpkit-gnode bpkit-gk-${v.kind}${state}${marked.has(n) ? " is-group" : ""}" data-node="${n}">
      <circle cx="${x}" cy="${y}" r="${v.kind === "constant" ? R - 4 : R}"/>
      ${inside ? `<text class="bpkit-gop" x="${x}" y="${y + 4}" text-anchor="middle">${bpEsc(inside)}</text>` : ""}
      ${NAMED.has(v.kind) ? `<text class="bpkit-gname" x="${x}" y="${y + R + 13}" text-anchor="middle">${svgName(v.name)}</text>` : ""}</g>`;
  });
  return s;
}

// ---- The numbers on the drawing: placed so that none covers another, a node or a name ------

const overlaps = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
const boxAt = (cx, cy, w, h) => ({ x1: cx - w / 2, x2: cx + w / 2, y1: cy - h / 2, y2: cy + h / 2 });

/** What the labels should not cover, each with its weight: a node of this step (the one reached,
 * its operands) 5, a name 3, any other node 1. */
function obstacles(d, geo, involved) {
  const R = GEO.r, out = [];
  d.nodes.forEach((v, n) => {
    const { x, y } = geo.at(v);
    out.push({ ...boxAt(x, y, 2 * R, 2 * R), weight: involved.has(n) ? 5 : 1 });
    if (NAMED.has(v.kind)) {
      const m = /^([A-Za-z]+)(?:\^(\d+))?(?:_([\d,]+))?(.*)$/.exec(v.name) || ["", v.name, "", "", ""];
      const wide = 7.5 * m[1].length + 6 * Math.max((m[2] || "").length, (m[3] || "").length) + 7 * (m[4] || "").length;
      out.push({ x1: x - wide / 2 - 1, x2: x + wide / 2 + 1, y1: y + R + 1, y2: y + R + 19, weight: 3 });
    }
  });
  return out;
}

/** The share of box b that box a covers (0 to 1). */
function covered(a, b) {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  return w > 0 && h > 0 ? (w * h) / ((b.x2 - b.x1) * (b.y2 - b.y1)) : 0;
}

/** Place each label at the first of its spots that covers nothing: no label placed before it,
 * no node or name (obstacles, by weight), nothing outside the drawing; if every spot covers
 * something, at the spot that covers least (weight × the share of it covered; a label 10). */
function placeLabels(labels, fixed, W, H) {
  const placed = [];
  for (const lab of labels) {
    const w = lab.text.length * LABEL.char * LABEL.font + 4;
    let best = null, least = Infinity;
    for (const [cx, cy] of lab.spots) {
      const box = boxAt(cx, cy, w, LABEL.h);
      let cost = box.x1 < 0 || box.y1 < 0 || box.x2 > W || box.y2 > H ? 10 : 0;
      for (const o of fixed) cost += o.weight * covered(box, o);
      for (const o of placed) cost += covered(box, o.box) > 0 ? 10 : 0;
      if (cost < least) { best = box; least = cost; }
      if (cost === 0) break;
    }
    placed.push({ ...lab, box: best });
  }
  return placed;
}

/** A number on the drawing: rounded to the figure's decimals, its trailing zeros dropped (\u00D71,
 * \u00D70.5), so that it fits between two nodes; the panel gives every digit. */
const short = (v, digits) => bpFmt(v, digits).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");

/** The numbers of step k: above the node reached, its gradient; above each operand, its sum so
 * far (the rows leave room for them; shifted sideways if it meets the gradient's label); on each
 * edge back, its local derivative, placed where it covers least. */
function labelsSvg(d, w, geo, digits) {
  const R = GEO.r, now = w.now.node, at = geo.at(d.nodes[now]);
  const above = ({ x, y }, shifts = [0]) => shifts.map((dx) => [x + dx, y - R - 9]);
  const edges = [], sums = [];
  for (const [p, local] of d.nodes[now].parents) {
    const b = geo.at(d.nodes[p]), along = (t, dy) => [at.x + (b.x - at.x) * t, at.y + (b.y - at.y) * t + dy];
    sums.push({ cls: "is-uses", text: `\u03A3 ${short(w.sum[p], digits)}`, spots: above(b, [0, -6, -12, 6, 12]) });
    edges.push({ cls: "is-local", text: `\u00D7${short(local, digits)}`, spots: [0, -9, 9, -18, 18].flatMap((dy) => [0.5, 0.4, 0.6, 0.3, 0.7].map((t) => along(t, dy))) });
  }
  const labels = [{ cls: "is-now", text: short(w.now.grad, digits), spots: above(at) }, ...sums, ...edges];
  const involved = new Set([now, ...d.nodes[now].parents.map(([p]) => p)]);
  return placeLabels(labels, obstacles(d, geo, involved), geo.W, geo.H).map((l) => {
    const { x1, y1, x2, y2 } = l.box;
    return `<g class="bpkit-glabel ${l.cls}"><rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" rx="3"/>
      <text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 + 0.36 * LABEL.font}" text-anchor="middle">${bpEsc(l.text)}</text></g>`;
  }).join("");
}

function drawGraph(d, w, marked, digits, uid) {
  const geo = geometry(d), v = d.nodes[w.now.node];
  const label = `The scalar graph, ${d.nodes.length} nodes. The backward pass is at ${plainName(v)}, gradient ${bpFmt(w.now.grad, digits)}`
    + (v.parents.length ? `, passing it back to ${v.parents.map(([p]) => plainName(d.nodes[p])).join(", ")}.` : ".");
  return `<svg class="bpkit-svg bpkit-gsvg" viewBox="0 0 ${geo.W} ${geo.H}" width="${geo.W}" height="${geo.H}" style="width: min(100%, ${geo.W}px); min-width: min(${geo.W}px, 640px)" role="img" aria-label="${bpEsc(label)}">
    <defs>
      <marker id="${uid}-now" viewBox="0 0 10 10" refX="8.5" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,1 L10,5 L0,9 z" class="bpkit-arrow-now"/></marker>
      <marker id="${uid}-fwd" viewBox="0 0 10 10" refX="8.5" refY="5" markerWidth="4.5" markerHeight="4.5" orient="auto"><path d="M0,1 L10,5 L0,9 z" class="bpkit-garrow"/></marker>
    </defs>${edgesSvg(d, w, geo, uid)}${nodesSvg(d, w, geo, marked)}${labelsSvg(d, w, geo, digits)}</svg>`;
}

/** Scroll the drawing (when it is wider than its box, on a phone) so that the node reached is in
 * view, keeping the scroll it had when the node already is. */
function reveal(box, d, node, left) {
  const svg = box.querySelector("svg"), geo = geometry(d);
  box.scrollLeft = left;
  if (box.scrollWidth <= box.clientWidth + 1) return;
  const x = (geo.at(d.nodes[node]).x * svg.getBoundingClientRect().width) / geo.W, margin = 70;
  if (x - margin < box.scrollLeft || x + margin > box.scrollLeft + box.clientWidth) box.scrollLeft = x - box.clientWidth / 2;
}

// ---- The numbers beside it -------------------------------------------------------------------

function receivedHtml(d, w, n, digits, table, names) {
  const v = d.nodes[n];
  if (n === d.nodes.length - 1) return `<p class="bpkit-gline bpkit-gsum" data-grad="${n}">It is the cost itself: \u2202C/\u2202C = ${bpFmt(1, digits)}, where every backward pass starts.</p>`;
  const got = w.received[n];
  const terms = got.map((r) => `<li>from ${nameHtml(d, r.from, table, names)}: ${bpFmt(r.share, digits)}</li>`).join("");
  return `<p class="bpkit-gline">It is used by ${got.length === 1 ? "one operation, which passed back its share; that share is its gradient" : `${got.length} operations; each passed back its share, and the sum of the shares is its gradient`}:</p>
    <ul class="bpkit-gshares">${terms}</ul>
    <p class="bpkit-gline bpkit-gsum" data-grad="${n}">\u2202C/\u2202${v.name ? nameHtml(d, n, table, names) : "(this node)"} = ${bpFmt(w.now.grad, digits)}${v.parents.length ? "" : " (final: an input has no edge back)"}</p>`;
}

function sendsHtml(d, w, digits, table, names) {
  const st = w.now;
  if (!st.sends.length) return "";
  const rows = st.sends.map((e) => `<tr><th scope="row">${nameHtml(d, e.to, table, names)}</th><td>${bpFmt(e.local, digits)}</td>
    <td>${bpFmt(st.grad, digits)}</td><td>${bpFmt(e.share, digits)}</td><td>${bpFmt(e.sum, digits)}</td></tr>`).join("");
  return `<p class="bpkit-gcap">Along each edge back to an operand (the chain rule: local derivative \u00D7 gradient, added to the operand's sum):</p>
    <div class="bpkit-scroll" tabindex="0" role="region" aria-label="the shares passed back along each edge"><table class="bpkit-table bpkit-gtable">
    <thead><tr><th scope="col">operand</th><th scope="col">local derivative</th><th scope="col">\u00D7 \u2202C/\u2202(this node)</th><th scope="col">= share</th><th scope="col">operand's sum so far</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

/** "step k of the pass stepper", a link to the page that shows it when the page gives one (the
 * static book: options.pass_stepper = {href, text}). */
function passStepperHtml(step, link) {
  return link && link.href ? `<a href="${bpEsc(link.href)}">step ${step} of ${bpEsc(link.text)}</a>` : `step ${step} of the pass stepper`;
}

/** The layer view: the vector or matrix of the pass stepper this node's gradient is an entry of. */
function layerHtml(d, n, digits, table, marking, cfg, link) {
  const v = d.nodes[n], hit = groupOf(d, n);
  let html = "";
  if (hit) {
    const lv = d.layers[hit.g.name], q = bpPack(lv.value);
    html = `<p class="bpkit-gline">In the layer view this gradient is entry (${hit.r + 1}, ${hit.c + 1}) of ${bpMathml(table, hit.g.latex)}, computed by ${lv.equation} at ${passStepperHtml(lv.step + 1, link)}:</p>
      <div class="bpkit-q" tabindex="0" role="region" aria-label="${bpEsc(hit.g.name)} as the pass stepper computes it">${bpMathml(table, hit.g.latex)}<span class="bpkit-eqsign">=</span>${bpMatrix(q, digits, [hit.r, hit.c])}</div>
      <button type="button" class="bpkit-btn" data-act-graph="mark" aria-pressed="${marking ? "true" : "false"}">${marking ? "Unmark" : "Mark"} the nodes of ${bpMathml(table, hit.g.latex)} in the graph</button>`;
  } else if (v.kind === "a" && v.layer < d.sizes.length && cfg && cfg.net) {
    const delta = d.layers[`delta^${v.layer + 1}`].value, wNext = cfg.net.weights[v.layer - 1];
    const entry = wNext.reduce((s, row, j) => s + row[v.j - 1] * delta[j][v.i - 1], 0);
    html = `<p class="bpkit-gline">The sum over this node's edges out, one into each neuron of layer ${v.layer + 1}, is entry ${v.j} of (w<sup>${v.layer + 1}</sup>)<sup>T</sup>\u03B4<sup>${v.layer + 1}</sup> in the layer view: ${bpFmt(entry, digits)}, the transpose in BP2.</p>`;
  }
  return html ? `<div class="bpkit-glayer"><div class="bpkit-group-h">The layer view</div>${html}</div>` : "";
}

function panelHtml(d, w, digits, table, names, marking, cfg, link) {
  const n = w.now.node, v = d.nodes[n];
  const made = v.parents.length ? ` = ${bpEsc(SYMBOL[v.op] || v.op)}(${v.parents.map(([p]) => nameHtml(d, p, table, names)).join(", ")})` : " (an input)";
  return `<div class="bpkit-gpanel">
    <p class="bpkit-ghead">${nameHtml(d, n, table, names)}${made} = ${bpFmt(v.data, digits)}</p>
    ${receivedHtml(d, w, n, digits, table, names)}${sendsHtml(d, w, digits, table, names)}${layerHtml(d, n, digits, table, marking, cfg, link)}</div>`;
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
  const link = model.isStatic ? opts.pass_stepper || null : null; // a page of the book: only in the book
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
      const before = stepper.main.querySelector(".bpkit-gnet"), left = before ? before.scrollLeft : 0;
      stepper.badge.textContent = "\u2190 Backward pass, node by node";
      stepper.root.dataset.phase = "backward";
      const ring = marked.size ? `; purple dotted rings: the nodes of ${bpMathml(table(), hit.g.latex)} (the layer view's Mark)` : "";
      stepper.main.innerHTML = `
        <div class="bpkit-eq">${bpMathml(table(), CHAIN_RULE, true)}</div>
        <p class="bpkit-caption">${caption(d, k, (n) => nameHtml(d, n, table(), names))}</p>
        <div class="bpkit-net bpkit-gnet" tabindex="0" role="region" aria-label="the scalar graph">${drawGraph(d, w, marked, digits, uid)}</div>
        <p class="bpkit-note">Orange: the node reached, its gradient, and its edges back, each labelled \u00D7 its local derivative; dashed: the operands receiving a share (\u03A3 = their sum so far); shaded: the nodes already passed${ring}. Numbers rounded to ${digits} decimals (on the drawing without trailing zeros).</p>
        ${panelHtml(d, w, digits, table(), names, marking, ed ? ed.cfg() : null, link)}`;
      reveal(stepper.main.querySelector(".bpkit-gnet"), d, w.now.node, left);
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
