"""``Value``: one number of a computation, and the node of the graph that remembers how it was made.

Every operation computes its result *and* the local derivative of the result with respect to
each operand, and keeps both: ``parents`` is a tuple of (operand, ∂result/∂operand) pairs, one
per edge of the graph. That is all the chain rule needs. :meth:`Value.backward` then starts
from the cost, ∂C/∂C = 1, walks the graph in reverse topological order, and along every edge
adds

    operand.grad += ∂result/∂operand · result.grad        (the chain rule, one edge)

so that each node ends with ``grad`` = ∂C/∂node: the sum, over the edges leaving the node, of
the local derivative times the gradient where the edge arrives.

A Python number mixed into an operation (``2 * v``, ``v + 1``) becomes a constant node. NumPy
arrays, strings and anything else are refused: a Value is one number, never broadcast.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Iterable, Union

import numpy as np

from .._validate import _short
from ..errors import BpkitTypeError, BpkitValueError, DomainError
from .order import topological_order

Operand = Union["Value", float, int]


class Value:
    """A scalar node: ``data`` (its value), ``grad`` (∂C/∂node after ``backward``), ``name``,
    ``op`` (the operation that made it, "" for an input) and ``parents``."""

    __slots__ = ("data", "grad", "name", "op", "parents")
    __array_ufunc__ = None  # NumPy must not broadcast a Value over an array: it hands the array to us

    def __init__(self, data: float, name: str = "") -> None:
        self.data = _number(data, f"Value({_short(data)})")
        self.grad = 0.0
        self.name = name
        self.op = ""
        self.parents: tuple[tuple[Value, float], ...] = ()

    @property
    def label(self) -> str:
        """The name, else the operation that made the node, else its number."""
        return self.name or self.op or f"{self.data:g}"

    def __repr__(self) -> str:
        return f"Value({self.label}: data={self.data:.6g}, grad={self.grad:.6g})"

    # -- the operations: each result, and beside it the local derivatives ---------------

    def __add__(self, other: Operand) -> Value:
        v = _value(other, "+", self)
        return node(self.data + v.data, "+", (self, 1.0), (v, 1.0))  # ∂/∂u = 1, ∂/∂v = 1

    def __sub__(self, other: Operand) -> Value:
        v = _value(other, "−", self)
        return node(self.data - v.data, "−", (self, 1.0), (v, -1.0))  # ∂/∂u = 1, ∂/∂v = −1

    def __mul__(self, other: Operand) -> Value:
        v = _value(other, "×", self)
        # ∂/∂u = v, ∂/∂v = u
        return node(self.data * v.data, "×", (self, v.data), (v, self.data))

    def __truediv__(self, other: Operand) -> Value:
        v = _value(other, "÷", self)
        if v.data == 0:
            raise DomainError(f"division by zero: {self.label} ÷ {v.label}, and {v.label} = 0")
        q = self.data / v.data
        return node(q, "÷", (self, 1.0 / v.data), (v, -q / v.data))  # ∂/∂u = 1/v, ∂/∂v = −u/v²

    def __pow__(self, k: Any) -> Value:
        if isinstance(k, Value) or not _is_real(k):
            raise BpkitTypeError(f"the exponent of {self.label} ** k must be a number; got {_short(k)} "
                                 "(for u to the power of a node v, write (v * u.log()).exp())")
        k = _number(k, f"the exponent of {self.label} ** k")
        if (self.data == 0 and k < 1) or (self.data < 0 and not k.is_integer()):
            raise DomainError(f"{self.label} ** {k:g} is not a real number with a finite derivative "
                              f"at {self.label} = {self.data:g}")
        try:
            return node(self.data ** k, f"^{k:g}", (self, k * self.data ** (k - 1)))  # ∂/∂u = k u^(k−1)
        except OverflowError:
            raise DomainError(f"{self.label} ** {k:g} overflows at {self.label} = {self.data:g}") from None

    def __neg__(self) -> Value:
        return node(-self.data, "−", (self, -1.0))  # ∂/∂u = −1

    def exp(self) -> Value:
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise DomainError(f"exp({self.label}) overflows: {self.label} = {self.data:g} (at most about 709.78)") from None
        return node(e, "exp", (self, e))  # ∂/∂u = e^u

    def log(self) -> Value:
        if self.data <= 0:
            raise DomainError(f"log({self.label}) needs {self.label} > 0; got {self.data:g}")
        return node(math.log(self.data), "log", (self, 1.0 / self.data))  # ∂/∂u = 1/u

    def sigmoid(self) -> Value:
        s = _sigmoid(self.data)
        return node(s, "σ", (self, s * (1.0 - s)))  # ∂/∂u = σ(u)(1 − σ(u))

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return node(t, "tanh", (self, 1.0 - t * t))  # ∂/∂u = 1 − tanh²(u)

    def relu(self) -> Value:
        return node(max(self.data, 0.0), "ReLU", (self, 1.0 if self.data > 0 else 0.0))  # 1 for u > 0, else 0

    def identity(self) -> Value:
        return node(self.data, "id", (self, 1.0))  # ∂/∂u = 1

    @staticmethod
    def sum(terms: Iterable[Operand]) -> Value:
        """Σ_i u_i as one node with one edge per term, each of local derivative 1."""
        terms = [_value(t, "Σ") for t in _terms(terms)]
        return node(sum(t.data for t in terms), "Σ", *((t, 1.0) for t in terms))

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other: Operand) -> Value:
        return _value(other, "−", self) - self

    def __rtruediv__(self, other: Operand) -> Value:
        return _value(other, "÷", self) / self

    # -- the backward pass ---------------------------------------------------------------

    def backward(self, accumulate: bool = False) -> None:
        """Set every node's ``grad`` to ∂self/∂node: the chain rule, walked in
        reverse topological order.

        Every gradient must be 0 first (:meth:`zero_grad`), unless
        ``accumulate``: then the inputs add this pass's gradients to theirs,
        as PyTorch's ``loss.backward()`` does.
        """
        order = topological_order(self)  # each node after its parents
        if not accumulate:
            _refuse_held_gradients(order)
        for v in order:
            if v.parents:
                v.grad = 0.0  # an inner node's grad belongs to this pass
        self.grad = 1.0  # ∂C/∂C
        for v in reversed(order):  # each node after every node that uses it
            for parent, local in v.parents:
                parent.grad += local * v.grad  # one edge: local × ∂C/∂v
        _refuse_overflow(self, order)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 in every node this one depends on (and in this one)."""
        for v in topological_order(self):
            v.grad = 0.0


