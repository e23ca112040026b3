/* PassStepper: one forward and one backward pass of bpkit.trace, one step at a time.
 *
 * model: _data (the trace, see pass_stepper.py: pass_data), step (0-based), digits, title.
 * Everything drawn comes from the trace; this file computes no number of its own.
 */

/** Where a quantity of the trace lives in the drawing, from its name in the trace. */
function place(name, L) {
  let m;
  if (name === "x") return { at: "nodes", layer: 1 };
  if (name === "y") return { at: "target" };
  if (name === "C_x") return { at: "cost" };
  if (name === "nabla_a C") return { at: "nodes", layer: L };
  if ((m = /^(?:a|z|delta|dC\/db|b)\^(\d+)(?: new)?$/.exec(name))) return { at: "nodes", layer: Number(m[1]) };
  if ((m = /^sigma'\(z\^(\d+)\)$/.exec(name))) return { at: "nodes", layer: Number(m[1]) };
  if ((m = /^(?:w|dC\/dw)\^(\d+)(?: new)?$/.exec(name))) return { at: "edges", layer: Number(m[1]) };
  return null;
}

/** The marks of one step: for each place of the drawing, whether the step computes it ("now")
 * or only reads it ("uses"), the names to tag it with, and a column of values for its neurons. */
function marksOf(step, L) {
  const marks = new Map();
  const add = (q, role) => {
    const p = place(q.name, L);
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

function drawNetwork(data, target, step, digits, uid) {
  const L = data.sizes.length;
  const lay = bpLayout(data.sizes, data.shown, { padT: 72, padL: 50 });
  const R = 21;
  const marks = marksOf(step, L);
  const out = lay.layers[L - 1];
  const tx = out.x + 80, cx = out.x + 160; // the target column y and the cost C_x
  const W = cx + 44, H = lay.H;
  const back = step.phase === "backward";
  let s = `<svg class="bpkit-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" style="width: min(100%, ${W}px)" role="img" aria-label="${bpEsc(describe(data, marks))}">
    <defs>
      <marker id="${uid}-now" viewBox="0 0 10 10" refX="8.5" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,1 L10,5 L0,9 z" class="bpkit-arrow-now"/></marker>
      <marker id="${uid}-uses" viewBox="0 0 10 10" refX="8.5" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,1 L10,5 L0,9 z" class="bpkit-arrow-uses"/></marker>
    </defs>`;

  // A short tag above a marked place: what is computed there, else what is read there.
  const tag = (x, y, m) => {
    const names = (m.now.length ? m.now : m.uses).slice(0, 2);
    return `<text class="bpkit-tag bpkit-tag-${m.role}" x="${x}" y="${y}" text-anchor="middle">${names.map(bpSvgName).join(", ")}</text>`;
  };
  for (const layer of lay.layers) {
    const m = marks.get(`nodes${layer.l}`);
    if (!m) continue;
    const top = layer.nodes[0].y - R - 8, bottom = layer.nodes[layer.nodes.length - 1].y + R + 8;
    s += `<rect class="bpkit-band bpkit-band-${m.role}" x="${layer.x - R - 10}" y="${top}" width="${2 * R + 20}" height="${bottom - top}" rx="14"/>`;
  }

  // Edges: the weights w^l_jk between drawn neurons; the marked ones thicker, with arrows
  // pointing the way the step goes (backwards in the backward pass).
  for (let l = 2; l <= L; l += 1) {
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

  // Neurons, with the values of the marked column written in them.
  for (const layer of lay.layers) {
    const m = marks.get(`nodes${layer.l}`);
    for (const node of layer.nodes) {
      if (node.j === null) {
        s += `<text class="bpkit-vgap" x="${node.x}" y="${node.y + 7}" text-anchor="middle">\u22EE</text>`;
        continue;
      }
      const v = m && m.values ? bpAt(m.values, node.j - 1, 0) : undefined;
      s += `<g class="bpkit-neuron${m ? " is-" + m.role : ""}" data-layer="${layer.l}" data-j="${node.j}">
        <circle cx="${node.x}" cy="${node.y}" r="${R}"/>
        ${v === undefined ? "" : `<text class="bpkit-nodeval" x="${node.x}" y="${node.y + 4}" text-anchor="middle">${bpFmt(v, digits)}</text>`}
      </g>`;
    }
    if (m) s += tag(layer.x, 36, m);
    const kind = layer.l === 1 ? "input" : layer.l === L ? "output" : "hidden";
    s += `<text class="bpkit-llabel" x="${layer.x}" y="${H - 24}" text-anchor="middle">layer ${layer.l}</text>`;
    s += `<text class="bpkit-lsub" x="${layer.x}" y="${H - 9}" text-anchor="middle">${kind}${layer.nodes.length < layer.n ? `, ${layer.n} neurons` : ""}</text>`;
  }

  // The target y beside the output layer, and the cost C_x.
  const mt = marks.get("target"), mc = marks.get("cost");
  out.nodes.forEach((node) => {
    if (node.j === null) {
      s += `<text class="bpkit-vgap" x="${tx}" y="${node.y + 7}" text-anchor="middle">\u22EE</text>`;
      return;
    }
    const yv = bpAt(target, node.j - 1, 0);
    s += `<g class="bpkit-target${mt ? " is-" + mt.role : ""}"><rect x="${tx - 25}" y="${node.y - 14}" width="50" height="28" rx="5"/>
      <text class="bpkit-nodeval" x="${tx}" y="${node.y + 4}" text-anchor="middle">${yv === undefined ? "" : bpFmt(yv, digits)}</text></g>`;
  });
  s += `<text class="bpkit-llabel" x="${tx}" y="${H - 24}" text-anchor="middle">target</text>`;
  if (mt) s += tag(tx, 36, mt);
  const cy = (out.nodes[0].y + out.nodes[out.nodes.length - 1].y) / 2;
  const cv = mc && mc.values ? bpFmt(bpAt(mc.values, 0, 0), digits) : "C";
  s += `<g class="bpkit-cost${mc ? " is-" + mc.role : ""}"><rect x="${cx - 30}" y="${cy - 17}" width="60" height="34" rx="17"/>
    <text class="bpkit-nodeval" x="${cx}" y="${cy + 4}" text-anchor="middle">${cv}</text></g>`;
  s += `<text class="bpkit-llabel" x="${cx}" y="${H - 24}" text-anchor="middle">cost</text>`;
  if (mc) s += tag(cx, 16, mc);
  return s + "</svg>";
}

/** A sentence for screen readers saying what the drawing shows at this step. */
function describe(data, marks) {
  const parts = [];
  for (const m of marks.values()) {
    const where = m.at === "nodes" ? `layer ${m.layer}` : m.at === "edges" ? `the weights into layer ${m.layer}` : m.at === "target" ? "the target y" : "the cost";
    if (m.now.length) parts.push(`${where} computes ${m.now.join(", ")}`);
    if (m.uses.length) parts.push(`${where} is read (${m.uses.join(", ")})`);
  }
  return `Network with layers of ${data.sizes.join(", ")} neurons; ${parts.join("; ")}.`;
}

function render({ model, el }) {
  const uid = bpUid("pass");
  const data = () => model.get("_data");
  const stepper = bpStepper(model, el, {
    cls: "bpkit-pass",
    label: "Backpropagation, one step at a time",
    title: () => model.get("title"),
    count: () => data().steps.length,
    phases: () => data().steps.map((s) => s.phase),
    tip: (k) => `Step ${k + 1}: ${data().steps[k].caption}`,
    draw(k) {
      const d = data(), st = d.steps[k], digits = model.get("digits");
      stepper.badge.textContent = BP_PHASE_TEXT[st.phase] || st.phase;
      stepper.root.dataset.phase = st.phase;
      const eqTag = /^BP\d$/.test(st.equation) ? `<span class="bpkit-eqtag">${st.equation}</span>` : "";
      const group = (role, word, qs) => qs.length ? `<div class="bpkit-group bpkit-group-${role}">
          <div class="bpkit-group-h">${bpSwatch(role === "out" ? "now" : "uses")}${word}</div>
          <div class="bpkit-qs">${qs.map((q) => bpQuantity(q, digits, role)).join("")}</div></div>` : "";
      stepper.main.innerHTML = `
        <div class="bpkit-eqline">${eqTag}<div class="bpkit-eq">${st.mathml}</div></div>
        <p class="bpkit-caption">${st.caption_html}</p>
        <div class="bpkit-net">${drawNetwork(d, findTarget(d), st, digits, uid)}</div>
        <div class="bpkit-values">${group("in", "uses", st.inputs)}${group("out", "computes", st.outputs)}</div>
        <p class="bpkit-note">Numbers rounded to ${digits} decimals.</p>`;
    },
  });
  stepper.rebuild();
  return stepper.cleanup;
}

/** The target y, as the cost step records it (the first step that reads y). */
function findTarget(d) {
  for (const st of d.steps) for (const q of st.inputs) if (q.name === "y") return q;
  return { shape: [0, 1], r: [], c: [], v: [] };
}

export default { render };
