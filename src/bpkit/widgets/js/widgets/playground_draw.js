/* The playground's drawings and panels: the figure's HTML, the network with a picture inside
 * every neuron, and the δ panel (BP1 or BP2 with the numbers of one example put in). The
 * controller is playground.js. */

import { bpIcon, bpSig } from "../page/dom.js";
import { CLASS_COLOURS, CLASS_NAMES, deltaColours } from "../page/plane.js";
import { bpLayout, bpSegment } from "../page/network_drawing.js";

export const NODE = 34; // a neuron's picture, in the drawing's units
const MAX_NET_HEIGHT = 300; // px: a network of 8 neurons a layer is drawn no taller, so that the δ panel under it stays in view

/** Play's speeds: epochs a second, or the fastest the machine allows ("max"). */
export const SPEEDS = [["3", "3 epochs/s"], ["10", "10 epochs/s"], ["30", "30 epochs/s"], ["100", "100 epochs/s"], ["300", "300 epochs/s"], ["max", "fastest"]];
export const DEFAULT_SPEED = "100";

/** The figure, empty: settings; the controls and the replay slider (kept in view while the
 * reader scrolls the figure); the network beside the answer over the plane, the δ panel beside
 * the cost curve (one column when narrow, the δ panel under the network); the print line. */
export function shellHtml(uid, d) {
  const speeds = SPEEDS.map(([v, text]) => `<option value="${v}"${v === DEFAULT_SPEED ? " selected" : ""}>${text}</option>`).join("");
  return `
    <div class="bpkit-head"><div class="bpkit-title" id="${uid}-title"></div><div class="bpkit-badge bpkit-pg-epoch">Epoch 0</div></div>
    <div class="bpkit-pg-settings">
      <label>Data<select data-set="dataset"></select></label>
      <label>Hidden layers<input data-set="hidden" type="text" inputmode="numeric" class="bpkit-pg-num bpkit-pg-wide" aria-describedby="${uid}-help"></label>
      <label>Activation σ<select data-set="activation"></select></label>
      <label>Learning rate η<input data-set="eta" type="text" inputmode="decimal" class="bpkit-pg-num" list="${uid}-etas" aria-describedby="${uid}-help"></label>
      <datalist id="${uid}-etas">${[0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30].map((e) => `<option value="${e}"></option>`).join("")}</datalist>
      <label>Mini-batch m<select data-set="batch"></select></label>
      <label>Seed<input data-set="seed" type="text" inputmode="numeric" class="bpkit-pg-num"></label>
      <label>Stop at epoch<input data-set="limit" type="text" inputmode="numeric" class="bpkit-pg-num"></label>
      <label>or at accuracy %<input data-set="target" type="text" inputmode="numeric" class="bpkit-pg-num" placeholder="none"></label>
    </div>
    <p class="bpkit-pg-help" id="${uid}-help">Hidden layers: up to ${d.max_hidden_layers} sizes of 1 to ${d.max_neurons} neurons, e.g. <code>4, 4</code>; empty for none. η: a number above 0, at most 1000. A new setting starts again from epoch 0.</p>
    <div class="bpkit-pg-bar">
      <div class="bpkit-controls" role="toolbar" aria-label="Training controls">
        <button type="button" class="bpkit-btn" data-act="reset" aria-label="Reset to the starting weights" title="Reset">${bpIcon("reset")}<span>Reset</span></button>
        <button type="button" class="bpkit-btn" data-act="step" aria-label="Train one epoch" title="One epoch">${bpIcon("next")}<span>Epoch</span></button>
        <button type="button" class="bpkit-btn bpkit-primary bpkit-play" data-act="play" aria-label="Play" aria-pressed="false">${bpIcon("play")}<span>Play</span></button>
        <label class="bpkit-pg-speed">Speed <select data-set="speed" aria-label="Speed of Play">${speeds}</select></label>
        <span class="bpkit-status" aria-live="polite" aria-atomic="true"></span>
      </div>
      <div class="bpkit-pg-replay"><label for="${uid}-scrub">Replay epoch</label>
        <input id="${uid}-scrub" type="range" min="0" max="0" step="1" value="0" data-set="scrub" aria-describedby="${uid}-scrubnote">
        <span class="bpkit-pg-scrubnote" id="${uid}-scrubnote"></span></div>
    </div>
    <p class="bpkit-msg" role="status" hidden></p>
    <div class="bpkit-pg-views">
      <figure class="bpkit-pg-fig bpkit-pg-netfig"><figcaption>The network<span class="bpkit-pg-noprint"> (click a neuron for its δ)</span></figcaption><div class="bpkit-pg-net"></div>
        <p class="bpkit-pg-netkey">Inside each neuron, its activation over the plane: blue where high, vermillion where low; an output neuron in its class's colour where high.</p></figure>
      <figure class="bpkit-pg-fig bpkit-pg-planefig"><figcaption>What the network answers</figcaption>
        <canvas class="bpkit-pg-canvas" width="288" height="288" role="img"></canvas>
        <div class="bpkit-pg-legend"></div>
      </figure>
      <section class="bpkit-pg-deltafig" aria-label="The error δ of the neuron you click">
        <div class="bpkit-pg-delta bpkit-info" aria-live="polite"></div>
        <div class="bpkit-pg-exrow"><label>Example for δ<input data-set="example" type="text" inputmode="numeric" class="bpkit-pg-num" value="1"></label>
          <span class="bpkit-pg-exnote">the ringed point; click a point of the picture to pick it</span></div>
      </section>
      <figure class="bpkit-pg-fig bpkit-pg-costfig"><figcaption>Mean training cost</figcaption><div class="bpkit-pg-cost"></div></figure>
    </div>
    <fieldset class="bpkit-pg-clicks"><legend>A click on the picture</legend><span class="bpkit-pg-modes"></span>
      <button type="button" class="bpkit-btn" data-act="clear">Clear the points</button>
      <button type="button" class="bpkit-btn" data-act="restore">Restore the data set</button></fieldset>
    <p class="bpkit-pg-print"></p>
    <div class="bpkit-hint">Numbers come from bpkit's JavaScript mirror, tested against bpkit. The settings are kept in the page's address: copy it to share this network at this epoch.</div>`;
}

