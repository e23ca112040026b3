"""The symbolic gradients as NumPy functions (``lambdify``), checked against :mod:`bpkit`.

:func:`gradient_function` turns the gradient of a :class:`SymbolicNetwork` with a concrete σ
and C into a function with the signature of :func:`bpkit.equations.backprop`'s data:
``f(weights, biases, x, y) -> (nabla_b, nabla_w)``, summed over the columns of x and y like
:meth:`bpkit.Network.backprop`. :func:`compare_with_bpkit` evaluates it on random weights,
biases, inputs and targets and compares with ``bpkit.Network.backprop`` on the same numbers:
the two must agree to rounding error (1e-12 in float64).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import sympy as sp

from .._validate import check_matrices, check_seed, check_whole
from ..errors import BpkitTypeError, BpkitValueError, ShapeError
from ..network import Network
from .network import SymbolicNetwork

__all__ = ["NumericCheck", "compare_with_bpkit", "gradient_function"]

Array = np.ndarray
GradientFunction = Callable[[Sequence[Array], Sequence[Array], Array, Array], tuple[list[Array], list[Array]]]
METHODS = ("direct", "bp")


def _check_concrete(net: SymbolicNetwork) -> None:
    if not isinstance(net, SymbolicNetwork):
        raise BpkitTypeError(f"net must be a SymbolicNetwork; got {net!r:.80}")
    if net.activation.generic or net.output_activation.generic:
        raise BpkitValueError(f"{net!r} has the generic σ, which has no numbers: use activation='sigmoid', 'tanh' or 'identity'")
    undefined = [f for f in net.cost.atoms(sp.Function) if isinstance(f, sp.core.function.AppliedUndef)]
    if undefined or net.cost_name == "generic":
        raise BpkitValueError(f"{net!r} has a generic cost C, which has no numbers: use cost='quadratic' or 'cross_entropy'")


def gradient_function(net: SymbolicNetwork, method: str = "direct") -> GradientFunction:
    """A NumPy function ``f(weights, biases, x, y) -> (nabla_b, nabla_w)`` from the symbolic
    gradient of ``net`` (concrete σ and C only).

    ``method="direct"`` lambdifies the direct derivatives of the composed cost; ``"bp"`` the
    BP1-BP4 gradients with every z^l_j and a^l_j replaced by its composition. ``weights[i]``
    and ``biases[i]`` are w^(i+2) and b^(i+2) as in :class:`bpkit.Network`; x is (n_1, m) and
    y is (n_L, m), one column per example, and the gradients are summed over the columns.
    """
    if not isinstance(method, str) or method not in METHODS:
        raise BpkitValueError(f"method must be one of {METHODS}; got {method!r}")
    _check_concrete(net)
    params = net.parameters
    if method == "direct":
        exprs = [net.direct_gradient(p, composed=True) for p in params]
    else:
        exprs = [net.from_book(net.bp_gradient(p)) for p in params]
    weight_syms = [s for w in net.weights for s in w]
    bias_syms = [s for b in net.biases for s in b]
    args = list(net.x) + list(net.y) + weight_syms + bias_syms
    f = sp.lambdify(args, exprs, modules="numpy", cse=True)
    where = {p: i for i, p in enumerate(params)}

    def gradients(weights: Sequence[Array], biases: Sequence[Array], x: Array, y: Array) -> tuple[list[Array], list[Array]]:
        x, y = check_matrices("the symbolic gradient", ("x", x, net.sizes[0], "m"), ("y", y, net.sizes[-1], "m"))
        if not isinstance(weights, (list, tuple)) or not isinstance(biases, (list, tuple)) or \
                len(weights) != net.L - 1 or len(biases) != net.L - 1:
            raise ShapeError(f"weights and biases do not fit a network of sizes {net.sizes}: give lists of "
                             f"{net.L - 1} arrays [w^2, ..., w^{net.L}] and [b^2, ..., b^{net.L}]")
        checked = [check_matrices("the symbolic gradient", (f"w^{l}", w, net.sizes[l - 1], net.sizes[l - 2]),
                                  (f"b^{l}", b, net.sizes[l - 1], 1))
                   for l, (w, b) in enumerate(zip(weights, biases), start=2)]
        values = [float(v) for w, _ in checked for v in w.ravel()]
        values += [float(v) for _, b in checked for v in b.ravel()]
        out = f(*x, *y, *values)
        sums = [float(np.sum(np.broadcast_to(v, (x.shape[1],)))) for v in out]
        nabla_b = [np.array([[sums[where[s]]] for s in b]) for b in net.biases]
        nabla_w = [np.array([[sums[where[w[j, k]]] for k in range(w.cols)] for j in range(w.rows)]) for w in net.weights]
        return nabla_b, nabla_w

    return gradients


@dataclass
class NumericCheck:
    """Symbolic (lambdified) against bpkit's NumPy gradients on the same random numbers."""

    method: str
    symbolic: tuple[list[Array], list[Array]]
    numeric: tuple[list[Array], list[Array]]
    max_abs_error: float

    def ok(self, tol: float = 1e-12) -> bool:
        return self.max_abs_error <= tol

    def __repr__(self) -> str:
        return f"NumericCheck({self.method}: max |symbolic − bpkit| = {self.max_abs_error:.3g})"


def compare_with_bpkit(net: SymbolicNetwork, seed: int = 0, m: int = 3, method: str = "direct") -> NumericCheck:
    """Evaluate ``net``'s symbolic gradient and :meth:`bpkit.Network.backprop` on the same random
    weights, biases and m examples (targets in (0, 1) for the cross-entropy), in float64."""
    _check_concrete(net)
    seed = check_seed(seed)
    m = check_whole(m, "m", 1, " (the examples compared)")
    if not isinstance(method, str) or method not in METHODS:
        raise BpkitValueError(f"method must be one of {METHODS}; got {method!r}")
    if net.cost_name not in ("quadratic", "cross_entropy"):
        raise BpkitValueError(f"bpkit has no cost {net.cost_name!r} to compare with")
    rng = np.random.default_rng(seed)
    sizes = net.sizes
    weights = [rng.standard_normal((n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal((n_out, 1)) for n_out in sizes[1:]]
    x = rng.standard_normal((sizes[0], m))
    y = rng.uniform(0.05, 0.95, (sizes[-1], m)) if net.cost_name == "cross_entropy" else rng.standard_normal((sizes[-1], m))
    np_net = Network(
        sizes, activation=net.activation.name, cost=net.cost_name,
        output_activation=net.output_activation.name, weights=weights, biases=biases,
    )
    numeric = np_net.backprop(x, y)
    symbolic = gradient_function(net, method)(weights, biases, x, y)
    err = max(
        float(np.max(np.abs(s - n)))
        for s, n in zip(symbolic[0] + symbolic[1], numeric[0] + numeric[1])
    )
    return NumericCheck(method, symbolic, numeric, err)
