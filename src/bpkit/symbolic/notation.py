"""The book's symbols as SymPy symbols: w^l_jk, b^l_j, z^l_j, a^l_j, δ^l_j, y_j.

Every symbol prints in LaTeX exactly as the book writes it, the layer l as a superscript and
the neuron indices as a subscript, j before k:

    w^{l}_{jk}   the weight from neuron k in layer l−1 to neuron j in layer l
    b^{l}_{j}    the bias of neuron j in layer l
    z^{l}_{j}    its weighted input, z^l_j = Σ_k w^l_jk a^(l−1)_k + b^l_j
    a^{l}_{j}    its activation, a^l_j = σ(z^l_j); a^1 = x is the input
    \\delta^{l}_{j} its error, δ^l_j = ∂C/∂z^l_j
    y_{j}        the target of output neuron j

Indices of 10 or more are separated by a comma (w^{2}_{10,3}) so that they stay unambiguous.
With ``example=i`` the symbols of one training example x_i carry it in the superscript, as
Nielsen writes a^{x,l}: a^{x_{1},2}_{1}, y^{x_{1}}_{1}. Weights and biases never do: every
example shares them.

The symbol's name *is* its LaTeX (SymPy prints a name containing ``{`` verbatim), and every
symbol is real. Two calls with the same arguments return the same (equal) symbol, so these
functions can be used without a network, for instance to write a custom cost.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import sympy as sp

from ..errors import BpkitTypeError, BpkitValueError

__all__ = ["SymbolInfo", "a", "b", "delta", "describe", "plain", "w", "x", "y", "z"]


@dataclass(frozen=True)
class SymbolInfo:
    """What a book symbol stands for: ``kind`` is ``"w"``, ``"b"``, ``"z"``, ``"a"``, ``"delta"``
    or ``"y"``; ``layer`` is l (None for y); ``j`` and ``k`` the neuron indices (k for w only);
    ``example`` the training example i of x_i, or None."""

    kind: str
    layer: int | None
    j: int
    k: int | None = None
    example: int | None = None


_REGISTRY: dict[sp.Symbol, SymbolInfo] = {}


def _whole(value: object, name: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise BpkitTypeError(f"{name} must be a whole number; got {value!r}")
    if value < least:
        raise BpkitValueError(f"{name} must be at least {least}; got {value}")
    return int(value)


def check_network(net: object, who: str) -> object:
    """``net`` if it is a :class:`~bpkit.symbolic.network.SymbolicNetwork`, else a clear error.

    Checked by a class flag rather than ``isinstance``: the modules that take a network come
    before :mod:`~bpkit.symbolic.network` in the package's one-way layout."""
    if not getattr(type(net), "_symbolic_network", False):
        raise BpkitTypeError(f"{who} needs a bpkit.symbolic.SymbolicNetwork as net; got {_short(net)}")
    return net


def check_expr(value: object, name: str, who: str, matrix: bool = False, scalar: bool = False) -> sp.Basic:
    """``value`` as a SymPy expression (or a SymPy matrix with ``matrix``), or a clear error;
    strings are refused (SymPy would parse them as code). With ``scalar`` only an algebraic
    expression (``sp.Expr``) is accepted, not a truth value, a set or a dictionary."""
    if isinstance(value, (str, bytes)) or value is None:
        raise BpkitTypeError(f"{who}: {name} must be a SymPy {'matrix' if matrix else 'expression'}; got {_short(value)}")
    try:
        out = sp.Matrix(value) if matrix else sp.sympify(value, strict=True)
    except (TypeError, ValueError, AttributeError, NotImplementedError, sp.SympifyError) as exc:
        raise BpkitTypeError(f"{who}: {name} must be a SymPy {'matrix' if matrix else 'expression'}; "
                             f"got {_short(value)} ({type(exc).__name__})") from None
    if not matrix and not isinstance(out, sp.Expr if scalar else sp.Basic):
        raise BpkitTypeError(f"{who}: {name} must be a SymPy expression; got {_short(value)}")
    return out


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _sub(*indices: int) -> str:
    """'13' for (1, 3); '10,3' when an index has two digits."""
    sep = "," if any(i >= 10 for i in indices) else ""
    return sep.join(str(i) for i in indices)


