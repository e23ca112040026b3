/* Playground: train a small network on a 2-D data set in the page; click a neuron for its δ.
 *
 * model: _data (see playground.py: playground_data), dataset, hidden, activation, eta,
 * batch_size, seed, key, digits, title; the page writes back epoch, costs and _net.
 * Every number is computed by the engine (bpTrainBatches, bpFeedforward, bpCostOf, bpTrace,
 * bpBackprop), the JavaScript mirror of bpkit; this file orders the mini-batches (bpEpochBatches),
 * keeps the history and draws.
 */

import { bpCheckNet } from "../engine/checks.js";
import { bpBackprop } from "../engine/equations.js";
import { bpColumns } from "../engine/matrix.js";
import { bpCloneNet, bpFeedforward, bpMeanCost } from "../engine/network.js";
import { bpEpochBatches, bpInitNet } from "../engine/sgd.js";
import { bpTrace } from "../engine/trace.js";
import { bpTrainBatches } from "../engine/train.js";
import { bpChart } from "../page/chart.js";
import { bpAddressRead, bpAddressWrite, bpCodec } from "../page/codec.js";
import { bpFmt, bpIcon, bpUid } from "../page/dom.js";
import { bpLayout, bpSegment } from "../page/network_drawing.js";

const PG_ETAS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100];
const PG_BATCHES = [1, 4, 10, 20, 50];
export const PG_MAX_EPOCHS = 2000;
const PG_GRID = 40; // the boundary is drawn from a PG_GRID × PG_GRID grid of forward passes
const PG_ONE = "#0072b2", PG_ZERO = "#c14d00"; // Okabe–Ito blue and vermillion (class 1, class 0)

/** The playground's part of the address: #key=v:2,data:xor,hidden:4-4,act:tanh,eta:1,m:4,seed:0,epoch:12 */
export function pgAddress(data) {
  return bpCodec(2, [
    { name: "data", type: "enum", values: Object.keys(data.datasets) },
    { name: "hidden", type: "ints", min: 1, max: data.max_neurons, maxLength: data.max_hidden_layers },
    { name: "act", type: "enum", values: data.activations },
    { name: "eta", type: "number", min: 0, exclusive: true, max: 1e6 },
    { name: "m", type: "int", min: 1 },
    { name: "seed", type: "int", min: 0, max: 99999 },
    { name: "epoch", type: "int", min: 0, max: PG_MAX_EPOCHS },
  ]);
}

/** A configuration as the address holds it, and back. */
export function pgToAddress(cfg, epoch) {
  return { data: cfg.dataset, hidden: cfg.hidden, act: cfg.activation, eta: cfg.eta, m: cfg.batch, seed: cfg.seed, epoch };
}
export function pgFromAddress(v) {
  const names = { data: "dataset", hidden: "hidden", act: "activation", eta: "eta", m: "batch", seed: "seed", epoch: "epoch" };
  const out = {};
  for (const [k, name] of Object.entries(names)) if (v[k] !== undefined) out[name] = v[k];
  return out;
}

// -- Classes ----------------------------------------------------------------------------------

/** The class predicted for each column of a^L (one output: a ≥ 0.5; several: the largest) and,
 * for the picture, the "probability" of class 1. */
export function pgClasses(aL) {
  const n = aL[0].length, one = aL.length === 1;
  const cls = new Array(n), p = new Array(n);
  for (let i = 0; i < n; i += 1) {
    if (one) {
      p[i] = aL[0][i];
      cls[i] = aL[0][i] >= 0.5 ? 1 : 0;
    } else {
      const a0 = aL[0][i], a1 = aL[1][i];
      p[i] = a1 / (a0 + a1 || 1);
      cls[i] = a1 > a0 ? 1 : 0;
    }
  }
  return { cls, p };
}

/** The class of each target column (one output: y itself; one-hot: the row of its 1). */
export function pgLabels(Y) {
  return Y[0].map((_, i) => (Y.length === 1 ? (Y[0][i] >= 0.5 ? 1 : 0) : Y[1][i] > Y[0][i] ? 1 : 0));
}

// -- Drawing -------------------------------------------------------------------------------

function pgNum(v, digits) {
  return `<mn>${bpFmt(v, digits)}</mn>`;
}

function pgSym(sym, l, sub) {
  return `<msubsup><mi>${sym}</mi><mrow>${sub}</mrow><mn>${l}</mn></msubsup>`;
}

