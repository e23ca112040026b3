"""SelfCheck in a built Jupyter Book, in headless Chromium, with every non-local request blocked.

A throw-away book with one page of two self-checks (a number, and a multiple choice) is built
with ``jupyter-book build -W -n --keep-going`` and driven: right and wrong answers typed or
picked (mouse and keyboard), the feedback in the live region, the solution shown and hidden,
axe-core finds no WCAG 2 A/AA violation in the light and the dark theme, nothing is clipped at
390 px, and the printed page shows question, answer and explanation. Screenshots go to
test-artifacts/screenshots/.

axe-core is not committed: ``npm install --no-save axe-core`` at the repository root (or set
$BPKIT_AXE_CORE to its axe.min.js).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from helpers.axe import axe_violations
from helpers.browser import open_page, screenshot, serve
from helpers.pages import build_book, myst_page, widget_book_config

pytestmark = pytest.mark.browser

CONFIG = widget_book_config("bpkit self-check, browser test")

PAGE = myst_page(textwrap.dedent(r"""
    # Self-checks

    ```{code-cell} ipython3
    from bpkit.widgets import SelfCheck
    SelfCheck(
        r"A sigmoid neuron has $z = 0$. What is $\sigma'(z)$?", 0.25, digits=3,
        explanation=r"$\sigma'(z) = \sigma(z)(1 - \sigma(z))$ and $\sigma(0) = \tfrac{1}{2}$, so $\sigma'(0) = \tfrac{1}{4}$.",
    )
    ```

    ```{code-cell} ipython3
    SelfCheck(
        r"Which equation gives the error $\delta^L$ of the output layer?", 0,
        choices=[r"BP1: $\delta^L = \nabla_a C \odot \sigma'(z^L)$", "BP2", "BP3", r"BP4: $\partial C / \partial w^l_{jk} = a^{l-1}_k \delta^l_j$"],
        explanation="BP1 starts the backward pass at the output layer; BP2 then moves the error back.",
        title="Which equation?",
        reasons=["", r"BP2 moves an error one layer back: it needs $\delta^{l+1}$ first.",
                 r"BP3 gives the gradient of a bias, $\partial C/\partial b^l_j = \delta^l_j$, from the error.", ""],
    )
    ```
