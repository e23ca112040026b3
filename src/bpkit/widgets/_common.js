/* bpkit widgets: helpers shared by every widget.
 *
 * bpkit/widgets/_base.py puts this file in front of each widget's own file, so that each
 * widget is still ONE ES module: anywidget loads it live in Jupyter, and the static HTML copy
 * of the book inlines it in a <script type="module"> (its own scope: several widgets on one
 * page never share a name). Plain DOM only: no import, no network, no URL.
 *
 * The model is either the live anywidget model or bpStaticModel(state) below; the widgets use
 * only model.get, model.set, model.on, model.off and model.save_changes.
 */

const BP_MINUS = "\u2212";
const BP_PHASE_TEXT = {
  forward: "Forward pass \u2192",
  cost: "Cost",
  backward: "\u2190 Backward pass",
  update: "Update",
  accumulate: "Accumulate",
};

/** Small icons for the buttons (drawn, so they do not depend on the fonts installed). */
const BP_ICON = {
  reset: '<path d="M13.2 9.2A5.4 5.4 0 1 1 11.6 4" fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round"/><path d="M13.6 1.6v4.2H9.4z" fill="currentColor"/>',
  prev: '<path d="M11.5 2.5 4.5 8l7 5.5z" fill="currentColor"/>',
  next: '<path d="M4.5 2.5 11.5 8l-7 5.5z" fill="currentColor"/>',
  play: '<path d="M4 2.2 13.5 8 4 13.8z" fill="currentColor"/>',
  pause: '<rect x="3.2" y="2.5" width="3.4" height="11" rx="0.8" fill="currentColor"/><rect x="9.4" y="2.5" width="3.4" height="11" rx="0.8" fill="currentColor"/>',
};
function bpIcon(name) {
  return `<svg class="bpkit-ico" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">${BP_ICON[name]}</svg>`;
}

/** The marks of the drawings, as little swatches for the headings that explain them. */
function bpSwatch(role) {
  return `<svg class="bpkit-swatch bpkit-swatch-${role}" viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false"><circle cx="10" cy="10" r="7.2"/></svg>`;
}

/** The stand-in model of the static copy: the embedded state, with change events. */
function bpStaticModel(state) {
  const handlers = new Map();
  return {
    get: (key) => state[key],
    set(key, value) {
      const old = state[key];
      state[key] = value;
      if (old !== value) for (const f of (handlers.get("change:" + key) || []).slice()) f();
    },
    on(event, f) {
      for (const e of event.split(" ")) {
        if (!handlers.has(e)) handlers.set(e, []);
        handlers.get(e).push(f);
      }
    },
    off(event, f) {
      for (const e of event.split(" ")) handlers.set(e, (handlers.get(e) || []).filter((g) => g !== f));
    },
    save_changes() {},
    send() {},
    isStatic: true,
  };
}

/** v rounded to `digits` decimals, with a true minus sign and never "−0.000". */
function bpFmt(v, digits) {
  if (typeof v !== "number" || Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return (v < 0 ? BP_MINUS : "") + "\u221E";
  const s = Math.abs(v).toFixed(digits);
  return (v < 0 && /[1-9]/.test(s) ? BP_MINUS : "") + s;
}

function bpEsc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

let bpCounter = 0;
/** A page-unique id (several copies of this module may run on one page). */
function bpUid(prefix) {
  bpCounter += 1;
  return `bpkit-${prefix}-${Math.random().toString(36).slice(2, 8)}${bpCounter}`;
}

/** The value of a packed array (see _format.pack) at row r, column c, or undefined if not kept. */
function bpAt(q, r, c) {
  const i = q.r.indexOf(r), k = q.c.indexOf(c);
  return i < 0 || k < 0 ? undefined : q.v[i][k];
}

/** A packed array as a bracketed grid of rounded numbers; gaps (⋮ ⋯ ⋱) where rows or columns
 * were left out. `mark` = [r, c] outlines one entry. Cells carry data-r / data-c (0-based). */
function bpMatrix(q, digits, mark = null, names = null) {
  const cols = [];
  q.c.forEach((c, i) => {
    if (i > 0 && c !== q.c[i - 1] + 1) cols.push(null);
    cols.push(c);
  });
  const rows = [];
  q.r.forEach((r, i) => {
    if (i > 0 && r !== q.r[i - 1] + 1) rows.push(null);
    rows.push(r);
  });
  let cells = "";
  for (const r of rows) {
    for (const c of cols) {
      if (r === null && c === null) cells += '<span class="bpkit-gap">\u22F1</span>';
      else if (r === null) cells += '<span class="bpkit-gap">\u22EE</span>';
      else if (c === null) cells += '<span class="bpkit-gap">\u22EF</span>';
      else {
        const on = mark && mark[0] === r && mark[1] === c;
        const nm = names && names[r] && names[r][c] ? `<span class="bpkit-cname">${bpEsc(names[r][c])}</span>` : "";
        cells += `${nm ? '<span class="bpkit-cellbox">' + nm : ""}<span class="bpkit-cell${on ? " is-mark" : ""}" data-r="${r}" data-c="${c}">${bpFmt(bpAt(q, r, c), digits)}</span>${nm ? "</span>" : ""}`;
      }
    }
  }
  const [nr, nc] = q.shape;
  const summarised = rows.length !== nr || cols.length !== nc;
  const shape = summarised ? `<span class="bpkit-shape">${nr} \u00D7 ${nc}, summarised</span>` : "";
  return `<span class="bpkit-mwrap"><span class="bpkit-matrix" style="grid-template-columns: repeat(${cols.length}, auto)">${cells}</span>${shape}</span>`;
}

/** One labelled quantity: "label = [matrix]", in its own box that scrolls sideways when the
 * matrix is wider than the figure (a region the keyboard reaches). `names` (Mazur's, say)
 * label the entries. */
function bpQuantity(q, digits, role, mark = null, names = null) {
  return `<div class="bpkit-q bpkit-q-${role}" data-bpkit-q="${bpEsc(q.name)}" data-role="${role}" tabindex="0" role="region" aria-label="${bpEsc(bpWords(q.name))}, ${q.shape[0]} by ${q.shape[1]}">
    <span class="bpkit-qlabel">${q.label}<span class="bpkit-eqsign">=</span></span>${bpMatrix(q, digits, mark, names)}</div>`;
}

/** A trace name in words, for labels read aloud: "delta^3" → "delta 3", "dC/dw^2" →
 * "dC/dw 2", "sigma'(z^3)" → "sigma prime of z 3", "w^3 new" → "new w 3". */
function bpWords(name) {
  let s = String(name), prefix = "";
  if (s.endsWith(" new")) { prefix = "new "; s = s.slice(0, -4); }
  s = s.replace(/sigma'\((.*)\)/, "sigma prime of $1").replace("nabla_a C", "nabla a C").replace(/[_^]/g, " ");
  return prefix + s.replace(/\s+/g, " ").trim();
}

/** Where the neurons of a network are drawn. `shown[i]` lists the 0-based neurons of layer
 * i+1 that are drawn (all, or the first and last few); a gap slot (j = null) marks the rest. */
function bpLayout(sizes, shown, o = {}) {
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
    return {
      l: i + 1, n: sizes[i], x,
      nodes: s.map((j, k) => ({ j: j === null ? null : j + 1, x, y: top + k * row })),
    };
  });
  return { W, H, layers, row, gap, padT, padB, tallest };
}

