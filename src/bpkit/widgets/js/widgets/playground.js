/* Playground: train a small network on a 2-D data set in the page; click a neuron for its δ.
 *
 * model: _data (see playground.py: playground_data), _sets (the data sets, shared by every
 * playground of the page), dataset, hidden, activation, eta, batch_size, seed, max_epochs, key,
 * digits, title; the page writes back epoch, costs and _net.
 *
 * The training is a TrainingRun (engine/run.js: the fast engine through the page's mini-batch
 * order, which bpkit.sgd takes with batches=page_batches(n, m, seed), with its stop rules and
 * its replay). Training and drawing are separate: training runs in slices of SLICE_MS, one
 * task after another (so it takes whatever time drawing leaves), and each animation frame
 * redraws the pictures when a 30th of a second has passed (DRAW_MS); the δ numbers, MathML,
 * and the cost curve 4 times a second. This file reads the settings, keeps the reader's points
 * and draws.
 */

import { fastAllErrors, fastClassOf, fastForward, fastGather, fastRange, FastWork } from "../engine/fast.js";
import { TrainingRun } from "../engine/run.js";
import { bpInitNet } from "../engine/sgd.js";
import { bpTrace } from "../engine/trace.js";
import { bpChart } from "../page/chart.js";
import { bpAddressRead, bpAddressWrite, bpCodec } from "../page/codec.js";
import { bpFmt, bpIcon, bpSig, bpUid } from "../page/dom.js";
import { CLASS_COLOURS, CLASS_NAMES, fromCanvas, paintBoundary, paintPoints, paintPointValues, paintValue, planeBounds, planeGrid } from "../page/plane.js";
import { DEFAULT_SPEED, deltaPanelHtml, edgeIndex, legendHtml, netHtml, shellHtml, styleEdges } from "./playground_draw.js";

const GRID = 40; // the pictures are GRID × GRID forward passes
const THUMB = 20; // a neuron's picture: every other point of the grid, THUMB × THUMB
const SLICE_MS = [5, 8, 12]; // training runs in slices this long (shorter when frames come late), so the page draws between them
const DRAW_MS = 1000 / 32; // the pictures 32 times a second on average (at least 30)
const PANEL_MS = 250; // the δ numbers and the cost curve while training
const MAX_POINTS = 400; // the reader's points
const URL_POINTS = 60; // kept in the address up to this many
const BATCHES = [1, 4, 10, 20, 50];
const TRAITS = ["dataset", "hidden", "activation", "eta", "batch_size", "seed", "max_epochs"];

/** The playground's part of the address (see page/codec.js). */
export function pgAddress(data, sets) {
  return bpCodec(2, [
    { name: "data", type: "enum", values: Object.keys(sets) },
    { name: "hidden", type: "ints", min: 1, max: data.max_neurons, maxLength: data.max_hidden_layers },
    { name: "act", type: "enum", values: data.activations },
    { name: "eta", type: "number", min: 0, exclusive: true, max: 1000 },
    { name: "m", type: "int", min: 1, max: 100000 },
    { name: "seed", type: "int", min: 0, max: 99999 },
    { name: "limit", type: "int", min: 1, max: data.max_epochs },
    { name: "target", type: "int", min: 1, max: 100 },
    { name: "pts", type: "points", maxLength: URL_POINTS },
    { name: "epoch", type: "int", min: 0, max: data.max_epochs },
  ]);
}

const NAMES = { data: "dataset", hidden: "hidden", act: "activation", eta: "eta", m: "batch", seed: "seed", limit: "limit", target: "target", pts: "points", epoch: "epoch" };

/** A configuration as the address holds it, and back. */
export function pgToAddress(cfg, epoch, points = null) {
  const out = { epoch };
  for (const [k, name] of Object.entries(NAMES)) if (name !== "epoch" && name !== "points" && cfg[name] !== null) out[k] = cfg[name];
  if (points && points.labels.length <= URL_POINTS) out.pts = points.labels.map((k, i) => [points.X[0][i], points.X[1][i], k]);
  return out;
}
export function pgFromAddress(v) {
  const out = {};
  for (const [k, name] of Object.entries(NAMES)) if (v[k] !== undefined) out[name] = v[k];
  return out;
}

/** Rows of targets from classes: one row (the class itself) for one output, else one-hot. */
function targets(labels, outputs) {
  if (outputs === 1) return [labels.map(Number)];
  return Array.from({ length: outputs }, (_, k) => labels.map((c) => (c === k ? 1 : 0)));
}

/** A number typed in a box: a finite number or null, with the reason in words. */
function typed(text, what, { min, max, whole = false, exclusive = false }) {
  const t = String(text).trim().replace(/\u2212/g, "-");
  if (t === "") return { error: `${what} is empty: type a number` };
  const v = Number(t);
  if (!Number.isFinite(v)) return { error: `"${t.slice(0, 20)}" is not a number: type ${what} as a number such as ${min === 0 ? "0.3" : min}` };
  if (whole && !Number.isInteger(v)) return { error: `${what} must be a whole number; got ${t}` };
  if (exclusive ? v <= min : v < min) return { error: `${what} must be ${exclusive ? "above" : "at least"} ${min}; got ${t}` };
  if (v > max) return { error: `${what} must be at most ${max}; got ${t}` };
  return { value: v };
}

