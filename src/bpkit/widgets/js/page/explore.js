/* page/explore.js: a stepper a reader can change. The steppers embed their inputs as `_base`
 * ({net, x, y, eta}, see _base.py); an edit makes a new configuration, which the engine turns
 * into a new trace at once (bpEditable). Live in Jupyter, `config` is synced to Python, which
 * re-traces with bpkit. The panel (BpExplore) shows every number of x, y, w^l, b^l as a field
 * (type, or ↑ ↓), η, the activation, the cost and the decimals; "nudge a parameter by Δ"; and
 * "train N steps". */

import { bpCheckNet } from "../engine/checks.js";
import { bpCloneNet } from "../engine/network.js";
import { bpNudge, bpTrainSteps } from "../engine/train.js";
import { bpCopy } from "../engine/matrix.js";
import { bpChart } from "./chart.js";
import { bpAddressRead, bpAddressWrite, bpCodec } from "./codec.js";
import { bpEsc, bpInputValue, bpMessage, bpScript, bpSig } from "./dom.js";
import { bpParamMathml } from "./mathml.js";
import { bpShown } from "./matrix_view.js";

/** The choices the page offers (see pass_stepper.py: HIDDEN, OUTPUT, COST_OUTPUTS). */
export const BP_HIDDEN = ["sigmoid", "tanh", "relu", "identity"];
export const BP_OUTPUT = ["sigmoid", "tanh", "relu", "identity", "softmax"];
export const BP_COST_OUTPUTS = { quadratic: BP_OUTPUT, cross_entropy: ["sigmoid"], log_likelihood: ["softmax"] };

/** A stepper's part of the address: step s, decimals d, and the edited configuration c. */
export const BP_STEPPER_ADDRESS = bpCodec(2, [
  { name: "s", type: "int", min: 0 },
  { name: "d", type: "int", min: 3, max: 9 },
  { name: "c", type: "json" },
]);

/** The parameters a reader may nudge: [{param, l, j, k}] (book indices). */
export function bpParams(net) {
  const out = [];
  for (let l = 2; l <= net.sizes.length; l += 1) {
    net.weights[l - 2].forEach((row, j) => row.forEach((_, k) => out.push({ param: "w", l, j: j + 1, k: k + 1 })));
    net.biases[l - 2].forEach((_, j) => out.push({ param: "b", l, j: j + 1, k: 1 }));
  }
  return out;
}

function paramText(p) {
  return p.param === "w"
    ? `w${bpScript(p.l, true)}${bpScript(p.j, false)}${bpScript(p.k, false)}: into neuron ${p.j} of layer ${p.l} from neuron ${p.k}`
    : `b${bpScript(p.l, true)}${bpScript(p.j, false)}: neuron ${p.j} of layer ${p.l}`;
}

/** Editing, the address and Reset wired into a stepper. o = {cls, xName, yName, m, etaRequired,
 * fixedBiases, compute(cfg) → the data the stepper draws (throws on bad input), count(data)}.
 * Returns {data() → what to draw now, cfg(), cleanup()}. */
export function bpEditable(model, stepper, o) {
  const ed = new Editable(model, stepper, o);
  return { data: () => ed.data(), cfg: () => ed.cfg(), cleanup: () => ed.cleanup() };
}

class Editable {
  constructor(model, stepper, o) {
    Object.assign(this, o, { model, stepper });
    this.opts = model.get("_options") || {};
    this.local = null;
    this.cfgNow = null;
    const peers = Array.from(document.querySelectorAll(`.bpkit-w.${o.cls}`));
    this.key = `bp-${this.opts.key}${peers.length ? peers.indexOf(stepper.root) + 1 : 1}`;
    this.useHash = Boolean(model.isStatic) && typeof history !== "undefined";
    stepper.root.dataset.bpkitKey = this.key;
    this.edited = stepper.root.querySelector(".bpkit-edited");
    this.onData = this.onData.bind(this);
    this.saveHash = this.saveHash.bind(this);
    model.on("change:_data", this.onData);
    this.explore = this.opts.editable && Object.keys(this.base()).length ? new BpExplore(this) : null;
    if (this.useHash) this.restoreFromAddress();
  }

  base() { return this.model.get("_base") || {}; }

  cfg() {
    const synced = this.model.get("config");
    return this.cfgNow || (synced && Object.keys(synced).length ? synced : this.base());
  }

  data() { return this.local || this.model.get("_data"); }

  saveHash() {
    if (!this.useHash) return;
    const v = { s: Number(this.model.get("step")) | 0, d: this.model.get("digits") };
    if (this.cfgNow) v.c = this.cfgNow;
    bpAddressWrite(this.key, BP_STEPPER_ADDRESS.encode(v));
  }

