"""Stochastic gradient descent, in the two forms the book teaches.

Both forms apply, for every mini-batch of m examples drawn from n training examples,

    w^l → (1 − ηλ/n) w^l − (η/m) Σ_x ∂C_x/∂w^l,      b^l → b^l − (η/m) Σ_x ∂C_x/∂b^l

(λ = 0 is plain SGD; λ > 0 adds L2 regularisation). They differ only in how the sums are
computed:

* ``"per_example"``: Andrew Ng's pseudocode. For each pair (x, y): set a^1 = x, run the forward
  pass, compute the output error, run the backward pass, and add the partial derivatives to
  the accumulators Δ; after the mini-batch, update.
* ``"matrix"``: the whole mini-batch at once, as a matrix with one column per example; BP3 and
  BP4 then return the sums directly.

With the same seed they visit the examples in the same order and give the same weights.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from . import equations
from ._validate import _short, check_number, check_seed, check_whole, why_not_an_array
from .data import one_hot
from .errors import BpkitTypeError, BpkitValueError, DivergenceError
from .forward import feedforward
from .network import Network, as_labels
from .workspace import Workspace

Array = np.ndarray
METHODS = ("matrix", "per_example")
PROGRESS_DELAY = 1.0  # seconds before the progress bar appears: short runs stay quiet


@dataclass
class History:
    """What :func:`sgd` measured after each epoch."""

    epoch: list[int] = field(default_factory=list)
    training_cost: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, list]:
        return {"epoch": self.epoch, "training_cost": self.training_cost,
                "test_accuracy": self.test_accuracy, "seconds": self.seconds}

    def __repr__(self) -> str:
        if not self.epoch:
            return "History(no epochs)"
        last = f"History({len(self.epoch)} epochs, final training cost {self.training_cost[-1]:.4g}"
        if self.test_accuracy:
            last += f", final test accuracy {self.test_accuracy[-1]:.2%}"
        return last + ")"


def as_xy(net: Network, data: Any, name: str = "training data", targets: bool = True) -> tuple[Array, Array]:
    """Accept a :class:`~bpkit.data.Dataset`, a pair of arrays ``(X, Y)`` with one column per
    example, or Nielsen's list of ``(x, y)`` column pairs; return checked ``(X, Y)``.

    With ``targets`` Y becomes an (n_L, N) target matrix (integer labels are one-hot encoded);
    otherwise Y is returned as integer labels, one per example.
    """
    if isinstance(data, tuple) and len(data) == 2 and not isinstance(data[0], tuple):
        X, Y = data
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes, np.ndarray)):
        if len(data) == 0:
            raise BpkitValueError(f"{name} is empty")
        if not all(isinstance(p, tuple) and len(p) == 2 for p in data):
            raise BpkitTypeError(f"{name} must be a Dataset, a pair (X, Y) of arrays, or a list of (x, y) pairs")
        # One row per example, transposed: X gets one column per example, each column contiguous
        # in memory (as load_mnist and load_digits lay it out), so mini-batches gather fast.
        X = np.vstack([net.check_x(x).T for x, _ in data]).T
        ys = [np.asarray(y) for _, y in data]
        if all(y.ndim == 0 for y in ys):
            Y = np.array(ys)  # labels: as_labels below refuses 1.5 and "1", as in the (X, labels) form
        else:
            Y = np.hstack([net.check_y(y if y.ndim == 2 else y.reshape(-1, 1), 1) for y in ys])
    else:
        raise BpkitTypeError(f"{name} must be a Dataset, a pair (X, Y) of arrays, or a list of (x, y) pairs; got {type(data).__name__}")
    X = net.check_x(X)
    if isinstance(Y, (str, bytes)) or Y is None:
        raise BpkitTypeError(f"the targets of {name} must be an array of labels or of shape ({net.sizes[-1]}, N); got {_short(Y)}")
    try:
        Y = np.asarray(Y)
    except (TypeError, ValueError):
        raise BpkitTypeError(f"the targets of {name} must be an array of numbers; got {_short(Y)}: "
                             f"{why_not_an_array(Y, 'Y')}") from None
    if Y.ndim == 1:
        labels = as_labels(Y, net.sizes[-1], X.shape[1])
        if not targets:
            return X, labels
        return X, one_hot(labels, net.sizes[-1]).astype(net.dtype)
    Y = net.check_y(Y, X.shape[1])
    return (X, Y) if targets else (X, as_labels(Y, net.sizes[-1], X.shape[1]))


def update_mini_batch_per_example(net: Network, X: Array, Y: Array, eta: float, lmbda: float = 0.0, n: int = 1) -> None:
    """One step of gradient descent on a mini-batch, example by example (Ng's pseudocode)."""
    Delta_b = [np.zeros_like(b) for b in net.biases]  # the accumulators Δ, set to 0
    Delta_w = [np.zeros_like(w) for w in net.weights]
    for i in range(X.shape[1]):  # for each pair (x, y) in the mini-batch
        x, y = X[:, [i]], Y[:, [i]]  # 1. set a^1 = x (one column)
        nabla_b, nabla_w = equations.backprop(  # 2.-4. forward, output error, backward
            net.weights, net.biases, x, y, net.activation, net.output_activation, net.cost)
        for l in range(len(Delta_b)):  # 5. accumulate the partial derivatives
            Delta_b[l] += nabla_b[l]
            Delta_w[l] += nabla_w[l]
    _update(net, Delta_b, Delta_w, eta, lmbda, n, X.shape[1])


def update_mini_batch_matrix(net: Network, X: Array, Y: Array, eta: float, lmbda: float = 0.0, n: int = 1,
                             work: Workspace | None = None) -> None:
    """One step of gradient descent on a mini-batch, all its examples at once as a matrix.

    ``work``, a :class:`~bpkit.workspace.Workspace` for X.shape[1] examples, holds every array
    of the step (as :func:`sgd` passes one); without it the step makes new ones.
    """
    # BP3 and BP4 sum over the columns; with scale = −η/m they return the step itself,
    # −(η/m) Σ_x ∂C_x/∂w and −(η/m) Σ_x ∂C_x/∂b, which is then added to w and b.
    step_b, step_w = equations.backprop(
        net.weights, net.biases, X, Y, net.activation, net.output_activation, net.cost,
        scale=-eta / X.shape[1], work=work)
    _take_step(net, step_b, step_w, eta, lmbda, n)


def _update(net: Network, sum_b: list[Array], sum_w: list[Array], eta: float, lmbda: float, n: int, m: int) -> None:
    """w → (1 − ηλ/n) w − (η/m) Σ ∂C_x/∂w and b → b − (η/m) Σ ∂C_x/∂b, in place.

    The sums are scaled by −η/m in their own arrays (which this consumes), so the update makes
    no temporary array the size of w.
    """
    for sums in sum_w + sum_b:
        sums *= -eta / m  # −(η/m) Σ_x ∂C_x/∂w, the step
    _take_step(net, sum_b, sum_w, eta, lmbda, n)


def _take_step(net: Network, step_b: list[Array], step_w: list[Array], eta: float, lmbda: float, n: int) -> None:
    """w → (1 − ηλ/n) w + step_w and b → b + step_b, in place."""
    decay = 1.0 - eta * lmbda / n
    for w, b, sw, sb in zip(net.weights, net.biases, step_w, step_b):
        if lmbda:
            w *= decay  # (1 − ηλ/n) w
        w += sw
        b += sb


def _check_finite(net: Network, epoch: int, eta: float, lmbda: float) -> None:
    """Stop with a DivergenceError, naming the epoch, η and what to try, once a weight or bias
    is no longer finite (one pass over the parameters per epoch: cheap beside the epoch)."""
    for l, (w, b) in enumerate(zip(net.weights, net.biases), start=2):
        # sum() is NaN or inf exactly when some entry is (or when finite ones overflow: also a divergence)
        with np.errstate(over="ignore", invalid="ignore"):
            finite = np.isfinite(w.sum()) and np.isfinite(b.sum())
        if not finite:
            raise DivergenceError(
                f"gradient descent diverged: after epoch {epoch} the weights w^{l} or biases b^{l} are no longer "
                f"finite (η = {eta:g}{f', λ = {lmbda:g}' if lmbda else ''}). Try a smaller learning rate η "
                f"(e.g. {eta / 10:g}), inputs scaled to about [0, 1], or a cost paired with the output activation",
                epoch=epoch,
            )


def _mean_cost(net: Network, X: Array, Y: Array, chunk: int = 4096) -> float:
    """``net.cost_value(X, Y)`` for the already checked training data, ``chunk`` examples at a
    time: no second check of X, and no z^l and a^l of every training example at once (for
    [784, 512, 512, 10] on MNIST those would be larger than the data)."""
    total = 0.0
    for k in range(0, X.shape[1], chunk):
        a_L = feedforward(net.weights, net.biases, X[:, k:k + chunk], net.activation, net.output_activation)
        total += net.cost.fn(a_L, Y[:, k:k + chunk])
    return total / X.shape[1]


def page_random(seed: int) -> Callable[[], float]:
    """The playground's seeded generator (mulberry32, ``bpRandom`` in js/engine/sgd.js): numbers
    k / 2^32 in [0, 1), the same in Python as in the page, bit for bit (only 32-bit integer
    arithmetic). It orders the page's mini-batches (:func:`page_batches`) and draws its starting
    weights (``bpkit.widgets.playground.page_start``)."""
    a = (seed % 2**32) or 0x9E3779B9
    mask = 0xFFFFFFFF

    def imul(x: int, y: int) -> int:
        return (x * y) & mask

    def rand() -> float:
        nonlocal a
        a = (a + 0x6D2B79F5) & mask
        t = imul(a ^ (a >> 15), a | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & mask
        return ((t ^ (t >> 14)) & mask) / 4294967296

    return rand


def page_batches(n: int, m: int, seed: int) -> Callable[[int], list[list[int]]]:
    """The mini-batches of each epoch in the order of the book's playground, for
    :func:`sgd`'s ``batches``: epoch e shuffles the n examples with mulberry32 seeded by
    ``seed · 100003 + e · 7919 + 1`` (Fisher–Yates), then cuts the permutation into runs of m,
    the last maybe shorter. ``bpEpochBatches`` of ``js/engine/sgd.js`` gives the same lists, so
    ``sgd(net, data, epochs, m, eta, batches=page_batches(n, m, seed))`` trains through exactly
    the steps the page takes.

    >>> page_batches(5, 2, seed=0)(1)
    [[1, 2], [4, 3], [0]]
    """
    n = check_whole(n, "n", 1, " (the examples)")
    m = check_whole(m, "m", 1, " (the mini-batch size)")
    seed = check_whole(seed, "seed", 0)

    def batches(epoch: int) -> list[list[int]]:
        rand = page_random(seed * 100003 + epoch * 7919 + 1)
        perm = list(range(n))
        for i in range(n - 1, 0, -1):
            k = int(rand() * (i + 1))
            perm[i], perm[k] = perm[k], perm[i]
        return [perm[k:k + m] for k in range(0, n, m)]

    return batches


def _epoch_batches(batches: Callable[[int], Any], epoch: int, n: int, m: int) -> list[Array]:
    """The mini-batches ``batches(epoch)`` gives, checked: lists of column indices 0..n−1, none
    empty or longer than m."""
    try:
        given = list(batches(epoch))
    except TypeError as exc:
        raise BpkitTypeError(f"batches must be a function of the epoch returning its mini-batches; calling it failed: {exc}") from None
    if not given:
        raise BpkitValueError(f"batches({epoch}) gave no mini-batch for epoch {epoch}")
    out = []
    for i, idx in enumerate(given):
        try:
            idx = np.asarray(idx)
        except (TypeError, ValueError):
            idx = np.asarray([None])
        if idx.ndim != 1 or idx.size == 0 or idx.size > m or not np.issubdtype(idx.dtype, np.integer):
            raise BpkitValueError(
                f"batches({epoch})[{i}] must be a list of 1 to {m} column indices (m = mini_batch_size); got {_short(given[i])}")
        if idx.min() < 0 or idx.max() >= n:
            raise BpkitValueError(f"batches({epoch})[{i}] holds an index outside 0..{n - 1} (the training data has {n} examples)")
        out.append(idx)
    return out


def sgd(
    net: Network,
    training_data: Any,
    epochs: int,
    mini_batch_size: int,
    eta: float,
    *,
    test_data: Any = None,
    lmbda: float = 0.0,
    seed: int | None = None,
    method: str = "matrix",
    progress: bool = True,
    monitor_cost: bool = True,
    batches: Callable[[int], Sequence[Sequence[int]]] | None = None,
) -> History:
    """Train ``net`` in place by mini-batch stochastic gradient descent; return a :class:`History`.

    Args:
        net: the network to train.
        training_data: a :class:`~bpkit.data.Dataset`, a pair ``(X, Y)`` with one column per
            example, or Nielsen's list of ``(x, y)`` columns. Integer labels are one-hot encoded.
            Every mini-batch gathers columns of X, so X is fastest stored column by column
            (``np.asfortranarray(X)``, as :func:`~bpkit.data.load_digits` returns it); a
            row-ordered X works the same but gathers about 20 times more slowly.
        epochs: passes over the training data.
        mini_batch_size: m, the examples per update (the last mini-batch of an epoch may be
            smaller).
        eta: the learning rate η > 0.
        test_data: optional data in the same forms (labels or one-hot); the accuracy on it is
            recorded after every epoch.
        lmbda: the L2 regularisation parameter λ ≥ 0.
        seed: seed of the shuffle at the start of every epoch.
        method: ``"matrix"`` (fast) or ``"per_example"`` (Ng's loop); same result.
        progress: show a progress bar (in a terminal or in Jupyter) when the run lasts more
            than a second.
        monitor_cost: record the mean training cost after every epoch.
        batches: the order of the mini-batches instead of the seeded shuffle: a function of the
            epoch (1, 2, ...) returning that epoch's mini-batches, each a list of at most m
            column indices of the training data. :func:`page_batches` gives the order of the
            book's playground, so that bpkit trains through the very steps the page takes.
            ``seed`` must then be left out.
    """
    if not isinstance(net, Network):
        raise BpkitTypeError(f"sgd trains a bpkit.Network; got {_short(net)}")
    if not isinstance(method, str) or method not in METHODS:
        raise BpkitValueError(f"method must be one of {METHODS}; got {_short(method)}")
    epochs = check_whole(epochs, "epochs", 1)
    mini_batch_size = check_whole(mini_batch_size, "mini_batch_size", 1, " (m, the examples per update)")
    eta = check_number(eta, "eta", positive=True, meaning=" (the learning rate η)")
    lmbda = check_number(lmbda, "lmbda", minimum=0.0, meaning=" (the L2 parameter λ)")
    seed = check_seed(seed)
    if batches is not None and not callable(batches):
        raise BpkitTypeError(f"batches must be a function of the epoch returning its mini-batches (e.g. page_batches(n, m, seed)); got {_short(batches)}")
    if batches is not None and seed is not None:
        raise BpkitValueError("give seed (sgd shuffles) or batches (your order of the mini-batches), not both")
    X, Y = as_xy(net, training_data)
    # Each example's target contiguous in memory, as its x is in X laid out column by column:
    # Y[:, idx] then gathers whole columns (Y is n_L/n_1 the size of X: a small copy at most).
    Y = np.asfortranarray(Y)
    test = as_xy(net, test_data, "test data", targets=False) if test_data is not None else None
    n = X.shape[1]
    works: dict[int, Workspace] = {}  # one per mini-batch size (the last one may be smaller)
    rng = np.random.default_rng(seed)
    starts = range(0, n, mini_batch_size)
    history = History()
    from tqdm.auto import tqdm

    start = time.perf_counter()
    # Overflow and NaN are not warned about step by step: every epoch ends by checking that the
    # weights and the cost are finite, and a divergence stops with a DivergenceError instead.
    with tqdm(total=epochs * len(starts), disable=not progress, delay=PROGRESS_DELAY, unit="batch", desc="SGD") as bar, \
            np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, epochs + 1):
            if batches is None:
                perm = rng.permutation(n)
                order = [perm[k:k + mini_batch_size] for k in starts]
            else:
                order = _epoch_batches(batches, epoch, n, mini_batch_size)
            for idx in order:
                if method == "matrix":  # every array of the step in the same memory each time
                    if len(idx) not in works:
                        works[len(idx)] = Workspace(net.sizes, len(idx), net.dtype)
                    work = works[len(idx)]
                    update_mini_batch_matrix(net, *work._gather(X, Y, idx), eta, lmbda, n, work)
                else:  # Ng's loop as he wrote it
                    update_mini_batch_per_example(net, X[:, idx], Y[:, idx], eta, lmbda, n)
                bar.update()
            history.epoch.append(epoch)
            history.seconds.append(time.perf_counter() - start)
            _check_finite(net, epoch, eta, lmbda)
            if monitor_cost:
                history.training_cost.append(_mean_cost(net, X, Y))
                if not np.isfinite(history.training_cost[-1]):
                    raise DivergenceError(
                        f"gradient descent diverged: after epoch {epoch} the training cost is "
                        f"{history.training_cost[-1]} with η = {eta:g}{f' and λ = {lmbda:g}' if lmbda else ''}. "
                        f"Try a smaller learning rate η (e.g. {eta / 10:g}), inputs scaled to about [0, 1], "
                        f"or a cost paired with the output activation (cross-entropy with sigmoid)",
                        epoch=epoch,
                    )
            if test is not None:
                history.test_accuracy.append(net.accuracy(*test))
            postfix = {}
            if monitor_cost:
                postfix["cost"] = f"{history.training_cost[-1]:.4f}"
            if test is not None:
                postfix["test acc"] = f"{history.test_accuracy[-1]:.2%}"
            bar.set_postfix(postfix, refresh=False)
    return history
