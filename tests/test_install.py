"""The light install: ``pip install bpkit`` is NumPy and tqdm; every other need is an extra, and
using a part whose extra is missing says which extra to install.

The missing packages are simulated in a subprocess (``sys.modules[name] = None`` makes
``import name`` fail), so nothing is uninstalled and nothing is downloaded.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
SRC = REPO / "src"


def name(requirement: str) -> str:
    """The distribution name of a requirement string: "scikit-learn>=1.3" -> "scikit-learn"."""
    return re.match(r"[A-Za-z0-9._-]+", requirement)[0].lower()


def test_the_core_is_numpy_and_at_most_three_more():
    core = [name(r) for r in PYPROJECT["project"]["dependencies"]]
    assert "numpy" in core
    assert len(core) <= 4, core
    for heavy in ("sympy", "scikit-learn", "matplotlib", "anywidget", "ipywidgets", "jupyter"):
        assert heavy not in core, f"{heavy} belongs in an extra"


def test_the_extras_exist_and_all_covers_them():
    extras = {k: {name(r) for r in v} for k, v in PYPROJECT["project"]["optional-dependencies"].items()}
    assert {"symbolic", "widgets", "data", "plot", "all"} <= set(extras)
    assert "sympy" in extras["symbolic"]
    assert {"anywidget", "ipywidgets", "latex2mathml"} <= extras["widgets"]
    assert "scikit-learn" in extras["data"]
    assert "matplotlib" in extras["plot"]
    others = set().union(*(v for k, v in extras.items() if k != "all"))
    assert others <= extras["all"], f"[all] lacks {others - extras['all']}"


def test_the_metadata_names_the_license_file_and_a_setuptools_that_reads_it():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert "LICENSE" in PYPROJECT["project"]["license-files"]
    assert "MIT License" in (REPO / "LICENSE").read_text()
    (setuptools,) = [r for r in PYPROJECT["build-system"]["requires"] if name(r) == "setuptools"]
    version = re.search(r">=\s*(\d+)", setuptools)
    assert version and int(version[1]) >= 77, "license = 'MIT' (SPDX) needs setuptools >= 77"


def run_without(*missing: str, code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter on this checkout's src/ in which ``missing`` cannot
    be imported."""
    prelude = f"import sys\nfor m in {missing!r}:\n    sys.modules[m] = None\nsys.path.insert(0, {str(SRC)!r})\n"
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=120, cwd=REPO.parent)


HEAVY = ("sympy", "sklearn", "matplotlib", "anywidget", "ipywidgets", "latex2mathml", "traitlets", "IPython",
         "myst_nb", "threadpoolctl", "scipy")


def test_import_bpkit_and_a_training_run_need_only_the_core():
    done = run_without(*HEAVY, code="""
        import numpy as np
        import bpkit
        net = bpkit.Network([2, 3, 1], seed=0)
        nabla_b, nabla_w = net.backprop(np.array([[0.05], [0.10]]), np.array([[0.01]]))
        history = bpkit.sgd(net, bpkit.xor(), 2, 2, 1.0, progress=False)
        from bpkit.book import claim, keep
        keep("x", 1.0)
        print("ok", len(history.training_cost))
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "2"]


@pytest.mark.parametrize("missing, extra, code", [
    ("sympy", "symbolic", "import bpkit.symbolic"),
    ("sympy", "symbolic", "from bpkit.symbolic import SymbolicNetwork"),
    ("anywidget", "widgets", "from bpkit.widgets import PassStepper"),
    ("latex2mathml", "widgets", "import bpkit.widgets"),
    ("sklearn", "data", "import bpkit\nbpkit.load_digits()"),
    ("threadpoolctl", "data", "from bpkit import benchmark\nbenchmark.measure_backward_cost([4, 3, 2], (2,), repeats=1, target_seconds=0.001, threads=1)"),
])
def test_a_missing_extra_is_named(missing, extra, code):
    done = run_without(missing, code=code)
    assert done.returncode != 0
    assert "MissingExtraError" in done.stderr, done.stderr
    assert f'pip install "bpkit[{extra}]"' in done.stderr, done.stderr


# what [data] does not install (scikit-learn brings scipy, joblib and threadpoolctl)
NOT_IN_DATA = ("sympy", "matplotlib", "anywidget", "ipywidgets", "latex2mathml", "traitlets", "IPython", "myst_nb")


def test_the_readme_example_runs_with_the_data_extra():
    readme = (REPO / "README.md").read_text()
    section = readme.split("## The library", 1)[1]
    assert 'pip install "bpkit[data]"' in section.split("```python", 1)[0], "the README must say what to install"
    example = section.split("```python", 1)[1].split("```", 1)[0]
    done = run_without(*NOT_IN_DATA, code=example)
    assert done.returncode == 0, done.stderr
    assert 0.9 < float(done.stdout.split()[-1]) <= 1.0


def test_python_m_bpkit_runs_with_the_data_extra():
    done = run_without(*NOT_IN_DATA, code="""
        import runpy
        sys.argv = ["bpkit", "--epochs", "2", "--no-progress"]
        runpy.run_module("bpkit", run_name="__main__")
    """)
    assert done.returncode == 0, done.stderr
    assert "test accuracy after 2 epochs" in done.stdout
