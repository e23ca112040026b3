"""The fast training loop of the page (js/engine/fast.js) against the readable engine and bpkit.

Random networks (every pairing of hidden activation, output activation and cost the page can
reach), random data and the page's own mini-batch order (bpEpochBatches), all in ONE node
process:

* fastEpoch, run for a few epochs, gives the same weights as bpTrainBatches, the readable
  engine, bit for bit (the same operations in the same order, on typed arrays);
* both equal bpkit.sgd run with ``batches=page_batches(n, m, seed)``, relative 1e-10 (NumPy's
  matrix products may add in another order);
* fastEvaluate's mean cost equals bpMeanCost's and its count of right answers bpkit's;
* the page's order is bpkit.train.page_batches's, list for list.
"""

from __future__ import annotations

import numpy as np
import pytest

import bpkit
from bpkit.train import page_batches
from bpkit.widgets.engine import net_dict, network_from_dict
from jsrun import run_js

MODULES = ["engine/fast.js", "engine/train.js", "engine/sgd.js", "engine/network.js"]
PAIRS = [("sigmoid", "cross_entropy"), ("softmax", "log_likelihood"), ("sigmoid", "quadratic"), ("softmax", "quadratic"),
         ("identity", "quadratic")]
HIDDEN = ("sigmoid", "tanh", "relu", "identity")


def cases(count=24):
    rng = np.random.default_rng(17)
    out = []
    for i in range(count):
        out_act, cost = PAIRS[i % len(PAIRS)]
        hidden = [int(h) for h in rng.integers(1, 6, rng.integers(0, 4))]
        n_out = int(rng.integers(2, 4)) if out_act == "softmax" else int(rng.integers(1, 3))
        net = bpkit.Network([2, *hidden, n_out], HIDDEN[i % 4], cost, output_activation=out_act, seed=i)
        n = int(rng.integers(5, 40))
        X = rng.normal(0, 1, (2, n))
        if out_act == "softmax" or n_out > 1:
            Y = np.eye(n_out)[:, rng.integers(0, n_out, n)]
        else:
            Y = rng.integers(0, 2, (1, n)).astype(float)
        out.append({"net": net, "X": X, "Y": Y, "m": int(rng.integers(1, 9)), "seed": int(rng.integers(0, 1000)),
                    "eta": float(rng.choice([0.05, 0.3, 1.0])), "epochs": int(rng.integers(1, 6))})
    return out


@pytest.fixture(scope="module")
def results():
    cs = cases()
    payload = [{"net": net_dict(c["net"]), "X": c["X"].tolist(), "Y": c["Y"].tolist(), **{k: c[k] for k in ("m", "seed", "eta", "epochs")}}
               for c in cs]
    out = run_js("""
        return input.map((c) => {
          const n = c.X[0].length, batches = [];
          for (let e = 1; e <= c.epochs; e += 1) batches.push(bpEpochBatches(n, c.m, c.seed, e));
          const fast = new FastNet(c.net), ws = new FastWork(c.net.sizes, c.m), data = fastData(c.X, c.Y);
          for (const b of batches) fastEpoch(fast, ws, data, c.eta, b);
          const readable = bpTrainBatches(c.net, c.X, c.Y, c.eta, batches.flat());
          const evalWork = new FastWork(c.net.sizes, 7);
          const ev = fastEvaluate(fast, evalWork, data);
          return { batches, fast: fast.toNet(), readable, cost: ev.cost, correct: ev.correct,
                   meanCost: bpMeanCost(fast.toNet(), c.X, c.Y) };
        });
    """, payload, modules=MODULES)
    return cs, out


def test_fast_equals_the_readable_engine_bit_for_bit(results):
    cs, out = results
    for c, r in zip(cs, out):
        assert r["fast"]["weights"] == r["readable"]["weights"], c["net"]
        assert r["fast"]["biases"] == r["readable"]["biases"], c["net"]


def test_fast_equals_bpkit_sgd_in_the_pages_order(results):
    cs, out = results
    worst = 0.0
    for c, r in zip(cs, out):
        n = c["X"].shape[1]
        order = page_batches(n, c["m"], c["seed"])
        assert r["batches"] == [order(e) for e in range(1, c["epochs"] + 1)]
        net = c["net"].copy()
        bpkit.sgd(net, (c["X"], c["Y"]), c["epochs"], c["m"], c["eta"], batches=order, progress=False, monitor_cost=False)
        page = network_from_dict(r["fast"])
        for l in range(2, net.L + 1):
            for got, want in ((page.w(l), net.w(l)), (page.b(l), net.b(l))):
                err = np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want)))
                worst = max(worst, err)
                assert err < 1e-10, (c["net"], l, err)
        assert np.isclose(r["cost"], net.cost_value(c["X"], c["Y"]), rtol=1e-10, atol=1e-13)
        assert np.isclose(r["cost"], r["meanCost"], rtol=1e-12, atol=1e-15)
        assert r["correct"] == round(net.accuracy(c["X"], c["Y"]) * n)
    print(f"\nfast engine vs bpkit.sgd (page order): {len(cs)} runs, largest relative difference {worst:.2g}")
