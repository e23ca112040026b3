"""Fixtures of the book's tests: the built book (one build per test session) and its pages.

The build is ``jupyter-book build . -W -n --keep-going`` (the README's command, warnings are
errors) into a temporary ``--path-output``, so that it neither reads nor clobbers a reader's
``_build``. The build and the browser tests share it; its wall time is written to
``test-artifacts/book-build-seconds.txt`` (a record, not a timed test).

Every page is executed once per test session, by this build: the PDF edition's single-page
build (tests/book/test_pdf.py) runs in the same ``--path-output`` and reuses what this one
read and executed (``_build/.doctrees``), as ``make pdf`` after ``make book`` does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from filelock import FileLock

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:  # so that `from helpers.browser import ...` works from here
    sys.path.insert(0, str(TESTS))

from book_pages import ARTIFACTS, REPO  # noqa: E402


@dataclass
class BuiltBook:
    html: Path
    returncode: int
    output: str
    seconds: float
    path_output: Path  # the build's --path-output: _build/ (html, .doctrees, jupyter_execute) is in it


def _build(out: Path) -> BuiltBook:
    """``jupyter-book build`` of the whole book into ``out``, its log kept in test-artifacts/."""
    jb = Path(sys.executable).with_name("jupyter-book")
    start = time.perf_counter()
    done = subprocess.run(
        [str(jb), "build", str(REPO), "-W", "-n", "--keep-going", "--path-output", str(out)],
        capture_output=True, text=True, timeout=1800, cwd=REPO,
    )
    seconds = time.perf_counter() - start
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "book-build-seconds.txt").write_text(f"{seconds:.1f}\n")
    (ARTIFACTS / "book-build.log").write_text(done.stdout + "\n--- stderr ---\n" + done.stderr)
    return BuiltBook(out / "_build" / "html", done.returncode, done.stdout + done.stderr, seconds, out)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory, worker_id) -> BuiltBook:
    """The book, built once per test run. With pytest-xdist's workers (``-n``, pyproject.toml)
    the first worker that needs it builds it, under a file lock, into the run's common
    temporary folder, and the others wait for it and use the same build."""
    if worker_id == "master":  # no workers: an ordinary session
        return _build(tmp_path_factory.mktemp("book-build"))
    shared = tmp_path_factory.getbasetemp().parent
    record = shared / "book-build.json"
    with FileLock(str(shared / "book-build.lock")):
        if not record.is_file():
            book = _build(shared / "book-build")
            record.write_text(json.dumps(asdict(book), default=str))
    data = json.loads(record.read_text())
    return BuiltBook(**{**data, "html": Path(data["html"]), "path_output": Path(data["path_output"])})


@pytest.fixture(scope="session")
def book_html(built_book: BuiltBook) -> Path:
    """The built HTML folder; fails (rather than skips) the tests that need it if the build did."""
    assert built_book.returncode == 0, (
        "the book did not build (see test-artifacts/book-build.log):\n" + built_book.output[-5000:]
    )
    return built_book.html
