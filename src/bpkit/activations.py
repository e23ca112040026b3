"""Activation functions σ and their derivatives σ'.

Each activation is an :class:`Activation` with ``fn`` (σ), ``prime`` (σ', element-wise) and
``backward``, the product that BP1 and BP2 need: ``backward(z, a, g) = g ⊙ σ'(z)`` for an
element-wise σ. Softmax is not element-wise (a^L_j depends on every z^L_k), so its ``backward``
is the vector-Jacobian product (∂a/∂z)^T g instead; it is allowed in the output layer only.

The functions here take an optional ``out``, an array to write the result into instead of a new
one (training reuses the same arrays at every step, see :mod:`bpkit.workspace`), and σ' an
optional ``a`` = σ(z), from which sigmoid and tanh get σ'(z) without a second exponential.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ._validate import as_real_array, lookup
from .errors import BpkitValueError

Array = np.ndarray


def sigmoid(z: Array, out: Array | None = None) -> Array:
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow trouble for any finite z.

    1 + e^(−z) ≥ 1, so the division never yields NaN; for very negative z (below about −709 in
    float64, −88 in float32) e^(−z) overflows to inf and σ(z) = 1 / (1 + inf) = 0, within the
    smallest float of the true value. That overflow is expected, so its warning is silenced:
    ``|z| = 1e4`` gives 0 or 1 exactly, with no warning and no NaN, and every other σ(z) keeps
    its relative precision (a few units in the last place).

    The four steps run in place in one array, ``out`` or a new one: a mini-batch's σ(z) costs at
    most one allocation, not one per step (see ``benchmarks/``).
    """
    z = np.asarray(z)
    s = np.empty(z.shape, z.dtype if z.dtype.kind == "f" else np.float64) if out is None else out
    np.negative(z, out=s)  # −z
    with np.errstate(over="ignore"):  # e^(−z) = inf is how σ(z) = 0 comes out, as it should
        np.exp(s, out=s)  # e^(−z)
    s += 1.0  # 1 + e^(−z)
    np.divide(1.0, s, out=s)  # 1 / (1 + e^(−z))
    return s if s.ndim else s[()]


def sigmoid_prime(z: Array, a: Array | None = None, out: Array | None = None) -> Array:
    """σ'(z) = σ(z) (1 − σ(z)), from ``a`` = σ(z) if given (no exponential then)."""
    s = sigmoid(z) if a is None else a
    out = np.subtract(1.0, s, out=out)  # 1 − σ(z)
    out *= s
    return out


def _sigmoid_backward(z: Array, a: Array | None, g: Array) -> Array:
    """g ⊙ σ'(z) with σ'(z) = a (1 − a), from a = σ(z) kept by the forward pass: no second
    exponential, and one new array instead of four."""
    out = sigmoid_prime(z, a)  # σ'(z) = σ(z) (1 − σ(z)), in a new array
    out *= g  # g ⊙ σ'(z)
    return out


def _tanh_backward(z: Array, a: Array | None, g: Array) -> Array:
    """g ⊙ tanh'(z) with tanh'(z) = 1 − a², from a = tanh(z) kept by the forward pass."""
    out = tanh_prime(z, a)  # tanh'(z) = 1 − tanh²(z), in a new array
    out *= g
    return out


def tanh(z: Array, out: Array | None = None) -> Array:
    """tanh(z)."""
    return np.tanh(z, out=out)


def tanh_prime(z: Array, a: Array | None = None, out: Array | None = None) -> Array:
    """tanh'(z) = 1 − tanh²(z), from ``a`` = tanh(z) if given."""
    t = np.tanh(z) if a is None else a
    out = np.multiply(t, t, out=out)
    if not isinstance(out, np.ndarray):  # one number in (a reader's σ'(z[j, x])): one number out
        return 1.0 - out
    return np.subtract(1.0, out, out=out)


def relu(z: Array, out: Array | None = None) -> Array:
    """ReLU(z) = max(0, z)."""
    return np.maximum(z, 0, out=out)


