"""``Playground``: train a small network on a 2-D data set in the page, and ask any neuron for its δ.

The reader picks one of bpkit's 2-D data sets (:func:`bpkit.xor`, :func:`bpkit.circles`,
:func:`bpkit.blobs`, :func:`bpkit.spirals`, with two or three classes; the points are computed
here, when the book builds, and embedded in the page, with held-out points drawn from the same
generator with another seed), or adds and removes points of their own; then the hidden layer
sizes, the hidden activation σ, the learning rate η, the mini-batch size m and when to stop;
then trains in the page (Play/Pause at a speed the reader picks, from 3 epochs a second to
as fast as the machine allows; one epoch at a time; Reset) and watches the decision
boundary, what every neuron computes over the plane, the mean training cost
C = (1/n) Σ_x C_x after each epoch, and the accuracy on the training and the held-out points.
Two classes: sigmoid outputs with the cross-entropy cost, so a^L_j reads as a probability;
three: softmax outputs with the log-likelihood cost.

The page computes with bpkit's JavaScript mirror (``js/engine/``: BP1–BP4 and the update
w^l → w^l − (η/m) Σ_x ∂C_x/∂w^l, held to bpkit by the tests). It starts from the weights of
:func:`playground_network` (drawn by :func:`page_start`, the same numbers in Python and in the
page, bit for bit, whatever the settings); each epoch shuffles the n points with the same
seeded generator and steps through them m at a time: :func:`bpkit.sgd` with
``batches=bpkit.train.page_batches(n, m, seed)`` takes the very same steps. A click (or Enter)
on a neuron shows its error δ^l_j over the plane (the δ each training point sends it, with its
scale) and the equation that produced it: BP1 for the output layer, BP2 for a hidden one, with
the numbers of the selected example put in, and δ^l_j averaged over the n points (which BP3
says is ∂C/∂b^l_j). A scrubber replays any epoch trained so far.

The whole configuration lives in the page's address, after ``#`` under the widget's ``key``,
so a link restores it (training is deterministic, so the epoch is restored by re-training).

>>> from bpkit.widgets import Playground
>>> p = Playground(dataset="xor", hidden=[3], activation="tanh", eta=1.0)
>>> p.net.sizes                     # the network of the configuration, before training
[2, 3, 1]
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import numpy as np
import traitlets

from ..data import Dataset, blobs, circles, spirals, xor
from ..network import Network
from ..trace import trace
from ..train import page_random
from ._base import BpkitWidget, WidgetTypeError, WidgetValueError, module_source
from ._format import mathml
from .engine import net_dict, network_from_dict

#: The data sets the page offers: (label, training set, held-out set or None).
DATASETS = ("xor", "circles", "blobs", "spirals", "spirals3", "blobs3")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
MAX_HIDDEN_LAYERS, MAX_NEURONS = 3, 8
MAX_EPOCHS = 20_000  # the largest epoch limit the page takes
#: The page stops a run whose training cost has stayed above twice its start for this many epochs
#: in a row (gradient descent overshooting without the cost ever becoming infinite).
GROWTH_EPOCHS = 100
SPIRAL_POINTS = 200
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


def _sets() -> dict[str, tuple[str, Any, Any]]:
    return {
        "xor": ("XOR, 4 points", lambda: xor(), None),
        "circles": ("Circles, 200 points", lambda: circles(200, noise=0.1, seed=0), lambda: circles(100, noise=0.1, seed=1)),
        "blobs": ("Two blobs, 200 points", lambda: blobs(200, 2, spread=0.45, seed=0), lambda: blobs(100, 2, spread=0.45, seed=1)),
        "spirals": (f"Two spirals, {SPIRAL_POINTS} points", lambda: spirals(SPIRAL_POINTS), lambda: spirals(100, seed=1)),
        "spirals3": ("Three spirals, 300 points", lambda: spirals(300, seed=0, classes=3), lambda: spirals(150, seed=1, classes=3)),
        "blobs3": ("Three blobs, 210 points", lambda: blobs(210, 3, spread=0.3, seed=0), lambda: blobs(90, 3, spread=0.3, seed=1)),
    }


#: A setting the playground cannot take: a bpkit error (a ``ValueError``), and a ``TraitError``
#: too, so that a bad value sent by the page (live in Jupyter) is rolled back rather than kept.
SettingError = WidgetValueError
#: A setting of the wrong kind (a ``TypeError``), rolled back like a :class:`SettingError`.
SettingTypeError = WidgetTypeError


def _check_name(name: Any) -> str:
    if not isinstance(name, str):
        raise SettingTypeError(f"dataset must be one of {DATASETS}; got {name!r}")
    if name not in DATASETS:
        raise SettingError(f"dataset must be one of {DATASETS}; got {name!r}")
    return name


@functools.lru_cache(maxsize=None)
def _made(name: str, part: int) -> Dataset | None:
    make = _sets()[name][part]
    return None if make is None else make()


def _copy(d: Dataset | None) -> Dataset | None:
    return None if d is None else Dataset(d.X.copy(), d.Y.copy())


def dataset(name: str) -> Dataset:
    """The training points of the data set ``name`` (one of ``DATASETS``), as bpkit makes them."""
    return _copy(_made(_check_name(name), 1))


def held_out(name: str) -> Dataset | None:
    """The held-out points of the data set ``name`` (the same generator, another seed), or None (XOR)."""
    return _copy(_made(_check_name(name), 2))


def outputs(name: str) -> tuple[int, str, str]:
    """The output layer a data set needs: (n_L, output activation, cost). Two classes: sigmoid
    outputs with the cross-entropy cost; three: softmax with the log-likelihood cost."""
    n_out = dataset(name).Y.shape[0]
    return (n_out, "softmax", "log_likelihood") if n_out >= 3 else (n_out, "sigmoid", "cross_entropy")


def page_start(sizes: list[int], seed: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The page's starting weights and biases for ``sizes`` and ``seed``: bpkit's "scaled" start,
    w^l_jk about N(0, 1/n_(l−1)) and b^l_j about N(0, 1), each number the sum of twelve numbers of
    :func:`bpkit.train.page_random` minus 6 (mean 0, variance 1), layer by layer, w^l row by row
    and then b^l. ``bpInitNet`` of js/engine/sgd.js draws the same numbers bit for bit (only
    additions of multiples of 2^−32, a square root and a division, which IEEE 754 rounds alike
    in Python and JavaScript), so that the figure and :func:`bpkit.sgd` start from the same
    network whatever the reader sets.

    >>> w, b = page_start([2, 3, 1], seed=0)
    >>> [x.shape for x in w], [x.shape for x in b]
    ([(3, 2), (1, 3)], [(3, 1), (1, 1)])
    """
    rand = page_random((seed * 2654435761 + 12345) % 2**32)

    def normal() -> float:
        s = 0.0
        for _ in range(12):
            s += rand()
        return s - 6

    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        s = 1 / math.sqrt(n_in)
        weights.append(np.array([[normal() * s for _ in range(n_in)] for _ in range(n_out)]))
        biases.append(np.array([[normal()] for _ in range(n_out)]))
    return weights, biases