  /** Recompute the figure for configuration c (throws, leaving the figure as it was, on bad
   * input); quiet = do not sync it to Python. */
  apply(c, quiet = false) {
    bpCheckNet(c.net);
    const data = this.compute(c);
    this.local = data;
    this.cfgNow = c;
    this.edited.hidden = false;
    const n = this.count(data);
    if (Number(this.model.get("step")) >= n) this.model.set("step", n - 1);
    if (!quiet) {
      this.model.set("config", c);
      this.model.save_changes();
    }
    this.stepper.rebuild();
    this.saveHash();
  }

  reset() {
    this.local = null;
    this.cfgNow = null;
    this.edited.hidden = true;
    this.model.set("config", {});
    this.model.save_changes();
    this.stepper.rebuild();
    this.saveHash();
  }

  /** Python re-traced (live): its data is the truth again. */
  onData() {
    this.local = null;
    const c = this.model.get("config");
    const echo = this.cfgNow !== null && JSON.stringify(c) === JSON.stringify(this.cfgNow); // our own edit, back from Python
    this.cfgNow = c && Object.keys(c).length ? c : null;
    this.edited.hidden = this.cfgNow === null;
    this.stepper.rebuild();
    if (this.explore && !echo) this.explore.draw();
  }

  /** The address: restore this widget's configuration and step, then keep them up to date. */
  restoreFromAddress() {
    const text = bpAddressRead(this.key);
    if (text !== null) {
      const { value: h, problems } = BP_STEPPER_ADDRESS.decode(text);
      try {
        if (h.c) this.apply(h.c, true);
      } catch (e) {
        problems.push(`its network could not be used (${bpMessage(e)})`);
      }
      if (h.d !== undefined) this.model.set("digits", h.d);
      if (h.s !== undefined) this.model.set("step", Math.min(h.s, this.count(this.data()) - 1));
      if (this.explore) this.explore.draw();
      if (problems.length) this.say(`The address of this figure was not fully used: ${problems.join("; ")}. The rest is the page's own.`);
    }
    this.model.on("change:step", this.saveHash);
    this.model.on("change:digits", this.saveHash);
  }

  say(text) {
    this.stepper.say(text);
  }

  cleanup() {
    this.model.off("change:_data", this.onData);
    this.model.off("change:step", this.saveHash);
    this.model.off("change:digits", this.saveHash);
  }
}

/** The editing panel, a <details> under the stepper. */
class BpExplore {
  constructor(ed) {
    this.ed = ed;
    this.details = document.createElement("details");
    this.details.className = "bpkit-explore";
    ed.stepper.explore.appendChild(this.details);
    this.trainStart = null;
    this.costs = [];
    this.details.addEventListener("toggle", () => this.nudge());
    this.details.addEventListener("input", (e) => this.onInput(e.target));
    this.details.addEventListener("change", (e) => this.onChange(e.target));
    this.details.addEventListener("click", (e) => this.onClick(e.target));
    this.draw();
  }

  $(sel) { return this.details.querySelector(sel); }

  /** One matrix as a grid of number fields (12 × 12 at most, the rest summarised). */
  grid(name, label, A, path) {
    const rows = bpShown(A.length, 12), keep = bpShown(A[0].length, 12);
    let cells = "";
    for (const j of rows) for (const k of keep) {
      cells += `<input type="number" step="0.01" class="bpkit-in" data-path="${path}" data-j="${j}" data-k="${k}" value="${bpInputValue(A[j][k])}" aria-label="${bpEsc(label)}, row ${j + 1}, column ${k + 1}">`;
    }
    return `<div class="bpkit-egrid" role="group" aria-label="${bpEsc(label)}"><span class="bpkit-elabel">${name}</span>
      <span class="bpkit-ematrix" style="grid-template-columns: repeat(${keep.length}, minmax(6.6rem, 7.6rem))">${cells}</span></div>`;
  }

  /** The field that has the focus, as a selector, so a redraw can give it back. */
  focusKey() {
    const a = document.activeElement;
    if (!a || !this.details.contains(a)) return null;
    for (const k of ["set", "ed", "nudge", "train"]) if (a.dataset[k] !== undefined) return `[data-${k}="${a.dataset[k]}"]`;
    if (a.dataset.path !== undefined) return `[data-path="${a.dataset.path}"][data-j="${a.dataset.j}"][data-k="${a.dataset.k}"]`;
    return a.tagName === "SUMMARY" ? "summary" : null;
  }

