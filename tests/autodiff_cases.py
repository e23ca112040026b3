"""Random networks for the autodiff tests: every (hidden activation, output activation, cost)
the book lets a reader pick, softmax included, on one example or a few.

How gradients are compared. A plain entry-by-entry relative error means nothing where an entry
is the small difference of larger terms: there two correct float64 programs that add in another
order (or write the cross-entropy's derivative another way, as PyTorch does) differ by ~1e-16 of
the terms, i.e. by any amount relative to the entry. So each entry u_i of an array (∂C/∂w^l,
∂C/∂b^l or δ^l) is compared against a scale that is at least |u_i|:

* the largest entry of its array, max |u| (an entry much smaller than its neighbours is no
  more accurate than they are: the 1 − tanh²(z) of a saturated neuron, a mini-batch sum whose
  examples pull opposite ways), and
* the sum of the absolute values of its path products, M_i: what the entry would be if no path
  cancelled another (Nielsen's sum over paths, every product made positive), computed by the
  backward pass of the scalar graph with |local derivative| on every edge. A layer of one neuron
  whose δ is the small sum of large products has M_i much larger than |u_i|.

``agreement`` returns max |u_i − v_i| / max(max |u|, M_i); ``elementwise`` the plain relative
error (reported only).
"""

from __future__ import annotations

import numpy as np

import bpkit

HIDDEN = ("sigmoid", "tanh", "relu", "identity")
COST_OUTPUTS = {"quadratic": ("sigmoid", "tanh", "relu", "identity", "softmax"),
                "cross_entropy": ("sigmoid",), "log_likelihood": ("softmax",)}
COMBOS = [(h, o, c) for h in HIDDEN for c, outs in COST_OUTPUTS.items() for o in outs]


def random_case(rng: np.random.Generator, hidden: str, output: str, cost: str, max_layers: int = 4,
                max_neurons: int = 4, max_examples: int = 3):
    """(net, x, y): 2 to max_layers layers of 1 to max_neurons neurons, 1 to max_examples
    examples, targets in the cost's domain."""
    sizes = [int(n) for n in rng.integers(1, max_neurons + 1, size=rng.integers(2, max_layers + 1))]
    if output == "softmax" or cost != "quadratic":
        sizes[-1] = max(sizes[-1], 2)
    m = int(rng.integers(1, max_examples + 1))
    net = bpkit.Network(sizes, activation=hidden, output_activation=output, cost=cost,
                        seed=int(rng.integers(2**31)))
    x = rng.normal(size=(sizes[0], m))
    if cost == "quadratic":
        y = rng.normal(size=(sizes[-1], m))
    elif cost == "cross_entropy":
        y = rng.uniform(size=(sizes[-1], m))
    else:
        y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], size=m)]
    return net, x, y


def bp_deltas(net, x, y) -> list[np.ndarray]:
    """δ^2 ... δ^L by BP1 and BP2 in matrix form, as bpkit.trace records them."""
    t = bpkit.trace(net, x, y)
    L = net.L
    deltas = {L: t.find("output_error", L).value(f"delta^{L}")}
    for l in range(L - 1, 1, -1):
        deltas[l] = t.find("backpropagated_error", l).value(f"delta^{l}")
    return [deltas[l] for l in range(2, L + 1)]


def magnitudes(graph) -> list[np.ndarray]:
    """M for every ∂C/∂b^l, ∂C/∂w^l and δ^l (in that order, the layout of nabla_b + nabla_w +
    deltas): the backward pass of the scalar graph with every local derivative made positive."""
    mag = {v: 0.0 for v in graph.nodes}
    mag[graph.cost] = 1.0
    for v in reversed(graph.nodes):
        for parent, local in v.parents:
            mag[parent] += abs(local) * mag[v]
    parts, L = graph.parts, len(graph.sizes)
    b = [np.array([[mag[v]] for v in parts["b"][l]]) for l in range(2, L + 1)]
    w = [np.array([[mag[v] for v in row] for row in parts["w"][l]]) for l in range(2, L + 1)]
    d = [np.array([[mag[v] for v in row] for row in parts["z"][l]]) for l in range(2, L + 1)]
    return b + w + d


def agreement(u: np.ndarray, v: np.ndarray, m: np.ndarray) -> float:
    """max_i |u_i − v_i| / max(max |u|, M_i) (0 when u = v)."""
    u, v, m = (np.asarray(a, float) for a in (u, v, m))
    assert u.shape == v.shape == m.shape, (u.shape, v.shape, m.shape)
    scale = np.maximum(np.max(np.abs(u), initial=0.0), m)
    diff = np.abs(u - v)
    return float(np.max(np.where(diff == 0, 0.0, diff / np.where(scale == 0, 1.0, scale)), initial=0.0))


def relative_to_array(u: np.ndarray, v: np.ndarray) -> float:
    """max |u − v| / max |u| (0 when both are all zeros)."""
    u, v = np.asarray(u, float), np.asarray(v, float)
    assert u.shape == v.shape, (u.shape, v.shape)
    scale = np.max(np.abs(u)) if u.size else 0.0
    diff = np.max(np.abs(u - v)) if u.size else 0.0
    return 0.0 if diff == 0 else diff / scale if scale else np.inf


def elementwise(u: np.ndarray, v: np.ndarray) -> float:
    """max over the entries of |u − v| / max(|u|, |v|)."""
    u, v = np.asarray(u, float), np.asarray(v, float)
    d = np.abs(u - v)
    s = np.maximum(np.abs(u), np.abs(v))
    return float(np.max(np.where(d == 0, 0.0, d / np.where(s == 0, 1.0, s)), initial=0.0))
