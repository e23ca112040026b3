"""Every page's downloadable ``.ipynb`` (the built book's ``_sources/``) runs top to bottom as
a reader runs it: in a folder outside the checkout, with bpkit installed but myst-nb missing
(the book's hidden cells must not need it), and with nothing of the repository reachable
through ``sys.path`` (no ``benchmarks/``, no ``book/``: what the pages use is in the package).

The kernel is this environment's Python (no download at test time). To stand for
``pip install "bpkit[all]"``, a copy of ``src/bpkit`` alone is put first on the kernel's
``PYTHONPATH``, and a first cell (added to the copy of the notebook that runs) drops every
``sys.path`` entry inside the checkout, such as an editable install's ``src/``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbclient
import nbformat
import pytest

from book_pages import REPO, notebook_pages

pytestmark = pytest.mark.book

_NO_MYST_NB = 'raise ImportError("myst_nb is not installed here (a reader\'s environment)")\n'


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory) -> Path:
    """A folder outside the checkout holding bpkit (a copy of src/bpkit) and a ``myst_nb``
    that cannot be imported."""
    site = tmp_path_factory.mktemp("reader-site")
    assert REPO not in site.parents
    shutil.copytree(REPO / "src" / "bpkit", site / "bpkit", ignore=shutil.ignore_patterns("__pycache__"))
    (site / "myst_nb").mkdir()
    (site / "myst_nb" / "__init__.py").write_text(_NO_MYST_NB)
    return site


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


@pytest.mark.parametrize("doc", notebook_pages())
def test_downloaded_notebook_runs_outside_the_checkout(doc, book_html, reader_site, tmp_path):
    downloaded = book_html / "_sources" / f"{doc}.ipynb"
    assert downloaded.is_file(), f"the built book offers no {downloaded.relative_to(book_html)}"
    nb = nbformat.read(downloaded, as_version=4)
    # the first code cell says how to install
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert 'pip install "bpkit[all]"' in first.source, first.source

    workdir = tmp_path / "reader"
    workdir.mkdir()
    shutil.copy(downloaded, workdir)
    n_own = len(nb.cells)
    nb.cells = [_setup_cell(REPO)] + nb.cells + [nbformat.v4.new_code_cell(_CHECK)]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env["PYTHONPATH"] = str(reader_site)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(workdir)}})
    client.execute(env=env)  # raises CellExecutionError, naming the cell, on the first error

    code = [c for c in nb.cells[1:1 + n_own] if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    stderr = [o["text"] for c in code for o in c.get("outputs", [])
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not stderr, f"{doc} writes to stderr: {stderr}"
    # it ran on the reader's bpkit, without bench.py and without myst-nb
    check = "".join(o.get("text", "") for o in nb.cells[-1].outputs).split("\n")
    assert Path(check[0]).is_relative_to(reader_site.resolve()), check[0]
    assert check[1:3] == ["True", "myst_nb missing"], check
