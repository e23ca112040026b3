/* page/answers.js: the reader's answers to the self-checks, remembered in this browser only.
 *
 * localStorage, one key; nothing is sent anywhere. Each question (by the id SelfCheck gives it,
 * the same in every build) keeps: its chapter and page, whether the last answer was right, how
 * often it was answered wrong, and what it needs to be asked again (its state). The questions
 * whose last answer was wrong come back at the end of later chapters (widgets/review.js); the
 * intro shows the progress (widgets/progress.js). Where the browser refuses storage (some
 * private windows), nothing is remembered and nothing breaks.
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

/** Remember an answer to the question {id, state, heading} asked on this page: `right` is
 * whether it was right. A question asked again elsewhere (in a review) keeps its own chapter.
 * Returns false when nothing can be stored. */
export function bpRemember(question, right) {
  const store = bpStorage();
  if (!store || !question || !question.id) return false;
  const all = bpAnswers();
  const here = typeof location === "undefined" ? "" : location.pathname;
  const chapter = bpChapterOf(here);
  const old = all[question.id];
  all[question.id] = {
    id: question.id,
    chapter: old ? old.chapter : (chapter ? chapter.number : 0),
    slug: old ? old.slug : (chapter ? chapter.slug : ""),
    heading: old ? old.heading : String(question.heading || ""),
    state: question.state,
    right: Boolean(right),
    wrong: ((old && old.wrong) || 0) + (right ? 0 : 1),
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
