"""The book's in-page exercises in headless Chromium (the one built book, no network).

* Every self-check that knows the catalogue's wrong numbers names each mistake when its number
  is typed (at the decimals the question asks), and says "Correct" to the right number.
* Axe finds nothing in them, in the light and the dark theme, after every kind of feedback.
* A question answered wrong comes back at the end of a later chapter (stored in the browser
  only), even when it was answered right at once on its own page, under a link to it there; it
  goes away once answered right in a review, and the intro's progress counts it (right at the
  first try or not); all by keyboard.
* Nothing of them is clipped at 390 px.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers.axe import axe_violations
from helpers.browser import open_page, screenshot, serve

pytestmark = pytest.mark.browser

STATE = re.compile(r'<div class="bpkit-static" id="([\w-]+)" data-bpkit-widget="SelfCheck"[^>]*>.*?'
                   r'<script type="application/json" id="\1-state">(.*?)</script>', re.S)


def diagnosed_questions(book_html) -> dict[str, list[tuple[str, dict]]]:
    """Per page, (host id, state) of every self-check that knows some mistakes' numbers."""
    out = {}
    for page in sorted((book_html / "book").glob("*.html")):
        found = [(uid, json.loads(state)) for uid, state in STATE.findall(page.read_text(encoding="utf-8"))]
        found = [(uid, s) for uid, s in found if s["_data"].get("mistakes")]
        if found:
            out[f"book/{page.stem}"] = found
    return out


# HTML as the browser writes it back (entities decoded, attributes quoted its way)
SERIALISED = "(html) => { const d = document.createElement('div'); d.innerHTML = html; return d.innerHTML; }"
ANSWERS = "localStorage.getItem('bpkit-answers-v1')"  # the theme keeps its own keys there too


def ready(page) -> None:
    page.wait_for_function("() => !document.querySelector('.bpkit-static:not([data-bpkit-ready=\"true\"])')")


def test_the_book_asks_diagnosed_questions_from_chapter_5_on(book_html):
    pages = diagnosed_questions(book_html)
    for doc in ("05_four_equations", "07_algorithm", "08_worked_example", "10_training", "12_gradient_checking",
                "13_debugging"):
        assert f"book/{doc}" in pages, f"{doc} has no question that names mistakes"
    assert sum(len(s["_data"]["mistakes"]) for qs in pages.values() for _, s in qs) >= 30


