"""Each page runs as a plain notebook: jupytext turns the MyST Markdown into a notebook, and
nbclient executes it from a fresh kernel in the book/ folder, as a reader who opens the page in
Jupyter and runs all cells would. Any error in any cell fails the test."""

from __future__ import annotations

import jupytext
import nbclient
import pytest

from book_pages import REPO, notebook_pages

pytestmark = pytest.mark.book


@pytest.mark.parametrize("doc", notebook_pages())
def test_page_runs_as_a_notebook(doc):
    notebook = jupytext.read(REPO / f"{doc}.md")
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3",
        resources={"metadata": {"path": str(REPO / "book")}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on the first error
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    stderr = [o["text"] for c in code for o in c.get("outputs", [])
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not stderr, f"{doc} writes to stderr: {stderr}"
