/* page/question.js: one self-check question, drawn and checked: the core of the SelfCheck
 * widget, and what a review asks again.
 *
 * state: {_data, digits, title} as SelfCheck (selfcheck.py) makes it: _data.mode is "number" or
 * "choice"; question, explanation, choices and the mistakes' texts are HTML with MathML;
 * _data.labels are the choices in words (each radio button's accessible name, since the
 * MathML of a choice gives none); _data.reasons (optional) says why each wrong choice is
 * wrong ("" where nothing is said), shown when it is picked; _data.mistakes lists {value, text}: the number a known
 * mistake gives, and what that mistake is. A typed number is right when
 * |typed − answer| <= ½·10^(−digits) + 1e-12; within that of a mistake's number, the page
 * names the mistake (as SelfCheck.check and SelfCheck.diagnosis do in Python).
 */

import { bpEsc, bpFmt, bpUid } from "./dom.js";

/** The tolerance of a typed answer: ½·10^(−digits), plus 1e-12. */
export function scTolerance(digits) {
  return 0.5 * 10 ** -digits + 1e-12;
}

/** The number a reader typed, or null: "0.25", "−0.25" (a true minus), "+3", "1e-3", "0,25" (a
 * decimal comma), "9,000" and "1,000,000" (commas between groups of three digits, as the book
 * prints large numbers). */
