"""The playground in a built Jupyter Book, in headless Chromium, with every non-local request blocked.

A tiny book (one page, two playgrounds, the book's ``bpkit_widgets`` extension) is built once.
Four page loads drive it:

* a reader's session at 1280 px: Play keeps to the speed set (never ahead of 10 epochs a
  second), training lowers the cost and stops with a message at the epoch limit that fits the
  outcome (every point right: no advice to change η); a new limit below the epochs trained
  says so; a click or Enter on a neuron shows its δ over the plane, with its scale (the largest
  for 4 points, the 90th percentile for 200), the ringed example, and BP1 or BP2 with the
  numbers (BP2 term by term, one term per neuron of the next layer), equal to bpkit's for the
  network the page holds; at 1280 × 900 the chosen neuron, the replay slider and the δ map are
  in view together; the scrubber replays epoch 0, the start itself; every data set (three
  classes with softmax) has its output layer, its output neurons labelled with their classes,
  and its legend; the mini-batch menu ends with all the points; the reader's own points
  (clear, add by clicking, the plane's very edge; the Data box then names them), a data set of
  one point or one class refused with a message; the target accuracy stops training;
  every bad typed value (empty, not a number, 1e308, η = 30 that diverges) gets a message, the
  last good value, and no NaN on the page;
* the address: a link restores settings, points and epoch; a tampered, truncated or older
  address gets a message and the page's own figure;
* 390 px in both themes: axe-core finds no WCAG 2 A/AA violation inside the widgets, the
  book's dark theme puts no light frame around them, the replay slider stays in view while the
  δ map is scrolled to, nothing is clipped, every number box shows its whole value, the canvases and the scrubber have words
  for screen readers, and the printed page shows the pictures and the settings.

Screenshots go to test-artifacts/screenshots/ (1280, 390, dark).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

import bpkit
from bpkit.widgets.engine import network_from_dict
from bpkit.widgets.playground import dataset, playground_network
from helpers.axe import axe_path
from helpers.browser import open_page, screenshot, serve
from helpers.pages import build_book, myst_page, widget_book_config

pytestmark = pytest.mark.browser

CONFIG = widget_book_config("bpkit playground, browser test", ("bpkit_widgets",))

PAGE = myst_page(textwrap.dedent("""
    # Playground

    ```{code-cell} ipython3
    from bpkit.widgets import Playground
    Playground("xor", hidden=[3], activation="tanh", eta=1.0, batch_size=4, max_epochs=300)
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


def typed(w, name: str, value: str) -> None:
    box = w.locator(f'[data-set="{name}"]')
    box.fill(value)
    box.press("Enter")


def message(w) -> str:
    return w.locator(".bpkit-msg").inner_text()


def click_plane(w, fx: float, fy: float) -> None:
    """A click at the fraction (fx, fy) of the picture's width and height (0, 0: top left)."""
    canvas = w.locator(".bpkit-pg-canvas")
    box = canvas.bounding_box()
    inner = box["width"] - 2  # the canvas's 1 px border on each side
    canvas.click(position={"x": min(inner - 0.01, fx * inner), "y": min(inner - 0.01, fy * inner)})


def test_page_has_one_copy_of_the_code_and_no_widget_state(book):
    html = (book / "playground.html").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" not in html
    # two playgrounds, and the engine, the playground's module and the data sets once
    # (bpkit_widgets keeps the first copy of each part)
    assert html.count('data-bpkit-widget="Playground"') == 2
    assert html.count("function bpBackprop(") == 1 and html.count("function fastEpochInOrder(") == 1
    assert html.count('data-bpkit-part="widgets/playground.js"') == 1
    assert len(re.findall(r'<script type="application/json" data-bpkit-part="data/[0-9a-f]{16}"', html)) == 1


def train_and_stop(page, w):
    """XOR: five epochs one by one, Play at 10 epochs a second (never ahead of that pace), then
    at the fastest to the epoch limit (300): a message says so, and gives no advice to a run
    that got every point right; a limit below the epochs trained says so too."""
    c0 = status_cost(w)
    for _ in range(5):
        w.get_by_role("button", name="Train one epoch").click()
    assert w.locator(".bpkit-pg-epoch").inner_text() == "Epoch 5"
    w.locator('[data-set="speed"]').select_option("10")
    played = w.evaluate("""async (root) => {
        const play = root.querySelector('[data-act="play"]'), t0 = performance.now();
        play.click();
        await new Promise((r) => setTimeout(r, 700));
        play.click();
        return { epochs: root.bpkitState().trained - 5, seconds: (performance.now() - t0) / 1000 };
    }""")
    assert 1 <= played["epochs"] <= 10 * played["seconds"] + 2, played  # an upper bound: the pace, not the machine's speed
    w.locator('[data-set="speed"]').select_option("max")
    w.get_by_role("button", name="Play").click()
    page.wait_for_function("el => el.textContent.includes('Training stopped')", arg=w.locator(".bpkit-msg").element_handle(),
                           timeout=60_000)  # a wait, not a speed bound
    assert "the run reached its limit of 300 epochs" in message(w) and "Raise the limit" in message(w)
    assert "every one of them" in message(w) and "try" not in message(w) and "η" not in message(w)
    assert w.locator(".bpkit-pg-epoch").inner_text() == "Epoch 300"
    assert status_cost(w) < c0
    typed(w, "limit", "200")  # below the epochs trained: said, not "reached its limit of 200"
    assert "already trained 300 epochs, past the new limit of 200" in message(w)
    typed(w, "limit", "400")  # a higher limit goes on from epoch 300
    assert message(w) == ""
    w.get_by_role("button", name="Train one epoch").click()
    assert w.locator(".bpkit-pg-epoch").inner_text() == "Epoch 301"


def delta_by_keyboard_and_click(page, w):
    neuron = w.locator('.bpkit-pg-neuron[data-layer="2"][data-j="2"]')
    neuron.focus()
    page.keyboard.press("Enter")
    assert neuron.get_attribute("aria-pressed") == "true"
    panel = w.locator(".bpkit-pg-delta")
    assert panel.locator(".bpkit-eqtag").inner_text() == "BP2"
    assert panel.locator("math").count() >= 3
    got = panel.locator("[data-bpkit-delta]")
    assert np.isfinite(float(got.get_attribute("data-bpkit-delta"))) and float(got.get_attribute("data-bpkit-scale")) > 0
    label = panel.locator(".bpkit-pg-dcanvas").get_attribute("aria-label")
    assert "purple where it is above 0" in label and "full colour at size" in label
    assert panel.locator(".bpkit-pg-nums math mo", has_text="·").count() == 1  # w^3_12 · δ^3_1: one neuron in layer 3
    w.locator('.bpkit-pg-neuron[data-layer="3"][data-j="1"]').click()
    assert panel.locator(".bpkit-eqtag").inner_text() == "BP1"
    text = panel.inner_text()
    assert "averaged over all 4 points" in text.lower() and "9 points in 10" not in text and "full colour at the largest" in text
    assert "by −η times it" in text  # m = n = 4: the step is over all the points
    largest = float(panel.locator("[data-bpkit-largest]").get_attribute("data-bpkit-largest"))
    assert panel.locator(".bpkit-pg-dlargest").inner_text() == f"{largest:.3g}"  # 3 digits: what the self-check asks
    # 1280 × 900: the chosen neuron, the replay slider (stuck under the page's header) and the δ map in view together
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("y => window.scrollTo(0, y)", page.evaluate("() => window.scrollY") + w.locator(".bpkit-pg-views").bounding_box()["y"] - 175)
    for sel in ('.bpkit-pg-neuron.is-sel', '[data-set="scrub"]', ".bpkit-pg-dcanvas"):
        box = w.locator(sel).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 900, (sel, box)
    page.set_viewport_size({"width": 1280, "height": 2600})


def replay_epoch_zero(w):
    """The scrubber at 0 shows the start: the network, its epoch and 'replay' in the words."""
    start = w.evaluate("root => root.bpkitState()")
    w.locator('[data-set="scrub"]').evaluate("el => { el.value = '0'; el.dispatchEvent(new Event('input', { bubbles: true })); }")
    now = w.evaluate("root => root.bpkitState()")
    assert now["epoch"] == 0 and now["trained"] == start["trained"]
    assert "(replay; 301 trained)" in w.locator(".bpkit-status").inner_text()
    assert "at epoch 0 (replay)" in w.locator(".bpkit-pg-dhead").inner_text()
    first = playground_network("xor", [3], "tanh", 0)
    np.testing.assert_array_equal(network_from_dict(now["net"]).w(2), first.w(2))
    assert w.locator('[data-set="scrub"]').get_attribute("aria-valuetext") == "epoch 0 of 301 trained"


def delta_equals_bpkit(w):
    """Spirals: three epochs, example 7, neuron 5 of layer 2: δ and its mean are bpkit's."""
    for _ in range(3):
        w.get_by_role("button", name="Train one epoch").click()
    typed(w, "example", "7")
    w.locator('.bpkit-pg-neuron[data-layer="2"][data-j="5"]').click()
    net = w.evaluate("root => root.bpkitState().net")
    got = w.locator("[data-bpkit-delta]")
    delta, mean = float(got.get_attribute("data-bpkit-delta")), float(got.get_attribute("data-bpkit-mean"))
    d = dataset("spirals")
    bp = network_from_dict(net)
    tr = bpkit.trace(bp, d.X[:, [6]], d.Y[:, [6]])
    step = next(s for s in tr.steps if s.kind == "backpropagated_error" and s.layer == 2)
    assert np.isclose(delta, step.value("delta^2")[4, 0], rtol=1e-10, atol=1e-14)
    nabla_b, _ = bp.backprop(d.X, d.Y)
    assert np.isclose(mean, nabla_b[0][4, 0] / d.n, rtol=1e-10, atol=1e-14)
    assert "held-out accuracy" in w.locator(".bpkit-status").inner_text()
    panel = w.locator(".bpkit-pg-delta")
    assert panel.locator(".bpkit-pg-nums math mo", has_text="·").count() == 8  # Σ_k w^3_k5 δ^3_k, term by term
    assert "9 points in 10 are smaller" in panel.inner_text() and "each step of 10 points uses their mean" in panel.inner_text()
    assert w.locator('[data-set="batch"] option').last.inner_text() == "200 (all)"


def bad_typed_values(page, w):
    for text, words in [("", "η is empty"), ("abc", "is not a number"), ("1e308", "must be at most 1000"), ("0", "must be above 0")]:
        typed(w, "eta", text)
        assert words in message(w) and "keeps η = 0.3" in message(w), (text, message(w))
        assert w.locator('[data-set="eta"]').get_attribute("aria-invalid") == "true"
    for name, text, words in [("hidden", "99", "not used"), ("seed", "-1", "at least 0"), ("limit", "1e9", "at most"),
                              ("target", "abc", "not a number"), ("example", "9999", "at most 200")]:
        typed(w, name, text)
        assert words in message(w), (name, message(w))
    assert w.evaluate("root => root.bpkitState().config.eta") == 0.3
    typed(w, "eta", "30")  # diverges: bpkit.sgd's words
    w.get_by_role("button", name="Play").click()
    page.wait_for_function("el => el.textContent.includes('Training stopped')", arg=w.locator(".bpkit-msg").element_handle(),
                           timeout=60_000)
    assert "gradient descent diverged: after epoch" in message(w) and "Try a smaller learning rate η (e.g. 3)" in message(w)
    assert "NaN" not in w.inner_text()
    typed(w, "eta", "0.3")


def data_sets_and_own_points(page, w):
    for name, sizes, classes in [("spirals3", [2, 8, 8, 3], 3), ("circles", [2, 8, 8, 2], 2), ("blobs3", [2, 8, 8, 3], 3),
                                 ("blobs", [2, 8, 8, 2], 2)]:
        w.locator('[data-set="dataset"]').select_option(name)
        assert w.evaluate("root => root.bpkitState().net.sizes") == sizes
        assert w.locator(".bpkit-pg-legend > span").count() == classes + 1  # and the hollow held-out points
        assert w.locator(".bpkit-pg-classlabel").all_text_contents() == [f"class {k}" for k in range(classes)]
    w.get_by_role("button", name="Clear the points").click()
    assert "no points to train on" in message(w)
    assert w.locator('[data-set="dataset"] option:checked').inner_text() == "your 0 points (2 classes)"
    w.get_by_role("button", name="Train one epoch").click()
    assert "no points to train on" in message(w)
    w.locator(".bpkit-pg-modes input[value='0']").check()
    click_plane(w, 0.3, 0.3)
    assert "One point is not enough" in message(w)
    click_plane(w, 0.0, 0.5)  # the very edge of the plane
    assert "All 2 points are of class 0" in message(w)
    w.locator(".bpkit-pg-modes input[value='1']").check()
    click_plane(w, 1.0, 0.02)
    assert message(w) == ""
    xy = w.evaluate("root => root.bpkitData().X")
    assert len(xy[0]) == 3 and all(np.isfinite(v) for row in xy for v in row)
    w.get_by_role("button", name="Train one epoch").click()
    assert w.locator(".bpkit-pg-epoch").inner_text() == "Epoch 1"
    assert "your 3 points" in w.locator(".bpkit-pg-print").inner_text()
    page.wait_for_function("location.hash.includes('pts:')")
    w.get_by_role("button", name="Restore the data set").click()
    w.locator('[data-set="dataset"]').select_option("circles")
    w.locator('[data-set="speed"]').select_option("max")
    typed(w, "target", "90")
    w.get_by_role("button", name="Play").click()
    page.wait_for_function("el => el.textContent.includes('Training stopped')", arg=w.locator(".bpkit-msg").element_handle(),
                           timeout=60_000)
    assert "the training accuracy reached" in message(w) and "the target of 90%" in message(w)


def test_a_readers_session(base):
    with open_page(base, "playground.html", width=1280, height=2600) as (page, report):
        ready(page)
        xor, spirals = page.locator(".bpkit-playground").nth(0), page.locator(".bpkit-playground").nth(1)
        train_and_stop(page, xor)
        delta_by_keyboard_and_click(page, xor)
        replay_epoch_zero(xor)
        screenshot(page, "widget-playground-delta", element=xor)
        delta_equals_bpkit(spirals)
        screenshot(page, "widget-playground-spirals-1280", element=spirals)
        bad_typed_values(page, spirals)
        data_sets_and_own_points(page, spirals)
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
        screenshot(page, "widget-playground-1280-dark", element=spirals)
    report.assert_clean()


def test_the_address_restores_the_figure_and_survives_bad_links(base):
    with open_page(base, "playground.html", width=1100, height=2400) as (page, report):
        ready(page)
        w = page.locator(".bpkit-playground").first
        typed(w, "hidden", "4, 2")
        w.locator('[data-set="activation"]').select_option("sigmoid")
        typed(w, "eta", "3")
        for _ in range(7):
            w.get_by_role("button", name="Train one epoch").click()
        # the address is written once the clicks pause (200 ms: history.replaceState is slow)
        page.wait_for_function("location.hash.includes('epoch:7')")
        url = page.url
        status = w.locator(".bpkit-status").inner_text()
        assert "playground=v:2,data:xor,hidden:4-2,act:sigmoid,eta:3,m:4,seed:0,limit:300,epoch:7" in url
    hash_ = url.split("#", 1)[1] + "&spirals=v:2,data:nope,hidden:4-,eta:-1,m:10,seed:0,epoch:3"
    with open_page(base, "playground.html#" + hash_, width=1100, height=2400) as (page, report2):
        ready(page)
        w = page.locator(".bpkit-playground").first
        assert w.locator('[data-set="hidden"]').input_value() == "4, 2"
        assert w.locator('[data-set="activation"]').input_value() == "sigmoid"
        assert w.locator(".bpkit-pg-epoch").inner_text() == "Epoch 7"
        assert w.locator(".bpkit-status").inner_text() == status  # same training, same numbers
        s = page.locator(".bpkit-playground").nth(1)  # a tampered part: a message, and what could be read
        assert "was not fully used" in message(s) and "data must be one of" in message(s) and "eta must be greater than 0" in message(s)
        assert s.locator('[data-set="dataset"]').input_value() == "spirals" and s.locator(".bpkit-pg-epoch").inner_text() == "Epoch 3"
    old = "playground=data:xor,hidden:2,act:relu,eta:1,m:4,seed:0,epoch:2&spirals=v:2,data:spir"
    with open_page(base, "playground.html#" + old, width=1100, height=2400) as (page, report3):
        ready(page)
        w, s = page.locator(".bpkit-playground").first, page.locator(".bpkit-playground").nth(1)
        assert "written by an older version" in message(w) and w.locator('[data-set="hidden"]').input_value() == "2"
        assert "not fully used" in message(s) and s.locator(".bpkit-pg-epoch").inner_text() == "Epoch 0"
    for r in (report, report2, report3):
        r.assert_clean()


def test_axe_390px_both_themes_and_print(base):
    with open_page(base, "playground.html", width=390, height=2800) as (page, report):
        ready(page)
        page.add_script_tag(path=str(axe_path()))
        for i in range(2):
            page.locator(".bpkit-playground").nth(i).locator('.bpkit-pg-neuron[data-layer="2"][data-j="1"]').click()
        # scrolled to the δ map on a phone's screen, the replay slider is still in view (sticky)
        page.set_viewport_size({"width": 390, "height": 844})
        s = page.locator(".bpkit-playground").nth(1)
        page.evaluate("y => window.scrollTo(0, y)", page.evaluate("() => window.scrollY") + s.locator(".bpkit-pg-dcanvas").bounding_box()["y"] - 330)
        for sel in ('[data-set="scrub"]', ".bpkit-pg-dcanvas"):
            box = s.locator(sel).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= 844, (sel, box)
        page.set_viewport_size({"width": 390, "height": 2800})
        for theme in ("light", "dark"):
            page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
            for i in range(2):
                result = page.evaluate("""async (i) => {
                    const el = document.querySelectorAll('.bpkit-playground')[i];
                    const r = await axe.run(el, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
                    return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary).join(' | '));
                }""", i)
                assert result == [], f"{theme}: {result}"
            screenshot(page, f"widget-playground-390-{theme}", element=page.locator(".bpkit-playground").nth(1))
            frames = page.evaluate("""() => [...document.querySelectorAll('.bpkit-playground')].map((el) => {
                const out = el.closest('div.cell_output div.output'), cs = out && getComputedStyle(out);
                return cs ? [cs.backgroundColor, cs.paddingTop] : null; })""")
            assert theme == "light" or all(f is None or f == ["rgba(0, 0, 0, 0)", "0px"] for f in frames), (theme, frames)
        page.evaluate("document.documentElement.dataset.theme = 'light'")
        for i in range(2):
            w = page.locator(".bpkit-playground").nth(i)
            clipped = w.evaluate("""root => {
                const box = root.getBoundingClientRect(), out = [];
                if (root.scrollWidth > root.clientWidth + 1) out.push('the widget scrolls: ' + root.scrollWidth + ' > ' + root.clientWidth);
                for (const el of root.querySelectorAll('*')) {
                    const r = el.getBoundingClientRect();
                    if (r.width === 0 || el.closest('.bpkit-pg-eqs, .bpkit-pg-nums, .bpkit-sr')) continue;
                    if (r.right > box.right + 1 || r.left < box.left - 1) out.push(el.className.baseVal ?? el.className);
                }
                for (const input of root.querySelectorAll('input[type="text"]'))
                    if (input.scrollWidth > input.clientWidth + 1) out.push('the box ' + input.dataset.set + ' hides part of ' + input.value);
                return out;
            }""")
            assert clipped == [], clipped
            for sel in (".bpkit-pg-canvas", ".bpkit-pg-dcanvas"):
                assert len(w.locator(sel).get_attribute("aria-label")) > 60
            assert w.locator(".bpkit-pg-neuron").first.get_attribute("aria-label").startswith("Neuron 1 of layer 2")
        page.emulate_media(media="print")
        w = page.locator(".bpkit-playground").first
        assert not w.locator(".bpkit-controls").is_visible() and not w.locator(".bpkit-pg-clicks").is_visible()
        assert w.locator(".bpkit-pg-canvas").is_visible() and w.locator(".bpkit-pg-netbox").is_visible()
        assert w.locator(".bpkit-pg-print").inner_text().startswith("Settings: XOR, 4 points; sizes 2, 3, 1")
    report.assert_clean()
