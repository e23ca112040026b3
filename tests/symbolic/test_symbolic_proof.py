"""Direct differentiation of the composed cost against BP1-BP4, symbolically."""

import pytest
import sympy as sp

from bpkit.symbolic import SymbolicNetwork, equations, notation, prove, residual
from bpkit.symbolic.activations import SIGMA
from bpkit.symbolic.costs import C

SIZES = [[2, 2, 2], [2, 3, 2], [3, 2, 2, 1]]
CHOICES = [
    ("generic", "generic"),
    ("generic", "quadratic"),
    ("sigmoid", "generic"),
    ("sigmoid", "quadratic"),
    ("sigmoid", "cross_entropy"),
    ("tanh", "quadratic"),
    ("tanh", "cross_entropy"),
    ("identity", "quadratic"),
]


@pytest.mark.parametrize("sizes", SIZES, ids=str)
@pytest.mark.parametrize("activation,cost", CHOICES)
def test_proof_holds_for_every_parameter(sizes, activation, cost):
    net = SymbolicNetwork(sizes, activation, cost)
    result = net.prove()
    n_params = sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    assert len(result) == n_params
    assert [r.parameter for r in result.rows] == net.parameters
    assert result.holds, result
    assert all(r.difference == 0 for r in result.rows)


def test_mixed_output_activation():
    result = SymbolicNetwork([2, 2, 1], "generic", "cross_entropy", output_activation="sigmoid").prove()
    assert result.holds, result


def test_generic_results_contain_sigma_prime_and_dC_da():
    """The generic σ and C stay undefined: σ'(z^l_j) and ∂C/∂a^L_j appear in the derivatives."""
    net = SymbolicNetwork([2, 3, 2])
    g = net.direct_gradient(net.w(2, 1, 2))
    derivs = g.atoms(sp.Derivative)
    assert sp.Derivative(SIGMA(net.z(2, 1)), net.z(2, 1)) in derivs
    assert sp.Derivative(C(net.a(3, 1), net.a(3, 2)), net.a(3, 1)) in derivs
    # the raw derivative is written in x, w, b only
    raw = net.direct_gradient(net.w(2, 1, 2), composed=True)
    kinds = {notation.describe(s).kind for s in raw.free_symbols}
    assert kinds <= {"a", "w", "b"} and all(
        notation.describe(s).layer == 1 for s in raw.free_symbols if notation.describe(s).kind == "a"
    )


def test_direct_gradient_of_a_one_neuron_network_is_the_chain_rule():
    """C(σ(w x + b)): ∂C/∂w = C'(a) σ'(z) x, ∂C/∂b = C'(a) σ'(z), written out by hand."""
    net = SymbolicNetwork([1, 1])
    x, w, b, z, a = net.a(1, 1), net.w(2, 1, 1), net.b(2, 1), net.z(2, 1), net.a(2, 1)
    assert net.cost == C(SIGMA(w * x + b))
    dC = sp.Derivative(C(a), a)
    s1 = sp.Derivative(SIGMA(z), z)
    assert sp.expand(net.direct_gradient(w) - dC * s1 * x) == 0
    assert sp.expand(net.direct_gradient(b) - dC * s1) == 0
    assert sp.expand(net.bp_gradient(w) - dC * s1 * x) == 0


def test_bp_gradient_has_the_structure_of_bp1_to_bp4():
    """∂C/∂w^2_12 = a^1_2 δ^2_1 with δ^2_1 = (w^3_11 δ^3_1 + w^3_21 δ^3_2) σ'(z^2_1) and
    δ^3_i = ∂C/∂a^3_i σ'(z^3_i), built here from the notation alone."""
    net = SymbolicNetwork([2, 3, 2])
    s = lambda l, j: sp.Derivative(SIGMA(notation.z(l, j)), notation.z(l, j))
    dC = lambda i: sp.Derivative(C(notation.a(3, 1), notation.a(3, 2)), notation.a(3, i))
    d3 = [dC(i) * s(3, i) for i in (1, 2)]
    d21 = (notation.w(3, 1, 1) * d3[0] + notation.w(3, 2, 1) * d3[1]) * s(2, 1)
    assert sp.expand(net.bp_gradient(net.w(2, 1, 2)) - notation.a(1, 2) * d21) == 0
    assert sp.expand(net.bp_gradient(net.b(3, 2)) - d3[1]) == 0


def test_the_comparison_detects_a_wrong_gradient():
    """The zero test is not vacuous: it rejects a gradient of another weight, and BP2 written
    with w instead of its transpose."""
    net = SymbolicNetwork([2, 2, 2])
    assert residual(net.direct_gradient(net.w(2, 1, 1)) - net.bp_gradient(net.w(2, 1, 2)), net) != 0
    zs = [net.z_vector(2), net.z_vector(3)]
    wrong_delta2 = equations.hadamard(net.weight_matrix(3) * net.delta_vector(3), zs[0].applyfunc(net.activation.prime))
    right = net.errors()
    delta3 = right[1]
    wrong = wrong_delta2.xreplace(dict(zip(net.delta_vector(3), delta3)))
    assert residual(net.direct_gradient(net.b(2, 1)) - wrong[0], net) != 0
    assert residual(net.direct_gradient(net.b(2, 1)) - right[0][0], net) == 0


@pytest.mark.parametrize("activation,cost", [("sigmoid", "quadratic"), ("tanh", "cross_entropy")])
def test_the_comparison_detects_a_wrong_concrete_gradient(activation, cost):
    net = SymbolicNetwork([2, 2, 1], activation, cost)
    direct = net.direct_gradient(net.w(2, 1, 1))
    bp = net.bp_gradient(net.w(2, 1, 1))
    assert residual(direct - bp, net) == 0
    assert residual(direct - 2 * bp, net) != 0
    assert residual(direct - bp.xreplace({net.a(1, 1): net.a(1, 2)}), net) != 0


def test_prove_function_and_result_report():
    net = SymbolicNetwork([2, 2, 1])
    result = prove(net)
    assert result.holds and result.failures == []
    text = repr(result)
    assert "holds" in text and "∂C/∂w^2_11: difference = 0" in text
    assert result.seconds > 0


def test_bad_input_is_refused_in_the_book_notation():
    with pytest.raises(ValueError, match="at least two layers"):
        SymbolicNetwork([2])
    with pytest.raises(ValueError, match="unknown symbolic activation"):
        SymbolicNetwork([2, 2], activation="softmax")
    with pytest.raises(ValueError, match="unknown symbolic cost"):
        SymbolicNetwork([2, 2], cost="hinge")
    net = SymbolicNetwork([2, 3, 2])
    with pytest.raises(IndexError, match="l = 2, ..., L = 3"):
        net.w(1, 1, 1)
    with pytest.raises(IndexError, match="layer l=2 has neurons j = 1, ..., 3; got j=4"):
        net.b(2, 4)
    with pytest.raises(IndexError, match="input layer\\) has neurons k = 1, ..., 2; got k=3"):
        net.w(2, 1, 3)
    with pytest.raises(ValueError, match="not a weight or bias of this network"):
        net.direct_gradient(notation.w(4, 1, 1))
    with pytest.raises(ValueError, match="not with z\\^2_1"):
        SymbolicNetwork([2, 2], cost=notation.z(2, 1) ** 2)
