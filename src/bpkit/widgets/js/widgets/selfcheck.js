/* SelfCheck: a question the reader answers in the page, with feedback and a solution.
 *
 * model: _data (see selfcheck.py), digits, title. The question itself is page/question.js
 * (a review asks it again with the same code); this module adds the memory: every checked
 * answer is remembered in this browser only (page/answers.js), so that a question answered
 * wrong comes back at the end of later chapters.
 */

import { bpRemember } from "../page/answers.js";
import { bpQuestion } from "../page/question.js";

function render({ model, el }) {
  const state = () => ({ _data: model.get("_data"), digits: model.get("digits"), title: model.get("title") });
  const heading = () => {
    const h1 = typeof document === "undefined" ? null : document.querySelector("h1");
    return h1 ? h1.textContent.replace(/#$/, "").trim() : "";
  };
  const question = bpQuestion(el, state(), (right) => {
    const s = state();
    bpRemember({ id: s._data.id, state: s, heading: heading() }, right);
  });
  const redraw = () => question.update(state());
  model.on("change:_data", redraw);
  model.on("change:digits", redraw);
  model.on("change:title", redraw);
  return () => {
    model.off("change:_data", redraw);
    model.off("change:digits", redraw);
    model.off("change:title", redraw);
    question.destroy();
  };
}

export default { render };
