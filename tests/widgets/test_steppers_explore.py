"""The steppers a reader can play with, in a built Jupyter Book, in headless Chromium, network blocked.

One small book shows chapter 7's two steppers and chapter 8's (Mazur's). In the page, with no
kernel: edit x and step to the end (every number shown is bpkit's trace of the edited values);
the Next button never moves between steps (1280 and 390 px); axe-core finds no WCAG 2 A/AA
violation inside a widget at any step (light and dark theme), and the SVG text, which axe skips,
is measured here; the address restores "this network, at this step"; print media shows every
step; a click redraws at once (its script time is recorded, not asserted). Screenshots go to test-artifacts/screenshots/.

axe-core is not committed: ``make test`` installs it with npm (package.json) into
node_modules/ (ignored); tests/helpers/axe.py finds it, and fails the test when it is missing.
"""

from __future__ import annotations

import json
import statistics
import textwrap
from pathlib import Path

import numpy as np
import pytest

import bpkit
from bpkit import mazur
from bpkit.widgets import trace_loop
from helpers.browser import REPO, open_page, screenshot, serve
from helpers.axe import axe_path
from helpers.pages import build_book, myst_page
from test_widgets_browser import CONFIG, number, shown_quantities

pytestmark = pytest.mark.browser

PAGE = myst_page(textwrap.dedent("""
    # Steppers

    ```{code-cell} ipython3
    import numpy as np
    import bpkit
    from bpkit.widgets import PassStepper, LoopStepper

    net = bpkit.Network([3, 4, 2], seed=0)
    x = np.array([[0.9], [0.1], [-0.4]])
    y = np.array([[1.0], [0.0]])
    PassStepper(net, x, y, eta=0.5)
    ```

    ```{code-cell} ipython3
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 3))
    Y = np.eye(2)[:, [0, 1, 0]]
    LoopStepper(net, X, Y, eta=0.5)
    ```

    ```{code-cell} ipython3
    PassStepper.mazur()
    ```
""")).lstrip()

NET = bpkit.Network([3, 4, 2], seed=0)
X1, Y1 = np.array([[0.9], [0.1], [-0.4]]), np.array([[1.0], [0.0]])
XB = np.random.default_rng(0).normal(size=(3, 3))
YB = np.eye(2)[:, [0, 1, 0]]


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("stepper-book")
    return build_book(root, "steppers", PAGE, CONFIG)


def opened(book, width=1280, height=1000, path="steppers.html"):
    return open_page_ready(book, width, height, path)


class open_page_ready:
    """serve + open_page + wait for the widgets; the page report must be clean at the end."""

    def __init__(self, book, width, height, path):
        self.args = (book, width, height, path)

    def __enter__(self):
        book, width, height, path = self.args
        self._serve = serve(book)
        base = self._serve.__enter__()
        self.base = base
        self._page = open_page(base, path, width=width, height=height)
        self.page, self.report = self._page.__enter__()
        self.page.wait_for_selector('[data-bpkit-ready="true"] .bpkit-w')
        return self

    def __exit__(self, *exc):
        self._page.__exit__(*exc)
        self._serve.__exit__(*exc)
        if exc[0] is None:
            self.report.assert_clean()


def walk(w, n_steps):
    """Yield k = 0..n−1, clicking Next between steps."""
    for k in range(n_steps):
        yield k
        if k < n_steps - 1:
            w.get_by_role("button", name="Next step").click()


def assert_close(text: str, value: float, digits: int, what: str) -> None:
    assert abs(number(text) - value) <= 0.5 * 10 ** -digits + 1e-9, f"{what}: page shows {text}, bpkit has {value!r}"


