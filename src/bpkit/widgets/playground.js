/* Playground: train a small network on a 2-D data set in the page; click a neuron for its δ.
 *
 * model: _data (see playground.py: playground_data), dataset, hidden, activation, eta,
 * batch_size, seed, key, digits, title; the page writes back epoch, costs and _net.
 * Every number is computed by engine.js (bpBackprop, bpUpdate, bpFeedforward, bpCostOf,
 * bpTrace), the JavaScript mirror of bpkit; this file only orders the mini-batches, keeps
 * the history and draws.
 */

const PG_ETAS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100];
const PG_BATCHES = [1, 4, 10, 20, 50];
const PG_MAX_EPOCHS = 2000;
const PG_GRID = 40; // the boundary is drawn from a PG_GRID × PG_GRID grid of forward passes
const PG_ONE = "#0072b2", PG_ZERO = "#c14d00"; // Okabe–Ito blue and vermillion (class 1, class 0)

// -- Training: the order of the mini-batches, and one epoch on top of the engine -----------------

/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed, the same numbers. */
function pgRandom(seed) {
  let a = (seed >>> 0) || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The mini-batches of one epoch: the n examples shuffled (seeded by seed and epoch, Fisher–Yates),
 * then cut into runs of m (the last may be shorter), as bpkit.sgd cuts its permutation. */
function pgEpochBatches(n, m, seed, epoch) {
  const rand = pgRandom((seed * 100003 + epoch * 7919 + 1) >>> 0);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i -= 1) {
    const k = Math.floor(rand() * (i + 1));
    [perm[i], perm[k]] = [perm[k], perm[i]];
  }
  const out = [];
  for (let k = 0; k < n; k += m) out.push(perm.slice(k, k + m));
  return out;
}

/** The columns idx of a matrix stored as rows. */
function pgColumns(M, idx) {
  return M.map((row) => idx.map((i) => row[i]));
}

/** One step of gradient descent on the mini-batch idx: w → w − (η/m) Σ_x ∂C_x/∂w (BP1–BP4 by
 * the engine), and the same for b. Returns the new network. */
function pgStep(net, X, Y, eta, idx) {
  const { nabla_b, nabla_w } = bpBackprop(net, pgColumns(X, idx), pgColumns(Y, idx));
  return bpUpdate(net, nabla_b, nabla_w, eta, idx.length);
}

/** Train on the given mini-batches in order; returns the new network. */
function pgTrainBatches(net, X, Y, eta, batches) {
  for (const idx of batches) net = pgStep(net, X, Y, eta, idx);
  return net;
}

/** The starting network of sizes and seed, when bpkit did not make it: bpkit's "scaled" start
 * (w^l_jk from N(0, 1/n_(l−1)), b^l_j from N(0, 1)), drawn by this page's seeded generator. */
function pgInitNet(sizes, activation, outputActivation, cost, seed) {
  const rand = pgRandom((seed * 2654435761 + 12345) >>> 0);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const weights = [], biases = [];
  for (let l = 1; l < sizes.length; l += 1) {
    const s = 1 / Math.sqrt(sizes[l - 1]);
    weights.push(Array.from({ length: sizes[l] }, () => Array.from({ length: sizes[l - 1] }, () => normal() * s)));
    biases.push(Array.from({ length: sizes[l] }, () => [normal()]));
  }
  return { sizes: sizes.slice(), weights, biases, activation, output_activation: outputActivation, cost };
}

/** The class predicted for each column of a^L (one output: a ≥ 0.5; several: the largest) and,
 * for the picture, the "probability" of class 1. */
