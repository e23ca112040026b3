"""Network: Nielsen's layout, the book's layer index, dtypes, saving, and clear errors."""

import numpy as np
import pytest

import bpkit
from bpkit import Network


def test_nielsen_layout():
    net = Network([784, 30, 10], seed=0)
    assert net.sizes == [784, 30, 10] and net.num_layers == 3 == net.L
    assert [w.shape for w in net.weights] == [(30, 784), (10, 30)]
    assert [b.shape for b in net.biases] == [(30, 1), (10, 1)]
    assert net.w(2) is net.weights[0] and net.b(3) is net.biases[1]


def test_feedforward_is_sigma_of_wa_plus_b_in_components(rng):
    """a^l_j = σ(Σ_k w^l_jk a^(l−1)_k + b^l_j), written out with loops."""
    net = Network([3, 2, 2], seed=4)
    x = rng.normal(size=(3, 1))
    a = x[:, 0]
    for l in (2, 3):
        w, b = net.w(l), net.b(l)
        a = np.array([1 / (1 + np.exp(-(sum(w[j, k] * a[k] for k in range(len(a))) + b[j, 0])))
                      for j in range(w.shape[0])])
    np.testing.assert_allclose(net.feedforward(x)[:, 0], a, rtol=1e-14)


def test_columns_are_examples(rng):
    net = Network([3, 4, 2], seed=5)
    X = rng.normal(size=(3, 5))
    out = net.feedforward(X)
    for c in range(5):
        np.testing.assert_allclose(out[:, [c]], net.feedforward(X[:, [c]]), rtol=1e-14)


def test_seed_makes_weights_reproducible():
    a, b, c = Network([3, 4, 2], seed=7), Network([3, 4, 2], seed=7), Network([3, 4, 2], seed=8)
    assert all(np.array_equal(u, v) for u, v in zip(a.weights, b.weights))
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_scaled_init_keeps_weighted_inputs_unsaturated():
    std = np.std(Network([400, 300, 1], seed=0).w(2))
    assert abs(std - 1 / np.sqrt(400)) < 0.002
    assert abs(np.std(Network([400, 300, 1], seed=0, init="normal").w(2)) - 1) < 0.01


def test_float32_end_to_end(rng):
    net = Network([4, 3, 2], seed=1, dtype=np.float32)
    x, y = rng.normal(size=(4, 3)), rng.normal(size=(2, 3))
    assert net.feedforward(x).dtype == np.float32
    nabla_b, nabla_w = net.backprop(x, y)
    assert all(g.dtype == np.float32 for g in nabla_b + nabla_w)
    ref_b, ref_w = net.astype(np.float64).backprop(x, y)
    for g, r in zip(nabla_b + nabla_w, ref_b + ref_w):
        np.testing.assert_allclose(g, r, rtol=1e-4, atol=1e-6)
    train, _ = bpkit.load_digits()
    net32 = Network([64, 10, 10], seed=0, dtype=np.float32)
    bpkit.sgd(net32, train.astype(np.float32), 1, 10, 3.0, progress=False)
    assert all(w.dtype == np.float32 for w in net32.weights)


def test_save_and_load_round_trip(tmp_path):
    net = Network([3, 5, 2], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=3)
    net.save(tmp_path / "net.npz")
    back = Network.load(tmp_path / "net.npz")
    assert back.sizes == net.sizes and repr(back) == repr(net)
    for u, v in zip(net.weights + net.biases, back.weights + back.biases):
        assert np.array_equal(u, v)
    with np.load(tmp_path / "net.npz", allow_pickle=False) as f:  # no pickled objects inside
        assert set(f.files) == {"sizes", "meta", "w2", "w3", "b2", "b3"}


def test_copy_is_independent():
    net = Network([2, 2, 1], seed=0)
    twin = net.copy()
    twin.w(2)[0, 0] += 1
    assert net.w(2)[0, 0] != twin.w(2)[0, 0]


def test_accuracy_and_evaluate_agree(rng):
    net = Network([3, 4, 3], seed=0)
    X = rng.normal(size=(3, 20))
    labels = rng.integers(0, 3, size=20)
    pairs = [(X[:, [i]], int(labels[i])) for i in range(20)]
    assert net.evaluate(pairs) == round(net.accuracy(X, labels) * 20)
    assert net.accuracy(X, bpkit.one_hot(labels, 3)) == net.accuracy(X, labels)


# -- bad input: a clear error in the book's notation, raised at the boundary ------------------

@pytest.mark.parametrize("sizes, error, message", [
    ([3], ValueError, r"at least two layers"),
    ([], ValueError, r"at least two layers"),
    ([3, 0, 2], ValueError, r"layer l=2 must have at least one neuron"),
    ([3, 2.5], TypeError, r"sizes\[1\] \(layer l=2\) must be a whole number"),
    ("32", TypeError, r"list of layer sizes"),
])
def test_bad_sizes(sizes, error, message):
    with pytest.raises(error, match=message):
        Network(sizes)