export function scParse(text) {
  let s = String(text).trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
  if (/^[-+]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?$/.test(s)) s = s.replace(/,/g, ""); // thousands: "9,000", "1,000,000"
  else if (/^[-+]?\d+,\d+$/.test(s)) s = s.replace(",", "."); // a decimal comma: "0,25"
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** The known mistake whose number `response` is (within the tolerance), or null. */
export function scMistake(d, digits, response) {
  if (d.mode !== "number") return null;
  return (d.mistakes || []).find((m) => Math.abs(response - m.value) <= scTolerance(digits)) || null;
}

/** "correct", "mistake", "too high" or "too low" for a typed number; "correct" or "wrong" for
 * a choice. */
export function scVerdict(d, digits, response) {
  if (d.mode === "choice") return response === d.answer ? "correct" : "wrong";
  if (Math.abs(response - d.answer) <= scTolerance(digits)) return "correct";
  if (scMistake(d, digits, response)) return "mistake";
  return response > d.answer ? "too high" : "too low";
}

const SC_LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** "3 decimals", "1 decimal", "the nearest whole number". */
function scPrecision(digits) {
  if (digits === 0) return "the nearest whole number";
  return digits === 1 ? "1 decimal" : `${digits} decimals`;
}

const bare = (h) => h.replace(/^<p>|<\/p>$/g, "");

/** Draw the question `state` into `el` (a fresh box) and check its answers; `onAnswer(right)`
 * is called after each checked answer. `anchor`: an id for the box (a link can point at it).
 * Returns {update(state), destroy()}. */
export function bpQuestion(el, state, onAnswer, { anchor = "" } = {}) {
  const uid = bpUid("check");
  const root = document.createElement("div");
  root.className = "bpkit-w bpkit-selfcheck";
  if (anchor && !document.getElementById(anchor)) root.id = anchor;
  root.setAttribute("role", "group");
  root.setAttribute("aria-labelledby", `${uid}-title`);
  el.appendChild(root);
  let solutionOpen = false;

  function answerHtml(d, digits) {
    if (d.mode === "choice") return `(${SC_LETTERS[d.answer]}) ${bare(d.choices[d.answer])}`;
    return bpFmt(d.answer, digits);
  }

  function choiceHtml(d, c, i) {
    const name = (d.labels && d.labels[i]) ? `(${SC_LETTERS[i]}) ${d.labels[i]}` : "";
    return `<label class="bpkit-sc-choice" for="${uid}-c${i}">
      <input type="radio" id="${uid}-c${i}" name="${uid}-choice" value="${i}"${name ? ` aria-label="${bpEsc(name)}"` : ""}>
      <span class="bpkit-sc-letter" aria-hidden="true">(${SC_LETTERS[i]})</span>
      <span class="bpkit-sc-ctext">${bare(c)}</span></label>`;
  }

  function draw() {
    const d = state._data, digits = state.digits;
    const form = d.mode === "choice"
      ? `<fieldset class="bpkit-sc-choices" aria-describedby="${uid}-q">
          <legend class="bpkit-sc-legend">Choose one answer</legend>
          ${d.choices.map((c, i) => choiceHtml(d, c, i)).join("")}
        </fieldset>`
      : `<div class="bpkit-sc-field">
          <label class="bpkit-sc-label" for="${uid}-input">Your answer, to ${scPrecision(digits)}</label>
          <input class="bpkit-sc-input" id="${uid}-input" type="text" inputmode="decimal" autocomplete="off"
            spellcheck="false" aria-describedby="${uid}-q ${uid}-fb">
        </div>`;
    root.innerHTML = `
      <div class="bpkit-head"><div class="bpkit-title" id="${uid}-title"></div></div>
      <div class="bpkit-sc-question" id="${uid}-q">${d.question}</div>
      <form class="bpkit-sc-form" novalidate>
        ${form}
        <div class="bpkit-sc-actions">
          <button type="submit" class="bpkit-btn bpkit-primary" data-act="check">Check</button>
          <button type="button" class="bpkit-btn" data-act="solution" aria-expanded="false" aria-controls="${uid}-sol">Show solution</button>
        </div>
      </form>
      <div class="bpkit-sc-feedback" id="${uid}-fb" role="status" aria-live="polite" aria-atomic="true"></div>
      <div class="bpkit-sc-solution" id="${uid}-sol" hidden>
        <p class="bpkit-sc-answer"><span class="bpkit-sc-answer-h">Answer:</span> ${answerHtml(d, digits)}</p>
        ${d.explanation ? `<div class="bpkit-sc-explanation">${d.explanation}</div>` : ""}
      </div>`;
    root.querySelector(".bpkit-title").textContent = state.title;
    setSolution(solutionOpen);
  }

  function setSolution(open) {
    solutionOpen = open;
    const sol = root.querySelector(".bpkit-sc-solution"), btn = root.querySelector('[data-act="solution"]');
    sol.hidden = !open;
    btn.setAttribute("aria-expanded", open ? "true" : "false");
    btn.textContent = open ? "Hide solution" : "Show solution";
  }

  function say(kind, html) {
    const fb = root.querySelector(".bpkit-sc-feedback");
    fb.dataset.verdict = kind;
    fb.innerHTML = html;
  }

  function checkChoice(d, digits) {
    const picked = root.querySelector(`input[name="${uid}-choice"]:checked`);
    if (!picked) return say("empty", "Choose one of the answers first.");
    const i = Number(picked.value);
    root.querySelectorAll(".bpkit-sc-choice").forEach((l, k) => l.classList.toggle("is-wrong", k === i && i !== d.answer));
    const right = scVerdict(d, digits, i) === "correct";
    const reason = !right && d.reasons && d.reasons[i];
    if (right) say("correct", `<span aria-hidden="true">\u2713 </span>Correct: (${SC_LETTERS[i]}) is right.`);
    else if (reason) {
      say("wrong", `<p><span aria-hidden="true">\u2717 </span>Not quite: (${SC_LETTERS[i]}) is not the answer. Try again, or show the solution.</p>`
        + `<div class="bpkit-sc-diagnosis">${reason}</div>`);
    } else say("wrong", `<span aria-hidden="true">\u2717 </span>Not quite: (${SC_LETTERS[i]}) is not the answer. Try again, or show the solution.`);
    if (onAnswer) onAnswer(right);
  }

  function checkNumber(d, digits) {
    const input = root.querySelector(".bpkit-sc-input");
    const typed = input.value.trim(), v = scParse(input.value);
    if (v === null) {
      input.setAttribute("aria-invalid", "true");
      return say("empty", typed ? `\u201C${bpEsc(typed)}\u201D is not a number: type one such as 0.125.` : "Type a number first, such as 0.125.");
    }
    const verdict = scVerdict(d, digits, v);
    input.setAttribute("aria-invalid", verdict === "correct" ? "false" : "true");
    if (verdict === "correct") {
      say("correct", `<span aria-hidden="true">\u2713 </span>Correct: ${bpEsc(bpFmt(d.answer, digits))} to ${scPrecision(digits)}.`);
    } else if (verdict === "mistake") {
      const m = scMistake(d, digits, v);
      say("mistake", `<p><span aria-hidden="true">\u2717 </span>Not quite: ${bpEsc(typed)} is what a known mistake gives.</p>`
        + `<div class="bpkit-sc-diagnosis">${m.text}</div>`);
    } else {
      say("wrong", `<span aria-hidden="true">\u2717 </span>Not quite: ${bpEsc(typed)} is ${verdict}. Try again, or show the solution.`);
    }
    if (onAnswer) onAnswer(verdict === "correct");
  }

  function check() {
    const d = state._data, digits = state.digits;
    if (d.mode === "choice") checkChoice(d, digits);
    else checkNumber(d, digits);
  }

  const onSubmit = (e) => {
    e.preventDefault();
    check();
  };
  const onClick = (e) => {
    if (e.target.closest('[data-act="solution"]')) setSolution(!solutionOpen);
  };
  const onChange = (e) => {
    if (!e.target.matches('input[type="radio"]')) return;
    root.querySelectorAll(".bpkit-sc-choice").forEach((l) => l.classList.remove("is-wrong"));
    say("", "");
  };
  root.addEventListener("submit", onSubmit);
  root.addEventListener("click", onClick);
  root.addEventListener("change", onChange);
  draw();
  return {
    root,
    update(next) {
      state = next;
      draw();
    },
    destroy() {
      root.remove();
    },
  };
}
