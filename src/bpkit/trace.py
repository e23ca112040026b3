"""One forward and one backward pass, recorded step by step as plain data.

``trace(net, x, y)`` runs the same functions as :meth:`bpkit.Network.backprop` (the forward
step, the cost, BP1, BP2, BP3, BP4), in the same order, and records each application as a
:class:`Step`: the layer, the equation in the book's notation, a one-line caption, and the
arrays that went in and came out. ``Trace.to_dict()`` is JSON-ready; the widgets and the
worked examples of the book read it, so nothing else re-implements the passes.

Steps, for a network of L layers:

1. ``input``: a^1 = x
2. for l = 2, ..., L: ``weighted_input`` z^l = w^l a^(l−1) + b^l, then ``activation``
   a^l = σ(z^l)
3. ``cost``: C_x
4. ``output_error`` (BP1) δ^L, then ``bias_gradient`` (BP3) and ``weight_gradient`` (BP4) of
   layer L
5. for l = L−1, ..., 2: ``backpropagated_error`` (BP2) δ^l, then BP3 and BP4 of layer l
6. with a learning rate η: ``update`` of w^l and b^l, for l = L, ..., 2
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import equations
from ._validate import _short, check_number
from .errors import BpkitTypeError, SizeError
from .forward import weighted_input
from .network import Network

Array = np.ndarray

#: The most weights and biases a trace records. Each step keeps its own copy of what it reads
#: and computes, so a trace holds each w^l about eight times (w^l, ∂C/∂w^l, the update): for
#: 2,000,000 parameters about 130 MB in float64. Larger networks are refused up front.
MAX_TRACE_PARAMETERS = 2_000_000


def check_traceable(net: Network, who: str, examples: int = 1, limit: int = MAX_TRACE_PARAMETERS) -> None:
    """Refuse, before any work, a network whose trace of ``examples`` examples would copy more
    than ``limit`` parameters' worth of every w^l and b^l, naming the largest w^l."""
    P = net.num_parameters
    if P * examples > limit:
        l = max(range(2, net.L + 1), key=lambda k: net.w(k).size)
        w = net.w(l)
        per = "" if examples == 1 else f" for each of the {examples} examples"
        raise SizeError(
            f"{who} records every w^l and b^l at each step{per}, and this network {net.sizes} has {P:,} "
            f"weights and biases (w^{l} alone is {w.shape[0]} × {w.shape[1]}, {w.nbytes:,} bytes); at most "
            f"{limit:,} in all can be drawn. Trace a smaller network (a few neurons per layer show the "
            f"same equations){' or fewer examples' if examples > 1 else ''}"
        )

PHASES = ("forward", "cost", "backward", "update")


@dataclass
class Quantity:
    """A named array: ``name`` in plain text (``"w^3"``, ``"delta^2"``), ``latex`` as the book
    typesets it, ``value`` a 2-D array (a scalar such as C_x is a 1×1 array)."""

    name: str
    latex: str
    value: Array

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "latex": self.latex, "value": np.asarray(self.value, dtype=float).tolist()}


@dataclass
class Step:
    """One application of one equation to one layer.

    Attributes:
        index: position in the trace, from 0.
        phase: ``"forward"``, ``"cost"``, ``"backward"`` or ``"update"``.
        kind: ``"input"``, ``"weighted_input"``, ``"activation"``, ``"cost"``,
            ``"output_error"``, ``"backpropagated_error"``, ``"bias_gradient"``,
            ``"weight_gradient"`` or ``"update"``.
        layer: the book's layer index l (1 = input layer, L = output layer).
        equation: ``"BP1"`` ... ``"BP4"`` for the four equations, else a short label.
        latex: the equation applied, with this step's layer index.
        caption: one sentence saying what happens.
        inputs, outputs: the quantities read and computed.
    """

    index: int
    phase: str
    kind: str
    layer: int
    equation: str
    latex: str
    caption: str
    inputs: list[Quantity] = field(default_factory=list)
    outputs: list[Quantity] = field(default_factory=list)

    def value(self, name: str) -> Array:
        """The array named ``name`` among this step's outputs, then its inputs."""
        for q in self.outputs + self.inputs:
            if q.name == name:
                return q.value
        raise KeyError(f"step {self.index} ({self.kind}, layer {self.layer}) has no quantity {name!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "phase": self.phase, "kind": self.kind, "layer": self.layer,
            "equation": self.equation, "latex": self.latex, "caption": self.caption,
            "inputs": [q.to_dict() for q in self.inputs], "outputs": [q.to_dict() for q in self.outputs],
        }