def playground_network(name: str, hidden: list[int], activation: str, seed: int) -> Network:
    """The network of a configuration, as the page starts it: sizes [2, *hidden, n_L], hidden σ,
    the output layer and cost of :func:`outputs`, the weights and biases of :func:`page_start`."""
    n_out, out_act, cost = outputs(name)
    sizes = [2, *hidden, n_out]
    weights, biases = page_start(sizes, seed)
    return Network(sizes, activation, cost, output_activation=out_act, weights=weights, biases=biases)


def delta_equations() -> dict[str, dict[str, str]]:
    """MathML of the equation behind each δ, for every depth the page allows (L = 2..5).

    ``"BP1:L"`` and ``"BP1:L:softmax"``: the output error of layer L, as bpkit's trace writes it
    for sigmoid outputs with the cross-entropy cost (softmax with the log-likelihood), and neuron
    by neuron; ``"BP2:l"``: the error of hidden layer l, layer-wide (from the trace) and neuron
    by neuron.
    """
    out: dict[str, dict[str, str]] = {}
    for h in range(MAX_HIDDEN_LAYERS + 1):
        for out_act, cost, tag in (("sigmoid", "cross_entropy", ""), ("softmax", "log_likelihood", ":softmax")):
            out |= _equations_of(h, out_act, cost, tag)
    return out


