"""Activations and costs: values, derivatives against finite differences, stability."""

import warnings

import numpy as np
import pytest

import bpkit
from bpkit.activations import ACTIVATIONS, sigmoid
from bpkit.costs import COSTS


def test_sigmoid_is_stable_for_huge_inputs():
    z = np.array([-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would fail the test
        s = sigmoid(z)
        p = bpkit.activations.sigmoid_prime(z)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(p))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert s[2] == pytest.approx(np.exp(-40) / (1 + np.exp(-40)), rel=1e-15)  # keeps relative precision
    assert sigmoid(np.float32(-1e4)).dtype == np.float32


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "identity", "relu"])
def test_derivative_matches_finite_differences(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-3, 3, 13) + 0.01  # keep away from ReLU's kink at 0
    h = 1e-6
    np.testing.assert_allclose(act.prime(z), (act.fn(z + h) - act.fn(z - h)) / (2 * h), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name", sorted(COSTS))
def test_cost_gradient_matches_finite_differences(name, rng):
    cost = COSTS[name]
    a = rng.uniform(0.1, 0.9, size=(3, 2))
    y = rng.dirichlet(np.ones(3), size=2).T
    h = 1e-6
    numeric = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        e = np.zeros_like(a)
        e[idx] = h
        numeric[idx] = (cost.fn(a + e, y) - cost.fn(a - e, y)) / (2 * h)
    np.testing.assert_allclose(cost.derivative(a, y), numeric, rtol=1e-7)


def test_quadratic_cost_has_the_half_and_sums_over_examples():
    a, y = np.array([[0.2, 1.0], [0.4, 0.0]]), np.array([[0.0, 1.0], [0.0, 0.5]])
    assert COSTS["quadratic"].fn(a, y) == pytest.approx(0.5 * (0.04 + 0.16) + 0.5 * 0.25)


def test_cross_entropy_handles_zero_times_log_zero():
    ce = COSTS["cross_entropy"]
    assert ce.fn(np.array([[1.0]]), np.array([[1.0]])) == 0.0
    assert np.isfinite(ce.fn(np.array([[0.5]]), np.array([[0.0]])))


def test_unknown_names():
    with pytest.raises(ValueError, match="unknown cost"):
        bpkit.get_cost("l1")
    assert bpkit.get_cost("mse") is COSTS["quadratic"]
    with pytest.raises(ValueError, match="unknown activation"):
        bpkit.get_activation(3)