@dataclass
class Trace:
    """A recorded pass: the network it ran on, the example, the steps and the results."""

    sizes: list[int]
    activation: str
    output_activation: str
    cost: str
    x: Array
    y: Array
    weights: list[Array]
    biases: list[Array]
    steps: list[Step]
    cost_value: float
    nabla_b: list[Array]
    nabla_w: list[Array]
    eta: float | None = None

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, k: int) -> Step:
        return self.steps[k]

    def find(self, kind: str, layer: int) -> Step:
        """The step of this kind at this layer."""
        for s in self.steps:
            if s.kind == kind and s.layer == layer:
                return s
        raise KeyError(f"no {kind} step at layer l={layer}")

    def to_dict(self) -> dict[str, Any]:
        tolist = lambda arrs: [np.asarray(a, dtype=float).tolist() for a in arrs]  # noqa: E731
        return {
            "sizes": list(self.sizes), "activation": self.activation,
            "output_activation": self.output_activation, "cost": self.cost,
            "x": np.asarray(self.x, dtype=float).tolist(), "y": np.asarray(self.y, dtype=float).tolist(),
            "weights": tolist(self.weights), "biases": tolist(self.biases),
            "cost_value": float(self.cost_value), "nabla_b": tolist(self.nabla_b),
            "nabla_w": tolist(self.nabla_w), "eta": self.eta,
            "steps": [s.to_dict() for s in self.steps],
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), **kwargs)


def _q(name: str, latex: str, value: Any) -> Quantity:
    return Quantity(name, latex, np.array(value, copy=True).reshape(np.shape(value) or (1, 1)))


