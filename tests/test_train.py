"""SGD: Ng's per-example loop and the matrix form agree; training reaches Nielsen's accuracy."""

import subprocess
import sys

import numpy as np
import pytest

import bpkit
from bpkit import Network, sgd
from bpkit.train import update_mini_batch_matrix, update_mini_batch_per_example


@pytest.mark.parametrize("lmbda", [0.0, 5.0])
@pytest.mark.parametrize("mini_batch_size", [1, 7, 10])
def test_per_example_and_matrix_forms_give_the_same_weights(mini_batch_size, lmbda):
    train, test = bpkit.load_digits(seed=1)
    nets = {m: Network([64, 16, 10], seed=3) for m in ("per_example", "matrix")}
    for method, net in nets.items():
        sgd(net, train, 1, mini_batch_size, 0.5, lmbda=lmbda, seed=11, method=method, progress=False)
    a, b = nets["per_example"], nets["matrix"]
    assert not np.allclose(a.w(2), Network([64, 16, 10], seed=3).w(2))  # they did move
    for u, v in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_allclose(u, v, rtol=0, atol=1e-12)


def test_one_update_is_eta_over_m_times_the_summed_gradient(rng):
    net = Network([3, 4, 2], seed=0)
    X, Y = rng.normal(size=(3, 5)), rng.normal(size=(2, 5))
    nabla_b, nabla_w = net.backprop(X, Y)
    before = net.copy()
    update_mini_batch_per_example(net, X, Y, eta=0.3, lmbda=2.0, n=50)
    for l in (2, 3):
        expected = (1 - 0.3 * 2.0 / 50) * before.w(l) - 0.3 / 5 * nabla_w[l - 2]
        np.testing.assert_allclose(net.w(l), expected, rtol=1e-13)
        np.testing.assert_allclose(net.b(l), before.b(l) - 0.3 / 5 * nabla_b[l - 2], rtol=1e-13)
    twin = before.copy()
    update_mini_batch_matrix(twin, X, Y, eta=0.3, lmbda=2.0, n=50)
    for u, v in zip(net.weights, twin.weights):
        np.testing.assert_allclose(u, v, rtol=1e-13)


def test_digits_with_nielsens_settings_reach_95_percent():
    train, test = bpkit.load_digits()
    net = Network([64, 30, 10], activation="sigmoid", cost="quadratic", seed=0)
    history = sgd(net, train, 30, 10, 3.0, test_data=test, seed=0, progress=False)
    assert history.test_accuracy[-1] >= 0.95
    assert history.training_cost[-1] < history.training_cost[0]  # and the cost went down
    assert history.epoch == list(range(1, 31)) and len(history.seconds) == 30


def test_xor_needs_and_learns_a_hidden_layer():
    X, Y = bpkit.xor()
    net = Network([2, 3, 1], seed=1)
    sgd(net, (X, Y), 3000, 4, 2.0, seed=0, progress=False, monitor_cost=False)
    np.testing.assert_array_equal(np.round(net.feedforward(X)), Y)


def test_nielsens_list_of_pairs_and_integer_test_labels():
    train, test = bpkit.load_digits()
    pairs = train.pairs()
    test_pairs = [(x, int(np.argmax(y))) for x, y in test.pairs()]
    a, b = Network([64, 12, 10], seed=2), Network([64, 12, 10], seed=2)
    ha = sgd(a, pairs, 2, 10, 3.0, test_data=test_pairs, seed=5, progress=False)
    hb = sgd(b, train, 2, 10, 3.0, test_data=(test.X, test.labels), seed=5, progress=False)
    assert ha.test_accuracy == hb.test_accuracy
    np.testing.assert_array_equal(a.w(2), b.w(2))


