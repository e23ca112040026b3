"""The exercises: what the reader's function is given, what it must return, which mistakes of
the catalogue it can make.

Ten tasks, from one equation to a whole training step: ``forward``, ``bp1`` ... ``bp4``,
``backprop`` (one example), ``backprop_matrix`` (a mini-batch, the matrix form),
``accumulate`` (Ng's loop), ``sgd_step`` (the update) and ``update_mini_batch`` (all of it).
Each :class:`Task` builds the reader's arguments from a :class:`~bpkit.exercises.cases.Case`
and computes the right output, or the output with a slip, with :mod:`bpkit.exercises.slips`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..network import Network
from . import slips
from .cases import QUADRATIC_ONLY, SETTINGS, Case

Array = np.ndarray


@dataclass
class Arg:
    """One argument of the reader's function: ``name`` (the parameter), ``value``, and the
    book's name of the array (``"x"``), or, for a list of arrays, of its items with the layer
    of the first one (``"w^{}"``, ``first=2``: w^2, w^3, ...)."""

    name: str
    value: Any
    label: str = ""
    first: int = 2

    def item_label(self, i: int) -> str:
        return self.label.format(self.first + i)

    def describe(self) -> str:
        v = self.value
        if isinstance(v, np.ndarray):
            return f"{self.name} = {self.label} of shape {v.shape}"
        if isinstance(v, list):
            items = ", ".join(f"{self.item_label(i)} {np.shape(a)}" for i, a in enumerate(v))
            return f"{self.name} = [{items}]"
        if callable(v):
            return f"{self.name} = {getattr(v, '__doc__', '') or v.__name__}"
        return f"{self.name} = {v!r}"


@dataclass
class Node:
    """The expected output, for messages: a ``name`` and either a ``shape`` (an array) or
    ``children`` (a tuple or list of outputs)."""

    name: str
    shape: tuple[int, ...] | None = None
    children: list["Node"] | None = None


def _arrays(name: str, label: str, arrays: list[Array], first: int = 2) -> Node:
    return Node(name, children=[Node(label.format(first + i), shape=a.shape) for i, a in enumerate(arrays)])


# -- the functions the reader's code is given ---------------------------------------------------

def _given_sigma(case: Case) -> Callable[[Array], Array]:
    act = case.act

    def sigma(z):
        return act(np.asarray(z, dtype=float))

    sigma.__name__ = sigma.__qualname__ = act.name
    sigma.__doc__ = f"σ, the {act.name}, element-wise"
    return sigma


def _given_sigma_prime(case: Case) -> Callable[[Array], Array]:
    act = case.act

    def sigma_prime(z):
        return act.derivative(np.asarray(z, dtype=float))

    sigma_prime.__name__ = sigma_prime.__qualname__ = f"{act.name}_prime"
    sigma_prime.__doc__ = f"σ', the derivative of the {act.name}, element-wise"
    return sigma_prime


def _given_cost_derivative(case: Case) -> Callable[[Array, Array], Array]:
    cost = case.cost

    def cost_derivative(a, y):
        return cost.derivative(np.asarray(a, dtype=float), np.asarray(y, dtype=float))

    cost_derivative.__name__ = cost_derivative.__qualname__ = f"{cost.name}_derivative"
    cost_derivative.__doc__ = f"∇_a C of the {cost.name.replace('_', '-')} cost, cost_derivative(a, y)"
    return cost_derivative


def _given_backprop(case: Case) -> Callable[..., Any]:
    def backprop(weights, biases, x, y):
        net = Network(case.sizes, case.act, case.cost, weights=weights, biases=biases)
        return net.backprop(x, y)

    backprop.__doc__ = ("bpkit's backprop(weights, biases, x, y) -> (nabla_b, nabla_w), "
                        "summed over the columns of x")
    return backprop


# -- what each task is given and computes --------------------------------------------------------

def _forward(case: Case) -> tuple[list[Array], list[Array]]:
    return slips.forward(case.weights, case.biases, case.x, case.act)


def _deltas(case: Case) -> dict[int, Array]:
    """The right δ^l of every layer l = 2, ..., L, by bpkit's BP1 and BP2."""
    zs, acts = _forward(case)
    delta = {case.L: slips.output_error(acts[-1], case.y, zs[-1], case.act, case.cost)}
    for l in range(case.L - 1, 1, -1):
        delta[l] = slips.hidden_error(case.weights[l - 1], delta[l + 1], zs[l - 2], case.act)
    return delta


