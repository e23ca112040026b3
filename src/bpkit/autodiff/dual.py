"""Forward mode: dual numbers, and the gradient one parameter at a time.

A dual number carries a value u and a tangent u̇ = ∂u/∂θ, the rate at which u changes with one
chosen input θ. Each operation computes its value and the same local derivatives as
:class:`~bpkit.autodiff.value.Value`, and pushes the tangent *forwards* along its edges:

    result.tangent = Σ_edges ∂result/∂operand · operand.tangent      (the chain rule, forwards)

Start with θ̇ = 1 and every other input's tangent 0, run the pass, and the cost's tangent is
∂C/∂θ: one derivative per pass. The whole gradient of P parameters takes P passes
(:func:`forward_mode_gradient`), where the reverse mode takes one pass forwards and one back.

Each pass counts its operations in ``counter``: one per node made and one per edge whose
tangent is carried, the same count as one forward plus one backward pass of the reverse mode.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import _short
from ..errors import BpkitTypeError, DomainError
from ..network import Network
from .network_graph import _sub, check_graph_size, scalar_pass
from .value import _number, _sigmoid

Array = np.ndarray


class Dual:
    """A number ``data`` with its tangent ``tangent`` = ∂data/∂θ; ``counter`` is the pass's
    operation count (a one-element list shared by every dual number of the pass)."""

    __slots__ = ("data", "tangent", "name", "counter")

    def __init__(self, data: float, name: str = "", tangent: float = 0.0, counter: list[int] | None = None) -> None:
        self.data, self.tangent, self.name = _number(data, f"Dual({_short(data)})"), float(tangent), name
        self.counter = counter if counter is not None else [0]

    def __repr__(self) -> str:
        return f"Dual({self.name or ''} {self.data:.6g}, tangent={self.tangent:.6g})"

    def _const(self, x: Any) -> Dual:
        if isinstance(x, Dual):
            return x
        if isinstance(x, (int, float, np.floating, np.integer)) and not isinstance(x, bool):
            return Dual(x, counter=self.counter)  # a constant: tangent 0
        raise BpkitTypeError(f"a Dual combines with Duals and real numbers only; got {_short(x)}")

    def __add__(self, other: Any) -> Dual:
        v = self._const(other)
        return _op(self.data + v.data, (self, 1.0), (v, 1.0))

    def __sub__(self, other: Any) -> Dual:
        v = self._const(other)
        return _op(self.data - v.data, (self, 1.0), (v, -1.0))

    def __mul__(self, other: Any) -> Dual:
        v = self._const(other)
        return _op(self.data * v.data, (self, v.data), (v, self.data))

    def __truediv__(self, other: Any) -> Dual:
        v = self._const(other)
        if v.data == 0:
            raise DomainError("division by zero in a forward-mode pass")
        q = self.data / v.data
        return _op(q, (self, 1.0 / v.data), (v, -q / v.data))

    def __pow__(self, k: float) -> Dual:
        return _op(self.data ** k, (self, k * self.data ** (k - 1)))

    def __neg__(self) -> Dual:
        return _op(-self.data, (self, -1.0))

    def exp(self) -> Dual:
        e = math.exp(self.data)
        return _op(e, (self, e))

    def log(self) -> Dual:
        if self.data <= 0:
            raise DomainError(f"log of {self.data:g} in a forward-mode pass")
        return _op(math.log(self.data), (self, 1.0 / self.data))

    def sigmoid(self) -> Dual:
        s = _sigmoid(self.data)
        return _op(s, (self, s * (1.0 - s)))

    def tanh(self) -> Dual:
        t = math.tanh(self.data)
        return _op(t, (self, 1.0 - t * t))

    def relu(self) -> Dual:
        return _op(max(self.data, 0.0), (self, 1.0 if self.data > 0 else 0.0))

    def identity(self) -> Dual:
        return _op(self.data, (self, 1.0))

    @staticmethod
    def sum(terms: list[Any]) -> Dual:
        terms = [terms[0]._const(t) for t in terms]
        return _op(sum(t.data for t in terms), *((t, 1.0) for t in terms))

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other: Any) -> Dual:
        return self._const(other) - self

    def __rtruediv__(self, other: Any) -> Dual:
        return self._const(other) / self


def _op(data: float, *edges: tuple[Dual, float]) -> Dual:
    """The result of an operation: its value, and its tangent carried forwards along each edge."""
    counter = edges[0][0].counter
    counter[0] += 1 + len(edges)  # the node, and one product per edge
    return Dual(data, tangent=sum(local * u.tangent for u, local in edges), counter=counter)


@dataclass
class ForwardModeGradient:
    """The gradient by forward mode: ``nabla_b``, ``nabla_w`` in ``Network.backprop``'s layout,
    the number of ``passes`` (one per parameter) and of ``operations`` in all of them."""

    nabla_b: list[Array]
    nabla_w: list[Array]
    passes: int
    operations: int


def forward_mode_gradient(net: Network, x: Any, y: Any) -> ForwardModeGradient:
    """∂C/∂θ for every weight and bias θ of ``net`` on x, y: one pass of dual numbers per θ,
    with θ̇ = 1 and every other tangent 0."""
    if not isinstance(net, Network):
        raise BpkitTypeError(f"forward_mode_gradient needs a bpkit.Network as net; got {_short(net)}")
    x, y = net.check_xy(x, y)
    check_graph_size(net, x.shape[1])
    x, y = x.astype(np.float64), y.astype(np.float64)
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    names = [(f"b^{l}_{j + 1}", nabla_b[l - 2], (j, 0)) for l in range(2, net.L + 1) for j in range(net.sizes[l - 1])]
    names += [(f"w^{l}_{_sub(j + 1, k + 1)}", nabla_w[l - 2], (j, k)) for l in range(2, net.L + 1)
              for j in range(net.sizes[l - 1]) for k in range(net.sizes[l - 2])]
    operations = 0
    for theta, grad, index in names:
        counter = [0]
        C = scalar_pass(net, x, y, lambda v, name: Dual(v, name, 1.0 if name == theta else 0.0, counter))["C"]
        grad[index] = C.tangent  # ∂C/∂θ
        operations += counter[0]
    return ForwardModeGradient(nabla_b, nabla_w, len(names), operations)
