/* page/stepper.js: the frame every stepper shares. Reset, Previous, Play/Pause, Next,
 * "Step k of N", a clickable timeline, ← → Home End when the figure has focus, a live caption
 * for screen readers, and every step at once for print. The controls sit ABOVE the content
 * that changes from step to step, so they never move while a reader steps.
 *
 * opts: {cls, label, title(), count(), draw(k), phases() → the phase of each step (colours its
 *        tick), tip(k) → a one-line description of step k, caption(k) → the step's caption
 *        (plain text, announced), printTable() → every step as HTML, and optionally groups() →
 *        a key per step (consecutive equal keys share a labelled segment of the timeline),
 *        groupLabel(key), interval (ms between steps when playing), onStep(k)}
 * Call rebuild() once to draw. */

import { bpEsc, bpIcon, bpPlain } from "./dom.js";

export const BP_PHASE_TEXT = {
  forward: "Forward pass \u2192",
  cost: "Cost",
  backward: "\u2190 Backward pass",
  update: "Update",
  accumulate: "Accumulate",
};

function shellHtml() {
  return `
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
    <p class="bpkit-msg" role="status" hidden></p>
    <div class="bpkit-main"></div>
    <div class="bpkit-hint">Click the figure, then use \u2190 and \u2192 (Home, End) to step.</div>
    <div class="bpkit-explore-host"></div>
    <div class="bpkit-print"></div>`;
}

/** The timeline's HTML: one tick per step, coloured by phase, in labelled segments. */
function timelineHtml(opts) {
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
  return html;
}

export class BpStepper {
  constructor(model, el, opts) {
    this.model = model;
    this.opts = opts;
    this.timer = null;
    this.announced = null;
    const root = document.createElement("div");
    root.className = `bpkit-w ${opts.cls}`;
    root.tabIndex = 0;
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", opts.label);
    root.setAttribute("data-lm-suppress-shortcuts", "true"); // JupyterLab: keep ← → for the figure
    root.innerHTML = shellHtml();
    el.appendChild(root);
    const $ = (sel) => root.querySelector(sel);
    Object.assign(this, {
      root, main: $(".bpkit-main"), badge: $(".bpkit-badge"), status: $(".bpkit-status"), live: $(".bpkit-live"),
      timeline: $(".bpkit-timeline"), playBtn: $('[data-act="play"]'), explore: $(".bpkit-explore-host"),
    });
    this.refresh = this.refresh.bind(this);
    this.rebuild = this.rebuild.bind(this);
    root.addEventListener("click", (e) => this.onClick(e));
    root.addEventListener("keydown", (e) => this.onKey(e));
    model.on("change:step", this.refresh);
    model.on("change:digits", this.rebuild);
    model.on("change:title", this.refresh);
  }

  count() { return this.opts.count(); }

  current() { return Math.min(Math.max(Number(this.model.get("step")) | 0, 0), this.count() - 1); }

  go(k) {
    k = Math.min(Math.max(k, 0), this.count() - 1);
    if (k !== this.model.get("step")) {
      this.model.set("step", k);
      this.model.save_changes();
    }
  }

  setPlaying(on) {
    this.playBtn.innerHTML = on ? `${bpIcon("pause")}<span>Pause</span>` : `${bpIcon("play")}<span>Play</span>`;
    this.playBtn.setAttribute("aria-label", on ? "Pause" : "Play");
    this.playBtn.setAttribute("aria-pressed", on ? "true" : "false");
  }

  pause() {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.setPlaying(false);
  }

  play() {
    if (this.current() >= this.count() - 1) this.go(0);
    this.timer = setInterval(() => (this.current() >= this.count() - 1 ? this.pause() : this.go(this.current() + 1)), this.opts.interval || 1500);
    this.setPlaying(true);
  }

  /** Draw step k (the model's step) and move the controls' state, the timeline and the caption. */
  refresh() {
    const k = this.current(), n = this.count(), root = this.root;
    root.querySelector(".bpkit-title").textContent = this.opts.title();
    const focus = this.focusKey();
    this.opts.draw(k);
    this.giveFocusBack(focus);
    this.status.textContent = `Step ${k + 1} of ${n}`;
    if (this.announced !== null && this.announced !== k) this.live.textContent = `Step ${k + 1} of ${n}: ${bpPlain(this.opts.caption(k))}`;
    this.announced = k;
    root.querySelector('[data-act="prev"]').setAttribute("aria-disabled", k === 0 ? "true" : "false");
    root.querySelector('[data-act="reset"]').setAttribute("aria-disabled", k === 0 ? "true" : "false");
    root.querySelector('[data-act="next"]').setAttribute("aria-disabled", k === n - 1 ? "true" : "false");
    const now = this.timeline.querySelector(".is-now");
    if (now) now.classList.remove("is-now");
    this.timeline.querySelectorAll(".bpkit-tick").forEach((t) => t.classList.toggle("is-past", Number(t.dataset.k) < k));
    const tick = this.timeline.querySelector(`[data-k="${k}"]`);
    if (tick) tick.classList.add("is-now");
    if (this.opts.onStep) this.opts.onStep(k);
  }

  /** Rebuild the timeline and the print table (a new trace), then draw. */
  rebuild() {
    this.timeline.innerHTML = timelineHtml(this.opts);
    this.refresh();
    this.root.querySelector(".bpkit-print").innerHTML = this.opts.printTable ? this.opts.printTable() : "";
  }

  /** The element with the focus inside the part that draw() replaces, as a selector and its
   * index among the elements it selects, so that a redraw can give the focus back. */
  focusKey() {
    const a = document.activeElement;
    if (!a || a === this.main || !this.main.contains(a)) return null;
    const sel = a.tagName.toLowerCase() + Array.from(a.classList, (c) => `.${CSS.escape(c)}`).join("");
    return { a, sel, i: Array.from(this.main.querySelectorAll(sel)).indexOf(a) };
  }

  /** After a redraw replaced the focused element: focus its new copy, else the figure itself, so
   * that ← → keep stepping (the focus would otherwise fall to the page). */
  giveFocusBack(key) {
    if (!key || key.a.isConnected) return;
    const again = this.main.querySelectorAll(key.sel)[key.i] || this.root;
    again.focus({ preventScroll: true });
  }

  onClick(e) {
    const b = e.target.closest("[data-act]");
    if (b) {
      const act = b.dataset.act;
      if (act === "next") this.go(this.current() + 1);
      else if (act === "prev") this.go(this.current() - 1);
      else if (act === "reset") { this.pause(); this.go(0); }
      else if (act === "play") (this.timer === null ? this.play() : this.pause());
      return;
    }
    const t = e.target.closest(".bpkit-tick");
    if (t) this.go(Number(t.dataset.k));
  }

  onKey(e) {
    if (e.target.closest("input, select, textarea, summary, details")) return; // the reader is typing
    const keys = { ArrowRight: 1, ArrowLeft: -1, Home: "first", End: "last" };
    const move = keys[e.key];
    if (move === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    e.stopPropagation();
    this.go(move === "first" ? 0 : move === "last" ? this.count() - 1 : this.current() + move);
  }

  /** A message above the figure (an address it could not use, say); "" hides it. */
  say(text) {
    const m = this.root.querySelector(".bpkit-msg");
    m.textContent = text;
    m.hidden = !text;
  }

  cleanup() {
    this.pause();
    this.model.off("change:step", this.refresh);
    this.model.off("change:digits", this.rebuild);
    this.model.off("change:title", this.refresh);
  }
}
