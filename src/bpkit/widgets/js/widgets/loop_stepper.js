/* LoopStepper: one mini-batch of gradient descent, example by example (Ng's loop).
 *
 * model: _data (see loop_stepper.py: loop_data), step (0-based), digits, title, _base, _mathml.
 * The static copy embeds only the pseudocode and labels (MathML made in Python): the page
 * computes the steps from _base with the engine (loopData below, each example's pass bpTrace).
 */

import { bpFormatG } from "../engine/format.js";
import { bpMap, bpZerosLike } from "../engine/matrix.js";
import { bpTrace } from "../engine/trace.js";
import { bpUpdate } from "../engine/train.js";
import { BP_MINUS, bpEsc, bpFmt, bpSwatch, bpUid } from "../page/dom.js";
import { bpEditable } from "../page/explore.js";
import { bpCaptionHtml, bpMathml } from "../page/mathml.js";
import { bpAt, bpMatrix, bpPack, bpQuantity, bpShown } from "../page/matrix_view.js";
import { bpDrawNetwork } from "../page/network_drawing.js";
import { BpStepper } from "../page/stepper.js";

const LOOP_PHASE = { init: "accumulate", forward: "forward", backward: "backward", accumulate: "accumulate", update: "update" };
const LOOP_WORD = { init: "Start", forward: "Forward pass", backward: "Backward pass", accumulate: "Accumulate", update: "Update" };

/** Tiny MathML for a symbol with a sub- and/or superscript (numbers and single letters). */
function mm(sym, sub = null, sup = null) {
  const s = `<mi>${sym}</mi>`;
  const b = sub === null ? "" : `<mn>${sub}</mn>`, p = sup === null ? "" : `<mn>${sup}</mn>`;
  const inner = sub !== null && sup !== null ? `<msubsup>${s}${b}${p}</msubsup>` : sub !== null ? `<msub>${s}${b}</msub>` : sup !== null ? `<msup>${s}${p}</msup>` : s;
  return `<math>${inner}</math>`;
}

/** The mini-batch: one column per example, the example being worked on marked, the ones already
 * added into Δ ticked. */
function batchTable(d, st, digits) {
  const m = d.m, i = st.example;
  const state = (e) => {
    if (st.kind === "update") return "done";
    if (i === null) return "todo";
    if (e < i || (e === i && st.kind === "accumulate")) return e === i ? "now done" : "done";
    return e === i ? "now" : "todo";
  };
  const cols = Array.from({ length: m }, (_, k) => k);
  const cell = (e, html, extra = "") => `<div class="bpkit-bcell ${state(e + 1).split(" ").map((w) => "is-" + w).join(" ")} ${extra}">${html}</div>`;
  let html = `<div class="bpkit-bhead"></div>` + cols.map((e) => cell(e, `example ${e + 1}`, "bpkit-bhdr")).join("");
  // Rows are the components of x and y; the block is labelled once (x_i would read as example i).
  const rows = (q, sym, picked) => {
    let out = "", prev = null;
    for (const r of picked) {
      if (prev !== null && r !== prev + 1) out += `<div class="bpkit-blabel">\u22EE</div>` + cols.map((e) => cell(e, "\u22EE")).join("");
      out += `<div class="bpkit-blabel">${prev === null ? mm(sym) : ""}</div>` + cols.map((e) => cell(e, bpFmt(bpAt(q, r, e), digits), "bpkit-num")).join("");
      prev = r;
    }
    return out;
  };
  html += rows(d.X, "x", d.x_rows);
  html += `<div class="bpkit-bsep"></div>` + cols.map(() => `<div class="bpkit-bsep"></div>`).join("");
  html += rows(d.Y, "y", d.y_rows);
  const word = { now: "\u25B6 now", "now done": "\u2713 added", done: "\u2713 added", todo: "" };
  html += `<div class="bpkit-blabel"></div>` + cols.map((e) => cell(e, word[state(e + 1)], "bpkit-bstate")).join("");
  return `<div class="bpkit-batch" tabindex="0" role="region" aria-label="the mini-batch, one example per column" style="grid-template-columns: auto repeat(${m}, minmax(3.6em, auto))">${html}</div>`;
}

