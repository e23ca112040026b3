"""``python -m bpkit.symbolic``: run the complete proofs and print how long each takes.

The issue's budget is 10 s for the complete proof for [2, 3, 2] with the generic σ and C on a
2-core machine; the last column is the time as a fraction of that budget.
"""

from __future__ import annotations

import sys
import time

from . import SymbolicNetwork, check_average_cost, check_diagonal_form, compare_with_bpkit, hidden_activation_counterexample

BUDGET = 10.0


def main() -> int:
    ok = True
    runs = [
        ("proof [2, 3, 2] generic σ, generic C", lambda: SymbolicNetwork([2, 3, 2]).prove().holds),
        ("proof [2, 2, 2] generic σ, generic C", lambda: SymbolicNetwork([2, 2, 2]).prove().holds),
        ("proof [3, 2, 2, 1] generic σ, generic C", lambda: SymbolicNetwork([3, 2, 2, 1]).prove().holds),
        ("proof [2, 3, 2] sigmoid, quadratic", lambda: SymbolicNetwork([2, 3, 2], "sigmoid", "quadratic").prove().holds),
        ("proof [2, 3, 2] sigmoid, cross-entropy", lambda: SymbolicNetwork([2, 3, 2], "sigmoid", "cross_entropy").prove().holds),
        ("proof [3, 2, 2, 1] tanh, cross-entropy", lambda: SymbolicNetwork([3, 2, 2, 1], "tanh", "cross_entropy").prove().holds),
        ("assumption 1, [2, 2, 1], 2 examples", lambda: check_average_cost().holds),
        ("assumption 2 counterexample, [2, 2, 1]", lambda: hidden_activation_counterexample().explained),
        ("diagonal form Σ'(z), [2, 3, 2]", lambda: check_diagonal_form(SymbolicNetwork([2, 3, 2])).holds),
        ("lambdify + bpkit, [2, 3, 2] sigmoid", lambda: compare_with_bpkit(SymbolicNetwork([2, 3, 2], "sigmoid", "quadratic")).ok()),
    ]
    for name, run in runs:
        t = time.perf_counter()
        good = run()
        dt = time.perf_counter() - t
        ok &= bool(good)
        print(f"{name:42s} {'ok' if good else 'FAILED':6s} {dt:6.2f} s  {dt / BUDGET:6.1%} of {BUDGET:g} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