def test_edit_x_then_every_number_is_bpkits(book):
    """Type a new x_1 and a new w^3_12 in the page, step to the end: every number shown (the
    gradients included) is bpkit's trace of the edited network, to the 3 decimals shown."""
    with opened(book) as o:
        page = o.page
        w = page.locator(".bpkit-pass").first
        w.locator("summary").click()
        w.locator('input[data-path="x"][data-j="0"]').fill("2.5")
        w.locator('input[data-path="w3"][data-j="0"][data-k="1"]').fill("-1.25")
        assert w.locator(".bpkit-edited").is_visible()
        net = NET.copy()
        net.w(3)[0, 1] = -1.25
        x = X1.copy()
        x[0, 0] = 2.5
        tr = bpkit.trace(net, x, Y1, eta=0.5)
        assert w.locator(".bpkit-status").inner_text() == f"Step 1 of {len(tr.steps)}"
        seen_gradients = 0
        for k in walk(w, len(tr.steps)):
            step = tr.steps[k]
            shown = shown_quantities(w)
            assert [q["name"] for q in shown] == [q.name for q in step.inputs + step.outputs]
            for q in shown:
                value = step.value(q["name"])
                for r, c, text in q["cells"]:
                    assert_close(text, value[r, c], 3, f"step {k + 1}, {q['name']}[{r}, {c}]")
                seen_gradients += q["name"].startswith("dC/d")
        assert seen_gradients >= 8  # BP3 and BP4 of both layers, and the update's inputs
        screenshot(page, "stepper-edited-last-step", element=w)
        # Reset returns to the network the page built
        w.get_by_role("button", name="Restore the page's network").click()
        assert not w.locator(".bpkit-edited").is_visible()
        assert w.locator('input[data-path="x"][data-j="0"]').input_value() == "0.9"


def test_edit_loop_and_activation(book):
    """The loop stepper recomputes the mini-batch after an edit of X and of the activation."""
    with opened(book) as o:
        w = o.page.locator(".bpkit-loop")
        w.locator("summary").click()
        w.locator('input[data-path="x"][data-j="1"][data-k="2"]').fill("0.75")
        w.locator('select[data-set="activation"]').select_option("tanh")
        net = bpkit.Network([3, 4, 2], seed=0, activation="tanh", output_activation="sigmoid")
        X = XB.copy()
        X[1, 2] = 0.75
        lt = trace_loop(net, X, YB, 0.5)
        for k in walk(w, len(lt.steps)):
            values = {q.name: q.value for q in lt.steps[k].quantities}
            for q in shown_quantities(w):
                for r, c, text in q["cells"]:
                    assert_close(text, values[q["name"]][r, c], 3, f"loop step {k + 1}, {q['name']}")
        # the loop stepper draws the network too; at the update step, the new weights are marked
        assert w.locator(".bpkit-net .bpkit-edge.is-now").count() > 0


def test_mazur_speaks_his_language_and_keeps_his_biases(book):
    with opened(book) as o:
        w = o.page.locator(".bpkit-pass").nth(1)
        tr = bpkit.trace(mazur.network(), mazur.X, mazur.Y, eta=mazur.ETA)
        n = len(tr.steps)
        w.locator('.bpkit-tick[data-k="1"]').click()
        assert "net_h1 = w1" in w.locator(".bpkit-main .bpkit-words").inner_text()
        names = w.locator(".bpkit-values .bpkit-cname").all_text_contents()
        assert {"w1", "w2", "w3", "w4", "net_h1", "net_h2"} <= set(names)
        w.locator(f'.bpkit-tick[data-k="{n - 2}"]').click()          # the update of layer 3
        cells = {q["name"]: q["cells"] for q in shown_quantities(w)}
        w5 = [t for r, c, t in cells["w^3 new"] if (r, c) == (0, 0)][0]
        assert w5 == "0.358916480" and mazur.PUBLISHED["w5+"] == "0.35891648"   # nine decimals, his number
        assert [t for _, _, t in cells["b^3 new"]] == ["0.600000000", "0.600000000"]  # his biases stay
        assert "E_total" in w.locator(".bpkit-svg").inner_html()
        screenshot(o.page, "stepper-mazur-update", element=w)


