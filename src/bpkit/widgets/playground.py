"""``Playground``: train a small network on a 2-D data set in the page, and ask any neuron for its δ.

The reader picks one of bpkit's 2-D data sets (:func:`bpkit.xor`, :func:`bpkit.spirals`; the
points are computed here, when the book builds, and embedded in the page), the hidden layer
sizes, the hidden activation σ, the learning rate η and the mini-batch size m; then trains in
the page (Play/Pause, one epoch at a time, Reset) and watches the decision boundary and the
mean training cost C = (1/n) Σ_x C_x after each epoch. The output layer is sigmoid with the
cross-entropy cost, so a^L_j reads as a probability.

The page computes with bpkit's JavaScript mirror (``js/engine/``: BP1–BP4 and the update
w^l → w^l − (η/m) Σ_x ∂C_x/∂w^l, held to bpkit by the tests). Each epoch shuffles the n points
with a seeded generator and steps through them m at a time, as :func:`bpkit.sgd` does. A click
(or Enter) on a neuron shows its error δ^l_j and the equation that produced it: BP1 for the
output layer, BP2 for a hidden one, with the numbers of the selected example put in, and δ^l_j
averaged over the n points (which BP3 says is ∂C/∂b^l_j).

The whole configuration lives in the page's address, after ``#`` under the widget's ``key``,
so a link restores it (training is deterministic, so the epoch is restored by re-training).

>>> from bpkit.widgets import Playground
>>> p = Playground(dataset="xor", hidden=[3], activation="tanh", eta=1.0)
>>> p.net.sizes                     # the network of the configuration, before training
[2, 3, 1]
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import traitlets

from ..data import spirals, xor
from ..network import Network
from ..trace import trace
from ._base import BpkitWidget, module_source
from ._format import mathml
from .engine import net_dict, network_from_dict

DATASETS = ("xor", "spirals")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
OUTPUT_ACTIVATION, COST = "sigmoid", "cross_entropy"
MAX_HIDDEN_LAYERS, MAX_NEURONS = 3, 8
SPIRAL_POINTS = 200
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


class SettingError(traitlets.TraitError, ValueError):
    """A setting the playground cannot take. A ``TraitError`` too, so that a bad value sent by
    the page (live in Jupyter) is rolled back rather than kept."""


def dataset(name: str):
    """The data set ``name`` (``"xor"`` or ``"spirals"``) as bpkit makes it."""
    if name == "xor":
        return xor()
    if name == "spirals":
        return spirals(SPIRAL_POINTS)
    raise ValueError(f"dataset must be one of {DATASETS}; got {name!r}")


def playground_network(name: str, hidden: list[int], activation: str, seed: int) -> Network:
    """The network of a configuration: sizes [2, *hidden, n_L], hidden σ, sigmoid outputs and
    the cross-entropy cost, weights from bpkit's seeded "scaled" start."""
    n_out = dataset(name).Y.shape[0]
    return Network([2, *hidden, n_out], activation, COST, output_activation=OUTPUT_ACTIVATION, seed=seed)


def delta_equations() -> dict[str, dict[str, str]]:
    """MathML of the equation behind each δ, for every depth the page allows (L = 2..5).

    ``"BP1:L"``: the output error of layer L, as bpkit's trace writes it for sigmoid outputs
    with the cross-entropy cost, and neuron by neuron; ``"BP2:l"``: the error of hidden layer
    l, layer-wide (from the trace) and neuron by neuron.
    """
    out: dict[str, dict[str, str]] = {}
    for h in range(MAX_HIDDEN_LAYERS + 1):
        net = Network([1] * (h + 2), "sigmoid", COST, output_activation=OUTPUT_ACTIVATION, seed=0)
        L = net.num_layers
        for s in trace(net, np.zeros((1, 1)), np.zeros((1, 1))).steps:
            l = s.layer
            if s.kind == "output_error":
                neuron = rf"\delta^{{{l}}}_j = a^{{{l}}}_j - y_j"
                key = f"BP1:{L}"
            elif s.kind == "backpropagated_error":
                neuron = rf"\delta^{{{l}}}_j = \left(\sum_k w^{{{l + 1}}}_{{kj}} \delta^{{{l + 1}}}_k\right) \sigma'(z^{{{l}}}_j)"
                key = f"BP2:{l}"
            else:
                continue
            out[key] = {"layer": mathml(s.latex, display=True), "neuron": mathml(neuron, display=True),
                        "caption": s.caption}
    return out


def playground_data(seed: int, hidden: list[int], activation: str) -> dict[str, Any]:
    """What the page needs besides the settings: both data sets, the equations, and the starting
    networks bpkit makes for the first configuration (one per data set)."""
    sets = {}
    for name in DATASETS:
        d = dataset(name)
        sets[name] = {"X": d.X.tolist(), "Y": d.Y.tolist(), "n": int(d.n),
                      "label": "XOR, 4 points" if name == "xor" else f"Two spirals, {d.n} points"}
    return {
        "datasets": sets,
        "activations": list(ACTIVATIONS),
        "output_activation": OUTPUT_ACTIVATION, "cost": COST,
        "max_hidden_layers": MAX_HIDDEN_LAYERS, "max_neurons": MAX_NEURONS,
        "equations": delta_equations(),
        "initial": {name: {"hidden": list(hidden), "seed": seed,
                           "net": net_dict(playground_network(name, hidden, activation, seed))}
                    for name in DATASETS},
    }


