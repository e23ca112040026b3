"""Every formula of the built book typesets: no MathJax error on any page, with no network.

For each page of the table of contents, in headless Chromium with every non-local request
blocked: MathJax (served from the book's own _static) finishes its first typesetting pass, and
the page then holds no ``mjx-merror`` element (MathJax's red box for a TeX error such as
"Missing \\left or extra \\right") and none of MathJax's error messages in its text or in the
``data-mjx-error`` attributes of rendered formulas. A page with formulas must have loaded
MathJax at all.
"""

from __future__ import annotations

import re

import pytest

from book_pages import toc_files
from helpers.browser import open_page, serve, wait_for_mathjax

pytestmark = pytest.mark.browser

# What MathJax 3 writes when a TeX formula cannot be typeset (its TeX input jax error messages).
MATHJAX_ERRORS = re.compile(
    r"Missing \\left|extra \\right|Undefined control sequence|Math input error|Missing open brace"
    r"|Missing close brace|Extra open brace|Extra close brace|Misplaced &|Double (sub|super)scripts"
    r"|Missing argument for|Unknown environment|TeX parse error|Math Processing Error"
)

ERRORS_ON_PAGE = """() => {
    const boxes = Array.from(document.querySelectorAll("mjx-merror"));
    const attrs = Array.from(document.querySelectorAll("[data-mjx-error]"))
        .map(el => el.getAttribute("data-mjx-error"));
    return {
        merror: boxes.map(el => (el.getAttribute("data-mjx-error") || "") + " | "
                          + el.textContent.slice(0, 120)),
        attrs: attrs,
        formulas: document.querySelectorAll("mjx-container").length,
        maths: document.querySelectorAll(".math").length,
        text: (document.querySelector("article") || document.body).innerText,
    };
}"""


@pytest.mark.parametrize("doc", toc_files())
def test_every_formula_typesets(book_html, doc):
    with serve(book_html) as base, open_page(base, f"{doc}.html", width=1280, height=900) as (page, report):
        loaded = wait_for_mathjax(page, timeout=60_000)
        found = page.evaluate(ERRORS_ON_PAGE)
    if found["maths"]:
        assert loaded, f"{doc}: the page has {found['maths']} formulas but MathJax was not loaded"
        assert found["formulas"] >= found["maths"], (
            f"{doc}: MathJax typeset {found['formulas']} of {found['maths']} formulas")
    assert not found["merror"], f"{doc}: MathJax errors (mjx-merror): {found['merror'][:5]}"
    bad_attrs = [a for a in found["attrs"] if a]
    assert not bad_attrs, f"{doc}: formulas with a MathJax error: {bad_attrs[:5]}"
    messages = sorted({m.group(0) for m in MATHJAX_ERRORS.finditer(found["text"])})
    assert not messages, f"{doc}: MathJax error text on the page: {messages}"
    assert not report.blocked, f"{doc}: requests to other hosts (blocked): {report.blocked[:3]}"