def test_nudge_and_train(book):
    with opened(book) as o:
        w = o.page.locator(".bpkit-pass").first
        w.locator("summary").click()
        w.locator('select[data-nudge="which"]').select_option(index=1)      # w^2_12
        w.locator('input[data-nudge="delta"]').fill("0.01")
        rows = w.locator(".bpkit-nudge tbody tr")
        assert rows.count() == 5
        # bpkit's numbers: ΔC measured by a new forward pass, and backprop's prediction
        _, nabla_w = NET.backprop(X1, Y1)
        g = nabla_w[0][0, 1]
        nudged = NET.copy()
        nudged.w(2)[0, 1] += 0.01
        measured = nudged.cost.fn(nudged.feedforward(X1), Y1) - NET.cost.fn(NET.feedforward(X1), Y1)
        cells = rows.nth(2).locator("td").all_text_contents()
        assert cells[0] == "0.01"
        assert abs(number(cells[1].replace("\u00D710", "e").translate(SUPER)) - measured) <= 5e-4 * abs(measured)
        assert abs(number(cells[2].replace("\u00D710", "e").translate(SUPER)) - g * 0.01) <= 5e-4 * abs(g * 0.01)
        # training: the cost falls, and Rewind restores the first weights
        w.locator('input[data-train="n"]').fill("30")
        w.get_by_role("button", name="Train").click()
        caption = w.locator(".bpkit-train-out figcaption").inner_text()
        assert "after 30 steps" in caption
        net = NET.copy()
        for _ in range(30):
            nb, nw = net.backprop(X1, Y1)
            for p, d in zip(net.weights + net.biases, nw + nb):
                p -= 0.5 * d
        final = net.cost.fn(net.feedforward(X1), Y1)
        assert f"\u2192 {float(f'{final:.4g}')}" in caption.replace("\u2212", "-")
        screenshot(o.page, "stepper-nudge-train", element=w)
        w.get_by_role("button", name="Rewind to the first weights").click()
        assert w.locator('input[data-path="w2"][data-j="0"][data-k="0"]').input_value() == str(float(f"{NET.w(2)[0, 0]:.6g}"))


SUPER = str.maketrans("\u207B\u2070\u00B9\u00B2\u00B3\u2074\u2075\u2076\u2077\u2078\u2079", "-0123456789")


# Every value written in a neuron lies inside its circle (the corners of its text's box).
LABELS_OUTSIDE = """root => {
  const out = [];
  for (const g of root.querySelectorAll('.bpkit-net g.bpkit-neuron')) {
    const c = g.querySelector('circle'), r = +c.getAttribute('r'), cx = +c.getAttribute('cx'), cy = +c.getAttribute('cy');
    for (const t of g.querySelectorAll('text')) {
      const b = t.getBBox();
      for (const [x, y] of [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]])
        if ((x - cx) ** 2 + (y - cy) ** 2 > r * r + 0.5) { out.push(t.textContent); break; }
    }
  }
  return out;
}"""

# Every number box shows its whole value.
BOXES_CUT = """root => [...root.querySelectorAll('input.bpkit-in')].filter((i) => i.scrollWidth > i.clientWidth + 1).map((i) => i.value)"""


@pytest.mark.parametrize("width", [1280, 390])
def test_next_button_never_moves(book, width):
    """The Next button stays put from step to step; the values stay inside their neurons (nine
    decimals in Mazur's figure) and every number box of the editing panel shows its value."""
    with opened(book, width=width, height=900) as o:
        for i, cls in enumerate([".bpkit-pass", ".bpkit-loop", ".bpkit-pass"]):
            w = o.page.locator(cls).nth(1 if i == 2 else 0)
            n = w.locator(".bpkit-tick").count()
            w.locator("summary").click()
            assert w.evaluate(BOXES_CUT) == [], f"widget {i}: number boxes too narrow at {width} px"
            where = set()
            for _ in walk(w, n):
                assert w.evaluate(LABELS_OUTSIDE) == [], f"widget {i}: values outside their neurons"
                where.add(tuple(round(v, 1) for v in w.get_by_role("button", name="Next step").evaluate(
                    "b => { const r = b.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY]; }")))
            assert len(where) == 1, f"widget {i}: the Next button moved between steps at {width} px: {sorted(where)}"
            # and nothing in the widget is wider than the widget
            assert w.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), f"widget {i} overflows at {width} px"
        for i in range(3):
            screenshot(o.page, f"stepper-{width}-widget{i}", element=o.page.locator(".bpkit-w").nth(i))


