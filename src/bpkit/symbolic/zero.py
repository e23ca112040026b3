"""Deciding that an expression of the book's symbols is identically zero: :func:`residual`.

The proof (:mod:`bpkit.symbolic.proof`) and the derivations (:mod:`bpkit.symbolic.latex`)
both reduce a difference ∂C/∂p (direct) − ∂C/∂p (BP1-BP4) with it.

How it is decided, without asking ``simplify`` to search for a proof:

1. The direct derivative is rewritten with the book's names z^l_j, a^l_j (each composed
   sub-expression replaced by the symbol it defines), so both sides are built from the same
   atoms: the symbols x, y, w, b, z, a and the function values σ'(z^l_j), ∂C/∂a^L_j.
2. Each function value that is not a known function (σ', ∂C/∂a^L_j) becomes a fresh symbol.
   For a concrete σ, a^l_j is replaced by its formula σ(z^l_j), and e^(±z) and tanh z become
   fresh symbols too (e^(−z) as the reciprocal of e^(z)).
3. The difference is now a rational function of independent symbols: brought over one
   denominator, it is identically zero exactly when its expanded numerator is the zero
   polynomial. (If it is not, every z^l_j is expanded into
   Σ_k w^l_jk a^(l−1)_k + b^l_j and tried again, for sums SymPy merged, as the identity σ makes.) If it is, it is zero for every value of the atoms, hence
   for every network, input and weight: that is the proof. A non-zero result is returned in
   the original atoms, e.g. the term BP1 misses when the cost breaks assumption 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import sympy as sp

from ..errors import BpkitValueError
from . import notation

if TYPE_CHECKING:  # pragma: no cover - for type checkers only: network comes after this module
    from .network import SymbolicNetwork

__all__ = ["residual"]


def residual(expr: sp.Expr, nets: "SymbolicNetwork | Sequence[SymbolicNetwork]") -> sp.Expr:
    """``expr`` reduced to 0 if it is identically zero, else a canonical non-zero form.

    ``expr`` is written with the book's symbols of ``nets`` (one network, or one per training
    example); see the module docstring for the method.
    """
    nets = list(nets) if isinstance(nets, (list, tuple)) else [nets]
    if not nets:
        raise BpkitValueError("residual needs the network (or one network per example) whose symbols expr uses")
    for net in nets:
        notation.check_network(net, "residual")
    expr = notation.check_expr(expr, "expr", "residual", scalar=True)
    back: dict[sp.Symbol, sp.Expr] = {}

    def fresh(node: sp.Expr, **assumptions: bool) -> sp.Symbol:
        d = sp.Dummy(**assumptions)
        back[d] = node
        return d

    # 1. σ'(z), ∂C/∂a^L_j and any other derivative: opaque atoms.
    opaque = {node: fresh(node) for node in expr.atoms(sp.Derivative, sp.Subs)}
    out = expr.xreplace(opaque)
    # 2. a^l_j = σ(z^l_j) for every layer with a concrete σ.
    formulas: dict[sp.Symbol, sp.Expr] = {}
    definitions: dict[sp.Symbol, sp.Expr] = {}
    for net in nets:
        for l in range(2, net.L + 1):
            sigma = net.output_activation if l == net.L else net.activation
            w_l, b_l, a_prev = net.weight_matrix(l), net.bias_vector(l), net.a_vector(l - 1)
            for j in range(1, net.sizes[l - 1] + 1):
                if not sigma.generic:
                    formulas[net.a(l, j)] = sigma(net.z(l, j))
                definitions[net.z(l, j)] = (w_l[j - 1, :] * a_prev)[0] + b_l[j - 1]
    definitions.update(formulas)
    reduced = _reduce(out.xreplace(formulas), fresh)
    if reduced != 0:
        # 6. A z^l_j may also occur as a sum that SymPy merged into a larger sum (the identity
        #    activation does that): expand every z^l_j = Σ_k w^l_jk a^(l−1)_k + b^l_j and
        #    every concrete a^l_j down to x, w and b, and try again.
        expanded = out
        for _ in range(2 * max(net.L for net in nets)):
            nxt = expanded.xreplace(definitions)
            if nxt == expanded:
                break
            expanded = nxt
        if _reduce(expanded, fresh) == 0:
            return sp.S.Zero
    if reduced == 0:
        return sp.S.Zero
    # Undo the renaming; the fresh symbols of step 1 may hide those of later steps, so repeat.
    for _ in range(3):
        reduced = reduced.xreplace(back)
    return reduced


def _reduce(out: sp.Expr, fresh) -> sp.Expr:
    # 3. e^(c s) = E_s^c, one positive symbol E_s per exponent up to sign and rational factor.
    exps: dict[sp.Expr, sp.Symbol] = {}
    exp_repl: dict[sp.Expr, sp.Expr] = {}
    for e in out.atoms(sp.exp):
        c, s = e.exp.as_coeff_Mul(rational=True)
        if s.could_extract_minus_sign():
            c, s = -c, -s
        if s not in exps:
            exps[s] = fresh(sp.exp(s), positive=True)
        exp_repl[e] = exps[s] ** c
    out = out.xreplace(exp_repl)
    # 4. any other function value (tanh z, σ(z), C(...)) is an atom.
    out = out.xreplace({f: fresh(f) for f in out.atoms(sp.Function)})
    # 5. One fraction; it is identically zero exactly when its expanded numerator is.
    numerator, denominator = sp.fraction(sp.together(out))
    numerator = sp.expand(numerator)
    return sp.S.Zero if numerator == 0 else numerator / denominator
