"""Data sets: shapes, scaling, reproducible splits, and the IDX reader on files the test writes."""

import gzip
import struct

import numpy as np
import pytest

import bpkit
from bpkit.data import load_mnist, read_idx


def test_digits_split_and_scaling():
    train, test = bpkit.load_digits(test_size=0.2, seed=0)
    assert train.X.shape == (64, 1438) and test.X.shape == (64, 359)
    assert train.Y.shape == (10, 1438) and np.all(train.Y.sum(axis=0) == 1)
    assert 0 <= train.X.min() and train.X.max() == 1.0
    again, _ = bpkit.load_digits(test_size=0.2, seed=0)
    np.testing.assert_array_equal(train.X, again.X)
    other, _ = bpkit.load_digits(test_size=0.2, seed=1)
    assert not np.array_equal(train.X, other.X)
    assert set(np.unique(test.labels)) == set(range(10))


def test_dataset_pairs_are_nielsens_format():
    train, _ = bpkit.load_digits()
    pairs = train.pairs()
    assert len(pairs) == train.n and pairs[3][0].shape == (64, 1) and pairs[3][1].shape == (10, 1)
    np.testing.assert_array_equal(pairs[3][0], train.X[:, [3]])


def test_xor_and_spirals():
    X, Y = bpkit.xor()
    np.testing.assert_array_equal(Y[0], np.logical_xor(X[0], X[1]).astype(float))
    s = bpkit.spirals(100, seed=3)
    assert s.X.shape == (2, 100) and s.Y.shape == (2, 100) and s.labels.sum() == 50
    np.testing.assert_array_equal(s.X, bpkit.spirals(100, seed=3).X)


def test_spirals_of_three_classes_circles_and_blobs():
    """The playground's data sets: seeded, one-hot, balanced classes, each class where it should be."""
    two = bpkit.spirals(60, seed=5)
    three = bpkit.spirals(60, seed=5, classes=3)
    assert three.Y.shape == (3, 60) and np.bincount(three.labels).tolist() == [20, 20, 20]
    np.testing.assert_array_equal(two.X, bpkit.spirals(60, seed=5, classes=2).X)  # the old points
    np.testing.assert_array_equal(three.X, bpkit.spirals(60, seed=5, classes=3).X)
    # without noise, each arm of a spiral is its class's angle turned by 2π/3
    clean = bpkit.spirals(30, noise=0.0, seed=1, classes=3)
    r = np.hypot(*clean.X)
    t = r * 3 * np.pi
    angle = np.arctan2(clean.X[1], clean.X[0])
    np.testing.assert_allclose(np.cos(angle - t - 2 * np.pi * clean.labels / 3), 1.0, atol=1e-9)
    c = bpkit.circles(100, noise=0.0, factor=0.4, seed=2)
    np.testing.assert_allclose(np.hypot(*c.X), np.where(c.labels == 0, 1.0, 0.4))
    assert np.bincount(c.labels).tolist() == [50, 50]
    b = bpkit.blobs(300, classes=3, spread=0.1, seed=0)
    centres = np.array([[np.cos(a), np.sin(a)] for a in 2 * np.pi * np.arange(3) / 3 + np.pi / 4]).T
    for k in range(3):
        np.testing.assert_allclose(b.X[:, b.labels == k].mean(axis=1), centres[:, k], atol=0.03)
    np.testing.assert_array_equal(b.X, bpkit.blobs(300, classes=3, spread=0.1, seed=0).X)
    assert not np.array_equal(b.X, bpkit.blobs(300, classes=3, spread=0.1, seed=1).X)
    with pytest.raises(bpkit.errors.BpkitValueError, match="factor must be below 1"):
        bpkit.circles(10, factor=1.0)
    with pytest.raises(bpkit.errors.BpkitValueError, match="at least one per class"):
        bpkit.spirals(2, classes=3)
    with pytest.raises(ValueError, match="classes"):
        bpkit.blobs(10, classes=1)


def test_one_hot():
    np.testing.assert_array_equal(bpkit.one_hot(np.array([2, 0]), 3), [[0, 1], [0, 0], [1, 0]])
    with pytest.raises(ValueError, match="label 3 is out of range 0..2"):
        bpkit.one_hot(np.array([3]), 3)
    with pytest.raises(ValueError, match="1-D array of integers"):
        bpkit.one_hot(np.array([0.5]), 3)


def write_idx(path, array, code):
    header = struct.pack(">BBBB", 0, 0, code, array.ndim) + b"".join(struct.pack(">I", n) for n in array.shape)
    data = header + array.astype(array.dtype.newbyteorder(">")).tobytes()
    (gzip.open if str(path).endswith(".gz") else open)(path, "wb").write(data)


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist_from_small_idx_files(tmp_path, gz):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    labels = np.array([7, 2, 1, 0, 4], dtype=np.uint8)
    suffix = ".gz" if gz else ""
    write_idx(tmp_path / f"t10k-images-idx3-ubyte{suffix}", images, 0x08)
    write_idx(tmp_path / f"t10k-labels-idx1-ubyte{suffix}", labels, 0x08)
    test = load_mnist(tmp_path, "test")
    assert test.X.shape == (784, 5) and test.Y.shape == (10, 5)
    np.testing.assert_allclose(test.X[:, 2], images[2].ravel() / 255.0)
    np.testing.assert_array_equal(test.labels, labels)
    with pytest.raises(FileNotFoundError, match="bpkit does not download MNIST"):
        load_mnist(tmp_path, "train")


def test_read_idx_other_types_and_bad_files(tmp_path):
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    write_idx(tmp_path / "f.idx", a, 0x0E)
    np.testing.assert_array_equal(read_idx(tmp_path / "f.idx"), a)
    (tmp_path / "bad").write_bytes(b"hello world")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(tmp_path / "bad")
    good = (tmp_path / "f.idx").read_bytes()
    (tmp_path / "short").write_bytes(good[:-8])
    with pytest.raises(ValueError, match=r"truncated, too long or not an IDX file: its header gives the shape \(2, 3\), which needs 48 bytes of data; found 40"):
        read_idx(tmp_path / "short")
    with pytest.raises(ValueError, match="kind must be 'train' or 'test'"):
        load_mnist(tmp_path, "validation")
