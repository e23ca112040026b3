"""One copy of each widget per page: drop the notebook's stored widget state from the built HTML.

When myst-nb executes a page, nbclient records the state of every live widget in the
notebook's metadata (``metadata.widgets``, MIME type
``application/vnd.jupyter.widget-state+json``), and myst-nb writes it into the page as a
``<script>`` for the ipywidgets HTML manager. The book loads no widget manager
(``nb_ipywidgets_js: {}``): each bpkit widget draws itself from its own self-contained HTML
copy, which already carries its code and its data. The stored state was a second, unused copy
(153 KB on chapter 7).

myst-nb has no option for this, and nbclient's ``store_widget_state`` is not passed through,
so this extension removes the entry myst-nb registered for the page (``ipywidgets_state``)
right after the page is read, before any HTML is written. Live in Jupyter nothing changes: the
kernel, not this stored state, drives the widgets there.
"""

from __future__ import annotations

WIDGET_STATE_KEY = "ipywidgets_state"  # the name myst-nb gives the state <script> of a page


def _drop_widget_state(app, doctree) -> None:
    env = app.env
    per_doc = getattr(env, "nb_metadata", {}).get(env.docname, {})
    per_doc.get("js_files", {}).pop(WIDGET_STATE_KEY, None)


def setup(app):
    app.connect("doctree-read", _drop_widget_state)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
