"""Every page of the table of contents in headless Chromium, served on 127.0.0.1 with every other
host blocked, 1280 px wide: it loads with no console error, no page error and no failed or
outside request; MathJax (from the book's own _static) typesets every formula with no error and
no raw TeX is left in the text; every image loads; nothing is clipped on the right; every widget
steps; the pages with figures have them; axe finds nothing on the whole page in either theme
and it fits a phone (tests/book/test_accessibility.py says how). Each page is loaded once for
all of these (tests/book/page_checks.py), in one file, so that pytest-xdist (``--dist
loadfile``) runs them on one worker; a full-page screenshot of each goes to
test-artifacts/screenshots/book-*.png (look at them).
"""

from __future__ import annotations

import pytest

from book_pages import toc_files
from helpers.browser import open_page, serve
from page_checks import OVERFLOWS, SLACK, WIDTH, inspect

pytestmark = pytest.mark.browser

DOCS = toc_files()


@pytest.mark.parametrize("doc", DOCS)
def test_the_page_loads_clean(book_html, doc):
    inspect(book_html, doc)["report"].assert_clean()


@pytest.mark.parametrize("doc", DOCS)
def test_every_formula_typesets(book_html, doc):
    problems = inspect(book_html, doc)["typeset"]
    assert not problems, f"{doc}: " + "\n  ".join(problems)


@pytest.mark.parametrize("doc", DOCS)
def test_no_raw_tex_is_left_in_the_text(book_html, doc):
    raw = inspect(book_html, doc)["raw_tex"]
    assert not raw, f"{doc}: raw TeX visible on the page: {raw}"


@pytest.mark.parametrize("doc", DOCS)
def test_every_image_loads(book_html, doc):
    broken = inspect(book_html, doc)["images"]
    assert not broken, f"{doc}: images that did not load: {broken}"


@pytest.mark.parametrize("doc", DOCS)
def test_nothing_is_clipped_on_the_right_at_1280px(book_html, doc):
    overflows = inspect(book_html, doc)["overflows"]
    assert not overflows, f"{doc} at {WIDTH} px: clipped on the right:\n  " + "\n  ".join(overflows)


@pytest.mark.parametrize("doc", DOCS)
def test_the_page_passes_axe_in_both_themes_and_fits_a_phone(book_html, doc):
    problems = inspect(book_html, doc)["accessibility"]
    assert not problems, f"{len(problems)} problem(s):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(("doc", "count"), [("book/02_notation", 1), ("book/07_algorithm", 2),
                                          ("book/08_worked_example", 1)])
def test_widget_pages_have_their_widgets(book_html, doc, count):
    seen = inspect(book_html, doc)
    assert seen["figures"] == count, f"{doc}: {seen['figures']} interactive figures, not {count}"
    seen["report"].assert_clean()


@pytest.mark.parametrize("doc", DOCS)
def test_every_widget_steps(book_html, doc):
    problems = inspect(book_html, doc)["widgets"]
    assert not problems, f"{doc}: " + "\n  ".join(problems)


def test_the_clipping_check_sees_a_clipped_code_block(tmp_path):
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
