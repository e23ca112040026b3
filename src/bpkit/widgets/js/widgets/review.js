/* Review: at the end of a chapter, the self-check questions of earlier chapters that were
 * answered wrong at least once, asked again.
 *
 * model: title. Which questions come back is read from this browser's memory of the answers
 * (page/answers.js): those of chapters before this page's chapter (from its address) answered
 * wrong at least once and not yet answered right in a review, most often missed first (a right
 * answer on the question's own page, after a wrong one, does not clear it). Each is asked again
 * with the very code of the SelfCheck that first asked it (page/question.js), under a link to
 * where it was first asked (its chapter and section: the figures and numbers it speaks of are
 * there); answered right here, it will not come back.
 */

import { bpAnswers, bpChapterOf, bpNeedsReview, bpRemember, bpStorage } from "../page/answers.js";
import { bpEsc, bpUid } from "../page/dom.js";
import { bpQuestion } from "../page/question.js";

const BP_REVIEW_MAX = 5; // questions asked again at the end of one chapter

/** The remembered questions to ask again on the page at `path`, most often missed first. */
export function bpReviewItems(answers, path) {
  const here = bpChapterOf(path);
  return Object.values(answers)
    .filter((a) => bpNeedsReview(a) && a.state && a.state._data && (!here || (a.chapter > 0 && a.chapter < here.number)))
    .sort((a, b) => (b.wrong - a.wrong) || (a.chapter - b.chapter) || (a.when - b.when));
}

/** The line above a returning question, as HTML: where it was first asked, as a link to the
 * question in its chapter (the figures and numbers it speaks of are on that page), and how
 * often it was missed. */
export function bpReviewFrom(item) {
  const chapter = `chapter ${item.chapter}` + (item.heading ? `, \u201C${item.heading}\u201D` : "");
  const where = chapter + (item.section ? `, section \u201C${item.section}\u201D` : "");
  // the question's own box on its page has the id bpkit-q-<id> (widgets/selfcheck.js)
  const link = item.slug ? `<a href="${bpEsc(`${item.slug}.html#bpkit-q-${item.id}`)}">${bpEsc(where)}</a>` : bpEsc(where);
  const missed = item.wrong > 1 ? `, missed ${item.wrong} times` : "";
  return `From ${link}${missed}. Any figure or number it speaks of is in chapter ${bpEsc(String(item.chapter))}, at that link.`;
}

function render({ model, el }) {
  const uid = bpUid("review");
  const root = document.createElement("section");
  root.className = "bpkit-w bpkit-review";
  root.setAttribute("aria-labelledby", `${uid}-title`);
  el.appendChild(root);
  const path = typeof location === "undefined" ? "" : location.pathname;
  const items = bpReviewItems(bpAnswers(), path);
  const shown = items.slice(0, BP_REVIEW_MAX);
  let intro;
  if (!bpStorage()) {
    intro = "This browser does not let the page remember your answers (a private window may refuse it), so there is nothing to review here.";
  } else if (!shown.length) {
    intro = "Nothing to review: no question of an earlier chapter is waiting for a second try. Questions you answer wrong come back here, at the end of later chapters. Your answers stay in this browser; nothing leaves the page.";
  } else {
    intro = `${shown.length === 1 ? "One question" : `${shown.length} questions`} of earlier chapters that you answered wrong at least once${items.length > shown.length ? ` (of ${items.length}; the most missed first)` : ""}. Answer ${shown.length === 1 ? "it" : "each"} right here and it will not come back. Your answers stay in this browser; nothing leaves the page.`;
  }
  root.innerHTML = `<div class="bpkit-head"><div class="bpkit-title bpkit-review-title" id="${uid}-title"></div></div>
    <p class="bpkit-review-intro">${bpEsc(intro)}</p>
    <ol class="bpkit-review-list"></ol>`;
  root.querySelector(".bpkit-review-title").textContent = model.get("title");
  const list = root.querySelector(".bpkit-review-list");
  const questions = shown.map((item) => {
    const li = document.createElement("li");
    li.className = "bpkit-review-item";
    li.innerHTML = `<p class="bpkit-review-from">${bpReviewFrom(item)}</p>`;
    list.appendChild(li);
    return bpQuestion(li, item.state, (right) => bpRemember({ id: item.id, state: item.state, heading: item.heading }, right, { review: true }));
  });
  if (!shown.length) list.remove();
  return () => {
    questions.forEach((q) => q.destroy());
    root.remove();
  };
}

export default { render };
