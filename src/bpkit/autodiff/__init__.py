"""Backpropagation as reverse-mode automatic differentiation, one number at a time.

A small scalar engine in the spirit of Karpathy's micrograd, written in the book's notation
(chapter 9). Read bottom up, one idea per file:

* :mod:`~bpkit.autodiff.order`: the topological order the backward pass walks in reverse;
* :mod:`~bpkit.autodiff.value`: ``Value``, a number that remembers how it was made, with each
  operation's local derivatives beside it, and ``backward()``, the chain rule on the graph;
* :mod:`~bpkit.autodiff.network_graph`: the scalar graph of a ``Network``'s pass, with nodes
  named z^l_j, a^l_j, w^l_jk, b^l_j and C, whose gradients are BP1-BP4's numbers;
* :mod:`~bpkit.autodiff.paths`: Nielsen's sum over paths, for small networks;
* :mod:`~bpkit.autodiff.dual`: dual numbers, forward mode: one pass per parameter.
"""

from .dual import Dual, ForwardModeGradient, forward_mode_gradient
from .network_graph import MAX_GRAPH_NODES, NetworkGraph, graph_size, network_graph, scalar_pass
from .order import topological_order
from .paths import MAX_PATHS, PathSums, path_count, sum_over_paths
from .value import Value, backward

__all__ = [
    "Dual", "ForwardModeGradient", "MAX_GRAPH_NODES", "MAX_PATHS", "PathSums", "forward_mode_gradient",
    "path_count", "sum_over_paths", "NetworkGraph", "Value", "backward", "graph_size", "network_graph", "scalar_pass",
    "topological_order",
]
