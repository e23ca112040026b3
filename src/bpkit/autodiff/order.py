"""The order in which the backward pass visits a graph: every node after all of its parents.

A node's gradient ∂C/∂v is complete only when every node v feeds has passed its share back.
Listing the nodes so that each comes after its parents (a *topological order*) and walking
that list backwards guarantees it: when the walk reaches v, every node that uses v has already
been visited.

The list is built by a depth-first search written with an explicit stack instead of recursion,
so that a graph thousands of nodes deep does not hit Python's recursion limit. The same search
finds a cycle, which no computation can have (a value cannot be made from itself).
"""

from __future__ import annotations

from typing import Any, Iterator

from ..errors import BpkitValueError

_OPEN, _DONE = 1, 2  # on the current path of the search; listed


def topological_order(root: Any) -> list[Any]:
    """Every node ``root`` depends on, ``root`` last, each node after all of its parents.

    A node is anything with ``parents``, a tuple of (parent, local derivative) pairs. Raises
    :class:`~bpkit.errors.BpkitValueError` naming the nodes of a cycle if there is one.
    """
    order: list[Any] = []
    state = {root: _OPEN}
    stack: list[tuple[Any, Iterator]] = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent, _ in parents:
            seen = state.get(parent)
            if seen == _OPEN:
                raise _cycle_error([n for n, _ in stack], parent)
            if seen is None:  # go deeper first: the parent's own parents come before it
                state[parent] = _OPEN
                stack.append((parent, iter(parent.parents)))
                break
        else:  # all parents listed: the node itself can be
            stack.pop()
            state[node] = _DONE
            order.append(node)
    return order


def _cycle_error(path: list[Any], back_to: Any) -> BpkitValueError:
    loop = path[path.index(back_to):] + [back_to]
    names = " ← ".join(getattr(n, "label", repr(n)) for n in loop)
    return BpkitValueError(
        f"the graph has a cycle ({names}: each node is made from the next): a value cannot be "
        f"computed from itself, so there is no order in which to apply the chain rule. A "
        f"computational graph is acyclic; was a node's parents changed by hand?"
    )
