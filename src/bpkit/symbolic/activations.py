"""Activation functions σ as SymPy expressions, and σ' obtained by differentiating them.

``"generic"`` is an undefined function σ, so that σ' appears in every derivative exactly as in
the book; ``"sigmoid"`` is σ(z) = 1/(1 + e^(−z)), ``"tanh"`` is tanh z and ``"identity"`` is z.
The names match :func:`bpkit.get_activation`, so a symbolic network and a NumPy
:class:`bpkit.Network` built from the same names compute the same function.

σ' is never typed in by hand: :meth:`SymbolicActivation.prime` differentiates σ with SymPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from .._validate import lookup

__all__ = ["GENERIC", "IDENTITY", "SIGMA", "SIGMOID", "TANH", "SymbolicActivation", "get_symbolic_activation"]

#: The undefined function σ of the generic activation.
SIGMA = sp.Function("sigma", real=True)


@dataclass(frozen=True)
class SymbolicActivation:
    """An activation σ as a SymPy function.

    Attributes:
        name: ``"generic"``, ``"sigmoid"``, ``"tanh"`` or ``"identity"``.
        fn: σ, taking and returning a SymPy expression.
        latex: how the book writes σ.
    """

    name: str
    fn: Callable[[sp.Expr], sp.Expr]
    latex: str

    @property
    def generic(self) -> bool:
        """True for the undefined σ, whose derivative stays the symbol σ'."""
        return self.name == "generic"

    def __call__(self, z: sp.Expr) -> sp.Expr:
        return self.fn(z)

    def prime(self, z: sp.Expr) -> sp.Expr:
        """σ'(z), by SymPy's differentiation of σ: d/dt σ(t) at t = z.

        For the generic σ and a symbol z this is ``Derivative(sigma(z), z)``, printed σ'(z) by
        :func:`bpkit.symbolic.latex.latex`; for the sigmoid it is e^(−z)/(1 + e^(−z))²,
        which equals σ(z)(1 − σ(z)).
        """
        t = sp.Dummy("t", real=True)
        return sp.diff(self.fn(t), t).subs(t, z)

    def __repr__(self) -> str:
        return f"SymbolicActivation({self.name!r})"


GENERIC = SymbolicActivation("generic", SIGMA, r"\sigma")
SIGMOID = SymbolicActivation("sigmoid", lambda z: 1 / (1 + sp.exp(-z)), r"\sigma")
TANH = SymbolicActivation("tanh", sp.tanh, r"\tanh")
IDENTITY = SymbolicActivation("identity", lambda z: z, r"\operatorname{id}")

ACTIVATIONS: dict[str, SymbolicActivation] = {s.name: s for s in (GENERIC, SIGMOID, TANH, IDENTITY)}


def get_symbolic_activation(activation: str | SymbolicActivation) -> SymbolicActivation:
    """Look a symbolic activation up by name, or return a :class:`SymbolicActivation` unchanged."""
    return lookup(activation, ACTIVATIONS, SymbolicActivation, "symbolic activation",
                  " (\"generic\" is an undefined σ, so that σ' appears in the results)")
