"""``SymbolicNetwork``: a small network as SymPy symbols, its forward pass and its cost.

The layout is that of :class:`bpkit.Network`: ``sizes = [n_1, ..., n_L]``, ``weights[i]`` is
the matrix of symbols w^(i+2) (entry [j−1, k−1] is w^(i+2)_jk), ``biases[i]`` the column b^(i+2).
The forward pass composes the layers,

    a^1 = x,   z^l_j = Σ_k w^l_jk a^(l−1)_k + b^l_j,   a^l_j = σ(z^l_j),

and the cost C_x = C(a^L) becomes, through them, an explicit function of every weight and
bias: :attr:`SymbolicNetwork.cost`. Its derivatives come two ways:

* :meth:`SymbolicNetwork.direct_gradient`: SymPy differentiates that composition directly;
* :meth:`SymbolicNetwork.bp_gradient`: BP1-BP4 (:mod:`bpkit.symbolic.equations`) applied
  layer by layer to the book's symbols z^l_j, a^l_j.

The direct derivative comes out in terms of the whole composition; :meth:`to_book` rewrites it
with the book's names by replacing each composed z^l_j and a^l_j by its symbol (a replacement
of a sub-expression by the name it is defined as, so nothing is lost), which is what lets
:mod:`bpkit.symbolic.proof` compare the two results atom by atom instead of asking
``simplify`` to find a proof.
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import sympy as sp

from ..errors import BpkitValueError, LayerIndexError, SizeError
from .._validate import check_sizes, layer_name
from . import equations, notation
from .activations import SymbolicActivation, get_symbolic_activation
from .costs import SymbolicCost, get_symbolic_cost
from .latex import latex_bp, latex_cost, latex_forward, latex_gradient
from .proof import ProofResult, prove


__all__ = ["SymbolicNetwork"]

#: The largest network SymbolicNetwork builds. Composing the cost is quick, but the proof
#: differentiates it once per parameter and its expressions grow with every layer: measured on
#: 2 cores, [2, 3, 2] (17 weights and biases) takes about 6 s, [5, 5, 5] (60) about a minute,
#: [2, 2, 2, 2, 2] (24, five layers) about 50 s. Larger networks are refused before SymPy
#: starts; raise these (bpkit.symbolic.network.MAX_PARAMETERS = ...) to try anyway.
MAX_PARAMETERS = 120
MAX_LAYERS = 6


class SymbolicNetwork:
    """A fully connected network a^l = σ(w^l a^(l−1) + b^l) whose weights, biases, inputs and
    targets are SymPy symbols printed in the book's notation.

    Args:
        sizes: neurons per layer, e.g. ``[2, 3, 2]``. Keep it small: the composed cost grows
            with every layer.
        activation: σ of the hidden layers: ``"generic"`` (an undefined σ, so that σ' appears),
            ``"sigmoid"``, ``"tanh"`` or ``"identity"``.
        cost: ``"generic"`` (an undefined C(a^L_1, ..., a^L_n)), ``"quadratic"``
            (½‖y − a^L‖²), ``"cross_entropy"``, or a SymPy expression written with the symbols
            of :mod:`bpkit.symbolic.notation` (a^l_j, y_j, and even w^l_jk or b^l_j, to show
            what goes wrong when C depends on more than a^L).
        output_activation: σ of the output layer L; defaults to ``activation``.
        example: tag every per-example symbol (a, z, δ, y) with the training example x_i, as
            Nielsen's a^{x,l}; weights and biases stay shared.
    """

    _symbolic_network = True  # what notation.check_network looks for

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | SymbolicActivation = "generic",
        cost: str | SymbolicCost | sp.Expr = "generic",
        output_activation: str | SymbolicActivation | None = None,
        example: int | None = None,
    ) -> None:
        self.sizes: list[int] = check_sizes(sizes)
        self.num_layers: int = len(self.sizes)
        n_params = sum(n_out * (n_in + 1) for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]))
        if n_params > MAX_PARAMETERS or self.num_layers > MAX_LAYERS:
            raise SizeError(
                f"SymbolicNetwork({self.sizes}) has {n_params} weights and biases in {self.num_layers} layers; "
                f"SymPy's proof would not finish in reasonable time beyond {MAX_PARAMETERS} parameters or "
                f"{MAX_LAYERS} layers (a [5, 5, 5] network, 60 parameters, already takes about a minute). "
                f"The equations are the same for every size: use a few neurons per layer, e.g. [2, 3, 2]"
            )
        self.activation: SymbolicActivation = get_symbolic_activation(activation)
        self.output_activation: SymbolicActivation = (
            self.activation if output_activation is None else get_symbolic_activation(output_activation)
        )
        if example is not None and (isinstance(example, bool) or not isinstance(example, numbers.Integral) or example < 1):
            raise BpkitValueError(f"example must be a whole number i >= 1 (the training example x_i); got {example!r}")
        self.example: int | None = None if example is None else int(example)
        L, ex = self.num_layers, self.example
        n = self.sizes
        #: weights[i] = w^(i+2), biases[i] = b^(i+2), as in bpkit.Network
        self.weights: list[sp.Matrix] = [
            sp.Matrix(n[l - 1], n[l - 2], lambda j, k, l=l: notation.w(l, j + 1, k + 1)) for l in range(2, L + 1)
        ]
        self.biases: list[sp.Matrix] = [sp.Matrix(n[l - 1], 1, lambda j, _, l=l: notation.b(l, j + 1)) for l in range(2, L + 1)]
        #: the input a^1 = x and the target y, as columns of symbols
        self.x: sp.Matrix = self.a_vector(1)
        self.y: sp.Matrix = sp.Matrix(n[-1], 1, lambda j, _: notation.y(j + 1, ex))
        self._params: list[sp.Symbol] = []
        for w_l, b_l in zip(self.weights, self.biases):
            self._params += list(b_l) + list(w_l)
        self._param_set = set(self._params)

        # The forward pass, composed: zs[i] = z^(i+2), activations[i] = a^(i+1) in x, w, b.
        self._zs: list[sp.Matrix] = []
        self._activations: list[sp.Matrix] = [self.x]
        for i, (w_l, b_l) in enumerate(zip(self.weights, self.biases)):
            sigma = self.output_activation if i == L - 2 else self.activation
            a_prev = self._activations[-1]
            z = sp.Matrix(w_l.rows, 1, lambda j, _: sp.Add(*[w_l[j, k] * a_prev[k] for k in range(w_l.cols)], b_l[j]))
            self._zs.append(z)
            self._activations.append(z.applyfunc(sigma))

        # The two dictionaries between the composition and the book's names.
        self._to_book: dict[sp.Expr, sp.Expr] = {}
        self._from_book: dict[sp.Symbol, sp.Expr] = {}
        for l in range(2, L + 1):
            for j in range(1, n[l - 1] + 1):
                Z, A = self._zs[l - 2][j - 1], self._activations[l - 1][j - 1]
                z_s, a_s = self.z(l, j), self.a(l, j)
                self._to_book[Z] = z_s
                self._to_book[-Z] = -z_s  # e^(−z) in σ = 1/(1 + e^(−z)) holds −z, distributed
                self._to_book[A] = a_s  # after z: for the identity A is Z, and a^l_j names it
                if A == Z:
                    self._to_book[-Z] = -a_s
                self._from_book[z_s] = Z
                self._from_book[a_s] = A

        # The cost, in the book's symbols and composed.
        if isinstance(cost, sp.Basic):
            self.cost_name: str = "custom"
            self.cost_local: sp.Expr = self._check_cost(sp.sympify(cost))
        else:
            c = get_symbolic_cost(cost)
            self.cost_name = c.name
            self.cost_local = c(list(self.a_vector(L)), list(self.y))
        #: C_x composed through every layer, an explicit function of x, y and every w and b.
        self.cost: sp.Expr = self.cost_local.xreplace(self._from_book)
        self._direct: dict[sp.Symbol, sp.Expr] = {}
        self._bp: dict[sp.Symbol, sp.Expr] | None = None

    # -- the book's symbols ---------------------------------------------------------------------

    @property
    def L(self) -> int:
        """The number of layers L."""
        return self.num_layers

    def _layer(self, l: Any, lowest: int, what: str) -> int:
        if isinstance(l, bool) or not isinstance(l, numbers.Integral) or not lowest <= l <= self.L:
            first = "l = 1" if lowest == 1 else "l = 2"
            raise LayerIndexError(
                f"{what} exist for {first}, ..., L = {self.L} in this network of sizes {self.sizes}; got layer l={l!r}"
            )
        return int(l)

    def _neuron(self, l: int, j: Any, name: str = "j") -> int:
        size = self.sizes[l - 1]
        if isinstance(j, bool) or not isinstance(j, numbers.Integral) or not 1 <= j <= size:
            raise LayerIndexError(f"{layer_name(l, self.L)} has neurons {name} = 1, ..., {size}; got {name}={j!r}")
        return int(j)

    def w(self, l: int, j: int, k: int) -> sp.Symbol:
        """w^l_jk: from neuron k of layer l−1 to neuron j of layer l (l = 2, ..., L)."""
        l = self._layer(l, 2, "weights w^l")
        return notation.w(l, self._neuron(l, j), self._neuron(l - 1, k, "k"))

    def b(self, l: int, j: int) -> sp.Symbol:
        """b^l_j, the bias of neuron j of layer l (l = 2, ..., L)."""
        l = self._layer(l, 2, "biases b^l")
        return notation.b(l, self._neuron(l, j))

    def z(self, l: int, j: int) -> sp.Symbol:
        """z^l_j, the weighted input of neuron j of layer l (l = 2, ..., L)."""
        l = self._layer(l, 2, "weighted inputs z^l")
        return notation.z(l, self._neuron(l, j), self.example)

    def a(self, l: int, j: int) -> sp.Symbol:
        """a^l_j, the activation of neuron j of layer l (l = 1, ..., L; a^1 = x)."""
        l = self._layer(l, 1, "activations a^l")
        return notation.a(l, self._neuron(l, j), self.example)

    def delta(self, l: int, j: int) -> sp.Symbol:
        """δ^l_j = ∂C/∂z^l_j, the error of neuron j of layer l (l = 2, ..., L)."""
        l = self._layer(l, 2, "errors δ^l")
        return notation.delta(l, self._neuron(l, j), self.example)

    def weight_matrix(self, l: int) -> sp.Matrix:
        """w^l as a matrix of symbols: entry [j−1, k−1] is w^l_jk."""
        return self.weights[self._layer(l, 2, "weights w^l") - 2]

    def bias_vector(self, l: int) -> sp.Matrix:
        """b^l as a column of symbols."""
        return self.biases[self._layer(l, 2, "biases b^l") - 2]

    def z_vector(self, l: int) -> sp.Matrix:
        """z^l as a column of symbols z^l_j."""
        l = self._layer(l, 2, "weighted inputs z^l")
        return sp.Matrix([notation.z(l, j, self.example) for j in range(1, self.sizes[l - 1] + 1)])

    def a_vector(self, l: int) -> sp.Matrix:
        """a^l as a column of symbols a^l_j (a^1 = x)."""
        l = self._layer(l, 1, "activations a^l")
        return sp.Matrix([notation.a(l, j, self.example) for j in range(1, self.sizes[l - 1] + 1)])

    def delta_vector(self, l: int) -> sp.Matrix:
        """δ^l as a column of symbols δ^l_j."""
        l = self._layer(l, 2, "errors δ^l")
        return sp.Matrix([notation.delta(l, j, self.example) for j in range(1, self.sizes[l - 1] + 1)])

    @property
    def parameters(self) -> list[sp.Symbol]:
        """Every bias and weight, layer by layer (b^2_1, ..., w^2_11, w^2_12, ..., b^3_1, ...)."""
        return list(self._params)

    def check_parameter(self, param: Any) -> sp.Symbol:
        """``param`` if it is a weight or bias of this network, else a clear error."""
        try:
            if param in self._param_set:
                return param
        except TypeError:  # unhashable: certainly not one of ours
            pass
        raise BpkitValueError(
            f"param {param!r:.60} is not a weight or bias of this network of sizes {self.sizes}: use net.w(l, j, k) "
            f"or net.b(l, j) with l = 2, ..., {self.L}"
        )

    def _check_cost(self, cost: sp.Expr) -> sp.Expr:
        for s in cost.free_symbols:
            info = notation.describe(s)
            if info is None:
                continue  # a constant such as λ
            if info.kind in ("w", "b"):
                self.check_parameter(s)
            elif info.kind in ("z", "delta"):
                raise BpkitValueError(f"the cost may be written with a^l_j, y_j, w^l_jk and b^l_j, not with {notation.plain(s)}")
            elif info.example != self.example:
                raise BpkitValueError(f"the cost uses {notation.plain(s)}, a symbol of another training example")
            elif info.kind == "a":
                self.a(info.layer, info.j)
            elif info.kind == "y" and not 1 <= info.j <= self.sizes[-1]:
                raise BpkitValueError(f"the cost uses y_{info.j}, but the output layer has {self.sizes[-1]} neurons")
        return cost

    # -- forward pass and cost ------------------------------------------------------------------

    def forward(self) -> tuple[list[sp.Matrix], list[sp.Matrix]]:
        """``(zs, activations)`` composed: ``zs[i]`` = z^(i+2), ``activations[i]`` = a^(i+1), as
        expressions in x, w and b (like :func:`bpkit.forward.forward`)."""
        return [m.copy() for m in self._zs], [m.copy() for m in self._activations]

    def z_expr(self, l: int, j: int) -> sp.Expr:
        """z^l_j as an expression in x, w and b."""
        return self._from_book[self.z(l, j)]

    def a_expr(self, l: int, j: int) -> sp.Expr:
        """a^l_j as an expression in x, w and b (a^1_j is the input symbol itself)."""
        s = self.a(l, j)
        return self._from_book.get(s, s)

    def to_book(self, expr: sp.Expr) -> sp.Expr:
        """Rewrite a composed expression with the book's names z^l_j and a^l_j.

        Every composed z^l_j and a^l_j is replaced by its symbol (outermost first), then SymPy's
        placeholders ``Subs(Derivative(σ(ξ), ξ), ξ, z^l_j)`` become ``Derivative(σ(z^l_j), z^l_j)``,
        i.e. σ'(z^l_j), and likewise ∂C/∂a^L_j.
        """
        out = expr.xreplace(self._to_book)
        return out.replace(
            lambda e: isinstance(e, sp.Subs) and all(isinstance(p, sp.Symbol) for p in e.point),
            lambda e: e.doit(),
        )

    def from_book(self, expr: sp.Expr) -> sp.Expr:
        """Replace every z^l_j and a^l_j (l ≥ 2) by its composition in x, w and b."""
        return expr.subs(self._from_book, simultaneous=True)

    # -- the gradient, two ways -----------------------------------------------------------------

    def direct_gradient(self, param: sp.Symbol, composed: bool = False) -> sp.Expr:
        """∂C/∂param by differentiating the composed cost directly.

        By default the result is rewritten with the book's names (:meth:`to_book`); with
        ``composed=True`` it is SymPy's raw derivative, in x, y, w and b only.
        """
        param = self.check_parameter(param)
        if param not in self._direct:
            self._direct[param] = sp.diff(self.cost, param)
        raw = self._direct[param]
        return raw if composed else self.to_book(raw)

    def nabla_a_C(self) -> sp.Matrix:
        """∇_a C, the column of ∂C/∂a^L_j: the only way BP1 sees the cost."""
        return sp.Matrix([sp.diff(self.cost_local, s) for s in self.a_vector(self.L)])

    def errors(self) -> list[sp.Matrix]:
        """[δ^2, ..., δ^L] by BP1 and BP2, in the book's symbols."""
        zs = [self.z_vector(l) for l in range(2, self.L + 1)]
        return equations.errors(self.weights, zs, self.nabla_a_C(), self.activation, self.output_activation)

    def backprop(self) -> tuple[list[sp.Matrix], list[sp.Matrix]]:
        """``(nabla_b, nabla_w)`` by BP1-BP4 in the book's symbols (like
        :meth:`bpkit.Network.backprop`): ``nabla_w[i][j−1, k−1]`` = ∂C/∂w^(i+2)_jk."""
        zs = [self.z_vector(l) for l in range(2, self.L + 1)]
        acts = [self.a_vector(l) for l in range(1, self.L)]
        return equations.backprop(self.weights, zs, acts, self.nabla_a_C(), self.activation, self.output_activation)

    def bp_gradient(self, param: sp.Symbol) -> sp.Expr:
        """∂C/∂param by BP1-BP4, in the book's symbols z^l_j, a^l_j (and σ', ∂C/∂a^L_j)."""
        param = self.check_parameter(param)
        if self._bp is None:
            nabla_b, nabla_w = self.backprop()
            self._bp = {}
            for w_l, b_l, nw, nb in zip(self.weights, self.biases, nabla_w, nabla_b):
                self._bp.update(zip(b_l, nb))
                self._bp.update(zip(w_l, nw))
        return self._bp[param]

    def prove(self) -> "ProofResult":
        """Show that direct differentiation and BP1-BP4 agree for every weight and bias; see
        :func:`bpkit.symbolic.proof.prove`."""
        return prove(self)

    # -- LaTeX ----------------------------------------------------------------------------------

    def latex_forward(self) -> str:
        """The forward pass of this network, one equation per neuron (LaTeX, aligned)."""
        return latex_forward(self)

    def latex_cost(self) -> str:
        """C_x in the book's symbols (LaTeX)."""
        return latex_cost(self)

    def latex_bp(self) -> str:
        """BP1-BP4 written out for every neuron of this network (LaTeX, aligned)."""
        return latex_bp(self)

    def latex_gradient(self, param: sp.Symbol) -> str:
        """The derivation of ∂C/∂param: direct, by BP3/BP4, by BP1/BP2, and their difference."""
        return latex_gradient(self, param)

    def __repr__(self) -> str:
        out = "" if self.output_activation is self.activation else f", output_activation={self.output_activation.name!r}"
        ex = "" if self.example is None else f", example={self.example}"
        return f"SymbolicNetwork({self.sizes}, activation={self.activation.name!r}{out}, cost={self.cost_name!r}{ex})"
