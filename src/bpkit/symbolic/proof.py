"""The proof: direct differentiation and BP1-BP4 give the same ∂C/∂w^l_jk and ∂C/∂b^l_j.

For every weight and bias p of a :class:`~bpkit.symbolic.network.SymbolicNetwork`,

    ∂C/∂p (direct)  −  ∂C/∂p (BP1-BP4)  =  0.

The difference is reduced by :func:`bpkit.symbolic.zero.residual`, which decides whether
an expression is identically zero (see that module for how).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sympy as sp

from . import notation
from .latex import latex_proof
from .zero import residual

if TYPE_CHECKING:  # pragma: no cover - for type checkers only: network comes after this module
    from .network import SymbolicNetwork

__all__ = ["ProofResult", "ProofRow", "prove", "residual"]


@dataclass
class ProofRow:
    """One parameter p: ``direct`` = ∂C/∂p by direct differentiation (book symbols), ``bp`` =
    ∂C/∂p by BP1-BP4, ``difference`` = their difference reduced (0 when they agree)."""

    parameter: sp.Symbol
    direct: sp.Expr
    bp: sp.Expr
    difference: sp.Expr

    @property
    def equal(self) -> bool:
        return self.difference == 0


@dataclass
class ProofResult:
    """The outcome of :func:`prove`: one :class:`ProofRow` per weight and bias.

    ``holds`` is True when every difference is 0; ``seconds`` is the wall time the proof took.
    """

    network: str
    rows: list[ProofRow] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def holds(self) -> bool:
        return bool(self.rows) and all(r.equal for r in self.rows)

    @property
    def failures(self) -> list[ProofRow]:
        return [r for r in self.rows if not r.equal]

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        verdict = "holds" if self.holds else f"FAILS for {len(self.failures)} parameters"
        lines = [f"Proof for {self.network}: direct = BP1-BP4 {verdict} ({len(self.rows)} parameters, {self.seconds:.2f} s)"]
        for r in self.rows:
            mark = "difference = 0" if r.equal else f"difference = {r.difference}"
            lines.append(f"  ∂C/∂{notation.plain(r.parameter)}: {mark}")
        return "\n".join(lines)

    def latex(self) -> str:
        """The table of differences in LaTeX (see :func:`bpkit.symbolic.latex.latex_proof`)."""
        return latex_proof(self)


def prove(net: "SymbolicNetwork") -> ProofResult:
    """For every weight and bias p of ``net``, compute ∂C/∂p by direct differentiation of the
    composed cost and by BP1-BP4, and reduce their difference with :func:`residual`."""
    notation.check_network(net, "prove")
    start = time.perf_counter()
    result = ProofResult(repr(net))
    for p in net.parameters:
        direct = net.direct_gradient(p)
        bp = net.bp_gradient(p)
        result.rows.append(ProofRow(p, direct, bp, residual(direct - bp, net)))
    result.seconds = time.perf_counter() - start
    return result