  draw() {
    const back = this.focusKey();
    this.drawFields();
    const again = back && this.$(back);
    if (again) again.focus();
  }

  grids(c) {
    const ed = this.ed, L = c.net.sizes.length;
    const sym = (v, l = null) => `<math>${l === null ? `<mi>${v}</mi>` : `<msup><mi>${v}</mi><mn>${l}</mn></msup>`}</math>`;
    let out = this.grid(sym(ed.xName), ed.xName === "x" ? "input x" : "inputs X, one example per column", c.x, "x")
      + this.grid(sym(ed.yName), ed.yName === "y" ? "target y" : "targets Y, one example per column", c.y, "y");
    for (let l = 2; l <= L; l += 1) {
      out += this.grid(sym("w", l), `weights w ${l}`, c.net.weights[l - 2], `w${l}`);
      out += this.grid(sym("b", l), `biases b ${l}`, c.net.biases[l - 2], `b${l}`);
    }
    return out;
  }

  settingsBar(c) {
    const net = c.net, digits = this.ed.model.get("digits");
    const sel = (id, label, values, current, allowed) => `<label class="bpkit-field">${label}
      <select data-set="${id}">${values.map((v) => `<option value="${v}"${v === current ? " selected" : ""}${allowed && !allowed.includes(v) ? " disabled" : ""}>${v.replace("_", "-")}</option>`).join("")}</select></label>`;
    const costs = Object.keys(BP_COST_OUTPUTS).filter((k) => BP_COST_OUTPUTS[k].includes(net.output_activation));
    return `<div class="bpkit-ebar">
        <label class="bpkit-field">learning rate \u03B7 <input type="number" step="0.1" min="0" data-set="eta" value="${c.eta === null ? "" : bpInputValue(c.eta)}" placeholder="none" class="bpkit-in bpkit-in-eta"></label>
        ${sel("activation", "activation", BP_HIDDEN, net.activation)}
        ${sel("output_activation", "output activation", BP_OUTPUT, net.output_activation, null)}
        ${sel("cost", "cost", Object.keys(BP_COST_OUTPUTS), net.cost, costs)}
        <label class="bpkit-field">decimals <select data-set="digits">${[3, 4, 5, 6, 7, 8, 9].map((d) => `<option${d === digits ? " selected" : ""}>${d}</option>`).join("")}</select></label>
        <button type="button" class="bpkit-btn" data-ed="reset">Restore the page's network</button>
      </div>`;
  }

  drawFields() {
    const ed = this.ed, c = ed.cfg(), net = c.net;
    const outsForCost = BP_COST_OUTPUTS[net.cost];
    const params = bpParams(net);
    this.details.innerHTML = `<summary class="bpkit-summary">Change the numbers, nudge a weight, train</summary>
      ${this.settingsBar(c)}
      <p class="bpkit-ehint">Type a number, or press \u2191 \u2193 in a field to nudge it by 0.01: the whole pass is recomputed at once, in the page.${outsForCost.length < BP_OUTPUT.length ? ` The ${net.cost.replace("_", "-")} cost needs ${outsForCost.join(" or ")} outputs.` : ""}</p>
      <div class="bpkit-emsg" role="status" aria-live="polite"></div>
      <div class="bpkit-egrids">${this.grids(c)}</div>
      <div class="bpkit-nudge">
        <div class="bpkit-group-h">Nudge one parameter: does backprop predict the change of the cost?</div>
        <label class="bpkit-field">parameter <select data-nudge="which">${params.map((p, i) => `<option value="${i}">${bpEsc(paramText(p))}</option>`).join("")}</select></label>
        <label class="bpkit-field">\u0394 <input type="number" step="0.01" class="bpkit-in" data-nudge="delta" value="0.1"></label>
        <button type="button" class="bpkit-btn" data-ed="apply-nudge">Apply the nudge</button>
        <div class="bpkit-nudge-out"></div>
      </div>
      <div class="bpkit-train">
        <div class="bpkit-group-h">Train: gradient descent on ${ed.m > 1 ? `the ${ed.m} examples of the mini-batch` : "this one example"}${ed.fixedBiases ? ", the biases fixed" : ""}</div>
        <label class="bpkit-field">steps <input type="number" min="1" max="100000" step="1" class="bpkit-in" data-train="n" value="50"></label>
        <button type="button" class="bpkit-btn" data-ed="train">Train</button>
        <button type="button" class="bpkit-btn" data-ed="rewind"${this.trainStart ? "" : ' aria-disabled="true"'}>Rewind to the first weights</button>
        <p class="bpkit-emsg bpkit-train-msg" role="status" aria-live="polite"></p>
        <div class="bpkit-train-out"></div>
      </div>`;
    this.nudge();
    this.drawTrain();
  }