/** The legend of the picture: each class's colour and shape, filled and hollow. */
export function legendHtml(classes, hasTest) {
  const shape = (k, filled) => {
    const c = CLASS_COLOURS[k], f = filled ? c : "none";
    if (k === 0) return `<rect x="1.5" y="1.5" width="9" height="9" fill="${f}" stroke="${c}" stroke-width="1.5"/>`;
    if (k === 1) return `<circle cx="6" cy="6" r="4.6" fill="${f}" stroke="${c}" stroke-width="1.5"/>`;
    return `<path d="M6 1 L11 10.5 L1 10.5 z" fill="${f}" stroke="${c}" stroke-width="1.5"/>`;
  };
  let out = "";
  for (let k = 0; k < classes; k += 1) {
    out += `<span><svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">${shape(k, true)}</svg> class ${k} (${CLASS_NAMES[k]})</span>`;
  }
  if (hasTest) out += `<span><svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">${shape(1, false)}</svg> hollow: held-out points (not trained on)</span>`;
  return out;
}

/** Where the neurons sit: [{l, j, x, y}] for every layer, and the drawing's size. */
export function netGeometry(sizes) {
  const L = sizes.length;
  const lay = bpLayout(sizes, sizes.map((n) => Array.from({ length: n }, (_, i) => i)),
    { row: NODE + 10, gap: L <= 3 ? 120 : L === 4 ? 100 : 86, padT: NODE / 2 + 6, padB: NODE / 2 + 32, padL: NODE / 2 + 8, padR: NODE / 2 + 46 });
  return lay;
}