/** The network: neurons of layers 2..L are buttons; lines coloured and dashed by the sign of w. */
function pgDrawNet(sizes, uid) {
  const L = sizes.length, R = 13;
  const lay = bpLayout(sizes, sizes.map((n) => Array.from({ length: n }, (_, i) => i)),
    { row: 34, gap: L <= 3 ? 120 : 92, padT: 26, padB: 40, padL: 30, padR: 30 });
  let edges = "", nodes = "";
  for (let l = 2; l <= L; l += 1) {
    for (const b of lay.layers[l - 1].nodes) {
      for (const a of lay.layers[l - 2].nodes) {
        const [x1, y1, x2, y2] = bpSegment(a, b, R, R);
        edges += `<line class="bpkit-pg-w" data-l="${l}" data-j="${b.j}" data-k="${a.j}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/>`;
      }
    }
  }
  for (const layer of lay.layers) {
    const kind = layer.l === 1 ? "input" : layer.l === L ? "output" : "hidden";
    for (const node of layer.nodes) {
      const inner = `<circle cx="${node.x}" cy="${node.y}" r="${R}"/><text class="bpkit-nidx" x="${node.x}" y="${node.y + 4.5}" text-anchor="middle">${layer.l === 1 ? "x" + node.j : node.j}</text>`;
      if (layer.l === 1) {
        nodes += `<g class="bpkit-neuron bpkit-input" data-layer="1" data-j="${node.j}">${inner}</g>`;
      } else {
        const label = `Neuron ${node.j} of layer ${layer.l} (${kind}): show its error delta ${layer.l} ${node.j}`;
        nodes += `<g class="bpkit-neuron bpkit-pg-neuron" role="button" tabindex="0" aria-pressed="false" aria-label="${label}" data-layer="${layer.l}" data-j="${node.j}">${inner}</g>`;
      }
    }
    nodes += `<text class="bpkit-llabel" x="${layer.x}" y="${lay.H - 20}" text-anchor="middle">layer ${layer.l}</text>`;
    nodes += `<text class="bpkit-lsub" x="${layer.x}" y="${lay.H - 7}" text-anchor="middle">${kind}</text>`;
  }
  return `<svg class="bpkit-svg bpkit-pg-netsvg" id="${uid}-net" viewBox="0 0 ${lay.W} ${lay.H}" width="${lay.W}" height="${lay.H}" style="width: min(100%, ${lay.W}px)" role="group" aria-label="The network: ${sizes.join(", ")} neurons per layer. Each neuron of layer 2 and later is a button that shows its error delta.">
    <g class="bpkit-edges">${edges}</g><g class="bpkit-nodes">${nodes}</g></svg>`;
}

/** The weights as the lines' thickness, colour and dash (positive solid, negative dashed). */
function pgStyleEdges(svg, net) {
  svg.querySelectorAll(".bpkit-pg-w").forEach((line) => {
    const w = net.weights[line.dataset.l - 2][line.dataset.j - 1][line.dataset.k - 1];
    line.setAttribute("stroke-width", (0.6 + Math.min(Math.abs(w), 3) * 1.3).toFixed(2));
    line.classList.toggle("is-neg", w < 0);
  });
}

/** The data bounds of the picture: the points' box, padded, the same scale on both axes. */
function pgBounds(X) {
  const xs = X[0], ys = X[1];
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const half = 0.62 * Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 0.5);
  return { x0: cx - half, x1: cx + half, y0: cy - half, y1: cy + half };
}

/** The grid of inputs whose outputs colour the picture (one column per cell, row-major). */
function pgGrid(bounds) {
  const g = [[], []];
  for (let r = 0; r < PG_GRID; r += 1) {
    for (let c = 0; c < PG_GRID; c += 1) {
      g[0].push(bounds.x0 + ((c + 0.5) / PG_GRID) * (bounds.x1 - bounds.x0));
      g[1].push(bounds.y1 - ((r + 0.5) / PG_GRID) * (bounds.y1 - bounds.y0));
    }
  }
  return g;
}

function pgHex(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** The output's class-1 probability p as a tint, one cell per grid point (ImageData). */
function paintBoundary(ctx, S, p, card) {
  const base = pgHex(card), one = pgHex(PG_ONE), zero = pgHex(PG_ZERO);
  const img = ctx.createImageData(PG_GRID, PG_GRID);
  for (let i = 0; i < PG_GRID * PG_GRID; i += 1) {
    const q = p[i], col = q >= 0.5 ? one : zero;
    const a = Number.isFinite(q) ? Math.min(1, Math.abs(q - 0.5) * 2) * 0.5 : 0;
    for (let c = 0; c < 3; c += 1) img.data[4 * i + c] = Math.round(base[c] + (col[c] - base[c]) * a);
    img.data[4 * i + 3] = 255;
  }
  const small = typeof OffscreenCanvas !== "undefined" ? new OffscreenCanvas(PG_GRID, PG_GRID) : document.createElement("canvas");
  small.width = small.height = PG_GRID;
  small.getContext("2d").putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, S, S);
}

