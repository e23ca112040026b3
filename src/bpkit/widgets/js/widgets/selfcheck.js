/* SelfCheck: a question the reader answers in the page, with feedback and a solution.
 *
 * model: _data (see selfcheck.py), digits, title. The question itself is page/question.js
 * (a review asks it again with the same code); this module adds the memory: every checked
 * answer is remembered in this browser only (page/answers.js), with the chapter and the
 * section it was asked in, so that a question answered wrong comes back at the end of later
 * chapters with a link to where it was first asked (the question's box has the id
 * bpkit-q-<id> there).
 */

import { bpRemember } from "../page/answers.js";
import { bpQuestion } from "../page/question.js";

function render({ model, el }) {
  const state = () => ({ _data: model.get("_data"), digits: model.get("digits"), title: model.get("title") });
  // a heading's words, without its "#" link and the number the book gives it ("5.7. ")
  const clean = (h) => (h ? h.textContent.replace(/#$/, "").trim().replace(/^\d+(\.\d+)*\.\s+/, "") : "");
  const heading = () => clean(typeof document === "undefined" ? null : document.querySelector("h1"));
  // the section the question sits in (the book's <section id=...> with its heading), if any
  const where = () => {
    const section = el.closest ? el.closest("section[id]") : null;
    const h = section ? section.querySelector("h2, h3") : null;
    return { section: clean(h) };
  };
  const question = bpQuestion(el, state(), (right) => {
    const s = state();
    bpRemember({ id: s._data.id, state: s, heading: heading(), ...where() }, right);
  }, { anchor: `bpkit-q-${state()._data.id}` });
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
