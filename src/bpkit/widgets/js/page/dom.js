/* page/dom.js: small helpers every widget uses: escaping, numbers as the page shows them,
 * page-unique ids, icons. Plain DOM only: no import of the engine, no network, no URL. */

export const BP_MINUS = "\u2212";

/** Small icons for the buttons (drawn, so they do not depend on the fonts installed). */
const BP_ICON = {
  reset: '<path d="M13.2 9.2A5.4 5.4 0 1 1 11.6 4" fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round"/><path d="M13.6 1.6v4.2H9.4z" fill="currentColor"/>',
  prev: '<path d="M11.5 2.5 4.5 8l7 5.5z" fill="currentColor"/>',
  next: '<path d="M4.5 2.5 11.5 8l-7 5.5z" fill="currentColor"/>',
  play: '<path d="M4 2.2 13.5 8 4 13.8z" fill="currentColor"/>',
  pause: '<rect x="3.2" y="2.5" width="3.4" height="11" rx="0.8" fill="currentColor"/><rect x="9.4" y="2.5" width="3.4" height="11" rx="0.8" fill="currentColor"/>',
};
export function bpIcon(name) {
  return `<svg class="bpkit-ico" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">${BP_ICON[name]}</svg>`;
}

/** The marks of the drawings, as little swatches for the headings that explain them. */
export function bpSwatch(role) {
  return `<svg class="bpkit-swatch bpkit-swatch-${role}" viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false"><circle cx="10" cy="10" r="7.2"/></svg>`;
}

/** v rounded to `digits` decimals, with a true minus sign and never "−0.000". */
export function bpFmt(v, digits) {
  if (typeof v !== "number" || Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return (v < 0 ? BP_MINUS : "") + "\u221E";
  const s = Math.abs(v).toFixed(digits);
  return (v < 0 && /[1-9]/.test(s) ? BP_MINUS : "") + s;
}

export function bpEsc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

let bpCounter = 0;
/** A page-unique id (copies of a module from several bpkit versions may run on one page). */
export function bpUid(prefix) {
  bpCounter += 1;
  return `bpkit-${prefix}-${Math.random().toString(36).slice(2, 8)}${bpCounter}`;
}

const BP_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹", BP_SUB = "₀₁₂₃₄₅₆₇₈₉";
/** A whole number in Unicode superscript or subscript digits (for option labels). */
export function bpScript(n, sup) {
  return String(n).split("").map((c) => (sup ? BP_SUP : BP_SUB)[Number(c)]).join("");
}

/** v with `sig` significant digits and a true minus sign (for tiny differences like ΔC). */
export function bpSig(v, sig = 3) {
  if (!Number.isFinite(v)) return bpFmt(v, 0);
  if (v === 0) return "0";
  const s = Math.abs(v) >= 1e-4 && Math.abs(v) < 1e5 ? String(Number(Math.abs(v).toPrecision(sig))) : Math.abs(v).toExponential(sig - 1).replace(/e([+-])(\d+)/, (_, sg, d) => "\u00D710" + (sg === "-" ? "\u207B" : "") + bpScript(d, true));
  return (v < 0 ? BP_MINUS : "") + s;
}

/** A number as an input field shows it: 6 significant digits, no exponent noise. */
export function bpInputValue(v) {
  return String(Number(Number(v).toPrecision(6)));
}

/** Plain text for labels and announcements: "δ^3_j" → "δ 3 j", "a¹" → "a 1". */
export function bpPlain(text) {
  return String(text).replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰]/g, (c) => " " + (("¹²³⁴⁵⁶⁷⁸⁹⁰".indexOf(c) + 1) % 10))
    .replace(/\^|_/g, " ").replace(/ {2,}/g, " ");
}

/** A trace name in words, for labels read aloud: "delta^3" → "delta 3", "dC/dw^2" →
 * "dC/dw 2", "sigma'(z^3)" → "sigma prime of z 3", "w^3 new" → "new w 3". */
export function bpWords(name) {
  let s = String(name), prefix = "";
  if (s.endsWith(" new")) { prefix = "new "; s = s.slice(0, -4); }
  s = s.replace(/sigma'\((.*)\)/, "sigma prime of $1").replace("nabla_a C", "nabla a C").replace(/[_^]/g, " ");
  return prefix + s.replace(/\s+/g, " ").trim();
}

/** The message of an error thrown by the engine (or anything else), as text. */
export function bpMessage(e) {
  return String((e && e.message) || e);
}
