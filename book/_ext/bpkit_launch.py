"""The book's repository and launch buttons follow one setting, ``repository: url`` in _config.yml.

When that is empty, the environment variable ``BPKIT_REPOSITORY_URL`` stands in for it (and
``BPKIT_REPOSITORY_BRANCH`` for ``repository: branch``): the publishing workflow
(.github/workflows/publish.yml) sets both from the repository it runs in, so a fork publishes
with its own buttons and no edit.

* Empty (an unpublished checkout): no Repository button and no launch button, since none could
  lead anywhere. Every notebook page still offers its ``.ipynb`` in the download menu.
* A GitHub address (``https://github.com/OWNER/REPO``): a Repository button, and a Binder
  button that opens the page as a notebook in JupyterLab, in the environment ``binder/``
  describes (bpkit[all], jupytext as the default viewer of ``.md``).

Colab is never shown: it opens only ``.ipynb`` files stored in a GitHub repository, and the
pages are MyST Markdown. ``launch_buttons: colab_url`` must stay empty.

sphinx-book-theme copies a page's executed notebook into ``_sources/`` (for the download
button) only while a launch button is configured; with no address this does the copy itself.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any


def _theme_options(config) -> dict[str, Any]:
    return config.html_theme_options


def configure(app, config) -> None:
    """``config-inited``: derive the buttons from the repository address."""
    opts = _theme_options(config)
    url = (opts.get("repository_url") or "").strip()
    if not url and os.environ.get("BPKIT_REPOSITORY_URL", "").strip():
        url = opts["repository_url"] = os.environ["BPKIT_REPOSITORY_URL"].strip()
        if os.environ.get("BPKIT_REPOSITORY_BRANCH", "").strip():
            opts["repository_branch"] = os.environ["BPKIT_REPOSITORY_BRANCH"].strip()
    launch = dict(opts.get("launch_buttons") or {})
    if launch.get("colab_url"):
        raise ValueError("launch_buttons: colab_url must stay empty: Colab cannot open the book's "
                         "MyST Markdown pages (see book/_ext/bpkit_launch.py)")
    if url:
        opts["use_repository_button"] = True
    else:
        opts["use_repository_button"] = False
        opts["launch_buttons"] = {}  # nothing to launch without a repository
        opts.pop("repository_url", None)


def offer_notebook(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``, before the theme's buttons: put the page's executed notebook in
    ``_sources/`` and name it for the download button."""
    if app.builder.name != "html" or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", configure, priority=900)
    app.connect("html-page-context", offer_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