def test_bad_activation_cost_dtype_init():
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        Network([2, 2], activation="swish")
    with pytest.raises(ValueError, match="may only be the output activation"):
        Network([2, 2, 2], activation="softmax")
    with pytest.raises(ValueError, match="unknown cost 'hinge'"):
        Network([2, 2], cost="hinge")
    with pytest.raises(TypeError, match="float32 or float64; got int64"):
        Network([2, 2], dtype=np.int64)
    with pytest.raises(ValueError, match="init must be one of"):
        Network([2, 2], init="xavier")


def test_wrong_input_shapes_name_the_layer():
    net = Network([3, 4, 2], seed=0)
    with pytest.raises(ValueError, match=r"x \(the input a\^1, 3 neurons\) must have shape \(3, m\); got shape \(4, 1\)"):
        net.feedforward(np.zeros((4, 1)))
    with pytest.raises(ValueError, match=r"1-D array of shape \(3,\): use x.reshape\(-1, 1\)"):
        net.feedforward(np.zeros(3))
    with pytest.raises(ValueError, match=r"y \(the target for a\^3, layer l=3 \(the output layer L\) of 2 neurons\) must have shape \(2, 1\); got shape \(3, 1\)"):
        net.backprop(np.zeros((3, 1)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"must have shape \(2, 2\); got shape \(2, 1\)"):
        net.backprop(np.zeros((3, 2)), np.zeros((2, 1)))  # no broadcasting of one target over two examples
    with pytest.raises(ValueError, match=r"is empty"):
        net.feedforward(np.zeros((3, 0)))
    with pytest.raises(ValueError, match=r"3-D|must have shape \(3, m\); got shape \(3, 1, 1\)"):
        net.feedforward(np.zeros((3, 1, 1)))


def test_non_finite_and_non_numeric_input():
    net = Network([2, 2], seed=0)
    with pytest.raises(ValueError, match=r"non-finite value nan at row 1, column 0"):
        net.feedforward(np.array([[0.0], [np.nan]]))
    with pytest.raises(ValueError, match=r"non-finite value inf"):
        net.backprop(np.zeros((2, 1)), np.array([[np.inf], [0.0]]))
    with pytest.raises(TypeError, match=r"must hold real numbers; got an array of dtype <U1"):
        net.feedforward(np.array([["a"], ["b"]]))
    with pytest.raises(TypeError, match="NumPy array of numbers"):
        net.feedforward(None)
    with pytest.raises(TypeError, match="must hold real numbers"):
        net.feedforward(np.array([[1 + 2j], [0]]))


def test_wrong_weights_name_the_layer():
    with pytest.raises(ValueError, match=r"w\^3 \(layer l=3 \(the output layer L\): 2 neurons fed by the 4 of layer l=2\) must have shape \(2, 4\); got shape \(4, 2\)"):
        Network([3, 4, 2], weights=[np.zeros((4, 3)), np.zeros((4, 2))])
    with pytest.raises(ValueError, match=r"expected 2 arrays \(b\^2 ... b\^3\)"):
        Network([3, 4, 2], biases=[np.zeros((4, 1))])
    with pytest.raises(ValueError, match=r"b\^2 \(layer l=2, 4 neurons\) has a non-finite value"):
        Network([3, 4, 2], biases=[np.full((4, 1), np.nan), np.zeros((2, 1))])


def test_layer_index_out_of_range():
    net = Network([3, 4, 2])
    for l in (1, 4, 0, -1):
        with pytest.raises(IndexError, match=rf"layer l={l} has no weights or biases: they exist for l = 2, ..., L = 3"):
            net.w(l)


def test_labels_out_of_range():
    net = Network([2, 3], seed=0)
    with pytest.raises(ValueError, match=r"label 3 is out of range: the output layer has 3 neurons, so labels are 0..2"):
        net.accuracy(np.zeros((2, 2)), np.array([0, 3]))
    with pytest.raises(TypeError, match="whole numbers"):
        net.accuracy(np.zeros((2, 2)), np.array([0.5, 1.0]))


def test_one_output_neuron_means_two_classes():
    """A network with one output neuron (XOR) predicts class 1 where a^L ≥ 0.5; its labels
    are 0 and 1, given as a vector or as the target row itself."""
    X, Y = bpkit.xor()
    net = bpkit.Network([2, 3, 1], seed=0, cost="cross_entropy")
    net.weights = [np.array([[6.0, 6.0], [-6.0, -6.0], [0.0, 0.0]]), np.array([[9.0, 9.0, 0.0]])]
    net.biases = [np.array([[-3.0], [9.0], [0.0]]), np.array([[-13.0]])]
    assert net.predict(X).tolist() == [0, 1, 1, 0]
    assert net.accuracy(X, Y) == net.accuracy(X, [0, 1, 1, 0]) == 1.0
    assert net.accuracy(X, [1, 0, 0, 1]) == 0.0
    with pytest.raises(ValueError, match="one output neuron the labels are the two classes 0 and 1; got 2"):
        net.accuracy(X, [0, 1, 2, 0])