def _sup(layer: int | None, example: int | None) -> str:
    parts = [] if example is None else [f"x_{{{example}}}"]
    if layer is not None:
        parts.append(str(layer))
    return ",".join(parts)


def _make(head: str, info: SymbolInfo) -> sp.Symbol:
    sub = _sub(info.j) if info.k is None else _sub(info.j, info.k)
    sup = _sup(info.layer, info.example)
    name = f"{head}^{{{sup}}}_{{{sub}}}" if sup else f"{head}_{{{sub}}}"
    sym = sp.Symbol(name, real=True)
    _REGISTRY.setdefault(sym, info)
    return sym


def _example(example: int | None) -> int | None:
    return None if example is None else _whole(example, "example", 1)


def w(l: int, j: int, k: int) -> sp.Symbol:
    """w^l_jk, the weight from neuron k of layer l−1 to neuron j of layer l (l ≥ 2)."""
    return _make("w", SymbolInfo("w", _whole(l, "layer l of a weight", 2), _whole(j, "j", 1), _whole(k, "k", 1)))


def b(l: int, j: int) -> sp.Symbol:
    """b^l_j, the bias of neuron j of layer l (l ≥ 2)."""
    return _make("b", SymbolInfo("b", _whole(l, "layer l of a bias", 2), _whole(j, "j", 1)))


def z(l: int, j: int, example: int | None = None) -> sp.Symbol:
    """z^l_j, the weighted input of neuron j of layer l (l ≥ 2)."""
    return _make("z", SymbolInfo("z", _whole(l, "layer l of a weighted input", 2), _whole(j, "j", 1), None, _example(example)))


def a(l: int, j: int, example: int | None = None) -> sp.Symbol:
    """a^l_j, the activation of neuron j of layer l; a^1_j = x_j is the input."""
    return _make("a", SymbolInfo("a", _whole(l, "layer l", 1), _whole(j, "j", 1), None, _example(example)))


def x(k: int, example: int | None = None) -> sp.Symbol:
    """x_k, the k-th input, which the book also calls a^1_k (this returns that symbol)."""
    return a(1, k, example)


def delta(l: int, j: int, example: int | None = None) -> sp.Symbol:
    """δ^l_j = ∂C/∂z^l_j, the error of neuron j of layer l (l ≥ 2)."""
    return _make(r"\delta", SymbolInfo("delta", _whole(l, "layer l of an error", 2), _whole(j, "j", 1), None, _example(example)))


def y(j: int, example: int | None = None) -> sp.Symbol:
    """y_j, the desired output of neuron j of the output layer."""
    return _make("y", SymbolInfo("y", None, _whole(j, "j", 1), None, _example(example)))


def describe(symbol: sp.Basic) -> SymbolInfo | None:
    """The :class:`SymbolInfo` of a book symbol, or None for any other SymPy object."""
    return _REGISTRY.get(symbol) if isinstance(symbol, sp.Symbol) else None


def plain(symbol: sp.Basic) -> str:
    """A book symbol in plain text: ``w^2_13``, ``δ^3_1``, ``a^x1,2_1``; other objects by ``str``."""
    info = describe(symbol)
    if info is None:
        return str(symbol)
    head = {"delta": "δ"}.get(info.kind, info.kind)
    sup = ",".join(([f"x{info.example}"] if info.example is not None else []) + ([str(info.layer)] if info.layer is not None else []))
    sub = _sub(info.j) if info.k is None else _sub(info.j, info.k)
    return f"{head}^{sup}_{sub}" if sup else f"{head}_{sub}"
