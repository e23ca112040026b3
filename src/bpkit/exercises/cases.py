"""The networks the grader tries a reader's function on.

Each :class:`Case` is a random bpkit network with its input and target. They are chosen so that
the catalogue's mistakes cannot hide: at least two hidden layers (L = 4 or 5), every layer of
a different size from 2 to 7 (so no weight matrix is square and no two layers can be confused),
m = 1 or a mini-batch of m ≥ 2 examples with m different from every layer size, the sigmoid
and tanh, the quadratic and the cross-entropy cost. A *square* case, all layers of 3 neurons
and m = 2, lets the grader name a mistake that makes the reader's code raise on the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..activations import Activation, get_activation
from ..costs import Cost, get_cost
from ..network import Network

Array = np.ndarray

#: (activation, cost) of the networks, in turn; the cross-entropy needs the sigmoid outputs.
SETTINGS = (("sigmoid", "quadratic"), ("tanh", "quadratic"), ("sigmoid", "cross_entropy"))
QUADRATIC_ONLY = (("sigmoid", "quadratic"), ("tanh", "quadratic"))
ETAS = (0.5, 1.25, 3.0)


@dataclass
class Case:
    """One network (``weights``, ``biases``, σ = ``act`` in every layer, ``cost``), a
    mini-batch (``x``, ``y``: one column per example), a learning rate ``eta``, and ``layer``,
    the book's l that a one-layer exercise (BP2, BP3, BP4) is asked about."""

    sizes: list[int]
    act: Activation
    cost: Cost
    weights: list[Array]
    biases: list[Array]
    x: Array
    y: Array
    eta: float
    layer: int
    square: bool = False

    @property
    def m(self) -> int:
        return self.x.shape[1]

    @property
    def L(self) -> int:
        return len(self.sizes)

    def describe(self) -> str:
        """'the network [5, 3, 6, 2] (tanh, quadratic cost) with m = 3 examples'."""
        examples = "one example" if self.m == 1 else f"m = {self.m} examples"
        return (f"the network {self.sizes} ({self.act.name}, {self.cost.name.replace('_', '-')} cost) "
                f"with {examples}")


def _sizes(rng: np.random.Generator, square: bool, n_layers: int) -> list[int]:
    if square:
        return [3] * n_layers
    return [int(n) for n in rng.choice(np.arange(2, 8), size=n_layers, replace=False)]


def make_cases(count: int, seed: int, batch: str, settings: tuple[tuple[str, str], ...] = SETTINGS,
               square: bool = False, first_layer: int = 2, last_layer_offset: int = 0) -> list[Case]:
    """``count`` cases drawn with ``seed``. ``batch`` is ``"one"`` (m = 1), ``"many"``
    (m ≥ 2) or ``"both"`` (alternating). The layer a one-layer exercise is asked about is drawn
    from first_layer, ..., L − last_layer_offset."""
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(count):
        sizes = _sizes(rng, square, 4 + (i % 3 == 2))
        many = batch == "many" or (batch == "both" and i % 2 == 1)
        if not many:
            m = 1
        elif square:
            m = 2
        else:
            m = int(rng.choice([n for n in range(2, 9) if n not in sizes]))
        # with m = 1 and m > 1 alternating, each setting comes twice in a row, once with each, so
        # that a function wrong for one of them only is not mistaken for one wrong for the other
        act_name, cost_name = settings[(i // 2 if batch == "both" else i) % len(settings)]
        act, cost = get_activation(act_name), get_cost(cost_name)
        net = Network(sizes, act, cost, seed=int(rng.integers(2**31)))
        x = rng.standard_normal((sizes[0], m))
        y = rng.uniform(0.05, 0.95, (sizes[-1], m))
        layer = int(rng.integers(first_layer, len(sizes) - last_layer_offset + 1))
        cases.append(Case(sizes, act, cost, [np.ascontiguousarray(w) for w in net.weights], [b.copy() for b in net.biases],
                          x, y, ETAS[i % len(ETAS)], layer, square))
    return cases
