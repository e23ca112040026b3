"""The PDF edition (``make pdf``, tools/print_pdf.py): the whole book, one PDF, printed by this
machine's Chromium from Jupyter Book's single-page HTML.

The single-page build runs in the ``--path-output`` of the session's HTML build (the
``built_book`` fixture) and reuses what that build read and executed, as ``make pdf`` after
``make book`` does; then it is printed once. The checks: the page count is sane and matches what
the README promises; every chapter is in it; the formulas were typeset, every image loaded,
nothing was fetched from another host; the widgets print; it reads like a book: no screen-only
control is printed, no box is cut just after its top edge at the foot of a page, an outline
(bookmarks) of the chapters and their sections, tagged for screen readers; a few pages, rendered
to PNG with pdftoppm (poppler-utils, see tools/ensure-poppler.sh), are not blank. And the
single-page build succeeds when run again after a page changed (an incremental build, which
once failed on a cross-reference). The PNGs are kept in ``test-artifacts/pdf/``; timings go to
``test-artifacts/pdf-seconds.txt``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from book_pages import ARTIFACTS, REPO, toc_files
from helpers.browser import shared_browser

pytestmark = [pytest.mark.book, pytest.mark.pdf, pytest.mark.slow]

PNG_DIR = ARTIFACTS / "pdf"
CHAPTERS = [f for f in toc_files() if re.match(r"book/\d\d_", f)]


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
    path_output: Path


@pytest.fixture(scope="module")
def printed(built_book, book_html) -> PrintedBook:
    for tool in ("pdfinfo", "pdftoppm", "pdftotext"):
        assert shutil.which(tool), f"{tool} is missing: run tools/ensure-poppler.sh (make test does)"
    printer = _printer()
    out = built_book.path_output
    start = time.perf_counter()
    try:
        html = printer.build_singlehtml(out)
    except subprocess.CalledProcessError as exc:
        pytest.fail("the single-page build failed:\n" + (exc.stdout + exc.stderr)[-5000:])
    built = time.perf_counter() - start
    pdf = out / "bpkit.pdf"
    state = printer.print_pdf(html, pdf, browser=shared_browser())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "pdf-seconds.txt").write_text(f"build {built:.1f}\nprint {state['seconds']:.1f}\n")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return PrintedBook(pdf, state, text.split("\f")[:-1] if text.endswith("\f") else text.split("\f"), out)


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


def outline(pdf: Path) -> list[tuple[int, str]]:
    """The PDF's outline (bookmarks) as (depth, title) in order, depth 0 at the top."""
    import pypdf

    found: list[tuple[int, str]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(pypdf.PdfReader(pdf).outline, 0)
    return found


def heading_titles(doc: str) -> tuple[str, list[str]]:
    """A page's title (``# ...``) and its section titles (``## ...``), from its source, with
    inline maths and Markdown marks dropped (for a loose comparison)."""
    source = (REPO / f"{doc}.md").read_text()
    source = re.sub(r"```.*?```", "", source, flags=re.S)  # not a comment line of a code cell
    title = re.search(r"^# (.+)$", source, re.M)[1]
    return title, re.findall(r"^## (.+)$", source, re.M)


def loose(text: str) -> str:
    """Latin letters and digits only, lower case, super- and subscripts as plain letters, TeX
    commands dropped: what survives any rendering of a title ("$a^L$" and "aᴸ" are both "al")."""
    text = unicodedata.normalize("NFKC", re.sub(r"\\[a-zA-Z]+|\{[a-z]+\}`[^`]*`", "", text))
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def test_the_page_count_is_sane_and_the_readme_says_it(printed):
    n = page_count(printed.pdf)
    assert n == len(printed.pages)
    docs = len(toc_files())
    assert 3 * docs <= n <= 60 * docs, f"{n} pages for {docs} documents"
    promised = re.search(r"the PDF has about (\d+) A4 pages", (REPO / "README.md").read_text())
    assert promised, "the README no longer says how many pages the PDF has"
    assert abs(n - int(promised[1])) <= 0.15 * n, f"the README promises about {promised[1]} pages; it has {n}"


def test_every_chapter_is_in_it(printed):
    text = "\n".join(printed.pages)
    for doc in toc_files():
        title, _ = heading_titles(doc)
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


def test_no_screen_only_control_is_printed(printed):
    """Paper cannot be clicked: no button, field, menu or show/hide line is laid out in print,
    and none of their words reach the PDF."""
    assert printed.state["controls"] == [], printed.state["controls"][:10]
    text = "\n".join(printed.pages)
    for words in ("Show code cell", "Hide code cell", "Click to show", "Copy to clipboard", "Next step"):
        assert words not in text, f"the PDF prints {words!r}"


def boxes_cut_at_the_foot(pdf: Path, dpi: int = 50) -> list[tuple[int, float]]:
    """Pages whose foot holds ink (a box's top edge or fill) below a gap after the page's last
    line of text: a box that a page break cut just after its top edge, its content on the next
    page. Returns (page, height of the cut-off piece in pt)."""
    from PIL import Image

    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', xml, re.S)
    found = []
    with __import__("tempfile").TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(dpi), str(pdf), f"{tmp}/p"], check=True, timeout=600)
        images = sorted(Path(tmp).glob("p-*.png"))
        assert len(images) == len(pages)
        for number, ((height, body), png) in enumerate(zip(pages, images), start=1):
            height = float(height)
            foot = height - 16 / 25.4 * 72  # the bottom margin, 16 mm, holds the page number
            bottoms = [float(b) for b in re.findall(r'yMax="([\d.]+)"', body) if float(b) < foot]
            if not bottoms:
                continue
            ink = np.asarray(Image.open(png).convert("L")) < 235
            scale = ink.shape[0] / height
            rows = np.nonzero(ink[int((max(bottoms) + 2) * scale):int(foot * scale)].any(axis=1))[0]
            if rows.size and rows[0] / scale > 8:  # ink well below the last line, then the margin
                found.append((number, round((rows[-1] - rows[0]) / scale, 1)))
    return found