/** The points (class 1 circles, class 0 squares) and a ring around the selected one. */
function paintPoints(ctx, S, X, labels, bounds, selected, card) {
  const px = (x) => ((x - bounds.x0) / (bounds.x1 - bounds.x0)) * S, py = (y) => ((bounds.y1 - y) / (bounds.y1 - bounds.y0)) * S;
  const n = X[0].length, rad = n <= 10 ? S / 28 : S / 95;
  for (let i = 0; i < n; i += 1) {
    const x = px(X[0][i]), y = py(X[1][i]);
    ctx.beginPath();
    if (labels[i] === 1) ctx.arc(x, y, rad, 0, 2 * Math.PI);
    else ctx.rect(x - rad * 0.9, y - rad * 0.9, rad * 1.8, rad * 1.8); // class 0: squares
    ctx.fillStyle = labels[i] === 1 ? PG_ONE : PG_ZERO;
    ctx.fill();
    ctx.lineWidth = Math.max(1, S / 300);
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
  }
  if (selected !== null && selected < n) {
    ctx.beginPath();
    ctx.arc(px(X[0][selected]), py(X[1][selected]), rad * 2.3 + 3, 0, 2 * Math.PI);
    ctx.lineWidth = Math.max(2.5, S / 110);
    ctx.strokeStyle = card.toLowerCase() === "#ffffff" ? "#1d2430" : "#f2f4f7";
    ctx.stroke();
  }
}

// -- The δ of one neuron -----------------------------------------------------------------------

/** δ^l_j written out with the numbers of example i: BP1 (a − y) or BP2 ((Σ_k w δ) σ'). */
function deltaNumbers(step, l, j, L, digits) {
  const val = (qs, name) => (qs.find((q) => q.name === name) || {}).value;
  const delta = val(step.outputs, `delta^${l}`)[j - 1][0];
  const dl = pgSym("δ", l, `<mn>${j}</mn>`);
  if (l === L) {
    const a = val(step.inputs, `a^${L}`)[j - 1][0], y = val(step.inputs, "y")[j - 1][0];
    return { delta, html: `<math display="block">${dl}<mo>=</mo>${pgNum(a, digits)}<mo>−</mo>${pgNum(y, digits)}<mo>=</mo>${pgNum(delta, digits)}</math>` };
  }
  const w = val(step.inputs, `w^${l + 1}`), dn = val(step.inputs, `delta^${l + 1}`), sp = val(step.inputs, `sigma'(z^${l})`);
  let s = 0;
  for (let k = 0; k < w.length; k += 1) s += w[k][j - 1] * dn[k][0];
  return { delta, html: `<math display="block">${dl}<mo>=</mo><mo>(</mo>${pgNum(s, digits)}<mo>)</mo><mo>×</mo>${pgNum(sp[j - 1][0], digits)}<mo>=</mo>${pgNum(delta, digits)}</math>` };
}

/** The panel for neuron j of layer l: the equation (BP1 or BP2) and its numbers for example i,
 * and δ^l_j averaged over the n points (= ∂C/∂b^l_j by BP3). */
