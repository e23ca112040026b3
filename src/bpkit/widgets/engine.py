"""The Python side of the in-page engine (``js/engine/``): a network as the plain dict it reads.

The engine mirrors bpkit's passes in JavaScript so that a figure of the static book can
compute with no kernel (nudge a weight, take a training step). A widget embeds its network in
its state as :func:`net_dict` gives it, the layout of :meth:`bpkit.Trace.to_dict`::

    {"sizes": [n_1, ..., n_L], "weights": [w^2, ..., w^L], "biases": [b^2, ..., b^L],
     "activation": "sigmoid", "output_activation": "softmax", "cost": "log_likelihood"}

with each w^l a list of rows (``w[j-1][k-1]`` is w^l_jk) and each b^l a column
(``[[b_1], [b_2], ...]``). :func:`network_from_dict` rebuilds the :class:`bpkit.Network`,
e.g. from a network edited in the page, live in Jupyter.

>>> import bpkit
>>> net = bpkit.Network([2, 3, 1], seed=0)
>>> d = net_dict(net)
>>> d["sizes"], len(d["weights"]), bool(d["weights"][0][2][1] == net.w(2)[2, 1])
([2, 3, 1], 2, True)
>>> twin = network_from_dict(d)
>>> bool((twin.w(3) == net.w(3)).all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import BpkitTypeError, BpkitValueError
from ..network import Network

KEYS = ("sizes", "weights", "biases", "activation", "output_activation", "cost")


def net_dict(net: Network) -> dict[str, Any]:
    """``net`` as the JSON-ready dict the engine reads (float64 numbers, lists of rows)."""
    if not isinstance(net, Network):
        raise BpkitTypeError(f"net_dict needs a bpkit.Network; got {type(net).__name__}")
    return {
        "sizes": list(net.sizes),
        "weights": [np.asarray(w, dtype=float).tolist() for w in net.weights],
        "biases": [np.asarray(b, dtype=float).tolist() for b in net.biases],
        "activation": net.activation.name,
        "output_activation": net.output_activation.name,
        "cost": net.cost.name,
    }


def network_from_dict(d: Any) -> Network:
    """The :class:`bpkit.Network` a :func:`net_dict` dict describes; its arrays are checked by
    ``Network`` (every shape named by layer, as everywhere in bpkit)."""
    if not isinstance(d, dict):
        raise BpkitTypeError(f"network_from_dict needs a dict with keys {', '.join(KEYS)}; got {type(d).__name__}")
    missing = [k for k in KEYS if k not in d]
    if missing:
        raise BpkitValueError(f"the network dict lacks {', '.join(missing)} (it needs {', '.join(KEYS)})")
    unknown = sorted(set(d) - set(KEYS))
    if unknown:
        raise BpkitValueError(f"the network dict has unknown keys {', '.join(unknown)} (it takes {', '.join(KEYS)})")
    for key in ("weights", "biases"):
        if not isinstance(d[key], (list, tuple)):
            raise BpkitTypeError(f"{key} must be a list of matrices (one per layer l = 2, ..., L); got {type(d[key]).__name__}")
    return Network(
        d["sizes"], d["activation"], d["cost"], d["output_activation"],
        weights=[_matrix(w, f"w^{l}") for l, w in enumerate(d["weights"], start=2)],
        biases=[_matrix(b, f"b^{l}") for l, b in enumerate(d["biases"], start=2)],
    )


def _matrix(value: Any, name: str) -> np.ndarray:
    """A list of rows as a float array (its shape is checked by Network)."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise BpkitValueError(f"{name} must be a matrix: a list of rows of numbers, all rows of one length; got {value!r}") from exc
