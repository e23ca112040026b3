"""The playground's training run (js/engine/run.js) against bpkit.sgd in the page's own order.

In one node process, runs of the two figures of chapter 11 train 700 epochs (more than
MAX_SNAPSHOTS, so the snapshots are thinned), then replay epochs 0, 1, 37, 256, 300, 511, 699
and 700 from their snapshots:

* every replayed network is, bit for bit, the network a run stopped at that epoch holds;
* on XOR, each replayed network, its recorded cost and its count of right answers equal what
  bpkit.sgd gives after that many epochs from the same start with
  ``batches=page_batches(n, m, seed)`` (relative 1e-10);
* on the spirals the same holds up to epoch 40. Later the two runs part: NumPy's matrix
  products add in another order, the runs differ by ~1e-15 at first, and a phase of
  training where the cost jumps (η = 0.3 sends it to 1.8 times its start) amplifies that to
  1e-13 at epoch 60 and 0.2 by epoch 80 (measured). No summation order is the right one; the
  page replays its own run exactly, and matches bpkit while the arithmetic allows.

The snapshots never exceed their bound. The stop rules are bpkit.sgd's: η = 30 stops at the
epoch where sgd raises DivergenceError, with its words.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import bpkit
from bpkit.train import page_batches
from bpkit.widgets.engine import net_dict, network_from_dict
from bpkit.widgets.playground import dataset, playground_network
from jsrun import run_js

MODULES = ["engine/run.js"]
EPOCHS, REPLAY = 700, [0, 1, 37, 256, 300, 511, 699, 700]


def run_page(name, hidden, eta, m, seed=4):
    d = dataset(name)
    start = playground_network(name, hidden, "tanh", 0)
    out = run_js("""
        const mk = (o) => new TrainingRun({ net: input.net, X: input.X, Y: input.Y, test: null, eta: input.eta, m: input.m,
                                            seed: input.seed, maxEpochs: 5000, target: {}, ...o });
        const run = mk({});
        run.trainWhile((k) => k < input.epochs);
        const replay = input.replay.map((e) => run.at(e).toNet());
        const direct = input.replay.map((e) => { const r = mk({}); r.trainWhile(() => r.epoch < e); return r.net.toNet(); });
        const wild = mk({ eta: 30 });
        wild.trainWhile(() => true);
        const target = mk({ target: { accuracy: 0.8 } });
        target.trainWhile(() => true);
        const limit = mk({ maxEpochs: 25 });
        limit.trainWhile(() => true);
        return { replay, direct, costs: Array.from(run.costs.subarray(0, run.epoch + 1)), correct: Array.from(run.correct.subarray(0, run.epoch + 1)),
                 snaps: run.snaps.map((s) => s.epoch), stride: run.stride, bytes: run.snapshotBytes(), count: run.net.count,
                 wild: wild.stopped, target: [target.stopped, target.epoch, target.accuracy()], limit: limit.stopped };
    """, {"net": net_dict(start), "X": d.X.tolist(), "Y": d.Y.tolist(), "epochs": EPOCHS, "replay": REPLAY,
          "eta": eta, "m": m, "seed": seed}, modules=MODULES)
    return d, start, out


@pytest.fixture(scope="module")
def page():
    return run_page("spirals", [8, 8], 0.3, 10)


@pytest.fixture(scope="module")
def xor_page():
    return run_page("xor", [3], 1.0, 4)


def test_replay_is_the_run_itself(page, xor_page):
    for _, _, out in (page, xor_page):
        assert out["replay"] == out["direct"]


@pytest.mark.parametrize("which, last", [("xor_page", 700), ("page", 40)])
def test_replay_equals_bpkit_sgd(request, which, last):
    d, start, out = request.getfixturevalue(which)
    m, eta = (4, 1.0) if d.n == 4 else (10, 0.3)
    net, done = start.copy(), 0
    order = page_batches(d.n, m, seed=4)
    costs = [net.cost_value(d.X, d.Y)]
    checks = [e for e in REPLAY if e <= last] + ([last] if last not in REPLAY else [])
    for e in sorted(checks):
        if e > done:
            shifted = lambda k, base=done: order(base + k)  # noqa: E731 - epochs continue where the last call stopped
            costs += bpkit.sgd(net, d, e - done, m, eta, batches=shifted, progress=False).training_cost
            done = e
        if e not in REPLAY:
            continue
        replayed = network_from_dict(out["replay"][REPLAY.index(e)])
        for l in range(2, net.L + 1):
            np.testing.assert_allclose(replayed.w(l), net.w(l), rtol=1e-10, atol=1e-12, err_msg=f"w^{l} at epoch {e}")
            np.testing.assert_allclose(replayed.b(l), net.b(l), rtol=1e-10, atol=1e-12, err_msg=f"b^{l} at epoch {e}")
        assert out["correct"][e] == round(net.accuracy(d.X, d.Y) * d.n)
    np.testing.assert_allclose(out["costs"][:done + 1], costs, rtol=1e-10)


def test_snapshots_stay_within_their_bound(page):
    _, start, out = page
    snaps = out["snaps"]
    assert len(snaps) <= 256 and out["stride"] == 4 and snaps[0] == 0 and all(e % 4 == 0 for e in snaps)
    assert out["count"] == sum(w.size + b.size for w, b in zip(start.weights, start.biases))
    assert out["bytes"] == 256 * out["count"] * 8


def test_stops_as_bpkit_sgd_stops(page):
    d, start, out = page
    net = start.copy()
    with warnings.catch_warnings(), pytest.raises(bpkit.errors.DivergenceError) as info:
        warnings.simplefilter("ignore")
        bpkit.sgd(net, d, 50, 10, 30.0, batches=page_batches(d.n, 10, seed=4), progress=False)
    wild = out["wild"]
    assert wild["kind"] == "diverged" and wild["epoch"] == info.value.epoch
    assert wild["message"].startswith(f"gradient descent diverged: after epoch {info.value.epoch}")
    assert "Try a smaller learning rate η (e.g. 3)" in wild["message"]
    stopped, epoch, acc = out["target"]
    assert stopped["kind"] == "target" and acc >= 0.8 and "reached" in stopped["message"] and str(epoch) in stopped["message"]
    assert out["limit"]["kind"] == "limit" and out["limit"]["epoch"] == 25 and "limit of 25 epochs" in out["limit"]["message"]
