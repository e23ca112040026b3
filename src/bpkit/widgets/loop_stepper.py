"""``LoopStepper``: one mini-batch, example by example, as in Andrew Ng's pseudocode.

The figure reads :func:`bpkit.widgets.trace_loop` (itself built on :func:`bpkit.trace`): the
pseudocode with the line being run marked, the mini-batch with the example being worked on
marked, this example's numbers, and the sums Δw^l, Δb^l growing one example at a time, then
the single update w^l → w^l − (η/m) Δw^l.

>>> import numpy as np, bpkit
>>> from bpkit.widgets import LoopStepper
>>> net = bpkit.Network([2, 2, 1], seed=0)
>>> X, Y = np.array([[0, 0, 1, 1], [0, 1, 0, 1]]), np.array([[0, 1, 1, 0]])
>>> s = LoopStepper(net, X, Y, eta=3.0)
>>> s.trace.Delta_w[0].shape        # Σ_x ∂C_x/∂w^2 over the 4 examples
(2, 2)
"""

from __future__ import annotations

from typing import Any


from ._base import StepperWidget, WidgetValueError, check_network, module_source, stepper_input
from ._format import mathml, notation_html, pack, shown
from .loop import LoopTrace, trace_loop
from .pass_stepper import quantity_label

MAX_EXAMPLES = 12


def _line(*parts: str) -> str:
    """A pseudocode line: text parts as they are, parts between $...$ as MathML."""
    return "".join(mathml(p[1:-1]) if p.startswith("$") else p for p in parts)


def pseudocode(L: int) -> list[dict[str, Any]]:
    """Ng's loop, one dict per line: its HTML, its indent and the step kinds that run it."""
    return [
        {"html": _line("$\\Delta w^{l} = 0$", ", ", "$\\Delta b^{l} = 0$", " for every layer l"), "indent": 0, "kinds": ["init"]},
        {"html": "<b>for</b> each pair (x, y) in the mini-batch:", "indent": 0, "kinds": []},
        {"html": _line("1. set ", "$a^{1} = x$"), "indent": 1, "kinds": ["forward"]},
        {"html": _line("2. forward pass: ", "$a^{l}$", " for l = 2, …, L" + (f" (here l = {L})" if L == 2 else f" = {L}")),
         "indent": 1, "kinds": ["forward"]},
        {"html": _line("3. output error ", f"$\\delta^{{{L}}}$", " from ", f"$a^{{{L}}}$", " and y (BP1)"), "indent": 1, "kinds": ["backward"]},
        {"html": _line("4. backward pass: ", "$\\delta^{l}$", " for l = L − 1, …, 2 (BP2)" + (" (here only l = 2)" if L == 3 else ""))
         if L > 2
         else "4. backward pass: no hidden layer", "indent": 1, "kinds": ["backward"]},
        {"html": _line("5. accumulate: ", "$\\Delta w^{l} \\leftarrow \\Delta w^{l} + \\delta^{l} (a^{l-1})^T$", ", ",
                       "$\\Delta b^{l} \\leftarrow \\Delta b^{l} + \\delta^{l}$"), "indent": 1, "kinds": ["accumulate"]},
        {"html": _line("<b>update</b>: ", "$w^{l} \\to w^{l} - \\frac{\\eta}{m} \\Delta w^{l}$", ", ",
                       "$b^{l} \\to b^{l} - \\frac{\\eta}{m} \\Delta b^{l}$"), "indent": 0, "kinds": ["update"]},
    ]


def loop_data(lt: LoopTrace) -> dict[str, Any]:
    """What the front end draws, from a :class:`~bpkit.widgets.loop.LoopTrace`."""
    L = len(lt.sizes)

    def quantities(qs) -> list[dict[str, Any]]:
        return [{"name": q.name, "label": quantity_label(q.name, q.latex), **pack(q.value)} for q in qs]

    return {
        "sizes": list(lt.sizes), "m": lt.m, "eta": lt.eta,
        "X": pack(lt.X), "Y": pack(lt.Y), "x_rows": shown(lt.sizes[0]), "y_rows": shown(lt.sizes[-1]),
        "pseudocode": pseudocode(L),
        "delta_w_labels": [mathml(rf"\Delta w^{{{l}}}") for l in range(2, L + 1)],
        "delta_b_labels": [mathml(rf"\Delta b^{{{l}}}") for l in range(2, L + 1)],
        "steps": [
            {
                "index": s.index, "kind": s.kind, "example": s.example,
                "caption": s.caption, "caption_html": notation_html(s.caption),
                "mathml": mathml(s.latex, display=True), "quantities": quantities(s.quantities),
                "Delta_w": [pack(d) for d in s.Delta_w], "Delta_b": [pack(d) for d in s.Delta_b],
            }
            for s in lt.steps
        ],
    }


class LoopStepper(StepperWidget):
    """Step through one mini-batch of gradient descent, example by example (Ng's loop).

    Args:
        net: a :class:`bpkit.Network` (small: the figure shows every example's numbers).
        X: the inputs, one example per column, shape (n_1, m) with 1 <= m <= 12.
        Y: the targets, shape (n_L, m).
        eta: the learning rate η > 0 of the update w^l → w^l − (η/m) Δw^l.
        step: the step shown first, an index into ``trace.steps``.
        digits: decimals shown (0 to 9).
        title: the heading of the figure.

    Attributes:
        step: the index of the step shown, synced with the page.
        trace: the :class:`~bpkit.widgets.loop.LoopTrace` drawn (read-only).
        net, X, Y, eta: setting any of them re-traces and re-draws (``retrace()`` sets several).
    """

    _module = "widgets/loop_stepper.js"
    _esm = module_source(_module)
    _inputs = ("net", "X", "Y", "eta")
    _key = "loop"
    net, X, Y, eta = (stepper_input(name) for name in _inputs)

    def __init__(
        self, net: Any, X: Any, Y: Any, eta: float, *,
        step: int = 0, digits: int = 3, title: str | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(inputs={"net": net, "X": X, "Y": Y, "eta": eta}, step=step, digits=digits,
                         title="One mini-batch, example by example" if title is None else title, **kwargs)

    def _traced(self, net: Any, X: Any, Y: Any, eta: Any) -> tuple[dict[str, Any], LoopTrace]:
        X, Y = check_network(net, "LoopStepper").check_xy(X, Y)
        if X.shape[1] > MAX_EXAMPLES:
            raise WidgetValueError(
                f"LoopStepper shows every example of the mini-batch, so it takes at most {MAX_EXAMPLES} "
                f"columns; X has {X.shape[1]}. Pass a smaller mini-batch, e.g. X[:, :{MAX_EXAMPLES}]."
            )
        lt = trace_loop(net, X, Y, eta)
        return {"net": net, "X": lt.X, "Y": lt.Y, "eta": lt.eta}, lt

    _to_data = staticmethod(loop_data)

    def _static_frame(self) -> dict[str, Any]:
        """The pseudocode and the Δ labels (MathML made here) and m; the page computes the steps."""
        return {k: self._data[k] for k in ("pseudocode", "delta_w_labels", "delta_b_labels", "m")}

    def _latex_strings(self) -> tuple[set[str], set[str]]:
        """The loop's equations and symbols: they depend on L and m only, not on the
        activation or the cost, so this trace holds every one the page can reach."""
        steps = self._bp_trace.steps
        return {s.latex for s in steps}, {q.latex for s in steps for q in s.quantities}

    def __repr__(self) -> str:
        return f"LoopStepper(sizes={self._bp_trace.sizes}, m={self._bp_trace.m}{self._where()})"
