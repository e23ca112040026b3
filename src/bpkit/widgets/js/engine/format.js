/* engine/format.js: numbers written as bpkit's Python writes them (for the trace's captions). */

/** Python's f"{v:g}": 6 significant digits, trailing zeros dropped, an exponent (e-05, e+06)
 * below 1e-4 or from 1e6 on, ties rounded to even as Python does. */
export function bpFormatG(v) {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v < 0 ? "-inf" : "inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const sign = v < 0 ? "-" : "";
  // The decimal digits of |v|, exact to 100 significant digits (a double's tie at the 7th
  // digit is an exact, short expansion, so it is seen).
  const [mant, ex] = Math.abs(v).toExponential(99).split("e");
  let digits = mant.replace(".", "").replace(/0+$/, "") || "0";
  let exp = Number(ex);
  if (digits.length > 6) {
    const head = digits.slice(0, 6), next = Number(digits[6]), rest = /[1-9]/.test(digits.slice(7));
    const up = next > 5 || (next === 5 && (rest || Number(head[5]) % 2 === 1));
    let n = BigInt(head) + (up ? 1n : 0n);
    if (String(n).length > 6) { n /= 10n; exp += 1; }
    digits = String(n).replace(/0+$/, "") || "0";
  }
  if (exp >= -4 && exp < 6) {
    let s;
    if (exp >= 0) {
      const whole = digits.padEnd(exp + 1, "0");
      s = whole.slice(0, exp + 1) + (whole.length > exp + 1 ? "." + whole.slice(exp + 1) : "");
    } else {
      s = "0." + "0".repeat(-exp - 1) + digits;
    }
    return sign + s;
  }
  const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}
