"""PassStepper, Python side: its state is bpkit's trace, inputs re-trace, bad input is refused."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import bpkit
from bpkit.widgets import _bundle
from bpkit.widgets import PassStepper
from bpkit.widgets._format import MAX_SHOWN, shown


def unpack(q: dict) -> np.ndarray:
    """A packed quantity of the widget state back to an array (the kept rows and columns)."""
    return np.array(q["v"], dtype=float).reshape(len(q["r"]), len(q["c"]))


def assert_state_is_trace(stepper: PassStepper, tr: bpkit.Trace) -> None:
    steps = stepper._data["steps"]
    assert len(steps) == len(tr.steps) == stepper.n_steps
    for got, want in zip(steps, tr.steps):
        assert (got["kind"], got["layer"], got["phase"], got["equation"], got["caption"]) == (
            want.kind, want.layer, want.phase, want.equation, want.caption)
        for side in ("inputs", "outputs"):
            qs = getattr(want, side)
            assert [q["name"] for q in got[side]] == [q.name for q in qs]
            for g, q in zip(got[side], qs):
                assert g["shape"] == list(q.value.shape)
                np.testing.assert_array_equal(unpack(g), q.value[np.ix_(g["r"], g["c"])])


def test_state_equals_trace(net, xy):
    x, y = xy
    s = PassStepper(net, x, y, eta=0.5)
    tr = bpkit.trace(net, x, y, eta=0.5)
    assert_state_is_trace(s, tr)
    assert s._data["sizes"] == [2, 3, 2]
    # the trace the widget exposes is bpkit's: its gradient is Network.backprop's
    nabla_b, nabla_w = net.backprop(x, y)
    for got, want in zip(s.trace.nabla_w + s.trace.nabla_b, nabla_w + nabla_b):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_every_step_has_mathml_and_no_latex_left(net, xy):
    s = PassStepper(net, *xy, eta=0.5)
    for st in s._data["steps"]:
        assert st["mathml"].startswith('<math display="block">') and st["mathml"].endswith("</math>")
        assert "\\" not in st["mathml"], st["mathml"]          # every LaTeX command was converted
        for q in st["inputs"] + st["outputs"]:
            assert "<math" in q["label"] and "\\" not in q["label"]


def test_step_read_and_set(net, xy):
    s = PassStepper(net, *xy)
    assert s.step == 0
    s.step = 4
    assert s.step == 4 and s.trace.steps[4].kind == "activation"
    s.next(); assert s.step == 5
    s.previous(); s.previous(); assert s.step == 3
    s.reset(); assert s.step == 0
    s.previous(); assert s.step == 0
    s.step = s.n_steps - 1
    s.next(); assert s.step == s.n_steps - 1
    assert f"step {s.n_steps} of {s.n_steps}" in repr(s)


@pytest.mark.parametrize("bad", [-1, 12, 100])
def test_step_out_of_range(net, xy, bad):
    s = PassStepper(net, *xy)   # a^1; z^2, a^2, z^3, a^3; C_x; BP1, BP3, BP4 (l=3); BP2, BP3, BP4 (l=2)
    assert s.n_steps == 12
    with pytest.raises(ValueError, match=rf"step {bad} is out of range: this trace has 12 steps, numbered 0 to 11"):
        s.step = bad
    assert s.step == 0
    with pytest.raises(ValueError, match="out of range"):
        PassStepper(net, *xy, step=12)


@pytest.mark.parametrize("bad", [1.5, "2", None, True])
def test_step_must_be_whole_number(net, xy, bad):
    s = PassStepper(net, *xy)
    with pytest.raises(TypeError, match="step must be a whole number from 0 to 11"):
        s.step = bad


def test_setting_inputs_retraces(net, xy):
    x, y = xy
    s = PassStepper(net, x, y, step=5)
    x2, y2 = np.array([[2.0], [0.25]]), np.array([[0.0], [1.0]])
    s.x = x2
    assert_state_is_trace(s, bpkit.trace(net, x2, y))
    assert s.step == 5                                     # same step, new numbers
    s.y = y2
    assert_state_is_trace(s, bpkit.trace(net, x2, y2))
    s.eta = 0.1
    assert_state_is_trace(s, bpkit.trace(net, x2, y2, eta=0.1))
    assert s.n_steps == 14                                  # and the update of layers 3 and 2
    other = bpkit.Network([2, 3, 2], activation="tanh", seed=7)
    s.net = other
    assert_state_is_trace(s, bpkit.trace(other, x2, y2, eta=0.1))
    # a new shape needs the network, x and y at once
    bigger = bpkit.Network([3, 4, 4, 1], seed=3)
    x3, y3 = np.ones((3, 1)), np.zeros((1, 1))
    s.step = 13
    s.retrace(net=bigger, x=x3, y=y3, eta=None)
    assert_state_is_trace(s, bpkit.trace(bigger, x3, y3))
    assert s.n_steps == 1 + 6 + 1 + 3 + 3 + 3
    s.step = 16
    s.retrace(net=net, x=x2, y=y2)
    assert s.step == s.n_steps - 1 == 11                   # clamped to the new last step


def test_retrace_after_training_in_place(net, xy):
    s = PassStepper(net, *xy)
    before = s.trace.cost_value
    bpkit.sgd(net, (np.hstack([xy[0]] * 4), np.hstack([xy[1]] * 4)), epochs=3, mini_batch_size=2, eta=1.0, progress=False)
    s.retrace()
    assert s.trace.cost_value == pytest.approx(bpkit.trace(net, *xy).cost_value, rel=1e-12)
    assert s.trace.cost_value < before                     # training on this example lowered its cost


def test_failed_retrace_leaves_the_widget_as_it_was(net, xy):
    s = PassStepper(net, *xy, step=3)
    data = json.dumps(s._data)
    with pytest.raises(ValueError, match=r"x \(the input a\^1, 2 neurons\) must have shape \(2, m\); got shape \(3, 1\)"):
        s.x = np.ones((3, 1))
    with pytest.raises(ValueError):
        s.net = bpkit.Network([3, 2], seed=0)              # x no longer fits
    assert json.dumps(s._data) == data and s.step == 3 and s.net is net


def test_bad_arguments(net, xy):
    x, y = xy
    with pytest.raises(TypeError, match="PassStepper needs a bpkit.Network as net; got list"):
        PassStepper([2, 3, 2], x, y)
    with pytest.raises(ValueError, match=r"y \(the target for a\^3.*must have shape \(2, 1\); got shape \(3, 1\)"):
        PassStepper(net, x, np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"1-D array of shape \(2,\): use x.reshape\(-1, 1\)"):
        PassStepper(net, np.array([0.5, -1.0]), y)
    with pytest.raises(ValueError, match=r"x .* has a non-finite value nan at row 1, column 0"):
        PassStepper(net, np.array([[0.5], [np.nan]]), y)
    with pytest.raises(ValueError, match=r"y .* has a non-finite value inf at row 0, column 0"):
        PassStepper(net, x, np.array([[np.inf], [0.0]]))
    with pytest.raises(ValueError, match=r"traces one example: x must be one column of shape \(2, 1\); got shape \(2, 3\). Use LoopStepper"):
        PassStepper(net, np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="learning rate η must be a positive number; got -0.1"):
        PassStepper(net, x, y, eta=-0.1)
    with pytest.raises(ValueError, match="learning rate η must be a positive number; got nan"):
        PassStepper(net, x, y, eta=float("nan"))
    with pytest.raises(TypeError, match="learning rate η must be a number; got '0.1'"):
        PassStepper(net, x, y, eta="0.1")
    with pytest.raises(ValueError, match="digits .* from 0 to 9; got 12"):
        PassStepper(net, x, y, digits=12)


def test_large_layers_are_summarised(xy):
    big = bpkit.Network([784, 30, 10], seed=0)
    x = np.random.default_rng(0).random((784, 1))
    y = np.eye(10)[:, [3]]
    s = PassStepper(big, x, y)
    assert s._data["shown"] == [shown(784), shown(30), shown(10)] == [[0, 1, 2, 782, 783], [0, 1, 2, 28, 29], [0, 1, 2, 8, 9]]
    w2 = s._data["steps"][1]["inputs"][0]                   # w^2 of z^2 = w^2 a^1 + b^2: 30 × 784
    assert w2["name"] == "w^2" and w2["shape"] == [30, 784]
    assert len(w2["r"]) <= MAX_SHOWN and len(w2["c"]) <= MAX_SHOWN
    np.testing.assert_array_equal(unpack(w2), big.w(2)[np.ix_(w2["r"], w2["c"])])
    assert len(json.dumps(s._data)) < 60_000               # not the 23 520 weights


def test_mimebundle_has_live_view_and_static_html(net, xy):
    s = PassStepper(net, *xy, eta=0.5, step=2)
    data, _ = s._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == s.model_id
    assert data["text/plain"] == repr(s)
    page = data["text/html"]
    # the same modules as the live ES module, as parts, and the state embedded as JSON
    assert s._esm.rstrip().endswith('export default __bp["widgets/pass_stepper.js"].default;')
    for path, script in _bundle.static_parts("widgets/pass_stepper.js"):
        assert f'data-bpkit-part="{path}"' in page and script in page
    uid = re.search(r'<div class="bpkit-static" id="(bpkit-[0-9a-f]{12})"', page).group(1)
    state = json.loads(re.search(rf'<script type="application/json" id="{uid}-state">(.*?)</script>', page, re.S).group(1))
    assert state == json.loads(json.dumps(s.static_state()))
    # the inputs, not the trace: the page traces them (the engine, held to bpkit by the parity tests)
    assert state["step"] == 2 and state["_data"] == {} and state["_base"]["net"]["sizes"] == [2, 3, 2]
    # no URL of any kind, so nothing can be fetched
    assert not re.search(r"(?i)\b(?:https?|ftp|wss?):|\bsrc=|\bhref=|@import|url\((?!#)", page)
    # several copies on one page do not collide: a fresh id each time
    assert s.to_html() != s.to_html()


def test_module_never_closes_its_script_element(net, xy):
    page = PassStepper(net, *xy).to_html()
    modules = re.findall(r'<script type="module"[^>]*>(.*?)</script>', page, re.S)
    assert len(modules) == len(_bundle.static_parts("widgets/pass_stepper.js"))
    for module in modules:
        assert "</script" not in module.lower() and "<!--" not in module
