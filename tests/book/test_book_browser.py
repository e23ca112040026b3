"""The built book in headless Chromium, served on 127.0.0.1 with every other host blocked.

For every page of the table of contents: it loads with no console error, no page error and no
failed or outside request; MathJax (from the book's own _static) has rendered every formula and
no raw TeX is left in the text; every image has loaded; every widget steps. A full-page
screenshot of each page goes to test-artifacts/screenshots/book-*.png (look at them). The search
page finds a chapter with no network.
"""

from __future__ import annotations

import re

import pytest

from book_pages import toc_files
from helpers.browser import open_page, screenshot, serve, wait_for_mathjax

pytestmark = pytest.mark.browser

# Pages whose text is written with formulas (the reference pages need not have any).
MATH_PAGES = [f for f in toc_files() if not f.endswith(("/api", "/bibliography"))]

# The text of the page as a reader sees it, minus code, rendered math and widgets' MathML.
VISIBLE_TEXT = """() => {
    const root = document.querySelector("article") || document.body;
    const copy = root.cloneNode(true);
    copy.querySelectorAll("pre, code, script, style, mjx-container, math, .highlight, mjx-assistive-mml")
        .forEach(el => el.remove());
    return copy.textContent;
}"""

RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\frac|\\partial|\\delta|\\sigma|\\begin\{|\\sum|\\odot|\^\{|_\{")
RAW_DELIMITERS = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{")


@pytest.mark.parametrize("doc", toc_files())
def test_page_loads_renders_and_steps(book_html, doc):
    name = "book-" + doc.split("/")[-1].replace("_", "-")
    with serve(book_html) as base, open_page(base, f"{doc}.html", width=1280, height=900) as (page, report):
        wait_for_mathjax(page)

        # every formula rendered by MathJax, no raw TeX left in the text
        maths = page.locator(".math")
        unrendered = page.evaluate(
            "() => Array.from(document.querySelectorAll('.math'))"
            ".filter(el => !el.querySelector('mjx-container')).map(el => el.textContent.slice(0, 80))")
        assert not unrendered, f"{doc}: formulas left as TeX: {unrendered[:5]}"
        if doc in MATH_PAGES:
            assert maths.count() > 0 and page.locator("mjx-container").count() >= maths.count()
        text = page.evaluate(VISIBLE_TEXT)
        # the API reference quotes the notation in plain text (w^l_jk, "w^{2}_{13}"): only
        # MathJax's own delimiters must not be left there
        pattern = RAW_TEX if doc in MATH_PAGES else RAW_DELIMITERS
        raw = sorted({m.group(0) for m in pattern.finditer(text)})
        assert not raw, f"{doc}: raw TeX visible on the page: {raw}"

        # every image loaded
        broken = page.evaluate(
            "() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.src)")
        assert not broken, f"{doc}: images that did not load: {broken}"

        # every widget steps
        for stepper in page.locator(".bpkit-pass, .bpkit-loop").all():
            stepper.scroll_into_view_if_needed()
            status = stepper.locator(".bpkit-status")
            total = re.fullmatch(r"Step 1 of (\d+)", status.inner_text().strip())
            assert total, f"{doc}: a stepper does not start at step 1: {status.inner_text()!r}"
            stepper.get_by_role("button", name="Next step").click()
            assert status.inner_text().strip() == f"Step 2 of {total.group(1)}"
            stepper.get_by_role("button", name="Previous step").click()
            assert status.inner_text().strip() == f"Step 1 of {total.group(1)}"
        for explorer in page.locator(".bpkit-notation").all():
            explorer.scroll_into_view_if_needed()
            explorer.locator('[data-sel^="w,"]').first.focus()
            sentence = explorer.locator(".bpkit-info .bpkit-sentence").inner_text()
            assert re.fullmatch(r"the weight from neuron \d+ in layer \d+ to neuron \d+ in layer \d+", sentence)

        page.evaluate("() => window.scrollTo(0, 0)")
        screenshot(page, name, full_page=True)
    report.assert_clean()


def test_widget_pages_have_their_widgets(book_html):
    expected = {"book/02_notation": 1, "book/07_algorithm": 2, "book/08_worked_example": 1}
    for doc, count in expected.items():
        with serve(book_html) as base, open_page(base, f"{doc}.html") as (page, report):
            page.wait_for_selector('[data-bpkit-ready="true"] .bpkit-w')
            # the steppers and explorers; the self-check questions and the review of earlier
            # chapters' questions are counted on their own
            assert page.locator(".bpkit-static .bpkit-w:not(.bpkit-selfcheck):not(.bpkit-review)").count() == count, doc
        report.assert_clean()


def test_search_works_offline(book_html):
    with serve(book_html) as base, open_page(base, "search.html?q=Hadamard") as (page, report):
        page.wait_for_selector("#search-results li", timeout=30_000)
        links = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.href)")
        assert any("04_hadamard" in href for href in links), links
        screenshot(page, "book-search")
    report.assert_clean()
