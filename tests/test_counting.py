"""bpkit.counting counts what bpkit's own passes do: every matrix product that the forward
pass and backprop run is intercepted and its multiply-adds are added up."""

from __future__ import annotations

import numpy as np
import pytest

import bpkit
from bpkit import equations, forward
from bpkit.counting import multiply_adds
from bpkit.errors import BpkitTypeError, BpkitValueError

MATMUL = np.matmul


class _Counter:
    """np.matmul, counting the multiply-adds of each product (BP3's sum with its cached column
    of ones is a sum, not a weight product, and is counted apart)."""

    def __init__(self) -> None:
        self.weight_products = 0
        self.sums = 0

    def __call__(self, a, b, *args, **kwargs):
        a2, b2 = np.asarray(a), np.asarray(b)
        work = a2.shape[0] * a2.shape[1] * b2.shape[1]
        if b2.shape[1] == 1 and b2 is equations._ones(b2.shape[0], b2.dtype):
            self.sums += work
        else:
            self.weight_products += work
        return MATMUL(a, b, *args, **kwargs)


@pytest.mark.parametrize("sizes", [[2, 1], [3, 4, 2], [4, 1, 3], [5, 7, 6, 3]])
@pytest.mark.parametrize("m", [1, 7])
def test_the_count_is_what_backprop_computes(monkeypatch, sizes, m):
    net = bpkit.Network(sizes, seed=0)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(sizes[0], m)), rng.uniform(size=(sizes[-1], m))
    counted = multiply_adds(sizes, m)

    fwd = _Counter()
    monkeypatch.setattr(np, "matmul", fwd)
    forward.forward(net.weights, net.biases, x, net.activation, net.output_activation)
    full = _Counter()
    monkeypatch.setattr(np, "matmul", full)
    equations.backprop(net.weights, net.biases, x, y, net.activation, net.output_activation, net.cost)
    monkeypatch.undo()

    assert fwd.weight_products == counted.forward
    assert full.weight_products - fwd.weight_products == counted.backward
    assert full.sums == sum(sizes[1:]) * m  # BP3: one sum over the m examples per bias


def test_the_backward_pass_costs_between_one_and_two_forward_passes():
    flat, deep = multiply_adds([10, 3]), multiply_adds([10, 20, 20, 20])
    assert flat.backward_in_forwards == 1.0  # no hidden layer: BP2 never runs
    assert 1 < multiply_adds([64, 40, 10]).backward_in_forwards < deep.backward_in_forwards < 2
    assert deep.backward_in_forwards == 1 + (400 + 400) / (200 + 400 + 400)
    assert multiply_adds([3, 4, 2], m=5).forward == 5 * multiply_adds([3, 4, 2]).forward


def test_finite_differences_cost_two_forward_passes_per_parameter():
    count = multiply_adds([64, 30, 10])
    assert count.parameters == bpkit.Network([64, 30, 10]).num_parameters
    assert count.finite_differences == 2 * count.parameters * count.forward


def test_the_counter_checks_its_arguments():
    with pytest.raises(BpkitValueError, match="at least two layers"):
        multiply_adds([3])
    with pytest.raises(BpkitTypeError, match="m must be a whole number >= 1"):
        multiply_adds([3, 2], m=1.5)
    with pytest.raises(BpkitValueError, match="m must be a whole number >= 1"):
        multiply_adds([3, 2], m=0)
