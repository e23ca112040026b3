"""Matt Mazur's "A Step by Step Backpropagation Example" (2015), reproduced by bpkit.

The post trains a 2-2-2 sigmoid network on one example (inputs 0.05 and 0.10, targets 0.01 and
0.99) with the squared error E = Σ ½(target − out)², learning rate η = 0.5, and biases held
fixed. ``PUBLISHED`` holds the numbers the post prints, as the strings it prints them (they are
citations); :func:`computed` returns bpkit's value of each, read off a :func:`bpkit.trace`.

Mazur's names w1..w8 in the book's notation (w^l_jk from neuron k of layer l−1 to neuron j of
layer l; layer 1 the inputs i, layer 2 the hidden h, layer 3 the outputs o):

====  =========  =========     ====  =========  =========
w1    i1 → h1    w^2_11        w5    h1 → o1    w^3_11
w2    i2 → h1    w^2_12        w6    h2 → o1    w^3_12
w3    i1 → h2    w^2_21        w7    h1 → o2    w^3_21
w4    i2 → h2    w^2_22        w8    h2 → o2    w^3_22
====  =========  =========     ====  =========  =========

His net_h1 is the book's z^2_1 and out_h1 is a^2_1; ∂E/∂net_o1 is δ^3_1.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_whole
from .equations import backpropagate_error, output_error, weight_gradient
from .errors import BpkitTypeError
from .network import Network
from .trace import Trace, trace

X = np.array([[0.05], [0.10]])
Y = np.array([[0.01], [0.99]])
ETA = 0.5

#: Mazur's weight names → (layer l, j, k) of w^l_jk, 1-based as in the book.
WEIGHTS = {"w1": (2, 1, 1), "w2": (2, 1, 2), "w3": (2, 2, 1), "w4": (2, 2, 2),
           "w5": (3, 1, 1), "w6": (3, 1, 2), "w7": (3, 2, 1), "w8": (3, 2, 2)}

#: The values the post prints, in its order, as printed.
PUBLISHED: dict[str, str] = {
    "net_h1": "0.3775",
    "out_h1": "0.593269992",
    "out_h2": "0.596884378",
    "net_o1": "1.105905967",
    "out_o1": "0.75136507",
    "out_o2": "0.772928465",
    "E_o1": "0.274811083",
    "E_o2": "0.023560026",
    "E_total": "0.298371109",
    "dE_total/dout_o1": "0.74136507",
    "dout_o1/dnet_o1": "0.186815602",
    "dnet_o1/dw5": "0.593269992",
    "dE_total/dw5": "0.082167041",
    "w5+": "0.35891648",
    "w6+": "0.408666186",
    "w7+": "0.511301270",
    "w8+": "0.561370121",
    "dE_o1/dnet_o1": "0.138498562",
    "dE_o1/dout_h1": "0.055399425",
    "dE_o2/dout_h1": "-0.019049119",
    "dE_total/dout_h1": "0.036350306",
    "dout_h1/dnet_h1": "0.241300709",
    "dnet_h1/dw1": "0.05",
    "dE_total/dw1": "0.000438568",
    "w1+": "0.149780716",
    "w2+": "0.19956143",
    "w3+": "0.24975114",
    "w4+": "0.29950229",
}

#: The error the post prints after the first update ("After this first round of backpropagation,
#: the total error is now down to 0.291027924"). The textbook order (:func:`train`, the order of
#: the post's worked pass) gives 0.291027774; the output-layer-first order gives the printed
#: digits: see :func:`error_after_first_update`.
PUBLISHED_AFTER_FIRST_UPDATE: dict[str, str] = {"E_total": "0.291027924"}

#: What the post prints after training for 10,000 iterations.
PUBLISHED_AFTER_10000: dict[str, str] = {
    "E_total": "0.0000351085", "out_o1": "0.015912196", "out_o2": "0.984065734",
}


def network() -> Network:
    """The post's network with its initial weights and biases."""
    return Network(
        [2, 2, 2],
        weights=[np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])],
        biases=[np.array([[0.35], [0.35]]), np.array([[0.60], [0.60]])],
    )


