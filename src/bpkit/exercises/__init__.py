"""Exercises with a grader that names the mistake.

Write a function, pass it to its checker, and read the verdict::

    import bpkit.exercises as ex

    def bp1(a_L, y, z_L, sigma_prime):
        return (a_L - y) * sigma_prime(z_L)

    ex.check_bp1(bp1)  # ✓ bp1: right. It agrees with bpkit on 20 networks ...

Each checker tries the function on many random networks (several hidden layers of different
sizes, one example and mini-batches, the sigmoid and tanh, the quadratic and the cross-entropy
cost) and compares it with bpkit. When it is wrong, the verdict names the mistake from a
catalogue of mistakes learners really make (:data:`CATALOGUE`), in the book's notation, with
the section to reread; when no mistake of the catalogue fits, it says which quantity, which
entry and by how much. The function gets copies of the arrays and at most ``time_limit``
seconds per call (:mod:`bpkit.exercises.limit` says how, on every OS).

The checkers and the functions they expect (σ = ``sigma``, σ' = ``sigma_prime``, ∇_a C =
``cost_derivative(a, y)``; lists of arrays are indexed like Nielsen's ``weights[i]`` = w^(i+2)):

==========================  ========================================================================
checker                     the reader's function
==========================  ========================================================================
check_forward               forward(weights, biases, x, sigma) -> (zs, activations)
check_bp1                   bp1(a_L, y, z_L, sigma_prime) -> δ^L, quadratic cost
check_bp2                   bp2(w_next, delta_next, z, sigma_prime) -> δ^l
check_bp3                   bp3(delta) -> ∂C/∂b^l, summed over the columns
check_bp4                   bp4(delta, a_prev) -> ∂C/∂w^l
check_backprop              backprop(weights, biases, x, y, sigma, sigma_prime, cost_derivative)
                            -> (nabla_b, nabla_w), one example
check_backprop_matrix       the same for a mini-batch X, Y: sums over the columns
check_accumulate            accumulate(weights, biases, X, Y, backprop) -> (Delta_b, Delta_w)
check_sgd_step              sgd_step(weights, biases, X, Y, eta, backprop) -> (weights, biases)
check_update_mini_batch     update_mini_batch(weights, biases, X, Y, eta, sigma, sigma_prime,
                            cost_derivative) -> (weights, biases)
==========================  ========================================================================
"""

from __future__ import annotations

from typing import Any, Callable

from .._validate import _short
from ..errors import BpkitTypeError
from .grade import grade
from .mistakes import CATALOGUE, Mistake
from .tasks import TASKS, Task
from .verdict import Verdict

__all__ = [
    "CATALOGUE", "Mistake", "TASKS", "Task", "Verdict", "check_accumulate", "check_backprop", "grad_fn",
    "check_backprop_matrix", "check_bp1", "check_bp2", "check_bp3", "check_bp4", "check_forward",
    "check_sgd_step", "check_update_mini_batch",
]


def _checker(name: str) -> Callable[..., Verdict]:
    task = TASKS[name]

    def check(fn: Callable[..., Any], *, networks: int = 20, seed: int = 0, time_limit: float = 2.0) -> Verdict:
        return grade(task, fn, networks=networks, seed=seed, time_limit=time_limit)

    check.__name__ = check.__qualname__ = f"check_{name}"
    check.__doc__ = (
        f"Grade your `{task.signature}`: {task.title}.\n\n"
        f"It computes {task.equation}, and returns {task.returns}.\n\n"
        f"Args:\n"
        f"    fn: your function (the function itself: ``check_{name}({name})``).\n"
        f"    networks: how many random networks to try it on.\n"
        f"    seed: which random networks.\n"
        f"    time_limit: seconds each call may take before the grader stops it.\n\n"
        f"Returns:\n"
        f"    a :class:`~bpkit.exercises.Verdict`; ``verdict.passed`` is True when it is right,\n"
        f"    ``verdict.mistake`` the catalogue's mistake when one is named.\n")
    return check


check_forward = _checker("forward")
check_bp1 = _checker("bp1")
check_bp2 = _checker("bp2")
check_bp3 = _checker("bp3")
check_bp4 = _checker("bp4")
check_backprop = _checker("backprop")
check_backprop_matrix = _checker("backprop_matrix")
check_accumulate = _checker("accumulate")
check_sgd_step = _checker("sgd_step")
check_update_mini_batch = _checker("update_mini_batch")


def grad_fn(backprop: Callable[..., Any]) -> Callable[[Any, Any, Any], Any]:
    """Your ``backprop(weights, biases, x, y, sigma, sigma_prime, cost_derivative)`` as the
    ``grad_fn(net, x, y)`` that :func:`bpkit.gradient_check` compares with finite differences::

        bpkit.gradient_check(net, x, y, grad_fn=ex.grad_fn(backprop)).by_layer()
    """
    if not callable(backprop):
        raise BpkitTypeError(f"grad_fn needs your backprop function itself; got {_short(backprop)}")

    def as_grad_fn(net: Any, x: Any, y: Any) -> Any:
        act, cost = net.activation, net.cost
        return backprop([w.copy() for w in net.weights], [b.copy() for b in net.biases], x, y,
                        act, act.derivative, cost.derivative)

    as_grad_fn.__name__ = f"grad_fn({getattr(backprop, '__name__', 'backprop')})"
    return as_grad_fn