class PlaygroundView {
  constructor(model, el) {
    this.model = model;
    this.uid = bpUid("pg");
    this.sets = model.get("_sets");
    this.d = model.get("_data");
    this.address = pgAddress(this.d, this.sets);
    const root = document.createElement("div");
    root.className = "bpkit-w bpkit-playground";
    root.dataset.phase = "backward";
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "Playground: train a network in the page");
    root.setAttribute("data-lm-suppress-shortcuts", "true");
    root.innerHTML = shellHtml(this.uid, this.d);
    el.appendChild(root);
    this.root = root;
    this.canvas = this.$(".bpkit-pg-canvas");
    this.status = this.$(".bpkit-status");
    this.deltaBox = this.$(".bpkit-pg-delta");
    Object.assign(this, { run: null, shown: 0, follow: true, timer: null, selected: null, example: 0, own: null,
      clickMode: "pick", speed: DEFAULT_SPEED, lastDraw: 0, lastPanel: 0, draws: 0, drawMs: 0, frames: 0, fromPage: false, problem: "" });
    // The figure's state, for tests, the benchmark and the browser console.
    root.bpkitState = () => ({ net: this.run.at(this.shown).toNet(), epoch: this.shown, trained: this.run.epoch,
      costs: Array.from(this.run.costs.subarray(0, this.run.epoch + 1)), config: { ...this.cfg }, stopped: this.run.stopped });
    root.bpkitStats = () => ({ epoch: this.run.epoch, draws: this.draws, drawMs: this.drawMs, frames: this.frames, playing: this.timer !== null });
    root.bpkitData = () => ({ X: this.run.o.X, Y: this.run.o.Y });
    this.bindEvents();
    this.stickUnder();
    this.start();
  }

  /** The controls' bar sticks under the page's own sticky header (the book's article header),
   * if it has one: its height, measured now and when the window is resized. */
  stickUnder() {
    const h = document.querySelector(".bd-header-article");
    const top = h && ["sticky", "fixed"].includes(getComputedStyle(h).position) ? h.getBoundingClientRect().height : 0;
    this.root.style.setProperty("--bp-pg-sticky-top", `${Math.round(top)}px`);
  }

  $(s) { return this.root.querySelector(s); }
  set() { return this.sets[this.cfg.dataset]; }
  digits() { return this.model.get("digits"); }
  /** The theme's colours (read once per theme: getComputedStyle costs a style recalculation). */
  theme() {
    if (!this.colours) {
      const css = getComputedStyle(this.root);
      this.colours = { card: css.getPropertyValue("--bp-card").trim() || "#ffffff", ink: css.getPropertyValue("--bp-ink").trim() || "#1d2430" };
    }
    return this.colours;
  }
  card() { return this.theme().card; }
  ink() { return this.theme().ink; }
  points() { return this.own || this.set().train; }

  fromModel() {
    const m = this.model;
    return { dataset: m.get("dataset"), hidden: m.get("hidden").slice(), activation: m.get("activation"), eta: m.get("eta"),
      batch: m.get("batch_size"), seed: m.get("seed"), limit: m.get("max_epochs"), target: null };
  }

  /** The configuration's starting network: the page's seeded start, which
   * bpkit.widgets.playground.page_start (and so playground_network) gives in Python, bit for bit. */
  startNet() {
    const s = this.set(), cfg = this.cfg;
    return bpInitNet([2, ...cfg.hidden, s.outputs], cfg.activation, s.output_activation, s.cost, cfg.seed);
  }

  /** Why the points cannot be trained on, or "". */
  pointsProblem() {
    const p = this.points(), n = p.labels.length;
    if (n === 0) return "There are no points to train on: click on the picture to add points of two classes.";
    if (n === 1) return "One point is not enough to learn from: add points of at least two classes.";
    if (new Set(p.labels).size < 2) return `All ${n} points are of class ${p.labels[0]}: with one class there is nothing to separate. Add points of another class.`;
    return "";
  }

  /** A new run from the start of the configuration, trained to `toEpoch` (a link's epoch). */
  newRun(toEpoch = 0) {
    this.problem = this.pointsProblem();
    if (this.problem && this.run) return; // the last good run stays; the message says why
    const s = this.set(), p = this.problem ? s.train : this.points(), cfg = this.cfg;
    const test = this.own || !s.test ? null : { X: s.test.X, Y: targets(s.test.labels, s.outputs) };
    this.run = new TrainingRun({ net: this.startNet(), X: p.X, Y: targets(p.labels, s.outputs), test, eta: cfg.eta,
      m: cfg.batch, seed: cfg.seed, maxEpochs: cfg.limit, growthEpochs: this.d.growth_epochs, target: { accuracy: cfg.target === null ? null : cfg.target / 100 } });
    this.run.trainWhile(() => this.run.epoch < toEpoch);
    this.shown = this.run.epoch;
    this.follow = true;
    const sizes = this.run.net.sizes;
    this.gridWork = new FastWork(sizes, GRID * GRID);
    this.allWork = new FastWork(sizes, Math.max(1, this.run.n));
    const sel = this.selected;
    if (sel && (sel[0] > sizes.length || sel[1] > sizes[sel[0] - 1])) this.selected = null;
    this.example = Math.min(this.example, this.run.n - 1);
  }

  /** The plane and its grid, for the data set (kept while the reader edits its points). */
  newPlane() {
    this.bounds = planeBounds(this.set().train.X);
    const g = planeGrid(this.bounds, GRID);
    this.gridData = { X: g, Y: [], n: GRID * GRID };
  }

  rebuild(toEpoch = 0) {
    this.pause(false);
    if (!this.own) this.newPlane();
    this.newRun(toEpoch);
    this.fillSettings();
    this.$(".bpkit-pg-net").innerHTML = netHtml(this.run.net.sizes, this.uid);
    this.edges = edgeIndex(this.$(".bpkit-pg-netbox"), this.run.net);
    this.$(".bpkit-pg-legend").innerHTML = legendHtml(this.set().classes, Boolean(this.set().test) && !this.own);
    this.drawAll();
    this.showStop();
  }

  fillSettings() {
    const d = this.d, cfg = this.cfg, n = this.points().labels.length || 1;
    const opt = (v, text) => `<option value="${v}">${text}</option>`;
    const own = this.own ? `<option value="" disabled>your ${this.own.labels.length} points (${this.sets[cfg.dataset].classes} classes)</option>` : "";
    this.$('[data-set="dataset"]').innerHTML = own + Object.keys(this.sets).map((k) => opt(k, this.sets[k].label)).join("");
    this.$('[data-set="activation"]').innerHTML = d.activations.map((a) => opt(a, a)).join("");
    const ms = [...new Set([...BATCHES.filter((m) => m < n), Math.min(cfg.batch, n), n])].sort((a, b) => a - b);
    this.$('[data-set="batch"]').innerHTML = ms.map((m) => opt(m, m === n ? `${m} (all)` : String(m))).join("");
    const values = { dataset: this.own ? "" : cfg.dataset, activation: cfg.activation, eta: String(cfg.eta), batch: String(Math.min(cfg.batch, n)),
      hidden: cfg.hidden.join(", "), seed: String(cfg.seed), limit: String(cfg.limit), target: cfg.target === null ? "" : String(cfg.target),
      example: String(this.example + 1) };
    for (const [k, v] of Object.entries(values)) {
      const box = this.$(`[data-set="${k}"]`);
      box.value = v;
      box.removeAttribute("aria-invalid");
    }
    this.fillModes();
  }

  fillModes() {
    const classes = this.set().classes, name = `${this.uid}-mode`;
    const modes = [["pick", "picks a point for δ"], ...Array.from({ length: classes }, (_, k) => [String(k), `adds class ${k} (${CLASS_NAMES[k].split(" ")[0]})`])];
    this.$(".bpkit-pg-modes").innerHTML = modes.map(([v, text]) => `<label class="bpkit-pg-mode"><input type="radio" name="${name}" value="${v}"${this.clickMode === v ? " checked" : ""} data-set="mode">${text}</label>`).join("");
  }

  say(text) {
    const m = this.$(".bpkit-msg");
    m.textContent = text;
    m.hidden = !text;
  }

  /** The message of the run's stop, or of points it cannot train on. */
  showStop() {
    if (this.problem) return this.say(this.problem);
    const st = this.run.stopped;
    this.say(st ? `Training stopped: ${st.message}` : "");
  }
}

