"""The Python side of the in-page engine: net_dict / network_from_dict, and every widget module
carrying engine.js."""

from __future__ import annotations

import json

import numpy as np
import pytest

import bpkit
from bpkit.widgets._base import module_source
from bpkit.widgets.engine import KEYS, net_dict, network_from_dict


@pytest.mark.parametrize("kwargs", [
    {},
    {"activation": "relu", "output_activation": "softmax", "cost": "log_likelihood"},
    {"activation": "tanh", "output_activation": "sigmoid", "cost": "cross_entropy"},
])
def test_net_dict_round_trip(kwargs):
    net = bpkit.Network([3, 4, 2, 2], seed=3, **kwargs)
    d = net_dict(net)
    assert tuple(d) == KEYS
    assert json.loads(json.dumps(d)) == d  # plain JSON, nothing lost
    assert d["weights"][1][1][0] == net.w(3)[1, 0] and d["biases"][0][3] == [net.b(2)[3, 0]]
    twin = network_from_dict(json.loads(json.dumps(d)))
    assert twin.sizes == net.sizes and repr(twin) == repr(net)
    for l in range(2, net.L + 1):
        np.testing.assert_array_equal(twin.w(l), net.w(l))
        np.testing.assert_array_equal(twin.b(l), net.b(l))


def test_net_dict_of_float32_gives_float64_numbers():
    net = bpkit.Network([2, 2], seed=0, dtype=np.float32)
    assert net_dict(net)["weights"][0][0][0] == float(net.w(2)[0, 0])


def test_network_from_dict_refuses_bad_dicts():
    d = net_dict(bpkit.Network([2, 3, 1], seed=0))
    with pytest.raises(TypeError, match="needs a dict"):
        network_from_dict([1, 2])
    with pytest.raises(ValueError, match="lacks cost"):
        network_from_dict({k: v for k, v in d.items() if k != "cost"})
    with pytest.raises(ValueError, match="unknown keys eta"):
        network_from_dict(d | {"eta": 1.0})
    with pytest.raises(ValueError, match=r"w\^3 must be a matrix"):
        network_from_dict(d | {"weights": [d["weights"][0], [[1.0, 2.0], [3.0]]]})
    with pytest.raises(ValueError, match=r"w\^3 \(layer l=3 \(the output layer L\): 1 neurons fed by the 3 of layer l=2\) must have shape \(1, 3\)"):
        network_from_dict(d | {"weights": [d["weights"][0], [[1.0, 2.0]]]})
    with pytest.raises(ValueError, match="unknown cost"):
        network_from_dict(d | {"cost": "hinge"})
    with pytest.raises(TypeError, match="needs a bpkit.Network"):
        net_dict(d)


@pytest.mark.parametrize("widget", ["pass_stepper.js", "loop_stepper.js", "notation_explorer.js"])
def test_every_widget_module_carries_the_engine(widget):
    src = module_source(widget)
    common, engine = src.index("function bpStaticModel("), src.index("function bpTrace(")
    assert common < engine < src.index("export default")
