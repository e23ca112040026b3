"""The forward pass: a^1 = x, then z^l = w^l a^(l−1) + b^l and a^l = σ(z^l) for l = 2, ..., L.

In the component form of the notes, a^l_j = σ(Σ_k w^l_jk a^(l−1)_k + b^l_j): the weight w^l_jk
goes from neuron k in layer l−1 to neuron j in layer l, so row j of the matrix w^l holds every
weight into neuron j and the sum over k is the matrix-vector product w^l a^(l−1).

The Python lists are 0-based: ``weights[i]`` is the book's w^(i+2), ``zs[i]`` is z^(i+2) and
``activations[i]`` is a^(i+1) (so ``activations[0]`` is a^1 = x).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .activations import Activation
from .workspace import Workspace

Array = np.ndarray


def weighted_input(w: Array, a_prev: Array, b: Array, out: Array | None = None) -> Array:
    """z^l = w^l a^(l−1) + b^l.

    ``a_prev`` may hold one example (a column) or a mini-batch (one column per example); the
    bias column b^l is added to every column, in place in the product's array (one array per
    layer and mini-batch, not two): ``out``, if given, else a new one.
    """
    z = np.matmul(w, a_prev, out=out)  # w^l a^(l−1)
    if z.ndim == 2 and (z.dtype == b.dtype or z.dtype == np.result_type(z, b)):
        z += b  # + b^l, column by column
        return z
    return z + b


def forward(
    weights: Sequence[Array],
    biases: Sequence[Array],
    x: Array,
    activation: Activation,
    output_activation: Activation,
    work: Workspace | None = None,
) -> tuple[list[Array], list[Array]]:
    """Run the forward pass and keep every z^l and a^l, as backpropagation needs them.

    Returns ``(zs, activations)`` with ``zs[i]`` = z^(i+2) and ``activations[i]`` = a^(i+1),
    written into the arrays of ``work`` if a :class:`~bpkit.workspace.Workspace` is given.
    """
    work = work if work is not None else Workspace.unallocated(len(weights) + 1)
    activations = [x]  # a^1 = x
    zs = []
    last = len(weights) - 1
    for i, (w, b) in enumerate(zip(weights, biases)):
        z = weighted_input(w, activations[-1], b, out=work.zs[i])  # z^l = w^l a^(l-1) + b^l
        sigma = output_activation if i == last else activation
        zs.append(z)
        activations.append(sigma(z, out=work.activations[i + 1]))  # a^l = σ(z^l)
    return zs, activations


def feedforward(
    weights: Sequence[Array],
    biases: Sequence[Array],
    a: Array,
    activation: Activation,
    output_activation: Activation,
) -> Array:
    """Return the output a^L for input a = a^1, keeping nothing else."""
    last = len(weights) - 1
    for i, (w, b) in enumerate(zip(weights, biases)):
        a = (output_activation if i == last else activation)(weighted_input(w, a, b))
    return a
