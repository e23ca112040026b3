"""Four ways, one answer (issue 19): on random networks of every activation and cost bpkit has,
softmax included, BP1-BP4 in matrix form, the scalar graph's reverse mode, Nielsen's sum over
paths and forward mode (dual numbers, one pass per parameter) give the same ∂C/∂w, ∂C/∂b and
δ^l_j = ∂C/∂z^l_j to 1e-12 of each entry's scale: the largest entry of its array, or the sum of
the magnitudes of its path products if that is larger (see autodiff_cases). The fourth way,
PyTorch's autograd, is tests/test_autodiff_torch.py.

Forward mode takes one pass per parameter: P passes and exactly P times the operations of one
reverse-mode gradient, counted by the passes themselves."""

from __future__ import annotations

import numpy as np
import pytest

from autodiff_cases import COMBOS, agreement, bp_deltas, magnitudes, random_case, relative_to_array
from bpkit.autodiff import forward_mode_gradient, network_graph, sum_over_paths

TOL = 1e-12
SEEDS = range(6)


@pytest.mark.parametrize("hidden, output, cost", COMBOS)
def test_matrix_form_scalar_graph_paths_and_forward_mode_agree(hidden, output, cost):
    rng = np.random.default_rng(COMBOS.index((hidden, output, cost)))
    for _ in SEEDS:
        net, x, y = random_case(rng, hidden, output, cost)
        nabla_b, nabla_w = net.backprop(x, y)
        deltas = bp_deltas(net, x, y)
        graph = network_graph(net, x, y)
        graph.backward()
        g_b, g_w = graph.nabla()
        paths = sum_over_paths(net, x, y)
        forward = forward_mode_gradient(net, x, y)
        ways = {
            "scalar graph": (g_b + g_w, [graph.delta(l) for l in range(2, net.L + 1)]),
            "sum over paths": (paths.nabla_b + paths.nabla_w, paths.deltas),
            "forward mode": (forward.nabla_b + forward.nabla_w, deltas),
        }
        for way, (grads, ds) in ways.items():
            for mine, theirs, m in zip(nabla_b + nabla_w + deltas, grads + ds, magnitudes(graph)):
                assert agreement(mine, theirs, m) <= TOL, (way, net, x.shape)
        assert forward.passes == net.num_parameters
        assert forward.operations == forward.passes * graph.operations


def test_the_agreement_test_can_fail():
    """A gradient with one entry off by 1e-10 of its scale is caught, and the scale is never
    smaller than the entry (M >= |u|), so the test is at least the plain relative test where
    nothing cancels."""
    rng = np.random.default_rng(0)
    net, x, y = random_case(rng, "sigmoid", "sigmoid", "quadratic")
    _, nabla_w = net.backprop(x, y)
    graph = network_graph(net, x, y)
    graph.backward()
    m = magnitudes(graph)[net.L - 1]  # M of ∂C/∂w^2
    assert np.all(m >= np.abs(nabla_w[0]) * (1 - 1e-12))
    off = nabla_w[0].copy()
    off.flat[0] += 1e-10 * max(np.max(np.abs(off)), m.flat[0])
    assert agreement(nabla_w[0], off, m) > TOL
    assert relative_to_array(nabla_w[0], off) > 0


def test_backward_on_a_mini_batch_sums_the_examples_as_backprop_does():
    rng = np.random.default_rng(3)
    net, x, y = random_case(rng, "tanh", "sigmoid", "cross_entropy", max_examples=1)
    x3, y3 = np.hstack([x, 2 * x, -x]), np.hstack([y, y[::-1], y])
    graph = network_graph(net, x3, y3)
    graph.backward()
    total = [sum(parts) for parts in zip(*(net.backprop(x3[:, [i]], y3[:, [i]])[1] for i in range(3)))]
    for mine, summed, m in zip(graph.nabla()[1], total, magnitudes(graph)[net.L - 1:]):
        assert agreement(summed, mine, m) <= TOL
