/* LoopStepper: one mini-batch of gradient descent, example by example (Ng's loop).
 *
 * model: _data (see loop_stepper.py: loop_data), step (0-based), digits, title.
 * Every number comes from bpkit's trace of the loop; this file computes none.
 */

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
  return `<div class="bpkit-batch" style="grid-template-columns: auto repeat(${m}, minmax(3.6em, auto))">${html}</div>`;
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

function render({ model, el }) {
  const data = () => model.get("_data");
  const stepper = bpStepper(model, el, {
    cls: "bpkit-loop",
    label: "Gradient descent on one mini-batch, example by example",
    title: () => model.get("title"),
    count: () => data().steps.length,
    phases: () => data().steps.map((s) => LOOP_PHASE[s.kind]),
    groups: () => data().steps.map((s) => (s.example === null ? s.kind : `example ${s.example}`)),
    groupLabel: (g) => (g === "init" ? "start" : g),
    tip: (k) => `Step ${k + 1}: ${data().steps[k].caption}`,
    draw(k) {
      const d = data(), st = d.steps[k], digits = model.get("digits");
      const phase = LOOP_PHASE[st.kind];
      stepper.root.dataset.phase = phase;
      stepper.badge.textContent = st.example === null ? LOOP_WORD[st.kind] : `Example ${st.example} of ${d.m}: ${LOOP_WORD[st.kind].toLowerCase()}`;
      const code = d.pseudocode.map((line) => {
        const on = line.kinds.includes(st.kind);
        return `<div class="bpkit-code-line${on ? " is-now" : ""}" style="padding-left: ${0.6 + 1.4 * line.indent}em">
          <span class="bpkit-code-mark" aria-hidden="true">${on ? "\u25B6" : ""}</span>${line.html}${on ? '<span class="bpkit-sr"> (running now)</span>' : ""}</div>`;
      }).join("");
      stepper.main.innerHTML = `
        <div class="bpkit-loop-top">
          <div class="bpkit-code" aria-label="Ng's pseudocode">${code}</div>
          ${batchTable(d, st, digits)}
        </div>
        <div class="bpkit-eqline"><div class="bpkit-eq">${st.mathml}</div></div>
        <p class="bpkit-caption">${st.caption_html}</p>
        ${st.kind === "init" ? "" : `<div class="bpkit-values">${stepValues(d, st, digits)}</div>`}
        ${sumsPanel(d, st, k, digits)}
        <p class="bpkit-note">Numbers rounded to ${digits} decimals.</p>`;
    },
  });
  stepper.rebuild();
  return stepper.cleanup;
}

export default { render };
