/* page/network_drawing.js: a network drawn as SVG: where the neurons sit (bpLayout), lines
 * that stop at the circles (bpSegment), and the steppers' drawing of one step of a trace
 * (bpDrawNetwork): the layer being computed and the values feeding it marked, values written
 * inside the neurons, the target y and the cost beside the output layer. */

import { bpEsc, bpFmt, bpWords } from "./dom.js";
import { bpAt } from "./matrix_view.js";

/** Where the neurons of a network are drawn. `shown[i]` lists the 0-based neurons of layer
 * i+1 that are drawn (all, or the first and last few); a gap slot (j = null) marks the rest. */
export function bpLayout(sizes, shown, o = {}) {
  const gap = o.gap || (sizes.length <= 4 ? 150 : 118);
  const row = o.row || 54;
  const padL = o.padL ?? 64, padR = o.padR ?? 64, padT = o.padT ?? 60, padB = o.padB ?? 64;
  const slots = shown.map((idx) => {
    const out = [];
    idx.forEach((j, i) => {
      if (i > 0 && j !== idx[i - 1] + 1) out.push(null);
      out.push(j);
    });
    return out;
  });
  const tallest = Math.max(...slots.map((s) => s.length));
  const W = padL + (sizes.length - 1) * gap + padR;
  const H = padT + (tallest - 1) * row + padB;
  const layers = slots.map((s, i) => {
    const x = padL + i * gap;
    const top = padT + ((tallest - s.length) * row) / 2;
    return { l: i + 1, n: sizes[i], x, nodes: s.map((j, k) => ({ j: j === null ? null : j + 1, x, y: top + k * row })) };
  });
  return { W, H, layers, row, gap, padT, padB, tallest };
}

/** The ends of a line between two circles of radius r (so it stops at their edges). */
export function bpSegment(a, b, r, r2 = r) {
  const dx = b.x - a.x, dy = b.y - a.y, d = Math.hypot(dx, dy) || 1;
  return [a.x + (dx * r) / d, a.y + (dy * r) / d, b.x - (dx * r2) / d, b.y - (dy * r2) / d];
}

/** SVG text for a trace name: "a^2" → a², "delta^3" → δ³, "dC/dw^3" → ∂C/∂w³, "w^3 new" → new w³. */
export function bpSvgName(name) {
  let s = name, prefix = "";
  if (s.endsWith(" new")) { prefix = "new "; s = s.slice(0, -4); }
  s = s.replace("delta", "\u03B4").replace("sigma'", "\u03C3\u2032").replace("dC/d", "\u2202C/\u2202").replace("nabla_a C", "\u2207\u2090C");
  const parts = s.split(/\^(\d+)/);
  let out = bpEsc(prefix);
  parts.forEach((p, i) => {
    out += i % 2 ? `<tspan class="bpkit-sup" dy="-5">${p}</tspan><tspan dy="5">\u200B</tspan>` : bpEsc(p);
  });
  return out;
}