Object.assign(PlaygroundView.prototype, {
  /** The numbers: the epoch, the cost and the accuracies, in the badge, the status, print. */
  drawNumbers() {
    const run = this.run, e = this.shown, cost = run.costs[e], s = this.set(), cfg = this.cfg;
    const acc = run.accuracy(e), held = run.heldOut(run.at(e)), dg = this.digits();
    const replay = e < run.epoch ? ` (replay; ${run.epoch} trained)` : "";
    const heldText = held === null ? (this.own ? "no held-out points for your own points" : "no held-out points") : `held-out accuracy ${Math.round(held * 100)}%`;
    this.$(".bpkit-pg-epoch").textContent = `Epoch ${e}`;
    this.status.textContent = Number.isFinite(cost)
      ? `Epoch ${e}${replay}: training cost ${bpSig(cost, Math.max(2, dg))}, training accuracy ${Math.round(acc * 100)}%, ${heldText}`
      : `Epoch ${e}: the cost is no longer a finite number (training stopped)`;
    const label = this.own ? `your ${run.n} points` : s.label;
    const after = Number.isFinite(cost)
      ? `cost ${bpSig(cost, Math.max(2, dg))}, training accuracy ${Math.round(acc * 100)}%${held === null ? "" : `, held-out accuracy ${Math.round(held * 100)}%`}`
      : "the cost is no longer a finite number";
    this.$(".bpkit-pg-print").textContent = `Settings: ${label}; sizes ${run.net.sizes.join(", ")}; hidden activation ${cfg.activation}, ${s.output_activation} outputs, ${s.cost.replace("_", "-")} cost; η = ${cfg.eta}; mini-batch m = ${run.m}; seed ${cfg.seed}. After ${e} epochs: ${after}.`;
    const scrub = this.$('[data-set="scrub"]');
    scrub.max = String(run.epoch);
    scrub.value = String(e);
    scrub.setAttribute("aria-valuetext", `epoch ${e} of ${run.epoch} trained`);
    this.$(".bpkit-pg-scrubnote").textContent = e < run.epoch ? `showing epoch ${e} of ${run.epoch}` : `the latest of ${run.epoch} epochs`;
  },

  /** A forward pass of the grid through the network shown: every neuron's picture comes from it. */
  gridPass(f) {
    fastGather(this.gridWork, { X: this.gridData.X, Y: [] }, fastRange(GRID * GRID), 0, GRID * GRID);
    fastForward(f, this.gridWork, GRID * GRID);
  },

  /** The answer over the plane, and the points: training filled, held-out hollow. */
  drawBoundary(f) {
    const N = GRID * GRID, L = f.L, K = f.sizes[L - 1], aL = this.gridWork.a[L - 1], card = this.card();
    const finite = Number.isFinite(this.run.costs[this.shown]);
    const sure = (i) => {
      if (!finite) return NaN;
      if (K === 1) return Math.abs(aL[i] - 0.5) * 2;
      let sum = 0, top = 0;
      for (let j = 0; j < K; j += 1) { sum += aL[j * N + i]; top = Math.max(top, aL[j * N + i]); }
      return (top / sum - 1 / K) / (1 - 1 / K);
    };
    paintBoundary(this.canvas, GRID, (i) => fastClassOf(aL, K, N, i), sure, card);
    this.canvas.getContext("2d").drawImage(this.pointsLayer(), 0, 0);
  },

  /** The words of the picture, for screen readers (not at every frame of training). */
  describeBoundary() {
    const s = this.set(), finite = Number.isFinite(this.run.costs[this.shown]);
    const acc = Math.round(this.run.accuracy(this.shown) * 100);
    this.canvas.setAttribute("aria-label", `What the network answers after ${this.shown} epochs, over the plane: ${this.own ? "your points" : s.label}, ${finite ? `${acc}% of the training points classified right` : "the numbers are no longer finite"}. The tint is the class the network gives each place; ${CLASS_NAMES.slice(0, s.classes).map((c, k) => `class ${k}: ${c}`).join(", ")}.`);
  },

  /** The points, drawn once on a transparent layer of their own and then copied onto each
   * picture: training points filled, held-out hollow, the example for δ ringed. */
  pointsLayer() {
    const s = this.set(), p = this.points(), ring = this.clickMode === "pick" ? this.example : null;
    const key = [this.cfg.dataset, p.labels.length, this.own ? 1 : 0, ring, this.ink(), this.canvas.width].join("|");
    if (this.layerKey === key && this.layer && this.layerPoints === p) return this.layer;
    const layer = document.createElement("canvas");
    layer.width = layer.height = this.canvas.width;
    if (s.test && !this.own) paintPoints(layer, this.bounds, s.test.X, s.test.labels, { hollow: true });
    paintPoints(layer, this.bounds, p.X, p.labels, { ring, ink: this.ink(), big: Boolean(this.own) });
    Object.assign(this, { layer, layerKey: key, layerPoints: p });
    return layer;
  },

  /** Inside every neuron, its activation over the plane (inputs: x1, x2). */
  drawThumbnails(f) {
    const N = GRID * GRID, card = this.card(), L = f.L, K = f.sizes[L - 1];
    for (const node of this.root.querySelectorAll(".bpkit-pg-node")) {
      const l = +node.dataset.layer, j = +node.dataset.j, a = this.gridWork.a[l - 1], at = (j - 1) * N;
      const act = l === 1 ? "input" : l === L ? f.output_activation : f.activation;
      let centre = 0, scale = 1;
      if (act === "sigmoid") { centre = 0.5; scale = 0.5; } else if (act === "softmax") { centre = 1 / f.sizes[L - 1]; scale = 1 - centre; } else if (act !== "tanh") {
        scale = 1e-12;
        for (let i = 0; i < N; i += 1) scale = Math.max(scale, Math.abs(a[at + i]));
      }
      const cell = (i) => at + 2 * Math.floor(i / THUMB) * GRID + 2 * (i % THUMB); // every other row and column
      // an output neuron in its class's colour where it is high (a single output: class 1 high, class 0 low)
      const colours = l < L ? {} : K === 1 ? { pos: CLASS_COLOURS[1], neg: CLASS_COLOURS[0] } : { pos: CLASS_COLOURS[j - 1], neg: null };
      paintValue(node.firstElementChild, THUMB, (i) => a[cell(i)] - centre, scale, card, colours);
    }
  },

  drawChart() {
    const run = this.run, n = run.epoch + 1, step = Math.max(1, Math.ceil(n / 300));
    const xs = [], values = [];
    for (let e = 0; e < n; e += step) { xs.push(e); values.push(run.costs[e]); }
    if (xs[xs.length - 1] !== n - 1) { xs.push(n - 1); values.push(run.costs[n - 1]); }
    const dg = this.digits();
    this.$(".bpkit-pg-cost").innerHTML = bpChart([{ values, cls: "is-cost" }], {
      xs, width: 260, height: 140, fromZero: true, xMax: 10, xlabel: "epoch", ylabel: "cost C", cls: "bpkit-pg-costsvg",
      marker: this.shown < run.epoch ? this.shown : null,
      label: `Mean training cost after each epoch: ${n > 1 ? `from ${bpSig(run.costs[0], Math.max(2, dg))} to ${bpSig(run.costs[n - 1], Math.max(2, dg))} after ${n - 1} epochs` : "no epoch trained yet"}`,
    });
  },

  /** The pictures of the epoch shown: answer, neurons, weights, δ's map, and (unless `live`,
   * while training, when the panel's own clock says) the cost curve. */
  drawPictures(live = false) {
    const f = this.run.at(this.shown);
    this.gridPass(f);
    this.drawBoundary(f);
    this.drawThumbnails(f);
    styleEdges(this.edges, f);
    if (!live) { this.drawChart(); this.describeBoundary(); }
    if (this.selected) this.drawDeltaMap(f);
    this.draws += 1;
  },

  /** δ^l_j of every training point (fast engine); its scale, the size that 9 points in 10 stay
   * within (so that one large δ does not wash out the rest), and the largest. */
  deltas(f) {
    const [l, j] = this.selected, n = this.run.n;
    fastAllErrors(f, this.allWork, this.run.data);
    const d = this.allWork.delta[l - 1].subarray((j - 1) * n, j * n);
    let sum = 0;
    for (let x = 0; x < n; x += 1) sum += d[x];
    const sizes = Array.from(d, Math.abs).sort((a, b) => a - b);
    const largest = sizes[n - 1], scale = sizes[Math.min(n - 1, Math.floor(0.9 * n))] || largest;
    return { d, scale, largest, mean: sum / n };
  },

  drawDeltaMap(f) {
    const c = this.$(".bpkit-pg-dcanvas");
    if (!c || this.problem) return;
    const { d, scale, largest } = this.deltas(f), p = this.points();
    paintPointValues(c, this.bounds, p.X, p.labels, d, scale || 1, this.card(), { ring: this.example, ink: this.ink() });
    const out = this.$(".bpkit-pg-dscale"), big = this.$(".bpkit-pg-dlargest");
    if (out) out.textContent = bpSig(scale, 2);
    if (big) big.textContent = bpSig(largest, 3);
  },

  drawDelta() {
    const sel = this.selected;
    this.root.querySelectorAll(".bpkit-pg-neuron").forEach((g) => {
      const on = sel && +g.dataset.layer === sel[0] && +g.dataset.j === sel[1];
      g.classList.toggle("is-sel", Boolean(on));
      g.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (!sel) {
      this.deltaBox.innerHTML = `<p class="bpkit-info-empty">Click a neuron of layer 2 or later (or Tab to it and press Enter) to see its error δ over the plane and the equation, BP1 or BP2, that gives it.</p>`;
      return;
    }
    if (this.problem) {
      this.deltaBox.innerHTML = `<p class="bpkit-info-empty">No δ to show until there are points to train on.</p>`;
      return;
    }
    if (!Number.isFinite(this.run.costs[this.shown])) {
      this.deltaBox.innerHTML = `<p class="bpkit-info-empty">The numbers are no longer finite at this epoch: press Reset, then pick a smaller η (or replay an earlier epoch).</p>`;
      return;
    }
    this.deltaBox.innerHTML = this.deltaPanel(sel[0], sel[1]);
    // a line of equations wider than the panel scrolls sideways: then the keyboard can reach it
    for (const box of this.deltaBox.querySelectorAll(".bpkit-pg-eqs, .bpkit-pg-nums")) {
      if (box.scrollWidth > box.clientWidth + 1) {
        Object.assign(box, { tabIndex: 0 });
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", box.classList.contains("bpkit-pg-nums") ? "The equation with the numbers put in (scrolls sideways)" : "The equation (scrolls sideways)");
      }
    }
    this.drawDeltaMap(this.run.at(this.shown));
  },

  deltaPanel(l, j) {
    const f = this.run.at(this.shown), net = f.toNet(), L = f.L, p = this.points(), s = this.set(), i = this.example;
    const Y = targets(p.labels, s.outputs), col = (M) => M.map((r) => [r[i]]);
    const tr = bpTrace(net, col(p.X), col(Y));
    const step = tr.steps.find((st) => st.layer === l && (st.kind === "output_error" || st.kind === "backpropagated_error"));
    const eq = l === L ? this.d.equations[`BP1:${L}${s.output_activation === "softmax" ? ":softmax" : ""}`] : this.d.equations[`BP2:${l}`];
    const { scale, largest, mean } = this.deltas(f);
    return deltaPanelHtml(l, j, L, {
      eq, step, mean, scale, largest, softmax: s.output_activation === "softmax", card: this.card(), epoch: this.shown, replay: this.shown < this.run.epoch, n: this.run.n, m: this.run.m, i, digits: this.digits(),
      x: p.X.map((r) => bpFmt(r[i], 2)).join(", "), y: Y.map((r) => bpFmt(r[i], 0)).join(", "),
      mapLabel: `The error delta ${l} ${j} of each of the ${this.run.n} training points at epoch ${this.shown}: purple where it is above 0 (raising z there raises the cost), green below, grey near 0; full colour at size ${bpSig(scale, 2)}, the largest ${bpSig(largest, 3)}; the example for delta is ringed.`,
    }, this.uid);
  },

  drawAll() {
    this.drawNumbers();
    this.drawPictures();
    this.drawDelta();
  },

  /** While training: the numbers and pictures; the cost curve and the δ panel (MathML) less often. */
  drawLive(now) {
    if (this.follow) this.shown = this.run.epoch;
    this.drawNumbers();
    this.drawPictures(true);
    if (now - this.lastPanel >= PANEL_MS) {
      this.drawChart();
      this.describeBoundary();
      if (this.selected) this.drawDelta();
      this.lastPanel = now;
    }
  },
});

Object.assign(PlaygroundView.prototype, {
  /** Tell Python (live) and the address (static) where training stands. */
  sync() {
    const m = this.model, run = this.run;
    m.set("epoch", run.epoch);
    m.set("costs", Array.from(run.costs.subarray(0, run.epoch + 1), (c) => (Number.isFinite(c) ? c : null)));
    m.set("_net", run.net.finite() ? run.net.toNet() : run.at(Math.max(0, run.epoch - 1)).toNet());
    m.save_changes();
    if (this.model.isStatic) bpAddressWrite(m.get("key"), this.address.encode(pgToAddress(this.cfg, run.epoch, this.own)));
  },

  setPlaying(on) {
    const b = this.$('[data-act="play"]');
    b.innerHTML = on ? `${bpIcon("pause")}<span>Pause</span>` : `${bpIcon("play")}<span>Play</span>`;
    b.setAttribute("aria-label", on ? "Pause" : "Play");
    b.setAttribute("aria-pressed", on ? "true" : "false");
    this.status.setAttribute("aria-live", on ? "off" : "polite"); // announced when training stops, not every frame
  },

  pause(save = true) {
    const was = this.timer !== null;
    this.timer = null;
    this.setPlaying(false);
    if (was) {
      if (this.follow) this.shown = this.run.epoch;
      this.drawAll();
      this.showStop();
      if (save) this.sync();
    }
  },

  /** One slice of training: epochs until SLICE_MS have passed (or, at a set speed, until the
   * epochs due by now are trained), then the next slice as a new task: at once (a message to
   * itself, so that frames are drawn in between), or, ahead of a set speed, when the next
   * epoch is due (a timer: nothing runs while waiting). */
  slice(token) {
    if (this.timer !== token) return; // paused, or played again since
    const now = performance.now(), deadline = now + SLICE_MS[this.gap < 20 ? 2 : this.gap < 28 ? 1 : 0];
    const rate = this.speed === "max" ? Infinity : Number(this.speed), run = this.run;
    if (rate === Infinity) {
      run.trainWhile(() => performance.now() < deadline);
    } else {
      let due = this.pace.epoch + Math.floor(((now - this.pace.t) * rate) / 1000);
      if (due - run.epoch > rate) { this.pace = { t: now, epoch: run.epoch }; due = run.epoch + 1; } // far behind (a slow machine): no burst
      run.trainWhile(() => run.epoch < due && performance.now() < deadline);
    }
    if (run.stopped) return this.pause();
    if (rate === Infinity || run.epoch < this.pace.epoch + Math.floor(((performance.now() - this.pace.t) * rate) / 1000)) {
      this.channel.port2.postMessage(token);
    } else {
      const next = this.pace.t + ((run.epoch + 1 - this.pace.epoch) * 1000) / rate;
      setTimeout(() => this.slice(token), Math.max(0, next - performance.now()));
    }
  },

  /** Play's speed changed: epochs a second (a string) or "max"; the pace starts again from now. */
  setSpeed(value) {
    this.speed = value;
    this.pace = { t: performance.now(), epoch: this.run.epoch };
  },

  /** One animation frame while training: the pictures, when they are due. Draws are due every
   * DRAW_MS on a clock of their own (not from the last draw), so that frames that come every
   * 16.7 ms, or irregularly, still give 32 draws a second on average; a frame draws when its
   * due time is nearer than half a frame away. */
  frame(token) {
    if (this.timer !== token) return;
    const t0 = performance.now();
    this.frames += 1;
    if (this.lastFrame) this.gap = 0.9 * this.gap + 0.1 * Math.min(100, t0 - this.lastFrame);
    this.lastFrame = t0;
    if (t0 >= this.due - this.gap / 2 && (this.run.epoch !== this.shown || t0 - this.lastPanel >= PANEL_MS)) {
      this.drawLive(t0);
      this.due = Math.max(this.due + DRAW_MS, t0 - DRAW_MS);
      this.drawMs += performance.now() - t0;
    }
    requestAnimationFrame(() => this.frame(token));
  },

  play() {
    if (this.problem) return this.say(this.problem);
    if (this.run.stopped) return this.showStop();
    this.follow = true;
    this.say("");
    this.setPlaying(true);
    Object.assign(this, { due: performance.now(), gap: 16.7, lastFrame: 0, pace: { t: performance.now(), epoch: this.run.epoch } });
    const token = (this.plays = (this.plays || 0) + 1); // a number: postMessage copies what it sends
    this.timer = token;
    if (!this.channel) {
      this.channel = new MessageChannel();
      this.channel.port1.onmessage = (e) => this.slice(e.data);
    }
    this.channel.port2.postMessage(token);
    requestAnimationFrame(() => this.frame(token));
  },

  onAct(act) {
    if (act === "play") return this.timer === null ? this.play() : this.pause();
    if (act === "step") {
      this.pause();
      if (this.problem) return this.say(this.problem);
      this.run.step();
      this.shown = this.run.epoch;
      this.follow = true;
    } else if (act === "reset") {
      this.pause(false);
      this.newRun(0);
    } else if (act === "clear" || act === "restore") {
      return this.editPoints(act === "clear" ? { X: [[], []], labels: [] } : null);
    }
    this.drawAll();
    this.showStop();
    this.sync();
  },
});

Object.assign(PlaygroundView.prototype, {
  /** A setting changed in the page: tell Python, start again from epoch 0 (a new limit or
   * target keeps what was trained). */
  setting(name, value) {
    this.cfg[name] = value;
    if (name === "limit" || name === "target") {
      if (name === "limit") { this.fromPage = true; this.model.set("max_epochs", value); this.model.save_changes(); this.fromPage = false; }
      this.run.setLimits(this.cfg.limit, { accuracy: this.cfg.target === null ? null : this.cfg.target / 100 });
      this.drawNumbers();
      this.showStop();
      return this.sync();
    }
    const trait = { batch: "batch_size", limit: "max_epochs" }[name] || name;
    if (TRAITS.includes(trait)) {
      this.fromPage = true;
      this.model.set(trait, value);
      this.model.save_changes();
      this.fromPage = false;
    }
    this.rebuild(0);
    this.sync();
  },

  /** A typed box: its value if good, else a message and the box back to the last good value. */
  typedSetting(t, name, what, rule, convert = (v) => v) {
    const got = typed(t.value, what, rule);
    if (got.error) {
      t.setAttribute("aria-invalid", "true");
      this.say(`Not used: ${got.error}. The figure keeps ${what} = ${this.cfg[name] ?? "none"}.`);
      return;
    }
    t.removeAttribute("aria-invalid");
    this.say("");
    this.setting(name, convert(got.value));
  },

  onHiddenTyped(t) {
    const text = t.value.trim(), d = this.d;
    const h = text === "" || text === "none" ? [] : text.split(/[\s,;]+/).filter(Boolean).map(Number);
    if (h.length > d.max_hidden_layers || !h.every((n) => Number.isInteger(n) && n >= 1 && n <= d.max_neurons)) {
      t.setAttribute("aria-invalid", "true");
      this.say(`Hidden layers "${text.slice(0, 30)}" not used: give up to ${d.max_hidden_layers} sizes of 1 to ${d.max_neurons} neurons, e.g. 4, 4. The figure keeps ${this.cfg.hidden.join(", ") || "none"}.`);
      return;
    }
    t.removeAttribute("aria-invalid");
    this.say("");
    this.setting("hidden", h);
  },

  onChange(t) {
    const name = t.dataset && t.dataset.set;
    if (!name) return;
    if (name === "example") {
      const got = typed(t.value, "the example", { min: 1, max: this.run.n, whole: true });
      if (got.error) this.say(`Not used: ${got.error}.`);
      else this.pickExample(got.value - 1);
      t.value = String(this.example + 1);
    } else if (name === "hidden") this.onHiddenTyped(t);
    else if (name === "eta") this.typedSetting(t, "eta", "η", { min: 0, max: 1000, exclusive: true });
    else if (name === "seed") this.typedSetting(t, "seed", "the seed", { min: 0, max: 99999, whole: true });
    else if (name === "limit") this.typedSetting(t, "limit", "the epoch limit", { min: 1, max: this.d.max_epochs, whole: true });
    else if (name === "target") {
      if (t.value.trim() === "") return this.setting("target", null);
      this.typedSetting(t, "target", "the target accuracy", { min: 1, max: 100, whole: true });
    } else if (name === "speed") {
      this.setSpeed(t.value);
    } else if (name === "mode") {
      this.clickMode = t.value;
      this.drawPictures();
    } else if (name === "batch") this.setting("batch", Number(t.value));
    else if (name === "dataset") { this.own = null; this.setting("dataset", t.value); }
    else if (name === "activation") this.setting(name, t.value);
  },

  /** Replay: show the network after the epoch the scrubber points at. */
  onScrub(t) {
    const e = Math.min(Math.max(0, Math.round(Number(t.value)) || 0), this.run.epoch);
    this.pause();
    this.shown = e;
    this.follow = e === this.run.epoch;
    this.drawAll();
  },

  pick(g) {
    const l = +g.dataset.layer, j = +g.dataset.j, sel = this.selected;
    this.selected = sel && sel[0] === l && sel[1] === j ? null : [l, j];
    this.drawDelta();
  },

  pickExample(i) {
    this.example = i;
    this.$('[data-set="example"]').value = String(i + 1);
    this.drawPictures();
    this.drawDelta();
  },

  /** The reader's points changed (null: back to the data set's): train again from epoch 0. */
  editPoints(points) {
    this.pause(false);
    this.own = points;
    this.example = 0;
    this.problem = this.pointsProblem();
    if (!this.problem) this.run = null;
    this.newRun(0);
    this.fillSettings();
    this.$(".bpkit-pg-legend").innerHTML = legendHtml(this.set().classes, Boolean(this.set().test) && !this.own);
    this.drawAll();
    this.showStop();
    if (!this.problem) this.sync();
    if (points && points.labels.length > URL_POINTS) this.say(`Your ${points.labels.length} points are not kept in the page's address (it keeps up to ${URL_POINTS}).`);
  },

  /** A click on the picture: pick the nearest point, or add one of the chosen class. */
  onCanvasClick(e) {
    const r = this.canvas.getBoundingClientRect();
    const [x, y] = fromCanvas(this.bounds, r.width, e.clientX - r.left, e.clientY - r.top);
    const p = this.points();
    if (this.clickMode === "pick") {
      let best = -1, bd = Infinity;
      for (let i = 0; i < p.labels.length; i += 1) {
        const dd = (p.X[0][i] - x) ** 2 + (p.X[1][i] - y) ** 2;
        if (dd < bd) { bd = dd; best = i; }
      }
      if (best >= 0 && !this.problem) this.pickExample(best);
      return;
    }
    if (p.labels.length >= MAX_POINTS) return this.say(`The picture holds at most ${MAX_POINTS} points: clear some first.`);
    this.editPoints({ X: [[...p.X[0], x], [...p.X[1], y]], labels: [...p.labels, Number(this.clickMode)] });
  },

  bindEvents() {
    const root = this.root;
    root.addEventListener("change", (e) => this.onChange(e.target));
    root.addEventListener("input", (e) => { if (e.target.dataset.set === "scrub") this.onScrub(e.target); });
    root.addEventListener("click", (e) => {
      const b = e.target.closest("[data-act]");
      if (b) return this.onAct(b.dataset.act);
      const g = e.target.closest(".bpkit-pg-neuron");
      if (g) this.pick(g);
    });
    this.canvas.addEventListener("click", (e) => this.onCanvasClick(e));
    this.fromPython = this.fromPython.bind(this);
    this.retitle = () => { this.$(".bpkit-title").textContent = this.model.get("title"); };
    this.redigits = () => this.drawAll();
    this.onHash = this.onHash.bind(this);
    TRAITS.forEach((t) => this.model.on(`change:${t}`, this.fromPython));
    this.model.on("change:title", this.retitle);
    this.model.on("change:digits", this.redigits);
    if (this.model.isStatic) window.addEventListener("hashchange", this.onHash);
    this.onResize = () => this.stickUnder();
    window.addEventListener("resize", this.onResize);
    // Follow the theme (sphinx-book-theme sets html[data-theme]): the pictures' background.
    this.observer = typeof MutationObserver !== "undefined" ? new MutationObserver(() => { this.colours = null; this.drawPictures(); this.drawDelta(); }) : null;
    if (this.observer) this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  },

  /** Settings changed from Python (live in Jupyter): start again from that configuration. */
  fromPython() {
    if (this.fromPage) return;
    this.cfg = { ...this.fromModel(), target: this.cfg.target };
    this.own = null;
    this.rebuild(0);
    this.sync();
  },

  /** The address's settings (problems shown), or null. */
  readAddress() {
    const text = bpAddressRead(this.model.get("key"));
    if (text === null) return null;
    const { value, problems } = this.address.decode(text);
    const h = pgFromAddress(value);
    if (h.points && h.points.some((p) => p[2] >= (this.sets[h.dataset || this.cfg.dataset] || this.set()).classes)) {
      problems.push("its points name a class this data set does not have");
      delete h.points;
    }
    if (problems.length) this.say(`The address of this figure was not fully used: ${problems.join("; ")}. The rest is the page's own.`);
    return h;
  },

  /** Apply what an address holds: the settings, the reader's points, the epoch. */
  applyAddress(h) {
    const { epoch = 0, points, ...rest } = h;
    this.cfg = { ...this.cfg, ...rest };
    this.own = points ? { X: [points.map((p) => p[0]), points.map((p) => p[1])], labels: points.map((p) => p[2]) } : null;
    const message = this.$(".bpkit-msg").textContent;
    this.newPlane();
    this.rebuild(epoch);
    if (message && !this.problem) this.say(message); // the address's problems stay in view
  },

  onHash() {
    const h = this.readAddress();
    if (!h) return;
    const now = this.address.encode(pgToAddress(this.cfg, this.run.epoch, this.own));
    const then = this.address.encode(pgToAddress({ ...this.cfg, ...h }, h.epoch ?? 0, h.points ? { X: [h.points.map((p) => p[0]), h.points.map((p) => p[1])], labels: h.points.map((p) => p[2]) } : null));
    if (now !== then) this.applyAddress(h);
  },

  /** The page's address wins over the embedded settings (a shared link), in the static book. */
  start() {
    this.cfg = this.fromModel();
    this.retitle();
    const h = this.model.isStatic ? this.readAddress() : null;
    if (h) return this.applyAddress(h);
    this.rebuild(0);
  },

  cleanup() {
    this.pause(false);
    TRAITS.forEach((t) => this.model.off(`change:${t}`, this.fromPython));
    this.model.off("change:title", this.retitle);
    this.model.off("change:digits", this.redigits);
    if (this.model.isStatic) window.removeEventListener("hashchange", this.onHash);
    window.removeEventListener("resize", this.onResize);
    if (this.observer) this.observer.disconnect();
  },
});

function render({ model, el }) {
  const view = new PlaygroundView(model, el);
  return () => view.cleanup();
}

export default { render };
