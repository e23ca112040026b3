"""Every whole page of the built book is accessible, in both colour themes, and fits a phone.

For every page of the table of contents, in one headless Chromium (network blocked), one page
load each:

* axe-core with the WCAG 2.1 A and AA rules (tags wcag2a, wcag2aa, wcag21a, wcag21aa; no rule
  disabled) over the whole document, once in the light theme and once in the dark theme
  (switched in the same load, as the theme's own button does, with transitions off so that no
  colour is measured half-way);
* then, at 390 px wide, the page must not scroll sideways: the document is no wider than the
  window (code blocks and wide tables scroll inside their own boxes; that is allowed).

Every problem of every page is collected and reported at once. A viewport screenshot of each
page at 390 px goes to test-artifacts/screenshots/phone-*.png. The repairs that make the
theme's, myst-nb's and docutils' markup pass are in book/_ext/bpkit_a11y.py and
book/_static/bpkit.css; the controls below show that the checks can fail.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from book_pages import ARTIFACTS, REPO, toc_files
from helpers.axe import axe_path
from helpers.browser import open_page, screenshot, serve, wait_for_mathjax

pytestmark = pytest.mark.browser

WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = 390
DESKTOP = 1280

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


def sweep(html: Path, docs: list[str]) -> tuple[list[str], dict[str, float]]:
    """axe in both themes at 1280 px and the sideways check at 390 px, for each of ``docs``;
    returns every problem found and the seconds each page took."""
    problems: list[str] = []
    seconds: dict[str, float] = {}
    with serve(html) as base, open_page(base, f"{docs[0]}.html", width=DESKTOP, height=900) as (page, report):
        for i, doc in enumerate(docs):
            start = time.perf_counter()
            if i:  # the first page is open already
                page.set_viewport_size({"width": DESKTOP, "height": 900})
                page.goto(f"{base}{doc}.html", wait_until="load")
            wait_for_mathjax(page)
            page.add_style_tag(content=NO_TRANSITIONS)
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
            seconds[doc] = time.perf_counter() - start
        problems += [f"while checking the pages: {p}" for p in report.problems()]
    return problems, seconds


def test_every_page_passes_axe_in_both_themes_and_fits_a_phone(book_html):
    docs = toc_files()
    start = time.perf_counter()
    problems, seconds = sweep(book_html, docs)
    total = time.perf_counter() - start
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "accessibility-seconds.txt").write_text(
        f"{total:.1f} s for {len(docs)} pages\n" + "".join(f"{s:6.1f} s  {d}\n" for d, s in seconds.items()))
    assert not problems, f"{len(problems)} problem(s):\n  " + "\n  ".join(problems)


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
    problems, _ = sweep(book, ["book/bad"])
    text = "\n".join(problems)
    assert "label-content-name-mismatch" in text and "color-contrast" in text, text
    assert f"at {PHONE} px scrolls sideways" in text, text
    for theme in ("light", "dark"):
        assert f"({theme} theme)" in text
