/* NotationExplorer: point at a connection to see w^l_jk, at a neuron to see b^l_j.
 *
 * model: _data (see notation_explorer.py: explorer_data), selected (["w", l, j, k],
 * ["b", l, j] or []), digits, title. The values are the network's own; nothing is computed.
 */

import { bpEsc, bpFmt, bpUid } from "../page/dom.js";
import { bpAt, bpMatrix } from "../page/matrix_view.js";
import { bpLayout, bpSegment } from "../page/network_drawing.js";

/** MathML for w^l_jk or b^l_j (indices of two digits or more are separated by a comma). */
function paramName(kind, l, j, k) {
  const sub = kind === "w" ? (j > 9 || k > 9 ? `<mn>${j}</mn><mo>,</mo><mn>${k}</mn>` : `<mn>${j}${k}</mn>`) : `<mn>${j}</mn>`;
  return `<msubsup><mi>${kind}</mi><mrow>${sub}</mrow><mn>${l}</mn></msubsup>`;
}

function sentence(sel) {
  const [kind, l, j, k] = sel;
  if (kind === "w") return `the weight from neuron ${k} in layer ${l - 1} to neuron ${j} in layer ${l}`;
  return `the bias of neuron ${j} in layer ${l}`;
}

function drawExplorer(d, uid) {
  const L = d.sizes.length, R = 20;
  const lay = bpLayout(d.sizes, d.shown, { row: 62, gap: d.sizes.length <= 4 ? 170 : 130, padT: 40, padB: 64, padL: 60, padR: 60 });
  const W = lay.W, H = lay.H;
  let edges = "", nodes = "";
  for (let l = 2; l <= L; l += 1) {
    const from = lay.layers[l - 2].nodes.filter((n) => n.j !== null), to = lay.layers[l - 1].nodes.filter((n) => n.j !== null);
    for (const b of to) {
      for (const a of from) {
        const v = bpAt(d.weights[l - 2], b.j - 1, a.j - 1);
        const [x1, y1, x2, y2] = bpSegment(a, b, R + 1, R + 3);
        const label = `w ${l} ${b.j} ${a.j}: ${sentence(["w", l, b.j, a.j])}, value ${v}`;
        edges += `<g class="bpkit-param bpkit-wedge" tabindex="-1" role="img" aria-label="${bpEsc(label)}" data-sel="w,${l},${b.j},${a.j}">
          <line class="bpkit-hit" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/>
          <line class="bpkit-edge" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#${uid}-arrow)"/></g>`;
      }
    }
  }
  for (const layer of lay.layers) {
    for (const node of layer.nodes) {
      if (node.j === null) {
        nodes += `<text class="bpkit-vgap" x="${node.x}" y="${node.y + 7}" text-anchor="middle">\u22EE</text>`;
        continue;
      }
      const inner = `<circle cx="${node.x}" cy="${node.y}" r="${R}"/><text class="bpkit-nidx" x="${node.x}" y="${node.y + 5}" text-anchor="middle">${node.j}</text>`;
      if (layer.l === 1) {
        nodes += `<g class="bpkit-neuron bpkit-input" data-layer="1" data-j="${node.j}">${inner}</g>`;
      } else {
        const v = bpAt(d.biases[layer.l - 2], node.j - 1, 0);
        const label = `b ${layer.l} ${node.j}: ${sentence(["b", layer.l, node.j])}, value ${v}`;
        nodes += `<g class="bpkit-param bpkit-neuron" tabindex="-1" role="img" aria-label="${bpEsc(label)}" data-layer="${layer.l}" data-j="${node.j}" data-sel="b,${layer.l},${node.j}">${inner}</g>`;
      }
      nodes += `<text class="bpkit-role" data-role-of="${layer.l},${node.j}" x="${node.x}" y="${node.y - R - 7}" text-anchor="middle"></text>`;
    }
    const kind = layer.l === 1 ? "input" : layer.l === L ? "output" : "hidden";
    nodes += `<text class="bpkit-llabel" x="${layer.x}" y="${H - 24}" text-anchor="middle">layer ${layer.l}</text>`;
    nodes += `<text class="bpkit-lsub" x="${layer.x}" y="${H - 9}" text-anchor="middle">${kind}${layer.nodes.length < layer.n ? `, ${layer.n} neurons` : ""}</text>`;
  }
  return `<svg class="bpkit-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" style="width: min(100%, ${W}px)">
    <defs><marker id="${uid}-arrow" viewBox="0 0 10 10" refX="8.5" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,1 L10,5 L0,9 z" class="bpkit-arrow-sel"/></marker></defs>
    <g class="bpkit-edges">${edges}</g><g class="bpkit-nodes">${nodes}</g></svg>`;
}

