"""One mini-batch of Ng's per-example loop, recorded step by step: ``trace_loop``.

Andrew Ng's pseudocode for one step of gradient descent on a mini-batch of m pairs (x, y):

    Δw^l = 0, Δb^l = 0 for every layer l
    for each pair (x, y):
        1. set a^1 = x
        2. forward pass: a^l for l = 2, ..., L
        3. output error δ^L from a^L and y (BP1)
        4. backward pass: δ^l for l = L−1, ..., 2 (BP2)
        5. accumulate: Δw^l += ∂C_x/∂w^l = δ^l (a^(l−1))^T (BP4), Δb^l += ∂C_x/∂b^l = δ^l (BP3)
    update: w^l → w^l − (η/m) Δw^l, b^l → b^l − (η/m) Δb^l

Each example's pass is :func:`bpkit.trace` of that one column (nothing here re-implements a
pass); the sums Δ are the loop's own additions; the updated parameters come from
:func:`bpkit.train.update_mini_batch_per_example`, the library's implementation of this very
loop, run on a copy of the network. The tests check that the three agree: Δ equals the matrix
form's sums (:meth:`bpkit.Network.backprop` of the whole mini-batch) and the new w^l equals
w^l − (η/m) Δw^l.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..trace import Quantity, Trace, check_traceable, trace
from ..train import update_mini_batch_per_example
from ._base import check_eta, check_network

Array = np.ndarray
KINDS = ("init", "forward", "backward", "accumulate", "update")


@dataclass
class LoopStep:
    """One step of the loop.

    Attributes:
        index: position in the loop trace, from 0.
        kind: ``"init"``, ``"forward"``, ``"backward"``, ``"accumulate"`` or ``"update"``.
        example: the example i = 1..m this step works on (``None`` for init and update).
        latex: the equation(s) applied.
        caption: one sentence saying what happens.
        quantities: what the step reads and computes, for this example.
        Delta_w, Delta_b: the sums Δw^l, Δb^l (l = 2..L) *after* this step.
    """

    index: int
    kind: str
    example: int | None
    latex: str
    caption: str
    quantities: list[Quantity] = field(default_factory=list)
    Delta_w: list[Array] = field(default_factory=list)
    Delta_b: list[Array] = field(default_factory=list)


@dataclass
class LoopTrace:
    """A recorded mini-batch: the per-example traces, the steps, and the update."""

    sizes: list[int]
    X: Array
    Y: Array
    eta: float
    traces: list[Trace]
    steps: list[LoopStep]
    weights: list[Array]
    biases: list[Array]
    new_weights: list[Array]
    new_biases: list[Array]

    @property
    def m(self) -> int:
        """The number of examples in the mini-batch."""
        return self.X.shape[1]

    @property
    def Delta_w(self) -> list[Array]:
        """The final sums Δw^l = Σ_x ∂C_x/∂w^l, l = 2..L."""
        return self.steps[-1].Delta_w

    @property
    def Delta_b(self) -> list[Array]:
        """The final sums Δb^l = Σ_x ∂C_x/∂b^l, l = 2..L."""
        return self.steps[-1].Delta_b

    def __len__(self) -> int:
        return len(self.steps)


def _q(name: str, latex: str, value: Any) -> Quantity:
    return Quantity(name, latex, np.array(value, dtype=float, copy=True))


def trace_loop(net, X: Any, Y: Any, eta: float) -> LoopTrace:
    """Record one step of gradient descent on the mini-batch (X, Y), example by example.

    X and Y hold one example per column (shapes (n_1, m) and (n_L, m)); ``eta`` is the learning
    rate η > 0. The network is not changed.
    """
    net = check_network(net, "trace_loop")
    eta = check_eta(eta, required=True)
    X, Y = net.check_xy(X, Y)
    # Every example is traced and every step keeps the sums Δ: refuse, before any of it, a
    # network and mini-batch that would copy more than trace's budget of parameters.
    check_traceable(net, "trace_loop", examples=X.shape[1])
    L, m = net.num_layers, X.shape[1]
    layers = range(2, L + 1)
    Delta_w = [np.zeros_like(w) for w in net.weights]  # the accumulators Δ, set to 0
    Delta_b = [np.zeros_like(b) for b in net.biases]
    steps: list[LoopStep] = []

    def add(kind, example, latex, caption, quantities):
        steps.append(LoopStep(len(steps), kind, example, latex, caption, quantities,
                              [d.copy() for d in Delta_w], [d.copy() for d in Delta_b]))

    add("init", None, r"\Delta w^{l} = 0, \quad \Delta b^{l} = 0 \quad (l = 2, \ldots, " f"{L})",
        f"Before the loop: every accumulator Δw^l and Δb^l starts at zero, one per layer l = 2..{L}.", [])

    traces = []
    for i in range(1, m + 1):
        x, y = X[:, [i - 1]], Y[:, [i - 1]]
        tr = trace(net, x, y)  # one example's forward and backward pass, by bpkit
        traces.append(tr)
        a_L = tr.find("activation", L).value(f"a^{L}")
        add("forward", i,
            rf"a^{{1}} = x_{{{i}}}, \quad a^{{l}} = \sigma(w^{{l}} a^{{l-1}} + b^{{l}}) \quad (l = 2, \ldots, {L})",
            f"Example {i} of {m}: set a^1 = x_{i} and run the forward pass up to the output a^{L}, then its cost C_x.",
            [_q(f"x_{i}", rf"x_{{{i}}}", x), _q(f"a^{L}", f"a^{{{L}}}", a_L), _q(f"y_{i}", rf"y_{{{i}}}", y),
             _q("C_x", "C_x", tr.find("cost", L).value("C_x"))])
        deltas = [_q(f"delta^{l}", rf"\delta^{{{l}}}", tr.find("output_error" if l == L else "backpropagated_error", l).value(f"delta^{l}"))
                  for l in range(L, 1, -1)]
        add("backward", i,
            rf"\delta^{{{L}}} \text{{ by BP1}}, \quad \delta^{{l}} = ((w^{{l+1}})^T \delta^{{l+1}}) \odot \sigma'(z^{{l}})",
            f"Example {i}: the output error δ^{L} (BP1), then the errors of the earlier layers (BP2); BP3 and BP4 turn them into this example's gradients.",
            deltas
            + [_q(f"dC/dw^{l}", rf"\partial C_x / \partial w^{{{l}}}", tr.nabla_w[l - 2]) for l in layers]
            + [_q(f"dC/db^{l}", rf"\partial C_x / \partial b^{{{l}}}", tr.nabla_b[l - 2]) for l in layers])
        sums = []
        for l in layers:  # 5. accumulate the partial derivatives
            before_w, before_b = Delta_w[l - 2], Delta_b[l - 2]
            Delta_w[l - 2] = before_w + tr.nabla_w[l - 2]
            Delta_b[l - 2] = before_b + tr.nabla_b[l - 2]
            sums += [_q(f"Delta w^{l} before", rf"\Delta w^{{{l}}}", before_w),
                     _q(f"dC/dw^{l}", rf"\partial C_x / \partial w^{{{l}}}", tr.nabla_w[l - 2]),
                     _q(f"Delta w^{l}", rf"\Delta w^{{{l}}}", Delta_w[l - 2]),
                     _q(f"Delta b^{l} before", rf"\Delta b^{{{l}}}", before_b),
                     _q(f"dC/db^{l}", rf"\partial C_x / \partial b^{{{l}}}", tr.nabla_b[l - 2]),
                     _q(f"Delta b^{l}", rf"\Delta b^{{{l}}}", Delta_b[l - 2])]
        add("accumulate", i,
            r"\Delta w^{l} \leftarrow \Delta w^{l} + \frac{\partial C_x}{\partial w^{l}}, \quad "
            r"\Delta b^{l} \leftarrow \Delta b^{l} + \frac{\partial C_x}{\partial b^{l}}",
            f"Example {i}: add its gradients to the sums; Δ now holds the sum over {i} of the {m} examples.",
            sums)

    updated = net.copy()
    update_mini_batch_per_example(updated, X, Y, eta)  # the library's own per-example loop
    quantities = []
    for l in layers:
        quantities += [_q(f"w^{l}", f"w^{{{l}}}", net.w(l)), _q(f"Delta w^{l}", rf"\Delta w^{{{l}}}", Delta_w[l - 2]),
                       _q(f"w^{l} new", f"w^{{{l}}}", updated.w(l)), _q(f"b^{l}", f"b^{{{l}}}", net.b(l)),
                       _q(f"Delta b^{l}", rf"\Delta b^{{{l}}}", Delta_b[l - 2]), _q(f"b^{l} new", f"b^{{{l}}}", updated.b(l))]
    add("update", None,
        r"w^{l} \to w^{l} - \frac{\eta}{m} \Delta w^{l}, \quad b^{l} \to b^{l} - \frac{\eta}{m} \Delta b^{l}",
        f"After the loop, one update with the mean gradient: η/m = {eta:g}/{m} times the sums Δ.",
        quantities)

    return LoopTrace(
        sizes=list(net.sizes), X=X, Y=Y, eta=eta, traces=traces, steps=steps,
        weights=[w.copy() for w in net.weights], biases=[b.copy() for b in net.biases],
        new_weights=[w.copy() for w in updated.weights], new_biases=[b.copy() for b in updated.biases],
    )