  msg(text) {
    const m = this.$(".bpkit-emsg");
    if (m) m.textContent = text;
  }

  tryApply(c) {
    try {
      this.ed.apply(c);
      this.msg("");
      return true;
    } catch (e) {
      this.msg(bpMessage(e));
      return false;
    }
  }

  selectedParam(c) {
    return bpParams(c.net)[Number(this.$("[data-nudge=which]").value) || 0];
  }

  /** The nudge's table and chart: ΔC measured by a new forward pass against ∂C/∂w · Δ. */
  nudge() {
    const out = this.$(".bpkit-nudge-out");
    if (!out || !this.details.open) return; // computed when the panel is open
    const c = this.ed.cfg(), p = this.selectedParam(c);
    const d = Number(this.$("[data-nudge=delta]").value);
    if (!Number.isFinite(d) || d === 0) { out.innerHTML = '<p class="bpkit-ehint">\u0394 must be a number other than 0.</p>'; return; }
    try {
      out.innerHTML = nudgeHtml(c, p, d);
    } catch (e) {
      out.textContent = bpMessage(e);
    }
  }

  drawTrain() {
    const out = this.$(".bpkit-train-out");
    if (!out) return;
    const rw = this.$('[data-ed="rewind"]');
    if (rw) rw.setAttribute("aria-disabled", this.trainStart ? "false" : "true");
    const costs = this.costs;
    if (costs.length < 2) { out.innerHTML = ""; return; }
    out.innerHTML = `<figure class="bpkit-fig">${bpChart([{ values: costs, cls: "is-cost" }], { label: `cost after each of ${costs.length - 1} training steps, from ${bpSig(costs[0], 4)} to ${bpSig(costs[costs.length - 1], 4)}`, xlabel: "step", fromZero: true })}
      <figcaption>Cost C after each step: ${bpSig(costs[0], 4)} \u2192 ${bpSig(costs[costs.length - 1], 4)} after ${costs.length - 1} steps. The figure above now steps through the trained network.</figcaption></figure>`;
  }

  /** A message about training, beside the Train button (where the reader is looking). */
  trainMsg(text) {
    const m = this.$(".bpkit-train-msg");
    if (m) m.textContent = text;
  }

  /** n steps of gradient descent on the stepper's examples (the engine's one training loop). */
  train(n) {
    const c = this.ed.cfg(), eta = c.eta === null ? Number(this.$(".bpkit-in-eta").value) : c.eta;
    if (!(eta > 0)) { this.trainMsg("Set the learning rate \u03B7 first, in the first row of this panel: training needs \u03B7 > 0."); return; }
    let run;
    try {
      run = bpTrainSteps(c.net, c.x, c.y, eta, n, { fixedBiases: this.ed.fixedBiases });
    } catch (e) {
      this.trainMsg(bpMessage(e));
      return;
    }
    const last = run.costs[run.costs.length - 1];
    if (!Number.isFinite(last) || !run.net.weights.every((w) => w.every((r) => r.every(Number.isFinite)))) {
      this.trainMsg(`Training stopped: with \u03B7 = ${eta} the cost left the real numbers (it diverged). Try a smaller \u03B7, e.g. ${eta / 10}.`);
      return;
    }
    if (!this.trainStart) this.trainStart = bpCloneNet(c.net);
    this.costs = this.costs.concat(this.costs.length ? run.costs.slice(1) : run.costs);
    if (this.tryApply({ ...c, net: run.net })) this.draw();
  }

  onInput(t) {
    if (t.dataset.nudge) return this.nudge();
    if (t.dataset.path === undefined && t.dataset.set !== "eta") return;
    const c = this.ed.cfg();
    const next = { ...c, net: bpCloneNet(c.net), x: bpCopy(c.x), y: bpCopy(c.y) };
    if (t.dataset.set === "eta") {
      const v = t.value.trim() === "" ? null : Number(t.value);
      if (v !== null && !(v > 0 && Number.isFinite(v))) return this.msg("\u03B7 must be a positive number (or empty: no update step).");
      if (v === null && this.ed.etaRequired) return this.msg("This figure needs a learning rate \u03B7 > 0.");
      next.eta = v;
    } else {
      const v = Number(t.value);
      if (t.value.trim() === "" || !Number.isFinite(v)) return this.msg("Type a number.");
      if (Math.abs(v) > 1e6) return this.msg(`${t.value.trim()} is too large for this figure: type a number between \u22121,000,000 and 1,000,000.`);
      const path = t.dataset.path, j = Number(t.dataset.j), k = Number(t.dataset.k);
      const A = path === "x" ? next.x : path === "y" ? next.y : (path[0] === "w" ? next.net.weights : next.net.biases)[Number(path.slice(1)) - 2];
      A[j][k] = v;
    }
    if (this.tryApply(next)) this.nudge();
  }

