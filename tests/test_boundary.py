"""Issue 12, item by item: every bad input gets a clear bpkit error, and no NaN leaves bpkit
unannounced. Each test names the input a careful new user tried."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest

import bpkit
from bpkit import Network, sgd
from bpkit.errors import (
    BpkitError, BpkitTypeError, BpkitValueError, DivergenceError, DomainError, FileFormatError, LayerIndexError,
    ShapeError, SizeError,
)

X1, Y1 = np.array([[0.5], [-1.0]]), np.array([[1.0]])


def test_errors_are_builtin_errors_too():
    assert issubclass(ShapeError, ValueError) and issubclass(BpkitTypeError, TypeError)
    assert issubclass(LayerIndexError, IndexError) and issubclass(DivergenceError, ValueError)
    assert all(issubclass(e, BpkitError) for e in (ShapeError, DomainError, SizeError, FileFormatError, BpkitValueError))


# -- Network ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sizes, error, message", [
    ({"a": 2, "b": 1}, BpkitTypeError, r"sizes must be a list of layer sizes such as \[2, 3, 1\]; got \{'a': 2"),
    ({2, 1}, BpkitTypeError, "sizes must be a list"),
    ([2, 1.5], BpkitTypeError, r"sizes\[1\] \(layer l=2\) must be a whole number; got 1.5"),
    ([2, "3"], BpkitTypeError, r"sizes\[1\] \(layer l=2\) must be a whole number; got '3'"),
    (np.array([[2, 1]]), BpkitTypeError, "sizes must be a list"),
])
def test_sizes_that_are_not_whole_numbers(sizes, error, message):
    with pytest.raises(error, match=message):
        Network(sizes)


def test_sizes_too_large_are_refused_before_allocating():
    with pytest.raises(SizeError, match=r"w\^2 of shape \(3000000, 784\) would take 18,816,000,000 bytes"):
        Network([784, 3_000_000, 10])
    with pytest.raises(SizeError, match=r"w\^3 of shape \(100000, 100000\)"):
        Network([2, 100_000, 100_000])


@pytest.mark.parametrize("seed", ["1", 1.5, -1, [1, 2], True])
def test_seeds_of_the_wrong_kind(seed):
    with pytest.raises(BpkitError, match="seed must be a whole number >= 0"):
        Network([2, 1], seed=seed)


def test_seed_may_be_a_generator():
    a = Network([2, 2], seed=np.random.default_rng(3))
    b = Network([2, 2], seed=3)
    np.testing.assert_array_equal(a.weights[0], b.weights[0])


@pytest.mark.parametrize("weights, error, message", [
    ([[[1.0, 2.0], [3.0]]], BpkitTypeError, r"w\^2 \(layer l=2 \(the output layer L\).*must be a NumPy array of numbers"),
    ([np.array([["a", "b"], ["c", "d"]])], BpkitTypeError, r"w\^2 .*must hold real numbers; got an array of dtype <U1"),
    ([[[1.0, None], [3.0, 4.0]]], BpkitTypeError, r"w\^2 .*must hold real numbers; got an array of dtype object"),
    (np.ones((2, 2)), BpkitTypeError, r"weights must be a list of 1 arrays \(w\^2 \.\.\. w\^2\)"),
    ([np.ones((2, 2)), np.ones((2, 2))], ShapeError, r"w: expected 1 arrays \(w\^2 \.\.\. w\^2\) for sizes \[2, 2\]; got 2"),
    ([np.full((2, 2), np.inf)], DomainError, r"w\^2 .* has a non-finite value inf"),
])
def test_ragged_or_non_numeric_weights(weights, error, message):
    with pytest.raises(error, match=message):
        Network([2, 2], weights=weights)


def test_layer_index_errors_are_bpkit_errors():
    with pytest.raises(LayerIndexError, match="layer l='2' has no weights or biases"):
        Network([2, 2, 1]).w("2")


@pytest.mark.parametrize("dtype", [int, "int8", None, "float16", "nonsense", object])
def test_dtype_must_be_a_float_type(dtype):
    with pytest.raises(BpkitTypeError, match="dtype must be float32 or float64"):
        Network([2, 1], dtype=dtype)


# -- pairings that cannot work, targets outside a cost's domain -----------------------------

@pytest.mark.parametrize("output", ["relu", "identity", "tanh"])
def test_cross_entropy_refuses_outputs_outside_0_1_up_front(output):
    with pytest.raises(BpkitValueError, match=rf"cross-entropy cost takes ln a\^L.*a {output} output layer L"):
        Network([2, 1], activation=output, cost="cross_entropy")
    with pytest.raises(BpkitValueError, match=r"log-likelihood cost takes ln a\^L"):
        Network([2, 2], activation="sigmoid", output_activation=output, cost="log_likelihood")


def test_relu_hidden_layers_with_sigmoid_output_and_cross_entropy_are_fine():
    net = Network([2, 3, 1], activation="relu", output_activation="sigmoid", cost="cross_entropy", seed=0)
    nabla_b, nabla_w = net.backprop(X1, np.array([[1.0]]))
    assert all(np.all(np.isfinite(g)) for g in nabla_b + nabla_w)


@pytest.mark.parametrize("y", [2.0, -0.5])
def test_cross_entropy_targets_must_lie_in_0_1(y):
    net = Network([2, 1], cost="cross_entropy", seed=0)
    for call in (lambda: net.backprop(X1, np.array([[y]])), lambda: net.cost_value(X1, np.array([[y]])),
                 lambda: bpkit.trace(net, X1, np.array([[y]])),
                 lambda: sgd(net, (X1, np.array([[y]])), 1, 1, 0.1, progress=False)):
        with pytest.raises(DomainError, match=rf"cross-entropy cost needs targets 0 <= y <= 1.*y has {y:g}"):
            call()


def test_log_likelihood_targets_must_not_be_negative():
    net = Network([2, 2], activation="sigmoid", output_activation="softmax", cost="log_likelihood")
    with pytest.raises(DomainError, match="log-likelihood cost needs targets y >= 0"):
        net.backprop(X1, np.array([[1.0], [-1.0]]))


# -- sgd --------------------------------------------------------------------------------------

@pytest.mark.parametrize("label, error, message", [
    (1.5, BpkitTypeError, "labels must be whole numbers .* with 1.5"),
    ("1", BpkitTypeError, "labels must be whole numbers .*dtype <U"),
    (5, BpkitValueError, "label 5 is out of range"),
])
def test_labels_in_the_list_of_pairs_form_are_checked_like_the_matrix_form(label, error, message):
    pairs = [(np.array([[0.0], [1.0]]), label), (np.array([[1.0], [0.0]]), 0)]
    with pytest.raises(error, match=message):
        sgd(Network([2, 2]), pairs, 1, 1, 0.5, progress=False)
    with pytest.raises(error, match=message):
        sgd(Network([2, 2]), (np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([label, 0])), 1, 1, 0.5, progress=False)


@pytest.mark.parametrize("eta", [np.float32(0.5), np.float64(0.5), np.int64(1), 1])
def test_numpy_scalar_learning_rates_are_accepted(eta):
    history = sgd(Network([2, 1], seed=0), bpkit.xor(), 1, 2, eta, progress=False)
    assert np.isfinite(history.training_cost[-1])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"eta": "0.5"}, BpkitTypeError, r"eta must be a number \(the learning rate η\); got '0.5'"),
    ({"eta": np.inf}, DomainError, "eta must be a positive number"),
    ({"epochs": 2.0}, BpkitTypeError, "epochs must be a whole number >= 1; got 2.0"),
    ({"mini_batch_size": True}, BpkitTypeError, "mini_batch_size must be a whole number >= 1"),
    ({"seed": "x"}, BpkitTypeError, "seed must be a whole number >= 0"),
    ({"method": ["matrix"]}, BpkitValueError, "method must be one of"),
])
def test_sgd_hyperparameters_of_the_wrong_kind(kwargs, error, message):
    args = dict(epochs=1, mini_batch_size=2, eta=0.5) | kwargs
    with pytest.raises(error, match=message):
        sgd(Network([2, 1]), bpkit.xor(), progress=False, **args)


def test_sgd_needs_a_network():
    with pytest.raises(BpkitTypeError, match="sgd trains a bpkit.Network; got 'net'"):
        sgd("net", bpkit.xor(), 1, 2, 0.5)


@pytest.mark.parametrize("method", ["matrix", "per_example"])
def test_divergence_stops_with_a_clear_error_and_no_numpy_warning(method):
    net = Network([2, 8, 1], activation="relu", output_activation="identity", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # only the DivergenceError announces it
        with pytest.raises(DivergenceError, match=r"diverged: after epoch \d+ .*η = 1e\+06.*Try a smaller learning rate η") as info:
            sgd(net, bpkit.xor(), 200, 4, 1e6, progress=False, method=method)
    assert isinstance(info.value.epoch, int) and f"after epoch {info.value.epoch} " in str(info.value)


def test_divergence_is_caught_without_monitoring_the_cost():
    net = Network([2, 8, 1], activation="relu", output_activation="identity", seed=0)
    with pytest.raises(DivergenceError, match=r"w\^\d or biases b\^\d are no longer finite"):
        sgd(net, bpkit.xor(), 200, 4, 1e6, progress=False, monitor_cost=False)


# -- the four equations and relative_error ---------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: bpkit.BP1(np.ones((3, 1)), np.ones((3, 4)), bpkit.activations.SIGMOID),
     r"BP1: z\^L has shape \(3, 4\) but ∇_a C has 1 columns"),
    (lambda: bpkit.BP1(np.ones((2, 1)), np.ones((3, 1)), "sigmoid"), r"BP1: z\^L has shape \(3, 1\) but ∇_a C has 2 rows"),
    (lambda: bpkit.BP2(np.ones((2, 3)), np.ones((2, 1)), np.ones((3, 4)), bpkit.activations.SIGMOID),
     r"BP2: z\^l has shape \(3, 4\) but δ\^\(l\+1\) has 1 columns"),
    (lambda: bpkit.BP2(np.ones((2, 3)), np.ones((2, 4)), np.ones((3, 4)), "sigmoid", prime=np.ones((3, 1))),
     r"BP2: σ'\(z\^l\) must have 4 columns"),
    (lambda: bpkit.BP3(np.ones(3)), r"BP3: δ\^l must be a matrix"),
    (lambda: bpkit.BP4(np.ones((3, 2)), np.ones((2, 3))), r"BP4: a\^\(l−1\) has shape \(2, 3\) but δ\^l has 2 columns"),
    (lambda: bpkit.BP4(np.ones(3), np.ones(2)), r"BP4: δ\^l must be a matrix"),
    (lambda: bpkit.relative_error(np.ones(3), np.ones((3, 3))), r"relative_error needs two arrays of the same shape"),
    (lambda: bpkit.relative_error(np.ones((2, 1)), np.ones((1, 2))), r"got \(2, 1\) and \(1, 2\)"),
    (lambda: bpkit.backprop([np.ones((3, 2))], [np.ones((2, 1))], X1, np.ones((3, 1)), "sigmoid", "sigmoid", "quadratic"),
     r"backprop: b\^2 must have 3 rows"),
])
def test_public_equations_refuse_to_broadcast(call, message):
    with pytest.raises(ShapeError, match=message):
        call()


def test_public_equations_still_compute_what_they_did():
    rng = np.random.default_rng(0)
    d, a = rng.normal(size=(3, 4)), rng.normal(size=(2, 4))
    np.testing.assert_allclose(bpkit.BP4(d, a), d @ a.T)
    np.testing.assert_allclose(bpkit.BP3(d), d.sum(axis=1, keepdims=True))
    assert bpkit.relative_error(1.0, 1.0) == 0.0


# -- gradient_check ---------------------------------------------------------------------------

@pytest.mark.parametrize("eps, error", [(0, DomainError), (-1e-4, DomainError), (np.nan, DomainError),
                                        (np.inf, DomainError), ("1e-4", BpkitTypeError)])
def test_eps_must_be_a_finite_positive_number(eps, error):
    with pytest.raises(error, match="eps must be"):
        bpkit.gradient_check(Network([2, 1], seed=0), X1, Y1, eps=eps)


def test_a_grad_fn_of_the_wrong_structure_gets_its_shapes_named():
    net = Network([2, 3, 1], seed=0)
    swapped = lambda n, x, y: n.backprop(x, y)[::-1]  # noqa: E731 - (nabla_w, nabla_b): the classic slip
    with pytest.raises(ShapeError, match=r"grad_fn returned nabla_b of shapes \[\(3, 2\), \(1, 3\)\]; expected "
                                         r"∂C/∂b\^2 \.\.\. ∂C/∂b\^3 of shapes \[\(3, 1\), \(1, 1\)\]"):
        bpkit.gradient_check(net, X1, Y1, grad_fn=swapped)
    with pytest.raises(BpkitTypeError, match=r"grad_fn must return a pair \(nabla_b, nabla_w\)"):
        bpkit.gradient_check(net, X1, Y1, grad_fn=lambda n, x, y: n.backprop(x, y) + (None,))
    with pytest.raises(ShapeError, match=r"grad_fn returned nabla_b of shapes \[\(1,\), \(1,\), \(1,\)\]"):
        bpkit.gradient_check(net, X1, Y1, grad_fn=lambda n, x, y: n.backprop(x, y)[0])  # nabla_b alone
    with pytest.raises(BpkitValueError, match=r"∂C/∂w\^2 is not all finite"):
        bpkit.gradient_check(net, X1, Y1, grad_fn=lambda n, x, y: (n.backprop(x, y)[0], [np.full((3, 2), np.nan), np.ones((1, 3))]))


# -- trace, the widgets, SymbolicNetwork: size guards ----------------------------------------

def test_trace_refuses_a_network_too_big_to_draw_before_any_work():
    net = Network([2000, 2000, 10], seed=0)
    with pytest.raises(SizeError, match=r"trace records every w\^l .* \[2000, 2000, 10\] has 4,022,010 .*"
                                        r"\(w\^2 alone is 2000 × 2000, 32,000,000 bytes"):
        bpkit.trace(net, np.ones((2000, 1)), np.ones((10, 1)) / 2)


def test_loop_stepper_refuses_a_big_network_up_front():
    from bpkit.widgets import LoopStepper, trace_loop

    net = Network([2000, 2000, 10], seed=0)
    X, Y = np.ones((2000, 4)), np.ones((10, 4)) / 2
    with pytest.raises(SizeError, match="for each of the 4 examples"):
        trace_loop(net, X, Y, 1.0)
    with pytest.raises(SizeError, match="trace_loop records every"):
        LoopStepper(net, X, Y, eta=1.0)


def test_symbolic_network_refuses_sizes_sympy_would_not_finish():
    bs = pytest.importorskip("bpkit.symbolic")
    with pytest.raises(SizeError, match=r"SymbolicNetwork\(\[784, 30, 10\]\) has 23860 weights and biases"):
        bs.SymbolicNetwork([784, 30, 10])
    with pytest.raises(SizeError, match="7 layers"):
        bs.SymbolicNetwork([1] * 7)
    with pytest.raises(SizeError, match="n_examples = 100"):
        bs.check_average_cost((2, 2, 1), n_examples=100)


# -- Network.load -----------------------------------------------------------------------------

def _write(path, data):
    path.write_bytes(data)
    return path


@pytest.fixture
def saved(tmp_path):
    Network([2, 3, 1], seed=0).save(tmp_path / "net")
    return tmp_path / "net.npz"


def test_load_accepts_the_path_save_was_given(saved):
    net = Network.load(saved.with_suffix(""))
    assert net.sizes == [2, 3, 1]


@pytest.mark.parametrize("make, what", [
    (lambda p, good: _write(p / "empty.npz", b""), "the file is empty"),
    (lambda p, good: _write(p / "half.npz", good[: len(good) // 2]), "it cannot be read .*it may be truncated"),
    (lambda p, good: _write(p / "pickled.npz", pickle.dumps({"sizes": [2, 1]})), "looks like a pickle, which bpkit never loads"),
    (lambda p, good: (np.save(p / "one.npy", np.ones(3)), p / "one.npy")[1], r"a single \.npy array"),
    (lambda p, good: (np.savez(p / "other.npz", a=np.ones(2)), p / "other.npz")[1], r"it has no meta or sizes array \(it holds \['a'\]\)"),
    (lambda p, good: (np.savez(p / "now.npz", sizes=np.array([2, 1]), meta=np.array(["sigmoid", "sigmoid", "quadratic", "float64"])),
                      p / "now.npz")[1], r"it has no w2, b2 for sizes \[2, 1\]"),
    (lambda p, good: (np.savez(p / "shape.npz", sizes=np.array([2, 1]), meta=np.array(["sigmoid", "sigmoid", "quadratic", "float64"]),
                               w2=np.ones((2, 2)), b2=np.ones((1, 1))), p / "shape.npz")[1], r"w\^2 .* must have shape \(1, 2\)"),
    (lambda p, good: _write(p / "text.npz", b"hello world"), r"it is not a \.npz \(zip\) archive"),
])
def test_load_names_the_path_and_what_is_wrong(tmp_path, saved, make, what):
    path = make(tmp_path, saved.read_bytes())
    with pytest.raises(FileFormatError, match=rf"{path} is not a network saved by Network.save: .*{what}"):
        Network.load(path)


def test_save_and_load_need_a_path():
    with pytest.raises(BpkitTypeError, match="path must be a str or pathlib.Path; got 5"):
        Network([2, 1]).save(5)
    with pytest.raises(BpkitTypeError, match="path must be a str or pathlib.Path; got None"):
        Network.load(None)


def test_load_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no network file at"):
        Network.load(tmp_path / "missing.npz")


# -- the data loaders and mazur.train ---------------------------------------------------------

def test_data_loaders_check_their_arguments(tmp_path):
    with pytest.raises(BpkitTypeError, match="dtype must be float32 or float64"):
        bpkit.load_mnist(tmp_path, dtype=int)
    with pytest.raises(BpkitTypeError, match="n must be a whole number >= 2"):
        bpkit.spirals(10.5)
    with pytest.raises(BpkitTypeError, match="n_classes must be a whole number >= 1"):
        bpkit.one_hot(np.array([0]), 2.0)
    with pytest.raises(BpkitTypeError, match="dtype must be float32 or float64"):
        bpkit.xor().astype(np.int32)
    bad_gz = _write(tmp_path / "train-images-idx3-ubyte.gz", b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(FileFormatError, match=rf"{bad_gz} is not a readable gzip file"):
        bpkit.data.read_idx(bad_gz)
    with pytest.raises(FileFormatError, match="is not an IDX file"):
        bpkit.data.read_idx(_write(tmp_path / "x.idx", b"\x01\x02\x03\x04"))


@pytest.mark.parametrize("iterations, error", [(-1, BpkitValueError), (2.5, BpkitTypeError), ("10", BpkitTypeError)])
def test_mazur_train_needs_a_whole_number_of_iterations(iterations, error):
    from bpkit import mazur

    with pytest.raises(error, match="iterations must be a whole number >= 0"):
        mazur.train(iterations)


# -- issue 18, item 6: the last gaps -----------------------------------------------------------

RAGGED = [[1.0, 2.0], [3.0]]


@pytest.mark.parametrize("call, where", [
    (lambda: Network([2, 2]).feedforward(RAGGED), "x[1] has 1 entry but x[0] has 2"),
    (lambda: Network([2, 2], weights=[RAGGED], biases=[[[0.0], [0.0]]]), "w^2[1] has 1 entry but w^2[0] has 2"),
    (lambda: Network([2, 2]).accuracy(np.zeros((2, 2)), RAGGED), "labels[1] has 1 entry but labels[0] has 2"),
    (lambda: sgd(Network([2, 2]), (np.zeros((2, 2)), RAGGED), 1, 1, 1.0), "Y[1] has 1 entry but Y[0] has 2"),
    (lambda: bpkit.one_hot(RAGGED, 3), "labels[1] has 1 entry but labels[0] has 2"),
    (lambda: bpkit.BP4(RAGGED, np.ones((2, 2))), "δ^l[1] has 1 entry but δ^l[0] has 2"),
    (lambda: Network([2, 2]).feedforward([[1.0, [2.0]], [3.0, 4.0]]), "x[0][1] is a list but x[0][0] is a number"),
])
def test_a_ragged_list_is_described_in_words_not_cut_off(call, where):
    """A ragged nested list gets a sentence saying where it is ragged, not NumPy's message
    ("setting an array element with a sequence. The requested array has an inhomogeneous
    shape ..."), which the messages used to quote, and which was cut off mid-word."""
    with pytest.raises(BpkitTypeError) as info:
        call()
    message = str(info.value)
    assert where in message, message
    assert "inhomogeneous" not in message and "setting an array element" not in message


def test_a_long_value_is_shortened_between_numbers_never_inside_one():
    row = [0.123456789 * k for k in range(30)]
    with pytest.raises(BpkitTypeError) as info:
        Network([30, 1]).feedforward([row, row[:3]])
    shown = str(info.value).split("got ", 1)[1].split(": ", 1)[0]
    assert shown.endswith(", ...") and len(shown) <= 64, shown
    head = shown[:-len(", ...")]
    assert float(head.rsplit(", ", 1)[1]) in row, f"cut inside a number: {shown}"


@pytest.mark.parametrize("call, name", [
    (lambda: Network([2, 1], dtype=np.float32).feedforward(np.array([[1e39], [0.0]])), "x (the input a^1"),
    (lambda: Network([2, 1], dtype=np.float32, weights=[[[1e39, 0.0]]], biases=[[[0.0]]]), "w^2 (layer l=2"),
    (lambda: Network([2, 1], weights=[[[0.0, -1e39]]], biases=[[[0.0]]]).astype(np.float32), "w^2 (layer l=2"),
    (lambda: Network([2, 1], dtype=np.float32).backprop(np.zeros((2, 1)), np.array([[4e38]])), "y (the target"),
    (lambda: bpkit.Dataset(np.array([[1e39, 0.0], [0.0, 0.0]]), np.zeros((1, 2))).astype(np.float32), "X has"),
])
def test_a_value_finite_in_float64_but_not_in_float32_names_the_dtype(call, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning "overflow encountered in cast" either
        with pytest.raises(DomainError) as info:
            call()
    message = str(info.value)
    assert message.startswith(name), message
    assert "float32" in message and "3.403e+38" in message and "finite as given" in message, message


def test_a_nan_is_still_reported_as_non_finite_not_as_an_overflow():
    with pytest.raises(DomainError, match=r"x \(the input a\^1, 2 neurons\) has a non-finite value nan"):
        Network([2, 1], dtype=np.float32).feedforward(np.array([[np.nan], [0.0]]))


def test_an_idx_header_whose_size_overflows_is_a_file_format_error(tmp_path):
    """Four sizes of 2**16 multiply to 2**64, which NumPy's int64 product wraps round to 0: the
    0 bytes of data then "matched", and reshaping them to that shape raised NumPy's error."""
    header = bytes([0, 0, 0x08, 4]) + (2**16).to_bytes(4, "big") * 4
    path = _write(tmp_path / "wrapped.idx", header)
    with pytest.raises(FileFormatError, match=r"its header gives the shape \(65536, 65536, 65536, 65536\), "
                                               r"which needs 18,446,744,073,709,551,616 bytes of data; found 0"):
        bpkit.data.read_idx(path)
    fine = _write(tmp_path / "fine.idx", bytes([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3]) + bytes(range(6)))
    assert bpkit.data.read_idx(fine).tolist() == [[0, 1, 2], [3, 4, 5]]
