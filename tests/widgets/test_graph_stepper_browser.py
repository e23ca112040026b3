"""The graph stepper in a built Jupyter Book, in headless Chromium, network blocked (issue 19).

One small book shows Mazur's graph stepper (41 nodes) and a second one on another network
(tanh, softmax, log-likelihood). In the page, with no kernel: every step shows the gradient and
the shares bpkit.autodiff computes; an edit (a weight, then the cost) rebuilds the graph with
bpkit's numbers; the layer view shows the pass stepper's δ and marks its nodes; the address
restores "this network, at this step"; axe-core finds no WCAG 2 A/AA violation and the SVG
text has 4.5:1 contrast in both themes; nothing overflows and Next never moves at 390 px, where
the node reached is scrolled into view; at 1280 px the table of shares fits and the drawing's
numbers (9 px or more) never cover one another; ← → keep stepping after many keys; the Train
message is beside the button; print media shows every step as a table. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

import bpkit
from bpkit import mazur
from bpkit.autodiff import network_graph
from bpkit.autodiff.record import backward_steps
from helpers.axe import axe_path
from helpers.browser import screenshot
from helpers.pages import build_book, myst_page
from test_steppers_explore import SVG_CONTRAST, opened, walk
from test_widgets_browser import CONFIG, number

pytestmark = pytest.mark.browser

PAGE = myst_page(textwrap.dedent("""
    # Graph steppers

    ```{code-cell} ipython3
    import numpy as np
    import bpkit
    from bpkit.widgets import GraphStepper

    GraphStepper.mazur()
    ```

    ```{code-cell} ipython3
    net = bpkit.Network([2, 2, 2], activation="tanh", output_activation="softmax",
                        cost="log_likelihood", seed=3)
    GraphStepper(net, np.array([[0.4], [-0.8]]), np.array([[0.0], [1.0]]))
    ```
