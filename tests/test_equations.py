"""BP1-BP4 and backprop, checked against central finite differences on random networks."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

import bpkit
from bpkit import equations
from bpkit.activations import SIGMOID, SOFTMAX, TANH

# (hidden activation, output activation, cost): every pairing the library supports.
PAIRINGS = [
    ("sigmoid", "sigmoid", "quadratic"),
    ("tanh", "tanh", "quadratic"),
    ("relu", "identity", "quadratic"),
    ("identity", "sigmoid", "quadratic"),
    ("tanh", "sigmoid", "cross_entropy"),  # the simplified BP1: δ^L = a^L − y
    ("sigmoid", "softmax", "log_likelihood"),  # the simplified BP1 for softmax
    ("relu", "softmax", "quadratic"),  # softmax's Jacobian in the general BP1
    ("sigmoid", "softmax", "cross_entropy"),
]


@st.composite
def problems(draw):
    hidden, out, cost = draw(st.sampled_from(PAIRINGS))
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=5))
    if out == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    m = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    net = bpkit.Network(sizes, activation=hidden, output_activation=out, cost=cost, seed=seed)
    x = rng.normal(size=(sizes[0], m))
    if cost == "quadratic":
        y = rng.normal(size=(sizes[-1], m))
    elif cost == "cross_entropy":
        y = rng.uniform(size=(sizes[-1], m))
    else:  # log-likelihood: a probability vector per column
        y = rng.dirichlet(np.ones(sizes[-1]), size=m).T
    return net, x, y


def check(net, x, y, grad_fn=None):
    # The five-point stencil's truncation error is O(ε⁴), but rounding in C (≈ C·2e-16/ε, about
    # 1e-12 here) limits any finite difference: an entry of 1e-6 cannot be checked to 1e-7
    # relative error. Entries below 1e-4 of the largest one are therefore compared relative to
    # that floor, i.e. to about 1e-11 of the gradient's scale in absolute terms.
    result = bpkit.gradient_check(net, x, y, grad_fn=grad_fn, eps=1e-3, order=4)
    scale = np.max(np.abs(result.numeric))
    rel = bpkit.relative_error(result.backprop, result.numeric, floor=1e-4 * scale)
    return float(np.max(rel))


def zs_away_from_kinks(net, x):
    zs, _ = net.forward(x)
    return net.activation.name != "relu" or all(np.min(np.abs(z)) > 1e-2 for z in zs[:-1])


@given(problems())
def test_backprop_equals_finite_differences(problem):
    net, x, y = problem
    if not zs_away_from_kinks(net, x):
        return  # a finite difference across ReLU's kink at 0 measures no derivative
    assert check(net, x, y) < 1e-7


def test_a_wrong_backprop_fails_the_check(rng):
    """The check above can fail: BP2 without σ'(z^l) is caught."""
    net = bpkit.Network([3, 4, 2], seed=1)
    x, y = rng.normal(size=(3, 2)), rng.normal(size=(2, 2))

    def bp2_without_sigma_prime(n, a, b):
        zs, acts = n.forward(a)
        delta = equations.output_error(n.cost.derivative(acts[-1], b), zs[-1], n.activation)
        d2 = n.w(3).T @ delta  # forgot ⊙ σ'(z^2)
        return [equations.bias_gradient(d2), equations.bias_gradient(delta)], [
            equations.weight_gradient(d2, acts[0]), equations.weight_gradient(delta, acts[1])]

    assert check(net, x, y, bp2_without_sigma_prime) > 1e-2
    assert check(net, x, y) < 1e-7


def test_minibatch_gradient_is_the_sum_of_the_per_example_gradients(rng):
    net = bpkit.Network([4, 5, 3], seed=2)
    X, Y = rng.normal(size=(4, 6)), rng.normal(size=(3, 6))
    nabla_b, nabla_w = net.backprop(X, Y)
    for i in range(len(nabla_b)):
        sum_b = sum(net.backprop(X[:, [c]], Y[:, [c]])[0][i] for c in range(6))
        sum_w = sum(net.backprop(X[:, [c]], Y[:, [c]])[1][i] for c in range(6))
        np.testing.assert_allclose(nabla_b[i], sum_b, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(nabla_w[i], sum_w, rtol=1e-12, atol=1e-14)


def test_the_four_equations_in_components(rng):
    """Each function against its equation written out index by index."""
    net = bpkit.Network([3, 4, 2], seed=3)
    x, y = rng.normal(size=(3, 1)), rng.normal(size=(2, 1))
    zs, acts = net.forward(x)
    s_prime = SIGMOID.prime
    delta3 = equations.output_error(acts[2] - y, zs[1], SIGMOID)
    for j in range(2):  # BP1: δ^L_j = ∂C/∂a^L_j σ'(z^L_j)
        assert delta3[j, 0] == pytest.approx((acts[2][j, 0] - y[j, 0]) * s_prime(zs[1][j, 0]), rel=1e-14)
    delta2 = equations.backpropagate_error(net.w(3), delta3, zs[0], SIGMOID)
    for k in range(4):  # BP2: δ^l_k = Σ_j w^{l+1}_jk δ^{l+1}_j σ'(z^l_k)
        expected = sum(net.w(3)[j, k] * delta3[j, 0] for j in range(2)) * s_prime(zs[0][k, 0])
        assert delta2[k, 0] == pytest.approx(expected, rel=1e-13)
    assert np.array_equal(equations.bias_gradient(delta2), delta2)  # BP3
    nw = equations.weight_gradient(delta2, acts[0])
    for j in range(4):  # BP4: ∂C/∂w^l_jk = a^{l-1}_k δ^l_j
        for k in range(3):
            assert nw[j, k] == pytest.approx(acts[0][k, 0] * delta2[j, 0], rel=1e-14)


def test_softmax_backward_is_the_jacobian_transpose_product(rng):
    z, g = rng.normal(size=(4, 1)), rng.normal(size=(4, 1))
    a = SOFTMAX(z)
    jacobian = np.diagflat(a) - a @ a.T  # ∂a_i/∂z_j = a_i (1[i=j] − a_j)
    np.testing.assert_allclose(SOFTMAX.backward(z, a, g), jacobian.T @ g, rtol=1e-12)


def test_hadamard_is_elementwise_and_refuses_broadcasting():
    s, t = np.array([[1.0], [2.0]]), np.array([[3.0], [4.0]])
    np.testing.assert_array_equal(bpkit.hadamard(s, t), np.array([[3.0], [8.0]]))
    with pytest.raises(ValueError, match=r"same shape.*\(2, 1\) and \(1, 2\)"):
        bpkit.hadamard(s, t.T)


def test_names_of_the_four_equations():
    assert (bpkit.BP1, bpkit.BP2, bpkit.BP3, bpkit.BP4) == (
        equations.output_error, equations.backpropagate_error, equations.bias_gradient, equations.weight_gradient)
    for f, eq in zip((bpkit.BP1, bpkit.BP2, bpkit.BP3, bpkit.BP4), ("BP1", "BP2", "BP3", "BP4")):
        assert f.__doc__.startswith(eq)


def test_tanh_prime():
    z = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(TANH.prime(z), 1 / np.cosh(z) ** 2, rtol=1e-13)