def test_progress_bar_only_on_long_runs(capsys, monkeypatch):
    train, test = bpkit.load_digits()
    sgd(Network([64, 30, 10], seed=0), train, 1, 10, 3.0, progress=True)
    assert capsys.readouterr().err == ""  # a run shorter than PROGRESS_DELAY stays quiet
    monkeypatch.setattr(bpkit.train, "PROGRESS_DELAY", 0.0)  # as if the run were long
    sgd(Network([64, 30, 10], seed=0), train, 2, 10, 3.0, test_data=test, progress=True)
    err = capsys.readouterr().err
    assert "SGD: 100%" in err and "288/288" in err and "test acc=" in err
    sgd(Network([64, 30, 10], seed=0), train, 2, 10, 3.0, progress=False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("kwargs, message", [
    ({"epochs": 0}, "epochs must be a whole number >= 1"),
    ({"mini_batch_size": 0}, "mini_batch_size must be a whole number >= 1"),
    ({"eta": -1.0}, r"eta must be a positive number \(the learning rate η\)"),
    ({"eta": float("nan")}, "eta must be a positive number"),
    ({"lmbda": -0.1}, "lmbda must be a number >= 0"),
    ({"method": "adam"}, "method must be one of"),
])
def test_bad_hyperparameters(kwargs, message):
    args = {"epochs": 1, "mini_batch_size": 10, "eta": 1.0, "lmbda": 0.0, "method": "matrix"} | kwargs
    with pytest.raises(ValueError, match=message):
        sgd(Network([2, 1]), bpkit.xor(), args["epochs"], args["mini_batch_size"], args["eta"],
            lmbda=args["lmbda"], method=args["method"], progress=False)


def test_bad_training_data():
    net = Network([2, 1])
    with pytest.raises(ValueError, match="training data is empty"):
        sgd(net, [], 1, 1, 1.0)
    with pytest.raises(TypeError, match="must be a Dataset, a pair"):
        sgd(net, "data", 1, 1, 1.0)
    with pytest.raises(ValueError, match=r"y \(the target for a\^2.*must have shape \(1, 4\); got shape \(2, 4\)"):
        sgd(net, (bpkit.xor().X, np.zeros((2, 4))), 1, 1, 1.0)
    with pytest.raises(ValueError, match=r"x \(the input a\^1, 2 neurons\) must have shape \(2, m\); got shape \(4, 2\)"):
        sgd(net, (bpkit.xor().X.T, bpkit.xor().Y), 1, 1, 1.0)
    with pytest.raises(ValueError, match="label 5 is out of range"):
        sgd(Network([2, 3]), (bpkit.xor().X, np.array([0, 1, 2, 5])), 1, 1, 1.0)


def test_demo_runs_from_the_command_line():
    out = subprocess.run([sys.executable, "-m", "bpkit", "--epochs", "3", "--no-progress"],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    assert "Network([64, 30, 10]" in out and "test accuracy after 3 epochs:" in out
    accuracy = float(out.split("test accuracy after 3 epochs:")[1].split("%")[0])
    assert 80 < accuracy <= 100


def test_sgd_takes_the_order_of_the_mini_batches():
    """batches= replaces the shuffle: sgd then takes exactly the steps of that order (here the
    playground's, page_batches), as update_mini_batch_matrix does step by step."""
    from bpkit.train import page_batches, update_mini_batch_matrix

    data = bpkit.spirals(30, seed=2)
    order = page_batches(30, 4, seed=7)
    assert order(1) == order(1) and order(1) != order(2)
    assert all(len(b) == 4 for b in order(1)[:-1]) and len(order(1)[-1]) == 2
    assert sorted(i for b in order(3) for i in b) == list(range(30))
    net = bpkit.Network([2, 5, 2], "tanh", "cross_entropy", output_activation="sigmoid", seed=1)
    by_hand = net.copy()
    history = bpkit.sgd(net, data, 3, 4, 0.5, batches=order, progress=False)
    for epoch in (1, 2, 3):
        for idx in order(epoch):
            update_mini_batch_matrix(by_hand, data.X[:, idx], data.Y[:, idx], 0.5)
    for l in (2, 3):
        np.testing.assert_allclose(net.w(l), by_hand.w(l), rtol=1e-13, atol=1e-15)
    assert len(history.training_cost) == 3
    assert bpkit.sgd(by_hand, data, 1, 4, 0.5, batches=lambda e: [[0, 1], [2]], progress=False).epoch == [1]


@pytest.mark.parametrize("batches, message", [
    (lambda e: [], "gave no mini-batch"),
    (lambda e: [[0, 1, 2, 3, 4]], "1 to 4 column indices"),
    (lambda e: [[0, 99]], "outside 0..29"),
    (lambda e: [[0.5]], "column indices"),
    ([[0, 1]], "must be a function of the epoch"),
    (lambda: [[0]], "calling it failed"),
])
def test_sgd_refuses_bad_batches(batches, message):
    data = bpkit.spirals(30, seed=2)
    net = bpkit.Network([2, 3, 2], seed=0)
    with pytest.raises(bpkit.errors.BpkitError, match=message):
        bpkit.sgd(net, data, 1, 4, 0.5, batches=batches, progress=False)
    with pytest.raises(bpkit.errors.BpkitValueError, match="not both"):
        bpkit.sgd(net, data, 1, 4, 0.5, seed=0, batches=lambda e: [[0]], progress=False)