function kindOf(l, L) {
  return l === 1 ? "input" : l === L ? "output" : "hidden";
}

/** The class an output neuron stands for: neuron j is class j − 1; a single output neuron is
 * class 1 where it is at least ½ and class 0 below. */
export function outputClass(j, nL) {
  return nL === 1 ? "class 1 / 0" : `class ${j - 1}`;
}

/** The network: the weights as lines (SVG), and every neuron as a picture, the neurons of
 * layers 2..L buttons that show their δ. Positions in % of the drawing, so it scales. */
export function netHtml(sizes, uid) {
  const lay = netGeometry(sizes), L = sizes.length, W = lay.W, H = lay.H, r = NODE / 2;
  let lines = "", labels = "", nodes = "";
  for (let l = 2; l <= L; l += 1) {
    for (const b of lay.layers[l - 1].nodes) {
      for (const a of lay.layers[l - 2].nodes) {
        const [x1, y1, x2, y2] = bpSegment(a, b, r + 1, r + 1);
        lines += `<line class="bpkit-pg-w" data-l="${l}" data-j="${b.j}" data-k="${a.j}" x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}"/>`;
      }
    }
  }
  const pct = (v, of) => `${((100 * v) / of).toFixed(3)}%`;
  for (const layer of lay.layers) {
    const kind = kindOf(layer.l, L);
    labels += `<text class="bpkit-llabel" x="${layer.x}" y="${H - 17}" text-anchor="middle">layer ${layer.l}</text><text class="bpkit-lsub" x="${layer.x}" y="${H - 4}" text-anchor="middle">${kind}</text>`;
    for (const node of layer.nodes) {
      if (layer.l === L) labels += `<text class="bpkit-pg-classlabel" x="${node.x + r + 5}" y="${node.y + 4}">${outputClass(node.j, sizes[L - 1])}</text>`;
      const style = `left: ${pct(node.x - r, W)}; top: ${pct(node.y - r, H)}; width: ${pct(NODE, W)}; height: ${pct(NODE, H)}`;
      const canvas = `<canvas width="20" height="20" aria-hidden="true"></canvas>`;
      if (layer.l === 1) {
        nodes += `<span class="bpkit-pg-node bpkit-pg-input" data-layer="1" data-j="${node.j}" style="${style}" title="x${node.j}">${canvas}<span class="bpkit-pg-xlabel">x${node.j}</span></span>`;
      } else {
        const label = `Neuron ${node.j} of layer ${layer.l} (${kind}${layer.l === L ? `, ${outputClass(node.j, sizes[L - 1]).replace(" / ", " or ")}` : ""}); its picture shows its activation a ${layer.l} ${node.j} over the plane. Show its error delta ${layer.l} ${node.j}`;
        nodes += `<button type="button" class="bpkit-pg-node bpkit-neuron bpkit-pg-neuron" aria-pressed="false" aria-label="${label}" data-layer="${layer.l}" data-j="${node.j}" style="${style}">${canvas}</button>`;
      }
    }
  }
  return `<div class="bpkit-pg-netbox" id="${uid}-net" role="group" aria-label="The network: ${sizes.join(", ")} neurons per layer. Each neuron of layer 2 and later is a button that shows its error delta." style="aspect-ratio: ${W} / ${H}; max-width: ${Math.min(W, Math.round((MAX_NET_HEIGHT * W) / H))}px">
    <svg class="bpkit-svg bpkit-pg-netsvg" viewBox="0 0 ${W} ${H}" aria-hidden="true" focusable="false"><g class="bpkit-edges">${lines}</g>${labels}</svg>${nodes}</div>`;
}

/** The weights' lines of a drawing, each with where its weight sits in net.w, and what it last
 * showed (so a redraw touches only the lines whose weight moved). */