function pgClasses(aL) {
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
function pgLabels(Y) {
  return Y[0].map((_, i) => (Y.length === 1 ? (Y[0][i] >= 0.5 ? 1 : 0) : Y[1][i] > Y[0][i] ? 1 : 0));
}

// -- The page's address: #key=data:xor,hidden:4-4,act:tanh,eta:1,m:4,seed:0,epoch:12 ------------

function pgHashParts() {
  const h = (typeof location !== "undefined" && location.hash) ? location.hash.slice(1) : "";
  return h ? h.split("&").filter(Boolean) : [];
}

function pgEncode(cfg, epoch) {
  return `data:${cfg.dataset},hidden:${cfg.hidden.length ? cfg.hidden.join("-") : "none"},act:${cfg.activation},eta:${cfg.eta},m:${cfg.batch},seed:${cfg.seed},epoch:${epoch}`;
}

/** The configuration stored under key in the address, or null; unknown or bad fields are ignored. */
function pgReadHash(key, data) {
  const part = pgHashParts().find((p) => p.startsWith(key + "="));
  if (!part) return null;
  const out = {};
  for (const field of decodeURIComponent(part.slice(key.length + 1)).split(",")) {
    const [name, value] = field.split(":");
    if (name === "data" && data.datasets[value]) out.dataset = value;
    else if (name === "hidden") {
      const h = value === "none" ? [] : value.split("-").map(Number);
      if (h.length <= data.max_hidden_layers && h.every((n) => Number.isInteger(n) && n >= 1 && n <= data.max_neurons)) out.hidden = h;
    } else if (name === "act" && data.activations.includes(value)) out.activation = value;
    else if (name === "eta" && Number(value) > 0 && Number.isFinite(Number(value))) out.eta = Number(value);
    else if (name === "m" && Number.isInteger(Number(value)) && Number(value) >= 1) out.batch = Number(value);
    else if (name === "seed" && Number.isInteger(Number(value)) && Number(value) >= 0) out.seed = Number(value);
    else if (name === "epoch" && Number.isInteger(Number(value)) && Number(value) >= 0) out.epoch = Math.min(Number(value), PG_MAX_EPOCHS);
  }
  return out;
}

function pgWriteHash(key, value) {
  if (typeof history === "undefined" || !history.replaceState) return;
  const parts = pgHashParts().filter((p) => !p.startsWith(key + "="));
  parts.push(`${key}=${value}`);
  history.replaceState(history.state, "", "#" + parts.join("&"));
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

/** The cost after each epoch, as a line (an SVG with its axes and extreme values). */
function pgDrawCost(costs, digits) {
  const W = 280, H = 170, l = 46, r = 12, t = 14, b = 34;
  const finite = costs.filter(Number.isFinite);
  const top = finite.length ? Math.max(...finite) : 1, n = Math.max(costs.length - 1, 10);
  const X = (i) => l + ((W - l - r) * i) / n, Yv = (c) => t + (H - t - b) * (1 - c / (top || 1));
  let pts = "";
  costs.forEach((c, i) => { if (Number.isFinite(c)) pts += `${X(i).toFixed(1)},${Yv(c).toFixed(1)} `; });
  const last = costs.length ? costs[costs.length - 1] : NaN;
  return `<svg class="bpkit-svg bpkit-pg-costsvg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" style="width: min(100%, ${W}px)" role="img" aria-label="Mean training cost after each epoch: ${costs.length > 1 ? `from ${bpFmt(costs[0], digits)} to ${bpFmt(last, digits)} after ${costs.length - 1} epochs` : "no epoch trained yet"}">
    <line class="bpkit-pg-axis" x1="${l}" y1="${t}" x2="${l}" y2="${H - b}"/><line class="bpkit-pg-axis" x1="${l}" y1="${H - b}" x2="${W - r}" y2="${H - b}"/>
    <text class="bpkit-pg-tick" x="${l - 5}" y="${t + 4}" text-anchor="end">${bpFmt(top, 2)}</text>
    <text class="bpkit-pg-tick" x="${l - 5}" y="${H - b + 4}" text-anchor="end">0</text>
    <text class="bpkit-pg-tick" x="${l}" y="${H - b + 15}" text-anchor="middle">0</text>
    <text class="bpkit-pg-tick" x="${W - r}" y="${H - b + 15}" text-anchor="end">${n}</text>
    <text class="bpkit-pg-axlabel" x="${(l + W - r) / 2}" y="${H - 4}" text-anchor="middle">epoch</text>
    <text class="bpkit-pg-axlabel" x="12" y="${(t + H - b) / 2}" text-anchor="middle" transform="rotate(-90 12 ${(t + H - b) / 2})">cost C</text>
    <polyline class="bpkit-pg-curve" points="${pts}"/></svg>`;
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

/** Paint the decision boundary (the output's class-1 probability as a tint) and the points. */
function pgPaint(canvas, p, X, labels, bounds, selected, card) {
  const ctx = canvas.getContext("2d"), S = canvas.width;
  const base = pgHex(card), one = pgHex(PG_ONE), zero = pgHex(PG_ZERO);
  const cell = S / PG_GRID;
  for (let r = 0; r < PG_GRID; r += 1) {
    for (let c = 0; c < PG_GRID; c += 1) {
      const q = p[r * PG_GRID + c], col = q >= 0.5 ? one : zero;
      const a = Number.isFinite(q) ? Math.min(1, Math.abs(q - 0.5) * 2) * 0.5 : 0;
      const rgb = base.map((v, i) => Math.round(v + (col[i] - v) * a));
      ctx.fillStyle = `rgb(${rgb.join(",")})`;
      ctx.fillRect(Math.floor(c * cell), Math.floor(r * cell), Math.ceil(cell) + 1, Math.ceil(cell) + 1);
    }
  }
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

/** The panel for neuron j of layer l: the equation (BP1 or BP2) and its numbers for example i,
 * and δ^l_j averaged over the n points (= ∂C/∂b^l_j by BP3). */
function pgDeltaPanel(d, net, X, Y, l, j, i, digits) {
  const L = net.sizes.length, n = X[0].length;
  const eq = l === L ? d.equations[`BP1:${L}`] : d.equations[`BP2:${l}`];
  const tr = bpTrace(net, pgColumns(X, [i]), pgColumns(Y, [i]));
  const step = tr.steps.find((s) => s.layer === l && (s.kind === "output_error" || s.kind === "backpropagated_error"));
  const val = (qs, name) => (qs.find((q) => q.name === name) || {}).value;
  const delta = val(step.outputs, `delta^${l}`)[j - 1][0];
  const dl = pgSym("δ", l, `<mn>${j}</mn>`);
  let numbers;
  if (l === L) {
    const a = val(step.inputs, `a^${L}`)[j - 1][0], y = val(step.inputs, "y")[j - 1][0];
    numbers = `<math display="block">${dl}<mo>=</mo>${pgNum(a, digits)}<mo>−</mo>${pgNum(y, digits)}<mo>=</mo>${pgNum(delta, digits)}</math>`;
  } else {
    const w = val(step.inputs, `w^${l + 1}`), dn = val(step.inputs, `delta^${l + 1}`), sp = val(step.inputs, `sigma'(z^${l})`);
    let s = 0;
    for (let k = 0; k < w.length; k += 1) s += w[k][j - 1] * dn[k][0];
    numbers = `<math display="block">${dl}<mo>=</mo><mo>(</mo>${pgNum(s, digits)}<mo>)</mo><mo>×</mo>${pgNum(sp[j - 1][0], digits)}<mo>=</mo>${pgNum(delta, digits)}</math>`;
  }
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

function render({ model, el }) {
  const uid = bpUid("pg");
  const root = document.createElement("div");
  root.className = "bpkit-w bpkit-playground";
  root.dataset.phase = "backward";
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", "Playground: train a network in the page");
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  const opt = (v, text) => `<option value="${v}">${text}</option>`;
  root.innerHTML = `
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
  el.appendChild(root);
  // The figure's state, for tests and the browser console: the network, the epoch, the costs.
  root.bpkitState = () => ({ net, epoch, costs: costs.slice(), config: { ...cfg } });
  const $ = (s) => root.querySelector(s);
  const canvas = $(".bpkit-pg-canvas"), status = $(".bpkit-status"), deltaBox = $(".bpkit-pg-delta");
  const isStatic = !!(el.closest && el.closest(".bpkit-static"));

  let cfg, net0, net, epoch = 0, costs = [], timer = null, selected = null, example = 0, grid = null, bounds = null;
  const data = () => model.get("_data");
  const set = () => data().datasets[cfg.dataset];
  const digits = () => model.get("digits");
  const card = () => (getComputedStyle(root).getPropertyValue("--bp-card").trim() || "#ffffff");

  function fromModel() {
    return { dataset: model.get("dataset"), hidden: model.get("hidden").slice(), activation: model.get("activation"),
      eta: model.get("eta"), batch: model.get("batch_size"), seed: model.get("seed") };
  }

  function startNet() {
    const d = data(), s = set();
    const sizes = [2, ...cfg.hidden, s.Y.length];
    const init = d.initial[cfg.dataset];
    if (init && init.seed === cfg.seed && init.hidden.join("-") === cfg.hidden.join("-")) {
      return { ...bpCloneNet(init.net), activation: cfg.activation }; // bpkit's own starting weights
    }
    return pgInitNet(sizes, cfg.activation, d.output_activation, d.cost, cfg.seed);
  }

  function fillSettings() {
    const d = data();
    $('[data-set="dataset"]').innerHTML = Object.keys(d.datasets).map((k) => opt(k, d.datasets[k].label)).join("");
    $('[data-set="activation"]').innerHTML = d.activations.map((a) => opt(a, a)).join("");
    const etas = PG_ETAS.includes(cfg.eta) ? PG_ETAS : [...PG_ETAS, cfg.eta].sort((a, b) => a - b);
    $('[data-set="eta"]').innerHTML = etas.map((e) => opt(e, String(e))).join("");
    const n = set().n;
    const ms = [...new Set([...PG_BATCHES.filter((m) => m < n), cfg.batch < n ? cfg.batch : n])].sort((a, b) => a - b);
    $('[data-set="batch"]').innerHTML = ms.map((m) => opt(m, m === n ? `${m} (all)` : String(m))).join("");
    $('[data-set="dataset"]').value = cfg.dataset;
    $('[data-set="activation"]').value = cfg.activation;
    $('[data-set="eta"]').value = String(cfg.eta);
    $('[data-set="batch"]').value = String(Math.min(cfg.batch, n));
    const hid = $('[data-set="hidden"]');
    hid.value = cfg.hidden.join(", ");
    hid.removeAttribute("aria-invalid");
    $('[data-set="seed"]').value = String(cfg.seed);
    const ex = $('[data-set="example"]');
    ex.max = String(n);
    ex.value = String(example + 1);
  }

  function summary() {
    const c = costs[costs.length - 1];
    const s = set(), aL = bpFeedforward(net, s.X), { cls } = pgClasses(aL), labels = pgLabels(s.Y);
    const acc = cls.filter((v, i) => v === labels[i]).length / labels.length;
    return { cost: c, acc };
  }

  function drawNumbers() {
    const { cost, acc } = summary();
    $(".bpkit-pg-epoch").textContent = `Epoch ${epoch}`;
    const diverged = !Number.isFinite(cost);
    status.textContent = diverged
      ? `Epoch ${epoch}: the cost is no longer a finite number; η = ${cfg.eta} is too large (training stopped)`
      : `Epoch ${epoch}: cost ${bpFmt(cost, digits())}, accuracy ${Math.round(acc * 100)}%`;
    $(".bpkit-pg-print").textContent = `Settings: ${set().label}; sizes ${[2, ...cfg.hidden, set().Y.length].join(", ")}; hidden activation ${cfg.activation}, sigmoid outputs, cross-entropy cost; η = ${cfg.eta}; mini-batch m = ${Math.min(cfg.batch, set().n)}; seed ${cfg.seed}. After ${epoch} epochs: cost ${bpFmt(cost, digits())}, accuracy ${Math.round(acc * 100)}%.`;
    return { cost, acc };
  }

  function drawPicture() {
    const s = set();
    const p = Number.isFinite(costs[costs.length - 1]) ? pgClasses(bpFeedforward(net, grid)).p : grid[0].map(() => NaN);
    pgPaint(canvas, p, s.X, pgLabels(s.Y), bounds, example, card());
    const { acc } = summary();
    canvas.setAttribute("aria-label", `Decision boundary after ${epoch} epochs: ${s.label}, ${Math.round(acc * 100)}% classified correctly. Blue tint: the network says class 1, vermillion: class 0.`);
    pgStyleEdges($(".bpkit-pg-net svg"), net);
    $(".bpkit-pg-cost").innerHTML = pgDrawCost(costs, digits());
  }

  function drawDelta() {
    root.querySelectorAll(".bpkit-pg-neuron").forEach((g) => {
      const on = selected && +g.dataset.layer === selected[0] && +g.dataset.j === selected[1];
      g.classList.toggle("is-sel", !!on);
      g.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (!selected) {
      deltaBox.innerHTML = `<p class="bpkit-info-empty">Click a neuron of layer 2 or later (or Tab to it and press Enter) to see its error δ and the equation, BP1 or BP2, that gives it.</p>`;
      return;
    }
    const s = set();
    if (!Number.isFinite(costs[costs.length - 1])) {
      deltaBox.innerHTML = `<p class="bpkit-info-empty">The numbers are no longer finite: press Reset, then pick a smaller η.</p>`;
      return;
    }
    deltaBox.innerHTML = pgDeltaPanel(data(), net, s.X, s.Y, selected[0], selected[1], example, digits());
  }

  function drawAll() {
    drawNumbers();
    drawPicture();
    drawDelta();
  }

  function sync() {
    model.set("epoch", epoch);
    model.set("costs", costs.map((c) => (Number.isFinite(c) ? c : null)));
    model.set("_net", net);
    model.save_changes();
    if (isStatic) pgWriteHash(model.get("key"), pgEncode(cfg, epoch));
  }

  /** One epoch; false once the numbers stop being finite (η too large: the engine refuses them). */
  function trainEpoch() {
    const s = set();
    let cost = NaN;
    try {
      net = pgTrainBatches(net, s.X, s.Y, cfg.eta, pgEpochBatches(s.n, Math.min(cfg.batch, s.n), cfg.seed, epoch + 1));
      cost = bpMeanCost(net, s.X, s.Y);
    } catch (err) {
      cost = NaN;
    }
    epoch += 1;
    costs.push(cost);
    return Number.isFinite(cost);
  }

  function reset(toEpoch = 0) {
    const s = set();
    net0 = startNet();
    net = net0;
    epoch = 0;
    costs = [bpMeanCost(net, s.X, s.Y)];
    while (epoch < toEpoch && trainEpoch());
    if (selected && (selected[0] > net.sizes.length || selected[1] > net.sizes[selected[0] - 1])) selected = null;
    example = Math.min(example, s.n - 1);
  }

  function rebuild(toEpoch = 0) {
    pause(false);
    bounds = pgBounds(set().X);
    grid = pgGrid(bounds);
    reset(toEpoch);
    fillSettings();
    $(".bpkit-pg-net").innerHTML = pgDrawNet(net.sizes, uid);
    drawAll();
  }

  function setPlaying(on) {
    const b = $('[data-act="play"]');
    b.innerHTML = on ? `${bpIcon("pause")}<span>Pause</span>` : `${bpIcon("play")}<span>Play</span>`;
    b.setAttribute("aria-label", on ? "Pause" : "Play");
    b.setAttribute("aria-pressed", on ? "true" : "false");
    status.setAttribute("aria-live", on ? "off" : "polite"); // announced when training stops, not every frame
  }
  function pause(save = true) {
    if (timer !== null) cancelAnimationFrame(timer);
    const was = timer !== null;
    timer = null;
    setPlaying(false);
    if (was) {
      drawPicture(); // the boundary of the epoch shown
      drawDelta();
      if (save) sync();
    }
  }
  let lastPicture = 0;
  function frame() {
    const t0 = performance.now();
    let ok = true;
    do ok = trainEpoch(); while (ok && epoch < PG_MAX_EPOCHS && performance.now() - t0 < 14);
    drawNumbers();
    const done = !ok || epoch >= PG_MAX_EPOCHS;
    // the picture (a forward pass per grid cell) at most ~8 times a second while training runs
    if (done || performance.now() - lastPicture > 120) {
      drawPicture();
      lastPicture = performance.now();
    }
    if (done) {
      pause();
      return;
    }
    timer = requestAnimationFrame(frame);
  }
  function play() {
    if (!Number.isFinite(costs[costs.length - 1]) || epoch >= PG_MAX_EPOCHS) return;
    setPlaying(true);
    timer = requestAnimationFrame(frame);
  }

  let fromPage = false;
  function setting(name, value) {
    cfg[name] = value;
    fromPage = true;
    const trait = name === "batch" ? "batch_size" : name;
    model.set(trait, value);
    model.save_changes();
    fromPage = false;
    rebuild(0);
    sync();
  }

  root.addEventListener("change", (e) => {
    const t = e.target, name = t.dataset && t.dataset.set;
    if (!name) return;
    if (name === "example") {
      const v = Math.round(Number(t.value));
      if (Number.isFinite(v)) {
        example = Math.min(Math.max(v, 1), set().n) - 1;
        t.value = String(example + 1);
        drawPicture();
        drawDelta();
      }
    } else if (name === "hidden") {
      const text = t.value.trim();
      const h = text === "" || text === "none" ? [] : text.split(/[\s,;]+/).filter(Boolean).map(Number);
      const d = data();
      if (h.length > d.max_hidden_layers || !h.every((n) => Number.isInteger(n) && n >= 1 && n <= d.max_neurons)) {
        t.setAttribute("aria-invalid", "true");
        status.textContent = `Hidden layers "${text}" not used: give up to ${d.max_hidden_layers} sizes of 1 to ${d.max_neurons} neurons, e.g. 4, 4.`;
        return;
      }
      setting("hidden", h);
    } else if (name === "seed") {
      const v = Math.round(Number(t.value));
      if (Number.isFinite(v) && v >= 0) setting("seed", v);
    } else if (name === "eta" || name === "batch") {
      setting(name, Number(t.value));
    } else {
      setting(name, t.value);
    }
  });
  root.addEventListener("click", (e) => {
    const b = e.target.closest("[data-act]");
    if (b) {
      const act = b.dataset.act;
      if (act === "play") (timer === null ? play() : pause());
      else if (act === "step") {
        pause();
        if (Number.isFinite(costs[costs.length - 1]) && epoch < PG_MAX_EPOCHS) trainEpoch();
        drawAll();
        sync();
      } else if (act === "reset") {
        pause(false);
        reset(0);
        drawAll();
        sync();
      }
      return;
    }
    const g = e.target.closest(".bpkit-pg-neuron");
    if (g) pick(g);
  });
  root.addEventListener("keydown", (e) => {
    const g = e.target.closest && e.target.closest(".bpkit-pg-neuron");
    if (g && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      pick(g);
    }
  });
  function pick(g) {
    const l = +g.dataset.layer, j = +g.dataset.j;
    selected = selected && selected[0] === l && selected[1] === j ? null : [l, j];
    drawDelta();
  }
  canvas.addEventListener("click", (e) => {
    const s = set(), r = canvas.getBoundingClientRect();
    const x = bounds.x0 + ((e.clientX - r.left) / r.width) * (bounds.x1 - bounds.x0);
    const y = bounds.y1 - ((e.clientY - r.top) / r.height) * (bounds.y1 - bounds.y0);
    let best = 0, bd = Infinity;
    for (let i = 0; i < s.n; i += 1) {
      const dd = (s.X[0][i] - x) ** 2 + (s.X[1][i] - y) ** 2;
      if (dd < bd) { bd = dd; best = i; }
    }
    example = best;
    $('[data-set="example"]').value = String(best + 1);
    drawPicture();
    drawDelta();
  });

  // Settings changed from Python (live in Jupyter): start again from that configuration.
  const traits = ["dataset", "hidden", "activation", "eta", "batch_size", "seed"];
  function fromPython() {
    if (fromPage) return;
    cfg = fromModel();
    rebuild(0);
    sync();
  }
  traits.forEach((t) => model.on(`change:${t}`, fromPython));
  const retitle = () => { $(".bpkit-title").textContent = model.get("title"); };
  const redigits = () => drawAll();
  model.on("change:title", retitle);
  model.on("change:digits", redigits);

  // The page's address wins over the embedded settings (a shared link), in the static book.
  cfg = fromModel();
  let start = 0;
  const fromHash = isStatic ? pgReadHash(model.get("key"), data()) : null;
  if (fromHash) {
    const { epoch: e = 0, ...rest } = fromHash;
    cfg = { ...cfg, ...rest };
    start = e;
  }
  retitle();
  rebuild(start);
  const onHash = () => {
    const h = pgReadHash(model.get("key"), data());
    if (h && pgEncode({ ...cfg, ...h }, h.epoch ?? 0) !== pgEncode(cfg, epoch)) {
      const { epoch: e = 0, ...rest } = h;
      cfg = { ...cfg, ...rest };
      rebuild(e);
    }
  };
  if (isStatic) window.addEventListener("hashchange", onHash);
  // Follow the theme (sphinx-book-theme sets html[data-theme]): the picture's background.
  const observer = typeof MutationObserver !== "undefined" ? new MutationObserver(() => drawPicture()) : null;
  if (observer) observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => {
    pause(false);
    traits.forEach((t) => model.off(`change:${t}`, fromPython));
    model.off("change:title", retitle);
    model.off("change:digits", redigits);
    if (isStatic) window.removeEventListener("hashchange", onHash);
    if (observer) observer.disconnect();
  };
}

export default { render };