def test_typing_each_mistakes_number_names_it_and_the_right_number_passes(book_html):
    pages = diagnosed_questions(book_html)
    with serve(book_html) as base:
        for doc, questions in pages.items():
            with open_page(base, f"{doc}.html", width=1280, height=900) as (page, report):
                ready(page)
                for uid, state in questions:
                    data, digits = state["_data"], state["digits"]
                    w = page.locator(f"#{uid} .bpkit-selfcheck")
                    w.scroll_into_view_if_needed()
                    box, status = w.get_by_role("textbox"), w.get_by_role("status")
                    for mistake in data["mistakes"]:
                        typed = f"{mistake['value']:.{digits}f}"
                        box.fill(typed)
                        box.press("Enter")
                        assert status.inner_text().startswith(f"\u2717 Not quite: {typed} is what a known mistake gives."), (
                            doc, typed, status.inner_text())
                        shown = w.locator(".bpkit-sc-diagnosis").inner_html()
                        assert shown == page.evaluate(SERIALISED, mistake["text"]), (doc, typed)
                        assert box.get_attribute("aria-invalid") == "true"
                    box.fill(f"{data['answer']:.{digits}f}")
                    w.get_by_role("button", name="Check").click()
                    assert status.inner_text().startswith("\u2713 Correct"), (doc, status.inner_text())
                    # a number no mistake gives is only "too high" or "too low"
                    box.fill(f"{data['answer'] + 97.5:.{digits}f}")
                    box.press("Enter")
                    assert "is too high" in status.inner_text()
                first_uid = questions[0][0]
                screenshot(page, f"exercises-{doc.split('/')[-1]}-question", element=page.locator(f"#{first_uid}"))
            report.assert_clean()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_nothing_in_the_diagnosis_the_review_and_the_progress(book_html, theme):
    with serve(book_html) as base, open_page(base, "book/13_debugging.html", width=1280, height=900) as (page, report):
        ready(page)
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        uid, state = diagnosed_questions(book_html)["book/13_debugging"][0]
        w = page.locator(f"#{uid} .bpkit-selfcheck")
        w.get_by_role("textbox").fill(f"{state['_data']['mistakes'][0]['value']:.{state['digits']}f}")
        w.get_by_role("button", name="Check").click()
        w.get_by_role("button", name="Show solution").click()
        choice = page.locator(".bpkit-selfcheck").nth(1)
        choice.get_by_role("radio").first.check()
        choice.get_by_role("button", name="Check").click()
        assert "forward pass spoils" in choice.locator(".bpkit-sc-diagnosis").inner_text()  # why (a) is wrong
        assert axe_violations(page, ".bpkit-w") == [], theme
        # the mistakes table and the gradient tables: on the page's own colours (no light card in
        # the dark theme), and the gradient tables fit the text column at 1280 px
        looks = page.evaluate("""() => [...document.querySelectorAll('.bpkit-checklist, .bpkit-gradient-table')].map((t) => {
            const box = t.closest('.bpkit-table-scroll'), out = t.closest('.text_html');
            return [t.className, getComputedStyle(out).backgroundColor, box.scrollWidth <= box.clientWidth + 1]; })""")
        assert len(looks) >= 3 and all(bg == "rgba(0, 0, 0, 0)" for _, bg, _ in looks), (theme, looks)
        assert all(fits for cls, _, fits in looks if cls == "bpkit-gradient-table"), (theme, looks)
        screenshot(page, f"exercises-diagnosis-{theme}", element=w)
        page.goto(page.url.replace("13_debugging", "14_beyond"))
        ready(page)
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        assert page.locator(".bpkit-review .bpkit-selfcheck").count() == 2
        links = page.locator(".bpkit-review-from a")
        assert links.count() == 2 and all(
            links.nth(i).get_attribute("href").startswith("13_debugging.html#bpkit-q-") for i in range(2))
        assert axe_violations(page, ".bpkit-review") == [], theme
        screenshot(page, f"exercises-review-{theme}", element=page.locator(".bpkit-review"))
        page.goto(page.url.replace("book/14_beyond.html", "book/intro.html"))
        ready(page)
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        assert axe_violations(page, ".bpkit-progress") == [], theme
        screenshot(page, f"exercises-progress-{theme}", element=page.locator(".bpkit-progress"))
    report.assert_clean()