def relu_prime(z: Array, a: Array | None = None, out: Array | None = None) -> Array:
    """ReLU'(z) = 1 for z > 0, else 0 (the sub-gradient 0 is taken at z = 0)."""
    if out is None:
        z = np.asarray(z)
        return (z > 0).astype(z.dtype if z.dtype.kind == "f" else np.float64)
    return np.heaviside(z, 0.0, out=out)  # 1 for z > 0, 0 for z < 0, and the 0 given for z = 0


def identity(z: Array, out: Array | None = None) -> Array:
    """id(z) = z."""
    if out is None:
        return z
    np.copyto(out, z)
    return out


def identity_prime(z: Array, a: Array | None = None, out: Array | None = None) -> Array:
    """id'(z) = 1."""
    if out is None:
        return np.ones_like(z)
    out.fill(1)
    return out


def softmax(z: Array, out: Array | None = None) -> Array:
    """softmax(z)_j = e^(z_j) / Σ_k e^(z_k), column by column, shifted by max(z) for stability."""
    e = np.subtract(z, np.max(z, axis=0, keepdims=True), out=out)
    np.exp(e, out=e)
    e /= np.sum(e, axis=0, keepdims=True)
    return e


def _elementwise_backward(prime: Callable[..., Array]) -> Callable[[Array, Array, Array], Array]:
    def backward(z: Array, a: Array, g: Array) -> Array:
        return g * prime(z)

    return backward


def _softmax_backward(z: Array, a: Array, g: Array) -> Array:
    """(∂a/∂z)^T g for a = softmax(z): ∂a_i/∂z_j = a_i (1[i=j] − a_j), so the product is
    a ⊙ (g − Σ_i a_i g_i), column by column."""
    return a * (g - np.sum(a * g, axis=0, keepdims=True))


def _takes(f: Callable, *names: str) -> bool:
    """Whether f accepts every keyword in ``names``."""
    try:
        params = inspect.signature(f).parameters
    except (TypeError, ValueError):  # some built-ins have no signature to read
        return False
    return all(n in params for n in names) or any(p.kind is p.VAR_KEYWORD for p in params.values())


@dataclass(frozen=True)
class Activation:
    """An activation function σ with what backpropagation needs of it.

    Attributes:
        name: the short name used by :func:`get_activation` and in saved files.
        fn: σ, applied to z^l column by column: ``fn(z)``, or ``fn(z, out=...)`` to write into
            an array of z's shape (optional for an activation of your own).
        prime: σ', element-wise; ``None`` for softmax, which has a Jacobian instead. Called as
            ``prime(z)``; it may also take ``a`` = σ(z) and ``out``, as the built-in ones do.
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

    _fn_takes_out: bool = field(init=False, repr=False, compare=False, default=False)
    _prime_takes_a_out: bool = field(init=False, repr=False, compare=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fn_takes_out", _takes(self.fn, "out"))
        object.__setattr__(self, "_prime_takes_a_out", self.prime is not None and _takes(self.prime, "a", "out"))

    def __call__(self, z: Array, out: Array | None = None) -> Array:
        """σ(z), written into ``out`` if that is given."""
        if type(z) is not np.ndarray or z.dtype.kind != "f":  # the passes' float arrays skip this
            z = as_real_array(z, "z", f"the activation {self.name}")
        if out is None:
            return self.fn(z)
        if self._fn_takes_out:
            return self.fn(z, out=out)
        np.copyto(out, self.fn(z))
        return out

    def derivative(self, z: Array, a: Array | None = None, out: Array | None = None) -> Array:
        """σ'(z), from a = σ(z) where that saves work, written into ``out`` if that is given."""
        if self.prime is None:
            raise BpkitValueError(f"{self.name} is not element-wise: it has a Jacobian, not a derivative σ'(z)")
        if type(z) is not np.ndarray or z.dtype.kind != "f":
            z = as_real_array(z, "z", f"the derivative σ' of {self.name}")
        if self._prime_takes_a_out:
            return self.prime(z, a=a, out=out)
        if out is None:
            return self.prime(z)
        np.copyto(out, self.prime(z))
        return out

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


SIGMOID = Activation("sigmoid", sigmoid, sigmoid_prime, _sigmoid_backward, r"\sigma")
TANH = Activation("tanh", tanh, tanh_prime, _tanh_backward, r"\tanh")
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
