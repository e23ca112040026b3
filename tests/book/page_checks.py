"""Every page of the built book, looked at once: one page load per page for all the page checks.

The browser tests of the whole pages (tests/book/test_pages.py) each ask about one aspect of a
page (its formulas, its layout, its widgets, ...). Loading each page once per aspect cost most
of their time, so :func:`inspect` loads a page once, in headless Chromium 1280 px wide with
every non-local request blocked, runs every check on that one load, and keeps the results; the
tests read them. What a check finds is data (lists of problems), so a test's failure names the
page and what is wrong.

The checks, in the order they run on the page:

* ``typeset``: MathJax's first pass done; formulas left as TeX, raw TeX in the visible text,
  MathJax's error boxes and messages;
* ``images``: images that did not load;
* ``overflows``: code blocks, outputs and tables wider inside than their box, images past the
  article's edge (nothing clipped on the right at 1280 px);
* ``widgets``: each stepper steps forward and back, each notation explorer names what it is
  pointed at (run last: it changes the page);
* a full-page screenshot ``test-artifacts/screenshots/book-<page>.png``.
"""

from __future__ import annotations

import re
from pathlib import Path

from book_pages import toc_files
from helpers.browser import open_page, screenshot, serve, wait_for_mathjax

WIDTH = 1280
SLACK = 1  # px: sub-pixel rounding of the layout

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

# What MathJax 3 writes when a TeX formula cannot be typeset (its TeX input jax error messages).
MATHJAX_ERRORS = re.compile(
    r"Missing \\left|extra \\right|Undefined control sequence|Math input error|Missing open brace"
    r"|Missing close brace|Extra open brace|Extra close brace|Misplaced &|Double (sub|super)scripts"
    r"|Missing argument for|Unknown environment|TeX parse error|Math Processing Error"
)

TYPESET = """() => {
    const article = document.querySelector("article") || document.body;
    return {
        maths: document.querySelectorAll(".math").length,
        formulas: document.querySelectorAll("mjx-container").length,
        unrendered: Array.from(document.querySelectorAll(".math"))
            .filter(el => !el.querySelector("mjx-container")).map(el => el.textContent.slice(0, 80)),
        merror: Array.from(document.querySelectorAll("mjx-merror"))
            .map(el => (el.getAttribute("data-mjx-error") || "") + " | " + el.textContent.slice(0, 120)),
        error_attrs: Array.from(document.querySelectorAll("[data-mjx-error]"))
            .map(el => el.getAttribute("data-mjx-error")).filter(Boolean),
        text: article.innerText,
    };
}"""

BROKEN_IMAGES = """() => Array.from(document.images)
    .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"""

# Every element that is wider inside than its box, or that reaches past the article's right
# edge; each described by its kind, its widths and the start of its text (to find it in the source).
OVERFLOWS = """(slack) => {
    const article = document.querySelector("article") || document.querySelector("main");
    const right = article.getBoundingClientRect().right;
    const found = [];
    const text = el => (el.textContent || el.getAttribute("alt") || el.src || "")
        .trim().replace(/\\s+/g, " ").slice(0, 70);
    const wide = (kind, el) => {
        if (el.scrollWidth > el.clientWidth + slack && el.clientWidth > 0) {
            found.push(`${kind}: content ${el.scrollWidth} px in a box of ${el.clientWidth} px: ${text(el)}`);
        }
    };
    article.querySelectorAll("div.highlight pre").forEach(el => wide("code block", el));
    // displayed formulas only: an inline formula's box is its line box, which MathJax's
    // glyphs may overhang without anything being hidden
    article.querySelectorAll(".cell_output, .cell_output .output, .cell_output pre, "
        + ".cell_output div.math, .cell_output mjx-container[display='true']")
        .forEach(el => wide("cell output", el));
    article.querySelectorAll(".pst-scrollable-table-container, table")
        .forEach(el => wide("table", el));
    article.querySelectorAll("img").forEach(el => {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > right + slack) {
            found.push(`image: right edge at ${Math.round(r.right)} px, article ends at ${Math.round(right)} px: ${text(el)}`);
        }
    });
    wide("article", article);
    return found;
}"""