/** A matrix with a small caption under it; data-bpkit-q names the quantity for tests. */
function captioned(q, digits, caption, role = "in") {
  return `<div class="bpkit-cap bpkit-q-${role}" data-bpkit-q="${bpEsc(q.name)}">${bpMatrix(q, digits)}<div class="bpkit-capt">${caption}</div></div>`;
}

function stepValues(d, st, digits) {
  const q = (name) => st.quantities.find((x) => x.name === name);
  const L = d.sizes.length;
  const op = (s) => `<span class="bpkit-op">${s}</span>`;
  if (st.kind === "init") return "";
  if (st.kind === "forward" || st.kind === "backward") {
    const head = st.kind === "forward" ? "this example, forward" : "this example, backward";
    return `<div class="bpkit-group"><div class="bpkit-group-h">${bpSwatch("now")}${head}</div>
      <div class="bpkit-qs">${st.quantities.map((x) => bpQuantity(x, digits, "out")).join("")}</div></div>`;
  }
  let rows = "";
  for (let l = 2; l <= L; l += 1) {
    for (const p of ["w", "b"]) {
      if (st.kind === "accumulate") {
        rows += `<div class="bpkit-sumrow">
          ${captioned(q(`Delta ${p}^${l} before`), digits, `${d[`delta_${p}_labels`][l - 2]} so far`)}${op("+")}
          ${captioned(q(`dC/d${p}^${l}`), digits, `${q(`dC/d${p}^${l}`).label} of example ${st.example}`)}${op("=")}
          ${captioned(q(`Delta ${p}^${l}`), digits, `new ${d[`delta_${p}_labels`][l - 2]}`, "out")}</div>`;
      } else {
        const eta = `<math><mfrac><mi>\u03B7</mi><mi>m</mi></mfrac></math>`;
        rows += `<div class="bpkit-sumrow">
          ${captioned(q(`${p}^${l}`), digits, q(`${p}^${l}`).label)}${op(BP_MINUS)}<span class="bpkit-op">${eta}</span>
          ${captioned(q(`Delta ${p}^${l}`), digits, d[`delta_${p}_labels`][l - 2])}${op("=")}
          ${captioned(q(`${p}^${l} new`), digits, q(`${p}^${l} new`).label, "out")}</div>`;
      }
    }
  }
  return `<div class="bpkit-group"><div class="bpkit-group-h">${bpSwatch("now")}${st.kind === "accumulate" ? "add this example's gradients" : `update, \u03B7 = ${d.eta}, m = ${d.m}`}</div>${rows}</div>`;
}

/** The sums Δw^l and Δb^l as they stand after this step. */
function sumsPanel(d, st, k, digits) {
  const added = st.kind === "update" ? d.m : st.example === null ? 0 : st.kind === "accumulate" ? st.example : st.example - 1;
  const changed = st.kind === "accumulate";
  let items = "";
  st.Delta_w.forEach((q, i) => {
    for (const [p, v] of [["w", q], ["b", st.Delta_b[i]]]) {
      items += `<div class="bpkit-q ${changed ? "bpkit-q-out" : "bpkit-q-in"}" data-bpkit-sum="${p}${i + 2}"><span class="bpkit-qlabel">${d[`delta_${p}_labels`][i]}<span class="bpkit-eqsign">=</span></span>${bpMatrix(v, digits)}</div>`;
    }
  });
  return `<div class="bpkit-sums"><div class="bpkit-group-h">${bpSwatch(changed ? "now" : "uses")}the sums \u0394 so far: ${added} of ${d.m} example${d.m === 1 ? "" : "s"} added${changed ? " (just grown)" : ""}</div>
    <div class="bpkit-qs">${items}</div></div>`;
}

/** The three steps of example i (forward, backward, accumulate), from its trace; Dw and Db are
 * the sums Δw^l, Δb^l, grown here. */
