"""How much arithmetic backpropagation does, counted from the layer sizes alone.

The work of a pass through a network is in its matrix products, one multiply-add per weight
and per example for each product. For sizes [n_1, ..., n_L] and a mini-batch of m examples::

    forward  w^l a^(l−1)          Σ_{l=2..L} n_l n_(l−1) m  (every layer)
    BP2      (w^(l+1))^T δ^(l+1)  Σ_{l=3..L} n_l n_(l−1) m  (not the first)
    BP4      δ^l (a^(l−1))^T      Σ_{l=2..L} n_l n_(l−1) m  (every layer)

The rest (σ and σ', the Hadamard products, adding b^l, BP3's sums over the examples) is
n_l m operations per layer, a lower order, and is not counted here. So the backward pass
costs between one forward pass (a network with no hidden layer, where BP2 never runs) and
two; a central-difference gradient costs 2P forward passes for P weights and biases.

The book's chapters on the proofs and on gradient checking state these counts; their hidden
claims compute them with :func:`multiply_adds`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ._validate import check_sizes, check_whole


@dataclass(frozen=True)
class MultiplyAdds:
    """The multiply-adds of the matrix products of one forward and one backward pass."""

    sizes: tuple[int, ...]
    m: int
    forward: int  #: the forward pass, z^l = w^l a^(l−1) for l = 2, ..., L
    bp2: int  #: BP2, (w^(l+1))^T δ^(l+1) for l = L−1, ..., 2 (every weight matrix but w^2)
    bp4: int  #: BP4, δ^l (a^(l−1))^T for l = L, ..., 2 (every weight matrix)

    @property
    def backward(self) -> int:
        """The backward pass, BP2 and BP4 together."""
        return self.bp2 + self.bp4

    @property
    def backward_in_forwards(self) -> float:
        """The backward pass in forward passes, 1 + (weights of w^3 ... w^L) / (all weights),
        between 1 and 2."""
        return self.backward / self.forward

    @property
    def backprop_in_forwards(self) -> float:
        """One backpropagation (its forward pass and its backward pass) in forward passes."""
        return (self.forward + self.backward) / self.forward

    @property
    def parameters(self) -> int:
        """P, the number of weights and biases."""
        return sum(n_out * n_in + n_out for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]))

    @property
    def finite_differences(self) -> int:
        """A central-difference gradient, two forward passes (C(θ + ε) and C(θ − ε)) for
        each of the P parameters."""
        return 2 * self.parameters * self.forward


def multiply_adds(sizes: Sequence[int], m: int = 1) -> MultiplyAdds:
    """Count the multiply-adds of one forward and one backward pass (BP1–BP4) of a network
    with layer sizes ``sizes`` on ``m`` examples: n_l n_(l−1) m per product of w^l (forward,
    BP4) or of its transpose (BP2, which layer 2 does not need)."""
    sizes = check_sizes(sizes)
    m = check_whole(m, "m", 1, " (the examples of the mini-batch)")
    products = [n_out * n_in * m for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return MultiplyAdds(tuple(sizes), m, forward=sum(products), bp2=sum(products[1:]), bp4=sum(products))
