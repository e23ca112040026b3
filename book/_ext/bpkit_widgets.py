"""One copy per page: the widgets' code, stylesheet and data enter each built page once.

1. **The stored widget state goes.** When myst-nb executes a page, nbclient records the
   state of every live widget in the notebook's metadata (``metadata.widgets``, MIME type
   ``application/vnd.jupyter.widget-state+json``), and myst-nb writes it into the page as a
   ``<script>`` for the ipywidgets HTML manager. The book loads no widget manager
   (``nb_ipywidgets_js: {}``): each bpkit widget draws itself from its own HTML copy. The stored
   state was a second, unused copy (153 KB on chapter 7). myst-nb has no option for this, so
   the entry myst-nb registered for the page (``ipywidgets_state``) is removed right after the
   page is read, before any HTML is written.

2. **Each part of the widgets' code appears once.** Every widget's HTML copy carries the
   parts it needs (``<script type="module" data-bpkit-part="engine/trace.js"
   data-bpkit-version="...">``, and the stylesheet as ``<style data-bpkit-part=...>``; see
   ``bpkit/widgets/_bundle.py``), so that it works anywhere on its own. On a built page the
   first copy of each part (the same path and version) is kept and every later copy is
   dropped: the parts register their module in a page-wide table, so the widgets further down
   use the first copy. This runs on every page written, the single-page build of ``make pdf``
   included (there the whole book is one page and holds one copy).

Live in Jupyter nothing changes: the kernel, not this page, drives the widgets there, and the
downloaded notebooks keep every widget's own copy.
"""

from __future__ import annotations

import re

WIDGET_STATE_KEY = "ipywidgets_state"  # the name myst-nb gives the state <script> of a page

# A part: <script type="module" data-bpkit-part="P" data-bpkit-version="V">...</script>, or the
# stylesheet <style data-bpkit-part="P" data-bpkit-version="V">...</style>.
PART = re.compile(
    r'<(script|style)\b[^>]*?\sdata-bpkit-part="([^"]+)"\s+data-bpkit-version="([^"]+)"[^>]*>.*?</\1>\n?',
    re.S,
)


def keep_first_parts(body: str) -> str:
    """``body`` with every bpkit part after the first of its (path, version) removed."""
    seen: set[tuple[str, str]] = set()

    def one(m: re.Match) -> str:
        key = (m.group(2), m.group(3))
        if key in seen:
            return ""
        seen.add(key)
        return m.group(0)

    return PART.sub(one, body)


def _drop_widget_state(app, doctree) -> None:
    env = app.env
    per_doc = getattr(env, "nb_metadata", {}).get(env.docname, {})
    per_doc.get("js_files", {}).pop(WIDGET_STATE_KEY, None)


def _one_copy_per_page(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if isinstance(body, str) and "data-bpkit-part=" in body:
        context["body"] = keep_first_parts(body)


def setup(app):
    app.connect("doctree-read", _drop_widget_state)
    app.connect("html-page-context", _one_copy_per_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
