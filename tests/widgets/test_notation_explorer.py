"""NotationExplorer, Python side: the values are the network's, the selection is checked."""

from __future__ import annotations

import numpy as np
import pytest

import bpkit
from bpkit.widgets import NotationExplorer


def test_values_are_the_network_parameters(net):
    e = NotationExplorer(net)
    d = e._data
    assert d["sizes"] == [2, 3, 2]
    for packed, w in zip(d["weights"] + d["biases"], net.weights + net.biases):
        assert packed["shape"] == list(w.shape)
        np.testing.assert_array_equal(np.array(packed["v"]), w)
    assert e.selected == [] and e.selected_value is None


def test_selection_names_the_book_indices(net):
    e = NotationExplorer(net, selected=("w", 3, 2, 1))
    assert e.selected == ["w", 3, 2, 1]
    assert e.selected_value == net.weights[1][1, 0]        # w^3_21: row j−1 = 1, column k−1 = 0
    e.selected = ["b", 2, 3]
    assert e.selected_value == net.biases[0][2, 0]
    e.selected = None
    assert e.selected == []


@pytest.mark.parametrize("bad, error, message", [
    (["w", 1, 1, 1], IndexError, "layer l=1 has no weights; they exist for l = 2, ..., L = 3"),
    (["b", 4, 1], IndexError, "layer l=4 has no biases"),
    (["w", 3, 3, 1], IndexError, "j=3 is not a neuron of layer l=3, which has neurons j = 1..2"),
    (["w", 3, 1, 4], IndexError, "k=4 is not a neuron of layer l−1=2, which has neurons k = 1..3"),
    (["w", 3, 0, 1], IndexError, "j=0 is not a neuron"),
    (["w", 3, 1], ValueError, r'must be \["w", l, j, k\]'),
    (["z", 2, 1], ValueError, r'must be \["w", l, j, k\]'),
    (["w", 3, 1.0, 1], TypeError, "j must be a whole number; got 1.0"),
    ("w321", TypeError, "selected must be"),
])
def test_bad_selection(net, bad, error, message):
    """A bad selection raises a bpkit error (a layer or neuron that does not exist: LayerIndexError,
    an IndexError) and leaves the selection as it was."""
    e = NotationExplorer(net, selected=["b", 2, 1])
    with pytest.raises(error, match=message) as info:
        e.selected = bad
    assert isinstance(info.value, bpkit.errors.BpkitError)
    assert e.selected == ["b", 2, 1]


def test_new_network_redraws_and_keeps_a_valid_selection(net):
    e = NotationExplorer(net, selected=["w", 3, 2, 3])
    other = bpkit.Network([2, 3, 2], seed=9)
    e.net = other
    assert e.selected == ["w", 3, 2, 3] and e.selected_value == other.w(3)[1, 2]
    np.testing.assert_array_equal(np.array(e._data["weights"][1]["v"]), other.w(3))
    e.net = bpkit.Network([4, 2], seed=0)                 # w^3 no longer exists
    assert e.selected == [] and e._data["sizes"] == [4, 2]
    with pytest.raises(TypeError, match="NotationExplorer needs a bpkit.Network"):
        e.net = None


def test_static_html_has_no_url(net):
    page = NotationExplorer(net)._repr_mimebundle_()[0]["text/html"]
    assert "http" not in page and 'data-bpkit-part="widgets/notation_explorer.js"' in page