SVG_CONTRAST = """root => {
  const rgb = (s) => { const m = s.match(/[\\d.]+/g); return m ? m.slice(0, 4).map(Number) : null; };
  const lum = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, a, bottom) => top.map((c, i) => c * a + bottom[i] * (1 - a));
  const card = rgb(getComputedStyle(root).backgroundColor);
  const out = [];
  for (const t of root.querySelectorAll('svg text')) {
    const box = t.getBoundingClientRect();
    if (!box.width || !t.textContent.trim() || t.textContent.trim() === '\\u200B') continue;
    const fill = rgb(getComputedStyle(t).fill);
    const stack = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2)
      .filter(e => e !== t && !t.contains(e) && root.contains(e) && e instanceof SVGGeometryElement).reverse();
    let bg = card;
    for (const e of stack) {
      const cs = getComputedStyle(e);
      if (cs.fill === 'none' || !rgb(cs.fill)) continue;
      const c = rgb(cs.fill);
      bg = over(c.slice(0, 3), (c[3] ?? 1) * Number(cs.fillOpacity) * Number(cs.opacity), bg);
    }
    const [a, b] = [lum(fill), lum(bg)].sort((p, q) => q - p);
    out.push({ text: t.textContent.trim(), ratio: (a + 0.05) / (b + 0.05), fill: fill.join(','), bg: bg.map(Math.round).join(',') });
  }
  return out;
}"""


# Every step of the first three widgets, in the page itself: axe (violations only: collecting
# every passing node is most of its time) and the SVG text's contrast at each step, clicking
# Next between steps, the edit panel opened at the first, middle and last step. Started without
# waiting (the result lands in window.bpSweep), so that two pages, one per theme, sweep at once
# on two cores.
SWEEP = """(contrastSource) => {
  const contrast = eval(contrastSource);
  window.bpSweep = (async () => {
    const out = { violations: [], low: [], worst: 21, steps: 0 };
    const widgets = Array.from(document.querySelectorAll('.bpkit-w')).slice(0, 3);
    for (const [i, w] of widgets.entries()) {
      const n = w.querySelectorAll('.bpkit-tick').length;
      const panel = w.querySelector('summary') && w.querySelector('summary').parentElement;
      for (let k = 0; k < n; k += 1) {
        const edges = k === 0 || k === Math.floor(n / 2) || k === n - 1;
        if (edges && panel) panel.open = true;
        const r = await axe.run(w, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
        for (const v of r.violations) {
          out.violations.push(`widget ${i}, step ${k + 1}: ${v.id}: ` + v.nodes.map(n => n.target.join(' ') + ' ' + (n.any[0] || {}).message).join(' | '));
        }
        for (const t of contrast(w)) {
          if (t.ratio < 4.5) out.low.push({ widget: i, step: k + 1, ...t });
          out.worst = Math.min(out.worst, t.ratio);
        }
        if (edges && panel) panel.open = false;
        if (k < n - 1) w.querySelector('button[aria-label="Next step"]').click();
        out.steps += 1;
      }
    }
    return out;
  })();
}"""


def test_axe_and_svg_contrast_at_every_step(book):
    """Both themes at once, in two pages; each page walks every step of its three widgets."""
    with opened(book, width=1280, height=1000) as light, opened(book, width=1280, height=1000) as dark:
        dark.page.evaluate("document.documentElement.dataset.theme = 'dark'")
        pages = {"light": light.page, "dark": dark.page}
        for page in pages.values():
            page.add_script_tag(path=str(axe_path()))
            page.evaluate(SWEEP, SVG_CONTRAST)  # starts the sweep and returns at once
        found = {theme: page.evaluate("window.bpSweep") for theme, page in pages.items()}
        steps = sum(light.page.locator(".bpkit-w").nth(i).locator(".bpkit-tick").count() for i in range(3))
        for theme, out in found.items():
            assert out["steps"] == steps, f"{theme}: {out['steps']} of the {steps} steps were checked"
            assert out["violations"] == [], f"{theme}: {out['violations'][:5]}"
            assert out["low"] == [], f"{theme}: SVG text below 4.5:1: {out['low'][:5]}"
            print(f"{theme}: {out['steps']} steps, lowest SVG text contrast {out['worst']:.2f}:1")
        for theme, page in pages.items():
            for i in range(3):
                screenshot(page, f"stepper-{theme}-widget{i}", element=page.locator(".bpkit-w").nth(i))


