"""Test pages for small throw-away books: a MyST Markdown notebook with the jupytext header."""

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


def myst_page(body: str) -> str:
    """A MyST notebook page: the jupytext header, then ``body`` (Markdown with code cells)."""
    return MYST_HEADER + "\n" + body.lstrip("\n")
