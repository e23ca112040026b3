"""How fast is bpkit's backpropagation? The measurements behind ``benchmarks/bench.py`` and
chapter 12 of the book, as plain functions returning plain data.

Everything is measured in one process, interleaved: every round runs every method once, in
turn, so that whatever else the machine is doing hits every method alike; the results are
medians over the rounds, and each ratio is the median of the ratios within a round. The
numbers vary from machine to machine and from run to run; the ratios are what to look at.

What is timed, for layer sizes ``sizes`` and mini-batch size m (:func:`measure_training`):

* ``bpkit matrix``: :func:`bpkit.sgd` with ``method="matrix"`` (float64 and float32), the
  public function, validation included;
* ``bpkit per-example``: :func:`bpkit.sgd` with ``method="per_example"``, Ng's loop;
* ``PyTorch``: the same network, initial weights, cost (½‖a − y‖² summed over the mini-batch),
  example order and plain SGD update, with autograd on the CPU, with as many threads as NumPy's
  BLAS (optional: its rows are left out when torch is not installed);
* ``sklearn``: ``MLPClassifier(solver="sgd")`` with the same hidden layers, logistic units and
  mini-batch size, as a reference point (its output layer is softmax with log-loss; it cannot
  do the quadratic cost); left out without scikit-learn;
* ``floor``: the matrix products alone that one training step needs (per layer one forward
  product, w a, and two backward ones, δ aᵀ and wᵀ δ, less wᵀ δ for the first layer, which
  nobody needs), into preallocated arrays. No implementation on NumPy's BLAS can beat it.
* ``floor+gather``: the floor plus what every trainer must also do each step, gather the
  mini-batch's columns of X and Y from the shuffled data (as :func:`bpkit.sgd` and the
  PyTorch loop do).

:func:`measure_backward_cost` gives the cost of one backward pass (BP1-BP4) in forward passes,
and :func:`measure_fd_cost` the cost of a full central-difference gradient in backprops.
``threads=n`` limits NumPy's BLAS to n threads while measuring (threadpoolctl, which comes with
the ``data`` extra: ``pip install "bpkit[data]"``).

The data are MNIST-shaped random numbers laid out as :func:`bpkit.load_mnist` lays them out
(one column per example, each column contiguous in memory). ``benchmarks/bench.py`` runs all of
it over several workloads, adds the memory check and prints the tables.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
import warnings
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from . import __version__, equations, forward as forward_module, gradcheck
from ._extras import require
from .network import Network
from .train import sgd

WORKLOADS: dict[str, list[int]] = {
    "nielsen": [784, 30, 10],
    "wide": [784, 100, 10],
    "deep": [784, 512, 512, 10],
    "digits": [64, 30, 10],
}
BATCH_SIZES = (10, 64, 256)
METHODS = (
    "bpkit matrix float64", "bpkit matrix float32", "bpkit per-example float64",
    "PyTorch float64", "PyTorch float32", "sklearn float64", "floor float64", "floor float32",
    "floor+gather float64", "floor+gather float32",
)
ETA = 0.5  # the learning rate of every method (quadratic cost, sigmoid units)
DATA_EXAMPLES = 8192  # examples in each workload's data set (a run loops over it as needed)


# -- what machine is this ---------------------------------------------------------------------

def blas_info() -> list[dict[str, Any]]:
    """The BLAS libraries loaded in this process (threadpoolctl), with their thread counts."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keep = ("internal_api", "prefix", "version", "architecture", "num_threads", "threading_layer")
    return [{**{k: lib.get(k) for k in keep}, "library": Path(lib.get("filepath", "")).name,
             "numpy": "numpy" in lib.get("filepath", "")}
            for lib in threadpool_info() if lib.get("user_api") == "blas"]


def numpy_blas_threads() -> int:
    """The thread count of NumPy's own BLAS (the library inside numpy.libs), else os.cpu_count()."""
    try:
        from threadpoolctl import threadpool_info
        for lib in threadpool_info():
            if lib.get("user_api") == "blas" and "numpy" in lib.get("filepath", ""):
                return int(lib["num_threads"])
    except ImportError:
        pass
    return os.cpu_count() or 1


def _torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def environment() -> dict[str, Any]:
    """Versions, BLAS, thread counts, the OPENBLAS_* variables and the load average."""
    torch = _torch()
    try:
        import sklearn
        sk = sklearn.__version__
    except ImportError:
        sk = None
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    env = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "bpkit": __version__,
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "blas": blas_info(),
        "numpy_blas_threads": numpy_blas_threads(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE"),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "sklearn": sk,
        "torch": torch.__version__ if torch else None,
    }
    if torch:
        env["torch_threads"] = torch.get_num_threads()
        env["torch_blas"] = "MKL" if torch.backends.mkl.is_available() else "other"
        env["torch_cpu_capability"] = torch.backends.cpu.get_cpu_capability()
    return env


