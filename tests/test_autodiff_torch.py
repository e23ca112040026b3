"""The fourth way: PyTorch's autograd in float64 (``loss.backward()``) gives BP1-BP4's numbers,
and the numbers chapter 9 prints (stored in bpkit/autodiff/pytorch_mazur.json, so that the book
builds without torch) are what the PyTorch code the chapter shows gives today.

``make test`` installs a CPU build of torch into .venv and sets BPKIT_REQUIRE_TORCH=1: there a
missing torch FAILS these tests. Run elsewhere without torch, they are skipped, saying why.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from autodiff_cases import COMBOS, agreement, bp_deltas, magnitudes, random_case, relative_to_array
from bpkit import mazur
from bpkit.autodiff import network_graph, pytorch

TOL = 1e-12


@pytest.fixture(scope="module")
def torch():
    try:
        import torch
    except ImportError:
        if os.environ.get("BPKIT_REQUIRE_TORCH"):
            pytest.fail("PyTorch is not installed, and `make test` needs it for these tests: its target "
                        ".venv/.torch installs a CPU build (pip install torch==2.13.0)")
        pytest.skip("PyTorch is not installed (make test installs a CPU build for these tests)")
    return torch


@pytest.mark.parametrize("hidden, output, cost", COMBOS)
def test_pytorch_autograd_agrees_with_bp1_to_bp4(torch, hidden, output, cost):
    rng = np.random.default_rng(1000 + COMBOS.index((hidden, output, cost)))
    for _ in range(4):
        net, x, y = random_case(rng, hidden, output, cost)
        nabla_b, nabla_w = net.backprop(x, y)
        t_b, t_w, t_deltas = pytorch.torch_backprop(net, x, y)
        graph = network_graph(net, x, y)
        graph.backward()
        for mine, theirs, m in zip(nabla_b + nabla_w + bp_deltas(net, x, y), t_b + t_w + t_deltas, magnitudes(graph)):
            assert agreement(mine, theirs, m) <= TOL, (net, x.shape)


def test_the_stored_numbers_are_what_the_chapters_pytorch_code_gives(torch):
    fresh, stored = pytorch.mazur_backward(), pytorch.stored_mazur()
    assert fresh.keys() == stored.keys()
    assert fresh["graph"] == stored["graph"]  # the operations autograd recorded
    for key in fresh.keys() - {"torch", "graph"}:  # "torch": the version that stored them
        assert relative_to_array(np.array(stored[key]), np.array(fresh[key])) <= 1e-14, key


def test_the_stored_numbers_are_bpkits_scalar_graph_and_bp1_to_bp4():
    """No torch needed: what the chapter prints beside bpkit's numbers agrees with them."""
    stored = pytorch.stored_mazur()
    net = mazur.network()
    graph = network_graph(net, mazur.X, mazur.Y)
    graph.backward()
    nabla_b, nabla_w = net.backprop(mazur.X, mazur.Y)
    assert abs(stored["loss"] - net.cost_value(mazur.X, mazur.Y)) <= 1e-15
    for l in (2, 3):
        assert relative_to_array(nabla_w[l - 2], np.array(stored[f"w{l}.grad"])) <= TOL
        assert relative_to_array(nabla_b[l - 2].ravel(), np.array(stored[f"b{l}.grad"])) <= TOL
        assert relative_to_array(graph.delta(l).ravel(), np.array(stored[f"z{l}.grad"])) <= TOL
