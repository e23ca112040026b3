"""Data sets, in bpkit's column convention: X has one column per example.

A :class:`Dataset` is a pair ``(X, Y)``: X of shape (n_1, N), Y of shape (n_L, N) (one-hot
targets for classification). It unpacks like a tuple, so ``net.accuracy(*test)`` and
``sgd(net, train, ...)`` work, and :meth:`Dataset.pairs` gives Nielsen's list of ``(x, y)``
columns. Nothing here downloads anything: the digits ship inside scikit-learn, and
:func:`load_mnist` reads IDX files that the user already has.
"""

from __future__ import annotations

import gzip
import math
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._extras import require
from ._validate import _short, as_dtype, cast, check_allocation, check_number, check_seed, check_whole, why_not_an_array
from .errors import BpkitTypeError, BpkitValueError, FileFormatError, ShapeError

Array = np.ndarray


class Dataset(NamedTuple):
    """Inputs ``X`` (n_1, N) and targets ``Y`` (n_L, N), one column per example."""

    X: Array
    Y: Array

    @property
    def n(self) -> int:
        """The number of examples N."""
        return self.X.shape[1]

    @property
    def labels(self) -> Array:
        """The class of each example, i.e. the row of its 1 in Y (or Y itself for one output)."""
        return np.argmax(self.Y, axis=0) if self.Y.shape[0] > 1 else self.Y[0]

    def pairs(self) -> list[tuple[Array, Array]]:
        """Nielsen's format: a list of (x, y) columns of shapes (n_1, 1) and (n_L, 1)."""
        return [(self.X[:, [i]], self.Y[:, [i]]) for i in range(self.n)]

    def astype(self, dtype) -> "Dataset":
        dtype = as_dtype(dtype)
        return Dataset(cast(np.asarray(self.X), dtype, "X"), cast(np.asarray(self.Y), dtype, "Y"))

    def __repr__(self) -> str:
        return f"Dataset(X: {self.X.shape}, Y: {self.Y.shape})"