def _lists(case: Case) -> tuple[list[Array], list[Array]]:
    return [w.copy() for w in case.weights], [b.copy() for b in case.biases]


def _network_args(case: Case, x_name: str = "x") -> list[Arg]:
    return [Arg("weights", case.weights, "w^{}"), Arg("biases", case.biases, "b^{}"),
            Arg(x_name, case.x, x_name), Arg(x_name.replace("x", "y").replace("X", "Y"), case.y,
                                                  x_name.replace("x", "y").replace("X", "Y"))]


def _functions(case: Case) -> list[Arg]:
    return [Arg("sigma", _given_sigma(case)), Arg("sigma_prime", _given_sigma_prime(case)),
            Arg("cost_derivative", _given_cost_derivative(case))]


def _gradient_spec(case: Case, prefix: str = "nabla") -> Node:
    ref = slips.backprop(*_lists(case), case.x, case.y, case.act, case.cost)
    return Node(f"({prefix}_b, {prefix}_w)", children=[
        _arrays(f"{prefix}_b", "∂C/∂b^{}", ref[0]), _arrays(f"{prefix}_w", "∂C/∂w^{}", ref[1])])


def _parameter_spec(case: Case) -> Node:
    return Node("(weights, biases)", children=[_arrays("weights", "w^{}", case.weights),
                                               _arrays("biases", "b^{}", case.biases)])


@dataclass(frozen=True)
class Task:
    """One exercise.

    ``params`` are the reader's parameters, ``returns`` what the function returns and
    ``equation`` what it computes, in the book's notation; ``reread`` the section that teaches
    it; ``batch`` and ``settings`` which cases it is tried on (see
    :func:`~bpkit.exercises.cases.make_cases`); ``mistakes`` the catalogue's keys it can make.
    ``args(case)`` gives the reader's arguments, ``compute(case, slip)`` the output (right with
    ``slip=None``), ``spec(case)`` the expected output's names and shapes.
    """

    name: str
    title: str
    params: tuple[str, ...]
    returns: str
    equation: str
    reread: tuple[str, str]
    batch: str
    settings: tuple[tuple[str, str], ...]
    mistakes: tuple[str, ...]
    args: Callable[[Case], list[Arg]]
    compute: Callable[[Case, str | None], Any]
    spec: Callable[[Case], Node]
    layers: tuple[int, int] = (2, 0)  # first layer, offset of the last from L, for `Case.layer`
    hint: str = ""  # said when the function raises and nothing names the mistake

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.params)})"


_FORWARD_SLIPS = ("sigma_on_input", "forward_stale_activation")
_BACKPROP_SLIPS = _FORWARD_SLIPS + (
    "bp1_no_sigma_prime", "sigma_prime_of_a", "cost_sign", "bp2_no_transpose", "bp2_no_sigma_prime",
    "backward_stale_z", "bp4_transposed", "bp4_wrong_layer", "gradients_reversed", "bp3_flat", "bp3_wrong_axis",
    "bp3_total")
_MATRIX_SLIPS = _BACKPROP_SLIPS + ("bp3_not_summed", "averaged_not_summed", "bp4_outer")
_UPDATE_SLIPS = ("update_sign", "not_averaged", "m_from_rows", "online_update")

