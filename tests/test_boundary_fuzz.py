"""Random junk at every public function and class of bpkit, bpkit.symbolic and bpkit.widgets.

For each callable, one argument at a time is replaced by junk drawn by hypothesis (None, bools,
huge or negative numbers, NaN, strings, dicts, ragged lists, arrays of every dtype and shape,
SymPy objects), the others kept valid. Each call must either

* succeed, with a result that is finite and of the right shape (checked per callable), or
* raise a bpkit error (:class:`bpkit.errors.BpkitError`) whose message names the argument
  (its Python name, or how the book writes it: η for eta, w^l for weights, ...).

Never a NumPy, zipfile or SymPy error from deep inside, never a NaN handed back in silence.
``test_every_public_name_is_fuzzed`` keeps the list complete: a new public name must be added
here or to ``NOT_CALLED`` with the reason.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bpkit
import bpkit.symbolic as bs
import bpkit.widgets as bw
from bpkit import Network
from bpkit.errors import BpkitError

FUZZ = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# -- junk -------------------------------------------------------------------------------------

_numbers = st.one_of(
    st.integers(-3, 3), st.sampled_from([10**12, -(10**12), 2**63]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([np.float32(0.5), np.int64(2), np.nan]),
)
_shapes = st.lists(st.integers(0, 4), min_size=0, max_size=3).map(tuple)


@st.composite
def _arrays(draw):
    shape = draw(_shapes)
    kind = draw(st.sampled_from(["f", "i", "b", "c", "O", "U", "nan"]))
    size = int(np.prod(shape)) if shape else 1
    if kind == "f":
        return np.asarray(draw(st.lists(st.floats(-1e3, 1e3), min_size=size, max_size=size)), float).reshape(shape)
    if kind == "nan":
        a = np.zeros(shape)
        a.flat[:1] = np.nan
        return a
    if kind == "i":
        return np.arange(size).reshape(shape)
    if kind == "b":
        return np.ones(shape, bool)
    if kind == "c":
        return np.ones(shape, complex)
    if kind == "O":
        return np.full(shape, None, object)
    return np.full(shape, "a")


JUNK = st.one_of(
    st.none(), st.booleans(), _numbers, st.text(max_size=4), st.binary(max_size=4),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.lists(st.one_of(st.integers(-2, 3), st.floats(allow_nan=True), st.lists(st.integers(0, 2), max_size=2)), max_size=4),
    _arrays(), st.just(sp.Symbol("q")), st.just(sp.Matrix([[1, 2]])), st.just(object()),
)

# -- what a name may be called in a message ---------------------------------------------------

ALIASES = {
    "eta": ["eta", "η"], "lmbda": ["lmbda", "λ"], "eps": ["eps", "ε"], "net": ["net", "Network", "network"],
    "sizes": ["sizes", "layer", "Network(", "SymbolicNetwork("], "weights": ["weights", "w^"], "biases": ["biases", "b^"],
    "training_data": ["training data", "labels", "x", "y", "targets"], "test_data": ["test data", "test_data", "labels", "x", "y"],
    "X": ["X", "x"], "Y": ["Y", "y", "labels", "targets"], "labels": ["labels", "label"], "activation": ["activation", "σ"],
    "output_activation": ["activation", "σ", "output"], "cost": ["cost"], "nabla_a_C": ["∇_a C"], "z_L": ["z^L"],
    "a_L": ["a^L"], "w_next": ["w^(l+1)"], "delta_next": ["δ^(l+1)"], "z": ["z^l", "z"], "a": ["a^l", "a"],
    "prime": ["σ'(z^l)"], "delta": ["δ^l"], "a_prev": ["a^(l−1)"], "grad_fn": ["grad_fn"], "step": ["step"],
    "digits": ["digits"], "mini_batch_size": ["mini_batch_size"], "path": ["path", "file"],
    "n_classes": ["n_classes"], "expr": ["expr"], "nets": ["net"], "body": ["body"], "of": ["of"],
    "param": ["param"], "s": ["s"], "t": ["t"], "result": ["result"], "check": ["check"],
    "iterations": ["iterations"], "layer": ["layer"], "neuron": ["neuron", "j"], "n_examples": ["n_examples"],
    "example": ["example"], "selected": ["selected", "weight", "bias"], "title": ["title"], "dtype": ["dtype"],
    "seed": ["seed"], "sample": ["sample"], "order": ["order"], "floor": ["floor"], "method": ["method"],
    "m": ["m"], "n": ["n"], "noise": ["noise"], "test_size": ["test_size"], "kind": ["kind"], "folder": ["folder"],
    "init": ["init"], "epochs": ["epochs"], "x": ["x"], "y": ["y"], "b": ["b"], "l": ["layer l", "l="],
}


def _names_argument(message: str, arg: str) -> bool:
    for alias in ALIASES.get(arg, [arg]):
        if re.search(rf"(?<![A-Za-z_]){re.escape(alias)}(?![A-Za-z_])", message) or (not alias.isidentifier() and alias in message):
            return True
    return False


# -- finite, correctly shaped results ---------------------------------------------------------

def _finite(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.all(np.isfinite(value)))
    if isinstance(value, (float, np.floating)):
        return math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return all(_finite(v) for v in value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    return True


def _shapes_of(arrays):
    return [np.shape(a) for a in arrays]


NET = Network([2, 3, 2], seed=0)
X1, Y1 = np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]])
X4 = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], float)
Y4 = np.array([[0, 1, 1, 0], [1, 0, 0, 1]], float)
SIG = bpkit.activations.SIGMOID


def _ok_gradient(r):
    nabla_b, nabla_w = r
    return _shapes_of(nabla_b) == _shapes_of(NET.biases) and _shapes_of(nabla_w) == _shapes_of(NET.weights)


# (label, callable, valid keyword arguments, check of a successful result)
SPECS = [
    ("Network", Network, dict(sizes=[2, 3, 2], activation="sigmoid", cost="quadratic", output_activation=None, seed=0,
                               dtype=np.float64, init="scaled", weights=None, biases=None),
     lambda r: r.weights and _finite(r.weights + r.biases) and _shapes_of(r.weights) == [(n, m) for m, n in zip(r.sizes, r.sizes[1:])]),
    ("Network.feedforward", NET.feedforward, dict(a=X4), lambda r: r.shape == (2, 4)),
    ("Network.forward", NET.forward, dict(x=X4), lambda r: len(r[0]) == 2),
    ("Network.backprop", NET.backprop, dict(x=X4, y=Y4), _ok_gradient),
    ("Network.cost_value", NET.cost_value, dict(x=X4, y=Y4), lambda r: np.ndim(r) == 0),
    ("Network.predict", NET.predict, dict(x=X4), lambda r: r.shape == (4,)),
    ("Network.accuracy", NET.accuracy, dict(x=X4, labels=np.array([0, 1, 1, 0])), lambda r: 0 <= r <= 1),
    ("Network.evaluate", NET.evaluate, dict(test_data=[(X1, 0)]), lambda r: r in (0, 1)),
    ("Network.w", NET.w, dict(l=2), lambda r: r.shape == (3, 2)),
    ("Network.b", NET.b, dict(l=3), lambda r: r.shape == (2, 1)),
    ("Network.astype", NET.astype, dict(dtype=np.float32), lambda r: r.dtype == np.float32),
    ("Network.load", Network.load, dict(path="/nonexistent/x.npz"), lambda r: isinstance(r, Network)),
    ("sgd", bpkit.sgd, dict(net=Network([2, 2], seed=0), training_data=(X4, np.array([0, 1, 1, 0])), epochs=1,
                            mini_batch_size=2, eta=0.5, test_data=None, lmbda=0.0, seed=0, method="matrix", progress=False),
     lambda r: _finite(r.training_cost)),
    ("BP1", bpkit.BP1, dict(nabla_a_C=np.ones((2, 4)), z_L=np.ones((2, 4)), activation=SIG, a_L=None), lambda r: r.shape == (2, 4)),
    ("BP2", bpkit.BP2, dict(w_next=np.ones((2, 3)), delta_next=np.ones((2, 4)), z=np.ones((3, 4)), activation=SIG,
                            a=None, prime=None), lambda r: r.shape == (3, 4)),
    ("BP3", bpkit.BP3, dict(delta=np.ones((3, 4))), lambda r: r.shape == (3, 1)),
    ("BP4", bpkit.BP4, dict(delta=np.ones((3, 4)), a_prev=np.ones((2, 4))), lambda r: r.shape == (3, 2)),
    ("hadamard", bpkit.hadamard, dict(s=np.ones((2, 1)), t=np.ones((2, 1))), lambda r: r.shape == (2, 1)),
    ("backprop", bpkit.backprop, dict(weights=NET.weights, biases=NET.biases, x=X4, y=Y4, activation=SIG,
                                      output_activation=SIG, cost=bpkit.costs.QUADRATIC), _ok_gradient),
    ("relative_error", bpkit.relative_error, dict(a=np.ones(3), b=np.ones(3), floor=0.0), lambda r: r.shape == (3,)),
    ("numerical_gradient", bpkit.numerical_gradient, dict(net=NET, x=X1, y=Y1, eps=1e-4, order=2, sample=3, seed=0),
     lambda r: 1 <= len(r) <= 17),
    ("gradient_check", bpkit.gradient_check, dict(net=NET, x=X1, y=Y1, grad_fn=None, eps=1e-4, order=2, sample=3,
                                                  seed=0, floor=1e-10), lambda r: 1 <= r.checked <= 17),
    ("trace", bpkit.trace, dict(net=NET, x=X1, y=Y1, eta=0.5), lambda r: len(r.steps) > 0),
    ("get_activation", bpkit.get_activation, dict(activation="relu"), lambda r: True),
    ("get_cost", bpkit.get_cost, dict(cost="quadratic"), lambda r: True),
    ("one_hot", bpkit.one_hot, dict(labels=np.array([0, 2]), n_classes=3), lambda r: r.shape == (3, 2)),
    ("spirals", bpkit.spirals, dict(n=10, noise=0.1, seed=0, classes=3), lambda r: r.X.shape[0] == 2),
    ("circles", bpkit.circles, dict(n=10, noise=0.1, factor=0.5, seed=0), lambda r: r.Y.shape == (2, 10)),
    ("blobs", bpkit.blobs, dict(n=10, classes=3, spread=0.3, seed=0), lambda r: r.Y.shape == (3, 10)),
    ("load_mnist", bpkit.load_mnist, dict(folder="/nonexistent", kind="train", dtype=np.float64), lambda r: True),
    ("Activation.__call__", SIG, dict(z=np.ones((2, 1))), lambda r: True),  # any shape in, the same out
    ("Dataset.astype", bpkit.xor().astype, dict(dtype=np.float32), lambda r: r.X.dtype == np.float32),
]
SLOW_SPECS = [
    ("load_digits", bpkit.load_digits, dict(test_size=0.2, seed=0), lambda r: r[0].X.shape[0] == 64),
]

_SN = bs.SymbolicNetwork([2, 1], "sigmoid", "quadratic")
SYMBOLIC_SPECS = [
    ("SymbolicNetwork", bs.SymbolicNetwork, dict(sizes=[2, 1], activation="generic", cost="generic",
                                                 output_activation=None, example=None), lambda r: r.L >= 2),
    ("get_symbolic_activation", bs.get_symbolic_activation, dict(activation="sigmoid"), lambda r: True),
    ("get_symbolic_cost", bs.get_symbolic_cost, dict(cost="quadratic"), lambda r: True),
    ("prove", bs.prove, dict(net=_SN), lambda r: r.holds),
    ("check_diagonal_form", bs.check_diagonal_form, dict(net=_SN), lambda r: r.holds),
    ("check_cost_assumption", bs.check_cost_assumption, dict(net=_SN), lambda r: r.holds),
    ("corrected_gradients", bs.corrected_gradients, dict(net=_SN), lambda r: len(r) == 3),
    ("gradient_function", bs.gradient_function, dict(net=_SN, method="direct"), callable),
    ("compare_with_bpkit", bs.compare_with_bpkit, dict(net=_SN, seed=0, m=2, method="direct"), lambda r: r.ok()),
    ("hadamard (symbolic)", bs.hadamard, dict(s=sp.Matrix([1, 2]), t=sp.Matrix([3, 4])), lambda r: r.shape == (2, 1)),
    ("sigma_prime_matrix", bs.sigma_prime_matrix, dict(z=sp.Matrix([sp.Symbol("u")]), activation="sigmoid"), lambda r: r.shape == (1, 1)),
    ("latex", bs.latex, dict(expr=sp.Symbol("u"), net=None), lambda r: isinstance(r, str)),
    ("partial", bs.partial, dict(param=_SN.w(2, 1, 1), of="C"), lambda r: isinstance(r, str)),
    ("math_block", bs.math_block, dict(body="x"), lambda r: isinstance(r, str)),
    ("latex_forward", bs.latex_forward, dict(net=_SN), lambda r: isinstance(r, str)),
    ("latex_cost", bs.latex_cost, dict(net=_SN), lambda r: isinstance(r, str)),
    ("latex_bp", bs.latex_bp, dict(net=_SN), lambda r: isinstance(r, str)),
    ("latex_gradient", bs.latex_gradient, dict(net=_SN, param=_SN.w(2, 1, 1)), lambda r: isinstance(r, str)),
    ("latex_proof", bs.latex_proof, dict(result=bs.prove(_SN)), lambda r: isinstance(r, str)),
    ("latex_missing_terms", bs.latex_missing_terms, dict(check=bs.check_cost_assumption(_SN)), lambda r: isinstance(r, str)),
    ("residual", bs.residual, dict(expr=sp.Integer(0), nets=_SN), lambda r: isinstance(r, sp.Expr)),
    ("SymbolicNetwork.w", _SN.w, dict(l=2, j=1, k=1), lambda r: True),
]
# These run a proof: junk that happens to be valid sizes would start one, so sizes are never fuzzed.
SYMBOLIC_PROOF_SPECS = [
    ("check_average_cost", bs.check_average_cost, dict(sizes=[1, 1], n_examples=1, activation="generic", cost="generic"),
     lambda r: r.holds),
    ("hidden_activation_counterexample", bs.hidden_activation_counterexample,
     dict(sizes=[1, 1, 1], layer=2, neuron=1, activation="generic", cost="generic"), lambda r: r.explained),
]
WIDGET_SPECS = [
    ("PassStepper", bw.PassStepper, dict(net=NET, x=X1, y=Y1, eta=None, step=0, digits=3, title=None), lambda r: r.n_steps > 0),
    ("LoopStepper", bw.LoopStepper, dict(net=NET, X=X4, Y=Y4, eta=1.0, step=0, digits=3, title=None), lambda r: r.n_steps > 0),
    ("NotationExplorer", bw.NotationExplorer, dict(net=NET, selected=None, digits=3, title=None), lambda r: True),
    ("trace_loop", bw.trace_loop, dict(net=NET, X=X4, Y=Y4, eta=1.0), lambda r: r.m == 4),
    ("GraphStepper", bw.GraphStepper, dict(net=NET, x=X1, y=Y1, step=0, digits=3, title=None), lambda r: r.n_steps > 0),
    ("Playground", bw.Playground, dict(dataset="xor", hidden=(3,), activation="tanh", eta=1.0, batch_size=4, seed=0,
                                       key="fuzz", digits=3), lambda r: r.net.sizes == [2, 3, 1]),
    ("SelfCheck", bw.SelfCheck, dict(question="What is $\\delta^3_1$?", answer=0.25, choices=None, digits=3,
                                     explanation="BP1.", mistakes=[(0.5, "BP1 without σ'.")]),
     lambda r: r.check(r.answer) == "correct" and r.check(0.5) in ("mistake", "too high", "too low")),
    ("Review", bw.Review, dict(title="Questions to try again"), lambda r: r.title == "Questions to try again"),
    ("Progress", bw.Progress, dict(title="Your progress"), lambda r: r.title == "Your progress"),
]

#: Public names that are not called with junk, and why.
NOT_CALLED = {
    # plain records that bpkit returns, not made from user input
    "GradientCheck", "History", "Step", "Trace", "LoopStep", "LoopTrace", "AverageCostCheck", "CostAssumptionCheck",
    "DiagonalFormCheck", "MissingTerm", "NumericCheck", "ProofResult", "ProofRow",
    # the containers of user-defined functions: checked where they are used (Network, get_activation)
    "Activation", "Cost", "SymbolicActivation", "SymbolicCost",
    # a NamedTuple of two arrays: its method astype is fuzzed, and every function taking one checks it
    "Dataset",
    # data with no arguments
    "xor",
    # modules
    "assumptions", "equations", "notation", "numeric", "proof",
    # the same functions as BP1..BP4 under their long names (fuzzed as BP1..BP4)
    "output_error", "backpropagate_error", "bias_gradient", "weight_gradient",
    # latex of an AverageCostCheck: it needs one from check_average_cost (fuzzed with its argument)
    "latex_average_cost",
}


#: Building blocks applied element by element, like NumPy's own functions: NaN in gives NaN out
#: there (the passes check x for NaN first, and sgd stops when the weights stop being finite).
ELEMENTWISE = {"Activation.__call__"}

#: Arguments for which a huge whole number is valid and means hours of work (a run of 10^12
#: epochs): those get junk without huge numbers.
LONG_IF_HUGE = {"epochs", "iterations"}


def _check_one(label, fn, kwargs, ok, arg, junk, allowed=(BpkitError,)):
    if arg in LONG_IF_HUGE and isinstance(junk, (int, np.integer)) and not isinstance(junk, bool) and junk > 100:
        junk = 3
    call = dict(kwargs, **{arg: junk})
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no NaN announced only by NumPy's warnings
        try:
            result = fn(**call)
        except allowed as exc:
            assert _names_argument(str(exc), arg), f"{label}({arg}={junk!r:.60}): the message does not name {arg}: {exc}"
            return
        except FileNotFoundError:
            assert arg in ("path", "folder", "kind"), f"{label}({arg}={junk!r:.60}) looked for a file"
            return
        except Exception as exc:  # noqa: BLE001 - this is what the test is about
            pytest.fail(f"{label}({arg}={junk!r:.60}) raised {type(exc).__name__} from outside bpkit's checks: {exc}")
    nan_in = isinstance(junk, (float, np.ndarray)) and np.asarray(junk).dtype.kind == "f" and np.isnan(junk).any()
    assert (_finite(result) or (label in ELEMENTWISE and nan_in)) and ok(result), f"{label}({arg}={junk!r:.60}) returned a bad result: {result!r:.200}"


def _cases(specs, skip=()):
    return [pytest.param(label, fn, kwargs, ok, arg, id=f"{label}-{arg}")
            for label, fn, kwargs, ok in specs for arg in kwargs if arg not in skip]


@pytest.mark.parametrize("label, fn, kwargs, ok, arg", _cases(SPECS))
@FUZZ
@given(junk=JUNK)
def test_bpkit_refuses_junk_clearly(label, fn, kwargs, ok, arg, junk):
    _check_one(label, fn, kwargs, ok, arg, junk)


@pytest.mark.parametrize("label, fn, kwargs, ok, arg", _cases(SLOW_SPECS))
@settings(FUZZ, max_examples=4)
@given(junk=JUNK)
def test_data_loaders_refuse_junk_clearly(label, fn, kwargs, ok, arg, junk):
    pytest.importorskip("sklearn")
    _check_one(label, fn, kwargs, ok, arg, junk)


@pytest.mark.parametrize("label, fn, kwargs, ok, arg", _cases(SYMBOLIC_SPECS))
@settings(FUZZ, max_examples=5)
@given(junk=JUNK)
def test_symbolic_refuses_junk_clearly(label, fn, kwargs, ok, arg, junk):
    _check_one(label, fn, kwargs, ok, arg, junk)


@pytest.mark.parametrize("label, fn, kwargs, ok, arg", _cases(SYMBOLIC_PROOF_SPECS, skip=("sizes",)))
@settings(FUZZ, max_examples=4)
@given(junk=JUNK)
def test_symbolic_proofs_refuse_junk_clearly(label, fn, kwargs, ok, arg, junk):
    _check_one(label, fn, kwargs, ok, arg, junk)


@pytest.mark.parametrize("label, fn, kwargs, ok, arg", _cases([w for w in WIDGET_SPECS if w[0] != "SelfCheck"]))
@settings(FUZZ, max_examples=5)
@given(junk=JUNK)
def test_widgets_refuse_junk_clearly(label, fn, kwargs, ok, arg, junk):
    # The widgets' own checks (check_network, check_eta, step, digits, title, selected, the
    # playground's settings) raise bpkit errors (bpkit/widgets/_base.py: WidgetTypeError,
    # WidgetValueError, WidgetIndexError, each also a TraitError so the page's bad values roll
    # back), naming the argument, as everything they hand on to bpkit does.
    _check_one(label, fn, kwargs, ok, arg, junk)


@pytest.mark.parametrize("label, fn, kwargs, ok, arg", _cases([w for w in WIDGET_SPECS if w[0] == "SelfCheck"]))
@settings(FUZZ, max_examples=5)
@given(junk=JUNK)
def test_selfcheck_refuses_junk_clearly(label, fn, kwargs, ok, arg, junk):
    # SelfCheck's own checks raise bpkit errors too (WidgetTypeError, WidgetValueError), naming
    # the argument.
    _check_one(label, fn, kwargs, ok, arg, junk)


def test_every_public_name_is_fuzzed():
    called = {label.split(".")[0].split(" ")[0] for label, *_ in
              SPECS + SLOW_SPECS + SYMBOLIC_SPECS + SYMBOLIC_PROOF_SPECS + WIDGET_SPECS}
    called |= {"BP1", "BP2", "BP3", "BP4"}
    public = set(bpkit.__all__) | set(bs.__all__) | set(bw.__all__)
    missing = public - called - NOT_CALLED
    assert not missing, f"public names with no fuzz test: {sorted(missing)}"


def test_the_fuzz_check_can_fail():
    """A function that leaks a NumPy error, or returns NaN, fails the check."""
    with pytest.raises(pytest.fail.Exception, match="from outside bpkit's checks"):
        _check_one("leaky", lambda x: np.ones(2) @ np.ones(x), {"x": 3}, lambda r: True, "x", 4)
    with pytest.raises(AssertionError, match="bad result"):
        _check_one("nan", lambda x: np.full(2, np.nan), {"x": 3}, lambda r: True, "x", 4)
    with pytest.raises(AssertionError, match="does not name"):
        _check_one("unnamed", lambda x: (_ for _ in ()).throw(bpkit.errors.BpkitValueError("bad")), {"x": 3},
                   lambda r: True, "x", 4)
