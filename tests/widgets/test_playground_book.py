"""The numbers chapter 11 quotes are the figure's: its settings trained in the page's engine (node)
and by bpkit.sgd give the same numbers at the epochs the text quotes.

Chapter 11 trains each configuration it suggests with ``bpkit.sgd`` from ``playground_network``'s
start in the page's order of mini-batches (``page_batches``), and quotes the results. Here, in
ONE node process, the page's own ``TrainingRun`` (js/engine/run.js, what Play runs, with the
held-out points and the stop rules) trains the same configurations from the start ``bpInitNet``
draws, which is ``playground_network``'s bit for bit. For every calm configuration (η = 1 on XOR,
η = 0.1 on the spirals, circles and three spirals, the figures' settings) the training cost
after every epoch agrees to a relative 1e-9, and the counts of right answers, the held-out
accuracy and the final weights at the quoted epochs agree; with η = 3 the two agree after the
first epoch, the one the text quotes (1e-14, measured; 2e-9 after the second, 0.5 after the
third: each overshoot magnifies the last digit's difference until the runs differ in every
digit, as the text says), and the page's run, like bpkit's, is above its start in most epochs; with η = 30 both stop after the same epoch with the
same words. The stop messages fit the outcome: none of them tells a run that learned every
point to try another η.

The test also reads the chapter, so that the settings here are the chapter's.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import bpkit
from bpkit.train import page_batches
from bpkit.widgets.engine import net_dict, network_from_dict
from bpkit.widgets.playground import GROWTH_EPOCHS, dataset, held_out, playground_network
from jsrun import run_js

CHAPTER = Path(__file__).resolve().parents[2] / "book" / "11_playground.md"

# (data set, hidden, activation, η, m, epochs, how many epochs agree): every train(...) of the chapter
CALM = [("xor", [], "tanh", 1.0, 4, 2000), ("xor", [3], "tanh", 1.0, 4, 2000)] + [
    (name, hidden, act, 0.1, 10, 300)
    for name, hidden, act in [("spirals", [8, 8], "tanh"), ("spirals", [2], "tanh"), ("spirals", [8, 8], "relu"),
                              ("spirals", [8, 8], "identity"), ("circles", [], "tanh"), ("circles", [4], "tanh"),
                              ("spirals3", [8, 8], "tanh"), ("spirals3", [2], "tanh")]]
JUMPY = ("spirals", [8, 8], "tanh", 3.0, 10, 300)
WILD = ("spirals", [8, 8], "tanh", 30.0, 10, 20)


def test_the_settings_are_the_chapters():
    text = CHAPTER.read_text(encoding="utf-8")
    assert "ETA, M, EPOCHS = 0.1, 10, 300" in text
    assert 'Playground("spirals", hidden=[8, 8], activation="tanh", eta=0.1,\n           batch_size=10, max_epochs=300, key="spirals")' in text
    assert 'Playground("xor", hidden=[3], activation="tanh", eta=1.0,\n           batch_size=4)' in text  # max_epochs 2000
    calls = re.findall(r'train\("(\w+)", (\[[\d, ]*\]), ([\w.]+), (\w+), (\w+)', text)
    consts = {"ETA": 0.1, "M": 10, "EPOCHS": 300}
    value = lambda v: consts[v] if v in consts else float(v)  # noqa: E731
    quoted = {(name, hidden, value(eta), value(m), value(e)) for name, hidden, eta, m, e in calls}
    ours = {(c[0], str(c[1]), float(c[3]), c[4], c[5]) for c in CALM + [JUMPY, WILD]}
    assert quoted == ours
    assert re.search(r'for act in \("relu", "tanh", "identity"\):\n.*train\("spirals", \[8, 8\], ETA, M, EPOCHS, act\)', text)


def key(config):
    return (config[0], tuple(config[1]), config[2], config[3])


def sgd_costs(name, hidden, activation, eta, m, epochs):
    d = dataset(name)
    net = playground_network(name, hidden, activation, 0)
    costs = [net.cost_value(d.X, d.Y)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            costs += bpkit.sgd(net, d, epochs, m, eta, batches=page_batches(d.n, min(m, d.n), 0), progress=False).training_cost
            stop = None
        except bpkit.errors.DivergenceError as e:
            stop = e
    return net, np.array(costs), stop


@pytest.fixture(scope="module")
def page():
    """Every configuration trained by the page's TrainingRun, to its epoch limit or its stop."""
    cases = []
    for name, hidden, activation, eta, m, epochs in CALM + [JUMPY, WILD]:
        d, test = dataset(name), held_out(name)
        cases.append({"net": net_dict(playground_network(name, hidden, activation, 0)), "X": d.X.tolist(), "Y": d.Y.tolist(),
                      "test": None if test is None else {"X": test.X.tolist(), "Y": test.Y.tolist()},
                      "eta": eta, "m": m, "epochs": epochs})
    start = run_js("""return input.cases.map((c) => bpInitNet(c.net.sizes, c.net.activation, c.net.output_activation, c.net.cost, 0));""",
                   {"cases": cases}, modules=["engine/sgd.js"])
    out = run_js("""
        return input.cases.map((c) => {
          const run = new TrainingRun({ net: c.net, X: c.X, Y: c.Y, test: c.test, eta: c.eta, m: c.m, seed: 0,
                                        maxEpochs: c.epochs, growthEpochs: input.growth, target: {} });
          run.trainWhile(() => true);
          const last = run.stopped.kind === "diverged" ? run.epoch - 1 : run.epoch;
          return { costs: Array.from(run.costs.subarray(0, run.epoch + 1), (v) => (Number.isFinite(v) ? v : null)),
                   correct: Array.from(run.correct.subarray(0, last + 1)), held: run.heldOut(run.at(last)),
                   net: run.at(last).toNet(), stopped: run.stopped, n: run.n };
        });
    """, {"cases": cases, "growth": GROWTH_EPOCHS}, modules=["engine/run.js"])
    return dict(zip([key(c) for c in CALM + [JUMPY, WILD]], zip(start, out)))


