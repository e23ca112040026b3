"""LoopStepper, Python side: its state is trace_loop's, inputs re-trace, bad input is refused."""

from __future__ import annotations

import json

import numpy as np
import pytest

import bpkit
from bpkit.widgets import LoopStepper, trace_loop


def unpack(q: dict) -> np.ndarray:
    return np.array(q["v"], dtype=float).reshape(len(q["r"]), len(q["c"]))


def assert_state_is_loop_trace(stepper: LoopStepper, lt) -> None:
    steps = stepper._data["steps"]
    assert len(steps) == len(lt.steps) == stepper.n_steps
    assert stepper._data["m"] == lt.m and stepper._data["eta"] == lt.eta
    np.testing.assert_array_equal(unpack(stepper._data["X"]), lt.X)
    for got, want in zip(steps, lt.steps):
        assert (got["kind"], got["example"], got["caption"]) == (want.kind, want.example, want.caption)
        assert [q["name"] for q in got["quantities"]] == [q.name for q in want.quantities]
        for g, q in zip(got["quantities"], want.quantities):
            np.testing.assert_array_equal(unpack(g), q.value)
        for g, d in zip(got["Delta_w"] + got["Delta_b"], want.Delta_w + want.Delta_b):
            np.testing.assert_array_equal(unpack(g), d)


def test_state_equals_trace_loop(batch):
    net, X, Y = batch
    s = LoopStepper(net, X, Y, eta=3.0)
    assert_state_is_loop_trace(s, trace_loop(net, X, Y, 3.0))
    assert s.n_steps == 14 and s.trace.m == 4
    kinds = {line["html"].split("<")[0]: line["kinds"] for line in s._data["pseudocode"]}
    assert kinds["1. set "] == ["forward"] and kinds["5. accumulate: "] == ["accumulate"]


def test_step_and_retrace(batch):
    net, X, Y = batch
    s = LoopStepper(net, X, Y, eta=3.0, step=6)
    s.next(); assert s.step == 7
    with pytest.raises(ValueError, match=r"y .* must have shape \(1, 2\); got shape \(1, 4\)"):
        s.X = X[:, :2]                                     # Y has 4 columns: set both at once
    s.retrace(X=X[:, :2], Y=Y[:, :2])
    assert_state_is_loop_trace(s, trace_loop(net, X[:, :2], Y[:, :2], 3.0))
    assert s.step == 7 == s.n_steps - 1                    # 1 + 3·2 + 1 steps now
    s.eta = 0.5
    assert s.trace.eta == 0.5
    s.retrace(X=X, Y=Y)
    assert s.n_steps == 14
    with pytest.raises(ValueError, match="step 14 is out of range: this trace has 14 steps"):
        s.step = 14


def test_bad_arguments(batch):
    net, X, Y = batch
    with pytest.raises(ValueError, match="at most 12 columns; X has 13"):
        LoopStepper(net, np.zeros((2, 13)), np.zeros((1, 13)), eta=1.0)
    with pytest.raises(ValueError, match=r"y \(the target for a\^3.*must have shape \(1, 4\); got shape \(2, 4\)"):
        LoopStepper(net, X, np.zeros((2, 4)), eta=1.0)
    with pytest.raises(ValueError, match="non-finite value inf"):
        LoopStepper(net, X, np.full((1, 4), np.inf), eta=1.0)
    with pytest.raises(ValueError, match="learning rate η must be a positive number"):
        LoopStepper(net, X, Y, eta=-1.0)
    s = LoopStepper(net, X, Y, eta=1.0)
    data = json.dumps(s._data)
    with pytest.raises(ValueError):
        s.X = np.zeros((3, 4))
    assert json.dumps(s._data) == data


def test_static_html_embeds_the_state(batch):
    net, X, Y = batch
    s = LoopStepper(net, X, Y, eta=3.0)
    page = s._repr_mimebundle_()[0]["text/html"]
    assert "http" not in page and 'data-bpkit-part="widgets/loop_stepper.js"' in page
    embedded = page.split('<script type="application/json"', 1)[1].split(">", 1)[1].split("</script>", 1)[0]
    state = json.loads(embedded)
    assert state == json.loads(json.dumps(s.static_state()))
    # the pseudocode and labels (MathML made in Python), not the steps: the page computes those
    assert set(state["_data"]) == {"pseudocode", "delta_w_labels", "delta_b_labels", "m"} and state["_base"]["eta"] == 3.0