def test_no_box_is_cut_at_the_foot_of_a_page(printed):
    cut = [(page, h) for page, h in boxes_cut_at_the_foot(printed.pdf) if h < 60]
    assert cut == [], f"pages ending in an empty piece of a box (page, height in pt): {cut}"


def test_the_check_sees_a_cut_box(tmp_path):
    """The control: a page whose foot holds the empty top of a bordered box, below its last
    line of text, is found; the same page whose box at the foot holds a line of text is not."""
    from helpers.browser import open_page, serve

    # A4 is 1123 CSS px tall; inside 16 mm margins the foot of the first page is at 1002 px
    piece = "<div style='position:absolute;top:975px;left:20px;width:500px;height:22px;" \
            "border:1px solid #999;border-left:5px solid #2a7;border-bottom:none'></div>"
    closed = "<div style='position:absolute;top:955px;left:20px;width:500px;padding:4px;" \
             "border:1px solid #999;border-left:5px solid #2a7'>code = 1</div>"
    found = {}
    with serve(tmp_path) as base:
        for name, box in (("cut", piece), ("closed", closed)):
            (tmp_path / f"{name}.html").write_text(
                "<html><body style='margin:0;font:14px sans-serif'><p style='margin:0'>Some text.</p>"
                f"{box}</body></html>")
            with open_page(base, f"{name}.html") as (page, report):
                page.pdf(path=str(tmp_path / f"{name}.pdf"), format="A4",
                         margin={"top": "16mm", "bottom": "16mm"})
            found[name] = [p for p, h in boxes_cut_at_the_foot(tmp_path / f"{name}.pdf") if h < 60]
    assert found == {"cut": [1], "closed": []}, found


def test_an_outline_of_chapters_and_sections(printed):
    """Bookmarks: the book's title on top, then every chapter, each with its sections, named
    as the headings are (no permalink sign, no doubled words, formulas as text)."""
    entries = outline(printed.pdf)
    assert entries and entries[0][0] == 0 and loose(entries[0][1]) == loose("Backpropagation, step by step")
    for depth, title in entries:
        assert "#" not in title and title.strip() == title and title, title
        half = len(title) // 2
        assert not (len(title) > 6 and title[:half].strip() == title[half:].strip()), f"doubled: {title!r}"
    chapters = [(i, t) for i, (d, t) in enumerate(entries) if d == 1]
    for number, doc in enumerate(CHAPTERS, start=1):
        title, sections = heading_titles(doc)
        at = next((i for i, t in chapters if loose(t) == loose(f"{number}. {title}")), None)
        assert at is not None, f"chapter {number} ({title!r}) is not a bookmark: {[t for _, t in chapters]}"
        below = []
        for depth, t in entries[at + 1:]:
            if depth <= 1:
                break
            if depth == 2:
                below.append(loose(t))
        for k, section in enumerate(sections, start=1):
            if section == "Review":  # questions that come back: for the screen only, not printed
                continue
            assert loose(f"{number}.{k}. {section}") in below, f"{doc}: section {section!r} is not a bookmark"


def test_it_is_tagged_for_screen_readers(printed):
    import pypdf

    info = subprocess.run(["pdfinfo", str(printed.pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M), info
    root = pypdf.PdfReader(printed.pdf).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


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


def test_the_build_runs_again_after_a_page_changed(printed):
    """``make pdf`` run a second time, after an edit of a page, builds: the incremental build
    reads and executes just that page again (its modification time is set to now, as an
    editor saving it would; restored afterwards) and resolves every cross-reference, with
    warnings as errors."""
    page = REPO / "book" / "04_hadamard.md"
    doctrees = printed.path_output / "_build" / ".doctrees" / "book"
    read = {d.name: d.stat().st_mtime for d in doctrees.glob("*.doctree")}
    before = page.stat()
    os.utime(page)  # saved now, as an editor would (Sphinx reads a page modified since it read it)
    try:
        start = time.perf_counter()
        try:
            _printer().build_singlehtml(printed.path_output)
        except subprocess.CalledProcessError as exc:
            pytest.fail("the second single-page build failed:\n" + (exc.stdout + exc.stderr)[-5000:])
        seconds = time.perf_counter() - start
    finally:
        os.utime(page, (before.st_atime, before.st_mtime))
    with open(ARTIFACTS / "pdf-seconds.txt", "a") as f:
        f.write(f"rebuild after an edit {seconds:.1f}\n")
    reread = sorted(d.name for d in doctrees.glob("*.doctree") if d.stat().st_mtime != read.get(d.name))
    assert reread == ["04_hadamard.doctree"], f"the second build read {reread}"
