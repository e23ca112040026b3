"""``PassStepper``: one forward and one backward pass, one equation at a time.

The figure reads :func:`bpkit.trace` (nothing here re-implements a pass): at each step it
draws the network with the layer being computed and the values feeding it marked, the equation
applied (MathML), the numbers that go in and come out (rounded to ``digits`` decimals), "Step k
of N" and the trace's caption. Previous, Next, Reset, Play/Pause and the arrow keys move
through the steps.

>>> import numpy as np, bpkit
>>> from bpkit.widgets import PassStepper
>>> net = bpkit.Network([2, 3, 2], seed=1)
>>> s = PassStepper(net, np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]]))
>>> s.step = 3                      # shows s.trace.steps[3] (the page says "Step 4 of 12")
>>> s.x = np.array([[1.0], [2.0]])  # re-traces and re-draws, at the same step
"""

from __future__ import annotations

from typing import Any


from ..trace import Trace, trace
from ._base import StepperWidget, check_eta, check_network, module_source, stepper_input
from ._format import mathml, notation_html, pack, shown

def quantity_label(name: str, latex: str) -> str:
    """The label of a quantity on the page: its MathML, with "new" for an updated parameter."""
    return ("new " if name.endswith(" new") else "") + mathml(latex)


def pass_data(tr: Trace) -> dict[str, Any]:
    """What the front end draws, from a :class:`~bpkit.Trace`: the sizes, the neurons drawn per
    layer, and every step with its MathML, caption and packed quantities."""

    def quantities(qs) -> list[dict[str, Any]]:
        return [{"name": q.name, "label": quantity_label(q.name, q.latex), **pack(q.value)} for q in qs]

    return {
        "sizes": list(tr.sizes),
        "shown": [shown(n) for n in tr.sizes],
        "activation": tr.activation,
        "output_activation": tr.output_activation,
        "cost": tr.cost,
        "eta": tr.eta,
        "steps": [
            {
                "index": s.index, "phase": s.phase, "kind": s.kind, "layer": s.layer,
                "equation": s.equation, "caption": s.caption,
                "caption_html": notation_html(s.caption), "mathml": mathml(s.latex, display=True),
                "inputs": quantities(s.inputs), "outputs": quantities(s.outputs),
            }
            for s in tr.steps
        ],
    }


class PassStepper(StepperWidget):
    """Step through one forward and one backward pass of ``net`` on one example (x, y).

    Args:
        net: a :class:`bpkit.Network` (any size; layers of more than 6 neurons and matrices
            larger than 6 × 6 are summarised, first and last entries shown).
        x: the input, one column of shape (n_1, 1).
        y: the target, one column of shape (n_L, 1).
        eta: optional learning rate η > 0; the steps then end with the gradient-descent update
            w^l → w^l − η ∂C/∂w^l, b^l → b^l − η ∂C/∂b^l of every layer.
        step: the step shown first, an index into ``trace.steps`` (0 = a^1 = x).
        digits: decimals shown; every number is rounded to this many (0 to 8).
        title: the heading of the figure.

    Attributes:
        step: the index of the step shown, synced with the page (read it, or set it to move
            the figure); the page shows it as "Step step+1 of n_steps".
        trace: the :class:`bpkit.Trace` drawn (read-only).
        net, x, y, eta: setting any of them re-traces and re-draws (``retrace()`` sets
            several at once, e.g. a new network with inputs of a new size).
    """

    _esm = module_source("pass_stepper.js")
    _inputs = ("net", "x", "y", "eta")
    net, x, y, eta = (stepper_input(name) for name in _inputs)

    def __init__(
        self, net: Any, x: Any, y: Any, eta: float | None = None, *,
        step: int = 0, digits: int = 3, title: str | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(inputs={"net": net, "x": x, "y": y, "eta": eta}, step=step, digits=digits,
                         title="One forward and backward pass, step by step" if title is None else title, **kwargs)

    def _traced(self, net: Any, x: Any, y: Any, eta: Any) -> tuple[dict[str, Any], Trace]:
        net = check_network(net, "PassStepper")
        eta = check_eta(eta)
        x, y = net.check_xy(x, y)
        if x.shape[1] != 1:
            raise ValueError(
                f"PassStepper traces one example: x must be one column of shape ({net.sizes[0]}, 1); "
                f"got shape {x.shape}. Use LoopStepper to step through a mini-batch."
            )
        return {"net": net, "x": x, "y": y, "eta": eta}, trace(net, x, y, eta)

    _to_data = staticmethod(pass_data)

    def __repr__(self) -> str:
        return f"PassStepper(sizes={self._bp_trace.sizes}{self._where()})"
