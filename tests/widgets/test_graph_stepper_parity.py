"""The graph stepper's JavaScript engine (js/autodiff/) against bpkit.autodiff, in ONE node
process: the same graph, node for node, and the same numbers.

* Random networks (every hidden activation, every output activation with the costs defined
  there, softmax included, one example or a few): adGraphData builds, names, places and steps
  through the scalar graph exactly as bpkit.autodiff.record.graph_data does: the same nodes,
  names, LaTeX, operations, parents, columns and rows, roles and layer-view groups, and the
  same numbers (values, local derivatives, gradients, shares and sums).
* Random expression graphs built with Value's operations (+, −, ×, ÷, powers, exp, log, σ,
  tanh, ReLU, Σ, nodes used several times): adFromSpec rebuilds each from its structure alone,
  with the engine's own operations; its topological order and every backward step agree.

Numbers agree to 1e-12 of the largest of their kind in the graph (exp, log, tanh and powers
may differ in the last bit between Python and JavaScript; see tests/autodiff_cases.py for why
the scale of the array and not each entry). Structure is compared exactly. node must be
installed: without it the test fails (jsrun).
"""

from __future__ import annotations

import numpy as np
import pytest

from autodiff_cases import COMBOS, random_case
from bpkit.autodiff import Value, network_graph, topological_order
from bpkit.autodiff.record import backward_steps, graph_data
from bpkit.widgets.engine import net_dict
from jsrun import run_js

TOL = 1e-12
MODULES = ["autodiff/value.js", "autodiff/network_graph.js"]


def close(py: list[float], js: list[float], what: str) -> None:
    py, js = np.asarray(py, float), np.asarray(js, float)
    assert py.shape == js.shape, what
    scale = max(np.max(np.abs(py), initial=0.0), 1e-300)
    assert np.max(np.abs(py - js), initial=0.0) <= TOL * scale, what


def numbers(data: dict) -> dict[str, list[float]]:
    """The numbers of a graph's data, by kind."""
    return {
        "data": [n["data"] for n in data["nodes"]],
        "local": [d for n in data["nodes"] for _, d in n["parents"]],
        "grad": [s["grad"] for s in data["steps"]],
        "share": [e["share"] for s in data["steps"] for e in s["sends"]],
        "sum": [e["sum"] for s in data["steps"] for e in s["sends"]],
    }


def structure(data: dict) -> dict:
    strip = lambda n: {k: v for k, v in n.items() if k != "data"} | {"parents": [p for p, _ in n["parents"]]}  # noqa: E731
    return {"nodes": [strip(n) for n in data["nodes"]], "groups": data["groups"],
            "steps": [(s["node"], [e["to"] for e in s["sends"]]) for s in data["steps"]],
            "sizes": data["sizes"], "m": data["m"]}


@pytest.fixture(scope="module")
def network_cases():
    rng = np.random.default_rng(19)
    cases = []
    for round_ in range(6):
        for combo in COMBOS:
            net, x, y = random_case(rng, *combo)
            g = network_graph(net, x, y)
            g.backward()
            cases.append((net, x, y, graph_data(g)))
    return cases


def test_the_page_builds_the_same_graph_of_every_network(network_cases):
    payload = [{"net": net_dict(net), "x": x.tolist(), "y": y.tolist()} for net, x, y, _ in network_cases]
    out = run_js("return input.map((c) => adGraphData(c.net, c.x, c.y));", payload, modules=MODULES)
    assert len(out) == len(network_cases) >= 150
    for (net, x, _, py), js in zip(network_cases, out):
        assert structure(js) == structure(py), (net, x.shape)
        for kind, values in numbers(py).items():
            close(values, numbers(js)[kind], f"{kind} of {net} on {x.shape[1]} example(s)")


