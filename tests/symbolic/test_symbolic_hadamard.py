"""The Hadamard product and Nielsen's diagonal form Σ'(z)."""

import pytest
import sympy as sp

from bpkit.symbolic import SymbolicNetwork, check_diagonal_form, hadamard, notation, sigma_prime_matrix
from bpkit.symbolic.activations import GENERIC, SIGMA


def test_hadamard_is_elementwise():
    s = sp.Matrix(sp.symbols("s1:4"))
    t = sp.Matrix(sp.symbols("t1:4"))
    h = hadamard(s, t)
    assert h.shape == (3, 1)
    assert list(h) == [s[i] * t[i] for i in range(3)]
    with pytest.raises(ValueError, match="same shape"):
        hadamard(s, sp.Matrix([1, 2]))


def test_sigma_prime_matrix_is_diagonal_and_equals_the_hadamard_form():
    z = sp.Matrix(sp.symbols("z1:4", real=True))
    s = sp.Matrix(sp.symbols("s1:4"))
    D = sigma_prime_matrix(z, GENERIC)
    assert D.is_diagonal()
    assert D[1, 1] == sp.Derivative(SIGMA(z[1]), z[1])
    assert D * s == hadamard(s, z.applyfunc(GENERIC.prime))
    with pytest.raises(ValueError, match="column"):
        sigma_prime_matrix(sp.Matrix([[1, 2]]), GENERIC)


@pytest.mark.parametrize("sizes,activation", [([2, 3, 2], "generic"), ([3, 2, 2, 1], "sigmoid")])
def test_diagonal_form_equals_hadamard_form(sizes, activation):
    net = SymbolicNetwork(sizes, activation, "generic")
    check = check_diagonal_form(net)
    assert check.holds, check
    L = len(sizes)
    labels = [r[0] for r in check.rows]
    assert labels[0] == f"BP1, layer {L}"
    assert sum(l.startswith("BP2") for l in labels) == L - 2
    assert sum(l.startswith("unrolled") for l in labels) == L - 1
    # the unrolled δ^2 is written with the weights of every later layer and no δ at all
    label, _, product, _ = check.rows[-1]
    assert label == "unrolled δ^2"
    kinds = {(notation.describe(s).kind, notation.describe(s).layer) for s in product.free_symbols if notation.describe(s)}
    assert {("w", l) for l in range(3, L + 1)} <= kinds
    assert not any(kind == "delta" for kind, _ in kinds)
