"""The four fundamental equations of backpropagation, and ``backprop``, their composition.

With δ^l_j = ∂C/∂z^l_j, the error of neuron j in layer l, and ⊙ the Hadamard (element-wise)
product:

    BP1  δ^L = ∇_a C ⊙ σ'(z^L)                       output_error
    BP2  δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l)        backpropagate_error
    BP3  ∂C/∂b^l_j = δ^l_j                            bias_gradient
    BP4  ∂C/∂w^l_jk = a^(l−1)_k δ^l_j                 weight_gradient

The notes print BP4 as "a_{l-1}^k δ^l_j", swapping the layer and the neuron index: the
activation is a^(l−1)_k, neuron k of layer l−1, the neuron the weight w^l_jk comes from.

Each function takes one example as a column or a mini-batch as a matrix with one column per
example. For a mini-batch, BP3 and BP4 return the gradients *summed* over the examples: the
sum Σ_x ∂C_x/∂w that Ng's pseudocode accumulates before the update.
"""

from __future__ import annotations

import functools
from typing import Sequence

import numpy as np

from ._validate import _short, check_matrices, check_same_shape
from .activations import Activation, get_activation
from .costs import Cost, get_cost
from .errors import BpkitTypeError, ShapeError
from .forward import forward
from .workspace import Workspace

Array = np.ndarray


def hadamard(s: Array, t: Array) -> Array:
    """The Hadamard product (s ⊙ t)_j = s_j t_j, for two arrays of the same shape.

    The notes' "a ⊙ b" lost its symbol to an encoding slip ("âŠ™"); ⊙ is U+2299. Unlike NumPy's
    ``*``, this refuses arrays of different shapes instead of broadcasting them.
    """
    s, t = check_same_shape([("s", s), ("t", t)], "the Hadamard product s ⊙ t")
    return s * t


def output_error(nabla_a_C: Array, z_L: Array, activation: Activation, a_L: Array | None = None) -> Array:
    """BP1: δ^L = ∇_a C ⊙ σ'(z^L), the error of the output layer L.

    In components δ^L_j = ∂C/∂a^L_j · σ'(z^L_j). For softmax, which is not element-wise, the
    Hadamard product becomes the vector-Jacobian product (∂a^L/∂z^L)^T ∇_a C, which needs a^L.
    """
    if type(activation) is not Activation:
        activation = get_activation(activation)
    if a_L is None:
        nabla_a_C, z_L = check_matrices("BP1", ("∇_a C", nabla_a_C, "n_L", "m"), ("z^L", z_L, "n_L", "m"))
        a_L = activation(z_L)
    else:
        nabla_a_C, z_L, a_L = check_matrices("BP1", ("∇_a C", nabla_a_C, "n_L", "m"), ("z^L", z_L, "n_L", "m"),
                                             ("a^L", a_L, "n_L", "m"))
    return activation.backward(z_L, a_L, nabla_a_C)


def backpropagate_error(w_next: Array, delta_next: Array, z: Array, activation: Activation,
                        a: Array | None = None, prime: Array | None = None, out: Array | None = None) -> Array:
    """BP2: δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l), the error of layer l from that of layer l+1.

    Multiplying by the transposed weight matrix moves the error one layer back through the
    weights; the Hadamard product with σ'(z^l) moves it back through the activation. ``a`` is
    a^l = σ(z^l) if the forward pass kept it: σ'(z^l) then needs no second exponential.
    ``prime`` is σ'(z^l) if already computed; with it, δ^l is written into ``out`` (if given).
    """
    if not (type(w_next) is np.ndarray and type(delta_next) is np.ndarray and type(z) is np.ndarray
            and w_next.ndim == delta_next.ndim == z.ndim == 2 and delta_next.shape == (w_next.shape[0], z.shape[1])
            and w_next.shape[1] == z.shape[0]
            and (a is None or (type(a) is np.ndarray and a.shape == z.shape))
            and (prime is None or (type(prime) is np.ndarray and prime.shape == z.shape))):
        # only when something is off (or not an array): name it, or convert what can be
        w_next, delta_next, z = check_matrices(
            "BP2", ("w^(l+1)", w_next, "n_(l+1)", "n_l"), ("δ^(l+1)", delta_next, "n_(l+1)", "m"), ("z^l", z, "n_l", "m"))
        if a is not None:
            a, = check_matrices("BP2", ("a^l", a, z.shape[0], z.shape[1]))
        if prime is not None:
            prime, = check_matrices("BP2", ("σ'(z^l)", prime, z.shape[0], z.shape[1]))
    if prime is None:
        return get_activation(activation).backward(z, a, w_next.T @ delta_next)
    delta = np.matmul(w_next.T, delta_next, out=out)  # (w^(l+1))^T δ^(l+1)
    delta *= prime  # ⊙ σ'(z^l)
    return delta


def bias_gradient(delta: Array, out: Array | None = None) -> Array:
    """BP3: ∂C/∂b^l_j = δ^l_j.

    For a mini-batch (one column of δ^l per example) the result is the sum over the columns,
    Σ_x ∂C_x/∂b^l, a column of the shape of b^l: the product δ^l 1 with a column of m ones,
    which BLAS computes faster than a NumPy sum along the rows. Written into ``out`` if given.
    """
    if not (type(delta) is np.ndarray and delta.ndim == 2):  # the passes' own arrays skip the check
        delta, = check_matrices("BP3", ("δ^l", delta, None, None))
    return np.matmul(delta, _ones(delta.shape[1], delta.dtype), out=out)


@functools.lru_cache(maxsize=32)
def _ones(m: int, dtype: np.dtype) -> Array:
    """The column of m ones that BP3 sums with, made once per (m, dtype) and read-only."""
    ones = np.ones((m, 1), dtype)
    ones.flags.writeable = False
    return ones


