"""The fast paths compute what the plain ones do (correctness only: speed is for benchmarks/).

* the in-place sigmoid stays overflow-free, NaN-free and precise to a few units in the last
  place, checked against 50-digit mpmath;
* σ'(z) from the kept activation a = σ(z) equals σ'(z) from z;
* float32 and float64 gradients agree with each other and with finite differences;
* the memory-saving training paths (in-place bias add, in-place update, mini-batches gathered
  one at a time, the monitored cost a block of examples at a time) give the weights and costs of
  the plain formulas, and training does not copy the data.
"""

import json
import subprocess
import sys
import warnings
from pathlib import Path

import mpmath
import numpy as np
import pytest

import bpkit
from bpkit import Network, sgd
from bpkit.activations import SIGMOID, TANH, sigmoid, sigmoid_prime, tanh_prime
from bpkit.forward import weighted_input
from bpkit.train import _mean_cost

DTYPES = [np.float64, np.float32]


# -- the sigmoid --------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_has_no_overflow_warning_and_no_nan_up_to_1e4(dtype):
    z = np.array([-1e4, -1e3, -750, -709.9, -100, -88.8, -87, -40, -1e-8, 0, 1e-8, 40, 88.8, 100, 1e3, 1e4], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
        p = sigmoid_prime(z)
        b = SIGMOID.backward(z, s, np.ones_like(z))
    assert s.dtype == dtype and p.dtype == dtype and b.dtype == dtype
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(p)) and np.all(np.isfinite(b))
    assert np.all((s >= 0) & (s <= 1)) and np.all(np.diff(s) >= 0)  # a monotone probability
    assert s[0] == 0 and s[-1] == 1 and s[list(z).index(0)] == 0.5
    assert p[0] == 0 and p[-1] == 0


def _exact_sigmoid(z: np.ndarray) -> np.ndarray:
    with mpmath.workdps(50):
        return np.array([float(1 / (1 + mpmath.exp(-mpmath.mpf(float(v))))) for v in z])


@pytest.mark.parametrize("dtype, lo, ulps", [(np.float64, -700.0, 4), (np.float32, -85.0, 4)])
def test_sigmoid_keeps_relative_precision_in_both_tails(dtype, lo, ulps):
    # lo keeps the exact σ(z) a normal (not subnormal) float of the dtype
    z = np.concatenate([np.linspace(lo, -lo, 2001), np.linspace(-3, 3, 601)]).astype(dtype)
    exact = _exact_sigmoid(z)
    rel = np.abs(sigmoid(z).astype(np.float64) - exact) / exact
    assert np.max(rel) <= ulps * np.finfo(dtype).eps


def test_sigmoid_of_scalars_and_integers():
    assert isinstance(sigmoid(0.0), np.floating) and sigmoid(0.0) == 0.5
    assert sigmoid(np.float32(2)).dtype == np.float32
    np.testing.assert_array_equal(sigmoid(np.array([[-1, 0, 1]])), sigmoid(np.array([[-1.0, 0.0, 1.0]])))
    z = np.array([[0.5, -2.0]])
    before = z.copy()
    sigmoid(z)
    np.testing.assert_array_equal(z, before)  # computed in a new array, never in z