def trace(net, x: Any, y: Any, eta: float | None = None) -> Trace:
    """Record one forward and one backward pass of ``net`` on the example (x, y).

    x and y are columns (one example); a matrix of several examples is traced too, the
    gradients then being sums over its columns as in :meth:`~bpkit.Network.backprop`. With
    ``eta``, the trace ends with the gradient-descent update w^l → w^l − η ∂C/∂w^l,
    b^l → b^l − η ∂C/∂b^l.
    """
    if not isinstance(net, Network):
        raise BpkitTypeError(f"trace needs a bpkit.Network as net; got {_short(net)}")
    check_traceable(net, "trace")
    x, y = net.check_xy(x, y)
    if eta is not None:
        eta = check_number(eta, "the learning rate η", positive=True)
    L, act, out_act, cost = net.num_layers, net.activation, net.output_activation, net.cost
    steps: list[Step] = []

    def add(phase, kind, layer, equation, latex, caption, inputs, outputs):
        steps.append(Step(len(steps), phase, kind, layer, equation, latex, caption, inputs, outputs))

    # Forward pass ------------------------------------------------------------------------
    a = x
    activations, zs = [x], []
    add("forward", "input", 1, "input", r"a^{1} = x",
        f"The input x becomes the activation a¹ of the {net.sizes[0]} input neurons.",
        [_q("x", "x", x)], [_q("a^1", "a^{1}", x)])
    for l in range(2, L + 1):
        w, b = net.w(l), net.b(l)
        z = weighted_input(w, a, b)
        add("forward", "weighted_input", l, "z = wa + b", rf"z^{{{l}}} = w^{{{l}}} a^{{{l - 1}}} + b^{{{l}}}",
            f"Layer {l} weighs the activations of layer {l - 1} and adds its biases: z^{l}_j = Σ_k w^{l}_jk a^{l - 1}_k + b^{l}_j.",
            [_q(f"w^{l}", f"w^{{{l}}}", w), _q(f"a^{l - 1}", f"a^{{{l - 1}}}", a), _q(f"b^{l}", f"b^{{{l}}}", b)],
            [_q(f"z^{l}", f"z^{{{l}}}", z)])
        sigma = out_act if l == L else act
        a = sigma(z)
        add("forward", "activation", l, "a = σ(z)", rf"a^{{{l}}} = {sigma.latex}(z^{{{l}}})",
            f"Layer {l} applies its activation {sigma.name} to each weighted input.",
            [_q(f"z^{l}", f"z^{{{l}}}", z)], [_q(f"a^{l}", f"a^{{{l}}}", a)])
        zs.append(z)
        activations.append(a)

    # Cost ---------------------------------------------------------------------------------
    c = cost.fn(a, y)
    add("cost", "cost", L, "cost", cost.latex.replace("a^L", f"a^{{{L}}}"),
        f"The {cost.name.replace('_', '-')} cost compares the output a^{L} with the target y.",
        [_q(f"a^{L}", f"a^{{{L}}}", a), _q("y", "y", y)], [_q("C_x", "C_x", c)])

    # Backward pass ------------------------------------------------------------------------
    nabla_b: list[Array] = [np.empty(0)] * (L - 1)
    nabla_w: list[Array] = [np.empty(0)] * (L - 1)

    def gradients(l: int, delta: Array) -> None:
        nb = equations.bias_gradient(delta)
        add("backward", "bias_gradient", l, "BP3",
            rf"\frac{{\partial C}}{{\partial b^{{{l}}}_j}} = \delta^{{{l}}}_j",
            f"BP3: the gradient of the cost with respect to the biases of layer {l} is its error δ^{l}.",
            [_q(f"delta^{l}", rf"\delta^{{{l}}}", delta)], [_q(f"dC/db^{l}", rf"\partial C / \partial b^{{{l}}}", nb)])
        nw = equations.weight_gradient(delta, activations[l - 2])
        add("backward", "weight_gradient", l, "BP4",
            rf"\frac{{\partial C}}{{\partial w^{{{l}}}_{{jk}}}} = a^{{{l - 1}}}_k \delta^{{{l}}}_j",
            f"BP4: the gradient for the weight w^{l}_jk is the activation a^{l - 1}_k it carries times the error δ^{l}_j it feeds.",
            [_q(f"delta^{l}", rf"\delta^{{{l}}}", delta), _q(f"a^{l - 1}", f"a^{{{l - 1}}}", activations[l - 2])],
            [_q(f"dC/dw^{l}", rf"\partial C / \partial w^{{{l}}}", nw)])
        nabla_b[l - 2], nabla_w[l - 2] = nb, nw

    if cost.simplified_output_error(out_act):
        delta = a - y
        add("backward", "output_error", L, "BP1", rf"\delta^{{{L}}} = a^{{{L}}} - y",
            f"BP1: for {out_act.name} with the {cost.name.replace('_', '-')} cost, σ' cancels and the output error is a^{L} − y.",
            [_q(f"a^{L}", f"a^{{{L}}}", a), _q("y", "y", y)], [_q(f"delta^{L}", rf"\delta^{{{L}}}", delta)])
    else:
        nabla_a = cost.derivative(a, y)
        inputs = [_q("nabla_a C", r"\nabla_a C", nabla_a)]
        if out_act.elementwise:
            inputs.append(_q(f"sigma'(z^{L})", rf"\sigma'(z^{{{L}}})", out_act.prime(zs[-1])))
            latex = rf"\delta^{{{L}}} = \nabla_a C \odot \sigma'(z^{{{L}}})"
        else:
            latex = rf"\delta^{{{L}}} = \left(\frac{{\partial a^{{{L}}}}}{{\partial z^{{{L}}}}}\right)^T \nabla_a C"
        delta = equations.output_error(nabla_a, zs[-1], out_act, a)
        add("backward", "output_error", L, "BP1", latex,
            f"BP1: the output error δ^{L} is how fast the cost changes with each output, times how fast each output changes with its weighted input.",
            inputs, [_q(f"delta^{L}", rf"\delta^{{{L}}}", delta)])
    gradients(L, delta)
    for l in range(L - 1, 1, -1):
        w_next = net.w(l + 1)
        new_delta = equations.backpropagate_error(w_next, delta, zs[l - 2], act)
        add("backward", "backpropagated_error", l, "BP2",
            rf"\delta^{{{l}}} = \left((w^{{{l + 1}}})^T \delta^{{{l + 1}}}\right) \odot \sigma'(z^{{{l}}})",
            f"BP2: the error δ^{l + 1} moves back through the transposed weights w^{l + 1} and through σ' of layer {l}.",
            [_q(f"w^{l + 1}", f"w^{{{l + 1}}}", w_next), _q(f"delta^{l + 1}", rf"\delta^{{{l + 1}}}", delta),
             _q(f"sigma'(z^{l})", rf"\sigma'(z^{{{l}}})", act.prime(zs[l - 2]))],
            [_q(f"delta^{l}", rf"\delta^{{{l}}}", new_delta)])
        delta = new_delta
        gradients(l, delta)

    # Update -------------------------------------------------------------------------------
    if eta is not None:
        for l in range(L, 1, -1):
            w_new = net.w(l) - eta * nabla_w[l - 2]
            b_new = net.b(l) - eta * nabla_b[l - 2]
            add("update", "update", l, "update",
                rf"w^{{{l}}} \to w^{{{l}}} - \eta \frac{{\partial C}}{{\partial w^{{{l}}}}}, \quad b^{{{l}}} \to b^{{{l}}} - \eta \frac{{\partial C}}{{\partial b^{{{l}}}}}",
                f"Gradient descent moves the weights and biases of layer {l} a step η = {eta:g} against their gradients.",
                [_q(f"w^{l}", f"w^{{{l}}}", net.w(l)), _q(f"dC/dw^{l}", rf"\partial C / \partial w^{{{l}}}", nabla_w[l - 2]),
                 _q(f"b^{l}", f"b^{{{l}}}", net.b(l)), _q(f"dC/db^{l}", rf"\partial C / \partial b^{{{l}}}", nabla_b[l - 2])],
                [_q(f"w^{l} new", f"w^{{{l}}}", w_new), _q(f"b^{l} new", f"b^{{{l}}}", b_new)])

    return Trace(
        sizes=list(net.sizes), activation=act.name, output_activation=out_act.name, cost=cost.name,
        x=x, y=y, weights=[w.copy() for w in net.weights], biases=[b.copy() for b in net.biases],
        steps=steps, cost_value=float(c), nabla_b=nabla_b, nabla_w=nabla_w, eta=eta,
    )
