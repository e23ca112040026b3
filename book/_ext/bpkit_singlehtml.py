"""The single-page build (``--builder singlehtml``, which ``make pdf`` prints) renders every node
the HTML build renders.

Sphinx looks a node's HTML visitor up under the builder's name, and falls back to the ``html``
format only when no extension registered anything under that name. sphinx-exercise registers
its nodes under ``singlehtml``, so myst-nb's nodes, registered under ``html`` only (the
"Show code cell source" toggle of ``hide-input`` cells, HideCodeCellNode), had no visitor and
the build stopped. This gives ``singlehtml`` every ``html`` visitor it does not have itself.
"""

from __future__ import annotations

from typing import Any


def share_html_visitors(app) -> None:
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, visitors in handlers.get("html", {}).items():
        single.setdefault(node, visitors)


def setup(app) -> dict[str, Any]:
    app.connect("builder-inited", share_html_visitors)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
