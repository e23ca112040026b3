"""How fast is bpkit's backpropagation? Timings against PyTorch, scikit-learn and the BLAS floor.

Run ``python benchmarks/bench.py`` (5 to 15 minutes) or ``python benchmarks/bench.py --quick``
(under a minute). Everything is measured in this one process, interleaved: every round runs
every method once, in turn, so that whatever else the machine is doing hits every method alike;
the tables show medians over the rounds, and each ratio is the median of the ratios within a
round. While runs still spread widely (a busy machine), more rounds are added. The numbers vary
from machine to machine and from run to run; the ratios are what to look at. On a machine
shared with other work, ``--threads 1`` gives steadier numbers: a BLAS call split over two
threads waits for the slower one, and a core taken by another process makes that wait long.

What is timed, for each workload (layer sizes) and mini-batch size m:

* ``bpkit matrix``: :func:`bpkit.sgd` with ``method="matrix"`` (float64 and float32), the
  public function, validation included;
* ``bpkit per-example``: :func:`bpkit.sgd` with ``method="per_example"``, Ng's loop;
* ``PyTorch``: the same network, initial weights, cost (½‖a − y‖² summed over the mini-batch),
  example order and plain SGD update, with autograd on the CPU, with as many threads as NumPy's
  BLAS (optional: skipped, with a note, when torch is not installed);
* ``sklearn``: ``MLPClassifier(solver="sgd")`` with the same hidden layers, logistic units and
  mini-batch size, as a reference point (its output layer is softmax with log-loss; it cannot
  do the quadratic cost);
* ``floor``: the matrix products alone that one training step needs (per layer one forward
  product, w a, and two backward ones, δ aᵀ and wᵀ δ, less wᵀ δ for the first layer, which
  nobody needs), into preallocated arrays. No implementation on NumPy's BLAS can beat it.
* ``floor+gather``: the floor plus what every trainer must also do each step, gather the
  mini-batch's columns of X and Y from the shuffled data (as :func:`bpkit.sgd` and the
  PyTorch loop do). When the data do not fit in the CPU's cache this copy runs at the speed of
  main memory, and for small networks it is a sizeable part of a step; this row shows how
  much of the distance between bpkit and the bare floor it accounts for.

The data are MNIST-shaped random numbers laid out as :func:`bpkit.load_mnist` lays them out
(one column per example, each column contiguous in memory).

The functions :func:`measure_training`, :func:`measure_backward_cost`,
:func:`measure_fd_cost`, :func:`measure_memory` and :func:`run` return plain dicts and lists,
so the book (chapter 10) can plot a short run of the same code.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

HERE = Path(__file__).resolve().parent
try:
    import bpkit
except ImportError:  # run from a checkout without installing bpkit
    sys.path.insert(0, str(HERE.parent / "src"))
    import bpkit
from bpkit import equations, forward as forward_module, gradcheck

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
        "bpkit": bpkit.__version__,
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


def _bpkit_runner(net0: bpkit.Network, X: np.ndarray, Y: np.ndarray, m: int, method: str) -> Runner:
    def run(n: int, epochs: int, seed: int) -> float:
        net = net0.copy()
        data = (X[:, :n], Y[:, :n])
        start = time.perf_counter()
        bpkit.sgd(net, data, epochs, m, ETA, seed=seed, method=method, progress=False, monitor_cost=False)
        return time.perf_counter() - start
    return run


def _torch_runner(net0: bpkit.Network, X: np.ndarray, Y: np.ndarray, m: int) -> Runner | None:
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
    # gradients column by column, as bpkit.Network stores them (row by row measured up to 1.3x
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
    net64 = bpkit.Network(sizes, "sigmoid", "quadratic", seed=1)
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
    with _blas_threads(threads):
        return _measure_training(sizes, batch_sizes, methods, repeats, target_seconds, settle, n_data)


class _blas_threads:
    """Limit NumPy's BLAS to ``n`` threads inside the block (no limit for None)."""

    def __init__(self, n: int | None) -> None:
        self.n, self.limits = n, None

    def __enter__(self):
        if self.n is not None:
            from threadpoolctl import threadpool_limits
            self.limits = threadpool_limits(limits=self.n, user_api="blas")
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
    with _blas_threads(threads):
        return _measure_backward_cost(sizes, batch_sizes, dtype, repeats, target_seconds)


