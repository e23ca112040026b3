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

import dataclasses
from typing import Any

import numpy as np

from ..trace import Quantity, Trace, trace
from ._base import StepperWidget, WidgetValueError, check_eta, check_network, module_source, stepper_input
from ._format import mathml, notation_html, pack, shown

#: The choices the page offers: any element-wise hidden activation; any output activation with
#: the quadratic cost; cross-entropy after sigmoid outputs and log-likelihood after softmax (the
#: pairings whose outputs lie where the cost is defined).
HIDDEN = ("sigmoid", "tanh", "relu", "identity")
OUTPUT = ("sigmoid", "tanh", "relu", "identity", "softmax")
COST_OUTPUTS = {"quadratic": list(OUTPUT), "cross_entropy": ["sigmoid"], "log_likelihood": ["softmax"]}


def combos() -> list[tuple[str, str, str]]:
    """Every (activation, output activation, cost) the page lets a reader pick."""
    return [(h, o, c) for h in HIDDEN for c, outs in COST_OUTPUTS.items() for o in outs]


def hold_biases(tr: Trace) -> Trace:
    """The trace with Mazur's rule: the update moves the weights only, the biases stay.

    Each update step keeps its inputs; its output ``b^l new`` becomes b^l itself, its equation
    w^l → w^l − η ∂C/∂w^l, and its caption says so. (In the page, ``holdBiases`` in
    js/widgets/pass_stepper.js makes the same strings from the engine's trace.)
    """
    steps = []
    for s in tr.steps:
        if s.kind == "update":
            b = next(q for q in s.inputs if q.name == f"b^{s.layer}")
            outputs = [q if not q.name.startswith("b^") else Quantity(q.name, q.latex, b.value.copy()) for q in s.outputs]
            inputs = [q for q in s.inputs if not q.name.startswith("dC/db")]  # the held biases read no gradient
            s = dataclasses.replace(s, latex=held_latex(s.layer), caption=held_caption(s.caption), inputs=inputs,
                                    outputs=outputs)
        steps.append(s)
    return dataclasses.replace(tr, steps=steps)


def held_latex(l: int) -> str:
    return rf"w^{{{l}}} \to w^{{{l}}} - \eta \frac{{\partial C}}{{\partial w^{{{l}}}}}, \quad b^{{{l}}} \text{{ unchanged}}"


def held_caption(caption: str) -> str:
    return caption.replace("weights and biases", "weights").replace(
        "against their gradients.", "against their gradients; Mazur keeps the biases fixed.")


