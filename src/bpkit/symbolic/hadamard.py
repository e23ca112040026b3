"""The Hadamard product s ⊙ t in SymPy, and Nielsen's diagonal form Σ'(z) of BP1 and BP2.

(s ⊙ t)_j = s_j t_j. Nielsen notes that the Hadamard product with σ'(z) is the product with
the diagonal matrix

    Σ'(z) = diag(σ'(z_1), ..., σ'(z_n)),   so that   s ⊙ σ'(z) = Σ'(z) s,

and BP1 and BP2 can be written with ordinary matrix products only:

    BP1  δ^L = Σ'(z^L) ∇_a C
    BP2  δ^l = Σ'(z^l) (w^(l+1))^T δ^(l+1)
    so   δ^l = Σ'(z^l) (w^(l+1))^T Σ'(z^(l+1)) ⋯ (w^L)^T Σ'(z^L) ∇_a C.

:func:`check_diagonal_form` shows with SymPy that both forms give the same δ^l, entry by entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sympy as sp

from ..errors import BpkitValueError
from . import equations, notation
from .activations import SymbolicActivation, get_symbolic_activation
from .equations import hadamard  # defined with BP1 and BP2, which use it; exported here too

if TYPE_CHECKING:  # pragma: no cover - for type checkers only: network comes after this module
    from .network import SymbolicNetwork

__all__ = ["DiagonalFormCheck", "check_diagonal_form", "hadamard", "sigma_prime_matrix"]


def sigma_prime_matrix(z: sp.Matrix, activation: SymbolicActivation) -> sp.Matrix:
    """Σ'(z) = diag(σ'(z_1), ..., σ'(z_n)) for a column z."""
    z = notation.check_expr(z, "z", "Σ'(z)", matrix=True)
    activation = get_symbolic_activation(activation)
    if z.cols != 1:
        raise BpkitValueError(f"Σ'(z) needs a column z of shape (n, 1); got shape {z.shape}")
    return sp.diag(*[activation.prime(zj) for zj in z])


def _same(s: sp.Matrix, t: sp.Matrix) -> bool:
    return s.shape == t.shape and all(sp.expand(si - ti) == 0 for si, ti in zip(s, t))


@dataclass
class DiagonalFormCheck:
    """The Hadamard and the diagonal forms of BP1, BP2 and of the unrolled δ^l, side by side.

    ``rows`` holds ``(label, hadamard_form, diagonal_form, equal)``; ``holds`` is True when
    every pair is equal.
    """

    rows: list[tuple[str, sp.Matrix, sp.Matrix, bool]] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return bool(self.rows) and all(r[3] for r in self.rows)

    def __repr__(self) -> str:
        lines = [f"DiagonalFormCheck({'holds' if self.holds else 'FAILS'})"]
        lines += [f"  {label}: {'equal' if eq else 'DIFFERENT'}" for label, _, _, eq in self.rows]
        return "\n".join(lines)


def check_diagonal_form(net: "SymbolicNetwork") -> DiagonalFormCheck:
    """Compare s ⊙ σ'(z) with Σ'(z) s in BP1 and in BP2 for every layer of ``net`` (with the
    error δ^(l+1) as symbols), and the unrolled product Σ'(z^l)(w^(l+1))^T ⋯ Σ'(z^L)∇_a C with
    the δ^l that BP1 and BP2 give."""
    notation.check_network(net, "check_diagonal_form")
    L = net.L
    check = DiagonalFormCheck()
    grad = net.nabla_a_C()
    z_L = net.z_vector(L)
    had = equations.output_error(grad, z_L, net.output_activation)
    diag = sigma_prime_matrix(z_L, net.output_activation) * grad
    check.rows.append((f"BP1, layer {L}", had, diag, _same(had, diag)))
    for l in range(L - 1, 1, -1):
        w_next, d_next, z_l = net.weight_matrix(l + 1), net.delta_vector(l + 1), net.z_vector(l)
        had = equations.backpropagate_error(w_next, d_next, z_l, net.activation)
        diag = sigma_prime_matrix(z_l, net.activation) * w_next.T * d_next
        check.rows.append((f"BP2, layer {l}", had, diag, _same(had, diag)))
    deltas = net.errors()
    product = sigma_prime_matrix(z_L, net.output_activation) * grad
    check.rows.append((f"unrolled δ^{L}", deltas[-1], product, _same(deltas[-1], product)))
    for l in range(L - 1, 1, -1):
        product = sigma_prime_matrix(net.z_vector(l), net.activation) * net.weight_matrix(l + 1).T * product
        check.rows.append((f"unrolled δ^{l}", deltas[l - 2], product, _same(deltas[l - 2], product)))
    return check
