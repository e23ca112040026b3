"""Cost functions C_x(a^L, y) as SymPy expressions in the book's symbols a^L_j and y_j.

``"generic"`` is an undefined function C(a^L_1, ..., a^L_n), so that ∂C/∂a^L_j appears in
the results; ``"quadratic"`` is C_x = ½ Σ_j (y_j − a^L_j)² = ½‖y − a^L‖² (bpkit's form, with
the ½); ``"cross_entropy"`` is C_x = −Σ_j [y_j ln a^L_j + (1 − y_j) ln(1 − a^L_j)].
The names match :func:`bpkit.get_cost`.

A :class:`bpkit.symbolic.SymbolicNetwork` also accepts any SymPy expression written with the
symbols of :mod:`bpkit.symbolic.notation` as its cost, for instance one that breaks the
assumption that C depends on the network only through a^L (see
:mod:`bpkit.symbolic.assumptions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import sympy as sp

from .._validate import lookup

__all__ = ["C", "CROSS_ENTROPY", "GENERIC", "QUADRATIC", "SymbolicCost", "get_symbolic_cost"]

#: The undefined function C of the generic cost.
C = sp.Function("C", real=True)


@dataclass(frozen=True)
class SymbolicCost:
    """A cost C_x as a SymPy expression.

    Attributes:
        name: ``"generic"``, ``"quadratic"`` or ``"cross_entropy"``.
        fn: ``fn(a_L, y)`` with the lists of symbols a^L_j and y_j; returns C_x.
        latex: the formula as the book writes it.
    """

    name: str
    fn: Callable[[Sequence[sp.Symbol], Sequence[sp.Symbol]], sp.Expr]
    latex: str

    @property
    def generic(self) -> bool:
        return self.name == "generic"

    def __call__(self, a_L: Sequence[sp.Symbol], y: Sequence[sp.Symbol]) -> sp.Expr:
        return self.fn(a_L, y)

    def __repr__(self) -> str:
        return f"SymbolicCost({self.name!r})"


GENERIC = SymbolicCost("generic", lambda a, y: C(*a), r"C = C(a^L)")
QUADRATIC = SymbolicCost(
    "quadratic",
    lambda a, y: sp.Rational(1, 2) * sp.Add(*[(yj - aj) ** 2 for aj, yj in zip(a, y)]),
    r"C_x = \tfrac{1}{2} \lVert y - a^L \rVert^2",
)
CROSS_ENTROPY = SymbolicCost(
    "cross_entropy",
    lambda a, y: -sp.Add(*[yj * sp.log(aj) + (1 - yj) * sp.log(1 - aj) for aj, yj in zip(a, y)]),
    r"C_x = -\sum_j \left[ y_j \ln a^L_j + (1 - y_j) \ln (1 - a^L_j) \right]",
)

COSTS: dict[str, SymbolicCost] = {c.name: c for c in (GENERIC, QUADRATIC, CROSS_ENTROPY)}


def get_symbolic_cost(cost: str | SymbolicCost) -> SymbolicCost:
    """Look a symbolic cost up by name, or return a :class:`SymbolicCost` unchanged."""
    return lookup(cost, COSTS, SymbolicCost, "symbolic cost",
                  ", or pass a SymPy expression in the symbols a^L_j, y_j of bpkit.symbolic.notation")
