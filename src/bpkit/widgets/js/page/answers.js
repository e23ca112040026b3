/* page/answers.js: the reader's answers to the self-checks, remembered in this browser only.
 *
 * localStorage, one key; nothing is sent anywhere. Each question (by the id SelfCheck gives it,
 * the same in every build) keeps: its chapter, page and section, whether its first
 * answer was right (`first`), whether the last one was (`right`), how often it was answered
 * wrong (`wrong`), whether it was since answered right in a review (`cleared`), and what it needs
 * to be asked again (its state). A question answered wrong at least once comes back at the end
 * of later chapters (widgets/review.js) until it is answered right there: a right answer on its
 * own page, just after the wrong one, does not count. The intro shows the progress
 * (widgets/progress.js). Where the browser refuses storage (some private windows), nothing is
 * remembered and nothing breaks.
 */

const BP_ANSWERS_KEY = "bpkit-answers-v1";

/** The browser's localStorage, or null where it cannot be used. */
export function bpStorage() {
  try {
    const store = globalThis.localStorage;
    const probe = "bpkit-probe";
    store.setItem(probe, "1");
    store.removeItem(probe);
    return store;
  } catch (e) {
    return null;
  }
}

/** The chapter of a page from its address: ".../book/05_four_equations.html" (or .md, .ipynb)
 * gives {number: 5, slug: "05_four_equations"}; any other page gives null. */
export function bpChapterOf(path) {
  const m = /(?:^|\/)(\d\d)_([A-Za-z0-9_]+?)(?:\.html|\.md|\.ipynb)?(?:[?#].*)?$/.exec(String(path || ""));
  return m ? { number: Number(m[1]), slug: `${m[1]}_${m[2]}` } : null;
}

/** Every remembered answer, by question id (an empty object when there are none). */
export function bpAnswers() {
  const store = bpStorage();
  if (!store) return {};
  try {
    const all = JSON.parse(store.getItem(BP_ANSWERS_KEY) || "{}");
    return all && typeof all === "object" && !Array.isArray(all) ? all : {};
  } catch (e) {
    return {}; // unreadable: start afresh rather than fail
  }
}

/** Whether the first answer to a remembered question was right (answers stored before `first`
 * was kept count as right at the first try when none was wrong). */
export function bpFirstRight(a) {
  return a.first === undefined ? !(a.wrong > 0) : Boolean(a.first);
}

/** Whether a remembered question waits for a review: answered wrong at least once, and not
 * answered right in a review since. */
export function bpNeedsReview(a) {
  return Boolean(a) && a.wrong > 0 && !a.cleared;
}

/** Remember an answer to the question {id, state, heading, section} asked on this page:
 * `right` is whether it was right; `review` whether it was asked in a review (then a right
 * answer clears it). A question asked again elsewhere keeps its own chapter and section.
 * Returns false when nothing can be stored. */
export function bpRemember(question, right, { review = false } = {}) {
  const store = bpStorage();
  if (!store || !question || !question.id) return false;
  const all = bpAnswers();
  const here = typeof location === "undefined" ? "" : location.pathname;
  const chapter = bpChapterOf(here);
  const old = all[question.id];
  const wrong = ((old && old.wrong) || 0) + (right ? 0 : 1);
  all[question.id] = {
    id: question.id,
    chapter: old ? old.chapter : (chapter ? chapter.number : 0),
    slug: old ? old.slug : (chapter ? chapter.slug : ""),
    heading: old ? old.heading : String(question.heading || ""),
    section: old && old.section !== undefined ? old.section : String(question.section || ""),
    state: question.state,
    right: Boolean(right),
    first: old ? bpFirstRight(old) : Boolean(right),
    wrong,
    // a wrong answer (anywhere) brings it back; only a right answer in a review clears it
    cleared: Boolean(right) && wrong > 0 && (review || Boolean(old && old.cleared)),
    when: Date.now(),
  };
  try {
    store.setItem(BP_ANSWERS_KEY, JSON.stringify(all));
    return true;
  } catch (e) {
    return false; // full: the answer is not remembered
  }
}

/** Forget every answer. */
export function bpForget() {
  const store = bpStorage();
  if (store) store.removeItem(BP_ANSWERS_KEY);
}
