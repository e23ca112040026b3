"""A Workspace holds every array of a training step: the numbers of new arrays (to the last
bits of a sum taken in another order), no large allocation per step, and the arrays are its own
(overwritten by the next step)."""

import tracemalloc

import numpy as np
import pytest

import bpkit
from bpkit import Network, equations
from bpkit.activations import Activation
from bpkit.train import update_mini_batch_matrix
from bpkit.workspace import Workspace

CASES = [  # (sizes, hidden activation, output activation, cost)
    ([6, 5, 4], "sigmoid", None, "quadratic"),
    ([5, 8, 6, 3], "sigmoid", None, "cross_entropy"),
    ([4, 6, 3], "tanh", "softmax", "log_likelihood"),
    ([5, 7, 2], "relu", "identity", "quadratic"),
    ([3, 4, 4, 2], "tanh", "sigmoid", "quadratic"),  # BP1 through σ'(z^L): no simplification
]


def _problem(sizes, hidden, out, cost, dtype=np.float64, m=6, seed=0):
    net = Network(sizes, activation=hidden, output_activation=out, cost=cost, seed=seed, dtype=dtype)
    rng = np.random.default_rng(seed + 1)
    x = rng.normal(size=(sizes[0], m)).astype(dtype)
    y = rng.dirichlet(np.ones(sizes[-1]), size=m).T.astype(dtype)
    return net, x, y


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("sizes, hidden, out, cost", CASES)
def test_backprop_in_a_workspace_gives_the_same_gradients(sizes, hidden, out, cost, dtype):
    net, x, y = _problem(sizes, hidden, out, cost, dtype)
    args = (net.weights, net.biases, x, y, net.activation, net.output_activation, net.cost)
    fresh_b, fresh_w = equations.backprop(*args)
    work = Workspace(net.sizes, x.shape[1], dtype)
    in_b, in_w = equations.backprop(*args, work=work)
    tol = 1e-13 if dtype == np.float64 else 1e-5  # another memory order: another order of the sums
    for g, h in zip(fresh_b + fresh_w, in_b + in_w):
        assert h.dtype == dtype and h.shape == g.shape
        np.testing.assert_allclose(h, g, rtol=tol, atol=tol * np.max(np.abs(g)))
    # the results are the workspace's own arrays, and the next pass overwrites them
    assert all(h is buf for h, buf in zip(in_w, work.nabla_w))
    before = in_w[0].copy()
    equations.backprop(net.weights, net.biases, 2 * x, y, net.activation, net.output_activation, net.cost, work=work)
    assert not np.array_equal(in_w[0], before)


@pytest.mark.parametrize("order", ["F", "C"])
def test_gather_copies_the_chosen_columns(order, rng):
    X = np.asarray(rng.normal(size=(7, 40)), order=order)
    Y = np.asarray(rng.random((3, 40)), order=order)
    work = Workspace([7, 5, 3], 6)
    idx = rng.permutation(40)[:6]
    x, y = work.gather(X, Y, idx)
    assert x is work.x and y is work.y
    np.testing.assert_array_equal(x, X[:, idx])
    np.testing.assert_array_equal(y, Y[:, idx])
    for bad, message in ((idx[:5], r"m = 6 examples: idx must be 6 whole numbers; got shape \(5,\)"),
                         (idx + 0.5, "dtype float64"),
                         (np.array([0, 1, 2, 3, 4, 40]), r"0 \.\.\. 39, the columns of X; got 0 \.\.\. 40"),
                         (np.array([-1, 1, 2, 3, 4, 5]), "got -1 ...")):
        with pytest.raises(ValueError, match=message):
            work.gather(X, Y, bad)
    with pytest.raises(ValueError, match=r"X must be an array of shape \(7, N\) and dtype float64"):
        work.gather(X.astype(np.float32), Y, idx)
    with pytest.raises(ValueError, match=r"Y must be an array of shape \(3, N\)"):
        work.gather(X, Y[:2], idx)


def _peak_bytes_of_steps(net, X, Y, work, m, steps=4):
    x, y = X[:, :m], Y[:, :m]
    update_mini_batch_matrix(net, x, y, 0.5, work=work)  # warm up (caches, the column of ones)
    tracemalloc.start()
    try:
        for k in range(steps):
            if work is not None:
                x, y = work.gather(X, Y, np.arange(m * k, m * k + m))  # (its checks allocate little)
            update_mini_batch_matrix(net, x, y, 0.5, work=work)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_training_step_in_a_workspace_allocates_nothing_large():
    train, _ = bpkit.load_digits(seed=0)
    X, Y = np.asfortranarray(train.X[:, :400]), np.asfortranarray(train.Y[:, :400])
    net, m = Network([64, 200, 10], seed=0), 100
    # z^2, a^2, δ^2 and σ'(z^2) are 200 × 100 × 8 = 160 kB each, w^2's gradient 102 kB. What
    # remains are NumPy's own buffers: a broadcasting ufunc (z += b) takes np.getbufsize() elements.
    numpy_buffer = np.getbufsize() * 8
    with_work = _peak_bytes_of_steps(net, X, Y, Workspace(net.sizes, m), m)
    without = _peak_bytes_of_steps(net, X, Y, None, m)
    assert without > 3 * 160_000  # the measurement sees the new arrays of a plain step
    assert with_work < 1.5 * numpy_buffer < 160_000


def test_an_activation_of_ones_own_without_out_still_trains():
    def my_sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    def my_prime(z):
        s = my_sigmoid(z)
        return s * (1 - s)

    mine = Activation("my sigmoid", my_sigmoid, my_prime, lambda z, a, g: g * my_prime(z), r"s")
    train, _ = bpkit.load_digits(seed=0)
    nets = [Network([64, 12, 10], activation=act, seed=2) for act in (mine, "sigmoid")]
    for net in nets:
        bpkit.sgd(net, train, 1, 10, 0.5, seed=0, progress=False, monitor_cost=False)
    for u, v in zip(nets[0].weights + nets[0].biases, nets[1].weights + nets[1].biases):
        np.testing.assert_allclose(u, v, rtol=0, atol=1e-12)