function exampleSteps(add, q, net, X, Y, i, Dw, Db) {
  const R = String.raw, L = net.sizes.length, m = X[0].length;
  const col = (A) => A.map((r) => [r[i - 1]]);
  const x = col(X), y = col(Y);
  const tr = bpTrace(net, x, y);
  const find = (kind, l) => tr.steps.find((s) => s.kind === kind && s.layer === l);
  const val = (st, name) => st.inputs.concat(st.outputs).find((qq) => qq.name === name).value;
  add("forward", i, R`a^{1} = x_{${i}}, \quad a^{l} = \sigma(w^{l} a^{l-1} + b^{l}) \quad (l = 2, \ldots, ${L})`,
    `Example ${i} of ${m}: set a^1 = x_${i} and run the forward pass up to the output a^${L}, then its cost C_x.`,
    [q(`x_${i}`, R`x_{${i}}`, x), q(`a^${L}`, `a^{${L}}`, val(find("activation", L), `a^${L}`)), q(`y_${i}`, R`y_{${i}}`, y),
      q("C_x", "C_x", val(find("cost", L), "C_x"))]);
  const deltas = [], grads = [];
  for (let l = L; l >= 2; l -= 1) deltas.push(q(`delta^${l}`, R`\delta^{${l}}`, val(find(l === L ? "output_error" : "backpropagated_error", l), `delta^${l}`)));
  for (let l = 2; l <= L; l += 1) grads.push(q(`dC/dw^${l}`, R`\partial C_x / \partial w^{${l}}`, tr.nabla_w[l - 2]));
  for (let l = 2; l <= L; l += 1) grads.push(q(`dC/db^${l}`, R`\partial C_x / \partial b^{${l}}`, tr.nabla_b[l - 2]));
  add("backward", i, R`\delta^{${L}} \text{ by BP1}, \quad \delta^{l} = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^{l})`,
    `Example ${i}: the output error δ^${L} (BP1), then the errors of the earlier layers (BP2); BP3 and BP4 turn them into this example's gradients.`,
    deltas.concat(grads));
  const sums = [];
  for (let l = 2; l <= L; l += 1) {
    const bw = Dw[l - 2], bb = Db[l - 2];
    Dw[l - 2] = bpMap(bw, (u, v) => u + v, tr.nabla_w[l - 2]);
    Db[l - 2] = bpMap(bb, (u, v) => u + v, tr.nabla_b[l - 2]);
    sums.push(q(`Delta w^${l} before`, R`\Delta w^{${l}}`, bw), q(`dC/dw^${l}`, R`\partial C_x / \partial w^{${l}}`, tr.nabla_w[l - 2]),
      q(`Delta w^${l}`, R`\Delta w^{${l}}`, Dw[l - 2]), q(`Delta b^${l} before`, R`\Delta b^{${l}}`, bb),
      q(`dC/db^${l}`, R`\partial C_x / \partial b^{${l}}`, tr.nabla_b[l - 2]), q(`Delta b^${l}`, R`\Delta b^{${l}}`, Db[l - 2]));
  }
  add("accumulate", i, R`\Delta w^{l} \leftarrow \Delta w^{l} + \frac{\partial C_x}{\partial w^{l}}, \quad ` + R`\Delta b^{l} \leftarrow \Delta b^{l} + \frac{\partial C_x}{\partial b^{l}}`,
    `Example ${i}: add its gradients to the sums; Δ now holds the sum over ${i} of the ${m} examples.`, sums);
}

/** One mini-batch of Ng's loop computed in the page with the engine: the same steps, strings and
 * layout as loop.py's trace_loop + loop_stepper.py's loop_data. `frame` holds what Python made
 * for it (the pseudocode and the Δ labels, MathML). */
