"""The scalar graph of one pass of a bpkit ``Network``: every number of the pass is a node.

For one example x (or a small mini-batch, one column per example) the forward pass is written
one number at a time, with the book's names on the nodes:

    a^1_k = x_k                                    inputs
    z^l_j = Σ_k w^l_jk a^(l−1)_k + b^l_j           one × node per weight, one Σ node per neuron
    a^l_j = σ(z^l_j)                               one node per neuron (softmax: exp, Σ and ÷)
    C     = Σ_x Σ_j C_x,j                          the cost, summed over the examples

so that, after ``C.backward()``, the gradient of the node w^l_jk is ∂C/∂w^l_jk, that of b^l_j
is ∂C/∂b^l_j, and that of z^l_j is the error δ^l_j: the same numbers as BP1-BP4, which
:meth:`NetworkGraph.nabla` and :meth:`NetworkGraph.delta` return in ``Network.backprop``'s
layout. The targets y_j are nodes too (the cost is a function of a^L and y); the weights and
biases are shared by the examples' passes.

The pass itself (:func:`scalar_pass`) is written once for any number type with the operations
of :class:`~bpkit.autodiff.value.Value`, so that the dual numbers of forward mode
(:mod:`bpkit.autodiff.dual`) run exactly the same operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import re

import numpy as np

from .._validate import _short
from ..errors import BpkitTypeError, LayerIndexError, SizeError
from ..network import Network
from .order import topological_order
from .value import Value

Array = np.ndarray

#: The most nodes a scalar graph of a network may have. Each node is a Python object (about
#: 300 bytes with its edges), made and visited one at a time by the interpreter (about 15 µs per
#: node, building and differentiating, on the machine this was measured on): 100,000 nodes take
#: about 30 MB and two seconds, where Network.backprop does the same arithmetic in a few matrix
#: products. The scalar graph is for seeing the chain rule at work on small networks, not for
#: training: a 784-30-10 network fits on one example (48,595 nodes) up to three (98,066), not on four.
MAX_GRAPH_NODES = 100_000


def _sub(j: int, k: int | None = None) -> str:
    """The book's subscripts: "1", "12", or "1,12" when an index has two digits."""
    if k is None:
        return str(j)
    return f"{j}{k}" if j < 10 and k < 10 else f"{j},{k}"


def latex(name: str) -> str:
    """A node's name as the book typesets it: ``w^2_11`` → ``w^{2}_{11}``, ``a^1_2(x3)`` →
    ``a^{1}_{2}(x_{3})``, ``½(a^3_1 − y_1)²`` → ``\\frac{1}{2}(a^{3}_{1} - y_{1})^2``."""
    out = re.sub(r"([a-zA-Z])\^(\d+)_([\d,]+)", r"\1^{\2}_{\3}", name)
    out = re.sub(r"\b([yC])_(\d+)", r"\1_{\2}", out)
    out = re.sub(r"\(x(\d+)\)", r"(x_{\1})", out)
    for plain, tex in (("·", r"\,"), ("−", "-"), ("²", "^2"), ("½", r"\frac{1}{2}"), (" ln ", r" \ln "),
                       ("C_x", "C_{x}")):
        out = out.replace(plain, tex)
    return out


def graph_size(sizes: list[int], m: int = 1, output_activation: str = "sigmoid", cost: str = "quadratic") -> int:
    """The number of nodes of the scalar graph of a network with these ``sizes`` on ``m``
    examples, counted from the construction below (inputs, targets, weights, biases, one ×
    node per weight and example, ...)."""
    n_L = sizes[-1]
    per_example = sizes[0] + n_L  # the leaves x_k and y_j
    for n_prev, n in zip(sizes[:-1], sizes[1:]):
        per_example += n * n_prev + 2 * n  # w·a products, z (Σ), a = σ(z)
    if output_activation == "softmax":
        per_example += n_L + 1  # exp, Σ and ÷ instead of σ alone
    per_example += {"quadratic": 4, "cross_entropy": 10, "log_likelihood": 3}[cost] * n_L + 1  # terms, C_x
    parameters = sum(n * n_prev + n for n_prev, n in zip(sizes[:-1], sizes[1:]))
    return parameters + m * per_example + (1 if m > 1 else 0)  # and C = Σ_x C_x