/** Where a quantity of the trace lives in the drawing, from its name in the trace. */
export function bpPlace(name, L) {
  let m;
  if (name === "x") return { at: "nodes", layer: 1 };
  if (name === "y") return { at: "target" };
  if (name === "C_x") return { at: "cost" };
  if (name === "nabla_a C") return { at: "nodes", layer: L };
  if ((m = /^(?:a|z|delta|dC\/db|b|Delta b)\^(\d+)(?: new)?$/.exec(name))) return { at: "nodes", layer: Number(m[1]) };
  if ((m = /^sigma'\(z\^(\d+)\)$/.exec(name))) return { at: "nodes", layer: Number(m[1]) };
  if ((m = /^(?:w|dC\/dw|Delta w)\^(\d+)(?: new)?$/.exec(name))) return { at: "edges", layer: Number(m[1]) };
  return null;
}

/** The marks of one step: for each place of the drawing, whether the step computes it ("now")
 * or only reads it ("uses"), the names to tag it with, and a column of values for its neurons. */
export function bpMarks(step, L) {
  const marks = new Map();
  const add = (q, role) => {
    const p = bpPlace(q.name, L);
    if (!p) return;
    const key = p.at === "nodes" || p.at === "edges" ? `${p.at}${p.layer}` : p.at;
    const m = marks.get(key) || { ...p, role, now: [], uses: [], values: null, valuesRole: null };
    if (role === "now") m.role = "now";
    if (!m[role].includes(q.name)) m[role].push(q.name);
    if (q.shape[1] === 1 && (m.values === null || (role === "now" && m.valuesRole !== "now"))) {
      m.values = q;
      m.valuesRole = role;
    }
    marks.set(key, m);
  };
  step.outputs.forEach((q) => add(q, "now"));
  step.inputs.forEach((q) => add(q, "uses"));
  return marks;
}

/** A sentence for screen readers saying what the drawing shows at this step. */
export function bpDescribe(data, marks) {
  const parts = [];
  for (const m of marks.values()) {
    const where = m.at === "nodes" ? `layer ${m.layer}` : m.at === "edges" ? `the weights into layer ${m.layer}` : m.at === "target" ? "the target y" : "the cost";
    if (m.now.length) parts.push(`${where} computes ${m.now.map(bpWords).join(", ")}`);
    if (m.uses.length) parts.push(`${where} is read (${m.uses.map(bpWords).join(", ")})`);
  }
  return `Network with layers of ${data.sizes.join(", ")} neurons; ${parts.join("; ")}.`;
}

// ---- The steppers' drawing, in pieces --------------------------------------------------------

/** Width in px of a value written at `digits` decimals in the neurons' 10.5 px monospace font
 * (a sign, a leading digit, the point: digits + 3 characters of 0.61 em). */
export function bpValueWidth(digits) {
  return (digits + 3) * 10.5 * 0.61;
}

/** The radius that holds the value (and a name above it) inside the circle: the text's half
 * width and its height away from the centre must lie within the circle, with a margin. */
export function bpNeuronRadius(digits, named) {
  const half = bpValueWidth(digits) / 2 + 3;
  const dy = named ? 10 + 4 : 4 + 4; // the baseline offset of the value and the glyph height
  return Math.max(21, Math.ceil(Math.hypot(half, dy)));
}

/** A short tag above a marked place: what is computed there, else what is read there. */
function tag(x, y, m) {
  const names = (m.now.length ? m.now : m.uses).slice(0, 2);
  return `<text class="bpkit-tag bpkit-tag-${m.role}" x="${x}" y="${y}" text-anchor="middle">${names.map(bpSvgName).join(", ")}</text>`;
}

function bandsSvg(lay, marks, R) {
  let s = "";
  for (const layer of lay.layers) {
    const m = marks.get(`nodes${layer.l}`);
    if (!m) continue;
    const top = layer.nodes[0].y - R - 8, bottom = layer.nodes[layer.nodes.length - 1].y + R + 8;
    s += `<rect class="bpkit-band bpkit-band-${m.role}" x="${layer.x - R - 10}" y="${top}" width="${2 * R + 20}" height="${bottom - top}" rx="14"/>`;
  }
  return s;
}

/** The weights w^l_jk between drawn neurons; the marked ones thicker, with arrows pointing the
 * way the step goes (backwards in the backward pass). */
function edgesSvg(lay, marks, R, back, uid) {
  let s = "";
  for (let l = 2; l <= lay.layers.length; l += 1) {
    const m = marks.get(`edges${l}`);
    const from = lay.layers[l - 2].nodes.filter((n) => n.j !== null);
    const to = lay.layers[l - 1].nodes.filter((n) => n.j !== null);
    for (const a of from) {
      for (const b of to) {
        if (m) {
          const [x1, y1, x2, y2] = back ? bpSegment(b, a, R + 2, R + 3) : bpSegment(a, b, R + 2, R + 3);
          s += `<line class="bpkit-edge is-${m.role}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#${uid}-${m.role})"/>`;
        } else {
          const [x1, y1, x2, y2] = bpSegment(a, b, R, R);
          s += `<line class="bpkit-edge" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/>`;
        }
      }
    }
    if (m) s += tag((lay.layers[l - 2].x + lay.layers[l - 1].x) / 2, 16, m);
  }
  return s;
}

/** The neurons, with the values of the marked column written in them, and the layer labels. */
function neuronsSvg(lay, marks, R, digits, H, neuronName) {
  const L = lay.layers.length;
  let s = "";
  for (const layer of lay.layers) {
    const m = marks.get(`nodes${layer.l}`);
    for (const node of layer.nodes) {
      if (node.j === null) {
        s += `<text class="bpkit-vgap" x="${node.x}" y="${node.y + 7}" text-anchor="middle">\u22EE</text>`;
        continue;
      }
      const v = m && m.values ? bpAt(m.values, node.j - 1, 0) : undefined;
      const nn = neuronName(layer.l, node.j);
      s += `<g class="bpkit-neuron${m ? " is-" + m.role : ""}" data-layer="${layer.l}" data-j="${node.j}">
        <circle cx="${node.x}" cy="${node.y}" r="${R}"/>
        ${nn ? `<text class="bpkit-nname" x="${node.x}" y="${node.y - (v === undefined ? -5 : 7)}" text-anchor="middle">${bpEsc(nn)}</text>` : ""}
        ${v === undefined ? "" : `<text class="bpkit-nodeval" x="${node.x}" y="${node.y + (nn ? 10 : 4)}" text-anchor="middle">${bpFmt(v, digits)}</text>`}
      </g>`;
    }
    if (m) s += tag(layer.x, 36, m);
    const kind = layer.l === 1 ? "input" : layer.l === L ? "output" : "hidden";
    s += `<text class="bpkit-llabel" x="${layer.x}" y="${H - 24}" text-anchor="middle">layer ${layer.l}</text>`;
    s += `<text class="bpkit-lsub" x="${layer.x}" y="${H - 9}" text-anchor="middle">${kind}${layer.nodes.length < layer.n ? `, ${layer.n} neurons` : ""}</text>`;
  }
  return s;
}

/** The target y beside the output layer, and the cost C_x. */
function targetAndCostSvg(lay, marks, target, R, digits, H, geo, costName) {
  const out = lay.layers[lay.layers.length - 1], { tx, cx } = geo;
  const mt = marks.get("target"), mc = marks.get("cost");
  let s = "";
  out.nodes.forEach((node) => {
    if (node.j === null) {
      s += `<text class="bpkit-vgap" x="${tx}" y="${node.y + 7}" text-anchor="middle">\u22EE</text>`;
      return;
    }
    const yv = bpAt(target, node.j - 1, 0);
    s += `<g class="bpkit-target${mt ? " is-" + mt.role : ""}"><rect x="${tx - R - 4}" y="${node.y - 14}" width="${2 * R + 8}" height="28" rx="5"/>
      <text class="bpkit-nodeval" x="${tx}" y="${node.y + 4}" text-anchor="middle">${yv === undefined ? "" : bpFmt(yv, digits)}</text></g>`;
  });
  s += `<text class="bpkit-llabel" x="${tx}" y="${H - 24}" text-anchor="middle">target</text>`;
  if (mt) s += tag(tx, 36, mt);
  const cy = (out.nodes[0].y + out.nodes[out.nodes.length - 1].y) / 2;
  const cv = mc && mc.values ? bpFmt(bpAt(mc.values, 0, 0), digits) : "C";
  s += `<g class="bpkit-cost${mc ? " is-" + mc.role : ""}"><rect x="${cx - R - 9}" y="${cy - 17}" width="${2 * R + 18}" height="34" rx="17"/>
    <text class="bpkit-nodeval" x="${cx}" y="${cy + 4}" text-anchor="middle">${cv}</text></g>`;
  s += `<text class="bpkit-llabel" x="${cx}" y="${H - 24}" text-anchor="middle">${bpEsc(costName || "cost")}</text>`;
  if (mc) s += tag(cx, 16, mc);
  return s;
}

/** The network at one step of a trace: data = {sizes, shown}, target = the packed y, step =
 * {phase, inputs, outputs}; o.neurons names the neurons (Mazur's h1, o1), o.costName the cost. */
export function bpDrawNetwork(data, target, step, digits, uid, o = {}) {
  const L = data.sizes.length;
  const R = bpNeuronRadius(digits, Boolean(o.neurons));
  const lay = bpLayout(data.sizes, data.shown, { padT: R + 52, padB: R + 44, padL: 50 + (R - 21), padR: 64, row: Math.max(54, 2 * R + 14), gap: Math.max(data.sizes.length <= 4 ? 150 : 118, 2 * R + 96) });
  const marks = bpMarks(step, L);
  const out = lay.layers[L - 1];
  const tx = out.x + R + 59, cx = tx + 40 + R * 1.6; // the target column y and the cost C_x
  const W = cx + 30 + R, H = lay.H;
  const neuronName = (l, j) => (o.neurons && o.neurons[l - 1] ? o.neurons[l - 1][j - 1] : null);
  // Never narrower than 420 px (the numbers stay legible on a phone; .bpkit-net then scrolls).
  return `<svg class="bpkit-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" style="width: min(100%, ${W}px); min-width: min(${W}px, 420px)" role="img" aria-label="${bpEsc(bpDescribe(data, marks))}">
    <defs>
      <marker id="${uid}-now" viewBox="0 0 10 10" refX="8.5" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,1 L10,5 L0,9 z" class="bpkit-arrow-now"/></marker>
      <marker id="${uid}-uses" viewBox="0 0 10 10" refX="8.5" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,1 L10,5 L0,9 z" class="bpkit-arrow-uses"/></marker>
    </defs>${bandsSvg(lay, marks, R)}${edgesSvg(lay, marks, R, step.phase === "backward", uid)}${neuronsSvg(lay, marks, R, digits, H, neuronName)}${targetAndCostSvg(lay, marks, target, R, digits, H, { tx, cx }, o.costName)}</svg>`;
}
