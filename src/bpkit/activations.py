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

Array = np.ndarray


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow for any finite z.

    For z ≥ 0 it uses 1 / (1 + e^(−z)); for z < 0 the equal e^z / (1 + e^z). Both only ever
    exponentiate ``−|z| ≤ 0``, so ``|z| = 1e4`` gives 0 or 1 exactly, with no warning and no NaN.
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_prime(z: Array) -> Array:
    """σ'(z) = σ(z) (1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


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
            element-wise σ, and (∂a/∂z)^T g for softmax.
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


SIGMOID = Activation("sigmoid", sigmoid, sigmoid_prime, _elementwise_backward(sigmoid_prime), r"\sigma")
TANH = Activation("tanh", np.tanh, tanh_prime, _elementwise_backward(tanh_prime), r"\tanh")
RELU = Activation("relu", relu, relu_prime, _elementwise_backward(relu_prime), r"\operatorname{ReLU}")
IDENTITY = Activation(
    "identity", identity, identity_prime, _elementwise_backward(identity_prime), r"\operatorname{id}"
)
SOFTMAX = Activation("softmax", softmax, None, _softmax_backward, r"\operatorname{softmax}", False)

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (SIGMOID, TANH, RELU, IDENTITY, SOFTMAX)}


def get_activation(activation: str | Activation) -> Activation:
    """Look an activation up by name (``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``,
    ``"softmax"``), or return an :class:`Activation` unchanged."""
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str) and activation.lower() in ACTIVATIONS:
        return ACTIVATIONS[activation.lower()]
    raise ValueError(
        f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)} "
        f"or pass a bpkit.activations.Activation"
    )
