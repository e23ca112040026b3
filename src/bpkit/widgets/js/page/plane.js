/* page/plane.js: pictures over the input plane (x1, x2), painted through ImageData: the
 * network's answer (the decision boundary), one neuron's activation (its thumbnail), and the
 * points of a data set (classes as colour and shape, or one number per point on a diverging
 * scale: the δ a neuron receives from each example). Colours are Okabe–Ito's, safe for the
 * colour-blind, and every class also has its own shape. */

export const CLASS_COLOURS = ["#c14d00", "#0072b2", "#007a5a"]; // vermillion, blue, bluish green
export const CLASS_NAMES = ["vermillion squares", "blue circles", "green triangles"];
// δ > 0 purple, δ < 0 green (ColorBrewer's PRGn): dark ends on a light card, light ones on a dark card
// and δ near 0 a neutral grey, filled (not the card's colour: an unfilled mark would read as hollow)
const DELTA = { light: { positive: [118, 42, 131], negative: [27, 120, 55], zero: [196, 200, 206] },
  dark: { positive: [205, 150, 235], negative: [110, 210, 130], zero: [92, 98, 108] } };

/** Whether a card colour is dark (its relative luminance below a half). */
export function isDark(card) {
  const [r, g, b] = hexRgb(card.length === 7 ? card : "#ffffff");
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
}

export function hexRgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** The square of the plane a picture shows: the points' box, padded, the same scale on both
 * axes; never smaller than 1 × 1. */
export function planeBounds(X) {
  const xs = X[0], ys = X[1];
  if (!xs.length) return { x0: -1.5, x1: 1.5, y0: -1.5, y1: 1.5 };
  const lo = (v) => v.reduce((a, b) => Math.min(a, b), Infinity), hi = (v) => v.reduce((a, b) => Math.max(a, b), -Infinity);
  const cx = (lo(xs) + hi(xs)) / 2, cy = (lo(ys) + hi(ys)) / 2;
  const half = 0.62 * Math.max(hi(xs) - lo(xs), hi(ys) - lo(ys), 1);
  return { x0: cx - half, x1: cx + half, y0: cy - half, y1: cy + half };
}

/** The centres of a size × size grid over the bounds, as two rows (x1, x2), row-major from the top. */
export function planeGrid(b, size) {
  const g = [new Float64Array(size * size), new Float64Array(size * size)];
  for (let r = 0; r < size; r += 1) {
    for (let c = 0; c < size; c += 1) {
      g[0][r * size + c] = b.x0 + ((c + 0.5) / size) * (b.x1 - b.x0);
      g[1][r * size + c] = b.y1 - ((r + 0.5) / size) * (b.y1 - b.y0);
    }
  }
  return g;
}

/** A canvas's drawing context, with the small canvas an ImageData of size × size is put in. */
function scaler(size) {
  const small = typeof OffscreenCanvas !== "undefined" ? new OffscreenCanvas(size, size) : document.createElement("canvas");
  small.width = small.height = size;
  return { small, ctx: small.getContext("2d"), img: small.getContext("2d").createImageData(size, size) };
}
const scalers = new Map();
function imageFor(size) {
  if (!scalers.has(size)) scalers.set(size, scaler(size));
  return scalers.get(size);
}

/** Paint `fill(i, rgba)` for each of the size × size cells onto the whole canvas, the cells
 * blended into each other (smooth) or not. */
