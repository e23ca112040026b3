"""The symbolic gradients, lambdified, against bpkit.Network.backprop on random numbers."""

import numpy as np
import pytest

import bpkit
from bpkit.symbolic import SymbolicNetwork, compare_with_bpkit, gradient_function

CASES = [
    ([2, 3, 2], "sigmoid", "quadratic", None),
    ([2, 3, 2], "tanh", "quadratic", None),
    ([2, 3, 2], "sigmoid", "cross_entropy", None),
    ([3, 2, 2, 1], "sigmoid", "quadratic", None),
    ([3, 2, 2, 1], "tanh", "cross_entropy", "sigmoid"),
    ([2, 2, 2], "identity", "quadratic", None),
]


@pytest.mark.parametrize("sizes,activation,cost,out", CASES, ids=lambda c: str(c))
@pytest.mark.parametrize("method", ["direct", "bp"])
def test_symbolic_gradient_equals_bpkit_backprop(sizes, activation, cost, out, method):
    net = SymbolicNetwork(sizes, activation, cost, output_activation=out)
    for seed in (0, 1):
        check = compare_with_bpkit(net, seed=seed, m=3, method=method)
        assert check.ok(1e-12), check
        # the comparison is between non-trivial numbers of the right shapes
        nabla_b, nabla_w = check.numeric
        assert [b.shape for b in check.symbolic[0]] == [b.shape for b in nabla_b]
        assert [w.shape for w in check.symbolic[1]] == [w.shape for w in nabla_w]
        assert max(np.max(np.abs(w)) for w in nabla_w) > 1e-3


def test_gradient_function_matches_finite_differences_of_the_cost():
    """Independent of bpkit's backprop: the lambdified gradient against central differences of
    bpkit's cost on one example."""
    net = SymbolicNetwork([2, 3, 1], "tanh", "quadratic")
    f = gradient_function(net)
    rng = np.random.default_rng(7)
    np_net = bpkit.Network([2, 3, 1], activation="tanh", cost="quadratic", seed=7)
    x, y = rng.standard_normal((2, 1)), rng.standard_normal((1, 1))
    _, nabla_w = f(np_net.weights, np_net.biases, x, y)
    h = 1e-6
    for i, w in enumerate(np_net.weights):
        for idx in np.ndindex(w.shape):
            old = w[idx]
            w[idx] = old + h
            up = np_net.cost_value(x, y)
            w[idx] = old - h
            down = np_net.cost_value(x, y)
            w[idx] = old
            assert abs((up - down) / (2 * h) - nabla_w[i][idx]) < 1e-8


def test_a_wrong_symbolic_gradient_would_be_caught():
    """Perturb the symbolic gradient: the numeric comparison then fails."""
    net = SymbolicNetwork([2, 2, 1], "sigmoid", "quadratic")
    check = compare_with_bpkit(net, seed=3)
    assert check.ok()
    net._direct[net.w(2, 1, 1)] = 2 * net.direct_gradient(net.w(2, 1, 1), composed=True)
    assert not compare_with_bpkit(net, seed=3).ok()


def test_generic_networks_have_no_numbers():
    with pytest.raises(ValueError, match="generic σ"):
        gradient_function(SymbolicNetwork([2, 2], "generic", "quadratic"))
    with pytest.raises(ValueError, match="generic cost"):
        gradient_function(SymbolicNetwork([2, 2], "sigmoid", "generic"))
    with pytest.raises(ValueError, match="method"):
        gradient_function(SymbolicNetwork([2, 2], "sigmoid", "quadratic"), method="numeric")
