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
function bpMatrix(q, digits, mark = null) {
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
        cells += `<span class="bpkit-cell${on ? " is-mark" : ""}" data-r="${r}" data-c="${c}">${bpFmt(bpAt(q, r, c), digits)}</span>`;
      }
    }
  }
  const [nr, nc] = q.shape;
  const summarised = rows.length !== nr || cols.length !== nc;
  const shape = summarised ? `<span class="bpkit-shape">${nr} \u00D7 ${nc}, summarised</span>` : "";
  return `<span class="bpkit-mwrap"><span class="bpkit-matrix" style="grid-template-columns: repeat(${cols.length}, auto)">${cells}</span>${shape}</span>`;
}

/** One labelled quantity: "label = [matrix]". */
function bpQuantity(q, digits, role, mark = null) {
  return `<div class="bpkit-q bpkit-q-${role}" data-bpkit-q="${bpEsc(q.name)}" data-role="${role}">
    <span class="bpkit-qlabel">${q.label}<span class="bpkit-eqsign">=</span></span>${bpMatrix(q, digits, mark)}</div>`;
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

/** The step controls shared by the steppers: Reset, Previous, Play/Pause, Next, "Step k of N",
 * a clickable timeline, and ← → Home End when the figure has focus.
 *
 * opts: {cls, label, title(), count(), draw(k), phases() → the phase of each step (colours
 *        its tick), tip(k) → a one-line description of step k, and optionally groups() → a key
 *        per step (consecutive equal keys share a labelled segment of the timeline; default
 *        the phases), groupLabel(key), interval (ms between steps when playing)}
 * Returns {root, main, badge, refresh, rebuild, cleanup}; call rebuild() once to draw. */
function bpStepper(model, el, opts) {
  const root = document.createElement("div");
  root.className = `bpkit-w ${opts.cls}`;
  root.tabIndex = 0;
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", opts.label);
  root.setAttribute("data-lm-suppress-shortcuts", "true"); // JupyterLab: keep ← → for the figure
  root.innerHTML = `
    <div class="bpkit-head"><div class="bpkit-title"></div><div class="bpkit-badge"></div></div>
    <div class="bpkit-main"></div>
    <div class="bpkit-timeline" aria-hidden="true"></div>
    <div class="bpkit-controls" role="toolbar" aria-label="Step controls">
      <button type="button" class="bpkit-btn" data-act="reset" aria-label="Reset to the first step" title="Reset (Home)">${bpIcon("reset")}<span>Reset</span></button>
      <button type="button" class="bpkit-btn" data-act="prev" aria-label="Previous step" title="Previous step (\u2190)">${bpIcon("prev")}<span>Previous</span></button>
      <button type="button" class="bpkit-btn bpkit-play" data-act="play" aria-label="Play" aria-pressed="false" title="Play the steps one by one">${bpIcon("play")}<span>Play</span></button>
      <button type="button" class="bpkit-btn bpkit-primary" data-act="next" aria-label="Next step" title="Next step (\u2192)"><span>Next</span>${bpIcon("next")}</button>
      <span class="bpkit-status" aria-live="polite" aria-atomic="true"></span>
    </div>
    <div class="bpkit-hint">Click the figure, then use \u2190 and \u2192 (Home, End) to step.</div>`;
  el.appendChild(root);
  const $ = (sel) => root.querySelector(sel);
  const main = $(".bpkit-main"), badge = $(".bpkit-badge"), status = $(".bpkit-status");
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
        ticks += `<span class="bpkit-tick bpkit-ph-${phases[k]}" data-k="${k}" title="${bpEsc(opts.tip(k))}"></span>`;
      }
      html += `<div class="bpkit-seg" style="flex: ${j - i} 1 0"><div class="bpkit-seglabel">${bpEsc(label(groups[i]))}</div><div class="bpkit-ticks">${ticks}</div></div>`;
      i = j;
    }
    timeline.innerHTML = html;
  }

  function refresh() {
    const k = current(), n = count();
    $(".bpkit-title").textContent = opts.title();
    opts.draw(k);
    status.textContent = `Step ${k + 1} of ${n}`;
    $('[data-act="prev"]').setAttribute("aria-disabled", k === 0 ? "true" : "false");
    $('[data-act="reset"]').setAttribute("aria-disabled", k === 0 ? "true" : "false");
    $('[data-act="next"]').setAttribute("aria-disabled", k === n - 1 ? "true" : "false");
    timeline.querySelectorAll(".bpkit-tick").forEach((t) => {
      const i = Number(t.dataset.k);
      t.classList.toggle("is-now", i === k);
      t.classList.toggle("is-past", i < k);
    });
  }
  function rebuild() {
    buildTimeline();
    refresh();
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
    const keys = { ArrowRight: () => go(current() + 1), ArrowLeft: () => go(current() - 1), Home: () => go(0), End: () => go(count() - 1) };
    if (keys[e.key] && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      e.stopPropagation();
      keys[e.key]();
    }
  });

  model.on("change:step", refresh);
  model.on("change:digits", refresh);
  model.on("change:title", refresh);
  model.on("change:_data", rebuild);
  return {
    root, main, badge, refresh, rebuild,
    cleanup() {
      pause();
      model.off("change:step", refresh);
      model.off("change:digits", refresh);
      model.off("change:title", refresh);
      model.off("change:_data", rebuild);
    },
  };
}
