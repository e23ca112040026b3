"""NotationExplorer by keyboard, in a built book in headless Chromium (no network): the drawing
is ONE Tab stop (roving tabindex) and the arrow keys move inside it; axe-core finds no WCAG 2
A/AA violation. Needs axe-core: `npm install --no-save axe-core` at the repository root."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from helpers.axe import axe_violations
from helpers.browser import open_page, screenshot, serve
from helpers.pages import build_book, myst_page, widget_book_config

pytestmark = pytest.mark.browser

CONFIG = widget_book_config("bpkit notation explorer, keyboard test")

PAGE = myst_page(textwrap.dedent("""
    # Notation

    <button id="before">before</button>

    ```{code-cell} ipython3
    :tags: [remove-input]
    import bpkit
    from bpkit.widgets import NotationExplorer
    NotationExplorer(bpkit.Network([2, 3, 2], seed=1))
    ```

    <button id="after">after</button>
""")).lstrip()


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("notation-book")
    return build_book(root, "notation", PAGE, CONFIG)


def focused(page) -> str | None:
    return page.evaluate("document.activeElement.dataset.sel || document.activeElement.id || document.activeElement.outerHTML.slice(0, 80)")


def test_one_tab_stop_and_arrow_keys_inside(book):
    with serve(book) as base, open_page(base, "notation.html", width=1280, height=1200) as (page, report):
        page.wait_for_selector('[data-bpkit-ready="true"] .bpkit-notation')
        w = page.locator(".bpkit-notation")
        sentence = w.locator(".bpkit-info .bpkit-sentence")
        # [2, 3, 2]: 6 + 6 weights and 3 + 2 biases, and only one of them in the Tab order
        assert w.locator(".bpkit-param").count() == 17
        assert w.locator('.bpkit-param[tabindex="0"]').count() == 1
        page.locator("#before").focus()
        page.keyboard.press("Tab")
        assert focused(page) == "w,2,1,1"                      # the first in reading order
        assert sentence.inner_text() == "the weight from neuron 1 in layer 1 to neuron 1 in layer 2"
        page.keyboard.press("Tab")
        assert focused(page) == "after"                         # one Tab leaves the drawing
        page.keyboard.press("Shift+Tab")
        assert focused(page) == "w,2,1,1"
        moves = [
            ("ArrowRight", "w,2,1,2"), ("ArrowRight", "b,2,1"), ("ArrowRight", "w,2,2,1"),
            ("ArrowLeft", "b,2,1"), ("ArrowDown", "b,2,2"), ("ArrowDown", "b,2,3"), ("ArrowDown", "b,2,3"),
            ("ArrowUp", "b,2,2"), ("ArrowLeft", "w,2,2,2"), ("ArrowDown", "w,2,3,2"), ("ArrowUp", "w,2,2,2"),
            ("PageDown", "w,3,1,1"), ("ArrowDown", "w,3,2,1"), ("PageUp", "w,2,1,1"), ("ArrowLeft", "w,2,1,1"),
            ("End", "b,3,2"), ("ArrowRight", "b,3,2"), ("Home", "w,2,1,1"),
        ]
        for key, want in moves:
            page.keyboard.press(key)
            assert focused(page) == want, f"after {key}: focus on {focused(page)}, expected {want}"
            assert w.locator('.bpkit-param[tabindex="0"]').count() == 1
        page.keyboard.press("End")
        assert sentence.inner_text() == "the bias of neuron 2 in layer 3"
        # leaving and coming back returns to the weight or bias last shown
        page.keyboard.press("Tab")
        page.keyboard.press("Shift+Tab")
        assert focused(page) == "b,3,2"
        # pointing at another moves the one Tab stop there
        w.locator('[data-sel="b,2,2"]').hover()
        assert w.locator('.bpkit-param[tabindex="0"]').get_attribute("data-sel") == "b,2,2"
        # the page itself does not scroll with the arrow keys used inside the figure
        page.locator('[data-sel="b,2,2"]').focus()
        y = page.evaluate("window.scrollY")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("window.scrollY") == y
        assert "\u2190 \u2192" in w.locator(".bpkit-hint").inner_text()
        screenshot(page, "widget-notation-explorer-roving", element=w)
        violations = axe_violations(page, ".bpkit-notation")
        assert violations == []
    report.assert_clean()