@pytest.mark.parametrize("act, prime", [(SIGMOID, sigmoid_prime), (TANH, tanh_prime)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_backward_from_the_kept_activation_is_g_times_prime(act, prime, dtype, rng):
    z = rng.normal(scale=4, size=(5, 7)).astype(dtype)
    g = rng.normal(size=(5, 7)).astype(dtype)
    g_before = g.copy()
    expected = g.astype(np.float64) * prime(z.astype(np.float64))
    tol = 1e-14 if dtype == np.float64 else 1e-6
    for a in (act(z), None):  # a = σ(z) as the forward pass keeps it, or recomputed
        out = act.backward(z, a, g)
        assert out.dtype == dtype
        np.testing.assert_allclose(out, expected, rtol=tol, atol=tol * np.max(np.abs(expected)))
    np.testing.assert_array_equal(g, g_before)  # g, which the trace records, is left alone


# -- float32 and float64 gradients --------------------------------------------------------------

CASES = [  # (sizes, hidden activation, output activation, cost)
    ([6, 5, 4], "sigmoid", None, "quadratic"),
    ([5, 8, 6, 3], "sigmoid", None, "cross_entropy"),
    ([4, 6, 3], "tanh", "softmax", "log_likelihood"),
    ([5, 7, 2], "relu", "identity", "quadratic"),
]


def _problem(sizes, hidden, out, cost, m=6, seed=0):
    net = Network(sizes, activation=hidden, output_activation=out, cost=cost, seed=seed)
    rng = np.random.default_rng(seed + 1)
    x = rng.normal(size=(sizes[0], m))
    y = rng.dirichlet(np.ones(sizes[-1]), size=m).T  # a valid target for every cost
    return net, x, y


@pytest.mark.parametrize("sizes, hidden, out, cost", CASES)
def test_float32_and_float64_gradients_agree(sizes, hidden, out, cost):
    net64, x, y = _problem(sizes, hidden, out, cost)
    net32 = net64.astype(np.float32)
    nb64, nw64 = net64.backprop(x, y)
    nb32, nw32 = net32.backprop(x.astype(np.float32), y.astype(np.float32))
    for g32, g64 in zip(nb32 + nw32, nb64 + nw64):
        assert g32.dtype == np.float32 and g64.dtype == np.float64
        # float32 keeps about 7 digits; a few roundings per layer cost a little of that
        np.testing.assert_allclose(g32, g64, rtol=0, atol=2e-5 * max(np.max(np.abs(g64)), 1e-3))


@pytest.mark.parametrize("sizes, hidden, out, cost", CASES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_both_dtypes_agree_with_finite_differences(sizes, hidden, out, cost, dtype):
    net, x, y = _problem(sizes, hidden, out, cost)
    net = net.astype(dtype)
    # The differences are taken in float64 on a copy (gradcheck), so they are the reference for
    # both dtypes; entries far below the largest are compared to a floor, as in test_equations.
    result = bpkit.gradient_check(net, x, y, eps=1e-3, order=4)
    floor = 1e-4 * np.max(np.abs(result.numeric))
    worst = np.max(bpkit.relative_error(result.backprop, result.numeric, floor=floor))
    assert worst < (1e-7 if dtype == np.float64 else 1e-3)


def test_saturated_sigmoids_still_pass_the_gradient_check():
    # z of order ±30: where σ and σ' come from the far tails of the in-place sigmoid
    net, x, y = _problem([4, 5, 3], "sigmoid", None, "cross_entropy", m=3, seed=3)
    net.w(2)[...] *= 12
    zs, _ = net.forward(x)
    assert np.max(np.abs(zs[0])) > 20
    result = bpkit.gradient_check(net, x, y, eps=1e-3, order=4)
    floor = 1e-4 * np.max(np.abs(result.numeric))
    assert np.max(bpkit.relative_error(result.backprop, result.numeric, floor=floor)) < 1e-7


# -- the memory-saving paths against the plain formulas ----------------------------------------

def test_weighted_input_adds_the_bias_in_place_of_the_product_only(rng):
    w, a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 5)), rng.normal(size=(3, 1))
    copies = w.copy(), a.copy(), b.copy()
    z = weighted_input(w, a, b)
    np.testing.assert_array_equal(z, w @ a + b)
    for before, after in zip(copies, (w, a, b)):
        np.testing.assert_array_equal(before, after)
    # integer arrays cannot take a float bias in place: the plain sum is used
    zi = weighted_input(np.array([[1, 2]]), np.array([[1], [1]]), np.array([[0.5]]))
    assert zi.dtype == np.float64 and zi[0, 0] == 3.5


def _plain_sgd(net, X, Y, epochs, m, eta, lmbda, seed):
    """SGD by the plain formulas: the whole training set shuffled into a new array each epoch,
    w → (1 − ηλ/n) w − (η/m) Σ ∂C_x/∂w computed into new arrays. It uses bpkit's gradient
    (net.backprop), so only the trainer's own paths differ."""
    n = X.shape[1]
    rng = np.random.default_rng(seed)  # the same shuffles as bpkit.sgd
    for _ in range(epochs):
        perm = rng.permutation(n)
        Xs, Ys = X[:, perm], Y[:, perm]
        for k in range(0, n, m):
            x, y = Xs[:, k:k + m], Ys[:, k:k + m]
            nabla_b, nabla_w = net.backprop(x, y)
            net.weights = [(1 - eta * lmbda / n) * w - (eta / x.shape[1]) * nw for w, nw in zip(net.weights, nabla_w)]
            net.biases = [b - (eta / x.shape[1]) * nb for b, nb in zip(net.biases, nabla_b)]
    return net


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m, lmbda", [(1, 0.0), (7, 0.0), (10, 3.0), (64, 0.0)])
def test_sgd_gives_the_weights_of_the_plain_formulas(dtype, m, lmbda):
    train, _ = bpkit.load_digits(seed=2)
    X, Y = train.X[:, :300].astype(dtype), train.Y[:, :300].astype(dtype)  # 300 = no whole number of 7s or 64s
    fast = Network([64, 20, 10], seed=4, dtype=dtype)
    plain = fast.copy()
    sgd(fast, (X, Y), 2, m, 0.5, lmbda=lmbda, seed=9, progress=False, monitor_cost=False)
    _plain_sgd(plain, X, Y, 2, m, 0.5, lmbda, seed=9)
    assert not np.allclose(fast.w(2), Network([64, 20, 10], seed=4).w(2))  # training moved them
    tol = 1e-12 if dtype == np.float64 else 2e-6
    for u, v in zip(fast.weights + fast.biases, plain.weights + plain.biases):
        assert u.dtype == dtype
        np.testing.assert_allclose(u, v, rtol=0, atol=tol)


def test_the_data_layout_does_not_change_the_weights():
    # column-contiguous (as load_digits gives), row-contiguous, and Nielsen's list of pairs
    train, _ = bpkit.load_digits(seed=2)
    X, Y = train.X[:, :200], train.Y[:, :200]
    layouts = {"F": (np.asfortranarray(X), Y), "C": (np.ascontiguousarray(X), np.ascontiguousarray(Y)),
               "pairs": list(zip([X[:, [i]] for i in range(200)], [Y[:, [i]] for i in range(200)]))}
    nets = {}
    for name, data in layouts.items():
        nets[name] = Network([64, 15, 10], seed=1)
        sgd(nets[name], data, 2, 10, 1.0, seed=3, progress=False, monitor_cost=False)
    for name in ("C", "pairs"):
        for u, v in zip(nets[name].weights + nets[name].biases, nets["F"].weights + nets["F"].biases):
            np.testing.assert_allclose(u, v, rtol=0, atol=1e-13)


@pytest.mark.parametrize("dtype", DTYPES)
def test_float32_training_follows_float64_training(dtype):
    train, _ = bpkit.load_digits(seed=2)
    nets = {dt: Network([64, 20, 10], seed=5, dtype=dt) for dt in DTYPES}
    for dt, net in nets.items():
        sgd(net, train.astype(dt), 1, 10, 0.5, seed=1, progress=False, monitor_cost=False)
    for u, v in zip(nets[np.float32].weights, nets[np.float64].weights):
        np.testing.assert_allclose(u, v, rtol=0, atol=1e-4)


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_the_monitored_cost_is_cost_value(chunk):
    train, _ = bpkit.load_digits(seed=2)
    net = Network([64, 20, 10], seed=5)
    history = sgd(net, train, 2, 10, 0.5, seed=1, progress=False)
    assert history.training_cost[-1] == pytest.approx(net.cost_value(train.X, train.Y), rel=1e-12)
    assert _mean_cost(net, train.X, train.Y, chunk=chunk) == pytest.approx(net.cost_value(train.X, train.Y), rel=1e-12)


_MEMORY_CHILD = """
import json, sys
import numpy as np
import bpkit
def peak():  # the OS's peak resident size of this process image, in bytes
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
rng = np.random.default_rng(0)
X = rng.random((20000, 784), dtype=np.float32).T  # one contiguous column per example
Y = np.zeros((10, 20000), dtype=np.float32)
Y[rng.integers(0, 10, 20000), np.arange(20000)] = 1
net = bpkit.Network([784, 30, 10], seed=0, dtype=np.float32)
with_data = peak()
bpkit.sgd(net, (X, Y), 1, 10, 0.5, seed=0, progress=False)
print(json.dumps({"data": X.nbytes + Y.nbytes, "with_data": with_data, "peak": peak()}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc/self/status")
def test_training_makes_no_copy_of_the_data():
    # A shuffled copy of the data, or one per mini-batch, would add 1.0 x the data to the peak.
    out = subprocess.run([sys.executable, "-c", _MEMORY_CHILD], capture_output=True, text=True, check=True, timeout=300)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["peak"] - r["with_data"] < 0.5 * r["data"]


# -- the weights' memory layout and the scaled gradient ----------------------------------------

def test_weights_and_their_gradients_are_stored_column_by_column(tmp_path, rng):
    net = Network([6, 5, 4], seed=0)
    row_ordered = [np.ascontiguousarray(w) for w in net.weights]
    given = Network([6, 5, 4], weights=row_ordered, biases=net.biases)
    net.save(tmp_path / "net.npz")
    for n in (net, net.copy(), net.astype(np.float32), given, Network.load(tmp_path / "net.npz")):
        assert all(w.flags.f_contiguous and not w.flags.c_contiguous for w in n.weights)
    np.testing.assert_array_equal(given.w(2), row_ordered[0])  # the same numbers, another layout
    x, y = rng.normal(size=(6, 9)), rng.random((4, 9))
    nabla_b, nabla_w = net.backprop(x, y)
    _, activations = net.forward(x)
    for nw, w in zip(nabla_w, net.weights):
        assert nw.shape == w.shape and nw.flags.f_contiguous
    # BP4 into the column-ordered array is the plain product δ^L (a^(L-1))^T
    delta_L = (activations[-1] - y) * activations[-1] * (1 - activations[-1])
    np.testing.assert_allclose(nabla_w[-1], delta_L @ activations[-2].T, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(nabla_b[-1], delta_L.sum(axis=1, keepdims=True), rtol=1e-13, atol=1e-15)


def test_training_row_ordered_weights_gives_the_same_weights():
    train, _ = bpkit.load_digits(seed=2)
    X, Y = train.X[:, :200], train.Y[:, :200]
    columns = Network([64, 15, 10], seed=1)
    rows = columns.copy()
    rows.weights = [np.ascontiguousarray(w) for w in rows.weights]  # as a user might assign them
    for net in (columns, rows):
        sgd(net, (X, Y), 2, 10, 1.0, seed=3, progress=False, monitor_cost=False)
    assert rows.weights[0].flags.c_contiguous  # trained in place, in the user's layout
    for u, v in zip(rows.weights + rows.biases, columns.weights + columns.biases):
        np.testing.assert_allclose(u, v, rtol=0, atol=1e-13)


@pytest.mark.parametrize("sizes, hidden, out, cost", CASES)
def test_backprop_with_a_scale_is_the_gradient_of_the_scaled_cost(sizes, hidden, out, cost, rng):
    net, x, y = _problem(sizes, hidden, out, cost)
    s = -rng.uniform(0.01, 3.0)  # training passes s = −η/m
    args = (net.weights, net.biases, x, y, net.activation, net.output_activation, net.cost)
    plain_b, plain_w = bpkit.equations.backprop(*args)
    scaled_b, scaled_w = bpkit.equations.backprop(*args, scale=s)
    for g, gs in zip(plain_b + plain_w, scaled_b + scaled_w):
        np.testing.assert_allclose(gs, s * g, rtol=1e-12, atol=1e-15 * np.max(np.abs(g)))
    assert not np.allclose(scaled_w[0], plain_w[0])  # the scale did something