function infoPanel(d, sel, digits) {
  if (!sel || sel.length === 0) {
    return `<p class="bpkit-info-empty">Point at a connection (or press Tab to reach one) to see its weight w<sup>l</sup><sub>jk</sub>; point at a neuron of layer 2 or later to see its bias b<sup>l</sup><sub>j</sub>.</p>`;
  }
  const [kind, l, j, k] = sel;
  const q = kind === "w" ? d.weights[l - 2] : d.biases[l - 2];
  const v = bpAt(q, j - 1, kind === "w" ? k - 1 : 0);
  const shown = v !== undefined;
  const head = `<math display="block">${paramName(kind, l, j, k)}<mo>=</mo><mn>${shown ? bpFmt(v, digits) : "\u2026"}</mn></math>`;
  const where = kind === "w"
    ? `Row j = ${j}, column k = ${k} of the matrix <math><msup><mi>w</mi><mn>${l}</mn></msup></math>: the first index j is the neuron fed, the second k the neuron it comes from. In bpkit: <code>net.w(${l})[${j - 1}, ${k - 1}]</code>.`
    : `Entry j = ${j} of the column <math><msup><mi>b</mi><mn>${l}</mn></msup></math>, added to the weighted input <math><msubsup><mi>z</mi><mn>${j}</mn><mn>${l}</mn></msubsup></math>. In bpkit: <code>net.b(${l})[${j - 1}, 0]</code>.`;
  const matName = `<math><msup><mi>${kind}</mi><mn>${l}</mn></msup></math>`;
  return `<div class="bpkit-info-head">${head}</div>
    <p class="bpkit-sentence">${sentence(sel)}${shown ? "" : " (not drawn: its layer is summarised)"}</p>
    <p class="bpkit-where">${where}</p>
    <div class="bpkit-q" data-bpkit-q="${kind}^${l}"><span class="bpkit-qlabel">${matName}<span class="bpkit-eqsign">=</span></span>${bpMatrix(q, digits, [j - 1, kind === "w" ? k - 1 : 0])}</div>`;
}

/** The weights and biases in reading order: layer l = 2, ..., L; in each, neuron j = 1, 2, ...;
 * for each neuron its weights w^l_j1, w^l_j2, ... then its bias b^l_j. The arrow keys walk it. */
function paramOrder(net) {
  const key = (g) => {
    const [kind, l, j, k] = g.dataset.sel.split(",");
    return [Number(l), Number(j), kind === "w" ? 0 : 1, kind === "w" ? Number(k) : 0];
  };
  const items = Array.from(net.querySelectorAll(".bpkit-param")).map((g) => ({ g, key: key(g) }));
  items.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.key[3] - b.key[3]);
  return items;
}

/** The item a key moves to from item i: ← → the previous / next in reading order; ↑ ↓ the same
 * weight (or bias) of the previous / next neuron j drawn; PageUp / PageDown the first item of
 * the previous / next layer; Home / End the first / last. -1 when the key is not ours. */
function paramMove(items, i, key) {
  const [l, j, kind, k] = items[i].key;
  const find = (pred, from, step) => {
    for (let n = from; n >= 0 && n < items.length; n += step) if (pred(items[n].key)) return n;
    return i;
  };
  switch (key) {
    case "ArrowRight": return Math.min(i + 1, items.length - 1);
    case "ArrowLeft": return Math.max(i - 1, 0);
    case "ArrowDown": return find((t) => t[0] === l && t[1] > j && t[2] === kind && (kind === 1 || t[3] === k), i + 1, 1);
    case "ArrowUp": return find((t) => t[0] === l && t[1] < j && t[2] === kind && (kind === 1 || t[3] === k), i - 1, -1);
    case "PageDown": return find((t) => t[0] > l, i + 1, 1);
    case "PageUp": {
      const prev = find((t) => t[0] < l, i - 1, -1);
      return prev === i ? i : find((t) => t[0] === items[prev].key[0], 0, 1);
    }
    case "Home": return 0;
    case "End": return items.length - 1;
    default: return -1;
  }
}

