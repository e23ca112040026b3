"""The widgets in a built Jupyter Book, in headless Chromium, with every non-local request blocked.

A small book (one MyST page showing each widget) is built with ``jupyter-book build -W -n
--keep-going`` into a temporary folder, served on 127.0.0.1 and driven with Playwright: each
widget renders, the buttons and keys move the step, the numbers on the page at every step are
bpkit's trace's (recomputed here, in the test's own process), and the page has no console
error and makes no failed or outside request. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

import bpkit
from bpkit.widgets import trace_loop
from helpers.browser import open_page, screenshot, serve
from helpers.pages import build_book, myst_page, widget_book_config

pytestmark = pytest.mark.browser

CONFIG = widget_book_config("bpkit widgets, browser test")

PAGE = myst_page(textwrap.dedent("""
    # Widgets

    ```{code-cell} ipython3
    import numpy as np
    import bpkit
    from bpkit.widgets import PassStepper, LoopStepper, NotationExplorer

    net = bpkit.Network([2, 3, 2], seed=1)
    x, y = np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]])
    PassStepper(net, x, y, eta=0.5)
    ```

    A second stepper on the same page, of a network too large to draw in full.

    ```{code-cell} ipython3
    big = bpkit.Network([784, 30, 10], seed=0)
    PassStepper(big, np.linspace(0, 1, 784).reshape(-1, 1), np.eye(10)[:, [3]], step=4)
    ```

    ```{code-cell} ipython3
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    LoopStepper(bpkit.Network([2, 2, 1], seed=0), X, Y, eta=3.0)
    ```

    ```{code-cell} ipython3
    NotationExplorer(net)
    ```
""")).lstrip()

# The same objects, here in the test process.
NET = bpkit.Network([2, 3, 2], seed=1)
X1, Y1 = np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]])
TRACE = bpkit.trace(NET, X1, Y1, eta=0.5)
LOOP_NET = bpkit.Network([2, 2, 1], seed=0)
XB, YB = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]]), np.array([[0.0, 1.0, 1.0, 0.0]])
LOOP = trace_loop(LOOP_NET, XB, YB, 3.0)
DIGITS = 3
TOL = 0.5 * 10 ** -DIGITS + 1e-9  # a number rounded to 3 decimals is within this of the true one


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("widget-book")
    return build_book(root, "widgets", PAGE, CONFIG)


@pytest.fixture
def widgets_page(book):
    # a viewport as tall as the page: nothing scrolls, so the theme's sticky header and its
    # "back to top" button never cover a widget in the screenshots
    with serve(book) as base, open_page(base, "widgets.html", width=1100, height=3400) as (page, report):
        page.wait_for_selector('[data-bpkit-ready="true"] .bpkit-w')
        yield page, report
    # every test's page must have been clean, blocked requests included
    report.assert_clean()


def number(text: str) -> float:
    return float(text.strip().replace("\u2212", "-"))


def shown_quantities(widget) -> list[dict]:
    """Every matrix in the widget's numbers panel: its quantity name and its cells as shown."""
    return widget.evaluate("""root => Array.from(root.querySelectorAll('.bpkit-values [data-bpkit-q]')).map(f => ({
        name: f.dataset.bpkitQ,
        cells: Array.from(f.querySelectorAll('.bpkit-cell')).map(c => [+c.dataset.r, +c.dataset.c, c.textContent]),
    }))""")


def assert_cells_equal(cells, value: np.ndarray, what: str) -> None:
    assert cells, f"{what}: no number shown"
    for r, c, text in cells:
        assert abs(number(text) - value[r, c]) <= TOL, f"{what}[{r}, {c}]: page shows {text}, trace has {value[r, c]!r}"
        assert re.fullmatch(rf"\u2212?\d+\.\d{{{DIGITS}}}", text), f"{what}: {text!r} is not rounded to {DIGITS} decimals"


def layer_of(name: str, L: int) -> int | None:
    if name == "x":
        return 1
    if name == "nabla_a C":
        return L
    m = re.fullmatch(r"(?:a|z|delta|dC/db|b)\^(\d+)(?: new)?|sigma'\(z\^(\d+)\)", name)
    return int(m.group(1) or m.group(2)) if m else None