export function edgeIndex(box, net) {
  return Array.from(box.querySelectorAll(".bpkit-pg-w"), (line) => {
    const l = +line.dataset.l, cols = net.sizes[l - 2];
    return { line, layer: l - 2, at: (line.dataset.j - 1) * cols + (line.dataset.k - 1), width: "", neg: null };
  });
}

/** The weights as the lines' thickness and dash (positive solid, negative dashed). */
export function styleEdges(edges, net) {
  for (const e of edges) {
    const w = net.w[e.layer][e.at];
    const width = Number.isFinite(w) ? (0.6 + Math.min(Math.abs(w), 3) * 1.2).toFixed(1) : "0.6", neg = w < 0;
    if (width !== e.width) { e.line.setAttribute("stroke-width", width); e.width = width; }
    if (neg !== e.neg) { e.line.classList.toggle("is-neg", neg); e.neg = neg; }
  }
}

/** A number of the δ panel: significant digits, so that a δ of 0.0004 reads as such. */
function num(v, digits) {
  return `<mn>${bpSig(v, Math.max(3, Math.min(digits, 6)))}</mn>`;
}

/** A factor of a product: a negative number in brackets. */
function factor(v, digits) {
  return v < 0 ? `<mo>(</mo>${num(v, digits)}<mo>)</mo>` : num(v, digits);
}

function sym(s, l, j) {
  return `<msubsup><mi>${s}</mi><mrow><mn>${j}</mn></mrow><mn>${l}</mn></msubsup>`;
}

/** δ^l_j written out with the numbers of one example (a trace step of bpTrace): BP1 (a − y) or
 * BP2, term by term: (Σ_k w^(l+1)_kj δ^(l+1)_k) σ'(z^l_j), first in symbols with this j (the
 * transpose: column j of w^(l+1)), then in numbers. */
function deltaNumbers(step, l, j, L, digits) {
  const val = (qs, name) => (qs.find((q) => q.name === name) || {}).value;
  const delta = val(step.outputs, `delta^${l}`)[j - 1][0], dl = sym("δ", l, j);
  if (l === L) {
    const a = val(step.inputs, `a^${L}`)[j - 1][0], y = val(step.inputs, "y")[j - 1][0];
    return { delta, html: `<math display="block">${dl}<mo>=</mo>${num(a, digits)}<mo>−</mo>${num(y, digits)}<mo>=</mo>${num(delta, digits)}</math>` };
  }
  const w = val(step.inputs, `w^${l + 1}`), dn = val(step.inputs, `delta^${l + 1}`), sp = val(step.inputs, `sigma'(z^${l})`);
  const wkj = (k) => `<msubsup><mi>w</mi><mrow><mn>${k}</mn><mn>${j}</mn></mrow><mn>${l + 1}</mn></msubsup>`;
  let symbols = "", numbers = "";
  for (let k = 1; k <= w.length; k += 1) {
    const plus = k > 1 ? "<mo>+</mo>" : "";
    symbols += `${plus}${wkj(k)}${sym("δ", l + 1, k)}`;
    numbers += `${plus}${factor(w[k - 1][j - 1], digits)}<mo>·</mo>${factor(dn[k - 1][0], digits)}`;
  }
  const sigma = `<msup><mi>σ</mi><mo>′</mo></msup><mo>(</mo>${sym("z", l, j)}<mo>)</mo>`;
  return { delta, html: `<math display="block">${dl}<mo>=</mo><mo>(</mo>${symbols}<mo>)</mo>${sigma}</math>`
    + `<math display="block"><mo>=</mo><mo>(</mo>${numbers}<mo>)</mo><mo>×</mo>${num(sp[j - 1][0], digits)}<mo>=</mo>${num(delta, digits)}</math>` };
}

/** The δ map's caption: its colours and its scale (the size 9 points in 10 stay within, when
 * there are enough points for that to differ from the largest). */
