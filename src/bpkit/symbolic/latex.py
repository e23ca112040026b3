"""LaTeX for the book: expressions, equations and derivations in the book's notation.

Every function returns a LaTeX string without delimiters, ready for
``IPython.display.Math(s)`` or, wrapped by :func:`math_block`, for a ``$$ ... $$`` block.
Multi-line results use ``aligned``, which MathJax renders.

:func:`latex` prints any SymPy expression of :mod:`bpkit.symbolic` the way the book writes it:
w^{2}_{13}, a^{1}_{3}, \\delta^{2}_{1}; SymPy's ``Derivative(sigma(z), z)`` as σ'(z) and
``Derivative(C(a^3_1, a^3_2), a^3_1)`` as ∂C/∂a^3_1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp
from sympy.core.function import AppliedUndef

from ..errors import BpkitTypeError
from . import notation
from .zero import residual

if TYPE_CHECKING:  # pragma: no cover - for type checkers only: these modules come after latex
    from .assumptions import AverageCostCheck, CostAssumptionCheck
    from .network import SymbolicNetwork
    from .proof import ProofResult

__all__ = [
    "latex", "latex_average_cost", "latex_bp", "latex_cost", "latex_forward", "latex_gradient",
    "latex_missing_terms", "latex_proof", "math_block", "partial",
]


def _display_symbols(expr: sp.Basic) -> dict[sp.Basic, sp.Symbol]:
    """Display-only symbols for σ'(z) and ∂C/∂a (their names are LaTeX, printed verbatim)."""
    out: dict[sp.Basic, sp.Symbol] = {}
    for d in expr.atoms(sp.Derivative):
        f, variables = d.expr, d.variables
        if len(variables) != 1 or not isinstance(f, AppliedUndef):
            continue
        v = variables[0]
        name = sp.latex(f.func)
        if len(f.args) == 1 and f.args[0] == v:
            out[d] = sp.Symbol(rf"{{{name}'\left({sp.latex(v)}\right)}}")
        else:
            out[d] = sp.Symbol(rf"{{\frac{{\partial {name}}}{{\partial {sp.latex(v)}}}}}")
    return out


def latex(expr: sp.Basic, net: "SymbolicNetwork | None" = None) -> str:
    """``expr`` (an expression or a matrix) in LaTeX with the book's notation, ln for log.

    With ``net``, a concrete σ(z^l_j) that appears in ``expr`` is written a^l_j.
    """
    expr = notation.check_expr(expr, "expr", "latex") if not isinstance(expr, sp.MatrixBase) else expr
    if net is not None:
        notation.check_network(net, "latex")
    expr = expr.xreplace(_display_symbols(expr))  # σ'(z) first: it contains σ(z) itself
    if net is not None:
        expr = expr.xreplace(_activation_symbols(net))
    return sp.latex(expr, ln_notation=True)


def _activation_symbols(net: "SymbolicNetwork") -> dict[sp.Expr, sp.Symbol]:
    out = {}
    for l in range(2, net.L + 1):
        sigma = net.output_activation if l == net.L else net.activation
        for j in range(1, net.sizes[l - 1] + 1):
            value = sigma(net.z(l, j))
            if value != net.z(l, j):
                out[value] = net.a(l, j)
    return out


def partial(param: sp.Symbol, of: str = "C") -> str:
    r"""``\frac{\partial C}{\partial w^{2}_{13}}``."""
    param = notation.check_expr(param, "param", "partial")
    if not isinstance(of, str):
        raise BpkitTypeError(f"partial: of must be a string of LaTeX such as 'C'; got {of!r:.60}")
    return rf"\frac{{\partial {of}}}{{\partial {sp.latex(param)}}}"


def math_block(body: str) -> str:
    """``body`` as a display-math block for Markdown: ``$$`` on lines of their own."""
    if not isinstance(body, str):
        raise BpkitTypeError(f"math_block: body must be a string of LaTeX; got {body!r:.60}")
    return f"$$\n{body}\n$$"


def _check_result(value: object, name: str, attr: str, kind: str, who: str) -> None:
    """``value`` must be a result object (a ``kind``) with ``attr``, else a clear error."""
    if type(value).__name__ != kind or not hasattr(value, attr):
        raise BpkitTypeError(f"{who}: {name} must be a {kind} (what bpkit.symbolic returns); got {value!r:.60}")


def _aligned(lines: list[str]) -> str:
    return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"


def _sigma(net: "SymbolicNetwork", l: int) -> str:
    return (net.output_activation if l == net.L else net.activation).latex


def latex_forward(net: "SymbolicNetwork") -> str:
    """z^l_j = Σ_k w^l_jk a^(l−1)_k + b^l_j and a^l_j = σ(z^l_j) for every neuron, in the
    order of the notes (weight before activation)."""
    notation.check_network(net, "latex_forward")
    lines = []
    for l in range(2, net.L + 1):
        for j in range(1, net.sizes[l - 1] + 1):
            terms = [f"{sp.latex(net.w(l, j, k))} {sp.latex(net.a(l - 1, k))}" for k in range(1, net.sizes[l - 2] + 1)]
            z = " + ".join(terms + [sp.latex(net.b(l, j))])
            lines.append(
                rf"{sp.latex(net.z(l, j))} &= {z}, & {sp.latex(net.a(l, j))} &= {_sigma(net, l)}\left({sp.latex(net.z(l, j))}\right)"
            )
    return _aligned(lines)


