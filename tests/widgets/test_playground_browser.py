"""The playground in a built Jupyter Book, in headless Chromium, with every non-local request blocked.

A tiny book (one page, two playgrounds, the book's ``bpkit_widgets`` extension) is built and
driven: training lowers the cost, a click or Enter on a neuron shows its δ (equal to bpkit's
for the weights the page holds), the address restores the configuration and the epoch, axe-core
finds no WCAG 2 A/AA violation inside the widget in the light and the dark theme, nothing is
clipped at 390 px, and the printed page shows the boundary and the settings. Screenshots go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

import bpkit
from bpkit.widgets.engine import network_from_dict
from bpkit.widgets.playground import dataset
from helpers.browser import open_page, screenshot, serve
from helpers.axe import axe_path
from helpers.pages import build_book, myst_page, widget_book_config

pytestmark = pytest.mark.browser

CONFIG = widget_book_config("bpkit playground, browser test", ('bpkit_widgets',))

PAGE = myst_page(textwrap.dedent("""
    # Playground

    ```{code-cell} ipython3
    from bpkit.widgets import Playground
    Playground("xor", hidden=[3], activation="tanh", eta=1.0, batch_size=4)
    ```

    ```{code-cell} ipython3
    Playground("spirals", hidden=[8, 8], activation="tanh", eta=0.3, batch_size=10, key="spirals")
    ```