def _equations_of(h: int, out_act: str, cost: str, tag: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    n_out = 2 if out_act == "softmax" else 1
    net = Network([1] * (h + 1) + [n_out], "sigmoid", cost, output_activation=out_act, seed=0)
    L = net.num_layers
    y = np.eye(n_out)[:, [0]] if n_out > 1 else np.zeros((1, 1))
    for s in trace(net, np.zeros((1, 1)), y).steps:
        l = s.layer
        if s.kind == "output_error":
            neuron = rf"\delta^{{{l}}}_j = a^{{{l}}}_j - y_j"
            key = f"BP1:{L}{tag}"
        elif s.kind == "backpropagated_error" and not tag:
            neuron = rf"\delta^{{{l}}}_j = \left(\sum_k w^{{{l + 1}}}_{{kj}} \delta^{{{l + 1}}}_k\right) \sigma'(z^{{{l}}}_j)"
            key = f"BP2:{l}"
        else:
            continue
        out[key] = {"layer": mathml(s.latex, display=True), "neuron": mathml(neuron, display=True), "caption": s.caption}
    return out


def _points(d: Dataset | None) -> dict[str, Any] | None:
    """Points as the page reads them: X as two rows, and each point's class (not one-hot)."""
    if d is None:
        return None
    return {"X": d.X.tolist(), "labels": [int(k) for k in d.labels]}


@functools.lru_cache(maxsize=1)
def playground_sets() -> dict[str, Any]:
    """Every data set of the page (the same for every playground: the page keeps one copy)."""
    out = {}
    for name, (label, _, _) in _sets().items():
        n_out, out_act, cost = outputs(name)
        out[name] = {"label": label, "train": _points(dataset(name)), "test": _points(held_out(name)),
                     "classes": max(n_out, 2), "outputs": n_out, "output_activation": out_act, "cost": cost}
    return out


def playground_data() -> dict[str, Any]:
    """What the page needs besides the settings and the data sets: the limits, the stop rule's
    length and the equations. (The starting network the page draws itself: :func:`page_start`.)"""
    return {
        "activations": list(ACTIVATIONS),
        "max_hidden_layers": MAX_HIDDEN_LAYERS, "max_neurons": MAX_NEURONS, "max_epochs": MAX_EPOCHS,
        "growth_epochs": GROWTH_EPOCHS, "equations": delta_equations(),
    }


def check_hidden(value: Any) -> list[int]:
    """0 to 3 hidden layers of 1 to 8 neurons each."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise SettingTypeError(f"hidden must be a list of hidden layer sizes, e.g. [4, 4]; got {value!r}")
    sizes = list(value)
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise SettingError(f"hidden: the playground has at most {MAX_HIDDEN_LAYERS} hidden layers; got {len(sizes)}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_NEURONS:
            raise SettingError(f"hidden: each hidden layer has 1 to {MAX_NEURONS} neurons; got {n!r}")
    return [int(n) for n in sizes]


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise SettingTypeError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    if not low <= value <= high:
        raise SettingError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    return int(value)


class Playground(BpkitWidget):
    """Train a network on a 2-D data set in the page, and see the δ of any neuron.

    Args:
        dataset: one of ``DATASETS``: ``"xor"``, ``"circles"``, ``"blobs"``, ``"spirals"``
            (two classes), ``"spirals3"``, ``"blobs3"`` (three), all from :mod:`bpkit.data`.
        hidden: the hidden layer sizes, 0 to 3 layers of 1 to 8 neurons (``[]``: none).
        activation: σ of the hidden layers: ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``.
        eta: the learning rate η > 0 (at most 1000).
        batch_size: the mini-batch size m (at most the number of points: larger means all).
        seed: seed of the starting weights and of the shuffle of every epoch (0 to 99999).
        max_epochs: training stops after this many epochs (1 to 20000); the page can change it.
        key: the name of this figure in the page's address (``#key=...``).
        digits: significant digits of the costs the page shows (3: 1.7, 0.108, 0.00132).
        title: the heading of the figure.

    Attributes:
        epoch: epochs trained in the page (synced from the page).
        costs: the mean training cost after each epoch, ``costs[0]`` before training (``None``
            once it is no longer a finite number: η too large).
    """

    _module = "widgets/playground.js"
    _esm = module_source(_module)
    _static_keys = ("_data", "dataset", "hidden", "activation", "eta", "batch_size", "seed", "max_epochs",
                    "key", "digits", "title")
    _shared_keys = ("_sets",)

    _data = traitlets.Dict().tag(sync=True)
    _sets = traitlets.Dict().tag(sync=True)
    dataset = traitlets.Any("xor").tag(sync=True)
    hidden = traitlets.Any([3]).tag(sync=True)
    activation = traitlets.Any("tanh").tag(sync=True)
    eta = traitlets.Any(1.0).tag(sync=True)
    batch_size = traitlets.Any(4).tag(sync=True)
    seed = traitlets.Any(0).tag(sync=True)
    max_epochs = traitlets.Any(2000).tag(sync=True)
    key = traitlets.Any("playground").tag(sync=True)
    epoch = traitlets.Int(0).tag(sync=True)
    costs = traitlets.List(traitlets.Float(allow_none=True)).tag(sync=True)
    _net = traitlets.Dict().tag(sync=True)

    def __init__(self, dataset: str = "xor", hidden: Any = (3,), activation: str = "tanh", eta: float = 1.0,
                 batch_size: int = 4, seed: int = 0, *, max_epochs: int = 2000, key: str = "playground",
                 digits: int = 3, title: str | None = None, **kwargs: Any) -> None:
        hidden = check_hidden(hidden)
        seed = _whole(seed, "seed", 0, 99_999)
        activation = self._check_activation({"value": activation})
        super().__init__(
            _data=playground_data(), _sets=playground_sets(), dataset=dataset, hidden=hidden,
            activation=activation, eta=eta, batch_size=batch_size, seed=seed, max_epochs=max_epochs, key=key,
            digits=digits, title="Playground: train a network in the page" if title is None else title, **kwargs)
        self._net = net_dict(playground_network(self.dataset, self.hidden, self.activation, self.seed))

    @traitlets.validate("dataset")
    def _check_dataset(self, proposal: Any) -> str:
        return _check_name(proposal["value"])

    @traitlets.validate("hidden")
    def _check_hidden(self, proposal: Any) -> list[int]:
        return check_hidden(proposal["value"])

    @traitlets.validate("activation")
    def _check_activation(self, proposal: Any) -> str:
        value = proposal["value"]
        if not isinstance(value, str):
            raise SettingTypeError(f"activation (σ of the hidden layers) must be one of {ACTIVATIONS}; got {value!r}")
        if value not in ACTIVATIONS:
            raise SettingError(f"activation (σ of the hidden layers) must be one of {ACTIVATIONS}; got {value!r}")
        return value

    @traitlets.validate("eta")
    def _check_eta(self, proposal: Any) -> float:
        eta = proposal["value"]
        if isinstance(eta, bool) or not isinstance(eta, (int, float, np.integer, np.floating)):
            raise SettingTypeError(f"eta (the learning rate η) must be a number; got {eta!r}")
        if not (np.isfinite(eta) and 0 < eta <= 1000):
            raise SettingError(f"eta (the learning rate η) must be a positive number of at most 1000; got {eta!r}")
        return float(eta)

    @traitlets.validate("batch_size")
    def _check_batch(self, proposal: Any) -> int:
        return _whole(proposal["value"], "batch_size", 1, 100_000)

    @traitlets.validate("seed")
    def _check_seed(self, proposal: Any) -> int:
        return _whole(proposal["value"], "seed", 0, 99_999)

    @traitlets.validate("max_epochs")
    def _check_max_epochs(self, proposal: Any) -> int:
        return _whole(proposal["value"], "max_epochs", 1, MAX_EPOCHS)

    @traitlets.validate("key")
    def _check_key(self, proposal: Any) -> str:
        value = proposal["value"]
        if not isinstance(value, str):
            raise SettingTypeError(f"key must be a string: a letter then up to 39 letters, digits, - or _; got {value!r}")
        if not _KEY.fullmatch(value):
            raise SettingError(f"key must be a letter then up to 39 letters, digits, - or _; got {value!r}")
        return value

    @property
    def net(self) -> Network:
        """The page's current network as a :class:`bpkit.Network`, sent by the page after every
        epoch step, pause and reset (live in Jupyter); the configuration's start before that."""
        if not self._net:
            return playground_network(self.dataset, self.hidden, self.activation, self.seed)
        return network_from_dict(self._net)

    def __repr__(self) -> str:
        return (f"Playground(dataset={self.dataset!r}, hidden={self.hidden}, activation={self.activation!r}, "
                f"eta={self.eta:g}, batch_size={self.batch_size}, epoch={self.epoch})")
