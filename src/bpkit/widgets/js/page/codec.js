/* page/codec.js: the page's address keeps each widget's state, so that a link opens "this
 * network, at this step". One part of the hash per widget, `KEY=v:2,name:value,...`, several
 * widgets on one page joined by `&`:
 *
 *   #playground=v:2,data:spirals,hidden:8-8,eta:0.3,epoch:120&bp-pass1=v:2,s:4,d:3
 *
 * Table-driven, like TensorFlow Playground's state.ts: a widget declares its fields once,
 *   bpCodec(2, [{name: "eta", type: "number", min: 0, exclusive: true}, ...])
 * and the codec encodes and decodes them. A truncated, tampered or older address never
 * breaks a figure: decode returns the fields it could read and, for the rest, a problem in
 * words; the widget keeps its last good state for those and shows the problems.
 *
 * Types: "int" and "number" (optional min, max, exclusive: min itself not allowed), "enum"
 * (values), "ints" (a list of whole numbers joined by "-", optional min, max, maxLength; ""
 * for none), "bool", "json" (any JSON value, checked by the widget), "points" (a list of
 * [x, y, class] triples, optional maxLength). Each value is URI-encoded, so `,` and `:` never
 * clash. */

function checkNumber(f, v, whole) {
  if (!Number.isFinite(v) || (whole && !Number.isInteger(v))) return `${f.name} must be a ${whole ? "whole " : ""}number`;
  if (f.min !== undefined && (f.exclusive ? v <= f.min : v < f.min)) return `${f.name} must be ${f.exclusive ? "greater than" : "at least"} ${f.min}`;
  if (f.max !== undefined && v > f.max) return `${f.name} must be at most ${f.max}`;
  return null;
}

const TYPES = {
  int: { enc: String, dec: (s, f) => { const v = Number(s); return [v, s.trim() === "" ? `${f.name} is empty` : checkNumber(f, v, true)]; } },
  number: { enc: String, dec: (s, f) => { const v = Number(s); return [v, s.trim() === "" ? `${f.name} is empty` : checkNumber(f, v, false)]; } },
  enum: { enc: String, dec: (s, f) => [s, f.values.includes(s) ? null : `${f.name} must be one of ${f.values.join(", ")}`] },
  bool: { enc: (v) => (v ? "1" : "0"), dec: (s, f) => [s === "1", s === "1" || s === "0" ? null : `${f.name} must be 0 or 1`] },
  ints: {
    enc: (v) => v.join("-"),
    dec: (s, f) => {
      const v = s === "" ? [] : s.split("-").map(Number);
      if (f.maxLength !== undefined && v.length > f.maxLength) return [v, `${f.name} has more than ${f.maxLength} entries`];
      for (const n of v) { const bad = checkNumber(f, n, true); if (bad) return [v, bad]; }
      return [v, null];
    },
  },
  json: {
    enc: (v) => JSON.stringify(v),
    dec: (s, f) => { try { return [JSON.parse(s), null]; } catch (e) { return [null, `${f.name} is not readable`]; } },
  },
  points: {
    enc: (v) => v.map((p) => [+p[0].toPrecision(4), +p[1].toPrecision(4), p[2]].join("_")).join("~"),
    dec: (s, f) => {
      const v = s === "" ? [] : s.split("~").map((p) => p.split("_").map(Number));
      if (f.maxLength !== undefined && v.length > f.maxLength) return [v, `${f.name} has more than ${f.maxLength} points`];
      if (!v.every((p) => p.length === 3 && p.every(Number.isFinite) && Number.isInteger(p[2]) && p[2] >= 0)) return [v, `${f.name} holds a point that is not x_y_class`];
      return [v, null];
    },
  },
};

/** A codec for one widget's address part: version (a whole number, written as field v) and
 * the table of fields. */
export function bpCodec(version, fields) {
  const byName = new Map(fields.map((f) => [f.name, f]));
  return {
    version,
    fields,
    /** The part's text for the fields of `state` that are not undefined. */
    encode(state) {
      const parts = [`v:${version}`];
      for (const f of fields) {
        if (state[f.name] === undefined || state[f.name] === null) continue;
        parts.push(`${f.name}:${encodeURIComponent(TYPES[f.type].enc(state[f.name]))}`);
      }
      return parts.join(",");
    },
    /** {value: the fields read, problems: [what could not be read, in words]}. */
    decode(text) {
      const value = {}, problems = [];
      let seenVersion = null;
      for (const item of String(text).split(",")) {
        const at = item.indexOf(":");
        if (at < 1) { if (item) problems.push(`"${item.slice(0, 24)}" is not a setting`); continue; }
        const name = item.slice(0, at);
        let raw;
        try { raw = decodeURIComponent(item.slice(at + 1)); } catch (e) { problems.push(`${name} is garbled`); continue; }
        if (name === "v") { seenVersion = Number(raw); continue; }
        const f = byName.get(name);
        if (!f) { problems.push(`${name} is not a setting of this figure`); continue; }
        const [v, bad] = TYPES[f.type].dec(raw, f);
        if (bad) problems.push(bad);
        else value[name] = v;
      }
      if (seenVersion !== version) problems.unshift(seenVersion === null ? "the link was written by an older version of this page" : `the link was written by version ${seenVersion} of this page, not ${version}`);
      return { value, problems };
    },
  };
}

function hashParts() {
  const h = typeof location !== "undefined" ? location.hash.replace(/^#/, "") : "";
  return h ? h.split("&").filter(Boolean) : [];
}

/** The raw text of this widget's part of the address, or null. */
export function bpAddressRead(key) {
  const part = hashParts().find((p) => p.startsWith(`${key}=`));
  return part === undefined ? null : part.slice(key.length + 1);
}

const pending = new Map();
let timer = null;

function writeNow() {
  timer = null;
  let parts = hashParts();
  for (const [key, text] of pending) {
    parts = parts.filter((p) => !p.startsWith(`${key}=`));
    if (text !== null) parts.push(`${key}=${text}`);
  }
  pending.clear();
  const hash = parts.length ? "#" + parts.join("&") : "";
  if (hash !== location.hash && typeof history !== "undefined" && history.replaceState) {
    history.replaceState(history.state, "", location.pathname + location.search + hash);
  }
}

/** Write this widget's part of the address (null removes it). history.replaceState costs
 * Chromium ~15 ms, so the writes are gathered and made once, 200 ms after the last change:
 * a click stays within a frame. `now` writes at once. */
export function bpAddressWrite(key, text, now = false) {
  if (typeof location === "undefined") return;
  pending.set(key, text);
  if (timer !== null) clearTimeout(timer);
  if (now) writeNow();
  else timer = setTimeout(writeNow, 200);
}
