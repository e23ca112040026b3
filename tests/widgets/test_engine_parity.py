"""The in-page engine (src/bpkit/widgets/js/engine/) against bpkit: the same numbers (relative
1e-12) and the same strings (identical).

Hundreds of random networks (2 to 4 layers of 1 to 6 neurons, every hidden activation, every
output activation including softmax, every cost on the outputs where it is defined, one
example or a few columns, with and without a learning rate η) are traced by bpkit in Python
and by the engine's modules in ONE node process (JSON in, JSON out); then bpBackprop, bpUpdate,
bpTrainSteps, bpNudge, bpCostOf, bpMeanCost and bpFeedforward are compared with what bpkit
computes for the same things.

How numbers are compared. A plain relative error |js − py| / |py| means nothing where the
value is the small difference of large terms: z^l_j = Σ_k w^l_jk a^(l−1)_k + b^l_j can be
≈ 0 while its terms are ≈ 1, and then two correct float64 programs that sum in a different
order (BLAS may use fused multiply-adds, the engine does not) differ by ~1e-16 in absolute
terms, i.e. by any amount relative to z. So every number v is compared against the SCALE
OF THE SUMMED TERMS, M(v): the same computation run on absolute values, propagated through
every step (``magnitudes`` below: M(z^l) = |w^l| M(a^(l−1)) + |b^l|, M(a^l) = |a^l| +
|σ'(z^l)| M(z^l), M(δ^l) = (|w^(l+1)|^T M(δ^(l+1))) ⊙ M(σ'(z^l)), ...). M(v) ≥ |v| always, and
M(v) = |v| where nothing cancels, so the test
        |js − py| <= 1e-12 · M(v)
IS the plain relative test except where cancellation makes that meaningless. The test also
reports the plain relative error where M(v) ≤ 10 |v| (no cancellation to speak of).

node must be installed (it is at /usr/bin/node on the project's machines and CI): without it
this test FAILS with a message saying so, it is never skipped.
"""

from __future__ import annotations

import json
import math
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

import bpkit
from bpkit.train import update_mini_batch_matrix, update_mini_batch_per_example
from bpkit.widgets.engine import net_dict
from jsrun import ENGINE, imports, node_path

N_NETWORKS = 240
TOL = 1e-12
HIDDEN = ("sigmoid", "tanh", "relu", "identity")
OUTPUT = HIDDEN + ("softmax",)
# Where each cost is defined: the quadratic cost for any output; cross-entropy needs
# 0 < a^L < 1 and log-likelihood a^L > 0 (tanh, ReLU and the identity can give a^L ≤ 0, where
# ln a^L is not a number). bpkit refuses no pairing, so the test keeps to the defined ones.
COST_OUTPUTS = {
    "quadratic": OUTPUT,
    "cross_entropy": ("sigmoid", "softmax"),
    "log_likelihood": ("sigmoid", "softmax"),
}
ETAS = (0.5, 3, 1e-5, 0.123456789, 2.5, 1234567.0, 0.001, 7e-7, 100000, 0.30000000000000004)

HARNESS = r"""
import { readFileSync } from "node:fs";
const cases = JSON.parse(readFileSync(0, "utf8"));
const t0 = performance.now();
const results = cases.map((c) => {
  try {
    const bp = bpBackprop(c.net, c.x, c.y);
    const updated = bpUpdate(c.net, bp.nabla_b, bp.nabla_w, c.train_eta, c.x[0].length);
    const trained = bpTrainSteps(c.net, c.x, c.y, c.train_eta, c.steps);
    return {
      trace: bpTrace(c.net, c.x, c.y, c.eta),
      backprop: bp,
      updated: { weights: updated.weights, biases: updated.biases },
      trained: { weights: trained.net.weights, biases: trained.net.biases, costs: trained.costs },
      nudge: bpNudge(c.net, c.x, c.y, c.which, c.delta),
      cost: bpCostOf(c.net, c.x, c.y),
      mean_cost: bpMeanCost(c.net, c.x, c.y),
      feedforward: bpFeedforward(c.net, c.x),
    };
  } catch (e) {
    return { error: String(e && e.stack || e) };
  }
});
process.stdout.write(JSON.stringify({ results, ms: performance.now() - t0 }));
"""


