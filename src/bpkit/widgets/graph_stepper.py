"""``GraphStepper``: the backward pass on the scalar graph of a network, one node at a time.

The figure draws the graph :func:`bpkit.autodiff.network_graph` builds (every number of the
pass a node, named z^l_j, a^l_j, w^l_jk, b^l_j, C) at the places :mod:`bpkit.autodiff.layout`
gives, and steps through :func:`bpkit.autodiff.record.backward_steps`: at each step the node the
walk has reached (in reverse topological order), its gradient ∂C/∂node and the shares it
received, and along each edge to a parent the local derivative, the share passed back and the
parent's sum so far. Beside it, the layer view: the vector or matrix of the pass stepper the
node's gradient is an entry of (δ^l, ∂C/∂b^l, ∂C/∂w^l, from :func:`bpkit.trace`), with its nodes
marked in the graph.

In the page the same graph is built and stepped by ``js/autodiff/`` (held to bpkit.autodiff by
tests/widgets/test_graph_stepper_parity.py), so the static book edits and steps with no kernel.

>>> import bpkit
>>> from bpkit import mazur
>>> from bpkit.widgets import GraphStepper
>>> s = GraphStepper(mazur.network(), mazur.X, mazur.Y)
>>> s.n_steps, s.graph.cost.name                 # one step per node
(41, 'C')
>>> s.step = 3                                   # the fourth node the walk reaches
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..autodiff import NetworkGraph, graph_size, network_graph
from ..autodiff.record import graph_data
from ..errors import SizeError
from ..network import Network
from ..trace import Trace, trace
from ._base import StepperWidget, check_network, module_source, stepper_input
from .pass_stepper import combos

#: The most nodes the figure draws: a graph of about 150 nodes (a network such as [3, 4, 2] on
#: one example has 72) still shows every node and every edge legibly; a larger one would be a
#: blur of lines. network_graph itself builds up to 100,000.
MAX_DRAWN = 150
LAYER_VIEW = ("delta^", "dC/db^", "dC/dw^")
#: Where the book shows Mazur's network in the pass stepper: the layer view of the static book
#: links its "step k of the pass stepper" there (Mazur's figure only; the live widget does not).
BOOK_PASS_STEPPER = {"href": "08_worked_example.html#step-through-it", "text": "the pass stepper in chapter 8"}
CHAIN_RULE = r"\frac{\partial C}{\partial u} = \sum\nolimits_{v:\; u \to v} \frac{\partial \varphi_v}{\partial u}\,\frac{\partial C}{\partial v}"


@dataclass
class GraphStep:
    """One step of the figure: the node the backward pass reaches (its position in
    ``graph.nodes``), its gradient, and a one-line caption."""

    node: int
    grad: float
    caption: str


@dataclass
class GraphTrace:
    """What the figure draws: the scalar graph (after its backward pass), the steps, and the
    trace of the matrix form for the layer view."""

    graph: NetworkGraph
    steps: list[GraphStep]
    layers: Trace


def layer_view(tr: Trace) -> dict[str, dict[str, Any]]:
    """δ^l, ∂C/∂b^l and ∂C/∂w^l as the pass stepper shows them: each with the index of the step
    of :func:`bpkit.trace` that computes it and the equation it applies."""
    out = {}
    for s in tr.steps:
        for q in s.outputs:
            if q.name.startswith(LAYER_VIEW):
                out[q.name] = {"step": s.index, "equation": s.equation, "value": np.asarray(q.value, float).tolist()}
    return out


def graph_view(gt: GraphTrace) -> dict[str, Any]:
    """The data the page draws: :func:`~bpkit.autodiff.record.graph_data` and the layer view."""
    return graph_data(gt.graph) | {"layers": layer_view(gt.layers)}


def _caption(v: Any, grad: float, first: bool) -> str:
    """What the step at node v does, in words (graph_stepper.js writes the same)."""
    name = v.name or f"the {v.op} node" if v.parents else v.name or f"the constant {v.data:g}"
    edges = "one edge" if len(v.parents) == 1 else f"{len(v.parents)} edges"
    if first:
        return f"The walk starts at the cost {name}, whose gradient is ∂C/∂C = 1, and passes it back along {edges}."
    if not v.parents:
        return f"{name} is an input of the graph (no operation made it): its gradient, now complete, is final."
    each = ("one edge, multiplied by the edge's local derivative" if len(v.parents) == 1 else
            f"{len(v.parents)} edges, multiplied on each by that edge's local derivative")
    return f"{name} has received a share from every operation that uses it; it passes its gradient back along {each}."


def mazur_names() -> dict[str, str]:
    """Mazur's names for the nodes of his network's graph (w1 … w8, net_h1, out_o1, E_total)."""
    from ..mazur import WEIGHTS

    names = {f"w^{l}_{j}{k}": name for name, (l, j, k) in WEIGHTS.items()}
    for j, (h, o) in enumerate((("h1", "o1"), ("h2", "o2")), start=1):
        names |= {f"z^2_{j}": f"net_{h}", f"a^2_{j}": f"out_{h}", f"z^3_{j}": f"net_{o}", f"a^3_{j}": f"out_{o}",
                  f"a^1_{j}": f"i{j}", f"y_{j}": f"target_{o}", f"b^2_{j}": "b1", f"b^3_{j}": "b2",
                  f"½(a^3_{j} − y_{j})²": f"E_{o}"}
    return names | {"C": "E_total"}


class GraphStepper(StepperWidget):
    """Step through the backward pass on the scalar graph of ``net``'s pass, node by node.

    Args:
        net: a small :class:`bpkit.Network`: its graph on x may have at most ``MAX_DRAWN``
            (150) nodes.
        x: the input, one column (n_1, 1), or a few columns (a small mini-batch).
        y: the target, of the shape of a^L.
        step: the step shown first (0 = the cost C, where ∂C/∂C = 1).
        digits: decimals shown (0 to 9).
        title: the heading of the figure.

    Attributes:
        step: the index of the step shown, synced with the page.
        trace: a ``GraphTrace``: the graph, the steps, the matrix form's trace (the graph alone
            is the property ``graph``).
        net, x, y: setting any of them rebuilds the graph and re-draws.
    """

    _module = "widgets/graph_stepper.js"
    _esm = module_source(_module)
    _inputs = ("net", "x", "y", "eta")
    _key = "graph"
    net, x, y, eta = (stepper_input(name) for name in _inputs)

    def __init__(self, net: Any, x: Any, y: Any, *, step: int = 0, digits: int = 4, title: str | None = None,
                 options: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(inputs={"net": net, "x": x, "y": y, "eta": None}, step=step, digits=digits,
                         title="The backward pass, one node at a time" if title is None else title,
                         options={"max_nodes": MAX_DRAWN} | dict(options or {}), **kwargs)

    @classmethod
    def mazur(cls, **kwargs: Any) -> "GraphStepper":
        """Mazur's network (:mod:`bpkit.mazur`) with his names beside the book's, six decimals; in
        the static book its layer view links to chapter 8's pass stepper."""
        from .. import mazur

        kwargs.setdefault("digits", 6)
        kwargs.setdefault("title", "Mazur's network: the backward pass, node by node")
        return cls(mazur.network(), mazur.X, mazur.Y, options={"names": mazur_names(), "pass_stepper": BOOK_PASS_STEPPER},
                   **kwargs)

    def _traced(self, net: Any, x: Any, y: Any, eta: Any) -> tuple[dict[str, Any], GraphTrace]:
        net = check_network(net, "GraphStepper")
        x, y = net.check_xy(x, y)
        n = graph_size(net.sizes, x.shape[1], net.output_activation.name, net.cost.name)
        if n > MAX_DRAWN:
            raise SizeError(
                f"GraphStepper draws every node of the scalar graph, and {net.sizes} on {x.shape[1]} "
                f"example(s) has {n} nodes, more than the {MAX_DRAWN} it draws legibly. Use a network "
                f"with a few neurons per layer, or one example (bpkit.autodiff.network_graph builds larger graphs)")
        g = network_graph(net, x, y)
        g.backward()
        last = len(g.nodes) - 1
        steps = [GraphStep(i, v.grad, _caption(v, v.grad, i == last)) for i, v in reversed(list(enumerate(g.nodes)))]
        return {"net": net, "x": x, "y": y, "eta": None}, GraphTrace(g, steps, trace(net, x, y))

    _to_data = staticmethod(graph_view)

    @property
    def graph(self) -> NetworkGraph:
        """The scalar graph drawn (a :class:`~bpkit.autodiff.network_graph.NetworkGraph`), after
        its backward pass."""
        return self._bp_trace.graph

    def _latex_strings(self) -> tuple[set[str], set[str]]:
        """Every node name, for every activation and cost the page offers, and the layer view's
        symbols (the page shows them as MathML)."""
        net, x, y = self._args["net"], self._args["x"], self._args["y"]
        inline = set()
        for h, o, c in combos():
            probe = Network(net.sizes, activation=h, output_activation=o, cost=c, weights=net.weights,
                            biases=net.biases)
            data = graph_data(network_graph(probe, x, np.full_like(y, 0.5)))
            inline.update(n["latex"] for n in data["nodes"] if n["latex"])
            inline.update(g["latex"] for g in data["groups"])
        return {CHAIN_RULE}, inline

    def __repr__(self) -> str:
        return f"GraphStepper(sizes={self.graph.sizes}, {len(self.graph.nodes)} nodes{self._where()})"