# -- the data and the methods -----------------------------------------------------------------

def make_data(sizes: Sequence[int], n: int = DATA_EXAMPLES, seed: int = 0) -> dict[Any, tuple[np.ndarray, np.ndarray]]:
    """MNIST-shaped random data: X uniform in [0, 1) with one column per example, stored as
    :func:`bpkit.load_mnist` stores it (each column contiguous), and one-hot targets Y.
    Returns ``{dtype: (X, Y)}`` for float64 and float32."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, sizes[0])).T  # (n_1, n), column-major like load_mnist's images.T
    Y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], n)]
    return {np.float64: (X, Y), np.float32: (X.astype(np.float32), Y.astype(np.float32))}


Runner = Callable[[int, int, int], float]  # runner(n_examples, epochs, seed) -> seconds


def _bpkit_runner(net0: Network, X: np.ndarray, Y: np.ndarray, m: int, method: str) -> Runner:
    def run(n: int, epochs: int, seed: int) -> float:
        net = net0.copy()
        data = (X[:, :n], Y[:, :n])
        start = time.perf_counter()
        sgd(net, data, epochs, m, ETA, seed=seed, method=method, progress=False, monitor_cost=False)
        return time.perf_counter() - start
    return run


def _torch_runner(net0: Network, X: np.ndarray, Y: np.ndarray, m: int) -> Runner | None:
    torch = _torch()
    if torch is None:
        return None
    # Examples as rows, PyTorch's own layout: the same memory as X (one contiguous column per
    # example), so torch gathers a mini-batch as cheaply as bpkit does.
    Xt, Yt = torch.from_numpy(X.T), torch.from_numpy(Y.T)

    def run(n: int, epochs: int, seed: int) -> float:
        weights = [torch.tensor(w.T.copy(), requires_grad=True) for w in net0.weights]  # (n_in, n_out)
        biases = [torch.tensor(b.ravel().copy(), requires_grad=True) for b in net0.biases]
        params = weights + biases
        rng = np.random.default_rng(seed)  # the same example order as bpkit.sgd
        start = time.perf_counter()
        for _ in range(epochs):
            perm = torch.from_numpy(rng.permutation(n))
            for k in range(0, n, m):
                idx = perm[k:k + m]
                a, y = Xt[idx], Yt[idx]
                for w, b in zip(weights, biases):
                    a = torch.sigmoid(torch.addmm(b, a, w))  # a^l = σ(w^l a^(l-1) + b^l)
                loss = 0.5 * ((a - y) ** 2).sum()  # Σ_x ½‖a^L − y‖²
                loss.backward()
                with torch.no_grad():
                    for p in params:  # plain SGD: p → p − (η/m) Σ_x ∂C_x/∂p
                        p.add_(p.grad, alpha=-ETA / len(idx))
                        p.grad = None
        return time.perf_counter() - start
    return run


def _sklearn_runner(sizes: Sequence[int], X: np.ndarray, Y: np.ndarray, m: int) -> Runner | None:
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return None
    rows, labels = X.T, np.argmax(Y, axis=0)  # sklearn wants one row per example

    def run(n: int, epochs: int, seed: int) -> float:
        clf = MLPClassifier(
            hidden_layer_sizes=tuple(sizes[1:-1]), activation="logistic", solver="sgd", batch_size=m,
            learning_rate_init=ETA, momentum=0.0, nesterovs_momentum=False, alpha=0.0, max_iter=epochs,
            shuffle=True, random_state=seed, tol=0.0, n_iter_no_change=epochs + 1,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            start = time.perf_counter()
            clf.fit(rows[:n], labels[:n])
            return time.perf_counter() - start
    return run


def _floor_runner(sizes: Sequence[int], dtype: Any, m: int, seed: int = 0,
                  data: tuple[np.ndarray, np.ndarray] | None = None) -> Runner:
    """Only the matrix products of a training step, into preallocated arrays; with ``data``
    (X, Y), each step first gathers its mini-batch from them, in bpkit.sgd's order."""
    rng = np.random.default_rng(seed)
    # The layouts bpkit uses, the fastest measured for these products with the Haswell kernels
    # that OPENBLAS_CORETYPE selects on the machine this was tuned on: the weights and their
    # gradients column by column, as Network stores them (row by row measured up to 1.3x
    # slower there, never faster; with OpenBLAS's SkylakeX kernels row by row was up to 1.15x
    # faster on small products), x column by column as gathered, z and δ row by row, as in
    # bpkit.workspace.Workspace.
    weights = [np.asfortranarray(rng.standard_normal((n_out, n_in)).astype(dtype))
               for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    x = np.asfortranarray(rng.random((sizes[0], m)).astype(dtype))  # a gathered mini-batch's layout
    zs = [np.empty((n, m), dtype) for n in sizes[1:]]
    deltas = [np.empty((n, m), dtype) for n in sizes[1:]]
    for d in deltas + zs:
        d[...] = rng.standard_normal(d.shape)  # no garbage (NaN, subnormals) in what is multiplied
    grads = [np.empty_like(w) for w in weights]
    prev = [x] + zs[:-1]  # a^(l-1) for each layer (the z arrays stand in for the activations)

    def step() -> None:
        for w, a_prev, z in zip(weights, prev, zs):
            np.matmul(w, a_prev, out=z)  # forward: w^l a^(l-1)
        for i in range(len(weights) - 1, -1, -1):
            np.matmul(deltas[i], prev[i].T, out=grads[i])  # BP4: δ^l (a^(l-1))^T
            if i > 0:
                np.matmul(weights[i].T, deltas[i], out=deltas[i - 1])  # BP2: (w^l)^T δ^l

    def run(n: int, epochs: int, seed: int) -> float:
        steps = epochs * -(-n // m)
        start = time.perf_counter()
        for _ in range(steps):
            step()
        return time.perf_counter() - start

    def run_gathering(n: int, epochs: int, seed: int) -> float:
        X, Y = data
        y = np.empty((Y.shape[0], m), dtype, order="F")
        rng = np.random.default_rng(seed)
        start = time.perf_counter()
        for _ in range(epochs):
            perm = rng.permutation(n)
            for k in range(0, n, m):
                idx = perm[k:k + m] if k + m <= n else perm[-m:]  # (a short last batch: the last m)
                # straight into preallocated arrays (the fastest gather measured here), and the
                # products then read the gathered x
                np.take(X.T, idx, axis=0, out=x.T, mode="clip")
                np.take(Y.T, idx, axis=0, out=y.T, mode="clip")
                step()
        return time.perf_counter() - start
    return run if data is None else run_gathering


def _runners(sizes: Sequence[int], m: int, data: dict, methods: Sequence[str]) -> dict[str, Runner]:
    net64 = Network(sizes, "sigmoid", "quadratic", seed=1)
    net32 = net64.astype(np.float32)
    out: dict[str, Runner | None] = {}
    for method in methods:
        dtype = np.float32 if method.endswith("float32") else np.float64
        X, Y = data[dtype]
        net = net32 if dtype is np.float32 else net64
        if method.startswith("bpkit matrix"):
            out[method] = _bpkit_runner(net, X, Y, m, "matrix")
        elif method.startswith("bpkit per-example"):
            out[method] = _bpkit_runner(net, X, Y, m, "per_example")
        elif method.startswith("PyTorch"):
            out[method] = _torch_runner(net, X, Y, m)
        elif method.startswith("sklearn"):
            out[method] = _sklearn_runner(sizes, X, Y, m)
        elif method.startswith("floor+gather"):
            out[method] = _floor_runner(sizes, dtype, m, data=(X, np.asfortranarray(Y)))
        elif method.startswith("floor"):
            out[method] = _floor_runner(sizes, dtype, m)
        else:
            raise ValueError(f"unknown method {method!r}; choose from {METHODS}")
    return {k: v for k, v in out.items() if v is not None}


def _plan(runner: Runner, m: int, n_data: int, target: float) -> tuple[int, int]:
    """Choose (examples, epochs) so that one run lasts about ``target`` seconds; the first,
    short call also warms the method up (imports, caches, thread pools)."""
    n = min(n_data, max(2 * m, 64))
    runner(n, 1, 0)
    seconds = max(min(runner(n, 1, seed) for seed in (1, 2, 3)), 1e-6)  # the least disturbed
    wanted = target * n / seconds  # examples in ``target`` seconds
    if wanted <= n_data:
        n = int(min(n_data, max(m, round(wanted / m) * m)))
        return n, 1
    return n_data, max(1, round(wanted / n_data))


def measure_training(
    sizes: Sequence[int],
    batch_sizes: Sequence[int] = BATCH_SIZES,
    methods: Sequence[str] = METHODS,
    repeats: int = 5,
    target_seconds: float = 0.15,
    settle: float = 0.02,
    n_data: int = DATA_EXAMPLES,
    threads: int | None = None,
) -> list[dict[str, Any]]:
    """Examples per second of each method, interleaved; one dict per (m, method).

    Each dict has ``sizes``, ``m``, ``method``, ``dtype``, ``examples_per_second`` (median over
    ``repeats``), ``runs`` (every run's examples per second), ``examples`` and ``epochs`` per
    run, ``bpkit_speedup`` (bpkit matrix's examples/s in the same dtype divided by this
    method's, in the same round, median over the rounds: above 1 means bpkit is faster),
    ``floor_fraction`` (this method's examples/s over the floor's in the same dtype and round,
    median over the rounds; PyTorch, on another BLAS, can exceed 1), ``floor_gather_fraction``
    (the same against ``floor+gather``) and ``spread`` (the interquartile range of the runs over
    their median: large when the machine was busy).

    ``threads`` limits NumPy's BLAS to that many threads (threadpoolctl) for the measurement;
    PyTorch always gets as many as NumPy's BLAS has. While some method's runs spread by more
    than 20% (see ``spread``), up to ``2 * repeats`` more rounds are run.
    """
    with blas_threads(threads):
        return _measure_training(sizes, batch_sizes, methods, repeats, target_seconds, settle, n_data)


class blas_threads:
    """Limit NumPy's BLAS to ``n`` threads inside the block (no limit for None)."""

    def __init__(self, n: int | None) -> None:
        self.n, self.limits = n, None

    def __enter__(self):
        if self.n is not None:
            threadpoolctl = require("threadpoolctl", "data", "bpkit.benchmark (threads=...)")
            self.limits = threadpoolctl.threadpool_limits(limits=self.n, user_api="blas")
        return self

    def __exit__(self, *exc) -> None:
        if self.limits is not None:
            self.limits.restore_original_limits()


def _measure_training(sizes, batch_sizes, methods, repeats, target_seconds, settle, n_data,
                      max_spread=0.2) -> list[dict[str, Any]]:
    torch = _torch()
    if torch is not None:
        torch.set_num_threads(numpy_blas_threads())
    data = make_data(sizes, n_data)
    rows = []
    for m in batch_sizes:
        runners = _runners(sizes, m, data, methods)
        plans = {name: _plan(run, m, n_data, target_seconds) for name, run in runners.items()}
        times: dict[str, list[float]] = {name: [] for name in runners}
        names = list(runners)
        r = 0
        # ``repeats`` rounds; while some method's runs still spread widely (the machine is busy),
        # up to twice as many more, so that the medians rest on enough undisturbed rounds.
        while r < repeats or (r < 3 * repeats and max(_spread(t) for t in times.values()) > max_spread):
            for name in names[r % len(names):] + names[:r % len(names)]:  # rotate who goes first
                n, epochs = plans[name]
                time.sleep(settle)  # let the previous method's idle BLAS/OpenMP threads go to sleep
                times[name].append(n * epochs / runners[name](n, epochs, 100 + r))
            r += 1
        for name in names:
            rows.append({
                "sizes": list(sizes), "m": m, "method": name,
                "dtype": "float32" if name.endswith("float32") else "float64",
                "examples_per_second": statistics.median(times[name]), "runs": times[name],
                "examples": plans[name][0], "epochs": plans[name][1],
            })
    for row in rows:
        same = {r["method"]: r for r in rows if r["m"] == row["m"] and r["dtype"] == row["dtype"]}
        ref, floor = same.get(f"bpkit matrix {row['dtype']}"), same.get(f"floor {row['dtype']}")
        gather = same.get(f"floor+gather {row['dtype']}")
        runs = row["runs"]
        # Ratios are taken round by round (the runs of one round are seconds apart) and then
        # their median, so that a slow spell of the machine cancels out of each ratio.
        row["bpkit_speedup"] = statistics.median(b / r for b, r in zip(ref["runs"], runs)) if ref else None
        row["floor_fraction"] = statistics.median(r / f for r, f in zip(runs, floor["runs"])) if floor else None
        row["floor_gather_fraction"] = (statistics.median(r / f for r, f in zip(runs, gather["runs"]))
                                        if gather else None)
        row["spread"] = _spread(runs)
    return rows


def _spread(runs: Sequence[float]) -> float:
    """The interquartile range of the runs over their median."""
    if len(runs) < 2:
        return 0.0
    q = statistics.quantiles(runs, n=4)
    return (q[2] - q[0]) / statistics.median(runs)


# -- one backward pass in forward passes; finite differences against backprop ---------------

def _interleaved(funcs: dict[str, Callable[[], Any]], repeats: int, target: float) -> dict[str, list[float]]:
    """Seconds per call of each function, one batch of calls per function and round."""
    calls = {}
    for name, f in funcs.items():
        f()
        start = time.perf_counter()
        f()
        calls[name] = max(1, int(target / max(time.perf_counter() - start, 1e-7)))
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(repeats):
        for name, f in funcs.items():
            start = time.perf_counter()
            for _ in range(calls[name]):
                f()
            times[name].append((time.perf_counter() - start) / calls[name])
    return times


def measure_backward_cost(
    sizes: Sequence[int] = WORKLOADS["wide"],
    batch_sizes: Sequence[int] = BATCH_SIZES,
    dtype: Any = np.float64,
    repeats: int = 7,
    target_seconds: float = 0.05,
    threads: int | None = None,
) -> list[dict[str, Any]]:
    """The cost of one backward pass in forward passes, per mini-batch size.

    ``forward`` is :func:`bpkit.forward.forward` (keeping every z^l and a^l, as backprop
    needs); ``backprop`` is :func:`bpkit.equations.backprop` (that forward pass, then BP1-BP4);
    the backward pass is their difference.
    """
    with blas_threads(threads):
        return _measure_backward_cost(sizes, batch_sizes, dtype, repeats, target_seconds)


def _measure_backward_cost(sizes, batch_sizes, dtype, repeats, target_seconds) -> list[dict[str, Any]]:
    net = Network(sizes, seed=1, dtype=dtype)
    rows = []
    for m in batch_sizes:
        rng = np.random.default_rng(m)
        x = np.asfortranarray(rng.random((sizes[0], m)).astype(dtype))
        y = np.eye(sizes[-1], dtype=dtype)[:, rng.integers(0, sizes[-1], m)]
        args = (net.weights, net.biases, x)
        t = _interleaved({
            "forward": lambda: forward_module.forward(*args, net.activation, net.output_activation),
            "backprop": lambda: equations.backprop(*args, y, net.activation, net.output_activation, net.cost),
        }, repeats, target_seconds)
        f, bp = statistics.median(t["forward"]), statistics.median(t["backprop"])
        rows.append({"sizes": list(sizes), "m": m, "dtype": np.dtype(dtype).name, "forward_seconds": f,
                     "backprop_seconds": bp, "backward_seconds": max(bp - f, 0.0),
                     # round by round, like the training ratios
                     "backward_in_forwards": statistics.median((b - a) / a for a, b in zip(t["forward"], t["backprop"]))})
    return rows


def measure_fd_cost(sizes: Sequence[int], m: int = 10, max_parameters: int = 2000, repeats: int = 5) -> dict[str, Any]:
    """A full central-difference gradient (:func:`bpkit.numerical_gradient`, two cost
    evaluations per parameter) against one backprop (:meth:`Network.backprop`), on one
    mini-batch of m examples.

    With more than ``max_parameters`` parameters, differencing 1 and then k randomly chosen
    ones gives the fixed cost of a call and the cost per parameter; the full gradient's time is
    scaled up from those (``extrapolated`` says so).
    """
    net = Network(sizes, seed=1)
    rng = np.random.default_rng(0)
    x = rng.random((sizes[0], m))
    y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]
    P = net.num_parameters
    k = min(P, max_parameters)
    t_bp = statistics.median(_interleaved({"bp": lambda: net.backprop(x, y)}, repeats, 0.05)["bp"])

    def fd(sample: int | None, seed: int) -> float:
        start = time.perf_counter()
        gradcheck.numerical_gradient(net, x, y, sample=sample, seed=seed)
        return time.perf_counter() - start

    if k == P:
        fd_seconds = statistics.median(fd(None, r) for r in range(max(1, repeats // 2)))
    else:
        fd_seconds = statistics.median(
            (lambda t1, tk: t1 + (P - 1) * max(tk - t1, 0.0) / (k - 1))(fd(1, r), fd(k, r))
            for r in range(max(1, repeats // 2)))
    return {"sizes": list(sizes), "m": m, "parameters": P, "differenced": k, "extrapolated": k < P,
            "backprop_seconds": t_bp, "fd_seconds": fd_seconds, "fd_in_backprops": fd_seconds / t_bp,
            "cost_evaluations": 2 * P}