""")).lstrip()
DIGITS = 6
SECOND = bpkit.Network([2, 2, 2], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=3)
X2, Y2 = np.array([[0.4], [-0.8]]), np.array([[0.0], [1.0]])


def steps_of(net, x, y):
    g = network_graph(net, x, y)
    return g, backward_steps(g.nodes)


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    return build_book(tmp_path_factory.mktemp("graph-book"), "graphs", PAGE, CONFIG)


def shown(w) -> dict:
    """What the panel shows now: the node marked in the drawing, its gradient, and the table
    of shares (local, gradient, share, sum per row)."""
    return w.evaluate("""root => ({
        now: [...root.querySelectorAll('.bpkit-gnode.is-now')].map(g => +g.dataset.node),
        grad: root.querySelector('.bpkit-gsum').textContent,
        rows: [...root.querySelectorAll('.bpkit-gtable tbody tr')].map(r => [...r.querySelectorAll('td')].map(t => t.textContent)),
        status: root.querySelector('.bpkit-status').textContent })""")


# Every step at once, in the page (a tick clicked draws its step at once): whether the table of
# shares fits its box, which labels of the drawing cover one another, and their smallest size on
# the screen (px).
SWEEP = """root => {
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const out = [];
  for (let k = 0; k < root.querySelectorAll('.bpkit-tick').length; k++) {
    root.querySelector(`.bpkit-tick[data-k="${k}"]`).click();
    const table = root.querySelector('.bpkit-gpanel .bpkit-scroll'), svg = root.querySelector('.bpkit-gsvg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const labels = [...root.querySelectorAll('.bpkit-glabel')];
    const boxes = labels.map(g => g.querySelector('rect').getBoundingClientRect());
    const covering = [];
    boxes.forEach((a, i) => boxes.forEach((b, j) => { if (i < j && hit(a, b)) covering.push([labels[i].textContent.trim(), labels[j].textContent.trim()]); }));
    out.push({ k, wider: table ? table.scrollWidth - table.clientWidth : 0, covering,
               px: Math.min(...labels.map(g => parseFloat(getComputedStyle(g.querySelector('text')).fontSize) * scale)) });
  }
  return out;
}"""


def last_number(text: str) -> float:
    return number(re.findall(r"\u2212?\d+\.\d+", text)[-1])


def check_step(w, steps, k, digits=DIGITS):
    s, st = shown(w), steps[k]
    tol = 0.5 * 10 ** -digits + 1e-12
    assert s["status"] == f"Step {k + 1} of {len(steps)}"
    assert s["now"] == [st["node"]], (k, s["now"])
    assert abs(last_number(s["grad"]) - st["grad"]) <= tol, (k, s["grad"], st["grad"])
    assert len(s["rows"]) == len(st["sends"])
    for row, e in zip(s["rows"], st["sends"]):
        for text, value in zip(row, (e["local"], st["grad"], e["share"], e["sum"])):
            assert abs(number(text) - value) <= tol, (k, row, e)


def test_every_step_and_the_layer_view(book):
    """Every step of Mazur's graph shows bpkit's gradient and shares (and the first steps of the
    second graph); at z^2_1 the layer view shows the pass stepper's δ² and marks its nodes."""
    g, steps = steps_of(mazur.network(), mazur.X, mazur.Y)
    g.backward()
    with opened(book, path="graphs.html") as o:
        w = o.page.locator(".bpkit-graph").first
        assert w.locator(".bpkit-tick").count() == len(steps) == 41
        for k in walk(w, len(steps)):
            check_step(w, steps, k)
        w.get_by_role("button", name="Reset to the first step").click()
        assert shown(w)["status"] == "Step 1 of 41"
        # the keys keep stepping after the first: a redraw gives the focus back to the figure
        w.locator(".bpkit-gnet").click()
        for key, status in [("ArrowRight", 2), ("ArrowRight", 3), ("ArrowRight", 4), ("End", 41), ("ArrowLeft", 40),
                            ("ArrowLeft", 39), ("Home", 1)]:
            o.page.keyboard.press(key)
            assert shown(w)["status"] == f"Step {status} of 41", key
            assert w.evaluate("root => root.contains(document.activeElement)"), f"the focus left the figure after {key}"
        # the chain rule: its Σ is larger than the text, its range beside it, not under it
        sigma = w.evaluate("""root => { const mo = root.querySelector('.bpkit-eq msub > mo'), sub = mo.nextElementSibling;
            const a = mo.getBoundingClientRect(), b = sub.getBoundingClientRect();
            return { ratio: parseFloat(getComputedStyle(mo).fontSize) / parseFloat(getComputedStyle(mo.closest('math')).fontSize),
                     gap: b.left - a.right }; }""")
        assert sigma["ratio"] >= 1.4 and sigma["gap"] >= -1, sigma
        second = o.page.locator(".bpkit-graph").nth(1)
        _, steps2 = steps_of(SECOND, X2, Y2)
        for k in walk(second, 8):
            check_step(second, steps2, k, digits=4)

        k = next(i for i, st in enumerate(steps) if g.nodes[st["node"]].name == "z^2_1")
        delta2 = bpkit.trace(mazur.network(), mazur.X, mazur.Y).find("backpropagated_error", 2).value("delta^2")
        w.locator(f'.bpkit-tick[data-k="{k}"]').click()
        layer = w.locator(".bpkit-glayer")
        assert "BP2" in layer.inner_text() and "entry (1, 1)" in layer.inner_text()
        link = layer.get_by_role("link", name="step 10 of the pass stepper in chapter 8")
        assert link.get_attribute("href") == "08_worked_example.html#step-through-it"
        cells = [number(c) for c in layer.locator(".bpkit-cell").all_inner_texts()]
        assert np.allclose(cells, delta2.ravel(), atol=0.5e-6, rtol=0)
        button = layer.get_by_role("button")
        assert button.get_attribute("aria-pressed") == "false" and w.locator(".bpkit-gnode.is-group").count() == 0
        button.click()
        marked = w.evaluate("root => [...root.querySelectorAll('.bpkit-gnode.is-group')].map(g => +g.dataset.node)")
        assert sorted(marked) == sorted(i for i, v in enumerate(g.nodes) if v.name in ("z^2_1", "z^2_2"))
        assert w.locator(".bpkit-glayer").get_by_role("button").get_attribute("aria-pressed") == "true"
        assert "purple dotted rings: the nodes of" in w.locator(".bpkit-note").inner_text()
        screenshot(o.page, "graph-stepper-layer-view", element=w)


def test_an_edit_rebuilds_the_graph_and_the_address_keeps_it(book):
    """Edit a weight: every step shows the new graph's numbers; the address holds the edit and
    the step, and a fresh page restores both; then the cost: a graph of another size."""
    net = mazur.network()
    net.w(2)[0, 0] = 0.5
    _, steps = steps_of(net, mazur.X, mazur.Y)
    with opened(book, path="graphs.html") as o:
        w = o.page.locator(".bpkit-graph").first
        w.locator("summary").click()
        train = w.get_by_role("button", name="Train", exact=True)
        train.click()  # no learning rate: the reason shows beside the button, not above the panel
        message = w.locator(".bpkit-train-msg")
        assert "Set the learning rate η first" in message.inner_text()
        below = message.bounding_box()["y"] - (train.bounding_box()["y"] + train.bounding_box()["height"])
        assert 0 <= below < 30, f"the Train message is {below:.0f} px below the button"
        assert shown(w)["status"] == "Step 1 of 41"  # nothing trained
        w.locator('input[data-path="w2"][data-j="0"][data-k="0"]').fill("0.5")
        assert w.locator(".bpkit-edited").is_visible()
        for k in (0, 12, 25, 40, 10):
            w.locator(f'.bpkit-tick[data-k="{k}"]').click()
            check_step(w, steps, k)
        o.page.wait_for_function("/bp-graph1=v:2,s:10,/.test(location.hash)")
        url = o.page.url
        ce = bpkit.Network(net.sizes, cost="cross_entropy", weights=net.weights, biases=net.biases)
        _, steps_ce = steps_of(ce, mazur.X, mazur.Y)
        w.locator('select[data-set="cost"]').select_option("cross_entropy")
        assert w.locator(".bpkit-tick").count() == len(steps_ce) != len(steps)
        for k in (0, 5, len(steps_ce) - 1):
            w.locator(f'.bpkit-tick[data-k="{k}"]').click()
            check_step(w, steps_ce, k)
    with opened(book, path="graphs.html#" + url.split("#", 1)[1]) as o:
        w = o.page.locator(".bpkit-graph").first
        check_step(w, steps, 10)
        assert w.locator(".bpkit-edited").is_visible()
        n2 = len(network_graph(SECOND, X2, Y2).nodes)
        assert o.page.locator(".bpkit-graph").nth(1).locator(".bpkit-status").inner_text() == f"Step 1 of {n2}"


def test_axe_and_svg_contrast_in_both_themes(book):
    with opened(book, path="graphs.html") as o:
        o.page.add_script_tag(path=str(axe_path()))
        for theme in ("light", "dark"):
            o.page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
            for i in range(2):
                w = o.page.locator(".bpkit-graph").nth(i)
                n = w.locator(".bpkit-tick").count()
                for k in (0, n // 2, n - 1):
                    w.locator(f'.bpkit-tick[data-k="{k}"]').click()
                    if k == n // 2:
                        w.locator("summary").evaluate("s => s.parentElement.open = true")
                        if w.locator(".bpkit-glayer button").count():
                            w.locator(".bpkit-glayer button").click()
                    violations = w.evaluate("""async el => (await axe.run(el, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}}))
                        .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ') + ' ' + (n.any[0] || {}).message).join(' | '))""")
                    assert violations == [], f"{theme}, widget {i}, step {k + 1}: {violations}"
                    low = [t for t in w.evaluate(SVG_CONTRAST) if t["ratio"] < 4.5]
                    assert low == [], f"{theme}, widget {i}, step {k + 1}: SVG text below 4.5:1: {low[:5]}"
                    w.locator("summary").evaluate("s => s.parentElement.open = false")
                screenshot(o.page, f"graph-stepper-{theme}-{i}", element=w)


def test_nothing_overflows_next_never_moves_and_print_is_a_table(book):
    _, steps = steps_of(mazur.network(), mazur.X, mazur.Y)
    with opened(book, width=1280, height=900, path="graphs.html") as o:
        w = o.page.locator(".bpkit-graph").first
        every = w.evaluate(SWEEP)  # at 1280 px, every step
        assert [s["k"] for s in every if s["wider"] > 1] == [], "the table of shares is clipped at 1280 px"
        assert [(s["k"], s["covering"]) for s in every if s["covering"]] == [], "labels of the drawing cover one another"
        assert min(s["px"] for s in every) >= 9, "the drawing's numbers are smaller than 9 px at 1280 px"
        for width in (1280, 390):
            o.page.set_viewport_size({"width": width, "height": 900})
            w.locator('.bpkit-tick[data-k="0"]').click()
            where = set()
            for _ in walk(w, 12):
                where.add(tuple(round(v, 1) for v in w.get_by_role("button", name="Next step").evaluate(
                    "b => { const r = b.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY]; }")))
                assert w.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), f"the graph stepper overflows at {width} px"
                seen = w.evaluate("""root => { const box = root.querySelector('.bpkit-gnet').getBoundingClientRect();
                    const node = root.querySelector('.bpkit-gnode.is-now circle').getBoundingClientRect();
                    return node.left >= box.left - 1 && node.right <= box.right + 1; }""")
                assert seen, f"the node reached is scrolled out of view at {width} px ({shown(w)['status']})"
            assert len(where) == 1, f"the Next button moved at {width} px: {sorted(where)}"
            screenshot(o.page, f"graph-stepper-{width}", element=w)
        o.page.set_viewport_size({"width": 900, "height": 1200})
        o.page.emulate_media(media="print")
        assert not w.locator(".bpkit-controls").is_visible() and not w.locator(".bpkit-main").is_visible()
        rows = w.locator(".bpkit-print .bpkit-gprint tbody tr")
        assert rows.count() == len(steps) and rows.nth(len(steps) - 1).is_visible()
        for k in (0, 20, 40):
            cells = rows.nth(k).locator("td").all_inner_texts()
            assert abs(number(cells[2]) - steps[k]["grad"]) <= 0.5e-6
        assert w.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), "the printed table is wider than the figure"
        screenshot(o.page, "graph-stepper-print", full_page=True)
        o.page.emulate_media(media="screen")