function render({ model, el }) {
  const uid = bpUid("notation");
  const root = document.createElement("div");
  root.className = "bpkit-w bpkit-notation";
  root.dataset.phase = "forward";
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", "Notation explorer: weights and biases of a network");
  root.setAttribute("data-lm-suppress-shortcuts", "true"); // JupyterLab: keep the arrow keys for the figure
  root.innerHTML = `<div class="bpkit-head"><div class="bpkit-title"></div></div>
    <div class="bpkit-explorer">
      <div class="bpkit-net"></div>
      <div class="bpkit-info" aria-live="polite"></div>
    </div>
    <div class="bpkit-hint">Point at a line or a neuron; or Tab to the drawing, then \u2190 \u2192 step through the weights and biases, \u2191 \u2193 change the neuron j, Page Up and Page Down the layer, Home and End go to the first and the last.</div>`;
  el.appendChild(root);
  const net = root.querySelector(".bpkit-net"), info = root.querySelector(".bpkit-info");

  /** Roving tabindex: the drawing is ONE Tab stop, the selected weight or bias (else the first). */
  function rove(key) {
    const params = Array.from(net.querySelectorAll(".bpkit-param"));
    const stop = params.find((g) => g.dataset.sel === key) || params.find((g) => g.tabIndex === 0) || paramOrder(net)[0]?.g;
    params.forEach((g) => { g.tabIndex = g === stop ? 0 : -1; });
  }

  function mark() {
    const sel = model.get("selected") || [];
    const key = sel.join(",");
    net.querySelectorAll(".bpkit-param").forEach((g) => g.classList.toggle("is-sel", g.dataset.sel === key));
    rove(key);
    net.querySelectorAll(".bpkit-neuron").forEach((g) => g.classList.remove("is-from", "is-to"));
    net.querySelectorAll(".bpkit-role").forEach((t) => { t.textContent = ""; });
    const roleText = (l, j, text) => {
      const t = net.querySelector(`[data-role-of="${l},${j}"]`);
      if (t) t.textContent = text;
    };
    const neuron = (l, j) => net.querySelector(`.bpkit-neuron[data-layer="${l}"][data-j="${j}"]`);
    if (sel[0] === "w") {
      const [, l, j, k] = sel;
      neuron(l - 1, k)?.classList.add("is-from");
      neuron(l, j)?.classList.add("is-to");
      roleText(l - 1, k, `from k = ${k}`);
      roleText(l, j, `to j = ${j}`);
    } else if (sel[0] === "b") {
      roleText(sel[1], sel[2], `j = ${sel[2]}`);
    }
    info.innerHTML = infoPanel(model.get("_data"), sel, model.get("digits"));
  }
  function draw() {
    root.querySelector(".bpkit-title").textContent = model.get("title");
    net.innerHTML = drawExplorer(model.get("_data"), uid);
    mark();
  }
  function select(target) {
    const g = target.closest && target.closest(".bpkit-param");
    if (!g) return;
    const parts = g.dataset.sel.split(",");
    const sel = [parts[0], ...parts.slice(1).map(Number)];
    if (sel.join(",") !== (model.get("selected") || []).join(",")) {
      model.set("selected", sel);
      model.save_changes();
    }
  }
  net.addEventListener("pointerover", (e) => select(e.target));
  net.addEventListener("focusin", (e) => select(e.target));
  net.addEventListener("keydown", (e) => {
    const g = e.target.closest && e.target.closest(".bpkit-param");
    if (!g || e.altKey || e.ctrlKey || e.metaKey) return;
    const items = paramOrder(net);
    const to = paramMove(items, items.findIndex((it) => it.g === g), e.key);
    if (to < 0) return;
    e.preventDefault();
    e.stopPropagation();
    items.forEach((it, n) => { it.g.tabIndex = n === to ? 0 : -1; });
    items[to].g.focus(); // focusin selects it
  });

  model.on("change:selected", mark);
  model.on("change:digits", mark);
  model.on("change:_data", draw);
  model.on("change:title", draw);
  draw();
  return () => {
    model.off("change:selected", mark);
    model.off("change:digits", mark);
    model.off("change:_data", draw);
    model.off("change:title", draw);
  };
}

export default { render };
