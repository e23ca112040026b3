"""Every page's downloadable ``.ipynb`` (the built book's ``_sources/``) runs as a reader runs it:
with ``pip install "bpkit[all]"``, in a folder outside the checkout, with myst-nb missing.

The build has already executed every page once (the ``built_book`` fixture), so the pages are
not executed a second time here. What a reader's run could do differently is checked instead:

* the notebook offered is the one the build executed (the same cells), and its first code cell
  says how to install;
* the build ran every page in a temporary folder (``execute: run_in_temp`` in _config.yml), so
  no page reads a file of the checkout by a relative path; and every import of every page is of
  the standard library, bpkit, a package of ``bpkit[all]`` or Jupyter's own (so nothing comes
  from ``benchmarks/`` or ``book/``);
* no page imports myst-nb itself: numbers reach the prose through ``bpkit.book.keep``, which
  works without it (tests/test_book_helpers.py);
* bpkit's wheel carries every file of the package (the widgets' JavaScript and CSS, the data
  files the pages read);
* and one page, end to end, as a reader runs it: its ``.ipynb`` executed by a kernel whose
  bpkit is that wheel, installed into a folder outside the checkout, with nothing of the
  repository reachable through ``sys.path`` and a ``myst_nb`` that cannot be imported.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbclient
import nbformat
import pytest
import yaml

from book_pages import REPO, notebook_pages

pytestmark = pytest.mark.book

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

PAGES = notebook_pages()
# The page run end to end: short, and it uses keep, claim, a figure and a widget.
READER_PAGE = "book/04_hadamard"

# What a reader's Jupyter has besides bpkit[all]: the kernel's own packages.
JUPYTER = {"IPython", "ipykernel", "matplotlib_inline", "traitlets"}
_NO_MYST_NB = 'raise ImportError("myst_nb is not installed here (a reader\'s environment)")\n'


def allowed_modules() -> set[str]:
    """Top-level modules a page may import: the standard library, bpkit, the import names of
    bpkit's dependencies and of its [all] extra, and Jupyter's own."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    names = {re.match(r"[A-Za-z0-9._-]+", r)[0].lower()
             for r in project["dependencies"] + project["optional-dependencies"]["all"]}
    import_names = {"scikit-learn": "sklearn", "latex2mathml": "latex2mathml"}
    return (set(sys.stdlib_module_names) | {"bpkit"} | JUPYTER
            | {import_names.get(n, n.replace("-", "_")) for n in names})


def imports_of(source: str) -> set[str]:
    """The top-level module names a code cell imports (IPython magics and shell lines skipped)."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("doc", PAGES)
def test_the_download_is_the_executed_notebook(doc, book_html):
    downloaded = book_html / "_sources" / f"{doc}.ipynb"
    executed = book_html.parent / "jupyter_execute" / f"{doc}.ipynb"
    assert downloaded.is_file(), f"the built book offers no {downloaded.relative_to(book_html)}"
    nb, ran = nbformat.read(downloaded, as_version=4), nbformat.read(executed, as_version=4)
    assert [c.source for c in code_cells(nb)] == [c.source for c in code_cells(ran)]
    assert all(c.execution_count for c in code_cells(nb)), f"{doc}: a cell of the download was not run"
    first = code_cells(nb)[0]
    assert 'pip install "bpkit[all]"' in first.source, first.source


@pytest.mark.parametrize("doc", PAGES)
def test_a_page_imports_only_what_a_reader_installs(doc, book_html):
    nb = nbformat.read(book_html / "_sources" / f"{doc}.ipynb", as_version=4)
    used = set().union(*(imports_of(c.source) for c in code_cells(nb)))
    assert "myst_nb" not in used, f"{doc} imports myst_nb: numbers go to the prose through bpkit.book.keep"
    assert used <= allowed_modules(), f"{doc} imports {sorted(used - allowed_modules())}, not in bpkit[all]"


def test_the_build_runs_every_page_outside_the_checkout():
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    assert config["execute"]["run_in_temp"] is True


def test_the_import_check_sees_a_stray_import():
    assert imports_of("import bench\nfrom myst_nb import glue\n%matplotlib inline\nimport numpy as np") == {
        "bench", "myst_nb", "numpy"}
    assert not {"bench", "myst_nb"} <= allowed_modules() - {"myst_nb"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """bpkit's wheel, built from the checkout with no network (no build isolation)."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "--no-index", "-q", "-w", str(out), str(REPO)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (found,) = out.glob("bpkit-*.whl")
    return found


def test_the_wheel_carries_every_file_of_the_package(wheel):
    package = REPO / "src" / "bpkit"
    files = {p.relative_to(package.parent).as_posix() for p in package.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    with zipfile.ZipFile(wheel) as z:
        shipped = {n for n in z.namelist() if n.startswith("bpkit/")}
    assert files <= shipped, f"the wheel lacks {sorted(files - shipped)} (pyproject.toml's package-data)"


def _setup_cell(repo: Path) -> nbformat.NotebookNode:
    """Drop every sys.path entry inside the checkout, except the environment's own (.venv)."""
    return nbformat.v4.new_code_cell(
        "import os, sys\n"
        f"_repo = {str(repo)!r}\n"
        "sys.path[:] = [p for p in sys.path if not (os.path.abspath(p or '.').startswith(_repo)\n"
        "                                           and not os.path.abspath(p).startswith(sys.prefix))]\n"
    )


_CHECK = """\
import importlib.util, os, sys
import bpkit
print(os.path.realpath(bpkit.__file__))
print(importlib.util.find_spec("bench") is None)
try:
    import myst_nb
    print("myst_nb importable")
except ImportError:
    print("myst_nb missing")
"""


def test_a_downloaded_notebook_runs_as_a_reader_runs_it(book_html, wheel, tmp_path_factory):
    site = tmp_path_factory.mktemp("reader-site")
    assert REPO not in site.parents
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                           "--target", str(site), str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (site / "myst_nb").mkdir()
    (site / "myst_nb" / "__init__.py").write_text(_NO_MYST_NB)

    downloaded = book_html / "_sources" / f"{READER_PAGE}.ipynb"
    workdir = tmp_path_factory.mktemp("reader")
    shutil.copy(downloaded, workdir)
    nb = nbformat.read(downloaded, as_version=4)
    n_own = len(nb.cells)
    nb.cells = [_setup_cell(REPO)] + nb.cells + [nbformat.v4.new_code_cell(_CHECK)]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env["PYTHONPATH"] = str(site)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(workdir)}})
    client.execute(env=env)  # raises CellExecutionError, naming the cell, on the first error

    code = [c for c in nb.cells[1:1 + n_own] if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    stderr = [o["text"] for c in code for o in c.get("outputs", [])
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not stderr, f"{READER_PAGE} writes to stderr: {stderr}"
    # it ran on the reader's bpkit (the wheel), without bench.py and without myst-nb
    check = "".join(o.get("text", "") for o in nb.cells[-1].outputs).split("\n")
    assert Path(check[0]).is_relative_to(site.resolve()), check[0]
    assert check[1:3] == ["True", "myst_nb missing"], check
