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
* a full-page screenshot ``test-artifacts/screenshots/book-<page>.png``;
* ``accessibility``: axe-core over the whole document in both themes, and no sideways scroll
  at 390 px (:func:`accessibility`);
* ``widgets``: each stepper steps forward and back, each notation explorer names what it is
  pointed at (run last: it changes the page).
"""

from __future__ import annotations

import re
from pathlib import Path

from book_pages import toc_files
from helpers.axe import axe_path
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


WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = 390

# axe over the whole document: "impact rule: how many nodes: the first three, and why".
AXE_WHOLE_PAGE = """async (tags) => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return r.violations.map(v => `${v.impact} ${v.id}: ${v.nodes.length} node(s): `
        + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' (' + n.failureSummary.split('\\n')
            .slice(1, 2).join('').trim() + ')').join(' | '));
}"""
SET_THEME = "(t) => { document.documentElement.dataset.theme = t; document.documentElement.dataset.mode = t; }"
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"

# How far the document is wider than the window, and the elements that stick out (not inside a
# box that scrolls or clips them): "tag.class: right edge: text".
SIDEWAYS = """() => {
    const W = document.documentElement.clientWidth;
    const extra = document.documentElement.scrollWidth - W;
    const inBox = el => { for (let e = el.parentElement; e; e = e.parentElement) {
        if (getComputedStyle(e).overflowX !== 'visible') return true; } return false; };
    const out = [];
    if (extra > 0) {
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > W + 1 && !inBox(el) && getComputedStyle(el).position !== 'fixed') {
                out.push(`${el.tagName.toLowerCase()}.${el.className}: right edge ${Math.round(r.right)} px: `
                    + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60));
            }
        }
    }
    return [extra, out.slice(0, 5)];
}"""


def accessibility(page, doc: str) -> list[str]:
    """axe-core over the whole document (WCAG 2.1 A and AA, no rule disabled), in the light and
    then the dark theme, switched in the same load as the theme's own button does, with
    transitions off so that no colour is measured half-way; then, 390 px wide, whether the page
    scrolls sideways (code blocks and wide tables scroll inside their own boxes: allowed). A
    viewport screenshot at 390 px goes to test-artifacts/screenshots/phone-<page>.png. Returns
    the problems; leaves the page in the light theme at its former width."""
    problems = []
    size = page.viewport_size
    page.add_style_tag(content=NO_TRANSITIONS)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path()))
    for theme in ("light", "dark"):
        page.evaluate(SET_THEME, theme)
        problems += [f"{doc} ({theme} theme): {v}" for v in page.evaluate(AXE_WHOLE_PAGE, WCAG21_AA)]
    page.evaluate(SET_THEME, "light")
    page.set_viewport_size({"width": PHONE, "height": 800})
    extra, sticking_out = page.evaluate(SIDEWAYS)
    if extra > 0:
        problems.append(f"{doc} at {PHONE} px scrolls sideways by {extra} px: " + " | ".join(sticking_out))
    screenshot(page, "phone-" + doc.split("/")[-1].replace("_", "-"))
    page.set_viewport_size(size)
    return problems


_SEEN: dict[tuple[Path, str], dict] = {}


def inspect(book_html: Path, doc: str) -> dict:
    """Every check on one page of the built book, from one load (cached for the session).

    Returns ``{"typeset": [...], "raw_tex": [...], "images": [...], "overflows": [...],
    "accessibility": [...], "widgets": [...], "figures": n, "report": PageReport}``: each list
    holds what is wrong
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
        # the steppers and explorers (the self-check questions, and the review of earlier
        # chapters' questions at a chapter's end, are counted on their own)
        result["figures"] = page.locator(".bpkit-static .bpkit-w:not(.bpkit-selfcheck):not(.bpkit-review)"
                                         ":not(.bpkit-progress)").count()
        page.evaluate("() => window.scrollTo(0, 0)")
        screenshot(page, f"book-{name}", full_page=True)
        result["accessibility"] = accessibility(page, doc)
        result["widgets"] = step_widgets(page)
    result["report"] = report
    _SEEN[key] = result
    return result