def one_hot(labels, n_classes: int) -> Array:
    """The (n_classes, N) matrix whose column i is e_(labels[i]), the unit vector of its class."""
    n_classes = check_whole(n_classes, "n_classes", 1, " (the rows of the one-hot matrix)")
    try:
        labels = np.asarray(labels)
    except (TypeError, ValueError):
        raise BpkitTypeError(f"labels must be a 1-D array of integers; got {_short(labels)}: "
                             f"{why_not_an_array(labels, 'labels')}") from None
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise (ShapeError if labels.ndim != 1 else BpkitValueError)(
            f"labels must be a 1-D array of integers; got shape {labels.shape}, dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        bad = labels[(labels < 0) | (labels >= n_classes)][0]
        raise BpkitValueError(f"label {bad} is out of range 0..{n_classes - 1}")
    check_allocation([("the one-hot matrix Y", (n_classes, labels.size))], 8, "one_hot")
    Y = np.zeros((n_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def xor() -> Dataset:
    """The four XOR examples: X (2, 4) with columns 00, 01, 10, 11; Y (1, 4) = 0, 1, 1, 0."""
    X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=float)
    return Dataset(X, np.array([[0, 1, 1, 0]], dtype=float))


def _plane_args(n: int, noise: float, classes: int, what: str, noise_name: str = "noise") -> tuple[int, float, int]:
    """The checked arguments of a 2-D data set: n points, at least one per class."""
    classes = check_whole(classes, "classes", 2, " (the number of classes)")
    n = check_whole(n, "n", classes, f" (the points of the {what}, at least one per class)")
    noise = check_number(noise, noise_name, minimum=0.0, meaning=" (the standard deviation added to each point)")
    check_allocation([("X", (2, n)), ("Y", (classes, n))], 8, f"{what}(n={n})")
    return n, noise, classes


def spirals(n: int = 200, noise: float = 0.1, seed: int | None = 0, classes: int = 2) -> Dataset:
    """Interleaved spirals in the plane, one arm per class, n points in all, Y one-hot (classes, n).

    Point i belongs to class i mod ``classes``; its arm is turned by 2π/classes per class. No
    straight line separates them, so a network needs a hidden layer to classify them. With
    ``classes=2`` (the default) the points are those bpkit has always made for a seed.
    """
    n, noise, classes = _plane_args(n, noise, classes, "spirals")
    rng = np.random.default_rng(check_seed(seed))
    labels = np.arange(n) % classes
    t = rng.uniform(0.25, 1.0, n) * 3 * np.pi
    angle = t + 2 * np.pi * labels / classes
    X = np.vstack([t * np.cos(angle), t * np.sin(angle)]) / (3 * np.pi)
    X += noise * rng.standard_normal(X.shape)
    return Dataset(X, one_hot(labels, classes))


def circles(n: int = 200, noise: float = 0.1, factor: float = 0.5, seed: int | None = 0) -> Dataset:
    """Two classes on concentric circles: class 0 on the circle of radius 1, class 1 inside,
    on the circle of radius ``factor``; n points in all, Y one-hot (2, n).

    A straight line cannot separate them; one hidden layer of a few neurons can (a ring).
    """
    n, noise, _ = _plane_args(n, noise, 2, "circles")
    factor = check_number(factor, "factor", minimum=0.0, meaning=" (the inner circle's radius, the outer is 1)")
    if not factor < 1:
        raise BpkitValueError(f"factor must be below 1 (the inner circle's radius, the outer is 1); got {factor}")
    rng = np.random.default_rng(check_seed(seed))
    labels = np.arange(n) % 2
    angle = rng.uniform(0.0, 2 * np.pi, n)
    radius = np.where(labels == 0, 1.0, factor)
    X = np.vstack([radius * np.cos(angle), radius * np.sin(angle)])
    X += noise * rng.standard_normal(X.shape)
    return Dataset(X, one_hot(labels, 2))


def blobs(n: int = 200, classes: int = 2, spread: float = 0.3, seed: int | None = 0) -> Dataset:
    """Gaussian blobs: ``classes`` clusters with centres evenly spaced on the unit circle, each
    point its centre plus Gaussian noise of standard deviation ``spread``; Y one-hot (classes, n).

    Well apart (small spread) they are separated by straight lines: a network with no hidden
    layer suffices.
    """
    n, spread, classes = _plane_args(n, spread, classes, "blobs", "spread")
    rng = np.random.default_rng(check_seed(seed))
    labels = np.arange(n) % classes
    angle = 2 * np.pi * labels / classes + np.pi / 4
    X = np.vstack([np.cos(angle), np.sin(angle)]) + spread * rng.standard_normal((2, n))
    return Dataset(X, one_hot(labels, classes))


def load_digits(test_size: float = 0.2, seed: int | None = 0) -> tuple[Dataset, Dataset]:
    """scikit-learn's 1797 handwritten digits (8×8 images), scaled to [0, 1], as (train, test).

    X has 64 rows (pixel values / 16), Y is one-hot with 10 rows. The split is a seeded random
    permutation with ``test_size`` of the images held out. The images ship inside
    scikit-learn: nothing is downloaded.
    """
    test_size = check_number(test_size, "test_size", positive=True)
    if not test_size < 1:
        raise BpkitValueError(f"test_size must be between 0 and 1; got {test_size}")
    seed = check_seed(seed)
    _sk_load_digits = require("sklearn.datasets", "data", "bpkit.load_digits").load_digits
    digits = _sk_load_digits()
    X = digits.data.T / 16.0
    Y = one_hot(digits.target, 10)
    perm = np.random.default_rng(seed).permutation(X.shape[1])
    n_test = int(round(test_size * X.shape[1]))
    test, train = perm[:n_test], perm[n_test:]
    return Dataset(X[:, train], Y[:, train]), Dataset(X[:, test], Y[:, test])


# -- MNIST's IDX files ------------------------------------------------------------------------

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | Path) -> Array:
    """Read one IDX file (plain or gzipped), the format of LeCun's MNIST files."""
    if not isinstance(path, (str, Path)):
        raise BpkitTypeError(f"path must be a str or pathlib.Path; got {path!r}")
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:  # a corrupt or truncated .gz
        raise FileFormatError(f"{path} is not a readable gzip file ({exc}); it may be truncated: download it again") from None
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES:
        raise FileFormatError(f"{path} is not an IDX file: it does not start with the IDX magic number")
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise FileFormatError(f"{path} is truncated: its header promises {ndim} dimensions")
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[data[2]])
    # Python's integers: NumPy's product of four 32-bit sizes can overflow int64 and wrap round
    # to a size that happens to match, and the reshape would then fail with NumPy's error.
    expected = math.prod(shape) * dtype.itemsize
    if len(data) - header != expected:
        raise FileFormatError(f"{path} is truncated, too long or not an IDX file: its header gives the shape "
                              f"{shape}, which needs {expected:,} bytes of data; found {len(data) - header:,}")
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)


_MNIST_FILES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}


def _find(folder: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"no {stem} (or {stem}.gz) in {folder}; bpkit does not download MNIST, give the folder that holds the files")


def load_mnist(folder: str | Path, kind: str = "train", dtype=np.float64) -> Dataset:
    """Read MNIST (``kind`` = ``"train"`` or ``"test"``) from the IDX files in ``folder``.

    X is (784, N) with pixels scaled to [0, 1]; Y is one-hot (10, N). The files are
    the standard ``train-images-idx3-ubyte`` etc., plain or ``.gz``. Nothing is downloaded.
    """
    if not isinstance(kind, str) or kind not in _MNIST_FILES:
        raise BpkitValueError(f"kind must be 'train' or 'test'; got {kind!r}")
    dtype = as_dtype(dtype)
    if not isinstance(folder, (str, Path)):
        raise BpkitTypeError(f"folder must be a str or pathlib.Path; got {folder!r}")
    folder = Path(folder)
    images = read_idx(_find(folder, _MNIST_FILES[kind][0]))
    labels = read_idx(_find(folder, _MNIST_FILES[kind][1]))
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise FileFormatError(f"MNIST images {images.shape} and labels {labels.shape} do not match: expected (N, rows, cols) and (N,)")
    X = (images.reshape(images.shape[0], -1).T / 255.0).astype(dtype)
    return Dataset(X, one_hot(labels.astype(np.int64), 10).astype(dtype))
