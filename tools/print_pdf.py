"""The PDF edition of the book: Jupyter Book's single-page HTML, printed by this machine's Chromium.

    python tools/print_pdf.py                 # build _build/singlehtml, print _build/pdf/bpkit.pdf
    python tools/print_pdf.py --no-build      # print an existing _build/singlehtml again
    python tools/print_pdf.py --path-output DIR --out FILE.pdf

Why not ``jupyter-book build --builder pdfhtml``: it prints with Playwright's own downloaded
Chromium, and downloading a browser is not an option here. This script drives Debian's
``/usr/bin/chromium`` (or the one ``tools/ensure-browser.sh`` found) through Playwright's
``executable_path``, with no network (every request to another host is refused):

1. ``jupyter-book build . --builder singlehtml -W -n --keep-going`` (every page executed);
2. serve the result on 127.0.0.1, open it with print media, open every exercise solution and
   every fold of numbers (a PDF cannot be clicked), wait until MathJax has typeset every
   formula and every image has loaded;
3. ``page.pdf``: A4, backgrounds printed, page numbers in the footer, an outline (bookmarks
   from the chapters' and sections' headings) and tags (a tagged PDF: screen readers follow
   its structure).

The page's print layout (no screen-only controls, long code lines wrapped, no box split just
after its top edge) is the book's own stylesheet's ``@media print`` (book/_static/bpkit.css),
so a page printed from a browser gets it too; the widgets print as their tables of steps
(their stylesheet's ``@media print``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_executable() -> str | None:
    """``.venv/chromium-path`` (written by tools/ensure-browser.sh), else /usr/bin/chromium;
    None means Playwright's own browser (the file says ``playwright``)."""
    marker = REPO / ".venv" / "chromium-path"
    choice = marker.read_text().strip() if marker.is_file() else ""
    if choice == "playwright":
        return None
    return choice or "/usr/bin/chromium"


def forget_reading(path_output: Path) -> None:
    """Drop what the last build read (``_build/.doctrees``), so that the next build reads and
    executes every page again: after a failed build, a page that only warned would otherwise be
    reused as read, and its warning would not fail the next build."""
    shutil.rmtree(path_output / "_build" / ".doctrees", ignore_errors=True)