def latex_cost(net: "SymbolicNetwork") -> str:
    """C_x in the book's symbols."""
    notation.check_network(net, "latex_cost")
    return f"C = {latex(net.cost_local)}"


def latex_bp(net: "SymbolicNetwork") -> str:
    """BP1 and BP2 for every neuron of ``net``, BP3 and BP4 for every layer, each tagged."""
    notation.check_network(net, "latex_bp")
    L = net.L
    lines = []
    for j in range(1, net.sizes[-1] + 1):
        lines.append(
            rf"{sp.latex(net.delta(L, j))} &= \frac{{\partial C}}{{\partial {sp.latex(net.a(L, j))}}}\, "
            rf"{_sigma(net, L)}'\left({sp.latex(net.z(L, j))}\right) && \text{{(BP1)}}"
        )
    for l in range(L - 1, 1, -1):
        for j in range(1, net.sizes[l - 1] + 1):
            s = " + ".join(f"{sp.latex(net.w(l + 1, i, j))} {sp.latex(net.delta(l + 1, i))}" for i in range(1, net.sizes[l] + 1))
            lines.append(
                rf"{sp.latex(net.delta(l, j))} &= \left({s}\right) {_sigma(net, l)}'\left({sp.latex(net.z(l, j))}\right) && \text{{(BP2)}}"
            )
    ex = "" if net.example is None else f"x_{{{net.example}}},"
    for l in range(2, L + 1):
        lines.append(rf"\frac{{\partial C}}{{\partial b^{{{l}}}_{{j}}}} &= \delta^{{{ex}{l}}}_{{j}} && \text{{(BP3)}}")
        lines.append(
            rf"\frac{{\partial C}}{{\partial w^{{{l}}}_{{jk}}}} &= a^{{{ex}{l - 1}}}_{{k}}\, \delta^{{{ex}{l}}}_{{j}} && \text{{(BP4)}}"
        )
    return _aligned(lines)


def latex_gradient(net: "SymbolicNetwork", param: sp.Symbol) -> str:
    """The derivation of ∂C/∂param in four lines: direct differentiation of the composed cost;
    BP3 or BP4 in terms of δ; δ expanded by BP1 and BP2; and the difference, reduced to 0."""
    notation.check_network(net, "latex_gradient")
    param = net.check_parameter(param)
    info = notation.describe(param)
    direct, bp = net.direct_gradient(param), net.bp_gradient(param)
    delta = net.delta(info.layer, info.j)
    if info.kind == "b":
        step = (sp.latex(delta), "BP3")
    else:
        step = (f"{sp.latex(net.a(info.layer - 1, info.k))}\\, {sp.latex(delta)}", "BP4")
    via = "BP1" if info.layer == net.L else "BP1, BP2"
    diff = residual(direct - bp, net)
    lines = [
        rf"{partial(param)} &= {latex(direct, net)} && \text{{direct differentiation}}",
        rf"&= {step[0]} && \text{{{step[1]}}}",
        rf"&= {latex(bp, net)} && \text{{{via}}}",
        rf"\text{{direct}} - \text{{BP}} &= {latex(diff)}",
    ]
    return _aligned(lines)


def latex_proof(result: "ProofResult") -> str:
    """A table: each parameter, the reduced difference direct − BP1-BP4, and a check mark."""
    _check_result(result, "result", "rows", "ProofResult", "latex_proof")
    lines = [r"\begin{array}{lcc}", r"\text{parameter} & \text{direct} - \text{BP1–BP4} & \\ \hline"]
    for r in result.rows:
        mark = r"\checkmark" if r.equal else r"\times"
        lines.append(rf"{partial(r.parameter)} & {latex(r.difference)} & {mark} \\")
    lines.append(r"\end{array}")
    return "\n".join(lines)


def latex_missing_terms(check: "CostAssumptionCheck") -> str:
    """The terms BP1-BP4 miss when the cost breaks assumption 2, one line each."""
    _check_result(check, "check", "missing_terms", "CostAssumptionCheck", "latex_missing_terms")
    if not check.missing_terms:
        return r"\text{C depends on the network only through } a^L\text{: nothing is missing}"
    lines = []
    for m in check.missing_terms:
        where = sp.latex(m.quantity) if m.equation == "BP2" else partial(m.quantity)
        lines.append(rf"{where} &: \text{{{m.equation} misses }} {latex(m.term)}")
    return _aligned(lines)


def latex_average_cost(check: "AverageCostCheck") -> str:
    """C = 1/n Σ_x C_x and, for every parameter, ∂C/∂p − 1/n Σ_x (∂C_x/∂p by BP) reduced."""
    _check_result(check, "check", "rows", "AverageCostCheck", "latex_average_cost")
    lines = [rf"C &= {latex(check.cost)}"]
    for r in check.rows:
        lines.append(
            rf"{partial(r.parameter)} - \frac{{1}}{{{check.n}}} \sum_x {partial(r.parameter, 'C_x')} &= {latex(r.difference)}"
        )
    return _aligned(lines)