function pgDeltaPanel(d, net, X, Y, l, j, i, digits) {
  const L = net.sizes.length, n = X[0].length;
  const eq = l === L ? d.equations[`BP1:${L}`] : d.equations[`BP2:${l}`];
  const tr = bpTrace(net, bpColumns(X, [i]), bpColumns(Y, [i]));
  const step = tr.steps.find((s) => s.layer === l && (s.kind === "output_error" || s.kind === "backpropagated_error"));
  const { delta, html: numbers } = deltaNumbers(step, l, j, L, digits);
  const dl = pgSym("δ", l, `<mn>${j}</mn>`);
  const { nabla_b } = bpBackprop(net, X, Y);
  const mean = nabla_b[l - 2][j - 1][0] / n;
  const xi = X.map((r) => bpFmt(r[i], 2)).join(", "), yi = Y.map((r) => bpFmt(r[i], 0)).join(", ");
  const kind = l === L ? "output" : "hidden";
  return `<div class="bpkit-pg-dhead"><span class="bpkit-eqtag">${l === L ? "BP1" : "BP2"}</span>
      <span>Error of neuron ${j} in layer ${l} (${kind})${l === L ? "" : `, from layer ${l + 1}`}</span></div>
    <div class="bpkit-pg-eqs"><div>${eq.layer}</div><div>${eq.neuron}</div></div>
    <p class="bpkit-pg-dsub">For example ${i + 1} (the ringed point, x = (${xi}), y = (${yi})), with the current weights:</p>
    <div class="bpkit-pg-nums">${numbers}</div>
    <p class="bpkit-pg-dsub">Averaged over all ${n} points: <math>${`<mfrac><mn>1</mn><mi>n</mi></mfrac><munder><mo>∑</mo><mi>x</mi></munder>`}${dl}<mo>=</mo><mfrac><mrow><mo>∂</mo><mi>C</mi></mrow><mrow><mo>∂</mo>${pgSym("b", l, `<mn>${j}</mn>`)}</mrow></mfrac><mo>=</mo>${pgNum(mean, digits)}</math> (BP3: the step of gradient descent moves this bias by −η times it).</p>
    <p class="bpkit-sr" data-bpkit-delta="${delta}" data-bpkit-mean="${mean}">delta ${l} ${j} = ${bpFmt(delta, digits)} for example ${i + 1}; ${bpFmt(mean, digits)} averaged over the ${n} points.</p>`;
}

// -- The widget ----------------------------------------------------------------------------

function shellHtml(uid) {
  return `
    <div class="bpkit-head"><div class="bpkit-title" id="${uid}-title"></div><div class="bpkit-badge bpkit-pg-epoch">Epoch 0</div></div>
    <div class="bpkit-pg-settings">
      <label>Data<select data-set="dataset"></select></label>
      <label>Hidden layers<input data-set="hidden" type="text" inputmode="numeric" size="7" aria-describedby="${uid}-hidden-help"></label>
      <label>Activation σ<select data-set="activation"></select></label>
      <label>Learning rate η<select data-set="eta"></select></label>
      <label>Mini-batch m<select data-set="batch"></select></label>
      <label>Seed<input data-set="seed" type="number" min="0" max="99999" step="1"></label>
    </div>
    <p class="bpkit-pg-help" id="${uid}-hidden-help">Hidden layers: up to 3 sizes of 1 to 8 neurons, e.g. <code>4, 4</code>; empty for none. A new setting starts again from epoch 0.</p>
    <div class="bpkit-controls" role="toolbar" aria-label="Training controls">
      <button type="button" class="bpkit-btn" data-act="reset" aria-label="Reset to the starting weights" title="Reset">${bpIcon("reset")}<span>Reset</span></button>
      <button type="button" class="bpkit-btn" data-act="step" aria-label="Train one epoch" title="One epoch">${bpIcon("next")}<span>Epoch</span></button>
      <button type="button" class="bpkit-btn bpkit-primary bpkit-play" data-act="play" aria-label="Play" aria-pressed="false">${bpIcon("play")}<span>Play</span></button>
      <span class="bpkit-status" aria-live="polite" aria-atomic="true"></span>
    </div>
    <p class="bpkit-msg" role="status" hidden></p>
    <div class="bpkit-pg-views">
      <figure class="bpkit-pg-fig bpkit-pg-netfig"><figcaption>The network<span class="bpkit-pg-noprint"> (click a neuron)</span></figcaption><div class="bpkit-pg-net"></div></figure>
      <figure class="bpkit-pg-fig"><figcaption>Decision boundary</figcaption>
        <canvas class="bpkit-pg-canvas" width="288" height="288" role="img"></canvas>
        <div class="bpkit-pg-legend"><span><svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" fill="${PG_ONE}"/></svg> class 1 (blue, circles)</span>
          <span><svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true"><rect x="1" y="1" width="10" height="10" fill="${PG_ZERO}"/></svg> class 0 (vermillion, squares)</span></div>
      </figure>
      <figure class="bpkit-pg-fig"><figcaption>Mean training cost</figcaption><div class="bpkit-pg-cost"></div></figure>
    </div>
    <div class="bpkit-pg-exrow"><label>Example for δ<input data-set="example" type="number" min="1" step="1" value="1"></label>
      <span class="bpkit-pg-exnote">the ringed point; click a point to pick it</span></div>
    <div class="bpkit-pg-delta bpkit-info" aria-live="polite"></div>
    <p class="bpkit-pg-print"></p>
    <div class="bpkit-hint">Numbers come from bpkit's JavaScript mirror, tested against bpkit. The settings are kept in the page's address: copy it to share this network at this epoch.</div>`;
}

