r"""bpkit.symbolic: the four equations of backpropagation derived and proven with SymPy.

``import bpkit`` does not import SymPy; ``import bpkit.symbolic`` (or
``from bpkit.symbolic import SymbolicNetwork``) does.

Notation (:mod:`~bpkit.symbolic.notation`). Every symbol prints as the book writes it, the layer
as a superscript, j before k: ``w^{2}_{13}`` is the weight from neuron 3 of layer 1 to neuron 1
of layer 2; ``b^{l}_{j}``, ``z^{l}_{j}``, ``a^{l}_{j}`` (a^1 = x), ``\delta^{l}_{j}``, ``y_{j}``.
``notation.w(l, j, k)``, ``notation.a(l, j)``, ... build them without a network.

The network::

    from bpkit.symbolic import SymbolicNetwork
    net = SymbolicNetwork([2, 3, 2], activation="generic", cost="generic")
    # activation: "generic" (undefined σ, so σ' appears), "sigmoid", "tanh",
    #   "identity"
    # cost: "generic" (undefined C(a^L)), "quadratic" (½‖y − a^L‖²),
    #   "cross_entropy", or any SymPy expression in the notation's symbols
    #   (e.g. one using a hidden a^l_j)
    # output_activation=None (defaults to activation),
    # example=None (tags the symbols with x_i)

    net.w(l, j, k), net.b(l, j), net.z(l, j)  # symbols
    net.a(l, j), net.delta(l, j)              # symbols
    net.weights, net.biases  # lists of SymPy matrices, weights[i] = w^(i+2)
    net.parameters           # [b^2_1, ..., w^2_11, ..., b^L_..., w^L_...]
    net.cost_local           # C_x in the symbols a^L_j, y_j
    net.cost                 # C_x composed through every layer
    net.z_expr(l, j), net.a_expr(l, j), net.forward()  # the forward pass
    net.direct_gradient(p)   # ∂C/∂p by differentiating net.cost
    net.direct_gradient(p, composed=True)  # ... SymPy's raw derivative
    net.bp_gradient(p)       # ∂C/∂p by BP1–BP4, in book symbols
    net.errors()             # [δ^2, ..., δ^L] by BP1, BP2 (matrices)
    net.backprop()           # (nabla_b, nabla_w) by BP1–BP4 (matrices)
    net.to_book(expr), net.from_book(expr)  # composed <-> book symbols
    result = net.prove()
    # a ProofResult: .holds, .rows (ProofRow: parameter, direct, bp,
    #   difference, equal), .failures, .seconds, .latex()
    net.latex_forward(), net.latex_cost()  # LaTeX strings
    net.latex_bp(), net.latex_gradient(p)  # LaTeX strings

The proof (:mod:`~bpkit.symbolic.proof`): ``prove(net)`` is ``net.prove()``;
``residual(expr, net)`` reduces an expression in book symbols to 0 when it is identically zero.
For [2, 3, 2] with the generic σ and C the whole proof takes about 0.1-0.2 s.

Equations (:mod:`~bpkit.symbolic.equations`), the symbolic twins of :mod:`bpkit.equations`:
``output_error`` (BP1), ``backpropagate_error`` (BP2), ``bias_gradient`` (BP3),
``weight_gradient`` (BP4), ``errors``, ``backprop``, aliases ``BP1``-``BP4``.

Hadamard (:mod:`~bpkit.symbolic.hadamard`): ``hadamard(s, t)``; ``sigma_prime_matrix(z, act)`` is
Σ'(z) = diag(σ'(z_j)); ``check_diagonal_form(net)`` -> ``DiagonalFormCheck`` (.holds, .rows)
compares ∇_a C ⊙ σ'(z^L) with Σ'(z^L)∇_a C, BP2 likewise, and the unrolled
δ^l = Σ'(z^l)(w^(l+1))^T ⋯ Σ'(z^L)∇_a C.

The two assumptions (:mod:`~bpkit.symbolic.assumptions`):

* ``check_average_cost(sizes=(2, 2, 1), n_examples=2, activation="generic", cost="generic")`` ->
  ``AverageCostCheck`` (.holds, .rows, .cost, .latex()): ∂C/∂p of C = 1/n Σ_x C_x equals
  the average of the per-example BP1-BP4 gradients.
* ``hidden_activation_counterexample(sizes=(2, 2, 1), layer=2, neuron=1, activation="generic",
  cost="generic")`` and ``check_cost_assumption(net)`` -> ``CostAssumptionCheck`` with .holds,
  .depends_on, .missing_terms (``MissingTerm``: equation "BP2", quantity δ^l_j, term
  ∂C/∂a^l_j σ'(z^l_j), cause a^l_j), .affected, .explained (adding the terms restores
  agreement), .message (plain text) and .latex().

Numbers (:mod:`~bpkit.symbolic.numeric`, concrete σ and C only):
``gradient_function(net, method="direct"|"bp")`` -> ``f(weights, biases, x, y) -> (nabla_b,
nabla_w)`` (lambdified, summed over columns like ``bpkit.Network.backprop``);
``compare_with_bpkit(net, seed=0, m=3, method="direct")`` -> ``NumericCheck``
(.max_abs_error, .ok(tol=1e-12)).

LaTeX (:mod:`~bpkit.symbolic.latex`): ``latex(expr, net=None)`` prints σ'(z^l_j) and
∂C/∂a^L_j as the book does; ``partial(p)``; ``latex_forward``, ``latex_cost``, ``latex_bp``,
``latex_gradient``, ``latex_proof``, ``latex_missing_terms``, ``latex_average_cost``; every one
returns a string without delimiters for ``IPython.display.Math``; ``math_block(s)`` wraps it in
``$$`` lines for Markdown.

``bpkit.symbolic.hadamard`` and ``bpkit.symbolic.latex`` are the functions; their modules are
``hadamard_module`` and ``latex_module`` (``from bpkit.symbolic.latex import latex_bp`` works).
``python -m bpkit.symbolic`` runs every proof and prints its time against the 10 s budget.

The modules import one another in one direction, all at their top, so they read bottom up:
``notation`` (the symbols) → ``activations``, ``costs`` → ``equations`` (⊙, BP1-BP4) →
``hadamard`` (the diagonal form) → ``zero`` (deciding that a difference is identically 0) →
``latex`` → ``proof`` → ``network`` (``SymbolicNetwork``, whose methods call proof and latex)
→ ``assumptions`` → ``numeric`` (against :class:`bpkit.Network`).

Example for a page::

    from IPython.display import Math
    from bpkit.symbolic import SymbolicNetwork
    net = SymbolicNetwork([2, 3, 2])
    display(Math(net.latex_gradient(net.w(2, 1, 2))))
    result = net.prove(); assert result.holds
    display(Math(result.latex()))
"""