def test_the_figure_starts_where_bpkit_starts(page):
    for (name, hidden, activation, _), (js_start, _) in page.items():
        hidden = list(hidden)
        py = playground_network(name, hidden, activation, 0)
        js = network_from_dict(js_start)
        for l in range(2, py.L + 1):
            np.testing.assert_array_equal(js.w(l), py.w(l))
            np.testing.assert_array_equal(js.b(l), py.b(l))


@pytest.mark.parametrize("config", CALM, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}-eta{c[3]}")
def test_calm_settings_give_the_chapters_numbers(page, config):
    name, hidden, activation, eta, m, epochs = config
    _, out = page[key(config)]
    net, costs, stop = sgd_costs(*config)
    assert stop is None and out["stopped"]["kind"] == "limit" and len(out["costs"]) == epochs + 1
    np.testing.assert_allclose(out["costs"], costs, rtol=1e-9)  # after every epoch
    d, test = dataset(name), held_out(name)
    a = net.feedforward(d.X)
    right = int(np.sum(((a[0] >= 0.5).astype(int) if a.shape[0] == 1 else np.argmax(a, axis=0)) == d.labels))
    assert out["correct"][-1] == right
    if test is not None:
        t = net.feedforward(test.X)
        held = np.mean(((t[0] >= 0.5).astype(int) if t.shape[0] == 1 else np.argmax(t, axis=0)) == test.labels)
        assert out["held"] == held
    page_net = network_from_dict(out["net"])
    for l in range(2, net.L + 1):
        np.testing.assert_allclose(page_net.w(l), net.w(l), rtol=1e-8, atol=1e-10)
    # the stop message fits the outcome: no advice to change η to a run that got every point right
    message = out["stopped"]["message"]
    assert message.startswith(f"the run reached its limit of {epochs} epochs")
    if right == d.n:
        assert "every one of them" in message and "try" not in message and "η" not in message
    else:
        assert "every one of them" not in message


def test_a_large_eta_agrees_while_the_text_quotes_it(page):
    _, out = page[key(JUMPY)]
    _, costs, _ = sgd_costs(*JUMPY)
    np.testing.assert_allclose(out["costs"][:2], costs[:2], rtol=1e-9)  # the first epoch, quoted
    page_costs = np.array(out["costs"])
    for c in (costs, page_costs):  # the text's words hold for both runs
        assert c[1] > 3 * c[0] and np.mean(c[1:] > c[0]) > 0.5
    _, calm = page[key(CALM[2])]
    assert max(calm["costs"][1:]) < calm["costs"][0]  # η = 0.1 never rises above its start, in the figure too


def test_a_diverging_eta_stops_both_with_the_same_words(page):
    _, out = page[key(WILD)]
    _, _, stop = sgd_costs(*WILD)
    assert stop is not None and out["stopped"]["kind"] == "diverged" and out["stopped"]["epoch"] == stop.epoch
    page_words, bpkit_words = out["stopped"]["message"], str(stop)
    head = page_words[: page_words.index("(e.g. 3)") + len("(e.g. 3)")]
    assert bpkit_words.startswith(head) and head.startswith(f"gradient descent diverged: after epoch {stop.epoch}")
