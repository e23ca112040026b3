"""The catalogue's wrong numbers, for the questions of the static book.

The built book cannot run the reader's code, so its exercises ask for a number instead: an error
δ^l_j, a gradient ∂C/∂w^l_jk or ∂C/∂b^l_j, a weight after one step of gradient descent. The page
can still name the mistake, if it knows what each mistake of the catalogue gives for that
number. :func:`wrong_numbers` computes them with bpkit (:mod:`~bpkit.exercises.slips`): the
whole computation with one slip, read at the asked entry. Mistakes that do not change the
number are left out; mistakes that give the same number are grouped. :func:`digits_apart` says
at how many decimals every number differs from every other, so that a typed number can match
at most one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import _short
from ..errors import BpkitTypeError, BpkitValueError, LayerIndexError
from ..network import Network
from . import slips
from .mistakes import CATALOGUE, Mistake

QUANTITIES = ("delta", "bias_gradient", "weight_gradient", "updated_weight", "updated_bias")

_GRADIENT_SLIPS = ("sigma_on_input", "forward_stale_activation", "bp1_no_sigma_prime", "sigma_prime_of_a", "cost_sign",
                   "bp2_no_transpose", "bp2_no_sigma_prime", "backward_stale_z")
_WEIGHT_SLIPS = ("bp4_transposed", "bp4_wrong_layer")
_UPDATE_SLIPS = ("update_sign", "not_averaged", "m_from_rows", "online_update", "update_during_backward")


@dataclass
class Numbers:
    """The right number of a question and the wrong ones: ``wrong`` pairs each distinct
    wrong value with the mistakes (one, or several that give the same number) behind it."""

    quantity: str
    right: float
    wrong: list[tuple[float, tuple[Mistake, ...]]]

    def digits(self, at_least: int = 2, at_most: int = 8) -> int:
        """The fewest decimals (at least ``at_least``) at which every number differs from every
        other: see :func:`digits_apart`."""
        return digits_apart([self.right] + [v for v, _ in self.wrong], at_least, at_most)

    def mistakes(self) -> list[tuple[float, str]]:
        """(value, text) for :class:`bpkit.widgets.SelfCheck`'s ``mistakes``: what each wrong
        number means, in the book's notation (``$...$`` maths, which the page typesets)."""
        out = []
        for value, found in self.wrong:
            parts = [as_latex(f"{m.title}: it computes {m.computes}. It should: {m.fix}") + f" Reread {m.where_to_reread}."
                     for m in found]
            # the page has just said "... is what a known mistake gives": say which, not that again
            lead = "" if len(found) == 1 else f"{len(found)} mistakes give it. "
            out.append((value, lead + " Or: ".join(parts)))
        return out


_SCRIPTED = re.compile(r"(?<![\w$])([A-Za-zδσ∇ΣΔ])((?:[\^_](?:\([^()\s]*\)|[A-Za-z0-9]+))+)")


def as_latex(text: str) -> str:
    """The catalogue's plain notation (``a^(l−1)``, ``w^l_jk``, ``∇_a C``, ``(δ^l)^T``) as
    ``$...$`` LaTeX, for a page that typesets it; the rest of the text is left as it is."""
    def script(m: re.Match) -> str:
        out = m.group(1)
        for mark, body in re.findall(r"([\^_])(\([^()\s]*\)|[A-Za-z0-9]+)", m.group(2)):
            out += f"{mark}{{{body.replace('−', '-')}}}"
        return f"${out}$"

    text = text.replace(")^T", ")ᵀ").replace("`", "")
    return _SCRIPTED.sub(script, text)


def digits_apart(values: list[float], at_least: int = 2, at_most: int = 8) -> int:
    """The fewest decimals d ≥ ``at_least`` at which every two of ``values`` differ by more than
    10^(−d): the windows of ½·10^(−d) around them (what a typed answer to d decimals may be off
    by) then never overlap, so a typed number matches at most one. Raises if even ``at_most``
    decimals do not separate them."""
    vals = sorted(float(v) for v in values)
    gaps = [b - a for a, b in zip(vals, vals[1:])]
    smallest = min(gaps) if gaps else np.inf
    for d in range(at_least, at_most + 1):
        if smallest > 10.0 ** -d + 2e-12:
            return d
    raise BpkitValueError(f"two of the numbers differ by only {smallest:.3g}: no question can tell them apart "
                          f"at {at_most} decimals")


def _entry(out: Any, index: tuple[int, ...]) -> float | None:
    """Entry ``index`` of an array the slipped computation made, or None if it has none."""
    if not isinstance(out, np.ndarray) or out.ndim != len(index):
        return None
    if any(i >= n for i, n in zip(index, out.shape)):
        return None
    v = float(out[index])
    return v if np.isfinite(v) else None