TASKS: dict[str, Task] = {t.name: t for t in [
    Task(
        "forward", "the forward pass", ("weights", "biases", "x", "sigma"),
        "(zs, activations): zs = [z^2, ..., z^L] and activations = [a^1, ..., a^L], a^1 = x",
        "z^l = w^l a^(l−1) + b^l and a^l = σ(z^l) for l = 2, ..., L", ("02_notation", "From components to vectors"),
        "both", SETTINGS, _FORWARD_SLIPS,
        lambda c: _network_args(c)[:3] + [Arg("sigma", _given_sigma(c))],
        lambda c, slip: slips.forward(c.weights, c.biases, c.x, c.act, slip),
        lambda c: Node("(zs, activations)", children=[_arrays("zs", "z^{}", _forward(c)[0]),
                                                      _arrays("activations", "a^{}", _forward(c)[1], first=1)])),
    Task(
        "bp1", "BP1, the output error", ("a_L", "y", "z_L", "sigma_prime"),
        "δ^L, an array of the shape of z^L", "BP1 for the quadratic cost: δ^L = (a^L − y) ⊙ σ'(z^L)",
        ("05_four_equations", "BP1: the error of the output layer"), "both", QUADRATIC_ONLY,
        ("bp1_no_sigma_prime", "sigma_prime_of_a", "cost_sign"),
        lambda c: [Arg("a_L", _forward(c)[1][-1], f"a^{c.L}"), Arg("y", c.y, "y"),
                   Arg("z_L", _forward(c)[0][-1], f"z^{c.L}"), Arg("sigma_prime", _given_sigma_prime(c))],
        lambda c, slip: slips.output_error(_forward(c)[1][-1], c.y, _forward(c)[0][-1], c.act, c.cost, slip),
        lambda c: Node(f"δ^{c.L}", shape=c.y.shape)),
    Task(
        "bp2", "BP2, the error one layer back", ("w_next", "delta_next", "z", "sigma_prime"),
        "δ^l, an array of the shape of z^l", "BP2: δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l)",
        ("05_four_equations", "BP2: the error, one layer back"), "both", SETTINGS,
        ("bp2_no_transpose", "bp2_no_sigma_prime"),
        lambda c: [Arg("w_next", c.weights[c.layer - 1], f"w^{c.layer + 1}"),
                   Arg("delta_next", _deltas(c)[c.layer + 1], f"δ^{c.layer + 1}"),
                   Arg("z", _forward(c)[0][c.layer - 2], f"z^{c.layer}"), Arg("sigma_prime", _given_sigma_prime(c))],
        lambda c, slip: slips.hidden_error(c.weights[c.layer - 1], _deltas(c)[c.layer + 1], _forward(c)[0][c.layer - 2],
                                           c.act, slip, a=_forward(c)[1][c.layer - 1]),
        lambda c: Node(f"δ^{c.layer}", shape=(c.sizes[c.layer - 1], c.m)), layers=(2, 1)),
    Task(
        "bp3", "BP3, the gradient of the biases", ("delta",),
        "∂C/∂b^l, a column of shape (n_l, 1): the sum over the examples",
        "BP3: ∂C/∂b^l_j = δ^l_j, summed over the columns (the examples) of δ^l",
        ("05_four_equations", "BP3 and BP4: the gradients of the biases and the weights"), "both", SETTINGS,
        ("bp3_not_summed", "bp3_wrong_axis", "bp3_flat", "bp3_total", "averaged_not_summed"),
        lambda c: [Arg("delta", _deltas(c)[c.layer], f"δ^{c.layer}")],
        lambda c, slip: slips.bias_gradient(_deltas(c)[c.layer], slip),
        lambda c: Node(f"∂C/∂b^{c.layer}", shape=(c.sizes[c.layer - 1], 1))),
    Task(
        "bp4", "BP4, the gradient of the weights", ("delta", "a_prev"),
        "∂C/∂w^l, of the shape (n_l, n_(l−1)) of w^l: the sum over the examples",
        "BP4: ∂C/∂w^l_jk = a^(l−1)_k δ^l_j, i.e. δ^l (a^(l−1))^T",
        ("05_four_equations", "BP3 and BP4: the gradients of the biases and the weights"), "both", SETTINGS,
        ("bp4_transposed", "bp4_outer", "averaged_not_summed"),
        lambda c: [Arg("delta", _deltas(c)[c.layer], f"δ^{c.layer}"),
                   Arg("a_prev", _forward(c)[1][c.layer - 2], f"a^{c.layer - 1}")],
        lambda c, slip: slips.weight_gradient(_deltas(c)[c.layer], _forward(c)[1][c.layer - 2], slip),
        lambda c: Node(f"∂C/∂w^{c.layer}", shape=c.weights[c.layer - 2].shape)),
    Task(
        "backprop", "backpropagation for one example",
        ("weights", "biases", "x", "y", "sigma", "sigma_prime", "cost_derivative"),
        "(nabla_b, nabla_w): nabla_b[i] = ∂C_x/∂b^(i+2) and nabla_w[i] = ∂C_x/∂w^(i+2), of the shapes of biases[i] and weights[i]",
        "the forward pass, then BP1, BP2 for l = L−1, ..., 2, and BP3 and BP4 in every layer",
        ("07_algorithm", "Ng's pseudocode, line by line"), "one", SETTINGS, _BACKPROP_SLIPS,
        lambda c: _network_args(c) + _functions(c),
        lambda c, slip: slips.backprop(*_lists(c), c.x, c.y, c.act, c.cost, slip),
        _gradient_spec),
    Task(
        "backprop_matrix", "backpropagation for a mini-batch, in matrix form",
        ("weights", "biases", "X", "Y", "sigma", "sigma_prime", "cost_derivative"),
        "(nabla_b, nabla_w), each summed over the m columns (examples) of X",
        "the matrix form: every step on all m columns at once; BP3 and BP4 sum over the columns",
        ("07_algorithm", "The matrix form"), "many", SETTINGS, _MATRIX_SLIPS,
        lambda c: _network_args(c, "X") + _functions(c),
        lambda c, slip: slips.backprop(*_lists(c), c.x, c.y, c.act, c.cost, slip),
        _gradient_spec),
    Task(
        "accumulate", "Ng's loop: accumulate the gradients of a mini-batch",
        ("weights", "biases", "X", "Y", "backprop"),
        "(Delta_b, Delta_w): the sums over the columns of X of each example's (nabla_b, nabla_w)",
        "Δb^l = Σ_x ∂C_x/∂b^l and Δw^l = Σ_x ∂C_x/∂w^l, one example (one column X[:, [i]]) at a time",
        ("07_algorithm", "Ng's pseudocode, line by line"), "many", SETTINGS,
        ("accumulate_assign", "averaged_not_summed"),
        lambda c: _network_args(c, "X") + [Arg("backprop", _given_backprop(c))],
        lambda c, slip: slips.accumulate(c.weights, c.biases, c.x, c.y, c.act, c.cost, slip),
        lambda c: _gradient_spec(c, "Delta")),
    Task(
        "sgd_step", "one step of gradient descent on a mini-batch",
        ("weights", "biases", "X", "Y", "eta", "backprop"),
        "(weights, biases): the new w^l and b^l, lists of the same shapes",
        "w^l → w^l − (η/m) Σ_x ∂C_x/∂w^l and b^l → b^l − (η/m) Σ_x ∂C_x/∂b^l, m = the columns of X",
        ("07_algorithm", "Ng's pseudocode, line by line"), "many", SETTINGS, _UPDATE_SLIPS,
        lambda c: _network_args(c, "X") + [Arg("eta", c.eta), Arg("backprop", _given_backprop(c))],
        lambda c, slip: slips.update(c.weights, c.biases, c.x, c.y, c.eta, c.act, c.cost, slip),
        _parameter_spec),
    Task(
        "update_mini_batch", "a whole training step: backprop and the update",
        ("weights", "biases", "X", "Y", "eta", "sigma", "sigma_prime", "cost_derivative"),
        "(weights, biases): the new w^l and b^l after one step on the mini-batch X, Y",
        "backprop in matrix form, then w^l → w^l − (η/m) Σ_x ∂C_x/∂w^l and b^l → b^l − (η/m) Σ_x ∂C_x/∂b^l",
        ("07_algorithm", "The matrix form"), "many", SETTINGS,
        # np.outer's (n_l m, n_(l−1) m) matrix cannot be subtracted from w^l on any network: that
        # mistake raises here, always; check_backprop_matrix and check_bp4 name it
        tuple(k for k in _MATRIX_SLIPS if k != "bp4_outer") + _UPDATE_SLIPS + ("update_during_backward",),
        lambda c: _network_args(c, "X") + [Arg("eta", c.eta)] + _functions(c),
        lambda c, slip: slips.update(c.weights, c.biases, c.x, c.y, c.eta, c.act, c.cost, slip),
        _parameter_spec,
        hint="To find which part goes wrong, grade the parts on their own: check_backprop_matrix "
             "for the gradient, then check_sgd_step for the update."),
]}
