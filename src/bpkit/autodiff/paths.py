"""Nielsen's sum over paths: every derivative as a sum, over the paths to the cost, of the
product of the rates along each path (chapter 6).

From the weighted input z^l_j a path runs through one neuron of every later layer to an output
and on to the cost:

    z^l_j → z^(l+1)_q → … → z^L_p → a^L_m → C

with the rates ∂z^(l+1)_q/∂z^l_j = w^(l+1)_qj σ'(z^l_j) along the edges between layers,
∂a^L_m/∂z^L_p at the output (σ'(z^L_p) if m = p, and no edge otherwise, unless the output is
a softmax, whose a^L_m depends on every z^L_p) and ∂C/∂a^L_m at the end. A bias b^l_j starts
its paths with the rate 1 into z^l_j, a weight w^l_jk with the rate a^(l−1)_k. Every path is
enumerated and its product formed: no δ of a later layer is reused, which is what BP2 does.

The number of paths is the product of the later layers' sizes, so this is for small networks.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import _short
from ..errors import BpkitTypeError, SizeError
from ..network import Network

Array = np.ndarray

#: The most path products :func:`sum_over_paths` forms (each a product of about L numbers in
#: Python): about a second.
MAX_PATHS = 500_000


@dataclass
class PathSums:
    """The gradient as sums over paths: ``nabla_b``, ``nabla_w`` (``Network.backprop``'s layout,
    summed over the examples), ``deltas`` (δ^l for l = 2..L, one column per example) and the
    number of ``paths`` whose products were added."""

    nabla_b: list[Array]
    nabla_w: list[Array]
    deltas: list[Array]
    paths: int


def path_count(sizes: list[int], m: int = 1, softmax: bool = False) -> int:
    """How many path products :func:`sum_over_paths` forms for these sizes and m examples."""
    L, n_L = len(sizes), sizes[-1]
    per_start = {l: math.prod(sizes[l:]) * (n_L if softmax else 1) for l in range(2, L + 1)}
    # from each z^l_j (for δ), b^l_j, and w^l_jk
    return m * sum(sizes[l - 1] * (2 + sizes[l - 2]) * per_start[l] for l in range(2, L + 1))


def sum_over_paths(net: Network, x: Any, y: Any, limit: int = MAX_PATHS) -> PathSums:
    """Every ∂C/∂b^l_j, ∂C/∂w^l_jk and δ^l_j of ``net`` on x, y as Nielsen's sums over paths."""
    if not isinstance(net, Network):
        raise BpkitTypeError(f"sum_over_paths needs a bpkit.Network as net; got {_short(net)}")
    x, y = net.check_xy(x, y)
    L, m, softmax = net.L, x.shape[1], not net.output_activation.elementwise
    n = path_count(net.sizes, m, softmax)
    if n > limit:
        raise SizeError(f"{net.sizes} on {m} example(s) has {n:,} path products to form, more than the "
                        f"{limit:,} sum_over_paths forms: the number of paths is the product of the later "
                        f"layers' sizes. Use a smaller network (BP2 adds the same paths layer by layer)")
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    deltas = [np.zeros((n_l, m)) for n_l in net.sizes[1:]]
    for i in range(m):
        zs, acts = net.forward(x[:, [i]].astype(np.float64))
        prime = {l: net.activation.prime(zs[l - 2])[:, 0] for l in range(2, L)}  # σ'(z^l), hidden layers
        a_L = acts[-1][:, 0]
        if softmax:  # ∂a^L_m/∂z^L_p = a_m (1[m = p] − a_p): every output depends on every z^L_p
            jacobian = np.diag(a_L) - np.outer(a_L, a_L)
        else:
            jacobian = np.diag(net.output_activation.prime(zs[-1])[:, 0])
        dC_da = net.cost.derivative(acts[-1], y[:, [i]].astype(np.float64))[:, 0]
        for l in range(2, L + 1):
            for j in range(net.sizes[l - 1]):
                deltas[l - 2][j, i] = _paths(net, l, j, 1.0, prime, jacobian, dC_da, softmax)
                nabla_b[l - 2][j, 0] += _paths(net, l, j, 1.0, prime, jacobian, dC_da, softmax)
                for k in range(net.sizes[l - 2]):
                    nabla_w[l - 2][j, k] += _paths(net, l, j, acts[l - 2][k, 0], prime, jacobian, dC_da, softmax)
    return PathSums(nabla_b, nabla_w, deltas, n)


def _paths(net: Network, l: int, j: int, first: float, prime: dict, jacobian: Array, dC_da: Array,
           softmax: bool) -> float:
    """Σ over the paths z^l_j → z^(l+1)_q → … → z^L_p → a^L_m → C of first × the rates."""
    L, total = net.L, 0.0
    for route in itertools.product(*(range(net.sizes[k - 1]) for k in range(l + 1, L + 1))):
        neurons, product = (j, *route), first
        for layer, (src, dst) in enumerate(zip(neurons, neurons[1:]), start=l):
            product *= net.w(layer + 1)[dst, src] * prime[layer][src]  # ∂z^(layer+1)_dst / ∂z^layer_src
        p = neurons[-1]
        for out in (range(len(dC_da)) if softmax else (p,)):
            total += product * jacobian[out, p] * dC_da[out]  # ∂a^L_out/∂z^L_p · ∂C/∂a^L_out
    return total
