"""BP1-BP4 in SymPy: the same four functions as :mod:`bpkit.equations`, on SymPy matrices.

With δ^l_j = ∂C/∂z^l_j and ⊙ the Hadamard product:

    BP1  δ^L = ∇_a C ⊙ σ'(z^L)                       output_error
    BP2  δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l)        backpropagate_error
    BP3  ∂C/∂b^l_j = δ^l_j                            bias_gradient
    BP4  ∂C/∂w^l_jk = a^(l−1)_k δ^l_j                 weight_gradient

The arguments are SymPy column matrices, normally of the book's symbols z^l_j and a^l_j (the
quantities the forward pass stores), so that the results read like the book:
δ^3_1 = ∂C/∂a^3_1 σ'(z^3_1). The structure and the names are those of the NumPy functions,
line for line.
"""

from __future__ import annotations

from typing import Sequence

import sympy as sp

from ..errors import BpkitValueError
from . import notation
from .activations import SymbolicActivation

__all__ = [
    "BP1", "BP2", "BP3", "BP4", "backpropagate_error", "backprop", "bias_gradient", "errors",
    "hadamard", "output_error", "weight_gradient",
]


def hadamard(s: sp.Matrix, t: sp.Matrix) -> sp.Matrix:
    """The Hadamard product (s ⊙ t)_j = s_j t_j of two SymPy matrices of the same shape.

    Like :func:`bpkit.hadamard`, it refuses matrices of different shapes.
    """
    s = notation.check_expr(s, "s", "the Hadamard product s ⊙ t", matrix=True)
    t = notation.check_expr(t, "t", "the Hadamard product s ⊙ t", matrix=True)
    if s.shape != t.shape:
        raise BpkitValueError(f"the Hadamard product s ⊙ t needs two matrices of the same shape; got {s.shape} and {t.shape}")
    return sp.Matrix(s.rows, s.cols, [si * ti for si, ti in zip(s, t)])


def output_error(nabla_a_C: sp.Matrix, z_L: sp.Matrix, activation: SymbolicActivation) -> sp.Matrix:
    """BP1: δ^L = ∇_a C ⊙ σ'(z^L); in components δ^L_j = ∂C/∂a^L_j σ'(z^L_j)."""
    return hadamard(nabla_a_C, z_L.applyfunc(activation.prime))


def backpropagate_error(w_next: sp.Matrix, delta_next: sp.Matrix, z: sp.Matrix, activation: SymbolicActivation) -> sp.Matrix:
    """BP2: δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l); in components
    δ^l_j = (Σ_i w^(l+1)_ij δ^(l+1)_i) σ'(z^l_j)."""
    return hadamard(w_next.T * delta_next, z.applyfunc(activation.prime))


def bias_gradient(delta: sp.Matrix) -> sp.Matrix:
    """BP3: ∂C/∂b^l_j = δ^l_j."""
    return sp.Matrix(delta)


def weight_gradient(delta: sp.Matrix, a_prev: sp.Matrix) -> sp.Matrix:
    """BP4: ∂C/∂w^l_jk = a^(l−1)_k δ^l_j, i.e. the matrix δ^l (a^(l−1))^T."""
    return delta * a_prev.T


def errors(
    weights: Sequence[sp.Matrix],
    zs: Sequence[sp.Matrix],
    nabla_a_C: sp.Matrix,
    activation: SymbolicActivation,
    output_activation: SymbolicActivation,
) -> list[sp.Matrix]:
    """The errors [δ^2, ..., δ^L]: BP1 for δ^L, then BP2 back to δ^2.

    ``weights[i]`` is w^(i+2) and ``zs[i]`` is z^(i+2), as in :func:`bpkit.forward.forward`.
    """
    deltas: list[sp.Matrix] = [sp.Matrix()] * len(weights)
    deltas[-1] = output_error(nabla_a_C, zs[-1], output_activation)  # BP1
    for i in range(2, len(weights) + 1):  # Python index -i is the book's layer l = L+1-i
        deltas[-i] = backpropagate_error(weights[-i + 1], deltas[-i + 1], zs[-i], activation)  # BP2
    return deltas


def backprop(
    weights: Sequence[sp.Matrix],
    zs: Sequence[sp.Matrix],
    activations: Sequence[sp.Matrix],
    nabla_a_C: sp.Matrix,
    activation: SymbolicActivation,
    output_activation: SymbolicActivation,
) -> tuple[list[sp.Matrix], list[sp.Matrix]]:
    """Return ``(nabla_b, nabla_w)`` by BP1-BP4, like :func:`bpkit.equations.backprop`.

    The forward pass is given rather than run: ``zs[i]`` = z^(i+2) and ``activations[i]`` =
    a^(i+1) (``activations[0]`` = a^1 = x), normally as the book's symbols, and ``nabla_a_C``
    is ∇_a C, the column of ∂C/∂a^L_j.
    """
    deltas = errors(weights, zs, nabla_a_C, activation, output_activation)  # BP1, BP2
    nabla_b = [bias_gradient(d) for d in deltas]  # BP3
    nabla_w = [weight_gradient(d, a_prev) for d, a_prev in zip(deltas, activations)]  # BP4
    return nabla_b, nabla_w


# The book's names for the four equations.
BP1 = output_error
BP2 = backpropagate_error
BP3 = bias_gradient
BP4 = weight_gradient
