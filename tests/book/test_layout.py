"""Nothing on a page of the built book is clipped on the right at 1280 px.

For every page of the table of contents, opened in headless Chromium 1280 px wide with every
non-local request blocked: no code block (``div.highlight pre``), no cell output
(``.cell_output`` and the blocks inside it) and no table container is wider inside than its
box (``scrollWidth > clientWidth``: a reader would have to scroll sideways to see the end of a
line), no image reaches past the right edge of the article, and the article itself does not
overflow. A full-page screenshot of each page at 1280 px goes to
test-artifacts/screenshots/layout-*.png.
"""

from __future__ import annotations

import pytest

from book_pages import toc_files
from helpers.browser import open_page, screenshot, serve, wait_for_mathjax

pytestmark = pytest.mark.browser

WIDTH = 1280
SLACK = 1  # px: sub-pixel rounding of the layout

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


@pytest.mark.parametrize("doc", toc_files())
def test_nothing_is_clipped_on_the_right_at_1280px(book_html, doc):
    with serve(book_html) as base, open_page(base, f"{doc}.html", width=WIDTH, height=900) as (page, report):
        wait_for_mathjax(page)
        overflows = page.evaluate(OVERFLOWS, SLACK)
        screenshot(page, "layout-" + doc.split("/")[-1].replace("_", "-"), full_page=True)
    assert not overflows, f"{doc} at {WIDTH} px: clipped on the right:\n  " + "\n  ".join(overflows)
    report.assert_clean()


def test_the_check_sees_a_clipped_code_block(tmp_path):
    """The control: a page with one over-long code line and one over-wide image fails the check."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><html><body style='margin:0'><main><article style='width:600px'>"
        "<div class='highlight'><pre style='overflow:auto'>" + "x = 1  # " + "long " * 80 + "</pre></div>"
        "<img alt='too wide' style='width:900px;height:10px' src='data:image/gif;base64,"
        "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'>"
        "<div class='highlight'><pre style='overflow:auto'>short = 1</pre></div>"
        "</article></main></body></html>")
    with serve(tmp_path) as base, open_page(base, "index.html", width=WIDTH) as (page, report):
        overflows = page.evaluate(OVERFLOWS, SLACK)
    kinds = sorted(o.split(":")[0] for o in overflows)
    assert kinds == ["article", "code block", "image"], overflows