/** The ends of a line between two circles of radius r (so it stops at their edges). */
function bpSegment(a, b, r, r2 = r) {
  const dx = b.x - a.x, dy = b.y - a.y, d = Math.hypot(dx, dy) || 1;
  return [a.x + (dx * r) / d, a.y + (dy * r) / d, b.x - (dx * r2) / d, b.y - (dy * r2) / d];
}

/** SVG text for a trace name: "a^2" → a², "delta^3" → δ³, "dC/dw^3" → ∂C/∂w³, "w^3 new" → new w³. */
function bpSvgName(name) {
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

// ---- The network drawing of the steppers ----------------------------------------------------

/** Where a quantity of the trace lives in the drawing, from its name in the trace. */
function bpPlace(name, L) {
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
function bpMarks(step, L) {
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

function bpDrawNetwork(data, target, step, digits, uid, o = {}) {
  const L = data.sizes.length;
  // A neuron is wide enough for its value at `digits` decimals.
  const R = Math.max(21, Math.round((digits + 3) * 3.3));
  const lay = bpLayout(data.sizes, data.shown, { padT: R + 52, padB: R + 44, padL: 50 + (R - 21), padR: 64, row: Math.max(54, 2 * R + 14), gap: Math.max(data.sizes.length <= 4 ? 150 : 118, 2 * R + 96) });
  const marks = bpMarks(step, L);
  const out = lay.layers[L - 1];
  const tx = out.x + R + 59, cx = tx + 40 + R * 1.6; // the target column y and the cost C_x
  const W = cx + 30 + R, H = lay.H;
  const back = step.phase === "backward";
  const neuronName = (l, j) => (o.neurons && o.neurons[l - 1] ? o.neurons[l - 1][j - 1] : null);
  // Never narrower than 420 px (the numbers stay legible on a phone; .bpkit-net then scrolls).
  let s = `<svg class="bpkit-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" style="width: min(100%, ${W}px); min-width: min(${W}px, 420px)" role="img" aria-label="${bpEsc(bpDescribe(data, marks))}">
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

  // The target y beside the output layer, and the cost C_x.
  const mt = marks.get("target"), mc = marks.get("cost");
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
  s += `<text class="bpkit-llabel" x="${cx}" y="${H - 24}" text-anchor="middle">${bpEsc(o.costName || "cost")}</text>`;
  if (mc) s += tag(cx, 16, mc);
  return s + "</svg>";
}

/** A sentence for screen readers saying what the drawing shows at this step. */
function bpDescribe(data, marks) {
  const parts = [];
  for (const m of marks.values()) {
    const where = m.at === "nodes" ? `layer ${m.layer}` : m.at === "edges" ? `the weights into layer ${m.layer}` : m.at === "target" ? "the target y" : "the cost";
    if (m.now.length) parts.push(`${where} computes ${m.now.map(bpWords).join(", ")}`);
    if (m.uses.length) parts.push(`${where} is read (${m.uses.map(bpWords).join(", ")})`);
  }
  return `Network with layers of ${data.sizes.join(", ")} neurons; ${parts.join("; ")}.`;
}

/** The step controls shared by the steppers: Reset, Previous, Play/Pause, Next, "Step k of N",
 * a clickable timeline, and ← → Home End when the figure has focus. The controls sit ABOVE the
 * content that changes from step to step, so they never move while a reader steps.
 *
 * opts: {cls, label, title(), count(), draw(k), phases() → the phase of each step (colours
 *        its tick), tip(k) → a one-line description of step k, caption(k) → the step's
 *        caption (plain text, announced in a live region), printTable() → every step as HTML
 *        (what the page prints), and optionally groups() → a key per step (consecutive equal
 *        keys share a labelled segment of the timeline; default the phases), groupLabel(key),
 *        interval (ms between steps when playing)}
 * Returns {root, main, badge, explore, refresh, rebuild, cleanup}; call rebuild() once to draw. */
function bpStepper(model, el, opts) {
  const root = document.createElement("div");
  root.className = `bpkit-w ${opts.cls}`;
  root.tabIndex = 0;
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", opts.label);
  root.setAttribute("data-lm-suppress-shortcuts", "true"); // JupyterLab: keep ← → for the figure
  root.innerHTML = `
    <div class="bpkit-head"><div class="bpkit-title"></div></div>
    <div class="bpkit-controls" role="toolbar" aria-label="Step controls">
      <button type="button" class="bpkit-btn" data-act="reset" aria-label="Reset to the first step" title="Reset (Home)">${bpIcon("reset")}<span>Reset</span></button>
      <button type="button" class="bpkit-btn" data-act="prev" aria-label="Previous step" title="Previous step (\u2190)">${bpIcon("prev")}<span>Previous</span></button>
      <button type="button" class="bpkit-btn bpkit-play" data-act="play" aria-label="Play" aria-pressed="false" title="Play the steps one by one">${bpIcon("play")}<span>Play</span></button>
      <button type="button" class="bpkit-btn bpkit-primary" data-act="next" aria-label="Next step" title="Next step (\u2192)"><span>Next</span>${bpIcon("next")}</button>
      <span class="bpkit-status"></span>
    </div>
    <div class="bpkit-timeline" aria-hidden="true"></div>
    <div class="bpkit-sr bpkit-live" aria-live="polite" aria-atomic="true"></div>
    <div class="bpkit-badgeline"><span class="bpkit-badge"></span><span class="bpkit-edited" hidden>edited in the page</span></div>
    <div class="bpkit-main"></div>
    <div class="bpkit-hint">Click the figure, then use \u2190 and \u2192 (Home, End) to step.</div>
    <div class="bpkit-explore-host"></div>
    <div class="bpkit-print"></div>`;
  el.appendChild(root);
  const $ = (sel) => root.querySelector(sel);
  const main = $(".bpkit-main"), badge = $(".bpkit-badge"), status = $(".bpkit-status"), live = $(".bpkit-live");
  const timeline = $(".bpkit-timeline"), playBtn = $('[data-act="play"]');

  const count = () => opts.count();
  const current = () => Math.min(Math.max(Number(model.get("step")) | 0, 0), count() - 1);
  function go(k) {
    k = Math.min(Math.max(k, 0), count() - 1);
    if (k !== model.get("step")) {
      model.set("step", k);
      model.save_changes();
    }
  }

  let timer = null;
  function setPlaying(on) {
    playBtn.innerHTML = on ? `${bpIcon("pause")}<span>Pause</span>` : `${bpIcon("play")}<span>Play</span>`;
    playBtn.setAttribute("aria-label", on ? "Pause" : "Play");
    playBtn.setAttribute("aria-pressed", on ? "true" : "false");
  }
  function pause() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    setPlaying(false);
  }
  function play() {
    if (current() >= count() - 1) go(0);
    timer = setInterval(() => (current() >= count() - 1 ? pause() : go(current() + 1)), opts.interval || 1500);
    setPlaying(true);
  }

  function buildTimeline() {
    const phases = opts.phases();
    const groups = opts.groups ? opts.groups() : phases;
    const label = opts.groupLabel || ((g) => BP_PHASE_TEXT[g] || g);
    let html = "", i = 0;
    while (i < groups.length) {
      let j = i;
      while (j < groups.length && groups[j] === groups[i]) j += 1;
      let ticks = "";
      for (let k = i; k < j; k += 1) {
        ticks += `<span class="bpkit-tick bpkit-ph-${phases[k]}" data-k="${k}" title="${bpEsc(bpPlain(opts.tip(k)))}"></span>`;
      }
      html += `<div class="bpkit-seg" style="flex: ${j - i} 1 0"><div class="bpkit-seglabel">${bpEsc(label(groups[i]))}</div><div class="bpkit-ticks">${ticks}</div></div>`;
      i = j;
    }
    timeline.innerHTML = html;
  }

  let announced = null;
  function refresh() {
    const k = current(), n = count();
    $(".bpkit-title").textContent = opts.title();
    opts.draw(k);
    status.textContent = `Step ${k + 1} of ${n}`;
    if (announced !== null && announced !== k) live.textContent = `Step ${k + 1} of ${n}: ${bpPlain(opts.caption(k))}`;
    announced = k;
    $('[data-act="prev"]').setAttribute("aria-disabled", k === 0 ? "true" : "false");
    $('[data-act="reset"]').setAttribute("aria-disabled", k === 0 ? "true" : "false");
    $('[data-act="next"]').setAttribute("aria-disabled", k === n - 1 ? "true" : "false");
    const now = timeline.querySelector(".is-now");
    if (now) now.classList.remove("is-now");
    timeline.querySelectorAll(".bpkit-tick").forEach((t) => t.classList.toggle("is-past", Number(t.dataset.k) < k));
    const tick = timeline.querySelector(`[data-k="${k}"]`);
    if (tick) tick.classList.add("is-now");
    if (opts.onStep) opts.onStep(k);
  }
  function rebuild() {
    buildTimeline();
    refresh();
    $(".bpkit-print").innerHTML = opts.printTable ? opts.printTable() : "";
  }

  root.addEventListener("click", (e) => {
    const b = e.target.closest("[data-act]");
    if (b) {
      const act = b.dataset.act;
      if (act === "next") go(current() + 1);
      else if (act === "prev") go(current() - 1);
      else if (act === "reset") { pause(); go(0); }
      else if (act === "play") (timer === null ? play() : pause());
      return;
    }
    const t = e.target.closest(".bpkit-tick");
    if (t) go(Number(t.dataset.k));
  });
  root.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, textarea, summary, details")) return; // the reader is typing
    const keys = { ArrowRight: () => go(current() + 1), ArrowLeft: () => go(current() - 1), Home: () => go(0), End: () => go(count() - 1) };
    if (keys[e.key] && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      e.stopPropagation();
      keys[e.key]();
    }
  });

  model.on("change:step", refresh);
  model.on("change:digits", rebuild);
  model.on("change:title", refresh);
  return {
    root, main, badge, refresh, rebuild, go, pause, explore: $(".bpkit-explore-host"),
    cleanup() {
      pause();
      model.off("change:step", refresh);
      model.off("change:digits", rebuild);
      model.off("change:title", refresh);
    },
  };
}

/** Plain text for labels and announcements: "δ^3_j" → "δ 3 j", "a¹" → "a 1". */
function bpPlain(text) {
  return String(text).replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰]/g, (c) => " " + (("¹²³⁴⁵⁶⁷⁸⁹⁰".indexOf(c) + 1) % 10))
    .replace(/\^|_/g, " ").replace(/ {2,}/g, " ");
}

// ---- Editing in the page ------------------------------------------------------------------
// The steppers embed their inputs as `_base` ({net, x, y, eta}, see _base.py); an edit makes a
// new `config`, which engine.js turns into a new trace at once. Live in Jupyter, `config` is
// synced to Python, which re-traces with bpkit.

/** The 0-based indices kept when n rows are summarised (as _format.shown). */
function bpShown(n, most = 6) {
  if (n <= most) return Array.from({ length: n }, (_, i) => i);
  const head = Math.floor(most / 2), tail = most - 1 - head;
  return [...Array.from({ length: head }, (_, i) => i), ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

/** A matrix packed as _format.pack does: {shape, r, c, v}. */
function bpPack(A) {
  const rows = A.length, cols = rows ? A[0].length : 0;
  const r = bpShown(rows), c = bpShown(cols);
  return { shape: [rows, cols], r, c, v: r.map((i) => c.map((k) => A[i][k])) };
}

/** MathML of a LaTeX string the page met: looked up in the table made in Python (latex2mathml);
 * display = a displayed equation. */
function bpMathml(table, latex, display = false) {
  const hit = table[(display ? "d:" : "i:") + latex];
  return hit !== undefined ? hit : `<math><mtext>${bpEsc(latex)}</mtext></math>`;
}

/** The trace's plain-text notation in a caption (z^2_j, Δw^l, x_2, Σ_k, a¹, σ') as MathML, as
 * _format.notation_html does in Python. */
function bpCaptionHtml(text) {
  const greek = { "\u03B4": "\u03B4", "\u03C3": "\u03C3" };
  const re = /(?<![\w/])(Δ?)([A-Za-zδσ])\^(\d+|l)(?:_([jk]{1,2}))?(?![\w^])|(?<![\w/])([xyC])_(\d+|x)(?![\w^])|Σ_([a-z])|([A-Za-zδσ])([¹²³⁴⁵⁶⁷⁸⁹⁰]+)|(σ)'(?![\w^])/g;
  const num = (t) => (/^\d+$/.test(t) ? `<mn>${t}</mn>` : `<mi>${t}</mi>`);
  let out = "", pos = 0, m;
  while ((m = re.exec(text)) !== null) {
    out += bpEsc(text.slice(pos, m.index));
    const [, delta, sym, sup, sub, isym, idx, sumIndex, usym, udigits, primed] = m;
    let inner;
    if (primed) inner = "<mi>\u03C3</mi><mo>\u2032</mo>";
    else if (sumIndex) inner = `<msub><mo>\u2211</mo><mi>${sumIndex}</mi></msub>`;
    else if (isym) inner = `<msub><mi>${isym}</mi>${num(idx)}</msub>`;
    else if (usym) inner = `<msup><mi>${usym}</mi><mn>${[...udigits].map((c) => ("¹²³⁴⁵⁶⁷⁸⁹⁰".indexOf(c) + 1) % 10).join("")}</mn></msup>`;
    else {
      const base = `<mi>${greek[sym] || sym}</mi>`;
      inner = (delta ? "<mi>\u0394</mi>" : "") + (sub ? `<msubsup>${base}<mi>${sub}</mi>${num(sup)}</msubsup>` : `<msup>${base}${num(sup)}</msup>`);
    }
    out += `<math>${inner}</math>`;
    pos = m.index + m[0].length;
  }
  return out + bpEsc(text.slice(pos));
}

/** Python's f"{eta:g}"-free rule of Mazur's figure: the update moves the weights only (the same
 * strings as pass_stepper.hold_biases). */
function bpHoldBiases(tr) {
  const R = String.raw;
  for (const s of tr.steps) {
    if (s.kind !== "update") continue;
    const l = s.layer, b = s.inputs.find((q) => q.name === `b^${l}`);
    s.latex = R`w^{${l}} \to w^{${l}} - \eta \frac{\partial C}{\partial w^{${l}}}, \quad b^{${l}} \text{ unchanged}`;
    s.caption = s.caption.replace("weights and biases", "weights").replace("against their gradients.", "against their gradients; Mazur keeps the biases fixed.");
    s.outputs = s.outputs.map((q) => (q.name.startsWith("b^") ? { ...q, value: bpCopy(b.value) } : q));
    s.inputs = s.inputs.filter((q) => !q.name.startsWith("dC/db")); // the held biases read no gradient
  }
  return tr;
}

/** A number as an input field shows it: up to 12 significant digits, no exponent noise. */
function bpInputValue(v) {
  return String(Number(Number(v).toPrecision(6)));
}

const BP_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹", BP_SUB = "₀₁₂₃₄₅₆₇₈₉";
/** A whole number in Unicode superscript or subscript digits (for option labels). */
function bpScript(n, sup) {
  return String(n).split("").map((c) => (sup ? BP_SUP : BP_SUB)[Number(c)]).join("");
}

/** A parameter as MathML: w^l_jk or b^l_j. */
function bpParamMathml(p) {
  const sub = p.param === "w" ? `<mn>${p.j}${p.k}</mn>` : `<mn>${p.j}</mn>`;
  return `<math><msubsup><mi>${p.param}</mi>${sub}<mn>${p.l}</mn></msubsup></math>`;
}

/** v with `sig` significant digits and a true minus sign (for tiny differences like ΔC). */
function bpSig(v, sig = 3) {
  if (!Number.isFinite(v)) return bpFmt(v, 0);
  if (v === 0) return "0";
  const s = Math.abs(v) >= 1e-4 && Math.abs(v) < 1e5 ? String(Number(Math.abs(v).toPrecision(sig))) : Math.abs(v).toExponential(sig - 1).replace(/e([+-])(\d+)/, (_, sg, d) => "\u00D710" + (sg === "-" ? "\u207B" : "") + bpScript(d, true));
  return (v < 0 ? BP_MINUS : "") + s;
}

/** The choices the page offers (see pass_stepper.py: HIDDEN, OUTPUT, COST_OUTPUTS). */
const BP_HIDDEN = ["sigmoid", "tanh", "relu", "identity"];
const BP_OUTPUT = ["sigmoid", "tanh", "relu", "identity", "softmax"];
const BP_COST_OUTPUTS = { quadratic: BP_OUTPUT, cross_entropy: ["sigmoid"], log_likelihood: ["softmax"] };

/** The parameters a reader may nudge: [{param, l, j, k, label}] (book indices). */
function bpParams(net) {
  const out = [];
  for (let l = 2; l <= net.sizes.length; l += 1) {
    const w = net.weights[l - 2];
    w.forEach((row, j) => row.forEach((_, k) => out.push({ param: "w", l, j: j + 1, k: k + 1, label: `w ${l}, ${j + 1} ${k + 1}` })));
    net.biases[l - 2].forEach((_, j) => out.push({ param: "b", l, j: j + 1, k: 1, label: `b ${l}, ${j + 1}` }));
  }
  return out;
}

/** A small SVG line chart of `series` = [{values, cls, label}] over x = 0..n−1 (or xs). */
function bpChart(series, o = {}) {
  const xs = o.xs || series[0].values.map((_, i) => i);
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  let lo = Math.min(...all), hi = Math.max(...all);
  if (!(hi > lo)) { hi = lo + 1; lo -= 1; }
  // the left margin fits the longer y label, minus sign included (about 6.5 px a character)
  const pl = Math.max(46, 8 + 6.5 * Math.max(bpSig(hi).length, bpSig(lo).length));
  const W = (o.width || 320) + pl - 46, H = o.height || 120, pr = 10, pt = 10, pb = 28;
  const x0 = Math.min(...xs), x1 = Math.max(...xs) === x0 ? x0 + 1 : Math.max(...xs);
  const X = (x) => pl + ((x - x0) / (x1 - x0)) * (W - pl - pr), Y = (v) => pt + (1 - (v - lo) / (hi - lo)) * (H - pt - pb);
  let s = `<svg class="bpkit-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" style="width: min(100%, ${W}px)" role="img" aria-label="${bpEsc(o.label || "chart")}">`;
  s += `<line class="bpkit-axis" x1="${pl}" y1="${H - pb}" x2="${W - pr}" y2="${H - pb}"/><line class="bpkit-axis" x1="${pl}" y1="${pt}" x2="${pl}" y2="${H - pb}"/>`;
  s += `<text class="bpkit-ctext" x="${pl - 4}" y="${pt + 9}" text-anchor="end">${bpSig(hi)}</text><text class="bpkit-ctext" x="${pl - 4}" y="${H - pb}" text-anchor="end">${bpSig(lo)}</text>`;
  s += `<text class="bpkit-ctext" x="${pl}" y="${H - 10}" text-anchor="middle">${bpSig(x0)}</text><text class="bpkit-ctext" x="${W - pr}" y="${H - 10}" text-anchor="end">${bpSig(x1)}</text>`;
  if (o.xlabel) s += `<text class="bpkit-ctext" x="${(pl + W - pr) / 2}" y="${H - 10}" text-anchor="middle">${bpEsc(o.xlabel)}</text>`;
  for (const sr of series) {
    const pts = sr.values.map((v, i) => (Number.isFinite(v) ? `${X(xs[i]).toFixed(1)},${Y(v).toFixed(1)}` : null)).filter(Boolean).join(" ");
    s += `<polyline class="bpkit-series ${sr.cls}" points="${pts}" fill="none"/>`;
  }
  return s + "</svg>";
}

/** The page's address keeps each stepper's configuration and step, one `bp-KEY=...` part per
 * widget (several widgets on one page), so that a link opens "this network, at this step". */
function bpHashRead(key) {
  for (const part of location.hash.replace(/^#/, "").split("&")) {
    if (part.startsWith(`bp-${key}=`)) {
      try { return JSON.parse(decodeURIComponent(part.slice(key.length + 4))); } catch (e) { return null; }
    }
  }
  return null;
}
const bpHashPending = new Map();
let bpHashTimer = null;
/** Write this widget's part of the address. history.replaceState costs Chromium ~15 ms, so the
 * writes are gathered and made once, 200 ms after the last change: a click stays within a frame. */
function bpHashWrite(key, value) {
  bpHashPending.set(key, value);
  if (bpHashTimer !== null) clearTimeout(bpHashTimer);
  bpHashTimer = setTimeout(() => {
    bpHashTimer = null;
    for (const [k, v] of bpHashPending) bpHashWriteNow(k, v);
    bpHashPending.clear();
  }, 200);
}
function bpHashWriteNow(key, value) {
  const parts = location.hash.replace(/^#/, "").split("&").filter((p) => p && !p.startsWith(`bp-${key}=`));
  if (value !== null) parts.push(`bp-${key}=${encodeURIComponent(JSON.stringify(value))}`);
  const hash = parts.length ? "#" + parts.join("&") : "";
  if (hash !== location.hash) history.replaceState(history.state, "", location.pathname + location.search + hash);
}

/** The editing panel of a stepper: every number of x, y, w^l, b^l as a field (type, or ↑ ↓),
 * η, the activation, the cost and the digits; "nudge a parameter by Δ"; "train N steps".
 *
 * ed = {model, stepper, cfg() → the current configuration, apply(cfg) → recompute (throws
 *       a message on bad input), reset(), xName, yName (e.g. "x" or "X"), fixedBiases,
 *       m (columns of x)}. */
function bpExplore(ed) {
  const host = ed.stepper.explore, opts = ed.model.get("_options") || {};
  const details = document.createElement("details");
  details.className = "bpkit-explore";
  host.appendChild(details);
  let trainStart = null, costs = [];
  const fieldId = bpUid("f");

  function grid(name, label, A, path) {
    const cols = A[0].length;
    const rows = bpShown(A.length, 12), keep = bpShown(cols, 12);
    let cells = "";
    for (const j of rows) for (const k of keep) {
      cells += `<input type="number" step="0.01" class="bpkit-in" data-path="${path}" data-j="${j}" data-k="${k}" value="${bpInputValue(A[j][k])}" aria-label="${bpEsc(label)}, row ${j + 1}, column ${k + 1}">`;
    }
    return `<div class="bpkit-egrid" role="group" aria-label="${bpEsc(label)}"><span class="bpkit-elabel">${name}</span>
      <span class="bpkit-ematrix" style="grid-template-columns: repeat(${keep.length}, minmax(4.6em, 6.5em))">${cells}</span></div>`;
  }

  /** The field that has the focus, as a selector, so a redraw can give it back. */
  function focusKey() {
    const a = document.activeElement;
    if (!a || !details.contains(a)) return null;
    for (const k of ["set", "ed", "nudge", "train"]) if (a.dataset[k] !== undefined) return `[data-${k}="${a.dataset[k]}"]`;
    if (a.dataset.path !== undefined) return `[data-path="${a.dataset.path}"][data-j="${a.dataset.j}"][data-k="${a.dataset.k}"]`;
    return a.tagName === "SUMMARY" ? "summary" : null;
  }

  function draw() {
    const back = focusKey();
    drawFields();
    const again = back && details.querySelector(back);
    if (again) again.focus();
  }

  function drawFields() {
    const c = ed.cfg(), net = c.net, L = net.sizes.length;
    const sel = (id, label, values, current, allowed) => `<label class="bpkit-field">${label}
      <select data-set="${id}">${values.map((v) => `<option value="${v}"${v === current ? " selected" : ""}${allowed && !allowed.includes(v) ? " disabled" : ""}>${v.replace("_", "-")}</option>`).join("")}</select></label>`;
    const sym = (v, l = null) => `<math>${l === null ? `<mi>${v}</mi>` : `<msup><mi>${v}</mi><mn>${l}</mn></msup>`}</math>`;
    let grids = grid(sym(ed.xName), ed.xName === "x" ? "input x" : "inputs X, one example per column", c.x, "x")
      + grid(sym(ed.yName), ed.yName === "y" ? "target y" : "targets Y, one example per column", c.y, "y");
    for (let l = 2; l <= L; l += 1) {
      grids += grid(sym("w", l), `weights w ${l}`, net.weights[l - 2], `w${l}`);
      grids += grid(sym("b", l), `biases b ${l}`, net.biases[l - 2], `b${l}`);
    }
    const params = bpParams(net);
    const digits = ed.model.get("digits");
    const outsForCost = BP_COST_OUTPUTS[net.cost];
    const costs_ = Object.keys(BP_COST_OUTPUTS).filter((k) => BP_COST_OUTPUTS[k].includes(net.output_activation));
    details.innerHTML = `<summary class="bpkit-summary">Change the numbers, nudge a weight, train</summary>
      <div class="bpkit-ebar">
        <label class="bpkit-field">learning rate \u03B7 <input type="number" step="0.1" min="0" data-set="eta" value="${c.eta === null ? "" : bpInputValue(c.eta)}" placeholder="none" class="bpkit-in bpkit-in-eta"></label>
        ${sel("activation", "activation", BP_HIDDEN, net.activation)}
        ${sel("output_activation", "output activation", BP_OUTPUT, net.output_activation, null)}
        ${sel("cost", "cost", Object.keys(BP_COST_OUTPUTS), net.cost, costs_)}
        <label class="bpkit-field">decimals <select data-set="digits">${[3, 4, 5, 6, 7, 8, 9].map((d) => `<option${d === digits ? " selected" : ""}>${d}</option>`).join("")}</select></label>
        <button type="button" class="bpkit-btn" data-ed="reset">Restore the page's network</button>
      </div>
      <p class="bpkit-ehint">Type a number, or press \u2191 \u2193 in a field to nudge it by 0.01: the whole pass is recomputed at once, in the page.${outsForCost.length < BP_OUTPUT.length ? ` The ${net.cost.replace("_", "-")} cost needs ${outsForCost.join(" or ")} outputs.` : ""}</p>
      <div class="bpkit-emsg" role="status" aria-live="polite"></div>
      <div class="bpkit-egrids">${grids}</div>
      <div class="bpkit-nudge">
        <div class="bpkit-group-h">Nudge one parameter: does backprop predict the change of the cost?</div>
        <label class="bpkit-field">parameter <select data-nudge="which">${params.map((p, i) => `<option value="${i}">${p.label.replace(/^(\w) (\d+), /, "$1^$2_")}</option>`).join("")}</select></label>
        <label class="bpkit-field">\u0394 <input type="number" step="0.01" class="bpkit-in" data-nudge="delta" value="0.1"></label>
        <button type="button" class="bpkit-btn" data-ed="apply-nudge">Apply the nudge</button>
        <div class="bpkit-nudge-out"></div>
      </div>
      <div class="bpkit-train">
        <div class="bpkit-group-h">Train: gradient descent on ${ed.m > 1 ? `the ${ed.m} examples of the mini-batch` : "this one example"}${ed.fixedBiases ? ", the biases fixed" : ""}</div>
        <label class="bpkit-field">steps <input type="number" min="1" max="100000" step="1" class="bpkit-in" data-train="n" value="50"></label>
        <button type="button" class="bpkit-btn" data-ed="train">Train</button>
        <button type="button" class="bpkit-btn" data-ed="rewind"${trainStart ? "" : ' aria-disabled="true"'}>Rewind to the first weights</button>
        <div class="bpkit-train-out"></div>
      </div>`;
    details.querySelectorAll("[data-nudge=which] option").forEach((o, i) => {
      const p = params[i];
      o.textContent = p.param === "w" ? `w${bpScript(p.l, true)}${bpScript(p.j, false)}${bpScript(p.k, false)}: into neuron ${p.j} of layer ${p.l} from neuron ${p.k}` : `b${bpScript(p.l, true)}${bpScript(p.j, false)}: neuron ${p.j} of layer ${p.l}`;
    });
    nudge();
    drawTrain();
  }

  const msg = (text) => { const m = details.querySelector(".bpkit-emsg"); if (m) m.textContent = text; };

  function tryApply(c) {
    try {
      ed.apply(c);
      msg("");
      return true;
    } catch (e) {
      msg(String(e.message || e));
      return false;
    }
  }

  function nudge() {
    const out = details.querySelector(".bpkit-nudge-out");
    if (!out || !details.open) return; // computed when the panel is open
    const c = ed.cfg(), params = bpParams(c.net);
    const p = params[Number(details.querySelector("[data-nudge=which]").value) || 0];
    const d = Number(details.querySelector("[data-nudge=delta]").value);
    if (!Number.isFinite(d) || d === 0) { out.innerHTML = '<p class="bpkit-ehint">\u0394 must be a number other than 0.</p>'; return; }
    const name = p.param === "w" ? `w ${p.l} ${p.j}${p.k}` : `b ${p.l} ${p.j}`;
    try {
      const rows = [0.01, 0.1, 1, 3, 10].map((f) => ({ f, r: bpNudge(c.net, c.x, c.y, p, d * f) }));
      const one = rows[2].r;
      const span = Array.from({ length: 41 }, (_, i) => (d * 10 * (i - 20)) / 20);
      const measured = span.map((t) => (t === 0 ? 0 : bpNudge(c.net, c.x, c.y, p, t).measured));
      const predicted = span.map((t) => one.gradient * t);
      const nm = bpParamMathml(p);
      out.innerHTML = `<p class="bpkit-nudge-line">\u2202C/\u2202${nm} = ${bpSig(one.gradient, 4)} (backprop). Nudging ${nm} by \u0394 = ${bpSig(d, 4)}:
        a new forward pass measures \u0394C = ${bpSig(one.measured, 4)}; backprop predicts \u2202C/\u2202${nm} \u00B7 \u0394 = ${bpSig(one.predicted, 4)}.</p>
        <div class="bpkit-nudge-body"><div class="bpkit-scroll" tabindex="0" role="region" aria-label="measured and predicted change of the cost for five nudges"><table class="bpkit-table">
        <thead><tr><th scope="col">\u0394</th><th scope="col">\u0394C measured</th><th scope="col">predicted \u2202C/\u2202w \u00B7 \u0394</th><th scope="col">gap</th></tr></thead>
        <tbody>${rows.map(({ f, r }) => `<tr${f === 1 ? ' class="is-now"' : ""}><td>${bpSig(d * f, 3)}</td><td>${bpSig(r.measured, 4)}</td><td>${bpSig(r.predicted, 4)}</td><td>${bpSig(r.measured - r.predicted, 2)}</td></tr>`).join("")}</tbody></table></div>
        <figure class="bpkit-fig">${bpChart([{ values: measured, cls: "is-measured" }, { values: predicted, cls: "is-predicted" }], { xs: span, label: `change of the cost as ${name} moves by up to 10 times delta: measured (curve) against predicted (straight line)`, xlabel: "\u0394" })}
        <figcaption><span class="bpkit-key is-measured"></span>measured \u0394C <span class="bpkit-key is-predicted"></span>predicted (the tangent)</figcaption></figure></div>`;
    } catch (e) {
      out.textContent = String(e.message || e);
    }
  }

  function drawTrain() {
    const out = details.querySelector(".bpkit-train-out");
    if (!out) return;
    const rw = details.querySelector('[data-ed="rewind"]');
    if (rw) rw.setAttribute("aria-disabled", trainStart ? "false" : "true");
    if (costs.length < 2) { out.innerHTML = ""; return; }
    out.innerHTML = `<figure class="bpkit-fig">${bpChart([{ values: costs, cls: "is-cost" }], { label: `cost after each of ${costs.length - 1} training steps, from ${bpSig(costs[0], 4)} to ${bpSig(costs[costs.length - 1], 4)}`, xlabel: "step" })}
      <figcaption>Cost C after each step: ${bpSig(costs[0], 4)} \u2192 ${bpSig(costs[costs.length - 1], 4)} after ${costs.length - 1} steps. The figure above now steps through the trained network.</figcaption></figure>`;
  }

  function train(n) {
    const c = ed.cfg(), eta = c.eta === null ? Number(details.querySelector(".bpkit-in-eta").value) : c.eta;
    if (!(eta > 0)) { msg("Set the learning rate \u03B7 first: training needs \u03B7 > 0."); return; }
    let net = bpCloneNet(c.net);
    const m = c.x[0].length;
    const run = costs.length ? [] : [bpMeanCost(net, c.x, c.y)];
    for (let s = 0; s < n; s += 1) {
      const { nabla_b, nabla_w } = bpBackprop(net, c.x, c.y);
      net = bpUpdate(net, ed.fixedBiases ? nabla_b.map((b) => bpMap(b, () => 0)) : nabla_b, nabla_w, eta, m);
      run.push(bpMeanCost(net, c.x, c.y));
    }
    if (!trainStart) trainStart = bpCloneNet(c.net);
    costs = costs.concat(run);
    if (tryApply({ ...c, net })) draw();
  }

  details.addEventListener("toggle", () => nudge());
  details.addEventListener("input", (e) => {
    const t = e.target;
    if (t.dataset.nudge) return nudge();
    if (t.dataset.path === undefined && t.dataset.set !== "eta") return;
    const c = ed.cfg();
    const next = { ...c, net: bpCloneNet(c.net), x: bpCopy(c.x), y: bpCopy(c.y) };
    if (t.dataset.set === "eta") {
      const v = t.value.trim() === "" ? null : Number(t.value);
      if (v !== null && !(v > 0)) return msg("\u03B7 must be a positive number (or empty: no update step).");
      if (v === null && ed.etaRequired) return msg("This figure needs a learning rate \u03B7 > 0.");
      next.eta = v;
    } else {
      const v = Number(t.value);
      if (t.value.trim() === "" || !Number.isFinite(v)) return msg("Type a number.");
      const path = t.dataset.path, j = Number(t.dataset.j), k = Number(t.dataset.k);
      const A = path === "x" ? next.x : path === "y" ? next.y : (path[0] === "w" ? next.net.weights : next.net.biases)[Number(path.slice(1)) - 2];
      A[j][k] = v;
    }
    if (tryApply(next)) nudge();
  });
  details.addEventListener("change", (e) => {
    const t = e.target;
    if (t.dataset.set === "digits") {
      ed.model.set("digits", Number(t.value));
      ed.model.save_changes();
      return;
    }
    if (["activation", "output_activation", "cost"].includes(t.dataset.set)) {
      const c = ed.cfg(), net = bpCloneNet(c.net);
      net[t.dataset.set] = t.value;
      if (!BP_COST_OUTPUTS[net.cost].includes(net.output_activation)) net.cost = "quadratic";
      if (tryApply({ ...c, net })) draw();
    }
  });
  details.addEventListener("click", (e) => {
    const b = e.target.closest("[data-ed]");
    if (!b || b.getAttribute("aria-disabled") === "true") return;
    const act = b.dataset.ed;
    if (act === "reset") { trainStart = null; costs = []; ed.reset(); draw(); }
    else if (act === "train") train(Math.max(1, Math.min(100000, Math.round(Number(details.querySelector("[data-train=n]").value) || 1))));
    else if (act === "rewind") { const c = ed.cfg(); const start = trainStart; trainStart = null; costs = []; if (tryApply({ ...c, net: start })) draw(); }
    else if (act === "apply-nudge") {
      const c = ed.cfg(), p = bpParams(c.net)[Number(details.querySelector("[data-nudge=which]").value) || 0];
      const d = Number(details.querySelector("[data-nudge=delta]").value), net = bpCloneNet(c.net);
      (p.param === "w" ? net.weights : net.biases)[p.l - 2][p.j - 1][p.k - 1] += d;
      const which = details.querySelector("[data-nudge=which]").value, delta = details.querySelector("[data-nudge=delta]").value;
      if (tryApply({ ...c, net })) { draw(); details.querySelector("[data-nudge=which]").value = which; details.querySelector("[data-nudge=delta]").value = delta; nudge(); }
    }
  });
  draw();
  return { draw, details };
}

/** Wire editing, the address and Reset into a stepper. `compute(cfg)` → the data the stepper
 * draws (engine.js, throws on bad input). Returns {data() → what to draw now, cfg()}. */
function bpEditable(model, stepper, o) {
  const opts = model.get("_options") || {};
  let local = null, cfgNow = null;
  const base = () => model.get("_base") || {};
  const cfg = () => cfgNow || (model.get("config") && Object.keys(model.get("config")).length ? model.get("config") : base());
  const key = opts.key + (document.querySelectorAll(`.bpkit-w.${o.cls}`).length ? Array.from(document.querySelectorAll(`.bpkit-w.${o.cls}`)).indexOf(stepper.root) + 1 : 1);
  const useHash = Boolean(model.isStatic) && typeof history !== "undefined";
  stepper.root.dataset.bpkitKey = key;
  const edited = stepper.root.querySelector(".bpkit-edited");

  function saveHash() {
    if (!useHash) return;
    const v = { s: Number(model.get("step")) | 0, d: model.get("digits") };
    if (cfgNow) v.c = cfgNow;
    bpHashWrite(key, v);
  }
  function apply(c, quiet = false) {
    bpCheckNet(c.net);
    const data = o.compute(c);
    local = data;
    cfgNow = c;
    edited.hidden = false;
    const n = o.count(data);
    if (Number(model.get("step")) >= n) model.set("step", n - 1);
    if (!quiet) {
      model.set("config", c);
      model.save_changes();
    }
    stepper.rebuild();
    saveHash();
  }
  function reset() {
    local = null;
    cfgNow = null;
    edited.hidden = true;
    model.set("config", {});
    model.save_changes();
    stepper.rebuild();
    saveHash();
  }
  const onData = () => {  // Python re-traced (live): its data is the truth again
    local = null;
    const c = model.get("config");
    const echo = cfgNow !== null && JSON.stringify(c) === JSON.stringify(cfgNow); // our own edit, back from Python
    cfgNow = c && Object.keys(c).length ? c : null;
    edited.hidden = cfgNow === null;
    stepper.rebuild();
    if (explore && !echo) explore.draw();
  };
  model.on("change:_data", onData);
  const ed = { model, stepper, cfg, apply, reset, ...o };
  let explore = null;
  if (opts.editable && Object.keys(base()).length) explore = bpExplore(ed);
  // The address: restore this widget's configuration and step, then keep them up to date.
  if (useHash) {
    const h = bpHashRead(key);
    if (h) {
      try {
        if (h.c) apply(h.c, true);
        if (Number.isInteger(h.d) && h.d >= 0 && h.d <= 9) model.set("digits", h.d);
        if (Number.isInteger(h.s)) model.set("step", Math.max(0, Math.min(h.s, o.count(local || model.get("_data")) - 1)));
        if (explore) explore.draw();
      } catch (e) { /* a stale or broken link: keep the page's own figure */ }
    }
    model.on("change:step", saveHash);
    model.on("change:digits", saveHash);
  }
  return {
    data: () => local || model.get("_data"),
    cfg,
    cleanup() { model.off("change:_data", onData); model.off("change:step", saveHash); model.off("change:digits", saveHash); },
  };
}