def _refuse_held_gradients(order: list[Value]) -> None:
    held = next((v for v in order if v.grad != 0), None)
    if held is not None:
        raise BpkitValueError(
            f"backward() would add to the gradients of an earlier backward(): ∂/∂{held.label} already "
            f"holds {held.grad:.6g}. Call zero_grad() first, or backward(accumulate=True) to add this "
            f"pass's gradients to them on purpose")


def _refuse_overflow(root: Value, order: list[Value]) -> None:
    bad = next((v for v in order if not math.isfinite(v.grad)), None)
    if bad is not None:
        raise DomainError(f"∂{root.label}/∂{bad.label} is {bad.grad}: the gradient overflowed")


def node(data: float, op: str, *edges: tuple[Value, float]) -> Value:
    """The result of an operation ``op``: a new node holding ``data``, and, for each operand,
    an edge (operand, ∂result/∂operand). Every operation above ends with it; so can yours."""
    if not math.isfinite(data) or not all(math.isfinite(d) for _, d in edges):
        args = ", ".join(f"{u.label} = {u.data:g}" for u, _ in edges)
        raise DomainError(f"{op} of {args} is not a finite number (the result or its derivative overflowed)")
    out = Value(data)
    out.op, out.parents = op, edges
    return out


def _is_real(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


def _number(x: Any, what: str) -> float:
    """x as a finite float, or a clear error (a Value is one real number)."""
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "fiu":
        x = x.item()
    if not _is_real(x):
        shape = f" of shape {x.shape}" if isinstance(x, np.ndarray) else ""
        raise BpkitTypeError(f"{what}: a Value holds one real number; got {type(x).__name__}{shape}"
                             + (" (build one Value per entry)" if shape else ""))
    try:
        number = float(x)
    except OverflowError:
        raise DomainError(f"{what}: {_short(x)} is beyond the largest float64 (about 1.8e308)") from None
    if not math.isfinite(number):
        raise DomainError(f"{what}: a Value must be finite; got {x}")
    return number


def _value(x: Any, op: str, node: Value | None = None) -> Value:
    """An operand as a node: a Value as it is, a number as a constant node."""
    if isinstance(x, Value):
        return x
    if _is_real(x):
        return Value(x)
    where = f"{node.label} {op} " if node is not None else f"{op} of "
    raise BpkitTypeError(f"{where}{_short(x)}: a Value combines with Values and real numbers only, "
                         f"not a {type(x).__name__} (nothing is broadcast: one Value per number)")


def _terms(terms: Any) -> list:
    if isinstance(terms, (Value, str, bytes, np.ndarray)) or not isinstance(terms, Iterable):
        raise BpkitTypeError(f"Value.sum needs a list of Values or numbers; got {_short(terms)}")
    terms = list(terms)
    if not terms:
        raise BpkitValueError("Value.sum of nothing: give at least one term")
    return terms


def _sigmoid(u: float) -> float:
    """σ(u) = 1/(1 + e^(−u)), with no overflow for any u."""
    if u >= 0:
        return 1.0 / (1.0 + math.exp(-u))
    e = math.exp(u)
    return e / (1.0 + e)


def backward(output: Any, accumulate: bool = False) -> None:
    """``output.backward()``, for one scalar node; anything else is refused with the reason."""
    if isinstance(output, Value):
        return output.backward(accumulate)
    n = f"{len(output)} " if hasattr(output, "__len__") else ""
    raise BpkitTypeError(
        f"backward() needs one scalar node, the cost C; got {type(output).__name__} {n}{_short(output)}. "
        f"The derivative of several outputs is a Jacobian, not one gradient per node: add them "
        f"into one number first (C = Σ_x C_x), or call backward on each, zeroing in between")