""")).lstrip()



@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("playground-book")
    return build_book(root, "playground", PAGE, CONFIG)


@pytest.fixture(scope="module")
def base(book):
    with serve(book) as url:
        yield url


def ready(page):
    page.wait_for_selector('[data-bpkit-ready="true"] .bpkit-playground')


def status_cost(w) -> float:
    text = w.locator(".bpkit-status").inner_text()
    return float(text.split("cost ")[1].split(",")[0].replace("\u2212", "-"))


def test_page_has_one_copy_of_the_code_and_no_widget_state(book):
    html = (book / "playground.html").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" not in html
    # two playgrounds, and the engine and the playground's module once (bpkit_widgets keeps the
    # first copy of each part)
    assert html.count('data-bpkit-widget="Playground"') == 2
    assert html.count("function bpBackprop(") == 1 and html.count("function bpEpochBatches(") == 1
    assert html.count('data-bpkit-part="widgets/playground.js"') == 1


def test_training_lowers_the_cost_and_a_neuron_shows_its_delta(base):
    with open_page(base, "playground.html", width=1100, height=2400) as (page, report):
        ready(page)
        w = page.locator(".bpkit-playground").first
        assert w.locator(".bpkit-status").inner_text().startswith("Epoch 0:")
        c0 = status_cost(w)
        step = w.get_by_role("button", name="Train one epoch")
        for _ in range(5):
            step.click()
        assert w.locator(".bpkit-pg-epoch").inner_text() == "Epoch 5"
        w.get_by_role("button", name="Play").click()
        page.wait_for_function("el => +el.textContent.split(' ')[1] >= 150", arg=w.locator(".bpkit-pg-epoch").element_handle(), timeout=90_000)  # a wait, not a speed bound: the machine may be busy
        # Pause, unless Play has already stopped by itself (it ends at 2,000 epochs, which XOR
        # reaches in well under a second): checked and clicked in one step in the page
        w.evaluate("""el => { const b = [...el.querySelectorAll('button')].find(b => b.textContent.trim() === 'Pause');
                               if (b) b.click(); }""")
        assert w.get_by_role("button", name="Play").count() == 1
        c1 = status_cost(w)
        assert c1 < c0, (c0, c1)
        # the δ of hidden neuron 2 of layer 2, by keyboard (its value: test_delta_equals_bpkit)
        neuron = w.locator('.bpkit-pg-neuron[data-layer="2"][data-j="2"]')
        neuron.focus()
        page.keyboard.press("Enter")
        assert neuron.get_attribute("aria-pressed") == "true"
        panel = w.locator(".bpkit-pg-delta")
        assert panel.locator(".bpkit-eqtag").inner_text() == "BP2"
        assert panel.locator("math").count() >= 3
        got = panel.locator("[data-bpkit-delta]")
        assert np.isfinite(float(got.get_attribute("data-bpkit-delta")))
        screenshot(page, "widget-playground-delta", element=w)
        # an output neuron: BP1, by a click
        w.locator('.bpkit-pg-neuron[data-layer="3"][data-j="1"]').click()
        assert panel.locator(".bpkit-eqtag").inner_text() == "BP1"
        assert "averaged over all 4 points" in panel.inner_text().lower()
    report.assert_clean()


def test_delta_equals_bpkit(base):
    """The δ shown, for one example and averaged over the points, is bpkit's (bpkit.trace and
    Network.backprop) for the network the page holds."""
    with open_page(base, "playground.html", width=1100, height=2400) as (page, report):
        ready(page)
        w = page.locator(".bpkit-playground").nth(1)
        for _ in range(3):
            w.get_by_role("button", name="Train one epoch").click()
        w.locator('[data-set="example"]').fill("7")
        w.locator('[data-set="example"]').press("Enter")
        w.locator('.bpkit-pg-neuron[data-layer="2"][data-j="5"]').click()
        net = w.evaluate("root => root.bpkitState().net")
        got = w.locator("[data-bpkit-delta]")
        delta, mean = float(got.get_attribute("data-bpkit-delta")), float(got.get_attribute("data-bpkit-mean"))
    report.assert_clean()
    d = dataset("spirals")
    bp = network_from_dict(net)
    tr = bpkit.trace(bp, d.X[:, [6]], d.Y[:, [6]])
    step = next(s for s in tr.steps if s.kind == "backpropagated_error" and s.layer == 2)
    assert np.isclose(delta, step.value("delta^2")[4, 0], rtol=1e-10, atol=1e-14)
    nabla_b, _ = bp.backprop(d.X, d.Y)
    assert np.isclose(mean, nabla_b[0][4, 0] / d.n, rtol=1e-10, atol=1e-14)


def test_the_address_restores_the_configuration(base):
    with open_page(base, "playground.html", width=1100, height=2400) as (page, report):
        ready(page)
        w = page.locator(".bpkit-playground").first
        w.locator('[data-set="hidden"]').fill("4, 2")
        w.locator('[data-set="hidden"]').press("Enter")
        w.locator('[data-set="activation"]').select_option("sigmoid")
        w.locator('[data-set="eta"]').select_option("3")
        for _ in range(7):
            w.get_by_role("button", name="Train one epoch").click()
        # the address is written once the clicks pause (200 ms: history.replaceState is slow)
        page.wait_for_function("location.hash.includes('epoch:7')")
        url = page.url
        status = w.locator(".bpkit-status").inner_text()
        assert "playground=v:2,data:xor,hidden:4-2,act:sigmoid,eta:3,m:4,seed:0,epoch:7" in url
    with open_page(base, "playground.html#" + url.split("#", 1)[1], width=1100, height=2400) as (page, report2):
        ready(page)
        w = page.locator(".bpkit-playground").first
        assert w.locator('[data-set="hidden"]').input_value() == "4, 2"
        assert w.locator('[data-set="activation"]').input_value() == "sigmoid"
        assert w.locator(".bpkit-pg-epoch").inner_text() == "Epoch 7"
        assert w.locator(".bpkit-status").inner_text() == status  # same training, same numbers
        # the other playground kept its own settings
        assert page.locator(".bpkit-playground").nth(1).locator('[data-set="dataset"]').input_value() == "spirals"
    report.assert_clean()
    report2.assert_clean()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_nothing_inside_the_widget(base, theme):
    with open_page(base, "playground.html", width=1100, height=2400) as (page, report):
        ready(page)
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        w = page.locator(".bpkit-playground").first
        w.locator('.bpkit-pg-neuron[data-layer="2"][data-j="1"]').click()
        page.add_script_tag(path=str(axe_path()))
        for i in range(2):
            result = page.evaluate("""async (i) => {
                const el = document.querySelectorAll('.bpkit-playground')[i];
                const r = await axe.run(el, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
                return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary).join(' | '));
            }""", i)
            assert result == [], f"{theme}: {result}"
        screenshot(page, f"widget-playground-{theme}", element=w)
    report.assert_clean()


def test_nothing_clipped_at_390px_and_print(base):
    with open_page(base, "playground.html", width=390, height=2600) as (page, report):
        ready(page)
        for i in range(2):
            w = page.locator(".bpkit-playground").nth(i)
            w.locator('.bpkit-pg-neuron[data-layer="2"][data-j="1"]').click()
            clipped = w.evaluate("""root => {
                const box = root.getBoundingClientRect(), out = [];
                if (root.scrollWidth > root.clientWidth + 1) out.push('the widget scrolls: ' + root.scrollWidth + ' > ' + root.clientWidth);
                for (const el of root.querySelectorAll('*')) {
                    const r = el.getBoundingClientRect();
                    if (r.width === 0 || el.closest('.bpkit-pg-eqs, .bpkit-pg-nums, .bpkit-sr')) continue;
                    if (r.right > box.right + 1 || r.left < box.left - 1) out.push(el.className.baseVal ?? el.className);
                }
                return out;
            }""")
            assert clipped == [], clipped
            assert w.evaluate("root => root.getBoundingClientRect().right <= window.innerWidth")
        screenshot(page, "widget-playground-390", element=page.locator(".bpkit-playground").first)
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
        screenshot(page, "widget-playground-390-dark", element=page.locator(".bpkit-playground").first)
        page.evaluate("document.documentElement.dataset.theme = 'light'")
        page.emulate_media(media="print")
        w = page.locator(".bpkit-playground").first
        assert not w.locator(".bpkit-controls").is_visible()
        assert w.locator(".bpkit-pg-canvas").is_visible()
        assert w.locator(".bpkit-pg-print").inner_text().startswith("Settings: XOR, 4 points; sizes 2, 3, 1")
        screenshot(page, "widget-playground-print", element=w)
    report.assert_clean()