def weight_gradient(delta: Array, a_prev: Array, out: Array | None = None) -> Array:
    """BP4: ∂C/∂w^l_jk = a^(l−1)_k δ^l_j, i.e. the matrix δ^l (a^(l−1))^T.

    For a mini-batch the matrix product sums a^(l−1)_k δ^l_j over the examples, giving
    Σ_x ∂C_x/∂w^l, of the shape of w^l. Written into ``out`` if given.
    """
    if not (type(delta) is np.ndarray and type(a_prev) is np.ndarray and delta.ndim == a_prev.ndim == 2
            and delta.shape[1] == a_prev.shape[1]):
        delta, a_prev = check_matrices("BP4", ("δ^l", delta, None, "m"), ("a^(l−1)", a_prev, None, "m"))
    if out is None:
        # Column by column, the layout of Network.weights: the same numbers, faster to compute
        # (benchmarks/bench.py), and the update of w then runs over two arrays of one order.
        dtype = delta.dtype if delta.dtype == a_prev.dtype else np.result_type(delta, a_prev)
        out = np.empty((delta.shape[0], a_prev.shape[0]), dtype, order="F")
    return np.matmul(delta, a_prev.T, out=out)


def backprop(
    weights: Sequence[Array],
    biases: Sequence[Array],
    x: Array,
    y: Array,
    activation: Activation,
    output_activation: Activation,
    cost: Cost,
    scale: float = 1.0,
    work: Workspace | None = None,
) -> tuple[list[Array], list[Array]]:
    """Return ``(nabla_b, nabla_w)``, the gradient of C_x for input x and target y.

    ``nabla_b[i]`` and ``nabla_w[i]`` have the shapes of ``biases[i]`` and ``weights[i]``. For a
    mini-batch (x and y with one column per example) they are summed over the examples.
    With ``scale`` s they are the gradient of s·C_x: δ^L is multiplied by s, and BP2-BP4 are
    linear in δ, so every δ^l and every gradient is too. Training passes s = −η/m and gets the
    step of gradient descent itself, with no pass over the weight-sized arrays to scale them.
    With a :class:`~bpkit.workspace.Workspace` ``work`` every array goes into it (and the
    gradients returned are its arrays, overwritten by the next call); without, all are new.
    Only the shapes are checked here (no pass over the numbers; :meth:`bpkit.Network.backprop`
    also checks that x and y are finite), and not at all with a workspace: :func:`bpkit.sgd`,
    which passes one, has checked everything once before its first step.
    """
    if work is None:
        _check_backprop(weights, biases, x, y)
    if not (type(activation) is Activation and type(output_activation) is Activation and type(cost) is Cost):
        activation, output_activation, cost = get_activation(activation), get_activation(output_activation), get_cost(cost)
    work = work if work is not None else Workspace.unallocated(len(weights) + 1)
    zs, activations = forward(weights, biases, x, activation, output_activation, work)
    a_L = activations[-1]
    nabla_b: list[Array] = [None] * len(weights)  # type: ignore[list-item]
    nabla_w: list[Array] = [None] * len(weights)  # type: ignore[list-item]
    if cost.simplified_output_error(output_activation):
        # BP1 with σ'(z^L) cancelled against ∇_a C (see Cost.simplified_output_error)
        delta = np.subtract(a_L, y, out=work.deltas[-1])
    else:
        delta = output_error(cost.derivative(a_L, y), zs[-1], output_activation, a_L)  # BP1
    if scale != 1.0:
        delta *= scale  # δ^L of s·C (n_L × m numbers: cheap)
    nabla_b[-1] = bias_gradient(delta, out=work.nabla_b[-1])  # BP3
    nabla_w[-1] = weight_gradient(delta, activations[-2], out=work.nabla_w[-1])  # BP4
    # Walk back through the hidden layers: Python index -i is the book's layer l = L+1-i.
    for i in range(2, len(weights) + 1):
        sp = activation.derivative(zs[-i], activations[-i], out=work.primes[-i])  # σ'(z^l), from a^l
        delta = backpropagate_error(weights[-i + 1], delta, zs[-i], activation, prime=sp, out=work.deltas[-i])  # BP2
        nabla_b[-i] = bias_gradient(delta, out=work.nabla_b[-i])  # BP3
        nabla_w[-i] = weight_gradient(delta, activations[-i - 1], out=work.nabla_w[-i])  # BP4
    return nabla_b, nabla_w


def _check_backprop(weights: Sequence[Array], biases: Sequence[Array], x: Array, y: Array) -> None:
    """The shapes backprop needs: w^l (n_l, n_(l−1)), b^l (n_l, 1), x (n_1, m), y (n_L, m)."""
    if not isinstance(weights, (list, tuple)) or not isinstance(biases, (list, tuple)) or not weights:
        raise BpkitTypeError(f"backprop: weights and biases must be lists of arrays [w^2, ..., w^L] and [b^2, ..., b^L]; "
                             f"got {_short(weights)} and {_short(biases)}")
    if len(biases) != len(weights):
        raise ShapeError(f"backprop: {len(weights)} weight matrices but {len(biases)} bias columns")
    n = [np.shape(weights[0])[-1] if np.ndim(weights[0]) == 2 else None]
    for l, (w, b) in enumerate(zip(weights, biases), start=2):
        (w,) = check_matrices("backprop", (f"w^{l}", w, None, n[-1]))
        check_matrices("backprop", (f"b^{l}", b, w.shape[0], 1))
        n.append(w.shape[0])
    check_matrices("backprop", ("x", x, n[0], "m"), ("y", y, n[-1], "m"))


# The book's names for the four equations.
BP1 = output_error
BP2 = backpropagate_error
BP3 = bias_gradient
BP4 = weight_gradient