def _measure_backward_cost(sizes, batch_sizes, dtype, repeats, target_seconds) -> list[dict[str, Any]]:
    net = bpkit.Network(sizes, seed=1, dtype=dtype)
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
    evaluations per parameter) against one backprop (:meth:`bpkit.Network.backprop`), on one
    mini-batch of m examples.

    With more than ``max_parameters`` parameters, differencing 1 and then k randomly chosen
    ones gives the fixed cost of a call and the cost per parameter; the full gradient's time is
    scaled up from those (``extrapolated`` says so).
    """
    net = bpkit.Network(sizes, seed=1)
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


# -- memory -----------------------------------------------------------------------------------

_MEMORY_CHILD = r"""
import json, resource, sys
import numpy as np
sys.path.insert(0, {src!r})
import bpkit
def peak():
    # VmHWM, the OS's peak resident size of this process image. (ru_maxrss would do in a process
    # of its own, but it carries over the parent's peak through fork and exec.)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # not Linux: KiB on Linux
n, n_in, n_out, m, epochs = {n}, {n_in}, {n_out}, {m}, {epochs}
before = peak()
rng = np.random.default_rng(0)
# as bpkit.load_mnist(dtype=np.float32) lays the images out: one contiguous column per example
X = rng.random((n, n_in), dtype=np.float32).T
Y = np.zeros((n_out, n), dtype=np.float32)
Y[rng.integers(0, n_out, n), np.arange(n)] = 1.0
data_bytes = X.nbytes + Y.nbytes
with_data = peak()
net = bpkit.Network([n_in, 30, n_out], seed=0, dtype=np.float32)
bpkit.sgd(net, (X, Y), epochs, m, 0.5, seed=0, progress=False)  # monitor_cost on: a full pass too
print(json.dumps({{"before_data": before, "with_data": with_data, "peak": peak(), "data_bytes": data_bytes,
                  "ru_maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}}))
"""


def measure_memory(n: int = 60000, n_in: int = 784, n_out: int = 10, m: int = 10, epochs: int = 1) -> dict[str, Any]:
    """Peak resident memory (the OS's high-water mark, VmHWM) of a fresh Python process that makes n float32
    examples and trains a [n_in, 30, n_out] network on them with :func:`bpkit.sgd`.

    ``ratio`` is the whole process's peak over the data's size (X and Y); ``training_overhead``
    is what training added to the peak, over the data's size.
    """
    code = _MEMORY_CHILD.format(src=str(Path(bpkit.__file__).resolve().parents[1]), n=n, n_in=n_in,
                                n_out=n_out, m=m, epochs=epochs)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    r.update({"examples": n, "inputs": n_in, "m": m, "epochs": epochs, "ratio": r["peak"] / r["data_bytes"],
              "training_overhead": (r["peak"] - r["with_data"]) / r["data_bytes"]})
    return r


# -- everything, and the targets of issue 6 ---------------------------------------------------

def run(quick: bool = False, workloads: Sequence[str] | None = None, batch_sizes: Sequence[int] = BATCH_SIZES,
        methods: Sequence[str] = METHODS, memory: bool = True, repeats: int | None = None,
        threads: int | None = None, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run the whole benchmark; return ``{"environment", "training", "backward", "fd",
    "memory", "targets"}`` as plain data (see the ``measure_*`` functions)."""
    log = log or (lambda s: None)
    repeats = repeats or (3 if quick else 7)
    target = 0.03 if quick else 0.1
    names = list(workloads or WORKLOADS)
    result: dict[str, Any] = {"environment": environment(), "quick": quick, "threads": threads,
                              "training": [], "backward": [], "fd": []}
    for name in names:
        log(f"training: {name} {WORKLOADS[name]}")
        result["training"] += [{"workload": name, **row} for row in measure_training(
            WORKLOADS[name], batch_sizes, methods, repeats=repeats, target_seconds=target,
            settle=0.005 if quick else 0.05, n_data=2048 if quick else DATA_EXAMPLES, threads=threads)]
    log("backward pass in forward passes")
    result["backward"] = measure_backward_cost(WORKLOADS["wide"], batch_sizes, repeats=repeats,
                                               target_seconds=0.01 if quick else 0.05, threads=threads)
    log("finite differences against backprop")
    with _blas_threads(threads):
        result["fd"] = [{"workload": name, **measure_fd_cost(WORKLOADS[name], max_parameters=200 if quick else 2000,
                                                             repeats=3 if quick else 5)} for name in names]
    if memory:
        log("memory (a subprocess)")
        result["memory"] = measure_memory(n=60000)
    result["environment"]["load_average_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    result["targets"] = targets(result)
    return result


def _row(result: dict, workload: str, m: int, method: str) -> dict | None:
    for row in result["training"]:
        if row["workload"] == workload and row["m"] == m and row["method"] == method:
            return row
    return None


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 6's targets, each with the measured value and whether it was met (None: not measured)."""
    out = []

    def speedup(workload, m, method):  # bpkit matrix (same dtype) over ``method``, round by round
        row = _row(result, workload, m, method)
        return row["bpkit_speedup"] if row else None

    def floor_fraction(workload, m, dtype):
        row = _row(result, workload, m, f"bpkit matrix {dtype}")
        return row["floor_fraction"] if row else None

    def add(what, value, op, bound):
        met = None if value is None else (value >= bound if op == ">=" else value <= bound)
        out.append({"target": what, "value": value, "bound": f"{op} {bound}", "met": met})

    for m, bound in ((10, 6), (256, 20)):
        add(f"matrix vs per-example loop, [784, 100, 10], m={m} (float64)",
            speedup("wide", m, "bpkit per-example float64"), ">=", bound)
    checks = [("nielsen", 10, 2.5), ("nielsen", 64, 1.3), ("nielsen", 256, 1.3), ("wide", 64, 1.3),
              ("wide", 256, 1.3), ("deep", 256, 0.95)]
    for dtype in ("float64", "float32"):
        for w, m, bound in checks:
            add(f"bpkit vs PyTorch, {WORKLOADS[w]}, m={m} ({dtype})",
                speedup(w, m, f"PyTorch {dtype}"), ">=", bound)
    for w, m, bound in (("wide", 256, 0.8), ("deep", 256, 0.8), ("wide", 64, 0.6)):
        for dtype in ("float64", "float32"):
            add(f"fraction of the matrix-product floor, {WORKLOADS[w]}, m={m} ({dtype})",
                floor_fraction(w, m, dtype), ">=", bound)
    for row in result.get("backward", []):
        add(f"one backward pass in forward passes, {row['sizes']}, m={row['m']}",
            row["backward_in_forwards"], "<=", 2.2)
    if "memory" in result:
        add("peak memory over data size, 60,000 x 784 float32", result["memory"]["ratio"], "<=", 1.5)
    return out


# -- printing ---------------------------------------------------------------------------------

def format_report(result: dict[str, Any]) -> str:
    env = result["environment"]
    lines = ["bpkit benchmark" + (" (--quick: short runs, noisier)" if result.get("quick") else ""), ""]
    lines.append(f"Python {env['python']}, NumPy {env['numpy']}, bpkit {env['bpkit']}, "
                 f"scikit-learn {env['sklearn'] or 'missing'}, PyTorch {env['torch'] or 'missing'}")
    lines.append(f"CPU: {env['cpu']}, {env['cpu_count']} cores; load average before "
                 f"{_load(env['load_average'])}, after {_load(env.get('load_average_after'))}")
    for lib in env["blas"]:
        lines.append(f"BLAS{' (NumPy)' if lib['numpy'] else ''}: {lib['internal_api']} {lib['version']} "
                     f"({lib['library']}), kernels for {lib['architecture']}, {lib['num_threads']} threads")
    threads = result.get("threads") or env["numpy_blas_threads"]
    lines.append(f"Threads: {threads} for NumPy's BLAS{' (--threads)' if result.get('threads') else ''} and as many "
                 f"for PyTorch ({env.get('torch_blas', '-')}, {env.get('torch_cpu_capability', '-')})")
    lines.append(f"OPENBLAS_CORETYPE={env['OPENBLAS_CORETYPE']} OPENBLAS_L2_SIZE={env['OPENBLAS_L2_SIZE']}"
                 + ("  (set: OpenBLAS uses the kernels named, maybe not this CPU's fastest;"
                    " see --unset-openblas-coretype)" if env["OPENBLAS_CORETYPE"] else ""))
    if env["torch"] is None:
        lines.append("PyTorch is not installed: its rows are skipped (pip install torch, CPU build, to add them).")
    lines += ["", "Training (sigmoid, quadratic cost, plain SGD), medians of interleaved runs.",
              "'bpkit x' = bpkit matrix's examples/s (same dtype) / the method's, > 1 when bpkit is faster. It,",
              "'of floor' and 'of f+g' (of floor+gather) are medians of ratios within a round. 'spread' =",
              "interquartile range / median of the runs: above ~20% the machine was busy; rerun that row.", ""]
    header = (f"{'workload':<22} {'m':>4}  {'method':<26} {'examples/s':>11} {'bpkit x':>8} {'of floor':>9} "
              f"{'of f+g':>7} {'spread':>7}")
    lines += [header, "-" * len(header)]
    last = None
    for row in result["training"]:
        key = (row["workload"], row["m"])
        if last is not None and key != last:
            lines.append("")
        last = key
        speed = "" if row["bpkit_speedup"] is None else f"{row['bpkit_speedup']:.2f}"
        frac = "" if row["floor_fraction"] is None else f"{row['floor_fraction']:.0%}"
        frac_g = "" if row.get("floor_gather_fraction") is None else f"{row['floor_gather_fraction']:.0%}"
        lines.append(f"{row['workload'] + ' ' + str(row['sizes']):<22} {row['m']:>4}  {row['method']:<26} "
                     f"{row['examples_per_second']:>11,.0f} {speed:>8} {frac:>9} {frac_g:>7} {row['spread']:>7.0%}")
    if result["backward"]:
        lines += ["", "One backward pass (BP1-BP4) in forward passes (bpkit.equations.backprop minus bpkit.forward.forward):"]
        for row in result["backward"]:
            lines.append(f"  {row['sizes']} m={row['m']:<4} {row['dtype']}: forward {row['forward_seconds'] * 1e6:8.1f} us, "
                         f"backward {row['backward_seconds'] * 1e6:8.1f} us = {row['backward_in_forwards']:.2f} forward passes")
    if result["fd"]:
        lines += ["", "A full finite-difference gradient (2 forward passes per parameter) against one backprop:"]
        for row in result["fd"]:
            note = f", scaled up from {row['differenced']}" if row["extrapolated"] else ""
            lines.append(f"  {row['sizes']} m={row['m']}: {row['parameters']:,} parameters, "
                         f"backprop {row['backprop_seconds'] * 1e6:,.0f} us, differences {row['fd_seconds']:,.2f} s"
                         f"{note} = {row['fd_in_backprops']:,.0f} backprops")
    if "memory" in result:
        mem = result["memory"]
        mib = 2.0 ** 20
        lines += ["", f"Memory: sgd on {mem['examples']:,} x {mem['inputs']} float32 examples (m={mem['m']}), "
                      f"data {mem['data_bytes'] / mib:.0f} MiB; process peak RSS {mem['peak'] / mib:.0f} MiB "
                      f"= {mem['ratio']:.2f} x the data (Python and imports {mem['before_data'] / mib:.0f} MiB; "
                      f"training added {mem['training_overhead']:.0%} of the data)"]
    lines += ["", "Targets of issue 6:"]
    for t in result["targets"]:
        status = "not measured" if t["met"] is None else ("met" if t["met"] else "MISSED")
        value = "-" if t["value"] is None else f"{t['value']:.2f}"
        lines.append(f"  [{status:^12}] {t['target']}: {value} (target {t['bound']})")
    gathers = [(row, _row(result, row["workload"], row["m"], f"floor+gather {row['dtype']}"))
               for row in result["training"] if row["method"].startswith("floor ")]
    gathers = [(f, g) for f, g in gathers if g and f["m"] == 256 and f["workload"] in ("wide", "deep")]
    if gathers:
        lines += ["", "Data movement: gathering each mini-batch from the shuffled data (no trainer can skip it) "
                      "costs, as a share of the floor's time:"]
        for f, g in gathers:
            share = f["examples_per_second"] / g["examples_per_second"] - 1
            b = _row(result, f["workload"], f["m"], f"bpkit matrix {f['dtype']}")
            reach = f", and bpkit reaches {b['floor_gather_fraction']:.0%} of floor+gather" if b else ""
            lines.append(f"  {f['sizes']} m={f['m']} ({f['dtype']}): {share:.0%}{reach}")
    lines += ["", "These figures vary from machine to machine and from run to run (other processes, turbo, "
                  "the BLAS build); compare ratios measured in one run."]
    return "\n".join(lines)


def _load(avg) -> str:
    return "-" if not avg else " ".join(f"{x:.2f}" for x in avg)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs (seconds), noisier numbers")
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS), help="default: all")
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=list(BATCH_SIZES))
    parser.add_argument("--repeats", type=int, help="interleaved repeats (default 7, or 3 with --quick)")
    parser.add_argument("--threads", type=int, help="limit NumPy's BLAS (and so PyTorch) to this many threads")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory check (a subprocess)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--unset-openblas-coretype", action="store_true",
                        help="rerun in a subprocess without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE")
    args = parser.parse_args(argv)
    if args.unset_openblas_coretype:
        env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
        rest = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--unset-openblas-coretype"]
        return subprocess.call([sys.executable, str(Path(__file__).resolve()), *rest], env=env)
    result = run(quick=args.quick, workloads=args.workloads, batch_sizes=args.batch_sizes,
                 memory=not args.no_memory, repeats=args.repeats, threads=args.threads, log=lambda s: print(f"... {s}", file=sys.stderr, flush=True))
    print(format_report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