def check_hidden(value: Any) -> list[int]:
    """0 to 3 hidden layers of 1 to 8 neurons each."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"hidden must be a list of hidden layer sizes, e.g. [4, 4]; got {value!r}")
    sizes = list(value)
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise SettingError(f"hidden: the playground has at most {MAX_HIDDEN_LAYERS} hidden layers; got {len(sizes)}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_NEURONS:
            raise SettingError(f"hidden: each hidden layer has 1 to {MAX_NEURONS} neurons; got {n!r}")
    return [int(n) for n in sizes]


class Playground(BpkitWidget):
    """Train a network on XOR or the two spirals in the page, and see the δ of any neuron.

    Args:
        dataset: ``"xor"`` or ``"spirals"`` (from :mod:`bpkit.data`).
        hidden: the hidden layer sizes, 0 to 3 layers of 1 to 8 neurons (``[]``: none).
        activation: σ of the hidden layers: ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``.
        eta: the learning rate η > 0.
        batch_size: the mini-batch size m (at most the number of points).
        seed: seed of the starting weights and of the shuffle of every epoch.
        key: the name of this figure in the page's address (``#key=...``).
        title: the heading of the figure.

    Attributes:
        epoch: epochs trained in the page (synced from the page).
        costs: the mean training cost after each epoch, ``costs[0]`` before training (``None``
            once it is no longer a finite number: η too large).
    """

    _module = "widgets/playground.js"
    _esm = module_source(_module)
    _static_keys = ("_data", "dataset", "hidden", "activation", "eta", "batch_size", "seed",
                    "key", "digits", "title")

    _data = traitlets.Dict().tag(sync=True)
    dataset = traitlets.Unicode("xor").tag(sync=True)
    hidden = traitlets.List(traitlets.Int(), default_value=[3]).tag(sync=True)
    activation = traitlets.Unicode("tanh").tag(sync=True)
    eta = traitlets.Float(1.0).tag(sync=True)
    batch_size = traitlets.Int(4).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    key = traitlets.Unicode("playground").tag(sync=True)
    epoch = traitlets.Int(0).tag(sync=True)
    costs = traitlets.List(traitlets.Float(allow_none=True)).tag(sync=True)
    _net = traitlets.Dict().tag(sync=True)

    def __init__(self, dataset: str = "xor", hidden: Any = (3,), activation: str = "tanh", eta: float = 1.0,
                 batch_size: int = 4, seed: int = 0, *, key: str = "playground", digits: int = 3,
                 title: str | None = None, **kwargs: Any) -> None:
        hidden = check_hidden(hidden)
        super().__init__(
            _data=playground_data(seed, hidden, activation), dataset=dataset, hidden=hidden,
            activation=activation, eta=eta, batch_size=batch_size, seed=seed, key=key, digits=digits,
            title="Playground: train a network in the page" if title is None else title, **kwargs)
        self._net = net_dict(playground_network(self.dataset, self.hidden, self.activation, self.seed))

    @traitlets.validate("dataset")
    def _check_dataset(self, proposal: Any) -> str:
        if proposal["value"] not in DATASETS:
            raise SettingError(f"dataset must be one of {DATASETS}; got {proposal['value']!r}")
        return proposal["value"]

    @traitlets.validate("hidden")
    def _check_hidden(self, proposal: Any) -> list[int]:
        return check_hidden(proposal["value"])

    @traitlets.validate("activation")
    def _check_activation(self, proposal: Any) -> str:
        if proposal["value"] not in ACTIVATIONS:
            raise SettingError(f"activation (σ of the hidden layers) must be one of {ACTIVATIONS}; got {proposal['value']!r}")
        return proposal["value"]

    @traitlets.validate("eta")
    def _check_eta(self, proposal: Any) -> float:
        eta = proposal["value"]
        if not (np.isfinite(eta) and eta > 0):
            raise SettingError(f"the learning rate η must be a positive number; got {eta!r}")
        return float(eta)

    @traitlets.validate("batch_size", "seed")
    def _check_whole(self, proposal: Any) -> int:
        name, v = proposal["trait"].name, proposal["value"]
        low = 1 if name == "batch_size" else 0
        if v < low:
            raise SettingError(f"{name} must be a whole number >= {low}; got {v!r}")
        return int(v)

    @traitlets.validate("key")
    def _check_key(self, proposal: Any) -> str:
        if not _KEY.fullmatch(proposal["value"]):
            raise SettingError(f"key must be a letter then up to 39 letters, digits, - or _; got {proposal['value']!r}")
        return proposal["value"]

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
