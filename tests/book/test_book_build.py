"""The book builds with every page executed and no warning, and the built HTML keeps the
promises of its configuration: MathJax from the installed package, nothing from a CDN, an
.ipynb for every page, the widgets' self-contained copies, every glued number filled in.

Also checks on the pages' sources that each chapter has what the issue asks of it, and that
the table of the values Mazur publishes (typed into chapter 8 as citations) is the table
bpkit.mazur holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from book_pages import REPO, notebook_pages, toc_files
from helpers.pages import myst_page

pytestmark = pytest.mark.book

CHAPTERS = [f for f in toc_files() if re.match(r"book/\d\d_", f)]
CDN_HOSTS = re.compile(r"unpkg\.com|jsdelivr|cdnjs|googleapis|cloudflare|require\.js|mathjax@|cdn\.")


def html_of(book_html: Path, doc: str) -> str:
    return (book_html / f"{doc}.html").read_text(encoding="utf-8")


def test_book_builds_with_zero_warnings(built_book):
    assert built_book.returncode == 0, built_book.output[-5000:]
    log = re.sub(r"\x1b\[[0-9;]*m", "", built_book.output)
    assert "build succeeded." in log and "finished with problems" not in log
    # Sphinx's and myst-nb's messages ("path:line: WARNING: ...", "ERROR: ..."). The kernels'
    # own logging on stderr ("[IPKernelApp] WARNING | ...") is not a message of the build.
    messages = re.findall(r"(?m)^.*(?:^|: )(?:WARNING|ERROR|CRITICAL|SEVERE): .*$", log)
    assert not messages, "the build has warnings:\n" + "\n".join(messages[:20])


def test_every_page_of_the_toc_is_built(book_html):
    for doc in toc_files():
        assert (book_html / f"{doc}.html").is_file(), doc
    assert (book_html / "index.html").is_file()
    assert (book_html / "search.html").is_file()


def test_mathjax_comes_from_the_installed_package(book_html):
    assert (book_html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    for doc in toc_files():
        scripts = re.findall(r'<script[^>]*src="([^"]*mathjax[^"]*)"', html_of(book_html, doc), re.I)
        if not doc.endswith(("/api", "/bibliography")):  # the pages written with formulas
            assert scripts, f"{doc} loads no MathJax"
        # (Sphinx adds a checksum, "?v=20daa33d", when the file is already in the output: a second build)
        assert all(s.split("?")[0].endswith("_static/mathjax/tex-chtml.js") and not s.startswith("http")
                   for s in scripts), scripts


def test_no_page_loads_anything_from_another_host(book_html):
    pages = sorted(book_html.rglob("*.html"))
    assert len(pages) >= len(toc_files())
    for page in pages:
        text = page.read_text(encoding="utf-8")
        # what a page loads: scripts, style sheets, images, frames (links to elsewhere are fine)
        loaded = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="([^"]+)"', text, re.I)
        loaded += re.findall(r'<link\b[^>]*\bhref="([^"]+)"', text, re.I)
        outside = [u for u in loaded if re.match(r"(?:https?:)?//", u)]
        assert not outside, f"{page.relative_to(book_html)} loads {outside}"
        assert not CDN_HOSTS.search(text), f"{page.relative_to(book_html)} names a CDN: {CDN_HOSTS.search(text)[0]}"


def test_every_notebook_page_offers_its_ipynb(book_html):
    for doc in notebook_pages():
        name = Path(doc).name
        assert f"_sources/book/{name}.ipynb" in html_of(book_html, doc), f"{doc} offers no .ipynb download"
        assert (book_html / "_sources" / "book" / f"{name}.ipynb").is_file()


def test_no_button_leads_to_a_repository_that_is_not_set(book_html):
    """While _config.yml's repository.url is empty (unpublished), no page shows a Repository,
    Binder or Colab button (book/_ext/bpkit_launch.py; tests/book/test_launch_config.py checks
    the published case)."""
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    if config["repository"]["url"]:
        pytest.skip("repository.url is set: the buttons are checked by test_launch_config.py")
    for doc in toc_files():
        text = html_of(book_html, doc)
        for button in ("mybinder.org", "colab.research.google.com", "source-repository-button"):
            assert button not in text, f"{doc} shows {button} with no repository set"


def test_widgets_are_their_self_contained_html_copies(book_html):
    expected = {"book/02_notation": {"NotationExplorer"}, "book/07_algorithm": {"PassStepper", "LoopStepper"},
                "book/08_worked_example": {"PassStepper"}, "book/11_playground": {"Playground"}}
    for doc, widgets in expected.items():
        found = set(re.findall(r'data-bpkit-widget="(\w+)"', html_of(book_html, doc)))
        assert widgets <= found, f"{doc}: widgets {widgets - found} missing from the static page"


# Chapter 7's bytes when every widget inlined its own module, stylesheet and trace (measured on
# a single-page build before issue 17: 824,850 bytes, of which 418 KB were five module copies).
CHAPTER_7_BEFORE = 824_850


def test_each_page_carries_one_copy_of_the_widget_code(book_html):
    """No stored widget state (the book's bpkit_widgets extension drops it), and each part of
    the widgets' code (the engine's modules, the page pieces, each widget's module, the
    stylesheet, the playground's data sets) once per page however many widgets it shows; each widget's host names a module
    whose part is on the page, and has its own state. Chapter 7 is under half its old bytes."""
    widget_pages = 0
    for doc in toc_files():
        text = html_of(book_html, doc)
        assert "application/vnd.jupyter.widget-state+json" not in text, f"{doc} still carries the widget state"
        hosts = re.findall(r'<div class="bpkit-static" id="([\w-]+)" data-bpkit-widget="\w+" data-bpkit-module="([\w/.]+)"', text)
        parts = re.findall(r'<(?:script type="(?:module|application/json)"|style) data-bpkit-part="([^"]+)" data-bpkit-version="([^"]+)"', text)
        repeated = sorted({p for p in parts if parts.count(p) > 1})
        assert not repeated, f"{doc} carries these parts more than once: {repeated}"
        assert text.count("function bpBackprop(") <= 1 and text.count("function bpStaticModel(") == (1 if hosts else 0), doc
        versions = {v for _, v in parts}
        assert len(versions) <= 1, f"{doc} mixes bpkit versions {versions}"
        for uid, module in hosts:
            assert (module, *versions) in parts, f"{doc}: the module {module} of {uid} is not on the page"
            assert f'<script type="application/json" id="{uid}-state">' in text, f"{doc}: {uid} has no state"
        widget_pages += bool(hosts)
    assert widget_pages >= 4
    size = (book_html / "book/07_algorithm.html").stat().st_size
    assert size < CHAPTER_7_BEFORE / 2, f"chapter 7 is {size:,} bytes; it was {CHAPTER_7_BEFORE:,}"


def test_every_glued_number_is_filled_in(book_html):
    for doc in toc_files():
        text = html_of(book_html, doc)
        assert "{glue:" not in text and "glue:text" not in text, doc
    # the worked example's table: one bpkit value per published value
    text = html_of(book_html, "book/08_worked_example")
    assert len(re.findall(r'class="pasted-text"', text)) >= 28 * 3


def test_figures_are_in_every_chapter(book_html):
    for doc in CHAPTERS:
        text = html_of(book_html, doc)
        images = re.findall(r'<img[^>]+src="([^"]+\.png)"', text)
        assert images or "data-bpkit-widget" in text, f"{doc} has no figure and no widget"
        for src in images:
            assert (book_html / doc).parent.joinpath(src).resolve().is_file(), (doc, src)


def test_each_chapter_pairs_sympy_with_bpkit_and_has_exercises():
    for doc in CHAPTERS:
        source = (REPO / f"{doc}.md").read_text()
        assert re.search(r"^import sympy as sp|^from bpkit\.symbolic import|^import sympy", source, re.M), doc
        assert re.search(r"^import bpkit|^from bpkit", source, re.M), doc
        assert source.count(":::{exercise}") >= 2, f"{doc} has fewer than two exercises"
        labels = re.findall(r":::\{exercise\}\n:label: (\S+)", source)
        for label in labels:
            assert re.search(rf"\{{solution(?:-start)?\}} {re.escape(label)}\n:class: dropdown", source), (
                f"{doc}: exercise {label} has no toggled solution")


def test_chapters_from_7_on_ask_self_check_questions(book_html):
    """At least two self-check questions per chapter, each in the static page (with no kernel),
    each with its answer computed when the page was built (issue 11)."""
    for doc in [c for c in CHAPTERS if int(Path(c).name[:2]) >= 7]:
        source = (REPO / f"{doc}.md").read_text()
        assert source.count("\nSelfCheck(\n") >= 2, f"{doc} asks fewer than two self-check questions"
        found = re.findall(r'data-bpkit-widget="SelfCheck"', html_of(book_html, doc))
        assert len(found) == source.count("\nSelfCheck(\n"), doc


# Each slip of the notes, in the order of the appendix's table: how the notes write it, a
# pattern of the correction in that table, the chapter where the slip matters, the label of the
# box (or section) there, and a pattern of what that box says.
SLIPS = [
    ("Hadamard project", r"Hadamard \*\*product\*\*", "book/04_hadamard", "hadamard-slips",
     r"Hadamard \*\*product\*\*"),
    ("âŠ™", r"\$a \\odot b\$", "book/04_hadamard", "hadamard-slips", r"âŠ™.*\$a \\odot b\$"),
    (r"\nabla_a C * \sigma'(z^L)", r"\\odot\$, the Hadamard product, in both", "book/04_hadamard",
     "hadamard-slips", r"as \$\*\$.*it is \$\\odot\$ there too"),
    (r"C = \frac{1}{n}\lVert y - a^L\rVert^2", r"\\frac\{1\}\{2n\}\\sum_x", "book/03_cost_function", "cost-slip",
     r"\\frac\{1\}\{2n\}\\sum_x"),
    (r"a_{l-1}^k \delta^l_j", r"a\^\{l-1\}_k\\,\\delta\^l_j", "book/05_four_equations", "bp4-slip",
     r"\\frac\{\\partial C\}\{\\partial w\^l_\{jk\}\} = a\^\{l-1\}_k\\,\\delta\^l_j"),
    (r"\Sigma_i^n w^l_{ji}", r"\\sum_k w\^l_\{jk\}", "book/02_notation", "notation-slips", r"\\sum_k"),
    (r"\frac{\partial C}{\partial x}", r"\\partial C/\\partial w\^l_\{jk\}", "book/02_notation", "notation-slips",
     r"\\partial C/\\partial w\^l_\{jk\}"),
    ("the jth error in the lth layer", r"\*\*of neuron \$j\$\*\*", "book/05_four_equations", "the-error-delta",
     r"the error of neuron \$j\$"),
    ("using difference of a(L) and y to compute loss function", r"\*\*output error\*\*", "book/07_algorithm",
     "ng-loose-spots", r"output error \$\\delta\^L\$"),
    ("update weight by accumulating partial derivatives", r"update once, after the loop", "book/07_algorithm",
     "ng-loose-spots", r"\*accumulated\*.*\*updated\*"),
]


def test_the_notes_slips_are_corrected_where_they_matter():
    """The book opens on backpropagation, not on the notes' slips: the landing page names the
    notes in one sentence and links to the appendix "About the source notes". Its table gives
    each slip, its correction and a link to the chapter's box (or section) where the slip
    matters; that box states the correction, and a box links back to the appendix."""
    intro = (REPO / "book" / "intro.md").read_text()
    assert "Corrections to the notes" not in intro and "âŠ™" not in intro
    assert "{doc}`appendix_source_notes`" in intro.split("## bpkit in a few lines")[0]
    appendix = (REPO / "book" / "appendix_source_notes.md").read_text()
    assert "book/appendix_source_notes" in toc_files()
    rows = [line for line in appendix.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == len(SLIPS), rows
    for (wrong, correct, doc, label, stated), row in zip(SLIPS, rows):
        assert wrong in row and re.search(correct, row), (wrong, row)
        assert re.search(rf"\{{ref\}}`[^`<]*<{label}>`", row), (label, row)
        source = (REPO / f"{doc}.md").read_text()
        parts = source.split(f"({label})=\n", 1)
        assert len(parts) == 2, f"{doc} has no target ({label})="
        if parts[1].startswith("#"):  # a section: its text up to the next section
            box = parts[1].split("\n## ", 1)[0]
        else:  # a box: the admonition right after the target
            assert parts[1].startswith("```{admonition}"), f"{doc}: ({label})= is not followed by a box"
            box = parts[1].split("\n```\n", 1)[0]
            assert "{doc}`appendix_source_notes`" in box, f"{doc}: the box ({label}) does not link to the appendix"
        assert re.search(stated, box, re.S), f"{doc}: the box or section ({label}) does not state {stated!r}"
    # the encoding story is told in the appendix, not in the chapter on the Hadamard product
    hadamard = (REPO / "book" / "04_hadamard.md").read_text()
    assert "cp1252" not in hadamard and "cp1252" in appendix


def test_mazur_table_quotes_the_values_bpkit_mazur_holds():
    """The published column of chapter 8's table (typed, as citations) equals bpkit.mazur's."""
    from bpkit import mazur

    source = (REPO / "book" / "08_worked_example.md").read_text()
    table = source[source.index(":::{list-table} Mazur's published values"):]
    table = table[:table.index("\n:::")]
    rows = re.findall(r"\* - `([^`]+)`\n  - [^\n]*\n  - ([^\n]+)\n", table)
    assert len(rows) == len(mazur.PUBLISHED)
    for (name, printed), (key, expected) in zip(rows, mazur.PUBLISHED.items()):
        assert name.replace("∂", "d") == key, (name, key)
        assert printed.replace("−", "-") == expected, (name, printed, expected)


PAGE_HEAD = myst_page("# A test page\n\n```{code-cell} ipython3\n")


@pytest.mark.parametrize("cell, symptom", [
    ("print('fine')", None),                                            # the control: it builds
    ("1 / 0", "ZeroDivisionError"),                                     # a failing cell
    ("import sys\nprint('stray', file=sys.stderr)", "stderr was found in the cell outputs"),
])
def test_the_books_configuration_fails_a_bad_page(tmp_path, cell, symptom):
    """With the book's own _config.yml, a page whose cell raises, or writes to stderr, fails
    the build (the build must not quietly publish a broken page); a good page builds."""
    import shutil
    import subprocess
    import sys

    for name in ("_config.yml", "references.bib"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "book" / "_ext", tmp_path / "book" / "_ext")
    shutil.copytree(REPO / "book" / "_static", tmp_path / "book" / "_static")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/bad\n")
    (tmp_path / "book" / "bad.md").write_text(PAGE_HEAD + cell + "\n```\n")
    jb = Path(sys.executable).with_name("jupyter-book")
    done = subprocess.run([str(jb), "build", str(tmp_path), "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, timeout=600)
    if symptom is None:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    else:
        assert done.returncode != 0, "the bad page built"
        assert symptom in done.stdout + done.stderr