def build_singlehtml(path_output: Path, timeout: float = 3600) -> Path:
    """Build the whole book as one HTML page into ``path_output/_build/singlehtml``; returns
    that folder. Raises CalledProcessError (with the build's output) if the build fails.

    The build is incremental and shares ``path_output/_build/.doctrees`` with the HTML build
    (``make book``): after one, it reads and executes only the pages that changed since, or
    every page when bpkit changed (book/_ext/bpkit_freshness.py)."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(REPO), "--builder", "singlehtml", "-W", "-n", "--keep-going",
           "--path-output", str(path_output)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        forget_reading(path_output)
        raise subprocess.CalledProcessError(done.returncode, cmd, done.stdout, done.stderr)
    return path_output / "_build" / "singlehtml"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# Runs in the page before printing: every solution and every fold of numbers open, every
# image loaded eagerly, and the printed table of contents' captions ("Contents", "Chapters",
# ...) made plain text, so that the PDF's outline (which Chromium makes from the headings)
# holds the chapters and their sections only.
_PREPARE = """() => {
  for (const d of document.querySelectorAll("details")) {
    if (!d.classList.contains("above-input")) d.open = true;
  }
  for (const img of document.images) img.loading = "eager";
  for (const el of document.querySelectorAll("#jb-print-toc h2, #jb-print-toc [role=heading]")) {
    const plain = document.createElement("p");
    plain.className = el.className + " bpkit-print-toc-caption";
    plain.innerHTML = el.innerHTML;
    el.replaceWith(plain);
  }
}"""

# The headings of the page, in document order, as the PDF outline should name them: their text
# without the permalink, each formula written as its TeX source with simple super- and
# subscripts as Unicode (Chromium's own outline drops MathJax's glyphs, doubles some titles and
# joins the words at a line break; print_pdf replaces its titles by these).
_HEADINGS = r"""() => {
  const sup = {"0":"⁰","1":"¹","2":"²","3":"³","4":"⁴","5":"⁵","6":"⁶","7":"⁷","8":"⁸","9":"⁹",
               "L":"ᴸ","l":"ˡ","T":"ᵀ","n":"ⁿ","i":"ⁱ","+":"⁺","-":"⁻","(":"⁽",")":"⁾"};
  const sub = {"0":"₀","1":"₁","2":"₂","3":"₃","4":"₄","5":"₅","6":"₆","7":"₇","8":"₈","9":"₉",
               "j":"ⱼ","k":"ₖ","l":"ₗ","i":"ᵢ","n":"ₙ","x":"ₓ","+":"₊","-":"₋","(":"₍",")":"₎"};
  const script = (text, table, mark) => [...text].every(c => c in table)
    ? [...text].map(c => table[c]).join("") : mark + text;
  const tex = (src) => src
    .replace(/\\odot/g, "⊙").replace(/\\delta/g, "δ").replace(/\\sigma/g, "σ")
    .replace(/\\partial/g, "∂").replace(/\\nabla/g, "∇").replace(/\\eta/g, "η")
    .replace(/\\[a-zA-Z]+/g, "")
    .replace(/\^\{([^{}]*)\}|\^(.)/g, (m, a, b) => script(a ?? b, sup, "^"))
    .replace(/_\{([^{}]*)\}|_(.)/g, (m, a, b) => script(a ?? b, sub, "_"))
    .replace(/[{}]/g, "").trim();
  const items = (window.MathJax && MathJax.startup && MathJax.startup.document)
    ? MathJax.startup.document.math.toArray ? MathJax.startup.document.math.toArray() : [...MathJax.startup.document.math]
    : [];
  const source = new Map(items.map(item => [item.typesetRoot, item.math]));
  return Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]"))
    .filter(el => el.getClientRects().length > 0)
    .map(el => {
      const copy = el.cloneNode(true);
      copy.querySelectorAll(".headerlink").forEach(a => a.remove());
      const originals = el.querySelectorAll("mjx-container");
      copy.querySelectorAll("mjx-container").forEach((m, i) => {
        m.replaceWith(document.createTextNode(tex(source.get(originals[i]) || m.textContent)));
      });
      return copy.textContent.replace(/\s+/g, " ").trim();
    });
}"""


def _retitle_outline(pdf: Path, titles: list[str]) -> None:
    """Give the PDF's outline entries (Chromium's, one per printed heading, in document order)
    the headings' own titles. Fails if the outline does not have one entry per heading."""
    import logging

    import pypdf
    from pypdf.generic import NameObject, TextStringObject

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # Chromium's xref table is a little short
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(pdf))
    entries: list = []

    def walk(node) -> None:  # depth first, in document order: /First child, then /Next sibling
        while node is not None:
            node = node.get_object()
            entries.append(node)
            walk(node.get("/First"))
            node = node.get("/Next")

    outlines = writer.root_object.get("/Outlines")
    walk(outlines.get_object().get("/First") if outlines is not None else None)
    if len(entries) != len(titles):
        raise RuntimeError(f"the PDF's outline has {len(entries)} entries for {len(titles)} headings")
    for entry, title in zip(entries, titles):
        entry[NameObject("/Title")] = TextStringObject(title)
    with open(pdf, "wb") as f:
        writer.write(f)


# Resolves once MathJax has typeset the page (sphinx-mathjax-offline serves MathJax 3 locally)
# and every image and font has loaded; returns what it waited for.
_SETTLE = """async () => {
  const deadline = Date.now() + 120000;
  while (!(window.MathJax && MathJax.startup && MathJax.startup.promise) && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 100));
  }
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    if (MathJax.typesetPromise) await MathJax.typesetPromise();
  }
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
    new Promise(r => { img.addEventListener("load", r); img.addEventListener("error", r); })));
  await document.fonts.ready;
  return {
    math: document.querySelectorAll("mjx-container").length,
    widgets: document.querySelectorAll("[data-bpkit-widget]").length,
    unrendered: (document.body.innerText.match(/\\\\\\(|\\\\\\[|\\$\\$/g) || []).length,
    images: document.images.length,
    broken: Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.src),
    // what a reader of paper could not use: controls still shown in print (a button that holds
    // only a picture, such as a neuron of the playground, prints as that picture)
    controls: Array.from(document.querySelectorAll("button, input, select, textarea, summary"))
      .filter(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")
      .filter(el => !(el.querySelector("canvas, img, svg") && !el.textContent.trim()))
      .map(el => el.tagName.toLowerCase() + ": " + (el.textContent || el.value || "").trim().slice(0, 60)),
  };
}"""

_FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555;">'
           '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def root_page(html_dir: Path) -> str:
    """The book's one page in a singlehtml build: ``index.html`` is only a redirect to it
    (``<meta http-equiv="Refresh" content="0; url=book/intro.html">``)."""
    index = (html_dir / "index.html").read_text(encoding="utf-8")
    redirect = re.search(r'http-equiv="Refresh"[^>]*url=([^"]+)"', index, re.I)
    return redirect[1].strip() if redirect else "index.html"


def printable_page(html_dir: Path) -> str:
    """A copy of the book's one page at the build's root, where its links point from: Sphinx's
    singlehtml builder writes the root document (book/intro.html) with links relative to the
    root ("_static/...", "_images/..."), which from book/ would not load."""
    page = root_page(html_dir)
    if "/" not in page:
        return page
    shutil.copy2(html_dir / page, html_dir / "bpkit-print.html")
    return "bpkit-print.html"


def print_pdf(html_dir: Path, out: Path, executable: str | None = None, page_path: str | None = None,
              browser=None) -> dict:
    """Print ``html_dir/page_path`` (by default a singlehtml build's one page) to ``out``. Returns what the page
    held when printed: ``math`` (typeset formulas), ``widgets`` (bpkit widgets), ``images``, ``broken`` (images that did not
    load), ``controls`` (screen-only controls left visible in print), ``headings`` (the outline's titles), ``blocked``
    (requests to other hosts, refused) and ``seconds``.

    ``browser``: a Playwright Chromium already running (the tests share one); by default one is
    launched for this print and closed after it."""
    start = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            own = pw.chromium.launch(executable_path=executable if executable is not None else chromium_executable(),
                                     args=CHROMIUM_ARGS)
            try:
                state = _print(html_dir, out, page_path, own)
            finally:
                own.close()
    else:
        state = _print(html_dir, out, page_path, browser)
    _retitle_outline(out, state["headings"])
    return {**state, "seconds": time.perf_counter() - start}


def _print(html_dir: Path, out: Path, page_path: str | None, browser) -> dict:
    """Open the page in a new context of ``browser`` with every other host refused, prepare it
    and print it; returns what it held (see :func:`print_pdf`)."""
    blocked: list[str] = []

    def route(r):
        if urlsplit(r.request.url).hostname in LOCAL_HOSTS or r.request.url.startswith(("data:", "blob:")):
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    with serve(html_dir) as base:
        context = browser.new_context(viewport={"width": 1000, "height": 1400})
        try:
            page = context.new_page()
            page.route("**/*", route)
            page.emulate_media(media="print")
            page.goto(f"{base}/{page_path or printable_page(html_dir)}", wait_until="load", timeout=180_000)
            page.evaluate(_PREPARE)
            state = page.evaluate(_SETTLE)
            titles = page.evaluate(_HEADINGS)
            page.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
                     outline=True, tagged=True,
                     header_template="<div></div>", footer_template=_FOOTER,
                     margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
        finally:
            context.close()
    return {**state, "headings": titles, "blocked": blocked}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path-output", type=Path, default=REPO, help="where _build/ goes (default: the checkout)")
    parser.add_argument("--out", type=Path, default=None, help="the PDF (default: PATH_OUTPUT/_build/pdf/bpkit.pdf)")
    parser.add_argument("--no-build", action="store_true", help="print the existing single-page build")
    args = parser.parse_args(argv)
    out = args.out or args.path_output / "_build" / "pdf" / "bpkit.pdf"
    html_dir = args.path_output / "_build" / "singlehtml"
    if not args.no_build:
        print("building the single-page HTML (every page executed) ...", flush=True)
        try:
            html_dir = build_singlehtml(args.path_output)
        except subprocess.CalledProcessError as exc:
            print(exc.stdout[-4000:], exc.stderr[-4000:], sep="\n", file=sys.stderr)
            print("print_pdf: the book did not build", file=sys.stderr)
            return 1
    state = print_pdf(html_dir, out)
    print(f"{out}: {state['math']} formulas, {state['widgets']} widgets, {state['images']} images, "
          f"{state['seconds']:.0f} s to print")
    problems = []
    if state["broken"]:
        problems.append(f"images that did not load: {state['broken'][:5]}")
    if state["blocked"]:
        problems.append(f"requests to other hosts (refused): {state['blocked'][:5]}")
    for p in problems:
        print(f"print_pdf: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