from .._extras import require

require("sympy", "symbolic", "bpkit.symbolic")  # a clear error, naming the extra, when SymPy is missing

from . import assumptions, equations, hadamard as hadamard_module, latex as latex_module, notation, numeric, proof
from .activations import SymbolicActivation, get_symbolic_activation
from .assumptions import (
    AverageCostCheck, CostAssumptionCheck, MissingTerm, check_average_cost, check_cost_assumption,
    corrected_gradients, hidden_activation_counterexample,
)
from .costs import SymbolicCost, get_symbolic_cost
from .hadamard import DiagonalFormCheck, check_diagonal_form, hadamard, sigma_prime_matrix
from .latex import (
    latex, latex_average_cost, latex_bp, latex_cost, latex_forward, latex_gradient, latex_missing_terms,
    latex_proof, math_block, partial,
)
from .network import SymbolicNetwork
from .numeric import NumericCheck, compare_with_bpkit, gradient_function
from .proof import ProofResult, ProofRow, prove, residual

__all__ = [
    "AverageCostCheck", "CostAssumptionCheck", "DiagonalFormCheck", "MissingTerm", "NumericCheck", "ProofResult",
    "ProofRow", "SymbolicActivation", "SymbolicCost", "SymbolicNetwork", "assumptions", "check_average_cost",
    "check_cost_assumption", "check_diagonal_form", "compare_with_bpkit", "corrected_gradients", "equations",
    "get_symbolic_activation", "get_symbolic_cost", "gradient_function", "hadamard", "hidden_activation_counterexample",
    "latex", "latex_average_cost", "latex_bp", "latex_cost", "latex_forward", "latex_gradient", "latex_missing_terms",
    "latex_proof", "math_block", "notation", "numeric", "partial", "proof", "prove", "residual", "sigma_prime_matrix",
]