def run_engine(script: str, payload) -> dict:
    """Run ``script`` as one ES module in node with every export of the engine's modules in
    scope, ``payload`` as JSON on stdin."""
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "run.mjs"
        file.write_text(imports(ENGINE) + "\n" + script, encoding="utf-8")
        proc = subprocess.run(
            [node_path(), str(file)],
            input=json.dumps(payload, allow_nan=False), capture_output=True, text=True, timeout=300,
        )
    assert proc.returncode == 0, f"node failed:\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout)


# -- random cases -------------------------------------------------------------------------------

def random_target(rng, cost: str, n: int, m: int) -> np.ndarray:
    """y in the cost's domain: any real (quadratic), [0, 1] with some exact 0s and 1s
    (cross-entropy), probability columns, one-hot or spread (log-likelihood)."""
    if cost == "quadratic":
        return rng.normal(0, 1, (n, m))
    if cost == "cross_entropy":
        y = rng.uniform(0, 1, (n, m))
        y[rng.uniform(size=(n, m)) < 0.3] = 0.0
        y[rng.uniform(size=(n, m)) < 0.3] = 1.0
        return y
    if rng.uniform() < 0.5:
        return np.eye(n)[:, rng.integers(0, n, m)]
    return rng.dirichlet(np.ones(n), m).T


def random_case(rng, i: int) -> dict:
    """Case i: its cost, output and hidden activation cycle through every valid pairing; the
    rest is random. A draw where bpkit itself leaves the real numbers (a^L saturated to exactly
    0 or 1 under a logarithm: C = ∞) is outside the cost's domain and is drawn again."""
    while True:
        case = draw_case(rng, i)
        with np.errstate(all="ignore"):
            tr = bpkit.trace(case["net"], case["x"], case["y"], case["eta"]).to_dict()
            nudged = case["net"].copy()
            wh = case["which"]
            (nudged.weights if wh["param"] == "w" else nudged.biases)[wh["l"] - 2][wh["j"] - 1, wh["k"] - 1] += case["delta"]
            if np.isfinite(tr["cost_value"]) and all(
                np.isfinite(q["value"]).all() for st in tr["steps"] for q in st["inputs"] + st["outputs"]
            ) and np.isfinite(nudged.cost_value(case["x"], case["y"])):
                return case


