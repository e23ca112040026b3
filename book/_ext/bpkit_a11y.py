"""Every page accessible: repair the few bits of markup that the theme and Sphinx get wrong.

axe-core (WCAG 2.1 A/AA) over the whole built pages found four kinds of violation outside the
book's own widgets, all in markup that comes from the theme, myst-nb or docutils rather than
from the pages. Each is repaired here, in the written HTML, after the build (``build-finished``),
so that a reader with or without JavaScript gets the same page:

* ``label-content-name-mismatch`` on pydata-sphinx-theme's search button: its accessible name
  (``aria-label="Search"``) does not contain its visible text ("Search Ctrl + K"). Without the
  ``aria-label`` the name is the visible text itself.
* ``label-content-name-mismatch`` on the theme's colour-mode button: the three icons inside it
  (sun, moon, half circle) carry titles ("Light", "Dark", "System Settings") that Font
  Awesome's script turns into SVG ``<title>`` text inside the button. The icons are decorative
  (the button is named "Color mode"): no title, and ``aria-hidden="true"``.
* ``label-content-name-mismatch`` on the ``<summary>`` of every folded code cell: myst-nb names
  it "Toggle hidden content" while it shows "Show code cell source". Without the ``aria-label``
  the name is what it shows.
* ``aria-required-children`` (critical) and ``aria-deprecated-role`` on the bibliography:
  docutils writes the citations as ``<div role="list">`` holding ``role="doc-biblioentry"``
  entries, a role that DPUB-ARIA 1.1 deprecates and that a list may not hold. Each entry
  becomes a ``listitem``.

Each repair is a fixed string substitution on markup whose exact form the test of the whole
pages (tests/book/test_accessibility.py) watches: if a new theme version writes it otherwise,
axe finds the violation again and the test names it.
"""

from __future__ import annotations

import re
from pathlib import Path

# (what to find, what to write instead, why)
REPAIRS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"'), r"\1",
     "the search button is named by its visible text"),
    (re.compile(r'<i class="(theme-switch [^"]*)"([^>]*?) title="[^"]*"'), r'<i aria-hidden="true" class="\1"\2',
     "the colour-mode button's icons are decorative"),
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>",
     "a folded cell's summary is named by what it shows"),
    (re.compile(r'(<div class="citation" id="[^"]*") role="doc-biblioentry"'), r'\1 role="listitem"',
     "a citation of the bibliography's list is a list item"),
)


def repair(html: str) -> str:
    """The page's HTML with every repair of :data:`REPAIRS` applied (idempotent)."""
    for pattern, replacement, _why in REPAIRS:
        html = pattern.sub(replacement, html)
    return html


def _repair_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = repair(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _repair_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
