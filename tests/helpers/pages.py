"""Small throw-away books for the widget tests: a MyST Markdown notebook page with the jupytext
header, the few settings the project's _config.yml has for widgets, and the build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MYST_HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

EXT = Path(__file__).resolve().parents[2] / "book" / "_ext"


def myst_page(body: str) -> str:
    """A MyST notebook page: the jupytext header, then ``body`` (Markdown with code cells)."""
    return MYST_HEADER + "\n" + body.lstrip("\n")


def widget_book_config(title: str, extensions: tuple[str, ...] = ()) -> str:
    """A Jupyter Book _config.yml with the widget settings of the project's own (see the report
    of issue 4): the pages executed, each widget's self-contained HTML copy shown instead of the
    live view (no kernel), no widget manager loaded from a CDN, a default colour mode (else
    pydata-sphinx-theme logs "Got invalid theme mode"), and the named local extensions of
    book/_ext (e.g. ``bpkit_widgets``, which drops the stored widget state)."""
    local = "".join(f"\n    {name}: {EXT}" for name in extensions)
    extensions_block = f"\n  local_extensions:{local}" if extensions else ""
    return (
        f"title: {title}\n"
        "author: bpkit\n"
        "only_build_toc_files: true\n"
        "execute:\n"
        "  execute_notebooks: force\n"
        "  timeout: 120\n"
        f"sphinx:{extensions_block}\n"
        "  config:\n"
        '    nb_mime_priority_overrides: [["html", "application/vnd.jupyter.widget-view+json", 35]]\n'
        "    nb_ipywidgets_js: {}\n"
        "    html_context:\n"
        "      default_mode: light\n"
    )


def build_book(root: Path, name: str, page: str, config: str) -> Path:
    """Write a one-page book (``name``.md holding ``page``) into ``root``, build it with the
    README's flags (-W -n --keep-going) and return the HTML folder; a failed build fails the test."""
    (root / "_config.yml").write_text(config)
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: {name}\n")
    (root / f"{name}.md").write_text(page)
    jb = Path(sys.executable).with_name("jupyter-book")
    done = subprocess.run([str(jb), "build", str(root), "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"the test book did not build:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return root / "_build" / "html"
