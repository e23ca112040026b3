"""The trace records exactly what backprop computes, in the book's order, as plain data."""

import json

import numpy as np
import pytest

import bpkit


@pytest.mark.parametrize("sizes, act, out, cost", [
    ([2, 2, 2], "sigmoid", None, "quadratic"),
    ([3, 4, 3, 2], "tanh", "softmax", "log_likelihood"),
    ([3, 2, 4, 3, 2], "relu", "softmax", "quadratic"),
    ([2, 3, 1], "sigmoid", "sigmoid", "cross_entropy"),
])
def test_trace_gradients_equal_backprop(sizes, act, out, cost, rng):
    net = bpkit.Network(sizes, activation=act, output_activation=out, cost=cost, seed=1)
    x = rng.normal(size=(sizes[0], 1))
    y = bpkit.one_hot(np.array([1]), sizes[-1]) if sizes[-1] > 1 else np.array([[0.3]])
    t = bpkit.trace(net, x, y)
    nabla_b, nabla_w = net.backprop(x, y)
    for l in range(2, len(sizes) + 1):
        np.testing.assert_array_equal(t.find("bias_gradient", l).value(f"dC/db^{l}"), nabla_b[l - 2])
        np.testing.assert_array_equal(t.find("weight_gradient", l).value(f"dC/dw^{l}"), nabla_w[l - 2])
    assert t.cost_value == pytest.approx(net.cost_value(x, y), rel=1e-14)
    np.testing.assert_array_equal(t.find("activation", len(sizes)).value(f"a^{len(sizes)}"), net.feedforward(x))


def test_step_order_follows_the_book():
    net = bpkit.Network([2, 3, 3, 2], seed=0)
    t = bpkit.trace(net, np.ones((2, 1)), np.zeros((2, 1)), eta=0.1)
    got = [(s.kind, s.layer) for s in t.steps]
    expected = [("input", 1)]
    for l in (2, 3, 4):
        expected += [("weighted_input", l), ("activation", l)]
    expected += [("cost", 4), ("output_error", 4), ("bias_gradient", 4), ("weight_gradient", 4)]
    for l in (3, 2):
        expected += [("backpropagated_error", l), ("bias_gradient", l), ("weight_gradient", l)]
    expected += [("update", 4), ("update", 3), ("update", 2)]
    assert got == expected
    assert [s.index for s in t.steps] == list(range(len(expected)))
    assert [s.equation for s in t.steps if s.equation.startswith("BP")] == ["BP1", "BP3", "BP4"] + ["BP2", "BP3", "BP4"] * 2
    assert t.find("backpropagated_error", 2).latex == r"\delta^{2} = \left((w^{3})^T \delta^{3}\right) \odot \sigma'(z^{2})"


def test_update_step_is_gradient_descent():
    net = bpkit.Network([2, 2, 2], seed=0)
    x, y = np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]])
    t = bpkit.trace(net, x, y, eta=0.5)
    nabla_b, nabla_w = net.backprop(x, y)
    np.testing.assert_allclose(t.find("update", 2).value("w^2 new"), net.w(2) - 0.5 * nabla_w[0], rtol=1e-15)
    np.testing.assert_allclose(t.find("update", 3).value("b^3 new"), net.b(3) - 0.5 * nabla_b[1], rtol=1e-15)


def test_trace_is_plain_json_and_does_not_alias_the_network():
    net = bpkit.Network([2, 2, 1], seed=0)
    t = bpkit.trace(net, np.ones((2, 1)), np.ones((1, 1)))
    net.w(2)[:] = 0  # later changes to the network do not rewrite history
    d = json.loads(t.to_json())
    assert d["sizes"] == [2, 2, 1] and len(d["steps"]) == len(t)
    assert d["weights"][0] == t.weights[0].tolist() and np.any(t.weights[0] != 0)
    step = d["steps"][2]
    assert set(step) == {"index", "phase", "kind", "layer", "equation", "latex", "caption", "inputs", "outputs"}
    assert step["outputs"][0]["name"] == "a^2" and isinstance(step["outputs"][0]["value"][0][0], float)


def test_trace_checks_its_input():
    net = bpkit.Network([2, 2, 1], seed=0)
    with pytest.raises(ValueError, match=r"x \(the input a\^1, 2 neurons\) must have shape"):
        bpkit.trace(net, np.ones((3, 1)), np.ones((1, 1)))
    with pytest.raises(ValueError, match="learning rate η must be a positive number"):
        bpkit.trace(net, np.ones((2, 1)), np.ones((1, 1)), eta=-1)
    with pytest.raises(KeyError, match="no output_error step at layer l=2"):
        bpkit.trace(net, np.ones((2, 1)), np.ones((1, 1))).find("output_error", 2)