export function loopData(net, X, Y, eta, table, frame) {
  const R = String.raw, L = net.sizes.length, m = X[0].length;
  const Dw = net.weights.map(bpZerosLike), Db = net.biases.map(bpZerosLike);
  const steps = [];
  const q = (name, latex, value) => ({ name, label: (name.endsWith(" new") ? "new " : "") + bpMathml(table, latex), ...bpPack(typeof value === "number" ? [[value]] : value) });
  const add = (kind, example, latex, caption, quantities) => steps.push({
    index: steps.length, kind, example, caption, caption_html: bpCaptionHtml(caption), mathml: bpMathml(table, latex, true),
    quantities, Delta_w: Dw.map(bpPack), Delta_b: Db.map(bpPack),
  });
  add("init", null, R`\Delta w^{l} = 0, \quad \Delta b^{l} = 0 \quad (l = 2, \ldots, ` + `${L})`,
    `Before the loop: every accumulator Δw^l and Δb^l starts at zero, one per layer l = 2..${L}.`, []);
  for (let i = 1; i <= m; i += 1) exampleSteps(add, q, net, X, Y, i, Dw, Db);
  const updated = bpUpdate(net, Db, Dw, eta, m);
  const quantities = [];
  for (let l = 2; l <= L; l += 1) {
    quantities.push(q(`w^${l}`, `w^{${l}}`, net.weights[l - 2]), q(`Delta w^${l}`, R`\Delta w^{${l}}`, Dw[l - 2]),
      q(`w^${l} new`, `w^{${l}}`, updated.weights[l - 2]), q(`b^${l}`, `b^{${l}}`, net.biases[l - 2]),
      q(`Delta b^${l}`, R`\Delta b^{${l}}`, Db[l - 2]), q(`b^${l} new`, `b^{${l}}`, updated.biases[l - 2]));
  }
  add("update", null, R`w^{l} \to w^{l} - \frac{\eta}{m} \Delta w^{l}, \quad b^{l} \to b^{l} - \frac{\eta}{m} \Delta b^{l}`,
    `After the loop, one update with the mean gradient: η/m = ${bpFormatG(eta)}/${m} times the sums Δ.`, quantities);
  return {
    sizes: net.sizes.slice(), m, eta, X: bpPack(X), Y: bpPack(Y), x_rows: bpShown(net.sizes[0]), y_rows: bpShown(net.sizes[L - 1]),
    pseudocode: frame.pseudocode, delta_w_labels: frame.delta_w_labels, delta_b_labels: frame.delta_b_labels, steps,
  };
}

/** The network of the loop at one step: which layer, weights and sums the step works on, as the
 * pass stepper's drawing reads a step (x_i is drawn as the input x, y_i as the target). */
function loopNetStep(st) {
  const rename = (qq) => ({ ...qq, name: qq.name.replace(/^x_\d+$/, "x").replace(/^y_\d+$/, "y") });
  const phase = LOOP_PHASE[st.kind];
  if (st.kind === "forward") {
    const qs = st.quantities.map(rename);
    return { phase, outputs: qs.filter((qq) => qq.name !== "y"), inputs: qs.filter((qq) => qq.name === "y") };
  }
  if (st.kind === "accumulate") return { phase, outputs: st.quantities.filter((qq) => /^Delta [wb]\^\d+$/.test(qq.name)), inputs: [] };
  if (st.kind === "update") return { phase, outputs: st.quantities.filter((qq) => / new$/.test(qq.name)), inputs: [] };
  return { phase, outputs: st.quantities, inputs: [] };
}

function loopTarget(d, st) {
  const i = st.example === null ? -1 : d.Y.c.indexOf(st.example - 1);
  if (i < 0) return { shape: [d.sizes[d.sizes.length - 1], 1], r: [], c: [0], v: [] };
  return { shape: [d.Y.shape[0], 1], r: d.Y.r, c: [0], v: d.Y.v.map((row) => [row[i]]) };
}

function loopPrint(d, digits) {
  return `<ol class="bpkit-psteps">${d.steps.map((st, k) => `<li class="bpkit-pstep">
      <div class="bpkit-pstep-h">Step ${k + 1} of ${d.steps.length} \u00B7 ${bpEsc(st.example === null ? LOOP_WORD[st.kind] : `Example ${st.example} of ${d.m}: ${LOOP_WORD[st.kind].toLowerCase()}`)}</div>
      <div class="bpkit-peq">${st.mathml}</div><p class="bpkit-pcaption">${st.caption_html}</p>
      <div class="bpkit-qs">${st.quantities.map((qq) => bpQuantity(qq, digits, "out")).join("")}</div></li>`).join("")}</ol>`;
}

