/* PassStepper: one forward and one backward pass of bpkit.trace, one step at a time.
 *
 * model: _data (the trace, see pass_stepper.py: pass_data), step (0-based), digits, title,
 * _base (the inputs {net, x, y, eta}), _mathml, _options. The static copy embeds no trace:
 * the page computes it from _base with the engine (bpTrace = bpkit.trace().to_dict()).
 */

import { bpTrace } from "../engine/trace.js";
import { bpCopy } from "../engine/matrix.js";
import { bpEsc, bpSwatch, bpUid } from "../page/dom.js";
import { bpEditable } from "../page/explore.js";
import { bpCaptionHtml, bpMathml } from "../page/mathml.js";
import { bpPack, bpQuantity, bpShown } from "../page/matrix_view.js";
import { bpDrawNetwork } from "../page/network_drawing.js";
import { BP_PHASE_TEXT, BpStepper } from "../page/stepper.js";

/** Mazur's rule: the update moves the weights only (the same strings as
 * pass_stepper.hold_biases in Python). */
export function holdBiases(tr) {
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

/** What the figure draws, from a trace of the engine: the layout of pass_stepper.py's
 * pass_data, the MathML looked up in the table made in Python. */
export function passData(tr, table, opts) {
  if (opts.update_biases === false) holdBiases(tr);
  const qs = (list) => list.map((q) => ({ name: q.name, label: (q.name.endsWith(" new") ? "new " : "") + bpMathml(table, q.latex), ...bpPack(q.value) }));
  return {
    sizes: tr.sizes.slice(), shown: tr.sizes.map((n) => bpShown(n)),
    activation: tr.activation, output_activation: tr.output_activation, cost: tr.cost, eta: tr.eta,
    steps: tr.steps.map((s) => ({
      index: s.index, phase: s.phase, kind: s.kind, layer: s.layer, equation: s.equation, caption: s.caption,
      caption_html: bpCaptionHtml(s.caption), mathml: bpMathml(table, s.latex, true),
      inputs: qs(s.inputs), outputs: qs(s.outputs),
    })),
  };
}

/** Mazur's words for a step, when the figure speaks his language. */
function wordsOf(opts, st) {
  const w = opts.words && opts.words[`${st.kind}:${st.layer}`];
  return w ? `<p class="bpkit-words"><span class="bpkit-words-h">In ${bpEsc(opts.language || "the source")}'s words:</span> ${bpEsc(w)}</p>` : "";
}

/** Every step at once: what the page prints (equation, caption, the numbers in and out). */
function printTable(d, digits, opts) {
  const names = opts.names || {};
  return `<ol class="bpkit-psteps">${d.steps.map((st, k) => `<li class="bpkit-pstep">
      <div class="bpkit-pstep-h">Step ${k + 1} of ${d.steps.length} \u00B7 ${bpEsc(BP_PHASE_TEXT[st.phase] || st.phase)}${/^BP\d$/.test(st.equation) ? ` \u00B7 ${st.equation}` : ""}</div>
      <div class="bpkit-peq">${st.mathml}</div><p class="bpkit-pcaption">${st.caption_html}</p>${wordsOf(opts, st)}
      <div class="bpkit-qs">${st.inputs.map((q) => bpQuantity(q, digits, "in", null, names[q.name])).join("")}<span class="bpkit-op">\u2192</span>${st.outputs.map((q) => bpQuantity(q, digits, "out", null, names[q.name])).join("")}</div></li>`).join("")}</ol>`;
}

/** The target y, as the cost step records it (the first step that reads y). */
function findTarget(d) {
  for (const st of d.steps) for (const q of st.inputs) if (q.name === "y") return q;
  return { shape: [0, 1], r: [], c: [], v: [] };
}

/** One step: the equation, the caption, the network and the numbers in and out. */
function drawStep(stepper, d, k, digits, uid, opts) {
  const st = d.steps[k], names = opts.names || {};
  stepper.badge.textContent = BP_PHASE_TEXT[st.phase] || st.phase;
  stepper.root.dataset.phase = st.phase;
  const eqTag = /^BP\d$/.test(st.equation) ? `<span class="bpkit-eqtag">${st.equation}</span>` : "";
  const group = (role, word, qs) => qs.length ? `<div class="bpkit-group bpkit-group-${role}">
      <div class="bpkit-group-h">${bpSwatch(role === "out" ? "now" : "uses")}${word}</div>
      <div class="bpkit-qs">${qs.map((q) => bpQuantity(q, digits, role, null, names[q.name])).join("")}</div></div>` : "";
  stepper.main.innerHTML = `
    <div class="bpkit-eqline">${eqTag}<div class="bpkit-eq">${st.mathml}</div></div>
    <p class="bpkit-caption">${st.caption_html}</p>${wordsOf(opts, st)}
    <div class="bpkit-net" tabindex="0" role="region" aria-label="the network drawing">${bpDrawNetwork(d, findTarget(d), st, digits, uid, { neurons: opts.neurons, costName: opts.cost_name })}</div>
    <div class="bpkit-values">${group("in", "uses", st.inputs)}${group("out", "computes", st.outputs)}</div>
    <p class="bpkit-note">Numbers rounded to ${digits} decimals.</p>`;
}

function render({ model, el }) {
  const uid = bpUid("pass");
  const opts = model.get("_options") || {};
  const compute = (c) => passData(bpTrace(c.net, c.x, c.y, c.eta), model.get("_mathml") || {}, opts);
  const base = model.get("_base") || {};
  if (!(model.get("_data") || {}).steps && base.net) model.set("_data", compute(base)); // a static copy: the page traces
  let ed = null;
  const data = () => (ed ? ed.data() : model.get("_data"));
  const stepper = new BpStepper(model, el, {
    cls: "bpkit-pass",
    label: "Backpropagation, one step at a time",
    title: () => model.get("title"),
    count: () => data().steps.length,
    phases: () => data().steps.map((s) => s.phase),
    tip: (k) => `Step ${k + 1}: ${data().steps[k].caption}`,
    caption: (k) => data().steps[k].caption,
    printTable: () => printTable(data(), model.get("digits"), opts),
    draw: (k) => drawStep(stepper, data(), k, model.get("digits"), uid, opts),
  });
  ed = bpEditable(model, stepper, {
    cls: "bpkit-pass", xName: "x", yName: "y", m: 1, etaRequired: false, fixedBiases: opts.update_biases === false,
    compute, count: (d) => d.steps.length,
  });
  stepper.rebuild();
  return () => { stepper.cleanup(); ed.cleanup(); };
}

export default { render };