def mazur_options() -> dict[str, Any]:
    """Mazur's names for every entry the pass stepper shows (see :mod:`bpkit.mazur`), his neuron
    names, and his words for each step."""
    from ..mazur import WEIGHTS

    w = {2: [["", ""], ["", ""]], 3: [["", ""], ["", ""]]}
    for name, (l, j, k) in WEIGHTS.items():
        w[l][j - 1][k - 1] = name
    col = lambda *names: [[n] for n in names]  # noqa: E731
    names = {"x": col("i1", "i2"), "a^1": col("i1", "i2"), "y": col("target_o1", "target_o2"),
             "z^2": col("net_h1", "net_h2"), "a^2": col("out_h1", "out_h2"),
             "z^3": col("net_o1", "net_o2"), "a^3": col("out_o1", "out_o2"), "C_x": col("E_total"),
             "nabla_a C": col("\u2202E_total/\u2202out_o1", "\u2202E_total/\u2202out_o2"),
             "sigma'(z^3)": col("\u2202out_o1/\u2202net_o1", "\u2202out_o2/\u2202net_o2"),
             "sigma'(z^2)": col("\u2202out_h1/\u2202net_h1", "\u2202out_h2/\u2202net_h2"),
             "delta^3": col("\u2202E_total/\u2202net_o1", "\u2202E_total/\u2202net_o2"),
             "delta^2": col("\u2202E_total/\u2202net_h1", "\u2202E_total/\u2202net_h2"),
             "b^2": col("b1", "b1"), "b^3": col("b2", "b2"),
             "dC/db^2": col("\u2202E_total/\u2202b1 (h1)", "\u2202E_total/\u2202b1 (h2)"),
             "dC/db^3": col("\u2202E_total/\u2202b2 (o1)", "\u2202E_total/\u2202b2 (o2)")}
    for l in (2, 3):
        names[f"w^{l}"] = w[l]
        names[f"dC/dw^{l}"] = [["\u2202E_total/\u2202" + n for n in row] for row in w[l]]
        names[f"w^{l} new"] = [[n + "+" for n in row] for row in w[l]]
        names[f"b^{l} new"] = names[f"b^{l}"]
    words = {
        "input:1": "Mazur's inputs: i1 and i2.",
        "weighted_input:2": "net_h1 = w1 \u00b7 i1 + w2 \u00b7 i2 + b1 \u00b7 1, and net_h2 = w3 \u00b7 i1 + w4 \u00b7 i2 + b1 \u00b7 1.",
        "activation:2": "out_h1 = 1 / (1 + e^(\u2212net_h1)), and the same for out_h2 (the logistic function).",
        "weighted_input:3": "net_o1 = w5 \u00b7 out_h1 + w6 \u00b7 out_h2 + b2 \u00b7 1, and net_o2 = w7 \u00b7 out_h1 + w8 \u00b7 out_h2 + b2 \u00b7 1.",
        "activation:3": "out_o1 = 1 / (1 + e^(\u2212net_o1)), and the same for out_o2.",
        "cost:3": "E_total = \u03a3 \u00bd (target \u2212 output)\u00b2 = E_o1 + E_o2.",
        "output_error:3": "\u2202E_total/\u2202net_o1 = \u2202E_total/\u2202out_o1 \u00b7 \u2202out_o1/\u2202net_o1 (the chain rule, for o1 and o2).",
        "bias_gradient:3": "Mazur never needs \u2202E_total/\u2202b2: he does not update his biases.",
        "weight_gradient:3": "\u2202E_total/\u2202w5 = \u2202E_total/\u2202net_o1 \u00b7 out_h1, and likewise for w6, w7 and w8.",
        "backpropagated_error:2": "\u2202E_total/\u2202out_h1 = \u2202E_o1/\u2202out_h1 + \u2202E_o2/\u2202out_h1, times \u2202out_h1/\u2202net_h1 (and the same for h2).",
        "bias_gradient:2": "Mazur never needs \u2202E_total/\u2202b1: he does not update his biases.",
        "weight_gradient:2": "\u2202E_total/\u2202w1 = \u2202E_total/\u2202net_h1 \u00b7 i1, and likewise for w2, w3 and w4.",
        "update:3": "w5+ = w5 \u2212 \u03b7 \u00b7 \u2202E_total/\u2202w5, and likewise w6+, w7+, w8+; b2 stays as it is.",
        "update:2": "w1+ = w1 \u2212 \u03b7 \u00b7 \u2202E_total/\u2202w1, and likewise w2+, w3+, w4+; b1 stays as it is.",
    }
    return {"names": names, "neurons": [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]], "words": words,
            "cost_name": "E_total", "language": "Mazur"}

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
        digits: decimals shown; every number is rounded to this many (0 to 9).
        update_biases: False keeps the biases fixed in the update (Mazur's rule).
        title: the heading of the figure.

    Attributes:
        step: the index of the step shown, synced with the page (read it, or set it to move
            the figure); the page shows it as "Step step+1 of n_steps".
        trace: the :class:`bpkit.Trace` drawn (read-only).
        net, x, y, eta: setting any of them re-traces and re-draws (``retrace()`` sets
            several at once, e.g. a new network with inputs of a new size).
    """

    _module = "widgets/pass_stepper.js"
    _esm = module_source(_module)
    _inputs = ("net", "x", "y", "eta")
    _key = "pass"
    net, x, y, eta = (stepper_input(name) for name in _inputs)

    def __init__(
        self, net: Any, x: Any, y: Any, eta: float | None = None, *,
        step: int = 0, digits: int = 3, title: str | None = None, update_biases: bool = True,
        options: dict[str, Any] | None = None, **kwargs: Any,
    ) -> None:
        self._update_biases = bool(update_biases)
        options = {"update_biases": self._update_biases} | dict(options or {})
        super().__init__(inputs={"net": net, "x": x, "y": y, "eta": eta}, step=step, digits=digits,
                         title="One forward and backward pass, step by step" if title is None else title,
                         options=options, **kwargs)

    @classmethod
    def mazur(cls, **kwargs: Any) -> "PassStepper":
        """Mazur's worked example (:mod:`bpkit.mazur`) in his words: w1…w8, net_h1, out_o1,
        E_total; nine decimals; the biases fixed, as in his post."""
        from .. import mazur

        kwargs.setdefault("digits", 9)
        kwargs.setdefault("title", "Mazur's example, step by step")
        return cls(mazur.network(), mazur.X, mazur.Y, eta=mazur.ETA, update_biases=False,
                   options=mazur_options(), **kwargs)

    def _latex_strings(self) -> tuple[set[str], set[str]]:
        """Every step's equation and every quantity's symbol for each activation and cost the
        page offers, with and without η (the page's engine writes the same strings)."""
        net, x, y = self._args["net"], self._args["x"], self._args["y"]
        from ..network import Network

        display, inline = set(), set()
        for h, o, c in combos():
            probe = Network(net.sizes, activation=h, output_activation=o, cost=c,
                            weights=net.weights, biases=net.biases)
            t = self._held(trace(probe, x, np.full_like(y, 0.5), 0.5))
            for s in t.steps:
                display.add(s.latex)
                inline.update(q.latex for q in [*s.inputs, *s.outputs])
        return display, inline

    def _held(self, tr: Trace) -> Trace:
        return tr if self._update_biases else hold_biases(tr)

    def _traced(self, net: Any, x: Any, y: Any, eta: Any) -> tuple[dict[str, Any], Trace]:
        net = check_network(net, "PassStepper")
        eta = check_eta(eta)
        x, y = net.check_xy(x, y)
        if x.shape[1] != 1:
            raise WidgetValueError(
                f"PassStepper traces one example: x must be one column of shape ({net.sizes[0]}, 1); "
                f"got shape {x.shape}. Use LoopStepper to step through a mini-batch."
            )
        return {"net": net, "x": x, "y": y, "eta": eta}, self._held(trace(net, x, y, eta))

    _to_data = staticmethod(pass_data)

    def __repr__(self) -> str:
        return f"PassStepper(sizes={self._bp_trace.sizes}{self._where()})"
