"""``Network``: the sizes, weights and biases of a feedforward network, in Nielsen's layout.

``sizes = [n_1, ..., n_L]`` lists the neurons per layer, input layer first. ``weights[i]`` is
the book's w^(i+2), of shape (n_(i+2), n_(i+1)); ``biases[i]`` is b^(i+2), a column of shape
(n_(i+2), 1). The book counts layers from 1, so :meth:`Network.w` and :meth:`Network.b` give
the same arrays by the book's index l = 2, ..., L.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from . import equations
from ._validate import (
    _short, as_dtype, check_allocation, check_array, check_pairing, check_seed, check_sizes, check_targets, layer_name,
    why_not_an_array,
)
from .activations import Activation, get_activation
from .costs import Cost, get_cost
from .errors import BpkitTypeError, BpkitValueError, FileFormatError, LayerIndexError, ShapeError
from .forward import feedforward, forward

Array = np.ndarray

INITS = ("normal", "scaled")


class Network:
    """A fully connected feedforward network a^l = σ(w^l a^(l−1) + b^l).

    Args:
        sizes: neurons per layer, e.g. ``[784, 30, 10]``; at least two layers.
        activation: σ of the hidden layers (``"sigmoid"``, ``"tanh"``, ``"relu"``,
            ``"identity"``) or an :class:`~bpkit.activations.Activation`.
        cost: ``"quadratic"`` (C_x = ½‖y − a^L‖²), ``"cross_entropy"`` or ``"log_likelihood"``.
        output_activation: σ of the output layer L; defaults to ``activation``. ``"softmax"``
            is allowed here only.
        seed: seed of the random initial weights and biases.
        dtype: ``np.float64`` (default) or ``np.float32``.
        init: ``"normal"``, Nielsen's ``network.py``: every w and b drawn from N(0, 1);
            ``"scaled"`` (default), Nielsen's ``network2.py``: w^l_jk from N(0, 1/n_(l−1)) so
            that z^l does not start saturated, b^l_j from N(0, 1).
        weights, biases: start from these arrays instead (copied and checked).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Activation = "sigmoid",
        cost: str | Cost = "quadratic",
        output_activation: str | Activation | None = None,
        seed: int | None = None,
        dtype: Any = np.float64,
        init: str = "scaled",
        weights: Sequence[Array] | None = None,
        biases: Sequence[Array] | None = None,
    ) -> None:
        self.sizes: list[int] = check_sizes(sizes)
        self.num_layers: int = len(self.sizes)
        self.activation: Activation = get_activation(activation)
        if not self.activation.elementwise:
            raise BpkitValueError(
                f"{self.activation.name} is not element-wise and may only be the output activation; "
                f"pass output_activation={self.activation.name!r} and an element-wise activation"
            )
        self.output_activation: Activation = (
            self.activation if output_activation is None else get_activation(output_activation)
        )
        self.cost: Cost = get_cost(cost)
        check_pairing(self.cost, self.output_activation)
        self.dtype: np.dtype = as_dtype(dtype)
        if not isinstance(init, str) or init not in INITS:
            raise BpkitValueError(f"init must be one of {INITS}; got {_short(init)}")
        pairs = list(zip(self.sizes[:-1], self.sizes[1:]))
        # Before anything is allocated: every w^l and b^l must fit (and so must float64 copies).
        check_allocation(
            [(f"w^{l}", (n_out, n_in)) for l, (n_in, n_out) in enumerate(pairs, start=2)]
            + [(f"b^{l}", (n_out, 1)) for l, (_, n_out) in enumerate(pairs, start=2)],
            8, f"Network({self.sizes})",
        )
        rng = np.random.default_rng(check_seed(seed))
        if weights is None:
            scale = [1.0 if init == "normal" else 1.0 / np.sqrt(n_in) for n_in, _ in pairs]
            weights = [rng.standard_normal((n_out, n_in)) * s for (n_in, n_out), s in zip(pairs, scale)]
        if biases is None:
            biases = [rng.standard_normal((n_out, 1)) for _, n_out in pairs]
        self.weights: list[Array] = self._check_params(weights, "w", lambda n_in, n_out: (n_out, n_in))
        self.biases: list[Array] = self._check_params(biases, "b", lambda n_in, n_out: (n_out, 1))

    # -- parameters ---------------------------------------------------------------------------

    def _check_params(self, params: Sequence[Array], sym: str, shape) -> list[Array]:
        L = self.num_layers
        if isinstance(params, (str, bytes, np.ndarray, dict)) or not hasattr(params, "__len__"):
            raise BpkitTypeError(
                f"{'weights' if sym == 'w' else 'biases'} must be a list of {L - 1} arrays "
                f"({sym}^2 ... {sym}^{L}); got {_short(params)}"
            )
        if len(params) != L - 1:
            raise ShapeError(
                f"{sym}: expected {L - 1} arrays ({sym}^2 ... {sym}^{L}) for sizes {self.sizes}; got {len(params)}"
            )
        out = []
        for i, p in enumerate(params):
            l = i + 2
            rows, cols = shape(self.sizes[i], self.sizes[i + 1])
            if sym == "w":
                where = f"{layer_name(l, L)}: {rows} neurons fed by the {cols} of layer l={l - 1}"
            else:
                where = f"{layer_name(l, L)}, {rows} neurons"
            checked = check_array(p, f"{sym}^{l}", rows=rows, cols=cols, where=where, dtype=self.dtype)
            # A copy, stored column by column (Fortran order); the numbers and the shape
            # (n_l, n_(l−1)) are the same either way. With the Haswell kernels of OpenBLAS, which
            # the machines this was measured on select, BP4's δ^l (a^(l−1))^T is up to 1.5× faster
            # into this layout, and a training step up to 1.3× (benchmarks/bench.py); with its
            # AVX-512 kernels row order was faster by up to 15% on the smallest products.
            out.append(np.array(checked, order="F" if sym == "w" else "C", copy=True))
        return out

    @property
    def L(self) -> int:
        """The number of layers L (the book's name for ``num_layers``)."""
        return self.num_layers

    def _index(self, l: int) -> int:
        if isinstance(l, bool) or not isinstance(l, (int, np.integer)) or not 2 <= l <= self.num_layers:
            raise LayerIndexError(
                f"layer l={l!r} has no weights or biases: they exist for l = 2, ..., L = {self.num_layers} "
                f"(layer l=1 is the input layer)"
            )
        return int(l) - 2

    def w(self, l: int) -> Array:
        """w^l, the weight matrix into layer l (l = 2, ..., L): entry [j−1, k−1] is w^l_jk."""
        return self.weights[self._index(l)]

    def b(self, l: int) -> Array:
        """b^l, the bias column of layer l (l = 2, ..., L): entry [j−1, 0] is b^l_j."""
        return self.biases[self._index(l)]

    @property
    def num_parameters(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def copy(self) -> "Network":
        return Network(
            self.sizes, self.activation, self.cost, self.output_activation,
            dtype=self.dtype, weights=self.weights, biases=self.biases,
        )

    def astype(self, dtype: Any) -> "Network":
        """A copy of this network with parameters of another float dtype."""
        return Network(
            self.sizes, self.activation, self.cost, self.output_activation,
            dtype=dtype, weights=self.weights, biases=self.biases,
        )

    def __repr__(self) -> str:
        out = "" if self.output_activation is self.activation else f", output_activation={self.output_activation.name!r}"
        return (
            f"Network({self.sizes}, activation={self.activation.name!r}{out}, cost={self.cost.name!r}, "
            f"dtype={self.dtype.name})"
        )

    # -- checking inputs ----------------------------------------------------------------------

    def check_x(self, x: Any) -> Array:
        """x as a (n_1, m) array of this network's dtype, or a clear error."""
        return check_array(x, "x", rows=self.sizes[0], where=f"the input a^1, {self.sizes[0]} neurons", dtype=self.dtype)

    def check_y(self, y: Any, m: int | None = None) -> Array:
        """y as a (n_L, m) array of this network's dtype, or a clear error; with ``m``, y must
        have exactly m columns, one per example of x."""
        L = self.num_layers
        y = check_array(
            y, "y", rows=self.sizes[-1], cols=m,
            where=f"the target for a^{L}, {layer_name(L, L)} of {self.sizes[-1]} neurons", dtype=self.dtype,
        )
        check_targets(y, self.cost)
        return y

    def check_xy(self, x: Any, y: Any) -> tuple[Array, Array]:
        x = self.check_x(x)
        return x, self.check_y(y, m=x.shape[1])

    # -- the passes ---------------------------------------------------------------------------

    def feedforward(self, a: Any) -> Array:
        """Return a^L for input a^1 = ``a`` (a column, or a matrix with one column per example)."""
        return feedforward(self.weights, self.biases, self.check_x(a), self.activation, self.output_activation)

    def forward(self, x: Any) -> tuple[list[Array], list[Array]]:
        """Return ``(zs, activations)``: ``zs[i]`` = z^(i+2), ``activations[i]`` = a^(i+1)."""
        return forward(self.weights, self.biases, self.check_x(x), self.activation, self.output_activation)

    def backprop(self, x: Any, y: Any) -> tuple[list[Array], list[Array]]:
        """Return ``(nabla_b, nabla_w)``, the gradient of C_x by BP1-BP4.

        ``nabla_b[i]`` = ∂C_x/∂b^(i+2), ``nabla_w[i]`` = ∂C_x/∂w^(i+2), of the shapes of
        ``biases[i]`` and ``weights[i]``. For a mini-batch (x, y with one column per example)
        the gradients are *summed* over the columns, Σ_x ∂C_x/∂w, ready for Ng's "accumulate,
        then update".
        """
        x, y = self.check_xy(x, y)
        return equations.backprop(
            self.weights, self.biases, x, y, self.activation, self.output_activation, self.cost
        )

    def cost_value(self, x: Any, y: Any) -> float:
        """The mean cost C = 1/n Σ_x C_x over the columns of x and y (C_x for one column)."""
        x, y = self.check_xy(x, y)
        a = feedforward(self.weights, self.biases, x, self.activation, self.output_activation)
        return self.cost.fn(a, y) / x.shape[1]

    def predict(self, x: Any) -> Array:
        """The class of each column of x: the index of the most active output neuron, or, for
        a network with one output neuron (two classes, 0 and 1), 1 where a^L ≥ 0.5."""
        a = self.feedforward(x)
        if self.sizes[-1] == 1:
            return (a[0] >= 0.5).astype(np.int64)
        return np.argmax(a, axis=0)

    def accuracy(self, x: Any, labels: Any) -> float:
        """The fraction of columns of x whose prediction equals the label (an integer class
        per column, or a one-hot matrix)."""
        x = self.check_x(x)
        labels = as_labels(labels, self.sizes[-1], x.shape[1])
        return float(np.mean(self.predict(x) == labels))

    def evaluate(self, test_data: Sequence[tuple[Array, Any]]) -> int:
        """Nielsen's ``evaluate``: how many (x, y) pairs, y an integer label, are classified right."""
        if isinstance(test_data, (str, bytes, np.ndarray)) or not isinstance(test_data, Sequence) or not all(
            isinstance(p, tuple) and len(p) == 2 for p in test_data
        ):
            raise BpkitTypeError(f"test_data must be a list of (x, y) pairs, y an integer label; got {_short(test_data)}")
        count = 0
        for x, y in test_data:
            y = np.asarray(y)
            label = as_labels(y.reshape(1) if y.ndim == 0 else y.reshape(-1, 1), self.sizes[-1], 1)[0]
            count += int(self.predict(x)[0] == label)
        return count

    # -- saving -------------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Save sizes, activations, cost and every w^l and b^l to a ``.npz`` file (no pickle)."""
        if not isinstance(path, (str, Path)):
            raise BpkitTypeError(f"path must be a str or pathlib.Path; got {_short(path)}")
        arrays = {f"w{l}": w for l, w in enumerate(self.weights, start=2)}
        arrays.update({f"b{l}": b for l, b in enumerate(self.biases, start=2)})
        meta = [self.activation.name, self.output_activation.name, self.cost.name, self.dtype.name]
        np.savez(path, sizes=np.array(self.sizes), meta=np.array(meta), **arrays)

    @classmethod
    def load(cls, path: str | Path) -> "Network":
        """Load a network saved by :meth:`save`.

        ``path`` may omit the ``.npz`` that ``save`` (NumPy's ``savez``) appends. Any file that
        is not a network written by :meth:`save` (empty, truncated, pickled, a ``.npy``, an
        ``.npz`` with other arrays) raises one :class:`~bpkit.errors.FileFormatError` naming the
        path and what is wrong; nothing in it is ever unpickled.
        """
        if not isinstance(path, (str, Path)):
            raise BpkitTypeError(f"path must be a str or pathlib.Path; got {_short(path)}")
        path = Path(path)
        if not path.exists() and path.suffix != ".npz" and path.with_name(path.name + ".npz").exists():
            path = path.with_name(path.name + ".npz")  # what save(path) wrote
        if not path.is_file():
            raise FileNotFoundError(f"no network file at {path} (Network.save writes a .npz file)")

        def bad(what: str) -> FileFormatError:
            return FileFormatError(f"{path} is not a network saved by Network.save: {what}")

        with open(path, "rb") as fh:
            head = fh.read(6)
        if not head:
            raise bad("the file is empty")
        if head.startswith(b"\x93NUMPY"):
            raise bad("it is a single .npy array (np.save), not the .npz archive Network.save writes")
        if not head.startswith(b"PK"):
            raise bad("it is not a .npz (zip) archive" + (" but looks like a pickle, which bpkit never loads" if head[:1] == b"\x80" else ""))
        try:
            with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as f:
                missing = {"sizes", "meta"} - set(f.files)
                if missing:
                    raise bad(f"it has no {' or '.join(sorted(missing))} array (it holds {sorted(f.files)[:8]})")
                sizes_arr, meta_arr = f["sizes"], f["meta"]
                if sizes_arr.ndim != 1 or sizes_arr.dtype.kind not in "iu" or meta_arr.shape != (4,) or meta_arr.dtype.kind != "U":
                    raise bad(f"its sizes {sizes_arr.dtype}{sizes_arr.shape} or meta {meta_arr.dtype}{meta_arr.shape} are not what save writes")
                sizes = [int(n) for n in sizes_arr]
                activation, output_activation, cost, dtype = (str(s) for s in meta_arr)
                names = [f"{k}{l}" for k in "wb" for l in range(2, len(sizes) + 1)]
                missing = [n for n in names if n not in f.files]
                if missing:
                    raise bad(f"it has no {', '.join(missing)} for sizes {sizes}")
                weights = [f[f"w{l}"] for l in range(2, len(sizes) + 1)]
                biases = [f[f"b{l}"] for l in range(2, len(sizes) + 1)]
        except FileFormatError:
            raise
        except Exception as exc:  # zipfile.BadZipFile, EOFError, a pickled array refused, ...
            raise bad(f"it cannot be read ({type(exc).__name__}: {exc}); it may be truncated") from None
        try:
            return cls(sizes, activation, cost, output_activation, dtype=dtype, weights=weights, biases=biases)
        except (TypeError, ValueError) as exc:
            raise bad(str(exc)) from None


def as_labels(labels: Any, n_classes: int, m: int) -> Array:
    """Integer class labels, one per example, from a label vector or a one-hot matrix.

    One output neuron means two classes, 0 and 1: the labels are then a vector of m zeros and
    ones, or the targets themselves, a row of shape (1, m)."""
    if n_classes == 1:
        if np.ndim(labels) == 2 and np.shape(labels)[0] == 1:
            labels = np.asarray(labels)[0]
        arr = np.asarray(labels) if isinstance(labels, (list, tuple, np.ndarray)) else labels
        if isinstance(arr, np.ndarray) and arr.ndim == 1 and arr.shape[0] == m and arr.size \
                and np.issubdtype(arr.dtype, np.number) and not np.all((arr == 0) | (arr == 1)):
            raise BpkitValueError(
                "with one output neuron the labels are the two classes 0 and 1; "
                f"got {arr[(arr != 0) & (arr != 1)][0]}"
            )
        return as_labels(labels, 2, m)
    if isinstance(labels, (str, bytes)) or labels is None:
        raise BpkitTypeError(f"labels must be {m} integer classes or a one-hot matrix; got {_short(labels)}")
    try:
        arr = np.asarray(labels)
    except (TypeError, ValueError):
        raise BpkitTypeError(f"labels must be {m} integer classes or a one-hot matrix; got {_short(labels)}: "
                             f"{why_not_an_array(labels, 'labels')}") from None
    if arr.ndim == 2 and arr.shape == (n_classes, m):
        if arr.dtype.kind not in "fiub" or not np.all(np.isfinite(arr)):
            raise BpkitTypeError(f"the one-hot labels must be finite numbers; got dtype {arr.dtype}")
        return np.argmax(arr, axis=0)
    if arr.ndim != 1 or arr.shape[0] != m:
        raise ShapeError(
            f"labels must be {m} integer classes (shape ({m},)) or a one-hot matrix of shape "
            f"({n_classes}, {m}); got shape {arr.shape}"
        )
    if not np.issubdtype(arr.dtype, np.integer):
        if not np.issubdtype(arr.dtype, np.floating) or not np.all(arr == np.round(arr)):
            raise BpkitTypeError(f"labels must be whole numbers (class indices 0..{n_classes - 1}); got dtype {arr.dtype}"
                                 + (f" with {arr[arr != np.round(arr)][0]}" if np.issubdtype(arr.dtype, np.floating) else ""))
        arr = arr.astype(np.int64)
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        bad = arr[(arr < 0) | (arr >= n_classes)][0]
        raise BpkitValueError(f"label {bad} is out of range: the output layer has {n_classes} neurons, so labels are 0..{n_classes - 1}")
    return arr
