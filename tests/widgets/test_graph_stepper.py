"""GraphStepper in Python: its state is bpkit.autodiff's graph and the matrix form's trace,
every name the page can show has its MathML, and bad input is refused."""

from __future__ import annotations

import numpy as np
import pytest

import bpkit
from bpkit import mazur
from bpkit.autodiff import network_graph
from bpkit.autodiff.record import graph_data
from bpkit.errors import SizeError
from bpkit.widgets import GraphStepper
from bpkit.widgets.graph_stepper import CHAIN_RULE, MAX_DRAWN, mazur_names


def test_state_is_the_graph_and_the_layer_view():
    s = GraphStepper.mazur()
    g = network_graph(mazur.network(), mazur.X, mazur.Y)
    g.backward()
    assert s._data["nodes"] == graph_data(g)["nodes"] and s._data["steps"] == graph_data(g)["steps"]
    assert s.n_steps == len(g.nodes) == 41 and s.graph.cost.data == g.cost.data
    tr = bpkit.trace(mazur.network(), mazur.X, mazur.Y)
    for group in s._data["groups"]:
        view = s._data["layers"][group["name"]]
        step = tr.steps[view["step"]]
        assert np.array_equal(step.value(group["name"]), view["value"])
        grads = np.array([[g.nodes[n].grad for n in row] for row in group["nodes"]])
        assert np.allclose(grads, view["value"], rtol=1e-14, atol=0)  # the same numbers, two ways
    assert s._options["names"]["w^2_11"] == "w1" and mazur_names()["C"] == "E_total"
    assert s._options["max_nodes"] == MAX_DRAWN


def test_every_name_the_page_can_show_has_its_mathml():
    net = bpkit.Network([2, 2, 2], seed=0)
    s = GraphStepper(net, np.array([[0.3], [0.7]]), np.array([[1.0], [0.0]]))
    table = s._mathml
    assert "d:" + CHAIN_RULE in table
    for h, o, c in [("tanh", "softmax", "log_likelihood"), ("relu", "sigmoid", "cross_entropy"),
                    ("identity", "identity", "quadratic")]:
        probe = bpkit.Network([2, 2, 2], activation=h, output_activation=o, cost=c, weights=net.weights,
                              biases=net.biases)
        data = graph_data(network_graph(probe, np.array([[0.3], [0.7]]), np.array([[0.5], [0.5]])))
        for n in data["nodes"]:
            if n["latex"]:
                assert "i:" + n["latex"] in table and "<math" in table["i:" + n["latex"]], n["latex"]


def test_static_copy_embeds_the_inputs_not_the_graph():
    s = GraphStepper.mazur()
    state = s.static_state()
    assert state["_data"] == {} and state["_base"]["net"]["sizes"] == [2, 2, 2]
    html = s.to_html()
    assert 'data-bpkit-module="widgets/graph_stepper.js"' in html and "autodiff/network_graph.js" in html
    assert "</script" not in s._esm.lower()


def test_steps_and_inputs():
    net = bpkit.Network([2, 3, 1], seed=2)
    x, y = np.array([[0.1], [0.2]]), np.array([[1.0]])
    s = GraphStepper(net, x, y, step=2)
    assert s.step == 2
    with pytest.raises(ValueError, match="out of range"):
        s.step = s.n_steps
    s.x = np.array([[0.5], [-0.5]])  # rebuilds
    g = network_graph(net, np.array([[0.5], [-0.5]]), y)
    assert s._data["nodes"][0]["data"] == g.nodes[0].data and s.graph.nodes[3].data == g.nodes[3].data
    two = GraphStepper(net, np.hstack([x, -x]), np.hstack([y, y]))  # a small mini-batch
    assert two._data["m"] == 2 and two.graph.cost.name == "C"


def test_bad_input_is_refused_with_the_reason():
    with pytest.raises(TypeError, match="bpkit.Network"):
        GraphStepper("net", np.ones((2, 1)), np.ones((1, 1)))
    with pytest.raises(SizeError, match=f"more than the {MAX_DRAWN}"):
        GraphStepper(bpkit.Network([5, 9, 3], seed=0), np.ones((5, 1)), np.ones((3, 1)))
    with pytest.raises(bpkit.errors.ShapeError):
        GraphStepper(bpkit.Network([2, 2, 1], seed=0), np.ones((3, 1)), np.ones((1, 1)))


def test_an_edit_made_in_the_page_rebuilds_the_graph_in_python():
    """Live in Jupyter the page syncs its edited configuration back; Python rebuilds the graph."""
    s = GraphStepper.mazur()
    c = {**s._base, "net": {**s._base["net"], "cost": "cross_entropy"}}
    c["net"]["weights"] = [[list(row) for row in w] for w in c["net"]["weights"]]
    c["net"]["weights"][0][0][0] = 0.5
    s.step = 40
    s.config = c
    assert s.net.w(2)[0, 0] == 0.5 and s.graph.node("w^2_11").data == 0.5
    assert s.net.cost.name == "cross_entropy" and s.n_steps == len(s._data["nodes"]) > 41
    assert s.step == 40


def test_the_layer_views_link_names_chapter_8s_pass_stepper():
    """Mazur's figure links its layer view to a section of chapter 8 that exists (the heading
    whose anchor it names) and shows Mazur's pass stepper; other figures link nowhere."""
    from pathlib import Path

    from bpkit.widgets.graph_stepper import BOOK_PASS_STEPPER

    assert GraphStepper.mazur()._options["pass_stepper"] == BOOK_PASS_STEPPER
    assert "pass_stepper" not in GraphStepper(bpkit.Network([2, 2, 1], seed=0), np.ones((2, 1)), np.ones((1, 1)))._options
    page, anchor = BOOK_PASS_STEPPER["href"].split("#")
    text = (Path(__file__).resolve().parents[2] / "book" / page.replace(".html", ".md")).read_text(encoding="utf-8")
    sections = {s.splitlines()[0].strip().lower().replace(" ", "-"): s for s in text.split("\n## ")[1:]}
    assert anchor in sections and "PassStepper.mazur(" in sections[anchor]