def check_graph_size(net: Network, m: int, limit: int = MAX_GRAPH_NODES) -> int:
    """The graph's node count, or a :class:`~bpkit.errors.SizeError` naming it and the limit."""
    n = graph_size(net.sizes, m, net.output_activation.name, net.cost.name)
    if n > limit:
        examples = "one example" if m == 1 else f"{m} examples"
        raise SizeError(
            f"the scalar graph of {net.sizes} on {examples} would have {n:,} nodes, more than the "
            f"{limit:,} bpkit builds ({net.num_parameters:,} weights and biases, one × node per weight "
            f"and example): every node is a Python object, visited one at a time. Draw a smaller "
            f"network or fewer examples; Network.backprop computes the same gradient for any size")
    return n


def scalar_pass(net: Network, x: Array, y: Array, leaf: Callable[[float, str], Any]) -> dict[str, Any]:
    """The pass of ``net`` on x, y (checked arrays, one column per example) written one number at
    a time, with leaves made by ``leaf(value, name)``: Values for the reverse mode, dual numbers
    for the forward mode. Returns the nodes by kind: ``w[l][j][k]``, ``b[l][j]``, ``x[k][i]``,
    ``y[j][i]``, ``z[l][j][i]``, ``a[l][j][i]`` (0-based j, k, i; l as in the book) and ``C``."""
    L, m, tag = net.L, x.shape[1], (lambda i: "" if x.shape[1] == 1 else f"(x{i + 1})")
    w = {l: [[leaf(net.w(l)[j, k], f"w^{l}_{_sub(j + 1, k + 1)}") for k in range(net.sizes[l - 2])]
             for j in range(net.sizes[l - 1])] for l in range(2, L + 1)}
    b = {l: [leaf(net.b(l)[j, 0], f"b^{l}_{j + 1}") for j in range(net.sizes[l - 1])] for l in range(2, L + 1)}
    xs = [[leaf(x[k, i], f"a^1_{k + 1}{tag(i)}") for i in range(m)] for k in range(net.sizes[0])]
    ys = [[leaf(y[j, i], f"y_{j + 1}{tag(i)}") for i in range(m)] for j in range(net.sizes[-1])]
    z: dict[int, list] = {}
    a: dict[int, list] = {1: xs}
    costs = []
    for i in range(m):
        for l in range(2, L + 1):
            z.setdefault(l, [[] for _ in w[l]])
            a.setdefault(l, [[] for _ in w[l]])
            for j, row in enumerate(w[l]):
                products = [_named(wjk * a[l - 1][k][i], f"{wjk.name}·{a[l - 1][k][i].name}")
                            for k, wjk in enumerate(row)]
                z[l][j].append(_named(type(b[l][j]).sum(products + [b[l][j]]), f"z^{l}_{j + 1}{tag(i)}"))
            column = [z[l][j][i] for j in range(len(w[l]))]
            sigma = net.output_activation if l == L else net.activation
            for j, aj in enumerate(_activate(sigma.name, column)):
                a[l][j].append(_named(aj, f"a^{l}_{j + 1}{tag(i)}"))
        out = [a[L][j][i] for j in range(net.sizes[-1])]
        terms = _cost_terms(net.cost.name, out, [ys[j][i] for j in range(len(out))], L, tag(i))
        costs.append(_named(type(terms[0]).sum(terms), "C" if m == 1 else f"C_x{tag(i)}"))
    C = costs[0] if m == 1 else _named(type(costs[0]).sum(costs), "C")
    return {"w": w, "b": b, "x": xs, "y": ys, "z": z, "a": a, "C": C}


def _named(node: Any, name: str) -> Any:
    node.name = name
    return node


def _activate(name: str, z: list) -> list:
    """σ applied to one layer's weighted inputs z^l_1 ... z^l_n (of one example)."""
    if name == "softmax":  # e^(z_j) / Σ_k e^(z_k); exp refuses z > 709 (bpkit's softmax shifts by max z)
        e = [v.exp() for v in z]
        total = type(z[0]).sum(e)
        return [ej / total for ej in e]
    return [getattr(v, {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "relu", "identity": "identity"}[name])()
            for v in z]