def test_each_widget_renders(widgets_page):
    page, report = widgets_page
    hosts = page.locator(".bpkit-static")
    assert hosts.count() == 4
    assert [hosts.nth(i).get_attribute("data-bpkit-widget") for i in range(4)] == [
        "PassStepper", "PassStepper", "LoopStepper", "NotationExplorer"]
    for i in range(4):
        w = hosts.nth(i).locator(".bpkit-w")
        assert w.is_visible()
        box = w.bounding_box()
        assert box["height"] > 200 and box["width"] > 400
        # nothing overflows the figure, however large the network
        assert w.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), f"widget {i} overflows"
        assert hosts.nth(i).locator(".bpkit-fallback").count() == 0
    # the equations are MathML, rendered by the browser itself
    eq = page.locator(".bpkit-pass .bpkit-eq math").first
    assert eq.evaluate("m => m instanceof MathMLElement")
    assert eq.bounding_box()["height"] > 10
    screenshot(page, "widgets-book-page", full_page=True)
    for i, name in enumerate(["pass-stepper", "pass-stepper-large", "loop-stepper", "notation-explorer"]):
        screenshot(page, f"widget-{name}-start", element=hosts.nth(i).locator(".bpkit-w"))


def test_buttons_and_keys_move_the_step(widgets_page):
    page, _ = widgets_page
    w = page.locator(".bpkit-pass").first
    other = page.locator(".bpkit-pass").nth(1)
    status = w.locator(".bpkit-status")
    n = len(TRACE.steps)
    assert status.inner_text() == f"Step 1 of {n}"
    nxt = w.get_by_role("button", name="Next step")
    for _ in range(3):
        nxt.click()
    assert status.inner_text() == f"Step 4 of {n}"
    w.get_by_role("button", name="Previous step").click()
    assert status.inner_text() == f"Step 3 of {n}"
    w.get_by_role("button", name="Reset to the first step").click()
    assert status.inner_text() == f"Step 1 of {n}"
    # the other stepper on the page did not move
    assert other.locator(".bpkit-status").inner_text() == "Step 5 of 12"
    # keys, once the figure has focus
    w.locator(".bpkit-title").click()
    assert w.evaluate("el => el === document.activeElement")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert status.inner_text() == f"Step 3 of {n}"
    page.keyboard.press("ArrowLeft")
    assert status.inner_text() == f"Step 2 of {n}"
    page.keyboard.press("End")
    assert status.inner_text() == f"Step {n} of {n}"
    assert nxt.get_attribute("aria-disabled") == "true"
    page.keyboard.press("ArrowRight")                      # stays on the last step
    assert status.inner_text() == f"Step {n} of {n}"
    page.keyboard.press("Home")
    assert status.inner_text() == f"Step 1 of {n}"
    # a click on the timeline jumps
    w.locator('.bpkit-tick[data-k="6"]').click()
    assert status.inner_text() == f"Step 7 of {n}"


def test_play_and_pause(widgets_page):
    page, _ = widgets_page
    w = page.locator(".bpkit-loop")
    status = w.locator(".bpkit-status")
    play = w.get_by_role("button", name="Play")
    play.click()
    pause = w.get_by_role("button", name="Pause")
    assert pause.get_attribute("aria-pressed") == "true"
    page.wait_for_function("el => el.textContent === 'Step 3 of 14'", arg=status.element_handle(), timeout=6000)
    pause.click()
    assert w.get_by_role("button", name="Play").get_attribute("aria-pressed") == "false"
    stopped = status.inner_text()
    page.wait_for_timeout(1800)
    assert status.inner_text() == stopped


def test_pass_stepper_numbers_are_the_trace(widgets_page):
    page, _ = widgets_page
    w = page.locator(".bpkit-pass").first
    L = len(TRACE.sizes)
    for k, step in enumerate(TRACE.steps):
        assert w.locator(".bpkit-status").inner_text() == f"Step {k + 1} of {len(TRACE.steps)}"
        shown = shown_quantities(w)
        assert [q["name"] for q in shown] == [q.name for q in step.inputs + step.outputs]
        for q in shown:
            assert_cells_equal(q["cells"], step.value(q["name"]), f"step {k + 1} ({step.kind}), {q['name']}")
        # the values written in the neurons are entries of this step's columns at that layer
        nodes = w.evaluate("""root => Array.from(root.querySelectorAll('.bpkit-neuron')).filter(g => g.querySelector('.bpkit-nodeval'))
            .map(g => [+g.dataset.layer, +g.dataset.j, g.querySelector('.bpkit-nodeval').textContent])""")
        columns = [q for q in step.inputs + step.outputs if q.value.shape[1] == 1 and layer_of(q.name, L)]
        assert bool(nodes) == bool(columns), f"step {k + 1}: neuron values {nodes} vs columns {[q.name for q in columns]}"
        for layer, j, text in nodes:
            candidates = [q.value[j - 1, 0] for q in columns if layer_of(q.name, L) == layer]
            assert any(abs(number(text) - v) <= TOL for v in candidates), f"step {k + 1}: neuron {j} of layer {layer} shows {text}"
        # the equation is the step's, as MathML; its tag names BP1..BP4
        assert w.locator(".bpkit-eq math").count() == 1
        if step.equation.startswith("BP"):
            assert w.locator(".bpkit-eqtag").inner_text() == step.equation
        assert w.locator(".bpkit-caption").inner_text().strip()
        if step.kind == "backpropagated_error":
            screenshot(page, "widget-pass-stepper-bp2", element=w)
            # what the step computes and what it only reads differ by line style, not colour alone
            dash = w.evaluate("""root => ['.is-now circle', '.is-uses circle'].map(s =>
                getComputedStyle(root.querySelector('.bpkit-neuron' + s)).strokeDasharray)""")
            assert dash[0] == "none" and dash[1] != "none", dash
        if step.kind == "update":
            screenshot(page, f"widget-pass-stepper-update-l{step.layer}", element=w)
        if k < len(TRACE.steps) - 1:
            w.get_by_role("button", name="Next step").click()


