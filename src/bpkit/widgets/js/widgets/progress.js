/* Progress: on the intro page, what this browser remembers of the reader's answers to the
 * self-checks, chapter by chapter: how many questions were answered, how many were answered
 * right at the first try, how many wait in a review at the end of a later chapter (answered
 * wrong at least once, not yet right in a review); and a button to forget it all.
 *
 * model: title. Nothing is sent anywhere: the answers live in this browser's localStorage
 * (page/answers.js).
 */

import { bpAnswers, bpFirstRight, bpForget, bpNeedsReview, bpStorage } from "../page/answers.js";
import { bpEsc, bpUid } from "../page/dom.js";

/** Per chapter: {chapter, slug, heading, answered, first (right at the first try), review (to
 * try again)}, in chapter order. */
export function bpProgress(answers) {
  const rows = new Map();
  for (const a of Object.values(answers)) {
    if (!a || !a.id) continue;
    const key = a.chapter || 0;
    if (!rows.has(key)) rows.set(key, { chapter: key, slug: a.slug || "", heading: a.heading || "", answered: 0, first: 0, review: 0 });
    const row = rows.get(key);
    row.answered += 1;
    if (bpFirstRight(a)) row.first += 1;
    if (bpNeedsReview(a)) row.review += 1;
  }
  return [...rows.values()].sort((a, b) => a.chapter - b.chapter);
}

function render({ model, el }) {
  const uid = bpUid("progress");
  const root = document.createElement("section");
  root.className = "bpkit-w bpkit-progress";
  root.setAttribute("aria-labelledby", `${uid}-title`);
  el.appendChild(root);

  function draw(message) {
    const rows = bpProgress(bpAnswers());
    const stored = Boolean(bpStorage());
    const total = rows.reduce((t, r) => ({ answered: t.answered + r.answered, first: t.first + r.first, review: t.review + r.review }),
      { answered: 0, first: 0, review: 0 });
    let body;
    if (!stored) {
      body = `<p>This browser does not let the page remember your answers (a private window may refuse it): questions answered wrong cannot come back later.</p>`;
    } else if (!rows.length) {
      body = `<p>No answers yet. Each chapter ends with questions to check yourself; the ones you answer wrong come back at the end of later chapters, and this box counts them. Your answers stay in this browser; nothing leaves the page.</p>`;
    } else {
      const link = (r) => {
        const name = r.chapter ? `${r.chapter}. ${r.heading || "Chapter " + r.chapter}` : (r.heading || "Other pages");
        return r.slug ? `<a href="${bpEsc(r.slug)}.html">${bpEsc(name)}</a>` : bpEsc(name);
      };
      body = `<p>${total.first} of ${total.answered} questions answered right at the first try; ${total.review} to try again (a question answered wrong comes back at the end of later chapters until you answer it right there). Stored in this browser only.</p>
        <div class="bpkit-progress-scroll"><table class="bpkit-progress-table">
          <caption class="bpkit-sr">Your answers, by chapter</caption>
          <thead><tr><th scope="col">Chapter</th><th scope="col">Answered</th><th scope="col">Right at the first try</th><th scope="col">To try again</th></tr></thead>
          <tbody>${rows.map((r) => `<tr><th scope="row">${link(r)}</th><td>${r.answered}</td><td>${r.first}</td><td>${r.review}</td></tr>`).join("")}</tbody>
        </table></div>
        <div class="bpkit-progress-actions">
          <button type="button" class="bpkit-btn" data-act="forget">Forget my answers</button>
          <span class="bpkit-progress-confirm" hidden>
            <span>Forget every answer in this browser?</span>
            <button type="button" class="bpkit-btn bpkit-primary" data-act="yes">Yes, forget them</button>
            <button type="button" class="bpkit-btn" data-act="no">No, keep them</button>
          </span>
        </div>`;
    }
    root.innerHTML = `<div class="bpkit-head"><div class="bpkit-title" id="${uid}-title"></div></div>${body}
      <p class="bpkit-progress-status" role="status" aria-live="polite" tabindex="-1">${message ? bpEsc(message) : ""}</p>`;
    root.querySelector(".bpkit-title").textContent = model.get("title");
  }

  root.addEventListener("click", (e) => {
    const act = e.target.closest("[data-act]");
    if (!act) return;
    const confirm = root.querySelector(".bpkit-progress-confirm");
    if (act.dataset.act === "forget") {
      confirm.hidden = false;
      confirm.querySelector('[data-act="no"]').focus();
    } else if (act.dataset.act === "no") {
      confirm.hidden = true;
      root.querySelector('[data-act="forget"]').focus();
    } else if (act.dataset.act === "yes") {
      bpForget();
      draw("Your answers are forgotten.");
      root.querySelector(".bpkit-progress-status").focus();
    }
  });
  const onStorage = (e) => {
    if (!e.key || e.key.startsWith("bpkit-")) draw("");
  };
  if (typeof window !== "undefined") window.addEventListener("storage", onStorage);
  draw("");
  return () => {
    if (typeof window !== "undefined") window.removeEventListener("storage", onStorage);
    root.remove();
  };
}

export default { render };
