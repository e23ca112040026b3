/* page/chart.js: the one line chart of the widgets (a nudge's measured and predicted change of
 * the cost; the cost after each training step or epoch). */

import { bpEsc, bpSig } from "./dom.js";

/** The y range of the chart: the data's, or from 0 (o.fromZero); never empty. */
function yRange(series, o) {
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  let lo = all.length ? Math.min(...all) : 0, hi = all.length ? Math.max(...all) : 1;
  if (o.fromZero) lo = Math.min(0, lo);
  if (!(hi > lo)) { hi = lo + 1; lo -= o.fromZero ? 0 : 1; }
  return [lo, hi];
}

/** A small SVG line chart of `series` = [{values, cls}] over x = 0..n−1 (or o.xs).
 * o: {label (read aloud), xlabel, ylabel, width, height, fromZero (the y axis starts at 0),
 *     xMax (the x axis reaches at least this), cls (a class of the svg), marker (an x marked by
 *     a vertical line)}. A non-finite value
 * leaves a gap; nothing NaN is drawn. */
export function bpChart(series, o = {}) {
  const xs = o.xs || series[0].values.map((_, i) => i);
  const [lo, hi] = yRange(series, o);
  // the left margin fits the longer y label, minus sign included (about 6.5 px a character)
  const pl = Math.max(46, 8 + 6.5 * Math.max(bpSig(hi).length, bpSig(lo).length)) + (o.ylabel ? 14 : 0);
  const W = (o.width || 320) + pl - 46, H = o.height || 120, pr = 10, pt = 10, pb = o.xlabel ? 30 : 24;
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = Math.max(x0 + 1, o.xMax ?? -Infinity, ...xs);
  const X = (x) => pl + ((x - x0) / (x1 - x0)) * (W - pl - pr), Y = (v) => pt + (1 - (v - lo) / (hi - lo)) * (H - pt - pb);
  let s = `<svg class="bpkit-chart${o.cls ? " " + o.cls : ""}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" style="width: min(100%, ${W}px)" role="img" aria-label="${bpEsc(o.label || "chart")}">`;
  s += `<line class="bpkit-axis" x1="${pl}" y1="${H - pb}" x2="${W - pr}" y2="${H - pb}"/><line class="bpkit-axis" x1="${pl}" y1="${pt}" x2="${pl}" y2="${H - pb}"/>`;
  s += `<text class="bpkit-ctext" x="${pl - 4}" y="${pt + 9}" text-anchor="end">${bpSig(hi)}</text><text class="bpkit-ctext" x="${pl - 4}" y="${H - pb}" text-anchor="end">${bpSig(lo)}</text>`;
  s += `<text class="bpkit-ctext" x="${pl}" y="${H - pb + 13}" text-anchor="middle">${bpSig(x0)}</text><text class="bpkit-ctext" x="${W - pr}" y="${H - pb + 13}" text-anchor="end">${bpSig(x1)}</text>`;
  if (o.xlabel) s += `<text class="bpkit-ctext" x="${(pl + W - pr) / 2}" y="${H - 4}" text-anchor="middle">${bpEsc(o.xlabel)}</text>`;
  if (o.ylabel) {
    const cy = (pt + H - pb) / 2;
    s += `<text class="bpkit-ctext" x="10" y="${cy}" text-anchor="middle" transform="rotate(-90 10 ${cy})">${bpEsc(o.ylabel)}</text>`;
  }
  if (o.marker !== undefined && o.marker !== null) {
    const mx = X(o.marker).toFixed(1);
    s += `<line class="bpkit-marker" x1="${mx}" y1="${pt}" x2="${mx}" y2="${H - pb}"/>`;
  }
  for (const sr of series) {
    const pts = sr.values.map((v, i) => (Number.isFinite(v) ? `${X(xs[i]).toFixed(1)},${Y(v).toFixed(1)}` : null)).filter(Boolean).join(" ");
    s += `<polyline class="bpkit-series ${sr.cls}" points="${pts}" fill="none"/>`;
  }
  return s + "</svg>";
}
