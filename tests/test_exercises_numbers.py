"""The wrong numbers of the static book's questions (bpkit.exercises.numbers): each is what the
reader's code with that one mistake computes (the mutants of tests/exercises_code.py, written
independently), the right one is bpkit's, and the decimals asked tell them all apart."""

from __future__ import annotations

import numpy as np
import pytest

import bpkit
from bpkit.errors import BpkitError, LayerIndexError
from bpkit.exercises.numbers import as_latex, digits_apart, wrong_numbers
from bpkit.widgets.selfcheck import text_html
from exercises_code import mutant


@pytest.fixture(scope="module")
def setting():
    rng = np.random.default_rng(11)
    net = bpkit.Network([4, 6, 5, 3], seed=11)
    return net, rng.normal(size=(4, 3)), rng.uniform(0.05, 0.95, size=(3, 3))


def _readers(net, x, y, key, eta=None):
    """What the reader's code with the mistake `key` computes: the gradients, or the update."""
    act, cost = net.activation, net.cost
    weights, biases = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    if eta is None:
        return mutant("backprop_matrix", key)(weights, biases, x, y, act, act.derivative, cost.derivative)
    return mutant("update_mini_batch", key)(weights, biases, x, y, eta, act, act.derivative, cost.derivative)


@pytest.mark.parametrize("quantity, l, j, k, eta", [
    ("delta", 3, 2, None, None), ("bias_gradient", 2, 4, None, None), ("weight_gradient", 3, 2, 5, None),
    ("updated_weight", 2, 6, 3, 0.8), ("updated_bias", 4, 1, None, 0.8),
])
def test_each_wrong_number_is_what_the_readers_code_with_that_mistake_computes(setting, quantity, l, j, k, eta):
    net, x, y = setting
    if quantity == "delta":
        x, y = x[:, [0]], y[:, [0]]
    numbers = wrong_numbers(quantity, net, x, y, l, j, k, eta)
    index = (j - 1, k - 1) if k else (j - 1, 0)
    pick = {"delta": (0, 0), "bias_gradient": (0, 0), "weight_gradient": (0, 1), "updated_weight": (1, 0),
            "updated_bias": (1, 1)}[quantity]

    def value(out):
        return float(np.asarray(out[pick[1]][l - 2])[index])

    right = value(net.backprop(x, y)) if eta is None else None
    if right is not None:
        assert numbers.right == pytest.approx(right, rel=1e-12)
    assert len(numbers.wrong) >= 3
    for v, found in numbers.wrong:
        for m in found:
            readers = value(_readers(net, x, y, m.key, eta))
            assert v == pytest.approx(readers, rel=1e-9, abs=1e-15), m.key
    d = numbers.digits()
    values = sorted([numbers.right] + [v for v, _ in numbers.wrong])
    assert all(b - a > 10.0 ** -d for a, b in zip(values, values[1:]))


def test_digits_apart_is_the_fewest_decimals_that_separate():
    assert digits_apart([0.1, 0.2]) == 2
    assert digits_apart([0.1, 0.1002]) == 4
    with pytest.raises(BpkitError, match="differ by only"):
        digits_apart([0.1, 0.1 + 1e-12])


def test_bad_requests_are_refused_in_the_books_notation(setting):
    net, x, y = setting
    with pytest.raises(BpkitError, match="quantity must be one of"):
        wrong_numbers("gradient", net, x, y, 2, 1)
    with pytest.raises(BpkitError, match="one example"):
        wrong_numbers("delta", net, x, y, 2, 1)
    with pytest.raises(LayerIndexError, match="layer l=3 has neurons j = 1..5 fed by k = 1..6"):
        wrong_numbers("weight_gradient", net, x, y, 3, 6, 1)
    with pytest.raises(BpkitError, match="learning rate"):
        wrong_numbers("updated_weight", net, x, y, 3, 1, 1)
    with pytest.raises(TypeError, match="bpkit.Network"):
        wrong_numbers("delta", "net", x, y, 3, 1)


def test_the_diagnoses_are_typeset_in_the_page():
    assert as_latex("w^l_jk and a^(l−1) (δ^l)^T") == "$w^{l}_{jk}$ and $a^{(l-1)}$ ($δ^{l}$)ᵀ"
    net = bpkit.Network([3, 4, 2], seed=1)
    numbers = wrong_numbers("delta", net, np.ones((3, 1)), np.array([[1.0], [0.0]]), 3, 1)
    for _, text in numbers.mistakes():
        assert "<math" in text_html(text, "mistake") and "Reread chapter" in text
