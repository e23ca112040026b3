"""The Python side of the in-page engine: net_dict / network_from_dict; how the widget modules
are bundled (every stepper's module carries the engine; the static copy's parts)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import bpkit
from bpkit.widgets import _bundle
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


@pytest.mark.parametrize("widget", ["pass_stepper", "loop_stepper", "playground"])
def test_every_computing_widget_module_carries_the_engine(widget):
    src = module_source(f"widgets/{widget}.js")
    engine, own = src.index('__bp["engine/equations.js"] = '), src.index(f'__bp["widgets/{widget}.js"] = ')
    assert engine < own < src.index("export default")
    assert src.count("function bpBackprop(") == 1 and src.count("export ") == 1  # one scope, one export


def test_static_parts_register_once_and_draw():
    """The static copy's parts: dependency order, each registered with ??= (a second copy does
    nothing), the widget's own part last and booting the page's copies."""
    parts = _bundle.static_parts("widgets/pass_stepper.js")
    paths = [p for p, _ in parts]
    assert paths[-1] == "widgets/pass_stepper.js" and "page/model.js" in paths
    assert paths.index("engine/matrix.js") < paths.index("engine/equations.js") < paths.index("engine/trace.js")
    for path, script in parts:
        assert f'__bp["{path}"] ??= (() =>' in script
    assert parts[-1][1].rstrip().endswith('__bp["page/model.js"].bpBoot(__bp); }')
    # model, the answers remembered, dom, the question, selfcheck
    assert len({p for p, _ in _bundle.static_parts("widgets/selfcheck.js")}) == 5


def test_bundler_refuses_what_it_cannot_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(_bundle, "JS", tmp_path)
    _bundle.parse.cache_clear()
    try:
        (tmp_path / "a.js").write_text('import x from "./b.js";\nexport const A = 1;\n')
        with pytest.raises(SyntaxError, match="only `import"):
            _bundle.parse("a.js")
        (tmp_path / "c.js").write_text('import { B } from "./d.js";\nexport const C = 1;\n')
        (tmp_path / "d.js").write_text('import { C } from "./c.js";\nexport const B = 1;\n')
        with pytest.raises(ImportError, match="cycle"):
            _bundle.order("c.js")
        (tmp_path / "e.js").write_text('import { Z } from "./d.js";\n')
        with pytest.raises(ImportError, match="does not export"):
            _bundle.order("e.js")
        (tmp_path / "f.js").write_text('export { A };\n')
        with pytest.raises(SyntaxError, match="only `export"):
            _bundle.parse("f.js")
        (tmp_path / "g.js").write_text('const s = "</script>";\n')
        with pytest.raises(RuntimeError, match="inlined in HTML"):
            _bundle.parse("g.js")
    finally:
        _bundle.parse.cache_clear()
