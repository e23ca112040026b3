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

The measurements themselves are :mod:`bpkit.benchmark` (``measure_training``,
``measure_backward_cost``, ``measure_fd_cost``), so that the book (chapter 12) runs a short
run of the same code with only bpkit installed; this script adds the memory check
(:func:`measure_memory`), the targets of issue 6, the tables and the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

HERE = Path(__file__).resolve().parent
try:
    import bpkit
except ImportError:  # run from a checkout without installing bpkit
    sys.path.insert(0, str(HERE.parent / "src"))
    import bpkit
from bpkit.benchmark import (  # noqa: F401  (re-exported: the script's functions as before)
    BATCH_SIZES, DATA_EXAMPLES, ETA, METHODS, WORKLOADS, blas_info, blas_threads, environment, make_data,
    measure_backward_cost, measure_fd_cost, measure_training, numpy_blas_threads,
)

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
    with blas_threads(threads):
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