def random_expression(rng: np.random.Generator) -> Value:
    """A random graph: a few inputs, then operations on recent nodes (used again and again),
    kept inside every operation's domain, summed into one root."""
    nodes = [Value(float(rng.uniform(-2, 2)), f"x{i}") for i in range(int(rng.integers(1, 4)))]
    for _ in range(int(rng.integers(3, 25))):
        u = nodes[int(rng.integers(max(0, len(nodes) - 5), len(nodes)))]
        v = nodes[int(rng.integers(0, len(nodes)))]
        op = rng.choice(["+", "-", "*", "/", "pow", "exp", "log", "sigmoid", "tanh", "relu", "neg", "sum", "const"])
        if op == "+":
            w = u + v
        elif op == "-":
            w = u - v
        elif op == "*":
            w = u * v
        elif op == "/" and abs(v.data) > 0.1:
            w = u / v
        elif op == "pow":
            k = float(rng.choice([2, 3, -1, 0.5]))
            if (k == 0.5 and u.data <= 0) or (k == -1 and abs(u.data) < 0.1) or abs(u.data) > 10:
                continue
            w = u ** k
        elif op == "exp" and u.data < 5:
            w = u.exp()
        elif op == "log" and u.data > 0.05:
            w = u.log()
        elif op == "sigmoid":
            w = u.sigmoid()
        elif op == "tanh":
            w = u.tanh()
        elif op == "relu":
            w = u.relu()
        elif op == "neg":
            w = -u
        elif op == "sum":
            w = Value.sum([u, v, u])
        elif op == "const":
            w = 2.5 * u - 1
        else:
            continue
        if abs(w.data) < 1e3:
            nodes.append(w)
    return Value.sum(nodes[-3:])


def test_the_page_rebuilds_random_graphs_with_its_own_operations():
    rng = np.random.default_rng(7)
    cases = []
    for _ in range(300):
        root = random_expression(rng)
        order = topological_order(root)
        index = {v: i for i, v in enumerate(order)}
        spec = [{"op": v.op, "name": v.name, "parents": [index[p] for p, _ in v.parents],
                 "data": v.data} for v in order]
        cases.append((spec, order, backward_steps(order)))
    ops = {s["op"] for spec, _, _ in cases for s in spec}
    assert {"+", "−", "×", "÷", "^2", "^0.5", "^-1", "exp", "log", "σ", "tanh", "ReLU", "Σ"} <= ops, ops
    out = run_js("""
        return input.map((spec) => {
          const nodes = adFromSpec(spec);
          const order = adTopologicalOrder(nodes[nodes.length - 1]);
          const index = new Map(nodes.map((v, i) => [v, i]));
          return { order: order.map((v) => index.get(v)), data: nodes.map((v) => v.data),
                   local: nodes.flatMap((v) => v.parents.map(([, d]) => d)), steps: adBackwardSteps(order) };
        });""", [spec for spec, _, _ in cases], modules=MODULES)
    for (spec, order, steps), js in zip(cases, out):
        assert js["order"] == list(range(len(spec)))  # the same topological order
        close([v.data for v in order], js["data"], "values")
        close([d for v in order for _, d in v.parents], js["local"], "local derivatives")
        assert [(s["node"], [e["to"] for e in s["sends"]]) for s in js["steps"]] == \
            [(s["node"], [e["to"] for e in s["sends"]]) for s in steps]
        py, got = numbers({"nodes": [], "steps": steps}), numbers({"nodes": [], "steps": js["steps"]})
        for kind in ("grad", "share", "sum"):
            close(py[kind], got[kind], kind)


def test_the_page_refuses_what_bpkit_refuses():
    out = run_js("""
        const tries = {
          log0: () => adLog(adValue(0, "a")), exp: () => adExp(adValue(1000, "z")),
          div: () => adDiv(adValue(1), adValue(0, "v")), pow: () => adPow(adValue(-1), 0.5),
          nan: () => adValue(NaN), sum: () => adSum([]),
        };
        const out = {};
        for (const [k, f] of Object.entries(tries)) { try { f(); out[k] = null; } catch (e) { out[k] = e.message; } }
        return out;""", {}, modules=MODULES)
    assert all(out.values()), out
    assert "log(a) needs a > 0" in out["log0"] and "exp(z) overflows" in out["exp"] and "division by zero" in out["div"]
