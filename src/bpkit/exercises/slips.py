"""What each mistake of the catalogue computes: the forward pass, BP1–BP4 and the update, with
one slip.

Every function takes ``slip``, a key of :data:`~bpkit.exercises.mistakes.CATALOGUE` or
``None``. With ``None`` each computes the right thing, with bpkit's own functions
(:func:`bpkit.forward.forward`, :func:`bpkit.BP1` ... :func:`bpkit.BP4`); with a slip it
computes what code with that one mistake computes, in the same shape (a wrong shape included)
and in the same order of Python lists. A slip that does not concern a step leaves it right, so
that a whole pass carries exactly one mistake. A slip that makes the shapes clash (a missing
transpose on layers of different sizes) raises :class:`SlipRaises`.

``act`` is a :class:`bpkit.activations.Activation` (σ of every layer), ``cost`` a
:class:`bpkit.costs.Cost`; ``weights[i]`` is w^(i+2), as everywhere in bpkit.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .. import equations
from ..activations import Activation
from ..costs import Cost
from ..forward import forward as bpkit_forward

Array = np.ndarray


class SlipRaises(Exception):
    """The slipped computation cannot run on these shapes (it raises, as the reader's would)."""


def _matmul(a: Array, b: Array) -> Array:
    if a.shape[-1] != b.shape[0]:
        raise SlipRaises(f"shapes {a.shape} and {b.shape} do not fit")
    return a @ b


def _times(a: Array, b: Array) -> Array:
    if a.shape != b.shape:
        raise SlipRaises(f"shapes {a.shape} and {b.shape} differ")
    return a * b


# -- the forward pass -------------------------------------------------------------------------

def forward(weights: Sequence[Array], biases: Sequence[Array], x: Array, act: Activation,
            slip: str | None = None) -> tuple[list[Array], list[Array]]:
    """(zs, activations): z^l = w^l a^(l−1) + b^l, a^l = σ(z^l), a^1 = x."""
    if slip not in ("forward_stale_activation", "sigma_on_input"):
        return bpkit_forward(list(weights), list(biases), x, act, act)
    activation = act(x) if slip == "sigma_on_input" else x
    activations, zs = [activation], []
    for w, b in zip(weights, biases):
        z = _matmul(w, x if slip == "forward_stale_activation" else activation) + b
        zs.append(z)
        activation = act(z)
        activations.append(activation)
    return zs, activations


# -- BP1 to BP4 ---------------------------------------------------------------------------------

def output_error(a_L: Array, y: Array, z_L: Array, act: Activation, cost: Cost, slip: str | None = None) -> Array:
    """BP1: δ^L = ∇_a C ⊙ σ'(z^L)."""
    if slip == "bp1_no_sigma_prime":
        return cost.derivative(a_L, y)
    if slip == "sigma_prime_of_a":
        return cost.derivative(a_L, y) * act.prime(a_L)
    if slip == "cost_sign":
        return cost.derivative(y, a_L) * act.prime(z_L)
    return equations.BP1(cost.derivative(a_L, y), z_L, act, a_L)


def hidden_error(w_next: Array, delta_next: Array, z: Array, act: Activation, slip: str | None = None,
                 a: Array | None = None, z_L: Array | None = None) -> Array:
    """BP2: δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l). ``a`` = a^l and ``z_L`` = z^L are what
    the slips ``sigma_prime_of_a`` and ``backward_stale_z`` use in place of z^l."""
    if slip == "bp2_no_transpose":
        return _times(_matmul(w_next, delta_next), act.prime(z))
    if slip == "bp2_no_sigma_prime":
        return w_next.T @ delta_next
    if slip == "sigma_prime_of_a":
        return (w_next.T @ delta_next) * act.prime(act(z) if a is None else a)
    if slip == "backward_stale_z" and z_L is not None:
        return _times(w_next.T @ delta_next, act.prime(z_L))
    return equations.BP2(w_next, delta_next, z, act)


def bias_gradient(delta: Array, slip: str | None = None) -> Array:
    """BP3: ∂C/∂b^l = Σ_x δ^l_x, a column."""
    if slip == "bp3_not_summed":
        return delta.copy()
    if slip == "bp3_wrong_axis":
        return delta.sum(axis=0)
    if slip == "bp3_flat":
        return delta.sum(axis=1)
    if slip == "bp3_total":
        return np.float64(delta.sum())
    if slip == "averaged_not_summed":
        return delta.mean(axis=1, keepdims=True)
    return equations.BP3(delta)


def weight_gradient(delta: Array, a_prev: Array, slip: str | None = None) -> Array:
    """BP4: ∂C/∂w^l = δ^l (a^(l−1))^T."""
    if slip == "bp4_transposed":
        return a_prev @ delta.T
    if slip == "bp4_outer":
        return np.outer(delta, a_prev)
    if slip == "averaged_not_summed":
        return delta @ a_prev.T / delta.shape[1]
    return equations.BP4(delta, a_prev)


# -- backprop, Ng's loop, the update ------------------------------------------------------------

def backprop(weights: Sequence[Array], biases: Sequence[Array], x: Array, y: Array, act: Activation,
             cost: Cost, slip: str | None = None, eta: float | None = None) -> tuple[list[Array], list[Array]]:
    """(nabla_b, nabla_w), summed over the columns of x, by BP1–BP4, with at most one slip.

    With the slip ``update_during_backward`` and a learning rate ``eta``, w^(l+1) and b^(l+1)
    are stepped (by −η/m times their gradient, in ``weights`` and ``biases`` themselves)
    before BP2 uses w^(l+1)."""
    zs, activations = forward(weights, biases, x, act, slip)
    L = len(weights) + 1
    nabla_b: list[Array] = [None] * (L - 1)  # type: ignore[list-item]
    nabla_w: list[Array] = [None] * (L - 1)  # type: ignore[list-item]
    delta = output_error(activations[-1], y, zs[-1], act, cost, slip)
    for l in range(L, 1, -1):  # the book's l = L, ..., 2; Python index l − 2
        if l < L:
            delta = hidden_error(weights[l - 1], delta, zs[l - 2], act, slip, a=activations[l - 1], z_L=zs[-1])
        a_prev = activations[l - 1] if slip == "bp4_wrong_layer" else activations[l - 2]
        nabla_b[l - 2] = bias_gradient(delta, slip)
        nabla_w[l - 2] = weight_gradient(delta, a_prev, slip)
        if slip == "update_during_backward" and eta is not None:
            step = eta / x.shape[1]
            weights[l - 2] = weights[l - 2] - step * nabla_w[l - 2]
            biases[l - 2] = biases[l - 2] - step * nabla_b[l - 2]
    if slip == "gradients_reversed":
        nabla_b.reverse()
        nabla_w.reverse()
    return nabla_b, nabla_w


def accumulate(weights: Sequence[Array], biases: Sequence[Array], X: Array, Y: Array, act: Activation,
               cost: Cost, slip: str | None = None) -> tuple[list[Array], list[Array]]:
    """Ng's loop: (Δb, Δw), the sums over the columns of X of each example's gradient."""
    Delta_b = [np.zeros_like(b) for b in biases]
    Delta_w = [np.zeros_like(w) for w in weights]
    for i in range(X.shape[1]):
        nabla_b, nabla_w = backprop(weights, biases, X[:, [i]], Y[:, [i]], act, cost)
        for k in range(len(weights)):
            if slip == "accumulate_assign":
                Delta_b[k], Delta_w[k] = nabla_b[k], nabla_w[k]
            else:
                Delta_b[k] = Delta_b[k] + nabla_b[k]
                Delta_w[k] = Delta_w[k] + nabla_w[k]
    if slip == "averaged_not_summed":
        m = X.shape[1]
        Delta_b, Delta_w = [d / m for d in Delta_b], [d / m for d in Delta_w]
    return Delta_b, Delta_w


_UPDATE_SLIPS = ("update_sign", "not_averaged", "m_from_rows", "online_update")


def update(weights: Sequence[Array], biases: Sequence[Array], X: Array, Y: Array, eta: float,
           act: Activation, cost: Cost, slip: str | None = None) -> tuple[list[Array], list[Array]]:
    """One step of mini-batch gradient descent, (new weights, new biases):
    w^l → w^l − (η/m) Σ_x ∂C_x/∂w^l and b^l → b^l − (η/m) Σ_x ∂C_x/∂b^l, with at most one
    slip, in the gradient (a backprop slip) or in the update itself."""
    weights, biases = [w.copy() for w in weights], [b.copy() for b in biases]
    m = X.shape[1]
    if slip == "online_update":
        for i in range(m):
            nabla_b, nabla_w = backprop(weights, biases, X[:, [i]], Y[:, [i]], act, cost)
            weights = [w - eta / m * nw for w, nw in zip(weights, nabla_w)]
            biases = [b - eta / m * nb for b, nb in zip(biases, nabla_b)]
        return weights, biases
    if slip == "update_during_backward":
        backprop(weights, biases, X, Y, act, cost, slip, eta=eta)  # it steps the lists itself
        return weights, biases
    nabla_b, nabla_w = backprop(weights, biases, X, Y, act, cost, None if slip in _UPDATE_SLIPS else slip)
    step = {"update_sign": -eta / m, "not_averaged": eta, "m_from_rows": eta / X.shape[0]}.get(slip, eta / m)
    weights = [w - step * nw for w, nw in zip(weights, nabla_w)]
    biases = [b - step * nb for b, nb in zip(biases, nabla_b)]
    return weights, biases
