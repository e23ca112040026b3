/* page/mathml.js: maths on the page as MathML (browsers render it natively; no MathJax).
 * The equations come from Python (latex2mathml) as a table keyed by their LaTeX, so the page
 * looks up the strings the engine writes; captions' plain-text notation is made MathML here. */

import { bpEsc } from "./dom.js";

/** MathML of a LaTeX string the page met: looked up in the table made in Python;
 * display = a displayed equation. An unknown string shows as text (never an error). */
export function bpMathml(table, latex, display = false) {
  const hit = table[(display ? "d:" : "i:") + latex];
  return hit !== undefined ? hit : `<math><mtext>${bpEsc(latex)}</mtext></math>`;
}

const SUPERS = "¹²³⁴⁵⁶⁷⁸⁹⁰";
const NOTATION = /(?<![\w/])(Δ?)([A-Za-zδσ])\^(\d+|l)(?:_([jk]{1,2}))?(?![\w^])|(?<![\w/])([xyC])_(\d+|x)(?![\w^])|Σ_([a-z])|([A-Za-zδσ])([¹²³⁴⁵⁶⁷⁸⁹⁰]+)|(σ)'(?![\w^])/g;

function numOrId(t) {
  return /^\d+$/.test(t) ? `<mn>${t}</mn>` : `<mi>${t}</mi>`;
}

function notationMathml(m) {
  const [, delta, sym, sup, sub, isym, idx, sumIndex, usym, udigits, primed] = m;
  if (primed) return "<mi>\u03C3</mi><mo>\u2032</mo>";
  if (sumIndex) return `<msub><mo>\u2211</mo><mi>${sumIndex}</mi></msub>`;
  if (isym) return `<msub><mi>${isym}</mi>${numOrId(idx)}</msub>`;
  if (usym) return `<msup><mi>${usym}</mi><mn>${[...udigits].map((c) => (SUPERS.indexOf(c) + 1) % 10).join("")}</mn></msup>`;
  const base = `<mi>${sym}</mi>`;
  return (delta ? "<mi>\u0394</mi>" : "") + (sub ? `<msubsup>${base}<mi>${sub}</mi>${numOrId(sup)}</msubsup>` : `<msup>${base}${numOrId(sup)}</msup>`);
}

/** The trace's plain-text notation in a caption (z^2_j, Δw^l, x_2, Σ_k, a¹, σ') as MathML, as
 * _format.notation_html does in Python. */
export function bpCaptionHtml(text) {
  let out = "", pos = 0, m;
  NOTATION.lastIndex = 0;
  while ((m = NOTATION.exec(text)) !== null) {
    out += bpEsc(text.slice(pos, m.index)) + `<math>${notationMathml(m)}</math>`;
    pos = m.index + m[0].length;
  }
  return out + bpEsc(text.slice(pos));
}

/** A parameter as MathML: w^l_jk or b^l_j (p = {param, l, j, k}). */
export function bpParamMathml(p) {
  const sub = p.param === "w" ? (p.j > 9 || p.k > 9 ? `<mrow><mn>${p.j}</mn><mo>,</mo><mn>${p.k}</mn></mrow>` : `<mn>${p.j}${p.k}</mn>`) : `<mn>${p.j}</mn>`;
  return `<math><msubsup><mi>${p.param}</mi>${sub}<mn>${p.l}</mn></msubsup></math>`;
}
