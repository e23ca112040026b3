"""``NotationExplorer``: which weight is w^l_jk and which bias is b^l_j.

A drawing of a network: pointing at (or tabbing to) a connection shows its weight's name
w^l_jk, its value and the sentence "from neuron k in layer l−1 to neuron j in layer l", with
the entry marked in the matrix w^l; pointing at a neuron of layer l >= 2 shows its bias b^l_j.

>>> import bpkit
>>> from bpkit.widgets import NotationExplorer
>>> e = NotationExplorer(bpkit.Network([2, 3, 2], seed=0))
>>> e.selected = ["w", 3, 2, 1]     # w^3_21: from neuron 1 in layer 2 to neuron 2 in layer 3
>>> bool(e.selected_value == e.net.w(3)[1, 0])
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from ._base import BpkitWidget, WidgetIndexError, WidgetTypeError, WidgetValueError, check_network, module_source
from ._format import pack, shown


def explorer_data(net) -> dict[str, Any]:
    """The sizes, the neurons drawn per layer, and every w^l and b^l (packed: the entries of the
    drawn neurons)."""
    return {
        "sizes": list(net.sizes),
        "shown": [shown(n) for n in net.sizes],
        "weights": [pack(w) for w in net.weights],
        "biases": [pack(b) for b in net.biases],
        "activation": net.activation.name,
    }


class Selection(traitlets.TraitType):
    """``[]``, ``["w", l, j, k]`` or ``["b", l, j]``, checked against the widget's network
    (``None`` and tuples are accepted and stored as lists)."""

    default_value: list = []
    allow_none = False
    info_text = 'a weight ["w", l, j, k] or a bias ["b", l, j]'

    def validate(self, obj: Any, value: Any) -> list:
        return check_selection(obj._net, value)


class NotationExplorer(BpkitWidget):
    """Point at a weight or a bias of ``net`` to see its name, its value and what it connects.

    Args:
        net: a :class:`bpkit.Network` (layers of more than 6 neurons are summarised).
        selected: what is shown first: ``["w", l, j, k]`` for w^l_jk, ``["b", l, j]`` for b^l_j
            (the book's 1-based indices, l = 2..L), or ``None``.
        digits: decimals shown (0 to 8).
        title: the heading of the figure.

    Attributes:
        selected: the weight or bias shown, synced with the page (pointing at one in the page
            sets it; setting it from Python marks it in the page); ``[]`` for none.
        selected_value: its value, read from ``net``.
        net: setting it re-draws.
    """

    _module = "widgets/notation_explorer.js"
    _esm = module_source(_module)
    _static_keys = ("_data", "selected", "digits", "title")

    _data = traitlets.Dict().tag(sync=True)
    selected = Selection().tag(sync=True)

    def __init__(self, net: Any, *, selected: Any = None, digits: int = 3, title: str | None = None, **kwargs: Any) -> None:
        self._net = check_network(net, "NotationExplorer")
        if title is None:
            title = "Which weight is which: the notation"
        super().__init__(_data=explorer_data(self._net), selected=[] if selected is None else selected,
                         digits=digits, title=title, **kwargs)

    @property
    def net(self):
        return self._net

    @net.setter
    def net(self, value: Any) -> None:
        net = check_network(value, "NotationExplorer")
        try:
            keep = check_selection(net, self.selected)
        except (ValueError, IndexError):
            keep = []
        self._net = net
        with self.hold_sync():
            self.selected = keep
            self._data = explorer_data(net)

    @property
    def selected_value(self) -> float | None:
        """The value of the selected weight w^l_jk or bias b^l_j, or ``None``."""
        if not self.selected:
            return None
        kind, l, j, *k = self.selected
        return float(self._net.w(l)[j - 1, k[0] - 1] if kind == "w" else self._net.b(l)[j - 1, 0])

    def __repr__(self) -> str:
        return f"NotationExplorer(sizes={self._net.sizes}, selected={self.selected})"


def check_selection(net, value: Any) -> list:
    """``[]``, ``["w", l, j, k]`` or ``["b", l, j]`` with indices inside ``net``, or a clear error."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise WidgetTypeError(f'selected must be ["w", l, j, k], ["b", l, j] or None; got {value!r}')
    value = list(value)
    if not value:
        return []
    kind, *idx = value
    if kind not in ("w", "b") or len(idx) != (3 if kind == "w" else 2):
        raise WidgetValueError(f'selected must be ["w", l, j, k] for w^l_jk or ["b", l, j] for b^l_j; got {value!r}')
    for name, v in zip("ljk", idx):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise WidgetTypeError(f"selected: {name} must be a whole number; got {v!r}")
    idx = [int(v) for v in idx]
    L, sizes = net.num_layers, net.sizes
    l, j = idx[0], idx[1]
    if not 2 <= l <= L:
        raise WidgetIndexError(
            f"selected: layer l={l} has no {'weights' if kind == 'w' else 'biases'}; they exist for "
            f"l = 2, ..., L = {L} (layer l=1 is the input layer)"
        )
    if not 1 <= j <= sizes[l - 1]:
        raise WidgetIndexError(f"selected: j={j} is not a neuron of layer l={l}, which has neurons j = 1..{sizes[l - 1]}")
    if kind == "w" and not 1 <= idx[2] <= sizes[l - 2]:
        raise WidgetIndexError(
            f"selected: k={idx[2]} is not a neuron of layer l−1={l - 1}, which has neurons k = 1..{sizes[l - 2]}"
        )
    return [kind, *idx]
