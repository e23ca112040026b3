"""Cost functions C_x of one training example x, with their gradient ∇_a C_x.

The notes write the quadratic cost as C = 1/n ‖y − a^L‖², without the ½ and without the sum
over examples. The book (and bpkit) use Nielsen's form

    C = 1/n Σ_x C_x,   C_x = ½ ‖y(x) − a^L(x)‖²,

whose gradient is simply ∇_a C_x = a^L − y. The notes' form is 2/n times a single example's
C_x, so its gradient is (2/n)(a^L − y): the same direction, a different scale, which gradient
descent absorbs into the learning rate η.

Every ``fn`` takes a^L and y of shape (n_L, m) and returns Σ_x C_x over the m columns (one
column gives C_x itself); ``derivative`` returns ∇_a C_x column by column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validate import lookup
from .activations import Activation

Array = np.ndarray


def quadratic(a: Array, y: Array) -> float:
    """Σ_x ½ ‖y − a^L‖²."""
    d = a - y
    return 0.5 * float(np.sum(d * d))


def quadratic_derivative(a: Array, y: Array) -> Array:
    """∇_a C_x = a^L − y."""
    return a - y


def _xlogy(x: Array, y: Array) -> Array:
    """x ln y with 0 ln 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(y))


def cross_entropy(a: Array, y: Array) -> float:
    """Σ_x −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)], with 0 ln 0 = 0."""
    return float(-np.sum(_xlogy(y, a) + _xlogy(1 - y, 1 - a)))


def cross_entropy_derivative(a: Array, y: Array) -> Array:
    """∇_a C_x = (a − y) / (a (1 − a))."""
    return (a - y) / (a * (1 - a))


def log_likelihood(a: Array, y: Array) -> float:
    """Σ_x −Σ_j y_j ln a_j, the cost paired with a softmax output layer."""
    return float(-np.sum(_xlogy(y, a)))


def log_likelihood_derivative(a: Array, y: Array) -> Array:
    """∇_a C_x = −y / a."""
    return -y / a


@dataclass(frozen=True)
class Cost:
    """A cost C_x with what backpropagation needs of it.

    Attributes:
        name: short name for :func:`get_cost` and saved files.
        fn: ``fn(a, y)``, the sum of C_x over the columns of a^L and y.
        derivative: ``derivative(a, y)``, ∇_a C_x, the first factor of BP1.
        simplified_for: names of output activations for which BP1 collapses to δ^L = a^L − y.
        latex: the formula as the book writes it.
    """

    name: str
    fn: Callable[[Array, Array], float]
    derivative: Callable[[Array, Array], Array]
    simplified_for: tuple[str, ...]
    latex: str

    def simplified_output_error(self, activation: Activation) -> bool:
        """True when δ^L = a^L − y exactly: sigmoid with cross-entropy, softmax with
        log-likelihood, identity with quadratic. Then BP1 need not divide by σ'(z^L), which
        is what keeps those pairings from learning slowly when σ saturates."""
        return activation.name in self.simplified_for

    def __repr__(self) -> str:
        return f"Cost({self.name!r})"


QUADRATIC = Cost(
    "quadratic", quadratic, quadratic_derivative, ("identity",),
    r"C_x = \tfrac{1}{2} \lVert y - a^L \rVert^2",
)
CROSS_ENTROPY = Cost(
    "cross_entropy", cross_entropy, cross_entropy_derivative, ("sigmoid",),
    r"C_x = -\sum_j \left[ y_j \ln a^L_j + (1 - y_j) \ln (1 - a^L_j) \right]",
)
LOG_LIKELIHOOD = Cost(
    "log_likelihood", log_likelihood, log_likelihood_derivative, ("softmax",),
    r"C_x = -\sum_j y_j \ln a^L_j",
)

COSTS: dict[str, Cost] = {c.name: c for c in (QUADRATIC, CROSS_ENTROPY, LOG_LIKELIHOOD)}
_ALIASES = {"mse": "quadratic", "crossentropy": "cross_entropy", "cross-entropy": "cross_entropy",
            "nll": "log_likelihood", "log-likelihood": "log_likelihood"}


def get_cost(cost: str | Cost) -> Cost:
    """Look a cost up by name (``"quadratic"``, ``"cross_entropy"``, ``"log_likelihood"``), or
    return a :class:`Cost` unchanged."""
    return lookup(cost, COSTS, Cost, "cost", " or pass a bpkit.costs.Cost", aliases=_ALIASES)
