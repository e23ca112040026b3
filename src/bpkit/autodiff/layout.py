"""Where to draw each node of a graph: columns from the inputs (left) to the cost (right).

An operation's column is one more than the furthest of its parents, so every edge points to
the right. An input (a node no operation made: x, y, a weight, a bias, a constant) stands one
column before the first operation that uses it, next to it rather than far left. Within a
column the nodes are ordered by the mean row of the nodes they feed (the cost's column first,
then leftwards), which keeps a neuron's weights, product and sum near one another, and are
spread evenly about the middle.

The chapter's figures and the graph stepper (JavaScript) draw from the same positions.
"""

from __future__ import annotations

from typing import Any


def layout(order: list[Any]) -> dict[Any, tuple[int, float]]:
    """(column, row) of every node of ``order``, a topological order (parents first); rows are
    centred on 0 in every column, one unit apart."""
    index = {v: i for i, v in enumerate(order)}
    children: dict[Any, list[Any]] = {v: [] for v in order}
    for v in order:
        for parent, _ in v.parents:
            if v not in children[parent]:
                children[parent].append(v)
    column: dict[Any, int] = {}
    for v in order:  # parents before children
        column[v] = 1 + max((column[p] for p, _ in v.parents), default=-1)
    for v in order:
        if not v.parents and children[v]:
            column[v] = min(column[c] for c in children[v]) - 1
    columns: dict[int, list[Any]] = {}
    for v in order:
        columns.setdefault(column[v], []).append(v)
    row: dict[Any, float] = {}
    for c in sorted(columns, reverse=True):  # from the cost leftwards: the children are placed
        def key(v: Any) -> tuple[float, int]:
            placed = [row[ch] for ch in children[v] if ch in row]
            return (sum(placed) / len(placed) if placed else 0.0, index[v])
        nodes = sorted(columns[c], key=key)
        for i, v in enumerate(nodes):
            row[v] = i - (len(nodes) - 1) / 2
    return {v: (column[v], row[v]) for v in order}