def typeset_problems(doc: str, found: dict, loaded: bool) -> list[str]:
    """What is wrong with the formulas of a page, from the TYPESET snapshot."""
    problems = []
    if found["maths"] and not loaded:
        problems.append(f"the page has {found['maths']} formulas but MathJax was not loaded")
    if found["unrendered"]:
        problems.append(f"formulas left as TeX: {found['unrendered'][:5]}")
    if doc in MATH_PAGES and not (found["maths"] > 0 and found["formulas"] >= found["maths"]):
        problems.append(f"MathJax typeset {found['formulas']} of {found['maths']} formulas")
    if found["merror"]:
        problems.append(f"MathJax errors (mjx-merror): {found['merror'][:5]}")
    if found["error_attrs"]:
        problems.append(f"formulas with a MathJax error: {found['error_attrs'][:5]}")
    messages = sorted({m.group(0) for m in MATHJAX_ERRORS.finditer(found["text"])})
    if messages:
        problems.append(f"MathJax error text on the page: {messages}")
    return problems


def step_widgets(page) -> list[str]:
    """Each stepper steps forward and back; each notation explorer names a weight it is
    pointed at. Returns what did not work."""
    problems = []
    for stepper in page.locator(".bpkit-pass, .bpkit-loop").all():
        stepper.scroll_into_view_if_needed()
        status = stepper.locator(".bpkit-status")
        total = re.fullmatch(r"Step 1 of (\d+)", status.inner_text().strip())
        if not total:
            problems.append(f"a stepper does not start at step 1: {status.inner_text()!r}")
            continue
        stepper.get_by_role("button", name="Next step").click()
        if status.inner_text().strip() != f"Step 2 of {total.group(1)}":
            problems.append(f"Next step shows {status.inner_text()!r}")
        stepper.get_by_role("button", name="Previous step").click()
        if status.inner_text().strip() != f"Step 1 of {total.group(1)}":
            problems.append(f"Previous step shows {status.inner_text()!r}")
    for explorer in page.locator(".bpkit-notation").all():
        explorer.scroll_into_view_if_needed()
        explorer.locator('[data-sel^="w,"]').first.focus()
        sentence = explorer.locator(".bpkit-info .bpkit-sentence").inner_text()
        if not re.fullmatch(r"the weight from neuron \d+ in layer \d+ to neuron \d+ in layer \d+", sentence):
            problems.append(f"the notation explorer says {sentence!r}")
    return problems


_SEEN: dict[tuple[Path, str], dict] = {}


def inspect(book_html: Path, doc: str) -> dict:
    """Every check on one page of the built book, from one load (cached for the session).

    Returns ``{"typeset": [...], "raw_tex": [...], "images": [...], "overflows": [...],
    "widgets": [...], "figures": n, "report": PageReport}``: each list holds what is wrong
    (empty when all is well); ``figures`` counts the page's interactive figures (steppers,
    explorers, playground; not the self-checks); ``report`` holds the console errors, page
    errors and requests of the load.
    """
    key = (book_html, doc)
    if key in _SEEN:
        return _SEEN[key]
    name = doc.split("/")[-1].replace("_", "-")
    with serve(book_html) as base, open_page(base, f"{doc}.html", width=WIDTH, height=900) as (page, report):
        loaded = wait_for_mathjax(page, timeout=60_000)
        found = page.evaluate(TYPESET)
        text = page.evaluate(VISIBLE_TEXT)
        # the API reference quotes the notation in plain text (w^l_jk, "w^{2}_{13}"): only
        # MathJax's own delimiters must not be left there
        pattern = RAW_TEX if doc in MATH_PAGES else RAW_DELIMITERS
        result = {
            "typeset": typeset_problems(doc, found, loaded),
            "raw_tex": sorted({m.group(0) for m in pattern.finditer(text)}),
            "images": page.evaluate(BROKEN_IMAGES),
            "overflows": page.evaluate(OVERFLOWS, SLACK),
        }
        if page.locator(".bpkit-static").count():
            page.wait_for_selector('[data-bpkit-ready="true"] .bpkit-w')
        # the steppers and explorers (the self-check questions are counted on their own)
        result["figures"] = page.locator(".bpkit-static .bpkit-w:not(.bpkit-selfcheck)").count()
        page.evaluate("() => window.scrollTo(0, 0)")
        screenshot(page, f"book-{name}", full_page=True)
        result["widgets"] = step_widgets(page)
    result["report"] = report
    _SEEN[key] = result
    return result
