"""The backward pass one node at a time, recorded as plain (JSON) data for the graph stepper.

:func:`backward_steps` runs the loop of :meth:`Value.backward` (the same additions, in the same
order, so the same numbers to the last bit) on a copy of the gradients, and records each node
as the walk reaches it: its gradient ∂C/∂node, complete at that moment, and, for each edge to
a parent, the local derivative, the share it passes back (local × gradient) and the parent's
sum so far.

:func:`graph_data` adds what a drawing needs for the scalar graph of a network: every node's
name (plain and LaTeX), operation, parents, value, place (:mod:`~bpkit.autodiff.layout`) and
role in the book's notation, and the groups of nodes that make up the layer view's vectors
(the nodes z^2_j are δ², the nodes w^2_jk are ∂C/∂w², ...).
"""

from __future__ import annotations

from typing import Any

from .layout import layout
from .network_graph import NetworkGraph, latex
from .value import Value


def backward_steps(order: list[Value]) -> list[dict[str, Any]]:
    """One record per node of ``order`` (a topological order, the cost last), in the order the
    backward pass visits them: ``{"node", "grad", "sends": [{"to", "local", "share", "sum"}]}``
    with nodes given by their position in ``order``."""
    index = {v: i for i, v in enumerate(order)}
    grad = [0.0] * len(order)
    grad[-1] = 1.0  # ∂C/∂C
    steps = []
    for v in reversed(order):
        g = grad[index[v]]
        sends = []
        for parent, local in v.parents:
            p = index[parent]
            grad[p] += local * g  # exactly Value.backward's addition
            sends.append({"to": p, "local": local, "share": local * g, "sum": grad[p]})
        steps.append({"node": index[v], "grad": g, "sends": sends})
    return steps


def _roles(graph: NetworkGraph) -> dict[Value, dict[str, Any]]:
    """Each named node's role in the book's notation: kind, layer l, neuron j, k, example i."""
    roles: dict[Value, dict[str, Any]] = {}
    parts = graph.parts
    for l, rows in parts["w"].items():
        for j, row in enumerate(rows):
            for k, v in enumerate(row):
                roles[v] = {"kind": "w", "layer": l, "j": j + 1, "k": k + 1}
            roles[parts["b"][l][j]] = {"kind": "b", "layer": l, "j": j + 1}
    for kind in ("z", "a"):
        for l, rows in parts[kind].items():
            for j, row in enumerate(rows):
                for i, v in enumerate(row):
                    roles[v] = {"kind": "x" if l == 1 else kind, "layer": l, "j": j + 1, "i": i + 1}
    for j, row in enumerate(parts["y"]):
        for i, v in enumerate(row):
            roles[v] = {"kind": "y", "layer": len(graph.sizes), "j": j + 1, "i": i + 1}
    roles[parts["C"]] = {"kind": "C"}
    return roles


def groups(graph: NetworkGraph) -> list[dict[str, Any]]:
    """The layer view: for each layer l, the vectors of the pass stepper and the nodes whose
    gradients they hold (positions in ``graph.nodes``), row by row."""
    index = {v: n for n, v in enumerate(graph.nodes)}
    parts, L, out = graph.parts, len(graph.sizes), []
    for l in range(L, 1, -1):
        out.append({"name": f"delta^{l}", "latex": rf"\delta^{{{l}}}", "layer": l,
                    "equation": "BP1" if l == L else "BP2",
                    "nodes": [[index[v] for v in row] for row in parts["z"][l]]})
        out.append({"name": f"dC/db^{l}", "latex": rf"\partial C/\partial b^{{{l}}}", "layer": l, "equation": "BP3",
                    "nodes": [[index[v]] for v in parts["b"][l]]})
        out.append({"name": f"dC/dw^{l}", "latex": rf"\partial C/\partial w^{{{l}}}", "layer": l, "equation": "BP4",
                    "nodes": [[index[v] for v in row] for row in parts["w"][l]]})
    return out


def graph_data(graph: NetworkGraph) -> dict[str, Any]:
    """Everything the graph stepper draws and steps through, as JSON-ready data."""
    index = {v: n for n, v in enumerate(graph.nodes)}
    roles = _roles(graph)
    place = layout(graph.nodes)
    nodes = []
    for v in graph.nodes:
        col, row = place[v]
        role = roles.get(v, {"kind": "constant" if not v.parents else "operation"})
        nodes.append({"name": v.name, "latex": latex(v.name) if v.name else "", "op": v.op,
                      "parents": [[index[p], local] for p, local in v.parents], "data": v.data,
                      "col": col, "row": row, **role})
    return {"sizes": list(graph.sizes), "m": graph.m, "nodes": nodes, "steps": backward_steps(graph.nodes),
            "groups": groups(graph)}
