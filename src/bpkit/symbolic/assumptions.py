"""The two assumptions about the cost that backpropagation needs, made concrete with SymPy.

Assumption 1: the cost is an average over the training examples,

    C = 1/n Σ_x C_x,

so that ∂C/∂w = 1/n Σ_x ∂C_x/∂w: backpropagation computes ∂C_x/∂w for one example at a time
and the gradient of C is the average of those. :func:`check_average_cost` builds one symbolic
network per example (sharing the weights and biases), differentiates C directly, and shows the
result equals the average of the per-example BP1-BP4 gradients.

Assumption 2: C depends on the network only through its output a^L, C = C(a^L). BP1 sees the
cost only through ∇_a C = (∂C/∂a^L_j)_j. If C also depends on a hidden activation a^l_j
(l < L), or directly on a weight or bias, the true gradient has one more term that BP1-BP4
never compute:

    δ^l_j = (Σ_i w^(l+1)_ij δ^(l+1)_i + ∂C/∂a^l_j) σ'(z^l_j)     (BP2 misses ∂C/∂a^l_j σ'(z^l_j))
    ∂C/∂w^l_jk = a^(l−1)_k δ^l_j + ∂C/∂w^l_jk|explicit             (BP4 misses the explicit term)

:func:`check_cost_assumption` finds such dependences, names the missing terms, shows that
direct differentiation and BP1-BP4 then disagree (for which parameters, by how much), and
that adding exactly the named terms makes them agree again.
:func:`hidden_activation_counterexample` builds the standard counterexample.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Sequence

import sympy as sp

from ..errors import BpkitTypeError, BpkitValueError, SizeError
from . import equations, notation
from .activations import SymbolicActivation
from .costs import C as C_FUNCTION, SymbolicCost, get_symbolic_cost
from .equations import hadamard
from .latex import latex_average_cost, latex_missing_terms
from .network import MAX_PARAMETERS, SymbolicNetwork
from .proof import ProofRow
from .zero import residual

__all__ = [
    "AverageCostCheck", "CostAssumptionCheck", "MissingTerm", "check_average_cost", "check_cost_assumption",
    "corrected_gradients", "hidden_activation_counterexample",
]


# -- assumption 1 ----------------------------------------------------------------------------------


@dataclass
class AverageCostCheck:
    """Assumption 1 for ``n`` examples: for every parameter p, ``direct`` = ∂C/∂p of
    C = 1/n Σ_x C_x differentiated directly, ``bp`` = 1/n Σ_x (∂C_x/∂p by BP1-BP4 on example x),
    and their reduced ``difference``. ``cost`` is C in the per-example symbols."""

    n: int
    networks: list[SymbolicNetwork]
    cost: sp.Expr
    rows: list[ProofRow] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def holds(self) -> bool:
        return bool(self.rows) and all(r.equal for r in self.rows)

    def __repr__(self) -> str:
        verdict = "holds" if self.holds else f"FAILS for {sum(not r.equal for r in self.rows)} parameters"
        return (
            f"AverageCostCheck(n={self.n}, {self.networks[0].sizes}: ∂C/∂p = 1/n Σ_x ∂C_x/∂p by BP1-BP4 {verdict} "
            f"for {len(self.rows)} parameters, {self.seconds:.2f} s)"
        )

    def latex(self) -> str:
        return latex_average_cost(self)


def check_average_cost(
    sizes: Sequence[int] = (2, 2, 1),
    n_examples: int = 2,
    activation: str | SymbolicActivation = "generic",
    cost: str | SymbolicCost = "generic",
) -> AverageCostCheck:
    """Assumption 1: show ∂C/∂p = 1/n Σ_x ∂C_x/∂p for C = 1/n Σ_x C_x and every parameter p,
    with each ∂C_x/∂p computed by BP1-BP4 on its own example x_i (symbols a^{x_i,l}_j)."""
    if isinstance(n_examples, bool) or not isinstance(n_examples, int) or n_examples < 1:
        raise BpkitValueError(f"n_examples must be a whole number >= 1; got {n_examples!r}")
    get_symbolic_cost(cost)  # a clear error for an unknown name, before any work
    first = SymbolicNetwork(sizes, activation, cost, example=1)  # checks sizes, with its size guard
    if n_examples * len(first.parameters) > MAX_PARAMETERS:
        raise SizeError(
            f"check_average_cost differentiates a cost of n_examples = {n_examples} copies of a network with "
            f"{len(first.parameters)} weights and biases; beyond {MAX_PARAMETERS} in all SymPy would not finish in "
            f"reasonable time. Use n_examples = 2 or 3 and a network such as [2, 2, 1]"
        )
    start = time.perf_counter()
    nets = [first] + [SymbolicNetwork(sizes, activation, cost, example=i) for i in range(2, n_examples + 1)]
    n = sp.Integer(n_examples)
    total = sp.Add(*[net.cost for net in nets]) / n
    check = AverageCostCheck(n_examples, nets, sp.Add(*[net.cost_local for net in nets]) / n)
    for p in nets[0].parameters:
        direct = sp.diff(total, p)
        for net in nets:
            direct = net.to_book(direct)
        bp = sp.Add(*[net.bp_gradient(p) for net in nets]) / n
        check.rows.append(ProofRow(p, direct, bp, residual(direct - bp, nets)))
    check.seconds = time.perf_counter() - start
    return check


# -- assumption 2 ----------------------------------------------------------------------------------


@dataclass
class MissingTerm:
    """A term of the true gradient that BP1-BP4 do not compute.

    ``equation`` is the equation that misses it (``"BP2"`` for a hidden activation in the
    cost, ``"BP3"``/``"BP4"`` for a bias or weight in it), ``quantity`` the symbol it belongs
    to (δ^l_j, or the parameter), ``term`` the missing term in the book's symbols and
    ``cause`` the symbol the cost depends on.
    """

    equation: str
    quantity: sp.Symbol
    term: sp.Expr
    cause: sp.Symbol

    def __str__(self) -> str:
        where = notation.plain(self.quantity)
        if self.equation == "BP2":
            return (
                f"{self.equation} misses the term {self.term} in {where}: the cost depends on the hidden "
                f"activation {notation.plain(self.cause)} directly, not only through a^L"
            )
        return (
            f"{self.equation} misses the term {self.term} in ∂C/∂{where}: the cost depends on "
            f"{notation.plain(self.cause)} directly, not only through a^L"
        )


@dataclass
class CostAssumptionCheck:
    """Assumption 2 for one network.

    Attributes:
        network: the network checked (its cost may be any expression).
        depends_on: the symbols other than a^L (hidden activations, weights, biases) that the
            cost depends on directly; empty when the assumption holds.
        missing_terms: one :class:`MissingTerm` per such dependence.
        rows: direct differentiation against plain BP1-BP4, per parameter.
        corrected_rows: direct differentiation against BP1-BP4 plus the missing terms.
    """

    network: SymbolicNetwork
    depends_on: list[sp.Symbol]
    missing_terms: list[MissingTerm]
    rows: list[ProofRow]
    corrected_rows: list[ProofRow]
    seconds: float = 0.0

    @property
    def holds(self) -> bool:
        """True when C depends on the network only through a^L and BP1-BP4 agree with the
        direct derivative for every parameter."""
        return not self.depends_on and all(r.equal for r in self.rows)

    @property
    def affected(self) -> list[sp.Symbol]:
        """The parameters whose BP1-BP4 gradient differs from the direct derivative."""
        return [r.parameter for r in self.rows if not r.equal]

    @property
    def explained(self) -> bool:
        """True when adding the missing terms makes BP agree with direct differentiation for
        every parameter: they are exactly what is missing."""
        return all(r.equal for r in self.corrected_rows)

    @property
    def message(self) -> str:
        if self.holds:
            return "C depends on the network only through a^L: BP1-BP4 give every ∂C/∂w and ∂C/∂b."
        lines = [str(m) for m in self.missing_terms]
        lines.append("affected gradients: " + ", ".join(f"∂C/∂{notation.plain(p)}" for p in self.affected))
        lines.append(
            "with these terms added, BP agrees with direct differentiation for every parameter"
            if self.explained
            else "even with these terms added, BP does not agree with direct differentiation"
        )
        return "\n".join(lines)

    def __repr__(self) -> str:
        head = "holds" if self.holds else "BROKEN"
        return f"CostAssumptionCheck({self.network!r}: assumption 2 {head})\n" + self.message

    def latex(self) -> str:
        return latex_missing_terms(self)


def _dependences(net: SymbolicNetwork) -> list[sp.Symbol]:
    out = []
    for s in net.cost_local.free_symbols:
        info = notation.describe(s)
        if info is None:
            continue
        if (info.kind == "a" and 2 <= info.layer < net.L) or info.kind in ("w", "b"):
            out.append(s)
    def order(s: sp.Symbol) -> tuple:
        info = notation.describe(s)
        return (info.kind != "a", info.layer, info.j, info.k or 0)

    return sorted(out, key=order)


def corrected_gradients(net: SymbolicNetwork) -> dict[sp.Symbol, sp.Expr]:
    """∂C/∂p for every parameter p by BP1-BP4 *plus* the terms that a cost depending on more
    than a^L adds: δ^l = ((w^(l+1))^T δ^(l+1) + ∇_(a^l) C) ⊙ σ'(z^l), and the explicit
    ∂C/∂p of a cost that holds p itself."""
    notation.check_network(net, "corrected_gradients")
    L = net.L
    deltas: list[sp.Matrix] = [sp.Matrix()] * (L - 1)
    deltas[-1] = equations.output_error(net.nabla_a_C(), net.z_vector(L), net.output_activation)  # BP1
    for l in range(L - 1, 1, -1):
        explicit = sp.Matrix([sp.diff(net.cost_local, s) for s in net.a_vector(l)])
        back = net.weight_matrix(l + 1).T * deltas[l - 1] + explicit
        deltas[l - 2] = hadamard(back, net.z_vector(l).applyfunc(net.activation.prime))  # BP2 + the term
    out: dict[sp.Symbol, sp.Expr] = {}
    for l in range(2, L + 1):
        nb = equations.bias_gradient(deltas[l - 2])
        nw = equations.weight_gradient(deltas[l - 2], net.a_vector(l - 1))
        for p, g in list(zip(net.bias_vector(l), nb)) + list(zip(net.weight_matrix(l), nw)):
            out[p] = g + sp.diff(net.cost_local, p)
    return out


def check_cost_assumption(net: SymbolicNetwork) -> CostAssumptionCheck:
    """Assumption 2: does ``net``'s cost depend on the network only through a^L? Compare BP1-BP4
    with direct differentiation for every parameter, name the terms BP misses, and show that
    adding them restores agreement."""
    notation.check_network(net, "check_cost_assumption")
    start = time.perf_counter()
    deps = _dependences(net)
    missing = []
    for s in deps:
        info = notation.describe(s)
        partial = sp.diff(net.cost_local, s)
        if info.kind == "a":
            sigma_prime = net.activation.prime(net.z(info.layer, info.j))
            missing.append(MissingTerm("BP2", net.delta(info.layer, info.j), partial * sigma_prime, s))
        else:
            missing.append(MissingTerm("BP3" if info.kind == "b" else "BP4", s, partial, s))
    corrected = corrected_gradients(net)
    rows, corrected_rows = [], []
    for p in net.parameters:
        direct = net.direct_gradient(p)
        rows.append(ProofRow(p, direct, net.bp_gradient(p), residual(direct - net.bp_gradient(p), net)))
        corrected_rows.append(ProofRow(p, direct, corrected[p], residual(direct - corrected[p], net)))
    return CostAssumptionCheck(net, deps, missing, rows, corrected_rows, time.perf_counter() - start)


def hidden_activation_counterexample(
    sizes: Sequence[int] = (2, 2, 1),
    layer: int = 2,
    neuron: int = 1,
    activation: str | SymbolicActivation = "generic",
    cost: str = "generic",
) -> CostAssumptionCheck:
    """The counterexample to assumption 2: a cost that also depends on the hidden activation
    a^layer_neuron.

    With ``cost="generic"`` it is C(a^L_1, ..., a^L_n, a^l_j), an undefined function; with a
    named cost it is that cost plus the penalty (λ/2)(a^l_j)². Returns
    :func:`check_cost_assumption` of that network: BP2 misses ∂C/∂a^l_j σ'(z^l_j) in δ^l_j.
    """
    probe = SymbolicNetwork(sizes, activation, "generic")
    if isinstance(layer, bool) or not isinstance(layer, int) or not 2 <= layer < probe.L:
        raise BpkitValueError(
            f"layer must be a hidden layer l = 2, ..., L−1 = {probe.L - 1} of the network of sizes {probe.sizes}; got l={layer!r}"
        )
    hidden = probe.a(layer, neuron)
    output = list(probe.a_vector(probe.L))
    if not isinstance(cost, str):
        raise BpkitTypeError(f"cost must be 'generic' or the name of a cost such as 'quadratic'; got {cost!r:.60}")
    if cost == "generic":
        expr = C_FUNCTION(*output, hidden)
    else:
        base = get_symbolic_cost(cost)
        lam = sp.Symbol("lambda", positive=True)
        expr = base(output, list(probe.y)) + lam / 2 * hidden**2
    return check_cost_assumption(SymbolicNetwork(sizes, activation, expr))