def _compute(quantity: str, net: Network, x: np.ndarray, y: np.ndarray, l: int, index: tuple[int, ...],
             eta: float | None, slip: str | None) -> float | None:
    weights, biases = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    act, cost = net.activation, net.cost
    try:
        if quantity in ("updated_weight", "updated_bias"):
            new_w, new_b = slips.update(weights, biases, x, y, eta, act, cost, slip)
            return _entry(np.asarray((new_w if quantity == "updated_weight" else new_b)[l - 2]), index)
        nabla_b, nabla_w = slips.backprop(weights, biases, x, y, act, cost, slip)
        if quantity == "weight_gradient":
            return _entry(np.asarray(nabla_w[l - 2]), index)
        return _entry(np.asarray(nabla_b[l - 2]), index)  # delta (one example) or the bias gradient
    except Exception:  # the slip cannot run on this network: no number to type
        return None


def wrong_numbers(quantity: str, net: Network, x: Any, y: Any, l: int, j: int, k: int | None = None,
                  eta: float | None = None) -> Numbers:
    """The right value and the catalogue's wrong values of one number of ``net`` for the
    examples ``x`` (one column, or a mini-batch) with targets ``y``.

    ``quantity``: ``"delta"`` (δ^l_j, one example), ``"bias_gradient"`` (∂C/∂b^l_j, summed over
    the columns), ``"weight_gradient"`` (∂C/∂w^l_jk), ``"updated_weight"`` and
    ``"updated_bias"`` (w^l_jk and b^l_j after one step of gradient descent with learning rate
    ``eta``). ``l``, ``j``, ``k`` count as the book does: l = 2, ..., L, j and k from 1. For a
    mini-batch (more than one column) the mean over the examples where the sum belongs is one
    of the mistakes tried.
    The network's σ must be the same in every layer (the catalogue's code has one σ).
    """
    if not isinstance(net, Network):
        raise BpkitTypeError(f"net must be a bpkit.Network; got {_short(net)}")
    if quantity not in QUANTITIES:
        raise BpkitValueError(f"quantity must be one of {QUANTITIES}; got {_short(quantity)}")
    if net.output_activation is not net.activation:
        raise BpkitValueError("the catalogue's code has one σ for every layer; this network's output activation differs")
    x, y = net.check_xy(x, y)
    if quantity == "delta" and x.shape[1] != 1:
        raise BpkitValueError("δ^l_j is asked for one example: x must be one column")
    net.w(l)  # a LayerIndexError if l is not a layer with weights
    weighty = quantity in ("weight_gradient", "updated_weight")
    rows, cols = net.w(l).shape
    if not isinstance(j, int) or not 1 <= j <= rows or (weighty and (not isinstance(k, int) or not 1 <= k <= cols)):
        raise LayerIndexError(f"layer l={l} has neurons j = 1..{rows}" + (f" fed by k = 1..{cols}" if weighty else "")
                              + f"; got j={j!r}" + (f", k={k!r}" if weighty else ""))
    if quantity.startswith("updated") and (eta is None or not eta > 0):
        raise BpkitValueError(f"an updated weight needs the learning rate eta > 0; got {eta!r}")
    index = (j - 1, k - 1) if weighty else (j - 1, 0)
    right = _compute(quantity, net, x, y, l, index, eta, None)
    keys = _GRADIENT_SLIPS + (_WEIGHT_SLIPS if weighty else ()) + (_UPDATE_SLIPS if quantity.startswith("updated") else ())
    if x.shape[1] > 1 and quantity != "delta":  # a mini-batch: its mean where the sum belongs
        keys += ("averaged_not_summed",)
    return numbers_of(quantity, right, {key: _compute(quantity, net, x, y, l, index, eta, key) for key in keys})


def numbers_of(quantity: str, right: float, wrong: dict[str, float | None]) -> Numbers:
    """The :class:`Numbers` of a question whose wrong values are known already: ``wrong`` maps
    keys of the catalogue to the number each mistake gives (None: it gives none). A question
    the reader answers by hand, from numbers the page prints, uses it with the values that
    those printed numbers give. Mistakes that do not change the number are left out; mistakes
    that give the same number are grouped."""
    unknown = [k for k in wrong if k not in CATALOGUE]
    if unknown:
        raise BpkitValueError(f"not mistakes of the catalogue: {unknown}")
    right = float(right)
    groups: list[tuple[float, list[Mistake]]] = []
    for key, value in wrong.items():
        if value is None or abs(value - right) <= 1e-12 * max(1.0, abs(right)):
            continue  # no number, or the mistake does not change this one
        for v, found in groups:
            if abs(value - v) <= 1e-12 * max(1.0, abs(v)):
                found.append(CATALOGUE[key])
                break
        else:
            groups.append((float(value), [CATALOGUE[key]]))
    return Numbers(quantity, right, [(v, tuple(found)) for v, found in groups])
