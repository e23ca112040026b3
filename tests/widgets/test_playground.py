"""The playground: its Python side, and its in-page training (engine.js in node) against bpkit.

The parity test runs the playground's own training functions (``bpEpochBatches`` orders the
mini-batches, ``bpTrainBatches`` steps through them with the engine's BP1–BP4 and update) in
node, then replays the SAME mini-batches, from the same starting weights, with bpkit's
``update_mini_batch_matrix``; every weight and bias must agree to a relative 1e-10.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import bpkit
from bpkit.train import update_mini_batch_matrix
from bpkit.widgets import Playground
from bpkit.widgets.engine import net_dict, network_from_dict
from bpkit.widgets.playground import dataset, delta_equations, playground_network
from jsrun import run_js

MODULES = ["engine/network.js", "engine/sgd.js", "engine/train.js", "widgets/playground.js"]


def run_node(tmp_path: Path, script: str, payload: dict) -> dict:
    """Run ``script`` (with ``input`` bound to payload) against the engine and the playground's
    module in node; the names are in scope, and also reachable as ``pg.NAME``."""
    return run_js("const pg = { bpMeanCost, bpEpochBatches, bpTrainBatches, bpInitNet, pgAddress, pgToAddress, pgFromAddress };\n"
                  + script, payload, modules=MODULES)


def rel_close(a, b, rtol=1e-10) -> bool:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return bool(np.all(np.abs(a - b) <= rtol * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))))


@pytest.mark.parametrize("name, hidden, activation, eta, m, epochs", [
    ("xor", [3], "tanh", 1.0, 4, 40),
    ("xor", [], "sigmoid", 3.0, 1, 25),
    ("spirals", [8, 8], "relu", 0.3, 10, 6),
    ("spirals", [5, 4, 3], "sigmoid", 1.0, 20, 4),
])
def test_in_page_training_equals_bpkit(tmp_path, name, hidden, activation, eta, m, epochs):
    data = dataset(name)
    net = playground_network(name, hidden, activation, seed=3)
    out = run_node(tmp_path, """
        const batches = [];
        for (let e = 1; e <= input.epochs; e += 1) batches.push(...pg.bpEpochBatches(input.n, input.m, 3, e));
        const net = pg.bpTrainBatches(input.net, input.X, input.Y, input.eta, batches);
        return { batches, net, cost: pg.bpMeanCost(net, input.X, input.Y) };
    """, {"net": net_dict(net), "X": data.X.tolist(), "Y": data.Y.tolist(), "eta": eta, "m": m,
          "n": data.n, "epochs": epochs})
    # every epoch visits each example once, in runs of m
    per_epoch = -(-data.n // m)
    assert len(out["batches"]) == epochs * per_epoch
    for e in range(epochs):
        seen = sorted(i for b in out["batches"][e * per_epoch:(e + 1) * per_epoch] for i in b)
        assert seen == list(range(data.n))
    # bpkit, from the same weights, through the same mini-batches
    for idx in out["batches"]:
        update_mini_batch_matrix(net, data.X[:, idx], data.Y[:, idx], eta)
    page = network_from_dict(out["net"])
    for l in range(2, net.num_layers + 1):
        assert rel_close(page.w(l), net.w(l)), f"w^{l}"
        assert rel_close(page.b(l), net.b(l)), f"b^{l}"
    assert rel_close(out["cost"], net.cost_value(data.X, data.Y))
    # and it learned something (the test is not of a network that stands still)
    start = playground_network(name, hidden, activation, seed=3)
    assert not np.allclose(start.w(2), net.w(2))


def test_batches_are_seeded(tmp_path):
    out = run_node(tmp_path, """
        return [pg.bpEpochBatches(10, 4, 1, 1), pg.bpEpochBatches(10, 4, 1, 1),
                pg.bpEpochBatches(10, 4, 1, 2), pg.bpEpochBatches(10, 4, 2, 1)];
    """, {})
    assert out[0] == out[1]
    assert [len(b) for b in out[0]] == [4, 4, 2]
    assert out[0] != out[2] and out[0] != out[3]


def test_page_start_is_scaled_and_seeded(tmp_path):
    out = run_node(tmp_path, """
        const a = pg.bpInitNet([2, 8, 8, 1], "tanh", "sigmoid", "cross_entropy", 5);
        const b = pg.bpInitNet([2, 8, 8, 1], "tanh", "sigmoid", "cross_entropy", 5);
        const c = pg.bpInitNet([2, 8, 8, 1], "tanh", "sigmoid", "cross_entropy", 6);
        return [a, b, c];
    """, {})
    a, b, c = out
    assert a == b and a != c
    net = network_from_dict(a)  # the shapes bpkit expects
    assert net.sizes == [2, 8, 8, 1]


def test_address_round_trip_and_bad_addresses(tmp_path):
    """The table-driven codec (js/page/codec.js): a configuration survives the address; a
    tampered, truncated or older address keeps what it can read and says what it could not."""
    p = Playground()
    out = run_node(tmp_path, """
        const codec = pg.pgAddress(input.data, input.sets);
        const cfg = { dataset: "spirals", hidden: [4, 2], activation: "relu", eta: 0.3, batch: 10, seed: 7, limit: 2000, target: null };
        const text = codec.encode(pg.pgToAddress(cfg, 12));
        const read = (t) => { const r = codec.decode(t); return { value: pg.pgFromAddress(r.value), problems: r.problems }; };
        return [text, read(text), read("v:2,data:nope,hidden:99,act:relu,eta:-1,epoch:3"),
                read("data:xor,hidden:4-4,act:tanh,eta:1,m:4,seed:0,epoch:12"), read(text.slice(0, 26)),
                read("v:2,eta:1e309,epoch:1e6,hidden:1-2-3-4,seed:%E0%A4%A"), read(""),
                codec.encode(pg.pgToAddress(cfg, 3, { X: [[0.5, -1.25], [2, 0.125]], labels: [0, 1] })),
                read("v:2,pts:0.5_2_0~-1.25_0.125_1~9_9"), read("v:2,pts:" + Array(61).fill("0_0_1").join("~"))];
    """, {"data": p._data, "sets": p._sets})
    text, back, bad, old, cut, huge, empty, with_points, bad_points, many_points = out
    assert text == "v:2,data:spirals,hidden:4-2,act:relu,eta:0.3,m:10,seed:7,limit:2000,epoch:12"
    assert back == {"value": {"dataset": "spirals", "hidden": [4, 2], "activation": "relu", "eta": 0.3, "batch": 10,
                              "seed": 7, "limit": 2000, "epoch": 12}, "problems": []}
    assert bad["value"] == {"activation": "relu", "epoch": 3}  # bad fields are left out, good ones kept
    assert len(bad["problems"]) == 3 and "data must be one of xor, circles, blobs, spirals, spirals3, blobs3" in bad["problems"][0]
    assert old["value"]["hidden"] == [4, 4] and old["problems"] == ["the link was written by an older version of this page"]
    assert cut["value"] == {"dataset": "spirals"} and cut["problems"] == ["hidden must be at least 1"]  # cut at "hidden:4-"
    assert huge["value"] == {} and len(huge["problems"]) == 4
    assert empty["value"] == {} and empty["problems"] == ["the link was written by an older version of this page"]
    # the reader's points: x_y_class, joined by ~ (URI-encoded), kept up to 60 of them
    assert with_points.endswith(",pts:0.5_2_0~-1.25_0.125_1,epoch:3")
    assert bad_points["value"] == {} and bad_points["problems"] == ["pts holds a point that is not x_y_class"]
    assert many_points["value"] == {} and many_points["problems"] == ["pts has more than 60 points"]


def test_widget_state_and_checks():
    p = Playground("spirals", hidden=[4, 4], activation="relu", eta=0.3, batch_size=10, seed=2, key="pg2")
    assert p.net.sizes == [2, 4, 4, 2]
    assert p.net.output_activation.name == "sigmoid" and p.net.cost.name == "cross_entropy"
    d, sets = p._data, p._sets
    assert set(d["equations"]) == {f"BP1:{L}{tag}" for L in range(2, 6) for tag in ("", ":softmax")} | {"BP2:2", "BP2:3", "BP2:4"}
    # the data sets are bpkit.data's, points and classes, with held-out points from another seed
    for name, (make, test) in {"spirals": (lambda: bpkit.spirals(200), lambda: bpkit.spirals(100, seed=1)),
                               "spirals3": (lambda: bpkit.spirals(300, classes=3), lambda: bpkit.spirals(150, seed=1, classes=3)),
                               "circles": (lambda: bpkit.circles(200), lambda: bpkit.circles(100, seed=1)),
                               "blobs": (lambda: bpkit.blobs(200, 2, 0.45), lambda: bpkit.blobs(100, 2, 0.45, seed=1)),
                               "blobs3": (lambda: bpkit.blobs(210, 3, 0.3), lambda: bpkit.blobs(90, 3, 0.3, seed=1))}.items():
        for part, ds in (("train", make()), ("test", test())):
            assert sets[name][part]["X"] == ds.X.tolist() and sets[name][part]["labels"] == ds.labels.tolist(), (name, part)
    assert sets["xor"]["train"]["X"] == bpkit.xor().X.tolist() and sets["xor"]["test"] is None
    assert (sets["spirals3"]["output_activation"], sets["spirals3"]["cost"], sets["spirals3"]["outputs"]) == ("softmax", "log_likelihood", 3)
    assert (sets["circles"]["output_activation"], sets["circles"]["cost"], sets["circles"]["outputs"]) == ("sigmoid", "cross_entropy", 2)
    assert Playground("spirals3", hidden=[5]).net.sizes == [2, 5, 3]
    html = p.to_html()
    assert "http" not in html.replace("http-equiv", "") and html.count("function bpBackprop(") == 1
    assert 'data-bpkit-module="widgets/playground.js"' in html
    with pytest.raises(ValueError, match="at most 3 hidden layers"):
        p.hidden = [2, 2, 2, 2]
    with pytest.raises(ValueError, match="1 to 8 neurons"):
        Playground(hidden=[9])
    with pytest.raises(ValueError, match="dataset must be one of"):
        p.dataset = "moons"
    with pytest.raises(ValueError, match="learning rate"):
        p.eta = -1.0
    with pytest.raises(ValueError, match="activation"):
        p.activation = "softmax"


def test_equations_name_the_layers():
    eq = delta_equations()
    assert "<mn>4</mn>" in eq["BP1:4"]["layer"] and "BP1" in eq["BP1:4"]["caption"]
    assert "<mn>3</mn>" in eq["BP2:2"]["neuron"] and "<mn>2</mn>" in eq["BP2:2"]["neuron"]
    assert "xmlns" not in eq["BP2:3"]["layer"]


def test_page_state_is_json():
    p = Playground("spirals", hidden=[2])
    state = json.loads(json.dumps(p.get_state(), allow_nan=False))
    assert state["_net"]["sizes"] == [2, 2, 2] and state["hidden"] == [2] and state["key"] == "playground"


@pytest.mark.slow
def test_live_page_updates_reach_python():
    """What JupyterLab sends when the page trains (epoch, costs, the network) and when the reader
    changes a setting: Python's traits and ``p.net`` follow; a bad setting is refused."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        def run(code: str) -> str:
            out: list[str] = []

            def hook(msg):
                if msg["msg_type"] == "stream":
                    out.append(msg["content"]["text"])
                elif msg["msg_type"] == "error":
                    raise AssertionError("\n".join(msg["content"]["traceback"]))

            reply = kc.execute_interactive(code, output_hook=hook, timeout=60)
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(out).strip()

        def page_sets(model_id: str, state: dict) -> None:
            msg = kc.session.msg("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state, "buffer_paths": []}})
            kc.shell_channel.send(msg)

        model_id = run("from bpkit.widgets import Playground\np = Playground()\nprint(p.model_id)")
        trained = playground_network("xor", [4], "relu", seed=9)
        page_sets(model_id, {"hidden": [4], "activation": "relu", "epoch": 12, "costs": [0.7, 0.5, None],
                             "_net": net_dict(trained)})
        shown = run("print(p.hidden, p.activation, p.epoch, p.costs, p.net.sizes, p.net.activation.name, "
                    "float(p.net.w(2)[3, 1]))")
        assert shown == f"[4] relu 12 [0.7, 0.5, None] [2, 4, 1] relu {float(trained.w(2)[3, 1])}"
        page_sets(model_id, {"hidden": [4, 4, 4, 4]})  # refused: at most 3 hidden layers
        assert run("print(p.hidden)") == "[4]"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