/** The pseudocode (MathML, the same at every step) is drawn once per trace; a step only moves
 * its marks. */
function drawCode(stepper, d, st, shell) {
  if (shell.data !== d) {
    shell.data = d;
    stepper.main.innerHTML = `<div class="bpkit-loop-top"><div class="bpkit-code" aria-label="Ng's pseudocode">${d.pseudocode.map((line, i) => `<div class="bpkit-code-line" data-line="${i}" style="padding-left: ${0.6 + 1.4 * line.indent}em"><span class="bpkit-code-mark" aria-hidden="true"></span>${line.html}<span class="bpkit-sr"></span></div>`).join("")}</div><div class="bpkit-batch-host"></div></div><div class="bpkit-loop-step"></div>`;
  }
  stepper.main.querySelectorAll(".bpkit-code-line").forEach((el) => {
    const on = d.pseudocode[Number(el.dataset.line)].kinds.includes(st.kind);
    el.classList.toggle("is-now", on);
    el.firstElementChild.textContent = on ? "\u25B6" : "";
    el.lastElementChild.textContent = on ? " (running now)" : "";
  });
}

function drawLoopStep(stepper, d, k, digits, uid, shell) {
  const st = d.steps[k];
  stepper.root.dataset.phase = LOOP_PHASE[st.kind];
  stepper.badge.textContent = st.example === null ? LOOP_WORD[st.kind] : `Example ${st.example} of ${d.m}: ${LOOP_WORD[st.kind].toLowerCase()}`;
  drawCode(stepper, d, st, shell);
  const netData = { sizes: d.sizes, shown: d.sizes.map((n) => bpShown(n)) };
  stepper.main.querySelector(".bpkit-batch-host").innerHTML = batchTable(d, st, digits);
  stepper.main.querySelector(".bpkit-loop-step").innerHTML = `
    <div class="bpkit-eqline"><div class="bpkit-eq">${st.mathml}</div></div>
    <p class="bpkit-caption">${st.caption_html}</p>
    <div class="bpkit-net" tabindex="0" role="region" aria-label="the network drawing">${bpDrawNetwork(netData, loopTarget(d, st), loopNetStep(st), digits, uid)}</div>
    ${st.kind === "init" ? "" : `<div class="bpkit-values">${stepValues(d, st, digits)}</div>`}
    ${sumsPanel(d, st, k, digits)}
    <p class="bpkit-note">Numbers rounded to ${digits} decimals.</p>`;
}

function render({ model, el }) {
  const uid = bpUid("loop");
  const shell = { data: null };
  const frame = model.get("_data") || {};
  const compute = (c) => loopData(c.net, c.x, c.y, c.eta, model.get("_mathml") || {}, frame);
  const base = model.get("_base") || {};
  if (!frame.steps && base.net) model.set("_data", compute(base)); // a static copy: the page computes the loop
  let ed = null;
  const data = () => (ed ? ed.data() : model.get("_data"));
  const stepper = new BpStepper(model, el, {
    cls: "bpkit-loop",
    label: "Gradient descent on one mini-batch, example by example",
    title: () => model.get("title"),
    count: () => data().steps.length,
    phases: () => data().steps.map((s) => LOOP_PHASE[s.kind]),
    groups: () => data().steps.map((s) => (s.example === null ? s.kind : `example ${s.example}`)),
    groupLabel: (g) => (g === "init" ? "start" : g),
    tip: (k) => `Step ${k + 1}: ${data().steps[k].caption}`,
    caption: (k) => data().steps[k].caption,
    printTable: () => loopPrint(data(), model.get("digits")),
    draw: (k) => drawLoopStep(stepper, data(), k, model.get("digits"), uid, shell),
  });
  ed = bpEditable(model, stepper, {
    cls: "bpkit-loop", xName: "X", yName: "Y", m: model.get("_data").m || 1, etaRequired: true, fixedBiases: false,
    compute, count: (d) => d.steps.length,
  });
  stepper.rebuild();
  return () => { stepper.cleanup(); ed.cleanup(); };
}

export default { render };
