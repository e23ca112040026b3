"""Every whole page of the built book is accessible, in both colour themes, and fits a phone.

The check of each page runs in tests/book/test_pages.py (one load per page for all its checks).
For every page of the table of contents, in headless Chromium (network blocked), in the one
load of that page that all the page checks share (tests/book/page_checks.py):

* axe-core with the WCAG 2.1 A and AA rules (tags wcag2a, wcag2aa, wcag21a, wcag21aa; no rule
  disabled) over the whole document, once in the light theme and once in the dark theme
  (switched in the same load, as the theme's own button does, with transitions off so that no
  colour is measured half-way);
* then, at 390 px wide, the page must not scroll sideways: the document is no wider than the
  window (code blocks and wide tables scroll inside their own boxes; that is allowed).

Each page's problems are reported at once. A viewport screenshot of each
page at 390 px goes to test-artifacts/screenshots/phone-*.png. The repairs that make the
theme's, myst-nb's and docutils' markup pass are in book/_ext/bpkit_a11y.py and
book/_static/bpkit.css; the controls below show that the checks can fail.
"""

from __future__ import annotations

import sys

import pytest

from book_pages import REPO
from helpers.browser import open_page, serve
from page_checks import PHONE, WIDTH, accessibility

pytestmark = pytest.mark.browser


def test_the_repairs_are_in_the_built_pages(book_html):
    """What book/_ext/bpkit_a11y.py repairs is repaired in the written HTML."""
    intro = (book_html / "book" / "intro.html").read_text(encoding="utf-8")
    bibliography = (book_html / "book" / "bibliography.html").read_text(encoding="utf-8")
    assert 'search-button-field' in intro and 'aria-label="Search"' not in intro.split("search-button-field", 1)[1][:300]
    assert 'class="theme-switch' in intro and 'title="Light"' not in intro
    assert 'role="doc-biblioentry"' not in bibliography and 'role="listitem"' in bibliography


def test_the_repairs_are_idempotent_and_exact():
    sys.path.insert(0, str(REPO / "book" / "_ext"))
    from bpkit_a11y import repair

    theme = ('<button class="btn search-button-field search-button__button pst-js-only" title="Search" '
             'aria-label="Search" data-bs-placement="bottom">'
             '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i>'
             '<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>'
             '<div role="list" class="citation-list"><div class="citation" id="id7" role="doc-biblioentry">')
    fixed = repair(theme)
    assert repair(fixed) == fixed
    assert 'aria-label' not in fixed and 'title="Light"' not in fixed and "doc-biblioentry" not in fixed
    assert '<i aria-hidden="true" class="theme-switch fa-solid fa-sun fa-lg" data-mode="light"></i>' in fixed
    assert '<div class="citation" id="id7" role="listitem">' in fixed
    assert 'title="Search"' in fixed  # the tooltip stays


def test_the_checks_see_a_bad_page(tmp_path):
    """The control: a page with a button named otherwise than it reads, pale text, and a line
    wider than a phone fails both checks."""
    book = tmp_path / "site"
    (book / "book").mkdir(parents=True)
    (book / "book" / "bad.html").write_text(
        "<!doctype html><html lang='en'><head><title>bad</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'></head><body><main>"
        "<button aria-label='Close'>Search</button>"
        "<p style='color:#bbb;background:#fff'>pale text</p>"
        "<p style='white-space:nowrap'>" + "unbreakable " * 30 + "</p></main></body></html>")
    with serve(book) as base, open_page(base, "book/bad.html", width=WIDTH, height=900) as (page, report):
        problems = accessibility(page, "book/bad")
    text = "\n".join(problems)
    assert "label-content-name-mismatch" in text and "color-contrast" in text, text
    assert f"at {PHONE} px scrolls sideways" in text, text
    for theme in ("light", "dark"):
        assert f"({theme} theme)" in text