""")).lstrip()


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("selfcheck-book")
    return build_book(root, "checks", PAGE, CONFIG)


@pytest.fixture(scope="module")
def base(book):
    with serve(book) as url:
        yield url


def ready(page) -> None:
    page.wait_for_function("document.querySelectorAll('[data-bpkit-ready=\"true\"] .bpkit-selfcheck').length === 2")


def test_typed_numbers_are_checked(base):
    with open_page(base, "checks.html", width=1280, height=1400) as (page, report):
        ready(page)
        w = page.locator(".bpkit-selfcheck").nth(0)
        box = w.get_by_role("textbox", name="Your answer, to 3 decimals")
        status = w.get_by_role("status")
        assert status.get_attribute("aria-live") == "polite" and status.inner_text() == ""
        check = w.get_by_role("button", name="Check")
        check.click()
        assert "Type a number first" in status.inner_text()
        box.fill("a quarter")
        check.click()
        assert "is not a number" in status.inner_text() and box.get_attribute("aria-invalid") == "true"
        box.fill("0.26")
        check.click()
        assert status.inner_text() == "\u2717 Not quite: 0.26 is too high. Try again, or show the solution."
        box.fill("\u22120.25")                                 # a true minus sign
        box.press("Enter")                                     # Enter checks too
        assert "too low" in status.inner_text()
        box.fill("0.2504")                                     # within half a unit of the 3rd decimal
        box.press("Enter")
        assert status.inner_text() == "\u2713 Correct: 0.250 to 3 decimals." and box.get_attribute("aria-invalid") == "false"
        box.fill("0,2496")                                     # a decimal comma
        check.click()
        assert status.inner_text().startswith("\u2713 Correct")
        assert w.locator('[data-verdict="correct"]').evaluate("el => getComputedStyle(el).color") == "rgb(0, 106, 78)"
        # the solution: hidden, shown, hidden
        sol_btn = w.get_by_role("button", name="Show solution")
        assert sol_btn.get_attribute("aria-expanded") == "false" and not w.locator(".bpkit-sc-solution").is_visible()
        sol_btn.click()
        sol = w.locator(".bpkit-sc-solution")
        assert sol.is_visible() and "Answer: 0.250" in sol.inner_text()
        assert sol.locator("math").count() >= 3
        assert w.get_by_role("button", name="Hide solution").get_attribute("aria-expanded") == "true"
        screenshot(page, "widget-selfcheck-number-1280", element=w)
        w.get_by_role("button", name="Hide solution").click()
        assert not sol.is_visible()
    report.assert_clean()


def test_choices_with_mouse_and_keyboard(base):
    with open_page(base, "checks.html", width=1280, height=1400) as (page, report):
        ready(page)
        w = page.locator(".bpkit-selfcheck").nth(1)
        assert w.locator(".bpkit-title").inner_text() == "Which equation?"
        status = w.get_by_role("status")
        radios = w.get_by_role("radio")
        assert radios.count() == 4
        group = w.get_by_role("group", name="Choose one answer")
        assert group.count() == 1
        w.get_by_role("button", name="Check").click()
        assert status.inner_text() == "Choose one of the answers first."
        w.locator(".bpkit-sc-choice").nth(2).click()           # BP3, wrong, by the mouse
        assert radios.nth(2).is_checked()
        w.get_by_role("button", name="Check").click()
        said = status.inner_text()  # the reason this choice is wrong, said under the verdict
        assert said.startswith("\u2717 Not quite: (c) is not the answer. Try again, or show the solution.\n")
        assert "BP3 gives the gradient of a bias" in said and w.locator(".bpkit-sc-diagnosis math").count() >= 1
        assert "is-wrong" in w.locator(".bpkit-sc-choice").nth(2).get_attribute("class")
        # keyboard only: focus the checked radio, arrow up twice to (a), Tab to Check, Enter
        radios.nth(2).focus()
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert radios.nth(0).is_checked()
        assert "is-wrong" not in (w.locator(".bpkit-sc-choice").nth(2).get_attribute("class") or "")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Check"
        page.keyboard.press("Enter")
        assert status.inner_text() == "\u2713 Correct: (a) is right."
        page.keyboard.press("Tab")
        page.keyboard.press("Space")                            # Show solution, by the keyboard
        sol = w.locator(".bpkit-sc-solution")
        assert sol.is_visible() and sol.inner_text().startswith("Answer: (a) BP1")
        assert "BP2 then moves the error back" in sol.inner_text()
        screenshot(page, "widget-selfcheck-choice-1280", element=w)
    report.assert_clean()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_nothing(base, theme):
    with open_page(base, "checks.html", width=1280, height=1600) as (page, report):
        ready(page)
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        # every state drawn: wrong feedback in one, right feedback and the solution in the other
        a, b = page.locator(".bpkit-selfcheck").nth(0), page.locator(".bpkit-selfcheck").nth(1)
        a.get_by_role("textbox").fill("0.3")
        a.get_by_role("button", name="Check").click()
        a.get_by_role("button", name="Show solution").click()
        b.locator(".bpkit-sc-choice").nth(0).click()
        b.get_by_role("button", name="Check").click()
        b.get_by_role("button", name="Show solution").click()
        violations = axe_violations(page, ".bpkit-selfcheck")
        assert violations == [], f"{theme}: {violations}"
        for i, w in enumerate((a, b)):
            screenshot(page, f"widget-selfcheck-{i}-{theme}-1280", element=w)
    report.assert_clean()


def test_nothing_clipped_at_390px_and_print_shows_the_solution(base):
    with open_page(base, "checks.html", width=390, height=1600) as (page, report):
        ready(page)
        for i in range(2):
            w = page.locator(".bpkit-selfcheck").nth(i)
            w.get_by_role("button", name="Show solution").click()
            assert w.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), f"self-check {i} overflows at 390 px"
            assert w.bounding_box()["width"] <= 390
            screenshot(page, f"widget-selfcheck-{i}-390", element=w)
            w.get_by_role("button", name="Hide solution").click()
        page.emulate_media(media="print")
        for i in range(2):
            w = page.locator(".bpkit-selfcheck").nth(i)
            assert w.locator(".bpkit-sc-question").is_visible()
            assert w.locator(".bpkit-sc-solution").is_visible(), "the printed page must show the answer"
            assert not w.get_by_role("button", name="Check").is_visible()
        assert page.locator(".bpkit-selfcheck").nth(1).locator(".bpkit-sc-choice").nth(3).is_visible()
        assert not page.locator(".bpkit-selfcheck").nth(0).get_by_role("textbox").is_visible()
        screenshot(page, "widget-selfcheck-print", element=page.locator(".bpkit-selfcheck").nth(1))
    report.assert_clean()
