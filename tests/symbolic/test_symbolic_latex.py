"""The printed symbols and equations follow the book's notation."""

import subprocess
import sys

import sympy as sp

from bpkit.symbolic import SymbolicNetwork, hidden_activation_counterexample, latex, math_block, notation


def test_symbols_print_with_the_layer_as_superscript_and_j_before_k():
    net = SymbolicNetwork([3, 2, 2])
    assert sp.latex(net.w(2, 1, 3)) == "w^{2}_{13}"  # from neuron 3 of layer 1 to neuron 1 of layer 2
    assert sp.latex(net.w(3, 2, 1)) == "w^{3}_{21}"
    assert sp.latex(net.b(3, 2)) == "b^{3}_{2}"
    assert sp.latex(net.z(2, 1)) == "z^{2}_{1}"
    assert sp.latex(net.a(3, 2)) == "a^{3}_{2}"
    assert sp.latex(net.a(1, 3)) == "a^{1}_{3}" == sp.latex(notation.x(3))
    assert sp.latex(net.delta(2, 2)) == r"\delta^{2}_{2}"
    assert sp.latex(net.y[1]) == "y_{2}"
    assert net.weight_matrix(2)[0, 2] == net.w(2, 1, 3)  # row j, column k as in bpkit
    assert sp.latex(notation.w(2, 10, 3)) == "w^{2}_{10,3}"
    assert sp.latex(notation.a(2, 1, example=1)) == "a^{x_{1},2}_{1}"
    assert notation.plain(net.w(2, 1, 3)) == "w^2_13" and notation.plain(net.delta(3, 1)) == "δ^3_1"


def test_derivatives_print_as_sigma_prime_and_dC_da():
    net = SymbolicNetwork([2, 3, 2])
    s = latex(net.direct_gradient(net.w(2, 1, 2)))
    assert r"\sigma'\left(z^{2}_{1}\right)" in s
    assert r"\frac{\partial C}{\partial a^{3}_{1}}" in s
    assert "a^{1}_{2}" in s and "w^{3}_{11}" in s and "w^{3}_{21}" in s
    assert "Derivative" not in s and r"\frac{d}{d" not in s


def test_gradient_derivation_shows_direct_bp4_and_zero():
    net = SymbolicNetwork([2, 3, 2])
    s = net.latex_gradient(net.w(2, 1, 2))
    assert s.startswith(r"\begin{aligned}") and s.endswith(r"\end{aligned}")
    lines = s.split(r" \\")
    assert lines[0].split("\n")[1].startswith(r"\frac{\partial C}{\partial w^{2}_{12}} &=")
    assert r"a^{1}_{2}\, \delta^{2}_{1} && \text{BP4}" in s
    assert r"\text{direct} - \text{BP} &= 0" in s
    b = net.latex_gradient(net.b(3, 2))
    assert r"&= \delta^{3}_{2} && \text{BP3}" in b


def test_bp_equations_and_forward_pass():
    net = SymbolicNetwork([2, 3, 2])
    bp = net.latex_bp()
    assert r"\delta^{3}_{1} &= \frac{\partial C}{\partial a^{3}_{1}}\, \sigma'\left(z^{3}_{1}\right) && \text{(BP1)}" in bp
    assert r"\delta^{2}_{3} &= \left(w^{3}_{13} \delta^{3}_{1} + w^{3}_{23} \delta^{3}_{2}\right) \sigma'\left(z^{2}_{3}\right) && \text{(BP2)}" in bp
    assert r"\frac{\partial C}{\partial w^{3}_{jk}} &= a^{2}_{k}\, \delta^{3}_{j} && \text{(BP4)}" in bp
    fw = net.latex_forward()
    assert r"z^{2}_{3} &= w^{2}_{31} a^{1}_{1} + w^{2}_{32} a^{1}_{2} + b^{2}_{3}, & a^{2}_{3} &= \sigma\left(z^{2}_{3}\right)" in fw
    assert r"\ln" in SymbolicNetwork([2, 1], "sigmoid", "cross_entropy").latex_cost()


def test_proof_and_counterexample_tables():
    result = SymbolicNetwork([2, 2, 1]).prove()
    table = result.latex()
    assert table.count(r"\checkmark") == len(result.rows) and r"\times" not in table
    # an en dash in the header: inside \text{} MathJax prints "--" as two hyphens
    assert r"\text{BP1–BP4}" in table and "--" not in table
    assert r"\frac{\partial C}{\partial w^{2}_{12}} & 0 & \checkmark" in table
    miss = hidden_activation_counterexample().latex()
    assert r"\delta^{2}_{1} &: \text{BP2 misses }" in miss
    assert r"\frac{\partial C}{\partial a^{2}_{1}}" in miss and r"\sigma'\left(z^{2}_{1}\right)" in miss
    assert math_block("x") == "$$\nx\n$$"


def test_concrete_activation_is_written_with_a():
    net = SymbolicNetwork([2, 2, 1], "tanh", "quadratic")
    s = net.latex_gradient(net.w(2, 1, 1))
    assert r"\tanh" not in s  # tanh(z^l_j) is written a^l_j
    assert r"\left(a^{2}_{1}\right)^{2}" in s


def test_bpkit_import_does_not_load_sympy():
    code = "import sys, bpkit; assert 'sympy' not in sys.modules; import bpkit.symbolic; assert 'sympy' in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