def computed(t: Trace | None = None) -> dict[str, float]:
    """bpkit's value of every quantity in :data:`PUBLISHED`, read off one trace of the post's
    network (with the update step, η = 0.5)."""
    if t is None:
        t = trace(network(), X, Y, eta=ETA)
    elif not isinstance(t, Trace) or t.sizes != [2, 2, 2] or t.eta is None:
        raise BpkitTypeError(f"t must be a trace of the post's [2, 2, 2] network with the update (eta given); got {t!r:.80}")
    z2, a2 = t.find("weighted_input", 2).value("z^2"), t.find("activation", 2).value("a^2")
    z3, a3 = t.find("weighted_input", 3).value("z^3"), t.find("activation", 3).value("a^3")
    bp1 = t.find("output_error", 3)
    delta3 = bp1.value("delta^3")
    w3 = t.find("backpropagated_error", 2).value("w^3")
    dC_dw3 = t.find("weight_gradient", 3).value("dC/dw^3")
    dC_dw2 = t.find("weight_gradient", 2).value("dC/dw^2")
    new_w3 = t.find("update", 3).value("w^3 new")
    new_w2 = t.find("update", 2).value("w^2 new")
    back = w3.T @ delta3  # (w^3)^T δ^3, the first factor of BP2
    e = 0.5 * (Y - a3) ** 2
    v = {
        "net_h1": z2[0, 0], "out_h1": a2[0, 0], "out_h2": a2[1, 0], "net_o1": z3[0, 0],
        "out_o1": a3[0, 0], "out_o2": a3[1, 0], "E_o1": e[0, 0], "E_o2": e[1, 0],
        "E_total": t.cost_value,
        "dE_total/dout_o1": bp1.value("nabla_a C")[0, 0],
        "dout_o1/dnet_o1": bp1.value("sigma'(z^3)")[0, 0],
        "dnet_o1/dw5": a2[0, 0], "dE_total/dw5": dC_dw3[0, 0],
        "dE_o1/dnet_o1": delta3[0, 0],
        "dE_o1/dout_h1": delta3[0, 0] * w3[0, 0], "dE_o2/dout_h1": delta3[1, 0] * w3[1, 0],
        "dE_total/dout_h1": back[0, 0],
        "dout_h1/dnet_h1": t.find("backpropagated_error", 2).value("sigma'(z^2)")[0, 0],
        "dnet_h1/dw1": X[0, 0], "dE_total/dw1": dC_dw2[0, 0],
    }
    for name, (l, j, k) in WEIGHTS.items():
        v[name + "+"] = (new_w3 if l == 3 else new_w2)[j - 1, k - 1]
    return {k: float(v[k]) for k in PUBLISHED}


def train(iterations: int = 10_000, output_layer_first: bool = False) -> Network:
    """Repeat the post's update ``iterations`` times: w → w − η ∂E/∂w with the biases fixed.

    By default every gradient is computed with the old weights, then all are updated: the
    textbook algorithm, and the order of the post's worked pass. With ``output_layer_first``,
    w^3 (Mazur's w5..w8) is updated first and BP2 then carries δ^3 back through the *new*
    w^3; this order reproduces the outputs the post prints after 10,000 iterations.
    """
    iterations = check_whole(iterations, "iterations", 0, " (of the update)")
    net = network()
    for _ in range(iterations):
        if not output_layer_first:
            _, nabla_w = net.backprop(X, Y)
            for w, nw in zip(net.weights, nabla_w):
                w -= ETA * nw
            continue
        zs, activations = net.forward(X)
        delta = output_error(net.cost.derivative(activations[2], Y), zs[1], net.output_activation, activations[2])  # BP1
        net.w(3)[...] -= ETA * weight_gradient(delta, activations[1])  # BP4, then update w5..w8
        delta = backpropagate_error(net.w(3), delta, zs[0], net.activation, activations[1])  # BP2, new w^3
        net.w(2)[...] -= ETA * weight_gradient(delta, activations[0])  # BP4, then update w1..w4
    return net


def error_after_first_update(output_layer_first: bool = False) -> float:
    """E_total = Σ ½(target − out)² after one update of the post's network (biases fixed).

    With ``output_layer_first`` the hidden layer's error is carried back through the updated
    w5..w8 (see :func:`train`); that order gives the post's printed 0.291027924, the textbook
    order 0.291027774.
    """
    return train(1, output_layer_first=output_layer_first).cost_value(X, Y)


def tolerance(printed: str) -> float:
    """Half a unit in the last printed digit: agreement 'to the printed precision'."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return 0.5 * 10.0 ** -decimals
