"""Activation functions σ and their derivatives σ'.

Each activation is an :class:`Activation` with ``fn`` (σ), ``prime`` (σ', element-wise) and
``backward``, the product that BP1 and BP2 need: ``backward(z, a, g) = g ⊙ σ'(z)`` for an
element-wise σ. Softmax is not element-wise (a^L_j depends on every z^L_k), so its ``backward``
is the vector-Jacobian product (∂a/∂z)^T g instead; it is allowed in the output layer only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validate import lookup

Array = np.ndarray


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow trouble for any finite z.

    1 + e^(−z) ≥ 1, so the division never yields NaN; for very negative z (below about −709 in
    float64, −88 in float32) e^(−z) overflows to inf and σ(z) = 1 / (1 + inf) = 0, within the
    smallest float of the true value. That overflow is expected, so its warning is silenced:
    ``|z| = 1e4`` gives 0 or 1 exactly, with no warning and no NaN, and every other σ(z) keeps
    its relative precision (a few units in the last place).

    The four steps run in place in one new array: a mini-batch's σ(z) costs one allocation,
    not one per step (see ``benchmarks/``).
    """
    z = np.asarray(z)
    s = np.empty(z.shape, z.dtype if z.dtype.kind == "f" else np.float64)
    np.negative(z, out=s)  # −z
    with np.errstate(over="ignore"):  # e^(−z) = inf is how σ(z) = 0 comes out, as it should
        np.exp(s, out=s)  # e^(−z)
    s += 1.0  # 1 + e^(−z)
    np.divide(1.0, s, out=s)  # 1 / (1 + e^(−z))
    return s if s.ndim else s[()]


def sigmoid_prime(z: Array) -> Array:
    """σ'(z) = σ(z) (1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def _sigmoid_backward(z: Array, a: Array | None, g: Array) -> Array:
    """g ⊙ σ'(z) with σ'(z) = a (1 − a), from a = σ(z) kept by the forward pass: no second
    exponential, and one new array instead of four."""
    if a is None:
        a = sigmoid(z)
    out = 1.0 - a  # 1 − σ(z)
    out *= a  # σ'(z) = σ(z) (1 − σ(z))
    out *= g  # g ⊙ σ'(z)
    return out


def _tanh_backward(z: Array, a: Array | None, g: Array) -> Array:
    """g ⊙ tanh'(z) with tanh'(z) = 1 − a², from a = tanh(z) kept by the forward pass."""
    if a is None:
        a = np.tanh(z)
    out = a * a
    np.subtract(1.0, out, out=out)  # tanh'(z) = 1 − tanh²(z)
    out *= g
    return out


def tanh_prime(z: Array) -> Array:
    """tanh'(z) = 1 − tanh²(z)."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z: Array) -> Array:
    """ReLU(z) = max(0, z)."""
    return np.maximum(z, 0)


def relu_prime(z: Array) -> Array:
    """ReLU'(z) = 1 for z > 0, else 0 (the sub-gradient 0 is taken at z = 0)."""
    return (z > 0).astype(np.asarray(z).dtype)


def identity(z: Array) -> Array:
    """id(z) = z."""
    return z


def identity_prime(z: Array) -> Array:
    """id'(z) = 1."""
    return np.ones_like(z)


def softmax(z: Array) -> Array:
    """softmax(z)_j = e^(z_j) / Σ_k e^(z_k), column by column, shifted by max(z) for stability."""
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _elementwise_backward(prime: Callable[[Array], Array]) -> Callable[[Array, Array, Array], Array]:
    def backward(z: Array, a: Array, g: Array) -> Array:
        return g * prime(z)

    return backward


def _softmax_backward(z: Array, a: Array, g: Array) -> Array:
    """(∂a/∂z)^T g for a = softmax(z): ∂a_i/∂z_j = a_i (1[i=j] − a_j), so the product is
    a ⊙ (g − Σ_i a_i g_i), column by column."""
    return a * (g - np.sum(a * g, axis=0, keepdims=True))


@dataclass(frozen=True)
class Activation:
    """An activation function σ with what backpropagation needs of it.

    Attributes:
        name: the short name used by :func:`get_activation` and in saved files.
        fn: σ, applied to z^l column by column.
        prime: σ', element-wise; ``None`` for softmax, which has a Jacobian instead.
        backward: ``backward(z, a, g)`` is g ⊙ σ'(z) (the Hadamard product of BP1 and BP2) for an
            element-wise σ, and (∂a/∂z)^T g for softmax. ``a`` is σ(z) as the forward pass kept
            it, or ``None`` to recompute it; sigmoid and tanh use it for σ'(z) = a (1 − a) and
            1 − a², which saves an exponential.
        latex: how the book writes it.
        elementwise: False for softmax.
    """

    name: str
    fn: Callable[[Array], Array]
    prime: Callable[[Array], Array] | None
    backward: Callable[[Array, Array, Array], Array]
    latex: str
    elementwise: bool = True

    def __call__(self, z: Array) -> Array:
        return self.fn(z)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


SIGMOID = Activation("sigmoid", sigmoid, sigmoid_prime, _sigmoid_backward, r"\sigma")
TANH = Activation("tanh", np.tanh, tanh_prime, _tanh_backward, r"\tanh")
RELU = Activation("relu", relu, relu_prime, _elementwise_backward(relu_prime), r"\operatorname{ReLU}")
IDENTITY = Activation(
    "identity", identity, identity_prime, _elementwise_backward(identity_prime), r"\operatorname{id}"
)
SOFTMAX = Activation("softmax", softmax, None, _softmax_backward, r"\operatorname{softmax}", False)

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (SIGMOID, TANH, RELU, IDENTITY, SOFTMAX)}


def get_activation(activation: str | Activation) -> Activation:
    """Look an activation up by name (``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``,
    ``"softmax"``), or return an :class:`Activation` unchanged."""
    return lookup(activation, ACTIVATIONS, Activation, "activation", " or pass a bpkit.activations.Activation")