function mapCaption(o, dl, colours) {
  const key = (c) => `<span class="bpkit-pg-dkey" style="background: ${c}"></span>`;
  const largest = `<span class="bpkit-pg-dlargest">${bpSig(o.largest, 3)}</span>`;
  const scale = o.scale < o.largest
    ? `full colour from ±<span class="bpkit-pg-dscale">${bpSig(o.scale, 2)}</span> (9 points in 10 are smaller), the largest ±${largest}`
    : `full colour at the largest, ±${largest}<span class="bpkit-pg-dscale" hidden>${bpSig(o.scale, 2)}</span>`;
  return `<math>${dl}</math> of each training point: ${key(colours.positive)} above 0, ${key(colours.negative)} below, ${key(colours.zero)} near 0; ${scale}. The ringed point is the example below.`;
}

/** The δ panel of neuron j in layer l: the δ map's caption and scale, the equation (BP1 or BP2),
 * its numbers for the ringed example i, and δ averaged over the n points (= ∂C/∂b^l_j, BP3).
 * o = {eq, step (bpTrace's step), mean, scale, largest, softmax, epoch, replay, x, y, n, m, i, digits}. */
export function deltaPanelHtml(l, j, L, o, uid) {
  const { delta, html: numbers } = deltaNumbers(o.step, l, j, L, o.digits);
  const colours = deltaColours(o.card);
  // BP1 is ∇_a C ⊙ σ'(z^L); with the page's costs (cross-entropy after sigmoids, log-likelihood
  // after softmax) the factors cancel to a − y, which the panel shows: say so where it shows it
  const kind = l === L
    ? `output; with the ${o.softmax ? "log-likelihood cost after softmax" : "cross-entropy cost"} the factor σ′ of BP1 cancels: δ = a − y`
    : "hidden", dl = sym("δ", l, j);
  const step = o.m >= o.n
    ? "gradient descent moves this bias against it: the next step (all the points at once) by −η times it"
    : `gradient descent moves this bias against it; each step of ${o.m} points uses their mean instead`;
  return `<div class="bpkit-pg-dhead"><span class="bpkit-eqtag">${l === L ? "BP1" : "BP2"}</span>
      <span><math>${dl}</math>: neuron ${j} of layer ${l} (${kind}) at epoch ${o.epoch}${o.replay ? " (replay)" : ""}</span></div>
    <div class="bpkit-pg-dbody"><figure class="bpkit-pg-dfig"><canvas class="bpkit-pg-dcanvas" width="200" height="200" role="img" aria-label="${o.mapLabel}"></canvas>
      <figcaption>${mapCaption(o, dl, colours)}</figcaption></figure>
      <div class="bpkit-pg-dtext"><div class="bpkit-pg-eqs"><div>${o.eq.layer}</div><div>${o.eq.neuron}</div></div>
        <p class="bpkit-pg-dsub">For example ${o.i + 1} (the ringed point, x = (${o.x}), y = (${o.y})), with the weights of epoch ${o.epoch}:</p>
        <div class="bpkit-pg-nums">${numbers}</div>
        <p class="bpkit-pg-dsub">Averaged over all ${o.n} points: <math><mfrac><mn>1</mn><mi>n</mi></mfrac><munder><mo>∑</mo><mi>x</mi></munder>${dl}<mo>=</mo><mfrac><mrow><mo>∂</mo><mi>C</mi></mrow><mrow><mo>∂</mo>${sym("b", l, j)}</mrow></mfrac><mo>=</mo>${num(o.mean, o.digits)}</math> (BP3, for the mean cost over all the points: ${step}).</p></div></div>
    <p class="bpkit-sr" id="${uid}-dsr" data-bpkit-delta="${delta}" data-bpkit-mean="${o.mean}" data-bpkit-scale="${o.scale}" data-bpkit-largest="${o.largest}">delta ${l} ${j} = ${bpSig(delta, 3)} for example ${o.i + 1}; ${bpSig(o.mean, 3)} averaged over the ${o.n} points; the largest size over the points is ${bpSig(o.largest, 3)}.</p>`;
}