def test_loop_stepper_numbers_are_the_loop_trace(widgets_page):
    page, _ = widgets_page
    w = page.locator(".bpkit-loop")
    for k, step in enumerate(LOOP.steps):
        assert w.locator(".bpkit-status").inner_text() == f"Step {k + 1} of {len(LOOP.steps)}"
        values = {q.name: q.value for q in step.quantities}
        shown = shown_quantities(w)
        assert sorted(q["name"] for q in shown) == sorted(values)
        for q in shown:
            assert_cells_equal(q["cells"], values[q["name"]], f"step {k + 1} ({step.kind}), {q['name']}")
        # the sums Δ so far
        for l in range(2, len(LOOP.sizes) + 1):
            for p, sums in (("w", step.Delta_w), ("b", step.Delta_b)):
                cells = w.locator(f'[data-bpkit-sum="{p}{l}"] .bpkit-cell').evaluate_all(
                    "cs => cs.map(c => [+c.dataset.r, +c.dataset.c, c.textContent])")
                assert_cells_equal(cells, sums[l - 2], f"step {k + 1}, Δ{p}^{l}")
        # the example being worked on is marked, in words too
        now = w.locator(".bpkit-bhdr.is-now")
        if step.example is None:
            assert now.count() == 0
        else:
            assert now.inner_text() == f"example {step.example}"
        if step.kind in ("accumulate", "update") and step.example in (None, 2):
            screenshot(page, f"widget-loop-stepper-{step.kind}{'' if step.example is None else step.example}", element=w)
        if k < len(LOOP.steps) - 1:
            w.get_by_role("button", name="Next step").click()


def test_notation_explorer_names_what_you_point_at(widgets_page):
    page, _ = widgets_page
    w = page.locator(".bpkit-notation")
    info = w.locator(".bpkit-info")

    def shown_value() -> float:
        return number(info.locator(".bpkit-info-head mn").last.text_content())

    def point_at(selector: str, along: float = 0.3) -> None:
        """Move the mouse onto a connection, a fraction `along` of the way from its start."""
        w.scroll_into_view_if_needed()
        x, y = w.locator(f"{selector} .bpkit-hit").evaluate("""(line, t) => {
            const p = line.getPointAtLength(t * line.getTotalLength()).matrixTransform(line.getScreenCTM());
            return [p.x, p.y]; }""", along)
        page.mouse.move(x, y)

    point_at('[data-sel="w,3,2,1"]')
    assert info.locator(".bpkit-sentence").inner_text() == "the weight from neuron 1 in layer 2 to neuron 2 in layer 3"
    assert abs(shown_value() - NET.w(3)[1, 0]) <= TOL
    mark = info.locator(".bpkit-cell.is-mark")
    assert (mark.get_attribute("data-r"), mark.get_attribute("data-c")) == ("1", "0")
    assert "net.w(3)[1, 0]" in info.inner_text()
    assert w.locator(".bpkit-role").all_text_contents().count("from k = 1") == 1
    screenshot(page, "widget-notation-explorer-weight", element=w)
    # a neuron of layer 2: its bias
    w.locator('[data-sel="b,2,3"]').hover()
    assert info.locator(".bpkit-sentence").inner_text() == "the bias of neuron 3 in layer 2"
    assert abs(shown_value() - NET.b(2)[2, 0]) <= TOL
    # by keyboard: focus one weight, → to the next (the drawing is one Tab stop, see
    # test_notation_keyboard_browser.py)
    w.locator('[data-sel="w,2,1,1"]').focus()
    assert info.locator(".bpkit-sentence").inner_text() == "the weight from neuron 1 in layer 1 to neuron 1 in layer 2"
    page.keyboard.press("ArrowRight")
    assert info.locator(".bpkit-sentence").inner_text() == "the weight from neuron 2 in layer 1 to neuron 1 in layer 2"
    assert abs(shown_value() - NET.w(2)[0, 1]) <= TOL
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert "from neuron 2 in layer 1 to neuron 1 in layer 2" in label
    screenshot(page, "widget-notation-explorer-keyboard", element=w)