export function paintCells(canvas, size, fill, smooth = true) {
  const s = imageFor(size), px = s.img.data, rgba = [0, 0, 0, 255];
  for (let i = 0; i < size * size; i += 1) {
    fill(i, rgba);
    px[4 * i] = rgba[0]; px[4 * i + 1] = rgba[1]; px[4 * i + 2] = rgba[2]; px[4 * i + 3] = 255;
  }
  s.ctx.putImageData(s.img, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = smooth;
  if (smooth) ctx.imageSmoothingQuality = "high";
  ctx.drawImage(s.small, 0, 0, canvas.width, canvas.height);
}

function mix(out, base, col, t) {
  for (let c = 0; c < 3; c += 1) out[c] = Math.round(base[c] + (col[c] - base[c]) * t);
}

/** The network's answer over the plane: each cell tinted with the colour of the class it gets,
 * the more strongly the surer the network is. `cls(i)` and `sure(i)` (0..1) per cell; a cell
 * whose answer is not a number stays the card's colour. */
export function paintBoundary(canvas, size, cls, sure, card) {
  const base = hexRgb(card), cols = CLASS_COLOURS.map(hexRgb);
  paintCells(canvas, size, (i, rgba) => {
    const t = sure(i);
    if (!Number.isFinite(t)) { mix(rgba, base, base, 0); return; }
    mix(rgba, base, cols[cls(i)], Math.min(1, Math.max(0, t)) * 0.55);
  });
}

/** One neuron's value over the plane on a diverging scale: v(i) / scale in [−1, 1], negative
 * `neg`, positive `pos` (hex colours; vermillion and blue unless given; `neg` null: negative
 * values stay the card's colour), 0 the card's colour. */
export function paintValue(canvas, size, v, scale, card, { pos = CLASS_COLOURS[1], neg = CLASS_COLOURS[0] } = {}) {
  const base = hexRgb(card), negRgb = neg === null ? base : hexRgb(neg), posRgb = hexRgb(pos);
  paintCells(canvas, size, (i, rgba) => {
    const t = v(i) / scale;
    if (!Number.isFinite(t)) { mix(rgba, base, base, 0); return; }
    mix(rgba, base, t < 0 ? negRgb : posRgb, Math.min(1, Math.abs(t)) * 0.9);
  });
}

/** Where (x1, x2) falls on the canvas. */
export function toCanvas(b, S, x, y) {
  return [((x - b.x0) / (b.x1 - b.x0)) * S, ((b.y1 - y) / (b.y1 - b.y0)) * S];
}

/** The point of the plane under a click at (px, py) of a canvas drawn S × S on screen, kept
 * inside the plane (a click on its very edge lands on the edge). */
export function fromCanvas(b, S, px, py) {
  const u = Math.min(1, Math.max(0, px / S)), v = Math.min(1, Math.max(0, py / S));
  return [b.x0 + u * (b.x1 - b.x0), b.y1 - v * (b.y1 - b.y0)];
}

/** The mark of class k at (x, y): a square, a circle or a triangle. */
function mark(ctx, k, x, y, r) {
  ctx.beginPath();
  if (k === 0) ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
  else if (k === 1) ctx.arc(x, y, r, 0, 2 * Math.PI);
  else { ctx.moveTo(x, y - r * 1.15); ctx.lineTo(x + r * 1.05, y + r * 0.8); ctx.lineTo(x - r * 1.05, y + r * 0.8); ctx.closePath(); }
}

/** The points of a data set: filled marks (training) or hollow ones (held out); `big`: the
 * reader's own points, drawn larger (a few points placed by hand, not hundreds). */
export function paintPoints(canvas, b, X, labels, { hollow = false, ring = null, ink = "#1d2430", big = false } = {}) {
  const ctx = canvas.getContext("2d"), S = canvas.width, n = X[0].length;
  const r = n <= 12 ? S / 28 : big ? S / 55 : S / 95;
  ctx.lineWidth = Math.max(1, S / 300);
  for (let i = 0; i < n; i += 1) {
    const [x, y] = toCanvas(b, S, X[0][i], X[1][i]);
    mark(ctx, labels[i], x, y, r);
    if (hollow) {
      ctx.strokeStyle = CLASS_COLOURS[labels[i]];
      ctx.lineWidth = Math.max(1.5, S / 200);
      ctx.stroke();
    } else {
      ctx.fillStyle = CLASS_COLOURS[labels[i]];
      ctx.fill();
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    }
  }
  ringPoint(ctx, b, X, ring, r * 2.3 + 3, ink);
}

/** A ring of radius `radius` around point `ring` of X (nothing when ring is null or past the end). */
function ringPoint(ctx, b, X, ring, radius, ink) {
  if (ring === null || ring >= X[0].length) return;
  const S = ctx.canvas.width, [x, y] = toCanvas(b, S, X[0][ring], X[1][ring]);
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, 2 * Math.PI);
  ctx.lineWidth = Math.max(2.5, S / 110);
  ctx.strokeStyle = ink;
  ctx.stroke();
}

/** One number per point (δ of a neuron for each example) on a diverging scale ±scale: purple
 * above 0, green below, the stronger the larger |v|, grey near 0 (filled: a hollow mark means
 * a held-out point in the other pictures); each point keeps its class's shape; the point
 * `ring` (or null) ringed, as in the picture of the answers. */
export function paintPointValues(canvas, b, X, labels, values, scale, card, { ring = null, ink = "#1d2430" } = {}) {
  const ctx = canvas.getContext("2d"), S = canvas.width, n = X[0].length;
  const r = n <= 12 ? S / 24 : S / 70, rgb = [0, 0, 0], dark = isDark(card);
  const { positive: POSITIVE, negative: NEGATIVE, zero: ZERO } = DELTA[dark ? "dark" : "light"];
  ctx.fillStyle = card;
  ctx.fillRect(0, 0, S, S);
  ctx.lineWidth = Math.max(1, S / 300);
  for (let i = 0; i < n; i += 1) {
    const t = values[i] / scale;
    mix(rgb, ZERO, t < 0 ? NEGATIVE : POSITIVE, Number.isFinite(t) ? Math.min(1, Math.abs(t)) : 0);
    const [x, y] = toCanvas(b, S, X[0][i], X[1][i]);
    mark(ctx, labels[i], x, y, r);
    ctx.fillStyle = `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;
    ctx.fill();
    ctx.strokeStyle = dark ? "#1d2430" : "#ffffff";
    ctx.stroke();
  }
  ringPoint(ctx, b, X, ring, r * 2 + 3, ink);
}

/** The legend's colours of δ for a card colour. */
export function deltaColours(card) {
  const d = DELTA[isDark(card) ? "dark" : "light"];
  return { positive: `rgb(${d.positive.join(",")})`, negative: `rgb(${d.negative.join(",")})`, zero: `rgb(${d.zero.join(",")})` };
}
