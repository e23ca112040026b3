"""The built book in headless Chromium, served on 127.0.0.1 with every other host blocked: the
search page finds a chapter with no network. (Every page's own checks, one load each, the
widgets each page has included, are tests/book/test_pages.py.)
"""

from __future__ import annotations

import pytest

from helpers.browser import open_page, screenshot, serve

pytestmark = pytest.mark.browser

def test_search_works_offline(book_html):
    with serve(book_html) as base, open_page(base, "search.html?q=Hadamard") as (page, report):
        page.wait_for_selector("#search-results li", timeout=30_000)
        links = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.href)")
        assert any("04_hadamard" in href for href in links), links
        screenshot(page, "book-search")
    report.assert_clean()