class PlaygroundView {
  constructor(model, el) {
    this.model = model;
    this.uid = bpUid("pg");
    const root = document.createElement("div");
    root.className = "bpkit-w bpkit-playground";
    root.dataset.phase = "backward";
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "Playground: train a network in the page");
    root.setAttribute("data-lm-suppress-shortcuts", "true");
    root.innerHTML = shellHtml(this.uid);
    el.appendChild(root);
    this.root = root;
    // The figure's state, for tests and the browser console: the network, the epoch, the costs.
    root.bpkitState = () => ({ net: this.net, epoch: this.epoch, costs: this.costs.slice(), config: { ...this.cfg } });
    this.canvas = this.$(".bpkit-pg-canvas");
    this.status = this.$(".bpkit-status");
    this.deltaBox = this.$(".bpkit-pg-delta");
    this.isStatic = Boolean(model.isStatic);
    this.address = pgAddress(this.data());
    Object.assign(this, { net: null, epoch: 0, costs: [], timer: null, selected: null, example: 0, grid: null, bounds: null, lastPicture: 0, fromPage: false });
    this.bindEvents();
    this.start();
  }

  $(s) { return this.root.querySelector(s); }
  data() { return this.model.get("_data"); }
  set() { return this.data().datasets[this.cfg.dataset]; }
  digits() { return this.model.get("digits"); }
  card() { return getComputedStyle(this.root).getPropertyValue("--bp-card").trim() || "#ffffff"; }

  fromModel() {
    const m = this.model;
    return { dataset: m.get("dataset"), hidden: m.get("hidden").slice(), activation: m.get("activation"),
      eta: m.get("eta"), batch: m.get("batch_size"), seed: m.get("seed") };
  }

  /** bpkit's own starting weights for the configuration Python made, else the page's seeded start. */
  startNet() {
    const d = this.data(), s = this.set(), cfg = this.cfg;
    const init = d.initial[cfg.dataset];
    if (init && init.seed === cfg.seed && init.hidden.join("-") === cfg.hidden.join("-")) {
      return { ...bpCloneNet(init.net), activation: cfg.activation };
    }
    return bpInitNet([2, ...cfg.hidden, s.Y.length], cfg.activation, d.output_activation, d.cost, cfg.seed);
  }

  fillSettings() {
    const d = this.data(), cfg = this.cfg, n = this.set().n;
    const opt = (v, text) => `<option value="${v}">${text}</option>`;
    this.$('[data-set="dataset"]').innerHTML = Object.keys(d.datasets).map((k) => opt(k, d.datasets[k].label)).join("");
    this.$('[data-set="activation"]').innerHTML = d.activations.map((a) => opt(a, a)).join("");
    const etas = PG_ETAS.includes(cfg.eta) ? PG_ETAS : [...PG_ETAS, cfg.eta].sort((a, b) => a - b);
    this.$('[data-set="eta"]').innerHTML = etas.map((e) => opt(e, String(e))).join("");
    const ms = [...new Set([...PG_BATCHES.filter((m) => m < n), cfg.batch < n ? cfg.batch : n])].sort((a, b) => a - b);
    this.$('[data-set="batch"]').innerHTML = ms.map((m) => opt(m, m === n ? `${m} (all)` : String(m))).join("");
    this.$('[data-set="dataset"]').value = cfg.dataset;
    this.$('[data-set="activation"]').value = cfg.activation;
    this.$('[data-set="eta"]').value = String(cfg.eta);
    this.$('[data-set="batch"]').value = String(Math.min(cfg.batch, n));
    const hid = this.$('[data-set="hidden"]');
    hid.value = cfg.hidden.join(", ");
    hid.removeAttribute("aria-invalid");
    this.$('[data-set="seed"]').value = String(cfg.seed);
    const ex = this.$('[data-set="example"]');
    ex.max = String(n);
    ex.value = String(this.example + 1);
  }

  accuracy() {
    const s = this.set(), { cls } = pgClasses(bpFeedforward(this.net, s.X)), labels = pgLabels(s.Y);
    return cls.filter((v, i) => v === labels[i]).length / labels.length;
  }

  lastCost() { return this.costs[this.costs.length - 1]; }

  drawNumbers() {
    const cost = this.lastCost(), cfg = this.cfg, s = this.set(), epoch = this.epoch;
    const diverged = !Number.isFinite(cost);
    const acc = diverged ? NaN : this.accuracy();
    this.$(".bpkit-pg-epoch").textContent = `Epoch ${epoch}`;
    this.status.textContent = diverged
      ? `Epoch ${epoch}: the cost is no longer a finite number; η = ${cfg.eta} is too large (training stopped)`
      : `Epoch ${epoch}: cost ${bpFmt(cost, this.digits())}, accuracy ${Math.round(acc * 100)}%`;
    this.$(".bpkit-pg-print").textContent = `Settings: ${s.label}; sizes ${[2, ...cfg.hidden, s.Y.length].join(", ")}; hidden activation ${cfg.activation}, sigmoid outputs, cross-entropy cost; η = ${cfg.eta}; mini-batch m = ${Math.min(cfg.batch, s.n)}; seed ${cfg.seed}. After ${epoch} epochs: cost ${bpFmt(cost, this.digits())}, accuracy ${diverged ? "unknown" : Math.round(acc * 100) + "%"}.`;
    return { cost, acc };
  }

  drawPicture() {
    const s = this.set(), finite = Number.isFinite(this.lastCost());
    const p = finite ? pgClasses(bpFeedforward(this.net, this.grid)).p : this.grid[0].map(() => NaN);
    const ctx = this.canvas.getContext("2d"), S = this.canvas.width, card = this.card();
    paintBoundary(ctx, S, p, card);
    paintPoints(ctx, S, s.X, pgLabels(s.Y), this.bounds, this.example, card);
    const acc = finite ? `${Math.round(this.accuracy() * 100)}% classified correctly` : "the numbers are no longer finite";
    this.canvas.setAttribute("aria-label", `Decision boundary after ${this.epoch} epochs: ${s.label}, ${acc}. Blue tint: the network says class 1, vermillion: class 0.`);
    pgStyleEdges(this.$(".bpkit-pg-net svg"), this.net);
    const costs = this.costs;
    this.$(".bpkit-pg-cost").innerHTML = bpChart([{ values: costs, cls: "is-cost" }], {
      width: 240, height: 170, fromZero: true, xMax: 10, xlabel: "epoch", ylabel: "cost C", cls: "bpkit-pg-costsvg",
      label: `Mean training cost after each epoch: ${costs.length > 1 ? `from ${bpFmt(costs[0], this.digits())} to ${bpFmt(this.lastCost(), this.digits())} after ${costs.length - 1} epochs` : "no epoch trained yet"}`,
    });
  }

  drawDelta() {
    const sel = this.selected;
    this.root.querySelectorAll(".bpkit-pg-neuron").forEach((g) => {
      const on = sel && +g.dataset.layer === sel[0] && +g.dataset.j === sel[1];
      g.classList.toggle("is-sel", Boolean(on));
      g.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (!sel) {
      this.deltaBox.innerHTML = `<p class="bpkit-info-empty">Click a neuron of layer 2 or later (or Tab to it and press Enter) to see its error δ and the equation, BP1 or BP2, that gives it.</p>`;
      return;
    }
    if (!Number.isFinite(this.lastCost())) {
      this.deltaBox.innerHTML = `<p class="bpkit-info-empty">The numbers are no longer finite: press Reset, then pick a smaller η.</p>`;
      return;
    }
    const s = this.set();
    this.deltaBox.innerHTML = pgDeltaPanel(this.data(), this.net, s.X, s.Y, sel[0], sel[1], this.example, this.digits());
  }

  drawAll() {
    this.drawNumbers();
    this.drawPicture();
    this.drawDelta();
  }

  /** Tell Python (live) and the address (static) where training stands. */
  sync() {
    const m = this.model;
    m.set("epoch", this.epoch);
    m.set("costs", this.costs.map((c) => (Number.isFinite(c) ? c : null)));
    m.set("_net", this.net);
    m.save_changes();
    if (this.isStatic) bpAddressWrite(m.get("key"), this.address.encode(pgToAddress(this.cfg, this.epoch)));
  }

  /** One epoch; false once the numbers stop being finite (η too large). */
  trainEpoch() {
    const s = this.set(), cfg = this.cfg;
    let cost = NaN;
    try {
      this.net = bpTrainBatches(this.net, s.X, s.Y, cfg.eta, bpEpochBatches(s.n, Math.min(cfg.batch, s.n), cfg.seed, this.epoch + 1));
      cost = bpMeanCost(this.net, s.X, s.Y);
    } catch (err) {
      cost = NaN;
    }
    this.epoch += 1;
    this.costs.push(cost);
    return Number.isFinite(cost);
  }

  reset(toEpoch = 0) {
    const s = this.set();
    this.net = this.startNet();
    bpCheckNet(this.net);
    this.epoch = 0;
    this.costs = [bpMeanCost(this.net, s.X, s.Y)];
    while (this.epoch < toEpoch && this.trainEpoch());
    const sel = this.selected;
    if (sel && (sel[0] > this.net.sizes.length || sel[1] > this.net.sizes[sel[0] - 1])) this.selected = null;
    this.example = Math.min(this.example, s.n - 1);
  }

  rebuild(toEpoch = 0) {
    this.pause(false);
    this.bounds = pgBounds(this.set().X);
    this.grid = pgGrid(this.bounds);
    this.reset(toEpoch);
    this.fillSettings();
    this.$(".bpkit-pg-net").innerHTML = pgDrawNet(this.net.sizes, this.uid);
    this.drawAll();
  }

  setPlaying(on) {
    const b = this.$('[data-act="play"]');
    b.innerHTML = on ? `${bpIcon("pause")}<span>Pause</span>` : `${bpIcon("play")}<span>Play</span>`;
    b.setAttribute("aria-label", on ? "Pause" : "Play");
    b.setAttribute("aria-pressed", on ? "true" : "false");
    this.status.setAttribute("aria-live", on ? "off" : "polite"); // announced when training stops, not every frame
  }

  pause(save = true) {
    if (this.timer !== null) cancelAnimationFrame(this.timer);
    const was = this.timer !== null;
    this.timer = null;
    this.setPlaying(false);
    if (was) {
      this.drawPicture(); // the boundary of the epoch shown
      this.drawDelta();
      if (save) this.sync();
    }
  }

  frame() {
    const t0 = performance.now();
    let ok = true;
    do ok = this.trainEpoch(); while (ok && this.epoch < PG_MAX_EPOCHS && performance.now() - t0 < 14);
    this.drawNumbers();
    const done = !ok || this.epoch >= PG_MAX_EPOCHS;
    // the picture (a forward pass per grid cell) at most ~8 times a second while training runs
    if (done || performance.now() - this.lastPicture > 120) {
      this.drawPicture();
      this.lastPicture = performance.now();
    }
    if (done) this.pause();
    else this.timer = requestAnimationFrame(() => this.frame());
  }

  play() {
    if (!Number.isFinite(this.lastCost()) || this.epoch >= PG_MAX_EPOCHS) return;
    this.setPlaying(true);
    this.timer = requestAnimationFrame(() => this.frame());
  }

  /** A setting changed in the page: tell Python, start again from epoch 0. */
  setting(name, value) {
    this.cfg[name] = value;
    this.fromPage = true;
    this.model.set(name === "batch" ? "batch_size" : name, value);
    this.model.save_changes();
    this.fromPage = false;
    this.rebuild(0);
    this.sync();
  }

  say(text) {
    const m = this.$(".bpkit-msg");
    m.textContent = text;
    m.hidden = !text;
  }

  onHiddenTyped(t) {
    const text = t.value.trim(), d = this.data();
    const h = text === "" || text === "none" ? [] : text.split(/[\s,;]+/).filter(Boolean).map(Number);
    if (h.length > d.max_hidden_layers || !h.every((n) => Number.isInteger(n) && n >= 1 && n <= d.max_neurons)) {
      t.setAttribute("aria-invalid", "true");
      this.status.textContent = `Hidden layers "${text}" not used: give up to ${d.max_hidden_layers} sizes of 1 to ${d.max_neurons} neurons, e.g. 4, 4.`;
      return;
    }
    this.setting("hidden", h);
  }

  onChange(t) {
    const name = t.dataset && t.dataset.set;
    if (!name) return;
    if (name === "example") {
      const v = Math.round(Number(t.value));
      if (Number.isFinite(v)) this.pickExample(Math.min(Math.max(v, 1), this.set().n) - 1);
      t.value = String(this.example + 1);
    } else if (name === "hidden") {
      this.onHiddenTyped(t);
    } else if (name === "seed") {
      const v = Math.round(Number(t.value));
      if (Number.isFinite(v) && v >= 0 && v <= 99999) this.setting("seed", v);
      else t.value = String(this.cfg.seed);
    } else if (name === "eta" || name === "batch") {
      this.setting(name, Number(t.value));
    } else {
      this.setting(name, t.value);
    }
  }

  onAct(act) {
    if (act === "play") return this.timer === null ? this.play() : this.pause();
    if (act === "step") {
      this.pause();
      if (Number.isFinite(this.lastCost()) && this.epoch < PG_MAX_EPOCHS) this.trainEpoch();
    } else if (act === "reset") {
      this.pause(false);
      this.reset(0);
    }
    this.drawAll();
    this.sync();
  }

  pick(g) {
    const l = +g.dataset.layer, j = +g.dataset.j, sel = this.selected;
    this.selected = sel && sel[0] === l && sel[1] === j ? null : [l, j];
    this.drawDelta();
  }

  pickExample(i) {
    this.example = i;
    this.$('[data-set="example"]').value = String(i + 1);
    this.drawPicture();
    this.drawDelta();
  }

  /** A click on the picture picks the nearest point. */
  onCanvasClick(e) {
    const s = this.set(), r = this.canvas.getBoundingClientRect(), b = this.bounds;
    const x = b.x0 + ((e.clientX - r.left) / r.width) * (b.x1 - b.x0);
    const y = b.y1 - ((e.clientY - r.top) / r.height) * (b.y1 - b.y0);
    let best = 0, bd = Infinity;
    for (let i = 0; i < s.n; i += 1) {
      const dd = (s.X[0][i] - x) ** 2 + (s.X[1][i] - y) ** 2;
      if (dd < bd) { bd = dd; best = i; }
    }
    this.pickExample(best);
  }

  bindEvents() {
    const root = this.root;
    root.addEventListener("change", (e) => this.onChange(e.target));
    root.addEventListener("click", (e) => {
      const b = e.target.closest("[data-act]");
      if (b) return this.onAct(b.dataset.act);
      const g = e.target.closest(".bpkit-pg-neuron");
      if (g) this.pick(g);
    });
    root.addEventListener("keydown", (e) => {
      const g = e.target.closest && e.target.closest(".bpkit-pg-neuron");
      if (g && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        this.pick(g);
      }
    });
    this.canvas.addEventListener("click", (e) => this.onCanvasClick(e));
    this.fromPython = this.fromPython.bind(this);
    this.retitle = () => { this.$(".bpkit-title").textContent = this.model.get("title"); };
    this.redigits = () => this.drawAll();
    this.onHash = this.onHash.bind(this);
    PG_TRAITS.forEach((t) => this.model.on(`change:${t}`, this.fromPython));
    this.model.on("change:title", this.retitle);
    this.model.on("change:digits", this.redigits);
    if (this.isStatic) window.addEventListener("hashchange", this.onHash);
    // Follow the theme (sphinx-book-theme sets html[data-theme]): the picture's background.
    this.observer = typeof MutationObserver !== "undefined" ? new MutationObserver(() => this.drawPicture()) : null;
    if (this.observer) this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  /** Settings changed from Python (live in Jupyter): start again from that configuration. */
  fromPython() {
    if (this.fromPage) return;
    this.cfg = this.fromModel();
    this.rebuild(0);
    this.sync();
  }

  /** The address's settings, or null; its problems are shown. */
  readAddress() {
    const text = bpAddressRead(this.model.get("key"));
    if (text === null) return null;
    const { value, problems } = this.address.decode(text);
    if (problems.length) this.say(`The address of this figure was not fully used: ${problems.join("; ")}. The rest is the page's own.`);
    return pgFromAddress(value);
  }

  onHash() {
    const h = this.readAddress();
    if (!h) return;
    const { epoch = 0, ...rest } = h, cfg = { ...this.cfg, ...rest };
    if (this.address.encode(pgToAddress(cfg, epoch)) !== this.address.encode(pgToAddress(this.cfg, this.epoch))) {
      this.cfg = cfg;
      this.rebuild(epoch);
    }
  }

  /** The page's address wins over the embedded settings (a shared link), in the static book. */
  start() {
    this.cfg = this.fromModel();
    let epoch = 0;
    const h = this.isStatic ? this.readAddress() : null;
    if (h) {
      const { epoch: e = 0, ...rest } = h;
      this.cfg = { ...this.cfg, ...rest };
      epoch = e;
    }
    this.retitle();
    this.rebuild(epoch);
  }

  cleanup() {
    this.pause(false);
    PG_TRAITS.forEach((t) => this.model.off(`change:${t}`, this.fromPython));
    this.model.off("change:title", this.retitle);
    this.model.off("change:digits", this.redigits);
    if (this.isStatic) window.removeEventListener("hashchange", this.onHash);
    if (this.observer) this.observer.disconnect();
  }
}

const PG_TRAITS = ["dataset", "hidden", "activation", "eta", "batch_size", "seed"];

function render({ model, el }) {
  const view = new PlaygroundView(model, el);
  return () => view.cleanup();
}

export default { render };