def _cost_terms(cost: str, a: list, y: list, L: int, tag: str) -> list:
    """C_x = Σ_j C_x,j, one term per output neuron j."""
    if cost == "quadratic":  # ½ (a^L_j − y_j)²
        out = []
        for j, (aj, yj) in enumerate(zip(a, y)):
            diff = _named(aj - yj, f"a^{L}_{j + 1} − y_{j + 1}{tag}")
            square = _named(diff ** 2, f"(a^{L}_{j + 1} − y_{j + 1})²{tag}")
            out.append(_named(0.5 * square, f"½(a^{L}_{j + 1} − y_{j + 1})²{tag}"))
        return out
    if cost == "cross_entropy":  # −[y_j ln a^L_j + (1 − y_j) ln(1 − a^L_j)]
        return [_named(-type(aj).sum([yj * aj.log(), (1 - yj) * (1 - aj).log()]), f"C_{j + 1}{tag}")
                for j, (aj, yj) in enumerate(zip(a, y))]
    return [_named(-(yj * aj.log()), f"−y_{j + 1} ln a^{L}_{j + 1}{tag}")  # log-likelihood
            for j, (aj, yj) in enumerate(zip(a, y))]


@dataclass
class NetworkGraph:
    """The scalar graph of a pass: the nodes by kind (see :func:`scalar_pass`) and all of them,
    ``nodes``, in topological order (the cost C last)."""

    sizes: list[int]
    m: int
    parts: dict[str, Any] = field(repr=False)
    nodes: list[Value] = field(repr=False)

    @property
    def cost(self) -> Value:
        return self.parts["C"]

    @property
    def edges(self) -> int:
        """The number of edges, one per (operand, result) pair."""
        return sum(len(v.parents) for v in self.nodes)

    @property
    def operations(self) -> int:
        """How many operations one reverse-mode gradient takes, counted as forward mode counts
        them. One per node an operation made (its value and local derivatives), and one per
        edge the backward pass carries a gradient along."""
        return sum(1 + len(v.parents) for v in self.nodes if v.parents)

    def backward(self) -> None:
        """C.backward(): every node's grad becomes ∂C/∂node."""
        self.cost.backward()

    def _layer(self, l: int) -> int:
        if isinstance(l, bool) or not isinstance(l, (int, np.integer)) or not 2 <= l <= len(self.sizes):
            raise LayerIndexError(f"layer l={l!r} has no z, w or b: l = 2, ..., L = {len(self.sizes)}")
        return int(l)

    def delta(self, l: int) -> Array:
        """δ^l, the gradients of the nodes z^l_j, one column per example (shape (n_l, m))."""
        return np.array([[v.grad for v in row] for row in self.parts["z"][self._layer(l)]])

    def nabla(self) -> tuple[list[Array], list[Array]]:
        """``(nabla_b, nabla_w)``: the gradients of the nodes b^l_j and w^l_jk, in the layout of
        :meth:`bpkit.Network.backprop` (summed over the examples, as the cost is)."""
        L = len(self.sizes)
        nabla_b = [np.array([[v.grad] for v in self.parts["b"][l]]) for l in range(2, L + 1)]
        nabla_w = [np.array([[v.grad for v in row] for row in self.parts["w"][l]]) for l in range(2, L + 1)]
        return nabla_b, nabla_w

    def node(self, name: str) -> Value:
        """The node of this name (``"z^2_1"``, ``"w^3_12"``, ``"C"``)."""
        for v in self.nodes:
            if v.name == name:
                return v
        raise KeyError(f"no node named {name!r} in this graph")


def network_graph(net: Network, x: Any, y: Any, limit: int = MAX_GRAPH_NODES) -> NetworkGraph:
    """Build the scalar graph of ``net``'s pass on x, y (a column each, or a few columns), and run
    no backward pass yet. Refuses a graph of more than ``limit`` nodes before building it."""
    if not isinstance(net, Network):
        raise BpkitTypeError(f"network_graph needs a bpkit.Network as net; got {_short(net)}")
    x, y = net.check_xy(x, y)
    check_graph_size(net, x.shape[1], limit)
    parts = scalar_pass(net, x.astype(np.float64), y.astype(np.float64), Value)
    return NetworkGraph(list(net.sizes), x.shape[1], parts, topological_order(parts["C"]))
