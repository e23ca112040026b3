"""The two assumptions about the cost: the average over examples, and C = C(a^L)."""

import pytest
import sympy as sp

from bpkit.symbolic import (
    SymbolicNetwork, check_average_cost, check_cost_assumption, hidden_activation_counterexample, notation,
)
from bpkit.symbolic.activations import SIGMA
from bpkit.symbolic.costs import C


@pytest.mark.parametrize("n,activation,cost", [(2, "generic", "generic"), (3, "generic", "generic"), (2, "sigmoid", "cross_entropy")])
def test_average_cost_gradient_is_the_average_of_per_example_bp(n, activation, cost):
    check = check_average_cost((2, 2, 1), n, activation, cost)
    assert check.holds, check
    assert len(check.rows) == 9
    # the cost really is 1/n times a sum over n examples with their own symbols
    examples = {notation.describe(s).example for s in check.cost.free_symbols}
    assert examples == set(range(1, n + 1))


def test_average_cost_check_is_not_vacuous():
    """Dropping one example's BP gradient from the average is detected."""
    check = check_average_cost((2, 1), 2)
    nets = check.networks
    from bpkit.symbolic import residual

    p = nets[0].w(2, 1, 1)
    only_first = nets[0].bp_gradient(p) / 2
    assert residual(check.rows[1].direct - only_first, nets) != 0


def test_average_cost_rejects_bad_n():
    with pytest.raises(ValueError, match="n_examples"):
        check_average_cost((2, 1), 0)


def test_cost_of_a_only_satisfies_assumption_two():
    check = check_cost_assumption(SymbolicNetwork([2, 2, 1], "sigmoid", "quadratic"))
    assert check.holds and check.depends_on == [] and check.missing_terms == [] and check.affected == []


def test_hidden_activation_counterexample_names_the_missing_term():
    check = hidden_activation_counterexample((2, 2, 1), layer=2, neuron=1)
    net = check.network
    a21, z21 = notation.a(2, 1), notation.z(2, 1)
    assert not check.holds
    assert check.depends_on == [a21]
    [missing] = check.missing_terms
    assert missing.equation == "BP2"
    assert missing.quantity == notation.delta(2, 1)
    assert missing.cause == a21
    expected = sp.Derivative(C(notation.a(3, 1), a21), a21) * sp.Derivative(SIGMA(z21), z21)
    assert sp.expand(missing.term - expected) == 0
    assert "BP2 misses" in str(missing) and "δ^2_1" in str(missing) and "a^2_1" in str(missing)
    # exactly the parameters that feed a^2_1 are affected, by exactly the missing term
    assert check.affected == [net.b(2, 1), net.w(2, 1, 1), net.w(2, 1, 2)]
    row = {r.parameter: r for r in check.rows}
    assert sp.expand(row[net.w(2, 1, 2)].difference - notation.a(1, 2) * expected) == 0
    assert sp.expand(row[net.b(2, 1)].difference - expected) == 0
    assert check.explained
    assert "affected gradients: ∂C/∂b^2_1, ∂C/∂w^2_11, ∂C/∂w^2_12" in check.message


def test_counterexample_propagates_to_earlier_layers_with_a_concrete_cost():
    check = hidden_activation_counterexample((2, 2, 2, 1), layer=3, neuron=2, activation="tanh", cost="quadratic")
    net = check.network
    assert [m.quantity for m in check.missing_terms] == [notation.delta(3, 2)]
    affected = set(check.affected)
    assert {net.b(3, 2), net.w(3, 2, 1), net.w(3, 2, 2)} <= affected
    assert net.w(2, 1, 1) in affected  # carried back by BP2
    assert net.b(3, 1) not in affected and net.w(4, 1, 1) not in affected
    assert check.explained


def test_cost_with_a_weight_misses_a_bp4_term():
    lam = sp.Symbol("lambda", positive=True)
    w = notation.w(2, 1, 1)
    cost = sp.Rational(1, 2) * (notation.y(1) - notation.a(3, 1)) ** 2 + lam / 2 * w**2
    check = check_cost_assumption(SymbolicNetwork([2, 2, 1], "sigmoid", cost))
    [missing] = check.missing_terms
    assert missing.equation == "BP4" and missing.quantity == w and missing.term == lam * w
    assert check.affected == [w]
    assert check.explained


def test_counterexample_rejects_the_output_layer():
    with pytest.raises(ValueError, match="hidden layer"):
        hidden_activation_counterexample((2, 2, 1), layer=3)
