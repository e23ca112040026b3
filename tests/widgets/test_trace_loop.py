"""trace_loop: Ng's per-example loop, checked against the library's other ways to get the sums."""

from __future__ import annotations

import numpy as np
import pytest

import bpkit
from bpkit.train import update_mini_batch_matrix
from bpkit.widgets import trace_loop


def test_steps_follow_the_pseudocode(batch):
    net, X, Y = batch
    lt = trace_loop(net, X, Y, eta=3.0)
    m = X.shape[1]
    assert lt.m == m == 4 and len(lt) == 1 + 3 * m + 1
    kinds = [s.kind for s in lt.steps]
    assert kinds == ["init"] + ["forward", "backward", "accumulate"] * m + ["update"]
    assert [s.example for s in lt.steps] == [None] + [i for i in range(1, m + 1) for _ in range(3)] + [None]
    assert [s.index for s in lt.steps] == list(range(len(lt)))


def test_sums_grow_to_the_matrix_form_sums(batch):
    """After example i, Δ holds Σ over the first i examples: the matrix form (BP3 and BP4 of the
    first i columns at once, Network.backprop) gives the same sums by another path."""
    net, X, Y = batch
    lt = trace_loop(net, X, Y, eta=3.0)
    for s in lt.steps:
        i = 0 if s.kind == "init" else X.shape[1] if s.kind == "update" else s.example - (s.kind != "accumulate")
        if i == 0:
            assert all(not d.any() for d in s.Delta_w + s.Delta_b)
            continue
        nabla_b, nabla_w = net.backprop(X[:, :i], Y[:, :i])
        for got, want in zip(s.Delta_w + s.Delta_b, nabla_w + nabla_b):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_each_example_is_bpkit_trace_of_its_column(batch):
    net, X, Y = batch
    lt = trace_loop(net, X, Y, eta=3.0)
    for i, tr in enumerate(lt.traces):
        direct = bpkit.trace(net, X[:, [i]], Y[:, [i]])
        assert tr.cost_value == direct.cost_value
        for a, b in zip(tr.nabla_w, direct.nabla_w):
            np.testing.assert_array_equal(a, b)
        # the backward step shows this example's gradients, the forward step its output and cost
        fwd, bwd = lt.steps[1 + 3 * i], lt.steps[2 + 3 * i]
        np.testing.assert_array_equal([q.value for q in fwd.quantities if q.name == "C_x"][0], [[direct.cost_value]])
        np.testing.assert_array_equal([q.value for q in bwd.quantities if q.name == "dC/dw^2"][0], direct.nabla_w[0])


def test_update_is_eta_over_m_times_the_sums(batch):
    net, X, Y = batch
    eta, m = 3.0, X.shape[1]
    w_before = [w.copy() for w in net.weights]
    lt = trace_loop(net, X, Y, eta)
    for w, dw, new in zip(lt.weights, lt.Delta_w, lt.new_weights):
        np.testing.assert_allclose(new, w - eta / m * dw, rtol=1e-12, atol=1e-15)
    for b, db, new in zip(lt.biases, lt.Delta_b, lt.new_biases):
        np.testing.assert_allclose(new, b - eta / m * db, rtol=1e-12, atol=1e-15)
    # the matrix form of the same update lands on the same parameters
    other = net.copy()
    update_mini_batch_matrix(other, X, Y, eta)
    for a, b in zip(lt.new_weights + lt.new_biases, other.weights + other.biases):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    # and the network traced is left alone
    for a, b in zip(net.weights, w_before):
        np.testing.assert_array_equal(a, b)


def test_one_update_lowers_the_cost_with_a_small_step(batch):
    net, X, Y = batch
    lt = trace_loop(net, X, Y, eta=0.5)
    after = bpkit.Network(net.sizes, weights=lt.new_weights, biases=lt.new_biases)
    assert after.cost_value(X, Y) < net.cost_value(X, Y)


def test_bad_arguments(batch):
    net, X, Y = batch
    with pytest.raises(ValueError, match=r"y \(the target for a\^3.*\) must have shape \(1, 4\); got shape \(1, 3\)"):
        trace_loop(net, X, Y[:, :3], 1.0)
    with pytest.raises(ValueError, match=r"x \(the input a\^1, 2 neurons\) has a non-finite value nan at row 0, column 2"):
        trace_loop(net, np.where(np.arange(8).reshape(2, 4) == 2, np.nan, X), Y, 1.0)
    with pytest.raises(TypeError, match="learning rate η must be a number; got None"):
        trace_loop(net, X, Y, None)
    with pytest.raises(ValueError, match="learning rate η must be a positive number; got 0"):
        trace_loop(net, X, Y, 0)
    with pytest.raises(TypeError, match="trace_loop needs a bpkit.Network"):
        trace_loop("net", X, Y, 1.0)