def draw_case(rng, i: int) -> dict:
    L = int(rng.integers(2, 5))
    cost = ("quadratic", "cross_entropy", "log_likelihood")[i % 3]
    out_act = COST_OUTPUTS[cost][(i // 3) % len(COST_OUTPUTS[cost])]
    act = HIDDEN[(i // 7) % len(HIDDEN)]
    sizes = [int(n) for n in rng.integers(1, 7, L)]
    if out_act == "softmax":  # softmax of one neuron is the constant 1: nothing to learn
        sizes[-1] = max(sizes[-1], 2)
    m = int(rng.choice([1, 1, 2, 3, 5]))
    net = bpkit.Network(sizes, act, cost, out_act, seed=int(rng.integers(1 << 30)),
                        init=("scaled", "normal")[i % 2])
    x = rng.normal(0, 1, (sizes[0], m))
    y = random_target(rng, cost, sizes[-1], m)
    l = int(rng.integers(2, L + 1))
    param = "w" if rng.uniform() < 0.6 else "b"
    which = {"param": param, "l": l, "j": int(rng.integers(1, sizes[l - 1] + 1)),
             "k": int(rng.integers(1, sizes[l - 2] + 1)) if param == "w" else 1}
    steps, train_eta = int(rng.integers(1, 6)), float(rng.choice([0.05, 0.1, 0.5, 1.0]))
    while not trains_finitely(net, x, y, train_eta, steps):
        # a step too long can push a^L to 0 or 1 exactly (ln 0 in the cost): a shorter one
        train_eta /= 4
    return {
        "net": net, "x": x, "y": y,
        "eta": None if i % 4 == 0 else ETAS[i % len(ETAS)],
        "train_eta": train_eta, "steps": steps,
        "which": which, "delta": float(rng.choice([1e-3, -1e-2, 0.1, -0.5])),
    }


def trains_finitely(net, x, y, eta, steps) -> bool:
    trained = net.copy()
    with np.errstate(all="ignore"):
        for _ in range(steps):
            update_mini_batch_matrix(trained, x, y, eta)
            nb, nw = trained.backprop(x, y)
            if not (np.isfinite(trained.cost_value(x, y)) and all(np.isfinite(g).all() for g in nb + nw)):
                return False
    return all(np.isfinite(w).all() for w in trained.weights)


# -- M(v), the scale of the summed terms ----------------------------------------------------------

def sigma_second_bound(name: str, z: np.ndarray, s: np.ndarray) -> np.ndarray:
    """|σ''(z)| (how far an error in z moves σ'(z)), 0 for ReLU and the identity."""
    if name == "sigmoid":
        return np.abs(s * (1 - s) * (1 - 2 * s))
    if name == "tanh":
        return np.abs(2 * s * (1 - s * s))
    return np.zeros_like(z)


def magnitudes(tr: dict) -> dict[str, np.ndarray]:
    """M(v) for every quantity named in bpkit's trace ``tr`` (a to_dict()), from its values."""
    A = lambda v: np.asarray(v, dtype=float)  # noqa: E731
    val = {}
    for s in tr["steps"]:
        for q in s["inputs"] + s["outputs"]:
            val[q["name"]] = A(q["value"])
    L = len(tr["sizes"])
    act, out_act, cost = tr["activation"], tr["output_activation"], tr["cost"]
    M = {"x": np.abs(val["x"]), "a^1": np.abs(val["x"]), "y": np.abs(val["y"])}
    y = val["y"]

    def sigma_prime(name, z):
        s = {"sigmoid": lambda: 1 / (1 + np.exp(-z)), "tanh": lambda: np.tanh(z)}.get(name, lambda: z)()
        p = {"sigmoid": lambda: s * (1 - s), "tanh": lambda: 1 - s * s,
             "relu": lambda: (z > 0) * 1.0, "identity": lambda: np.ones_like(z)}[name]()
        return s, p

    for l in range(2, L + 1):
        w, b, z = np.abs(val[f"w^{l}"]), np.abs(val[f"b^{l}"]), val[f"z^{l}"]
        M[f"w^{l}"], M[f"b^{l}"] = w, b
        Mz = w @ M[f"a^{l - 1}"] + b
        M[f"z^{l}"] = Mz
        name = out_act if l == L else act
        a = val[f"a^{l}"]
        if name == "softmax":  # a_j = e^(z_j − max) / Σ: an error ε in every z_k moves a_j by ≤ 2ε a_j
            M[f"a^{l}"] = a * (1 + 2 * Mz.max(axis=0, keepdims=True))
        else:
            s, p = sigma_prime(name, z)
            M[f"a^{l}"] = np.abs(a) + np.abs(p) * Mz
            # σ'(z) as bpkit computes it: (1 − s) s and 1 − t² lose s, t² in the subtraction
            M[f"sigma'(z^{l})"] = np.abs(p) + sigma_second_bound(name, z, s) * Mz + (s * s if name == "tanh" else np.abs(s) if name == "sigmoid" else 0)
    a, Ma = val[f"a^{L}"], M[f"a^{L}"]
    ya, y1 = np.abs(y), np.abs(1 - y)
    with np.errstate(divide="ignore", invalid="ignore"):
        if cost == "quadratic":
            M["C_x"] = np.array([[np.sum((Ma + ya) ** 2)]])
            M["nabla_a C"] = Ma + ya
        elif cost == "cross_entropy":
            terms = np.where(y == 0, 0, ya * (np.abs(np.log(a)) + Ma / a)) + np.where(y == 1, 0, y1 * (np.abs(np.log(1 - a)) + (1 + Ma) / (1 - a)))
            M["C_x"] = np.array([[np.sum(terms)]])
            d = a * (1 - a)
            M["nabla_a C"] = (Ma + ya) / d + np.abs(a - y) / d * (Ma / a + (1 + Ma) / (1 - a))
        else:
            M["C_x"] = np.array([[np.sum(np.where(y == 0, 0, ya * (np.abs(np.log(a)) + Ma / a)))]])
            M["nabla_a C"] = ya / a * (1 + Ma / a)
    if tr["steps"][[s["kind"] for s in tr["steps"]].index("output_error")]["inputs"][0]["name"] == f"a^{L}":
        M[f"delta^{L}"] = Ma + ya  # BP1 with σ' cancelled: a^L − y
    elif out_act == "softmax":  # a ⊙ (g − Σ_i a_i g_i)
        g = M["nabla_a C"]
        M[f"delta^{L}"] = Ma * (g + np.sum(Ma * g, axis=0, keepdims=True))
    else:
        M[f"delta^{L}"] = M["nabla_a C"] * M[f"sigma'(z^{L})"]
    for l in range(L, 1, -1):
        if l < L:
            M[f"delta^{l}"] = (M[f"w^{l + 1}"].T @ M[f"delta^{l + 1}"]) * M[f"sigma'(z^{l})"]
        M[f"dC/db^{l}"] = M[f"delta^{l}"].sum(axis=1, keepdims=True)
        M[f"dC/dw^{l}"] = M[f"delta^{l}"] @ M[f"a^{l - 1}"].T
        if tr["eta"] is not None:
            M[f"w^{l} new"] = M[f"w^{l}"] + tr["eta"] * M[f"dC/dw^{l}"]
            M[f"b^{l} new"] = M[f"b^{l}"] + tr["eta"] * M[f"dC/db^{l}"]
    return M


# -- comparing ---------------------------------------------------------------------------------

class Stats:
    def __init__(self) -> None:
        self.numbers = 0
        self.strings = 0
        self.max_scaled = 0.0  # max |js − py| / M(v)
        self.max_plain = 0.0  # max |js − py| / |py| where M(v) <= 10 |py|
        self.by_scale = 0  # numbers where cancellation made M(v) > 10 |py|

    def numbers_close(self, py, js, scale, where: str) -> None:
        py, js, scale = np.asarray(py, dtype=float), np.asarray(js, dtype=float), np.asarray(scale, dtype=float)
        assert py.shape == js.shape, f"{where}: shape {js.shape} in the engine, {py.shape} in bpkit"
        if scale.shape != py.shape:
            scale = np.broadcast_to(scale, py.shape)
        size = np.abs(py)
        assert np.isfinite(size.sum() + scale.sum()), f"{where}: bpkit gave a non-finite value (a bad case)"
        assert (scale >= size * (1 - 1e-9)).all(), f"{where}: M(v) < |v|, the scale is wrong"
        self.numbers += py.size
        if py.size == 0:
            return
        err = np.abs(js - py)
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.where(err == 0, 0.0, err / scale)  # err > 0 with M = 0 gives inf: fails
            plain = (scale <= 10 * size) & (size > 0)
            plain_err = np.where(plain, err / size, 0.0)
        worst = float(scaled.max())
        self.max_scaled = max(self.max_scaled, worst)
        self.max_plain = max(self.max_plain, float(plain_err.max()))
        self.by_scale += py.size - int(plain.sum())
        if not worst <= TOL:  # (NaN from the engine fails too)
            at = np.unravel_index(int(np.nanargmax(np.where(np.isnan(scaled), np.inf, scaled))), scaled.shape)
            raise AssertionError(
                f"{where}{list(at)}: the engine gives {js[at]!r}, bpkit {py[at]!r}: "
                f"|difference| = {err[at]:.3g} > 1e-12 × M = {TOL * scale[at]:.3g}"
            )

    def equal(self, py, js, where: str) -> None:
        self.strings += 1
        assert js == py, f"{where}: the engine gives {js!r}, bpkit {py!r}"


def compare_trace(py: dict, js: dict, M: dict, stats: Stats, where: str) -> None:
    assert list(js) == list(py), f"{where}: keys {list(js)} in the engine, {list(py)} in bpkit"
    for key in ("sizes", "activation", "output_activation", "cost", "eta"):
        stats.equal(py[key], js[key], f"{where}.{key}")
    for key in ("x", "y"):
        stats.numbers_close(py[key], js[key], np.abs(py[key]), f"{where}.{key}")
    L = len(py["sizes"])
    for i in range(L - 1):
        l = i + 2
        stats.numbers_close(py["weights"][i], js["weights"][i], np.abs(py["weights"][i]), f"{where}.weights[{i}]")
        stats.numbers_close(py["biases"][i], js["biases"][i], np.abs(py["biases"][i]), f"{where}.biases[{i}]")
        stats.numbers_close(py["nabla_b"][i], js["nabla_b"][i], M[f"dC/db^{l}"], f"{where}.nabla_b[{i}]")
        stats.numbers_close(py["nabla_w"][i], js["nabla_w"][i], M[f"dC/dw^{l}"], f"{where}.nabla_w[{i}]")
    stats.numbers_close(py["cost_value"], js["cost_value"], M["C_x"][0, 0], f"{where}.cost_value")
    assert len(js["steps"]) == len(py["steps"]), f"{where}: {len(js['steps'])} steps in the engine, {len(py['steps'])} in bpkit"
    for s_py, s_js in zip(py["steps"], js["steps"]):
        at = f"{where}.steps[{s_py['index']}] ({s_py['kind']}, l={s_py['layer']})"
        assert list(s_js) == list(s_py), f"{at}: keys differ"
        for key in ("index", "phase", "kind", "layer", "equation", "latex", "caption"):
            stats.equal(s_py[key], s_js[key], f"{at}.{key}")
        for side in ("inputs", "outputs"):
            assert len(s_js[side]) == len(s_py[side]), f"{at}.{side}: {len(s_js[side])} quantities in the engine, {len(s_py[side])} in bpkit"
            for q_py, q_js in zip(s_py[side], s_js[side]):
                assert list(q_js) == list(q_py), f"{at}.{side}: keys differ"
                stats.equal(q_py["name"], q_js["name"], f"{at}.{side}.name")
                stats.equal(q_py["latex"], q_js["latex"], f"{at}.{side}.latex")
                stats.numbers_close(q_py["value"], q_js["value"], M[q_py["name"]], f"{at}.{side} {q_py['name']}")


def params_close(stats, net_py, weights_js, biases_js, scale_w, scale_b, where):
    for i, (w, b) in enumerate(zip(net_py.weights, net_py.biases)):
        stats.numbers_close(w, weights_js[i], scale_w[i], f"{where}.weights[{i}] (w^{i + 2})")
        stats.numbers_close(b, biases_js[i], scale_b[i], f"{where}.biases[{i}] (b^{i + 2})")


def test_engine_matches_bpkit_on_random_networks():
    rng = np.random.default_rng(20261202)
    cases = [random_case(rng, i) for i in range(N_NETWORKS)]
    payload = [
        {"net": net_dict(c["net"]), "x": c["x"].tolist(), "y": c["y"].tolist(), "eta": c["eta"],
         "train_eta": c["train_eta"], "steps": c["steps"], "which": c["which"], "delta": c["delta"]}
        for c in cases
    ]
    start = time.perf_counter()
    out = run_engine(HARNESS, payload)
    node_seconds = time.perf_counter() - start
    stats = Stats()
    seen = set()
    for i, (c, res) in enumerate(zip(cases, out["results"])):
        net, x, y = c["net"], c["x"], c["y"]
        where = f"network {i} {net!r}, m={x.shape[1]}, eta={c['eta']!r}"
        assert "error" not in res, f"{where}: the engine threw {res.get('error')}"
        seen.add((net.activation.name, net.output_activation.name, net.cost.name, net.num_layers, c["eta"] is None, x.shape[1] > 1))

        # bpTrace = bpkit.trace(...).to_dict(), as JSON
        tr_py = json.loads(json.dumps(bpkit.trace(net, x, y, c["eta"]).to_dict()))
        M = magnitudes(tr_py)
        compare_trace(tr_py, res["trace"], M, stats, f"{where} trace")
        n = net.num_layers

        # bpBackprop = Network.backprop
        nb, nw = net.backprop(x, y)
        Mb = [M[f"dC/db^{l}"] for l in range(2, n + 1)]
        Mw = [M[f"dC/dw^{l}"] for l in range(2, n + 1)]
        for k in range(n - 1):
            stats.numbers_close(nb[k], res["backprop"]["nabla_b"][k], Mb[k], f"{where} bpBackprop nabla_b[{k}]")
            stats.numbers_close(nw[k], res["backprop"]["nabla_w"][k], Mw[k], f"{where} bpBackprop nabla_w[{k}]")

        # bpUpdate = bpkit.train's mini-batch update, in both of its forms
        m, eta = x.shape[1], c["train_eta"]
        scale_w = [np.abs(w) + eta / m * s for w, s in zip(net.weights, Mw)]
        scale_b = [np.abs(b) + eta / m * s for b, s in zip(net.biases, Mb)]
        for update in (update_mini_batch_matrix, update_mini_batch_per_example):
            stepped = net.copy()
            update(stepped, x, y, eta)
            params_close(stats, stepped, res["updated"]["weights"], res["updated"]["biases"], scale_w, scale_b,
                         f"{where} bpUpdate vs {update.__name__}")

        # bpTrainSteps = the same steps of full-batch gradient descent in bpkit, and its mean costs
        # Each state of the network traced once: its M(∇w), M(∇b) scale the next step's change,
        # its M(C_x) and its gradient (against the accumulated weight errors) the cost.
        trained, costs = net.copy(), [net.cost_value(x, y)]
        acc_w = [np.abs(w) for w in net.weights]
        acc_b = [np.abs(b) for b in net.biases]
        cost_scales = [M["C_x"][0, 0] / m]
        Ms = M
        for _ in range(c["steps"]):
            acc_w = [s + eta / m * Ms[f"dC/dw^{l}"] for l, s in enumerate(acc_w, start=2)]
            acc_b = [s + eta / m * Ms[f"dC/db^{l}"] for l, s in enumerate(acc_b, start=2)]
            update_mini_batch_matrix(trained, x, y, eta)
            costs.append(trained.cost_value(x, y))
            tr = bpkit.trace(trained, x, y)
            Ms = magnitudes(json.loads(json.dumps(tr.to_dict())))
            # an error ε·acc in the weights moves C by at most |∂C/∂w| ε·acc
            moved = sum(float(np.sum(np.abs(g) * s)) for g, s in zip(tr.nabla_w + tr.nabla_b, acc_w + acc_b))
            cost_scales.append((Ms["C_x"][0, 0] + moved) / m)
        params_close(stats, trained, res["trained"]["weights"], res["trained"]["biases"], acc_w, acc_b, f"{where} bpTrainSteps")
        stats.numbers_close(costs, res["trained"]["costs"], cost_scales, f"{where} bpTrainSteps costs")

        # bpNudge: predicted = ∂C/∂param · Δ from Network.backprop; measured = two bpkit costs
        wh, delta = c["which"], c["delta"]
        idx = (wh["l"] - 2, wh["j"] - 1, wh["k"] - 1)
        grads, Mg = (nw, Mw) if wh["param"] == "w" else (nb, Mb)
        g = grads[idx[0]][idx[1], idx[2]]
        stats.numbers_close(g, res["nudge"]["gradient"], Mg[idx[0]][idx[1], idx[2]], f"{where} bpNudge gradient")
        stats.numbers_close(g * delta, res["nudge"]["predicted"], abs(delta) * Mg[idx[0]][idx[1], idx[2]], f"{where} bpNudge predicted")
        nudged = net.copy()
        (nudged.weights if wh["param"] == "w" else nudged.biases)[idx[0]][idx[1], idx[2]] += delta
        c1, c0 = net.cost.fn(nudged.feedforward(x), y), net.cost.fn(net.feedforward(x), y)
        # measured is the difference of two costs: compared against the scale of both
        M1 = magnitudes(json.loads(json.dumps(bpkit.trace(nudged, x, y).to_dict())))["C_x"][0, 0]
        stats.numbers_close(c1 - c0, res["nudge"]["measured"], M1 + M["C_x"][0, 0], f"{where} bpNudge measured")

        # bpCostOf = cost.fn (Σ_x C_x), bpMeanCost = Network.cost_value, bpFeedforward = feedforward
        stats.numbers_close(c0, res["cost"], M["C_x"][0, 0], f"{where} bpCostOf")
        stats.numbers_close(net.cost_value(x, y), res["mean_cost"], M["C_x"][0, 0] / m, f"{where} bpMeanCost")
        stats.numbers_close(net.feedforward(x), res["feedforward"], M[f"a^{n}"], f"{where} bpFeedforward")

    seconds = time.perf_counter() - start
    # Every pairing, depth, with and without η, one column and several were exercised.
    pairs = {(a, o, co) for a, o, co, *_ in seen}
    assert pairs == {(a, o, co) for a in HIDDEN for co, outs in COST_OUTPUTS.items() for o in outs}
    assert {s[3] for s in seen} == {2, 3, 4} and {s[4] for s in seen} == {True, False} and {s[5] for s in seen} == {True, False}
    print(
        f"\nengine parity: {N_NETWORKS} networks, {stats.numbers} numbers and {stats.strings} strings compared; "
        f"max |js − py| / M = {stats.max_scaled:.3g} (tolerance {TOL:g}); max plain relative error where nothing "
        f"cancels = {stats.max_plain:.3g}; {stats.by_scale} numbers judged by the scale of their terms; "
        f"node {out['ms'] / 1000:.2f} s inside, {node_seconds:.2f} s with start-up; whole test {seconds:.2f} s"
    )


def test_engine_refuses_what_bpkit_refuses():
    net = bpkit.Network([2, 3, 1], seed=0)
    d = net_dict(net)
    script = r"""
import { readFileSync } from "node:fs";
const d = JSON.parse(readFileSync(0, "utf8"));
const tries = {
  x_rows: () => bpTrace(d.net, [[1], [2], [3]], [[1]]),
  y_cols: () => bpTrace(d.net, [[1, 2], [3, 4]], [[1]]),
  eta: () => bpTrace(d.net, [[1], [2]], [[1]], -1),
  flat_x: () => bpTrace(d.net, [1, 2], [[1]]),
  w_shape: () => bpCheckNet({ ...d.net, weights: [d.net.weights[0], [[1, 2]]] }),
  nan: () => bpFeedforward({ ...d.net, biases: [d.net.biases[0], [[NaN]]] }, [[1], [2]]),
  softmax_hidden: () => bpCheckNet({ ...d.net, activation: "softmax" }),
  cost: () => bpCheckNet({ ...d.net, cost: "hinge" }),
  nudge_layer: () => bpNudge(d.net, [[1], [2]], [[1]], { param: "w", l: 1, j: 1, k: 1 }, 0.1),
};
const out = {};
for (const [k, f] of Object.entries(tries)) {
  try { f(); out[k] = null; } catch (e) { out[k] = e.message; }
}
process.stdout.write(JSON.stringify(out));
"""
    out = run_engine(script, {"net": d})
    py = {}
    for key, f in {
        "x_rows": lambda: bpkit.trace(net, np.ones((3, 1)), np.ones((1, 1))),
        "y_cols": lambda: bpkit.trace(net, np.ones((2, 2)), np.ones((1, 1))),
        "w_shape": lambda: bpkit.Network([2, 3, 1], weights=[net.w(2), np.ones((1, 2))]),
    }.items():
        with pytest.raises(ValueError) as info:
            f()
        py[key] = str(info.value)
    # The same sentence as bpkit, in the book's notation, for the same bad shapes.
    for key, message in py.items():
        assert out[key] == message, f"{key}: the engine says {out[key]!r}, bpkit {message!r}"
    assert "learning rate η must be a positive number" in out["eta"]
    assert "one example is a column [[v1], [v2], ...]" in out["flat_x"]
    assert "b^3 (layer l=3 (the output layer L), 1 neurons) has a non-finite value NaN at row 0, column 0" == out["nan"]
    assert "softmax is not element-wise" in out["softmax_hidden"]
    assert "unknown cost" in out["cost"]
    assert "layer l=1 has no weights or biases" in out["nudge_layer"]


def test_format_g_is_pythons():
    """The update step's caption writes η as Python's f"{eta:g}" (ties to even, e-05, e+06)."""
    rng = np.random.default_rng(0)
    values = [0.5, 3, 1e-5, 1234567, 123456.5, 1234565, 1e-4, 999999.5, 9999995, 1 / 3, 5e-324, 1e16]
    values += [float(10 ** e) for e in rng.uniform(-12, 12, 500)]
    values += [round(float(10 ** e), int(d)) for e, d in zip(rng.uniform(-6, 8, 500), rng.integers(0, 9, 500))]
    values += [float(v) + 0.5 for v in rng.integers(1, 10 ** 8, 200)]
    values += [-v for v in values[:50]]
    out = run_engine(
        'import { readFileSync } from "node:fs";\n'
        "process.stdout.write(JSON.stringify(JSON.parse(readFileSync(0, 'utf8')).map(bpFormatG)));",
        values,
    )
    bad = [(v, f"{v:g}", js) for v, js in zip(values, out) if f"{v:g}" != js]
    assert not bad, f"{len(bad)} of {len(values)} differ, e.g. {bad[:5]}"
    assert math.isfinite(sum(values))