def test_address_round_trip(book):
    """Edit a weight, go to step 6 with 5 decimals: the address holds it, and opening that
    address in a fresh browser restores the same network at the same step."""
    net = NET.copy()
    net.w(2)[1, 2] = 0.5
    tr = bpkit.trace(net, X1, Y1, eta=0.5)
    with opened(book) as o:
        w = o.page.locator(".bpkit-pass").first
        w.locator("summary").click()
        w.locator('input[data-path="w2"][data-j="1"][data-k="2"]').fill("0.5")
        w.locator('select[data-set="digits"]').select_option("5")
        w.locator('.bpkit-tick[data-k="5"]').click()
        o.page.locator(".bpkit-loop").get_by_role("button", name="Next step").click()
        o.page.wait_for_function("location.hash.includes('bp-loop1=v:2,') && /bp-pass1=v:2,s:5,d:5,c:/.test(location.hash)")
        url = o.page.url
    assert "#" in url and "bp-pass1=" in url and "bp-loop1=" in url
    with opened(book, path="steppers.html#" + url.split("#", 1)[1]) as o:
        w = o.page.locator(".bpkit-pass").first
        assert w.locator(".bpkit-status").inner_text() == f"Step 6 of {len(tr.steps)}"
        assert o.page.locator(".bpkit-loop .bpkit-status").inner_text().startswith("Step 2 of")
        assert o.page.locator(".bpkit-pass").nth(1).locator(".bpkit-status").inner_text().startswith("Step 1 of")
        step = tr.steps[5]
        for q in shown_quantities(w):
            for r, c, text in q["cells"]:
                assert len(text.split(".")[1]) == 5
                assert_close(text, step.value(q["name"])[r, c], 5, q["name"])
        assert w.locator(".bpkit-edited").is_visible()
        w.locator("summary").click()
        assert w.locator('input[data-path="w2"][data-j="1"][data-k="2"]').input_value() == "0.5"


def test_print_media_shows_every_step(book):
    with opened(book, width=900, height=1200) as o:
        page = o.page
        page.emulate_media(media="print")
        for i, w in enumerate(page.locator(".bpkit-w").all()):
            assert not w.locator(".bpkit-controls").is_visible()
            assert not w.locator(".bpkit-main").is_visible()
            n = w.locator(".bpkit-tick").count()
            items = w.locator(".bpkit-print .bpkit-pstep")
            assert items.count() == n and items.nth(n - 1).is_visible()
            assert items.nth(n - 1).locator(".bpkit-peq math").count() == 1
            assert items.nth(n - 1).locator(".bpkit-cell").count() > 0
        screenshot(page, "stepper-print", full_page=True)
        page.emulate_media(media="screen")


def test_a_click_redraws_at_once_and_its_time_is_recorded(book):
    """One click on Next redraws the figure synchronously, in its click handler: right after
    ``click()`` returns, the status already names the next step. The script time of each click
    is recorded (test-artifacts/click-ms.json) and printed, not asserted: speed is measured,
    never a pass/fail bound on a shared machine (the issue's target is one frame, 16 ms).

    Each step is visited three times and its best time kept (a visit may be pre-empted)."""
    with opened(book) as o:
        report = {}
        for i, name in enumerate(["pass", "loop", "mazur"]):
            w = o.page.locator(".bpkit-w").nth(i)
            result = w.evaluate("""root => {
                const next = root.querySelector('[data-act="next"]'), reset = root.querySelector('[data-act="reset"]');
                const status = root.querySelector('.bpkit-status');
                const n = root.querySelectorAll('.bpkit-tick').length, best = Array(n - 1).fill(Infinity), late = [];
                for (let round = 0; round < 3; round += 1) {
                    reset.click();
                    for (let k = 1; k < n; k += 1) {
                        const t0 = performance.now(); next.click(); best[k - 1] = Math.min(best[k - 1], performance.now() - t0);
                        if (!status.textContent.startsWith(`Step ${k + 1} of ${n}`)) late.push([k, status.textContent]);
                    }
                }
                return {best, late}; }""")
            assert result["late"] == [], f"{name}: the status did not follow the click at once: {result['late'][:3]}"
            times = result["best"]
            report[name] = {"median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2),
                            "steps": len(times) + 1}
        print("ms of script per click on Next (best of 3 per step):", report)
        ARTIFACTS = REPO / "test-artifacts"
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "click-ms.json").write_text(json.dumps(report, indent=2) + "\n")