def test_a_question_answered_wrong_comes_back_later_until_answered_right(book_html):
    uid, state = diagnosed_questions(book_html)["book/05_four_equations"][0]
    digits, answer = state["digits"], state["_data"]["answer"]
    with serve(book_html) as base, open_page(base, "book/07_algorithm.html", width=1280, height=900) as (page, report):
        ready(page)
        review = page.locator(".bpkit-review")
        assert "Nothing to review" in review.inner_text()      # a fresh browser remembers nothing
        assert page.evaluate(ANSWERS) is None
        page.goto(page.url.replace("07_algorithm", "05_four_equations"))
        ready(page)
        w = page.locator(f"#{uid} .bpkit-selfcheck")
        box = w.get_by_role("textbox")
        box.focus()                                              # the keyboard only: type, Enter
        page.keyboard.type(f"{answer + 0.5:.{digits}f}")
        page.keyboard.press("Enter")
        assert "Not quite" in w.get_by_role("status").inner_text()
        box.fill(f"{answer:.{digits}f}")                         # right at once: it still comes back
        page.keyboard.press("Enter")
        assert w.get_by_role("status").inner_text().startswith("\u2713 Correct")
        assert page.locator(f"#bpkit-q-{state['_data']['id']}").count() == 1  # the review's link target
        # a later chapter asks it again; an earlier one does not
        page.goto(page.url.replace("05_four_equations", "04_hadamard"))
        ready(page)
        assert "Nothing to review" in page.locator(".bpkit-review").inner_text()
        page.goto(page.url.replace("04_hadamard", "07_algorithm"))
        ready(page)
        review = page.locator(".bpkit-review")
        assert "One question of earlier chapters that you answered wrong" in review.inner_text()
        assert review.locator(".bpkit-review-from").inner_text().startswith(
            "From chapter 5, \u201cThe four fundamental equations\u201d, section \u201cCheck yourself\u201d")
        link = review.locator(".bpkit-review-from a")
        assert link.get_attribute("href") == f"05_four_equations.html#bpkit-q-{state['_data']['id']}"
        again = review.locator(".bpkit-selfcheck")
        assert again.locator(".bpkit-sc-question").inner_html() == page.evaluate(SERIALISED, state["_data"]["question"])
        again.get_by_role("textbox").focus()
        page.keyboard.type(f"{answer:.{digits}f}")
        page.keyboard.press("Tab")                               # to Check
        page.keyboard.press("Enter")
        assert again.get_by_role("status").inner_text().startswith("\u2713 Correct")
        screenshot(page, "exercises-review-answered", element=review)
        page.reload()
        ready(page)
        assert "Nothing to review" in page.locator(".bpkit-review").inner_text()
        # the intro counts it: answered twice in all, right now; then forgets it all
        page.goto(page.url.replace("book/07_algorithm.html", "book/intro.html"))
        ready(page)
        progress = page.locator(".bpkit-progress")
        assert "0 of 1 questions answered right at the first try; 0 to try again" in progress.inner_text()
        progress.get_by_role("button", name="Forget my answers").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.textContent") == "No, keep them"
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")                             # "Yes, forget them"
        assert "No answers yet" in progress.inner_text()
        assert progress.get_by_role("status").inner_text() == "Your answers are forgotten."
        assert page.evaluate(ANSWERS) is None
    report.assert_clean()


@pytest.mark.parametrize("doc", ["book/05_four_equations", "book/10_training", "book/13_debugging", "book/intro"])
def test_nothing_of_the_exercises_is_clipped_at_390px(book_html, doc):
    with serve(book_html) as base, open_page(base, f"{doc}.html", width=390, height=900) as (page, report):
        ready(page)
        for w in page.locator(".bpkit-selfcheck, .bpkit-review, .bpkit-progress, .bpkit-verdict, "
                              ".bpkit-table-scroll").all():
            w.scroll_into_view_if_needed()
            assert w.evaluate("el => el.scrollWidth <= el.clientWidth + 1 || el.matches('.bpkit-table-scroll')"), doc
            box = w.bounding_box()
            assert box is None or box["x"] >= -1 and box["x"] + box["width"] <= 391, (doc, box)
        diagnosed = diagnosed_questions(book_html).get(doc, [])
        if diagnosed:
            uid, state = diagnosed[0]
            w = page.locator(f"#{uid} .bpkit-selfcheck")
            w.get_by_role("textbox").fill(f"{state['_data']['mistakes'][-1]['value']:.{state['digits']}f}")
            w.get_by_role("button", name="Check").click()
            assert w.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), doc
            screenshot(page, f"exercises-{doc.split('/')[-1]}-390", element=w)
    report.assert_clean()


@pytest.mark.parametrize("doc", ["book/02_notation", "book/03_cost_function", "book/05_four_equations"])
def test_every_choice_has_a_name_in_words(book_html, doc):
    """Issue 18, item 7: a choice written in maths only gave its radio button no accessible
    name (axe `label`); each now has one in words, "(b) w superscript 3 subscript 24"."""
    with serve(book_html) as base, open_page(base, f"{doc}.html", width=1280, height=900) as (page, report):
        ready(page)
        names = page.evaluate("() => [...document.querySelectorAll('.bpkit-selfcheck input[type=radio]')]"
                              ".map((i) => i.getAttribute('aria-label'))")
        assert names and all(n and re.fullmatch(r"\([a-z]\) \S.*", n) for n in names), names
        assert axe_violations(page, ".bpkit-selfcheck") == []
    report.assert_clean()
