"""Gradient checking: backpropagation against central finite differences.

For each parameter θ (a weight w^l_jk or a bias b^l_j), the central difference

    ∂C/∂θ ≈ (C(θ + ε) − C(θ − ε)) / (2ε)

has an error of order ε². With ``order=4`` the five-point central stencil

    ∂C/∂θ ≈ (−C(θ + 2ε) + 8 C(θ + ε) − 8 C(θ − ε) + C(θ − 2ε)) / (12ε)

has an error of order ε⁴, for checks tighter than the two-point rule allows. Comparing it with backprop's value by the relative error
``|a − b| / max(|a|, |b|)`` catches any slip in BP1-BP4. The differences are taken in float64 on a
copy of the network, whatever its dtype, so that they are a trustworthy reference.

To find *where* a slip enters, :meth:`GradientCheck.by_layer` gives the table per parameter
array, ∂C/∂b^l and ∂C/∂w^l for l = L, ..., 2 (the order backpropagation computes them in), with
the worst entry of each; :meth:`GradientCheck.relative_errors` gives every parameter's error.
Walking back from the output layer, the first array that fails is where the error enters.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ._validate import _short, check_number, check_same_shape, check_seed, check_whole
from .errors import BpkitTypeError, BpkitValueError, ShapeError
from .forward import feedforward
from .network import Network

Array = np.ndarray
GradFn = Callable[[Network, Array, Array], "tuple[list[Array], list[Array]]"]


def relative_error(a: Any, b: Any, floor: float = 0.0) -> Array:
    """``|a − b| / max(|a|, |b|, floor)``, element-wise; 0 where a = b (including 0 = 0).

    a and b must have the same shape (nothing is broadcast)."""
    a, b = (v.astype(np.float64, copy=False) for v in check_same_shape([("a", a), ("b", b)], "relative_error"))
    floor = check_number(floor, "floor", minimum=0.0)
    diff = np.abs(a - b)
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(diff == 0, 0.0, diff / scale)


def _parameters(net: Network) -> list[tuple[str, int, Array]]:
    """(kind, layer l, array) for every b^l and w^l."""
    out = []
    for l in range(2, net.num_layers + 1):
        out += [("b", l, net.b(l)), ("w", l, net.w(l))]
    return out


_STENCILS = {2: ((1, 0.5), (-1, -0.5)), 4: ((2, -1 / 12), (1, 8 / 12), (-1, -8 / 12), (-2, 1 / 12))}


def numerical_gradient(net: Network, x: Any, y: Any, eps: float = 1e-4, order: int = 2,
                       sample: int | None = None, seed: int | None = 0) -> list[tuple[str, int, tuple[int, ...], float]]:
    """Central differences of Σ_x C_x (the sum over the columns of x, like ``backprop``).

    Returns a list of ``(kind, l, index, value)`` with kind ``"w"`` or ``"b"``, the book's layer
    l and the 0-based index into w^l or b^l. With ``sample``, only that many parameters chosen
    at random (by ``seed``) are differenced.
    """
    if not isinstance(net, Network):
        raise BpkitTypeError(f"net must be a bpkit.Network; got {_short(net)}")
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order not in _STENCILS:
        raise BpkitValueError(f"order must be 2 or 4; got {_short(order)}")
    eps = check_number(eps, "eps", positive=True, meaning=" (the step ε of the finite differences)")
    if sample is not None:
        sample = check_whole(sample, "sample", 1, " (how many parameters to difference)")
    seed = check_seed(seed)
    ref = net.astype(np.float64)
    x, y = ref.check_xy(x, y)
    entries = [(kind, l, idx) for kind, l, arr in _parameters(ref) for idx in np.ndindex(arr.shape)]
    if sample is not None and sample < len(entries):
        chosen = np.random.default_rng(seed).choice(len(entries), size=sample, replace=False)
        entries = [entries[i] for i in sorted(chosen)]
    out = []
    for kind, l, idx in entries:
        arr = ref.w(l) if kind == "w" else ref.b(l)
        old = arr[idx]
        total = 0.0
        for step, weight in _STENCILS[order]:
            arr[idx] = old + step * eps
            a_L = feedforward(ref.weights, ref.biases, x, ref.activation, ref.output_activation)
            total += weight * ref.cost.fn(a_L, y)
        arr[idx] = old
        out.append((kind, l, idx, total / eps))
    return out


def _check_gradient(net: Network, result: Any) -> tuple[list[Array], list[Array]]:
    """What grad_fn returned, as (nabla_b, nabla_w) of the shapes of the biases and weights, or
    an error naming the shapes expected and got."""
    L = net.num_layers
    want_b = [b.shape for b in net.biases]
    want_w = [w.shape for w in net.weights]
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise BpkitTypeError(f"grad_fn must return a pair (nabla_b, nabla_w), lists of {L - 1} arrays each "
                             f"(∂C/∂b^l of shapes {want_b}, ∂C/∂w^l of shapes {want_w}); got {_short(result)}")
    out = []
    for name, sym, grads, want in (("nabla_b", "b", result[0], want_b), ("nabla_w", "w", result[1], want_w)):
        try:
            got = [np.shape(g) for g in grads]
        except (TypeError, ValueError):
            got = None
        if got != want:
            raise ShapeError(f"grad_fn returned {name} of shapes {got if got is not None else _short(grads)}; expected "
                             f"∂C/∂{sym}^2 ... ∂C/∂{sym}^{L} of shapes {want}")
        arrays = [np.asarray(g) for g in grads]
        for l, g in enumerate(arrays, start=2):
            if g.dtype.kind not in "fiu" or not np.all(np.isfinite(g)):
                raise BpkitValueError(f"grad_fn returned a {name} whose ∂C/∂{sym}^{l} is not all finite real numbers")
        out.append(arrays)
    return out[0], out[1]


def _subscript(kind: str, idx: tuple[int, ...]) -> str:
    """w^3 at (0, 2) → '13' (the book's j k, from 1); b^3 at (1, 0) → '2'."""
    return "".join(str(i + 1) for i in idx) if kind == "w" else str(idx[0] + 1)


@dataclass
class LayerCheck:
    """One parameter array of the network in a gradient check: ∂C/∂b^l (``kind`` "b") or
    ∂C/∂w^l ("w"), its largest relative error, the entry where it is, and the two values there."""

    kind: str
    l: int
    max_relative_error: float
    worst: tuple[int, ...]
    backprop: float
    numeric: float
    checked: int

    def passed(self, tol: float = 1e-7) -> bool:
        return self.max_relative_error < tol

    @property
    def name(self) -> str:
        return f"∂C/∂{self.kind}^{self.l}"


@dataclass
class GradientTable:
    """:meth:`GradientCheck.by_layer`: one :class:`LayerCheck` per parameter array, from the
    output layer back (∂C/∂b^L, ∂C/∂w^L, ..., ∂C/∂b^2, ∂C/∂w^2), judged at ``tol``."""

    rows: list[LayerCheck]
    tol: float

    def first_wrong(self) -> LayerCheck | None:
        """Walking back from the output layer, the first array that fails: where the error enters."""
        return next((r for r in self.rows if not r.passed(self.tol)), None)

    def verdict(self) -> str:
        """The table's conclusion in a sentence."""
        bad = self.first_wrong()
        if bad is None:
            return f"every array agrees with the finite differences (relative error below {self.tol:g})"
        right = [r.name for r in self.rows if self.rows.index(r) < self.rows.index(bad)]
        before = f"{', '.join(right)} agree; " if right else ""
        return (f"{before}the first array that fails, walking back from the output layer, is {bad.name}: "
                f"the error first shows in layer {bad.l}")

    def __repr__(self) -> str:
        # 75 characters wide: a code box of the book holds about 78 at 1280 px
        lines = [f"{'':<6}{'parameter':<11}{'checked':>8}{'max rel. error':>15}{'at':>9}{'backprop':>13}"
                 f"{'finite diff.':>13}"]
        for r in self.rows:
            mark = "ok" if r.passed(self.tol) else "FAIL"
            at = f"{r.kind}^{r.l}_{_subscript(r.kind, r.worst)}"
            lines.append(f"{mark:<6}{r.name:<11}{r.checked:>8}{r.max_relative_error:>15.2e}{at:>9}"
                         f"{r.backprop:>13.6g}{r.numeric:>13.6g}")
        return "\n".join(lines) + "\n" + textwrap.fill(f"{self.verdict()[0].upper() + self.verdict()[1:]}.", 75)

    def _repr_html_(self) -> str:
        pad = ' style="padding: 0.1em 0.45em 0.1em 0; text-align: left; white-space: nowrap"'
        # the verdict next to the name, short headers: seven columns fit the page at 1280 px
        # and, in their own scrolling box, a phone
        head = "".join(f'<th scope="col"{pad}>{h}</th>' for h in ("parameter", "verdict", "max rel. error", "at",
                                                                    "backprop", "finite diff.", "checked"))
        body = "".join(
            f'<tr><th scope="row"{pad}>\u2202C/\u2202{html.escape(r.kind)}<sup>{r.l}</sup></th>'
            f"<td{pad}>{'&#x2713; agrees' if r.passed(self.tol) else '&#x2717; fails'}</td>"
            f"<td{pad}>{r.max_relative_error:.2e}</td>"
            f"<td{pad}>{html.escape(r.kind)}<sup>{r.l}</sup><sub>{_subscript(r.kind, r.worst)}</sub></td>"
            f"<td{pad}>{r.backprop:.6g}</td><td{pad}>{r.numeric:.6g}</td><td{pad}>{r.checked}</td></tr>"
            for r in self.rows)
        # the table scrolls inside its own box on a narrow screen (a box a keyboard can focus)
        return (f'<div class="bpkit-table-scroll" role="region" tabindex="0" aria-label="gradient check per layer" '
                f'style="max-width: 100%; overflow-x: auto"><table class="bpkit-gradient-table"><caption '
                f'style="color: inherit">Gradient '
                f"check per parameter array, from the output layer back (tolerance {self.tol:g})</caption><thead>"
                f"<tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
                f"<p>{_sup(html.escape(self.verdict()[0].upper() + self.verdict()[1:]))}.</p>")


def _sup(text: str) -> str:
    """∂C/∂b^4 → ∂C/∂b<sup>4</sup>: the verdict's array names as the HTML table writes them."""
    return re.sub(r"\^(\d+)", r"<sup>\1</sup>", text)


@dataclass
class GradientCheck:
    """The outcome of :func:`gradient_check`.

    ``max_relative_error`` is the largest element-wise relative error (entries whose two values
    are both below ``floor`` in size count as agreeing to ``floor``); ``worst`` names its
    parameter as ``(kind, l, index)``; ``backprop`` and ``numeric`` are the compared values,
    one per entry of ``parameters``, the ``(kind, l, index)`` of each checked parameter, and
    ``relative`` their relative errors.
    """

    max_relative_error: float
    worst: tuple[str, int, tuple[int, ...]]
    checked: int
    backprop: Array
    numeric: Array
    parameters: list[tuple[str, int, tuple[int, ...]]] = field(default_factory=list)
    relative: Array | None = None
    shapes: dict[tuple[str, int], tuple[int, ...]] = field(default_factory=dict)

    def passed(self, tol: float = 1e-7) -> bool:
        return self.max_relative_error < tol

    def by_layer(self, tol: float = 1e-7) -> GradientTable:
        """The check per parameter array, ∂C/∂b^l and ∂C/∂w^l from l = L back to 2, each with its
        largest relative error and where it is: the first that fails is where the error enters."""
        tol = check_number(tol, "tol", positive=True, meaning=" (the relative error that passes)")
        rows = []
        for l in sorted({l for _, l, _ in self.parameters}, reverse=True):
            for kind in ("b", "w"):
                picked = [i for i, (k, ll, _) in enumerate(self.parameters) if k == kind and ll == l]
                if not picked:
                    continue
                worst = max(picked, key=lambda i: self.relative[i])
                rows.append(LayerCheck(kind, l, float(self.relative[worst]), self.parameters[worst][2],
                                       float(self.backprop[worst]), float(self.numeric[worst]), len(picked)))
        return GradientTable(rows, tol)

    def relative_errors(self, kind: str, l: int) -> Array:
        """Every checked parameter's relative error in ∂C/∂w^l (``kind`` "w") or ∂C/∂b^l ("b"),
        as an array of the parameter's shape; NaN where a parameter was not sampled."""
        if (kind, l) not in self.shapes:
            raise BpkitValueError(f"no {kind}^{l} in this check: it has {sorted(f'{k}^{ll}' for k, ll in self.shapes)}")
        out = np.full(self.shapes[kind, l], np.nan)
        for (k, ll, idx), r in zip(self.parameters, self.relative):
            if k == kind and ll == l:
                out[idx] = r
        return out

    def __repr__(self) -> str:
        kind, l, idx = self.worst
        return (f"GradientCheck({self.checked} parameters, max relative error {self.max_relative_error:.2e} "
                f"at {kind}^{l}_{_subscript(kind, idx)})")


def gradient_check(net: Network, x: Any, y: Any, grad_fn: GradFn | None = None, eps: float = 1e-4,
                   order: int = 2, sample: int | None = None, seed: int | None = 0, floor: float = 1e-10) -> GradientCheck:
    """Compare a gradient (``net.backprop`` by default, or ``grad_fn(net, x, y)`` returning
    ``(nabla_b, nabla_w)`` like it) with central finite differences.

    Use it to check your own implementation of backpropagation::

        result = gradient_check(net, x, y, grad_fn=my_backprop)
        assert result.passed(1e-7)
        result.by_layer()  # per parameter array, output layer first
    """
    if grad_fn is not None and not callable(grad_fn):
        raise BpkitTypeError(f"grad_fn must be a function grad_fn(net, x, y) -> (nabla_b, nabla_w); got {_short(grad_fn)}")
    floor = check_number(floor, "floor", minimum=0.0)
    numeric = numerical_gradient(net, x, y, eps=eps, order=order, sample=sample, seed=seed)
    if not numeric:
        raise BpkitValueError("nothing to check: sample must be at least 1")
    nabla_b, nabla_w = _check_gradient(net, (grad_fn or (lambda n, a, b: n.backprop(a, b)))(net, x, y))
    analytic = np.array([(nabla_w if kind == "w" else nabla_b)[l - 2][idx] for kind, l, idx, _ in numeric], dtype=np.float64)
    values = np.array([v for *_, v in numeric])
    rel = relative_error(analytic, values, floor)
    k = int(np.argmax(rel))
    shapes = {(kind, l): np.shape(arr) for kind, l, arr in _parameters(net)}
    return GradientCheck(float(rel[k]), numeric[k][:3], len(numeric), analytic, values,
                         [entry[:3] for entry in numeric], rel, shapes)
