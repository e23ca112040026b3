"""The PDF edition (``make pdf``, tools/print_pdf.py): the whole book, one PDF, printed by this
machine's Chromium from Jupyter Book's single-page HTML.

One build (every page executed, as ``make book``) and one print per test session, into a
temporary folder. The checks: the page count is sane, every chapter is in it, the formulas were
typeset (no TeX source left in the text), every image loaded, nothing was fetched from another
host, and a few pages, rendered to PNG with pdftoppm (poppler-utils, see tools/ensure-poppler.sh),
are not blank. The PNGs are kept in ``test-artifacts/pdf/`` to be looked at. Timings go to
``test-artifacts/pdf-seconds.txt``.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from book_pages import ARTIFACTS, REPO, toc_files

pytestmark = [pytest.mark.book, pytest.mark.pdf, pytest.mark.slow]

PNG_DIR = ARTIFACTS / "pdf"


def _printer():
    spec = importlib.util.spec_from_file_location("print_pdf", REPO / "tools" / "print_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class PrintedBook:
    pdf: Path
    state: dict
    pages: list[str]  # the text of each page (pdftotext)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> PrintedBook:
    for tool in ("pdfinfo", "pdftoppm", "pdftotext"):
        assert shutil.which(tool), f"{tool} is missing: run tools/ensure-poppler.sh (make test does)"
    printer = _printer()
    out = tmp_path_factory.mktemp("pdf-edition")
    start = time.perf_counter()
    try:
        html = printer.build_singlehtml(out)
    except subprocess.CalledProcessError as exc:
        pytest.fail("the single-page build failed:\n" + (exc.stdout + exc.stderr)[-5000:])
    built = time.perf_counter() - start
    pdf = out / "bpkit.pdf"
    state = printer.print_pdf(html, pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "pdf-seconds.txt").write_text(f"build {built:.1f}\nprint {state['seconds']:.1f}\n")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return PrintedBook(pdf, state, text.split("\f")[:-1] if text.endswith("\f") else text.split("\f"))


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def first_page_with(book: PrintedBook, pattern: str, otherwise: float) -> int:
    """1-based number of the first page whose text matches ``pattern``; if none does (the
    prose changed), the page at the fraction ``otherwise`` of the book."""
    for i, text in enumerate(book.pages, start=1):
        if re.search(pattern, text):
            return i
    return max(1, round(otherwise * len(book.pages)))


def test_the_page_count_is_sane(printed):
    n = page_count(printed.pdf)
    assert n == len(printed.pages)
    docs = len(toc_files())
    assert 3 * docs <= n <= 60 * docs, f"{n} pages for {docs} documents"


def test_every_chapter_is_in_it(printed):
    text = "\n".join(printed.pages)
    for doc in toc_files():
        source = (REPO / f"{doc}.md").read_text()
        title = re.search(r"^# (.+)$", source, re.M)[1].strip()
        words = re.sub(r"[`*$\\{}]", "", title).split()[:4]  # the title's first words, as printed
        assert re.search(r"\s+".join(map(re.escape, words)), text), f"{doc}: {title!r} is not in the PDF"


def test_math_is_typeset_and_figures_load(printed):
    state = printed.state
    assert state["math"] > 200, f"only {state['math']} typeset formulas"
    assert state["images"] >= 10 and not state["broken"], state["broken"]
    assert not state["blocked"], f"the page asked another host for {state['blocked'][:5]}"
    # (TeX source itself is no sign: code cells print SymPy symbols such as r"\partial C")
    assert "{glue:" not in "\n".join(printed.pages), "a glued number was not filled in"


def test_the_widgets_are_printed(printed):
    """The static HTML copies of the widgets are in the single-page build and print (their
    print form is the widgets' own stylesheet's business)."""
    assert printed.state["widgets"] >= 4, printed.state["widgets"]


def test_pages_render_and_are_not_blank(printed):
    from PIL import Image

    picks = {
        "title": 1,
        "four-equations": first_page_with(printed, r"\d+\.\d+\. BP1", 0.3),
        "pass-stepper": first_page_with(printed, r"\d+\.\d+\. One pass, step by step", 0.35),
        "digits-figure": first_page_with(printed, r"The first 20 training images", 0.5),
    }
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    for name, number in picks.items():
        prefix = PNG_DIR / f"{name}-p{number}"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number), "-singlefile",
                        str(printed.pdf), str(prefix)], check=True, timeout=120)
        png = prefix.with_suffix(".png")
        with Image.open(png) as im:
            grey = im.convert("L")
            inked = sum(1 for v in grey.getdata() if v < 200) / (grey.width * grey.height)
        assert inked > 0.01, f"page {number} ({name}) is almost blank: {inked:.2%} inked"
