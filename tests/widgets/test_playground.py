"""The playground: its Python side, and its in-page training (engine.js in node) against bpkit.

The parity test runs the playground's own training functions (``pgEpochBatches`` orders the
mini-batches, ``pgTrainBatches`` steps through them with the engine's BP1–BP4 and update) in
node, then replays the SAME mini-batches, from the same starting weights, with bpkit's
``update_mini_batch_matrix``; every weight and bias must agree to a relative 1e-10.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import bpkit
from bpkit.train import update_mini_batch_matrix
from bpkit.widgets import Playground
from bpkit.widgets._base import _read
from bpkit.widgets.engine import net_dict, network_from_dict
from bpkit.widgets.playground import dataset, delta_equations, playground_network

NODE = shutil.which("node") or "/usr/bin/node"
EXPORTS = ("pgEpochBatches", "pgTrainBatches", "pgInitNet", "pgReadHash", "pgEncode", "bpMeanCost")


def run_node(tmp_path: Path, script: str, payload: dict) -> dict:
    """Run ``script`` (with ``input`` bound to payload) against the playground's module in node."""
    module = _read("_common.js") + "\n" + _read("engine.js") + "\n" + _read("playground.js")
    module = module.replace("export default { render };", f"export {{ {', '.join(EXPORTS)} }};")
    (tmp_path / "pg.mjs").write_text(module)
    (tmp_path / "run.mjs").write_text(
        "import * as pg from './pg.mjs';\n"
        "import { readFileSync } from 'node:fs';\n"
        "const input = JSON.parse(readFileSync(0, 'utf8'));\n"
        f"const out = (() => {{ {script} }})();\n"
        "process.stdout.write(JSON.stringify(out));\n")
    done = subprocess.run([NODE, str(tmp_path / "run.mjs")], input=json.dumps(payload), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


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
        for (let e = 1; e <= input.epochs; e += 1) batches.push(...pg.pgEpochBatches(input.n, input.m, 3, e));
        const net = pg.pgTrainBatches(input.net, input.X, input.Y, input.eta, batches);
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
        return [pg.pgEpochBatches(10, 4, 1, 1), pg.pgEpochBatches(10, 4, 1, 1),
                pg.pgEpochBatches(10, 4, 1, 2), pg.pgEpochBatches(10, 4, 2, 1)];
    """, {})
    assert out[0] == out[1]
    assert [len(b) for b in out[0]] == [4, 4, 2]
    assert out[0] != out[2] and out[0] != out[3]


def test_page_start_is_scaled_and_seeded(tmp_path):
    out = run_node(tmp_path, """
        const a = pg.pgInitNet([2, 8, 8, 1], "tanh", "sigmoid", "cross_entropy", 5);
        const b = pg.pgInitNet([2, 8, 8, 1], "tanh", "sigmoid", "cross_entropy", 5);
        const c = pg.pgInitNet([2, 8, 8, 1], "tanh", "sigmoid", "cross_entropy", 6);
        return [a, b, c];
    """, {})
    a, b, c = out
    assert a == b and a != c
    net = network_from_dict(a)  # the shapes bpkit expects
    assert net.sizes == [2, 8, 8, 1]


def test_hash_round_trip(tmp_path):
    data = Playground()._data
    out = run_node(tmp_path, """
        const cfg = { dataset: "spirals", hidden: [4, 2], activation: "relu", eta: 0.3, batch: 10, seed: 7 };
        globalThis.location = { hash: "#other=1&pg=" + pg.pgEncode(cfg, 12) };
        const back = pg.pgReadHash("pg", input.data);
        globalThis.location = { hash: "#pg=data:nope,hidden:99,act:relu,eta:-1,epoch:3" };
        return [back, pg.pgReadHash("pg", input.data), pg.pgReadHash("absent", input.data)];
    """, {"data": data})
    assert out[0] == {"dataset": "spirals", "hidden": [4, 2], "activation": "relu", "eta": 0.3, "batch": 10,
                      "seed": 7, "epoch": 12}
    assert out[1] == {"activation": "relu", "epoch": 3}  # bad fields are ignored, good ones kept
    assert out[2] is None


def test_widget_state_and_checks():
    p = Playground("spirals", hidden=[4, 4], activation="relu", eta=0.3, batch_size=10, seed=2, key="pg2")
    assert p.net.sizes == [2, 4, 4, 2]
    assert p.net.output_activation.name == "sigmoid" and p.net.cost.name == "cross_entropy"
    d = p._data
    assert d["datasets"]["spirals"]["X"] == bpkit.spirals(200).X.tolist()
    assert d["datasets"]["xor"]["Y"] == bpkit.xor().Y.tolist()
    assert set(d["equations"]) == {"BP1:2", "BP1:3", "BP1:4", "BP1:5", "BP2:2", "BP2:3", "BP2:4"}
    html = p.to_html()
    assert "http" not in html.replace("http-equiv", "") and html.count("function bpBackprop(") == 1
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