  onChange(t) {
    if (t.dataset.set === "digits") {
      this.ed.model.set("digits", Number(t.value));
      this.ed.model.save_changes();
      return;
    }
    if (["activation", "output_activation", "cost"].includes(t.dataset.set)) {
      const c = this.ed.cfg(), net = bpCloneNet(c.net);
      net[t.dataset.set] = t.value;
      if (!BP_COST_OUTPUTS[net.cost].includes(net.output_activation)) net.cost = "quadratic";
      if (this.tryApply({ ...c, net })) this.draw();
    }
  }

  onClick(target) {
    const b = target.closest("[data-ed]");
    if (!b || b.getAttribute("aria-disabled") === "true") return;
    const act = b.dataset.ed;
    if (act === "reset") { this.trainStart = null; this.costs = []; this.ed.reset(); this.draw(); }
    else if (act === "train") this.train(Math.max(1, Math.min(100000, Math.round(Number(this.$("[data-train=n]").value) || 1))));
    else if (act === "rewind") { const c = this.ed.cfg(), start = this.trainStart; this.trainStart = null; this.costs = []; if (this.tryApply({ ...c, net: start })) this.draw(); }
    else if (act === "apply-nudge") this.applyNudge();
  }

  applyNudge() {
    const c = this.ed.cfg(), p = this.selectedParam(c);
    const which = this.$("[data-nudge=which]").value, delta = this.$("[data-nudge=delta]").value;
    const net = bpCloneNet(c.net);
    (p.param === "w" ? net.weights : net.biases)[p.l - 2][p.j - 1][p.k - 1] += Number(delta);
    if (this.tryApply({ ...c, net })) {
      this.draw();
      this.$("[data-nudge=which]").value = which;
      this.$("[data-nudge=delta]").value = delta;
      this.nudge();
    }
  }
}

/** The nudge of parameter p by d (and by d × 0.01 … 10): a table and a chart. */
function nudgeHtml(c, p, d) {
  const rows = [0.01, 0.1, 1, 3, 10].map((f) => ({ f, r: bpNudge(c.net, c.x, c.y, p, d * f) }));
  const one = rows[2].r;
  const span = Array.from({ length: 41 }, (_, i) => (d * 10 * (i - 20)) / 20);
  const measured = span.map((t) => (t === 0 ? 0 : bpNudge(c.net, c.x, c.y, p, t).measured));
  const predicted = span.map((t) => one.gradient * t);
  const nm = bpParamMathml(p), name = p.param === "w" ? `w ${p.l} ${p.j}${p.k}` : `b ${p.l} ${p.j}`;
  return `<p class="bpkit-nudge-line">\u2202C/\u2202${nm} = ${bpSig(one.gradient, 4)} (backprop). Nudging ${nm} by \u0394 = ${bpSig(d, 4)}:
    a new forward pass measures \u0394C = ${bpSig(one.measured, 4)}; backprop predicts \u2202C/\u2202${nm} \u00B7 \u0394 = ${bpSig(one.predicted, 4)}.</p>
    <div class="bpkit-nudge-body"><div class="bpkit-scroll" tabindex="0" role="region" aria-label="measured and predicted change of the cost for five nudges"><table class="bpkit-table">
    <thead><tr><th scope="col">\u0394</th><th scope="col">\u0394C measured</th><th scope="col">predicted \u2202C/\u2202w \u00B7 \u0394</th><th scope="col">gap</th></tr></thead>
    <tbody>${rows.map(({ f, r }) => `<tr${f === 1 ? ' class="is-now"' : ""}><td>${bpSig(d * f, 3)}</td><td>${bpSig(r.measured, 4)}</td><td>${bpSig(r.predicted, 4)}</td><td>${bpSig(r.measured - r.predicted, 2)}</td></tr>`).join("")}</tbody></table></div>
    <figure class="bpkit-fig">${bpChart([{ values: measured, cls: "is-measured" }, { values: predicted, cls: "is-predicted" }], { xs: span, label: `change of the cost as ${name} moves by up to 10 times delta: measured (curve) against predicted (straight line)`, xlabel: "\u0394" })}
    <figcaption><span class="bpkit-key is-measured"></span>measured \u0394C <span class="bpkit-key is-predicted"></span>predicted (the tangent)</figcaption></figure></div>`;
}
