"""``bpkit.widgets``: the interactive figures of the book.

Each widget is an anywidget (a live ipywidgets 8 widget in JupyterLab and Notebook 7) whose
front end is an ES module shipped with bpkit (``js/``: the in-page engine, the page pieces,
one module per widget; see ``js/README.md``), and which also renders itself as self-contained
HTML for the static book (see ``_base.py``). They draw bpkit's own trace of the passes:

* :class:`PassStepper` — one forward and one backward pass, equation by equation;
* :class:`GraphStepper` — the backward pass on the scalar graph of a small network, node by node;
* :class:`LoopStepper` — one mini-batch, example by example, accumulating Δ, then the update;
* :class:`NotationExplorer` — which weight is w^l_jk and which bias is b^l_j;
* :class:`Playground` — train a small network on a 2-D data set in the page (XOR, circles, blobs,
  spirals, with two or three classes, or the reader's own points), with a picture inside every
  neuron, and see the δ of any neuron over the plane with the equation (BP1, BP2) that produced
  it, at any epoch replayed;
* :class:`SelfCheck` — a question the reader answers (a number or a choice), checked in the page,
  which names the mistake behind a known wrong number;
* :class:`Review` — the questions of earlier chapters the reader answered wrong, asked again;
* :class:`Progress` — the reader's answers so far, chapter by chapter (in the browser only).

For the static book, ``_config.yml`` needs, under ``sphinx: config:``,
``nb_mime_priority_overrides: [["html", "application/vnd.jupyter.widget-view+json", 35]]``
(so the page shows the HTML copy) and ``nb_ipywidgets_js: {}`` (so it loads no widget manager
from a CDN); the book's extension ``book/_ext/bpkit_widgets.py`` keeps one copy of the widgets'
code per page (every copy works without it, only heavier).
"""

from .._extras import require

for _module in ("anywidget", "ipywidgets", "latex2mathml"):  # a clear error, naming the extra
    require(_module, "widgets", "bpkit.widgets")
del _module

from .graph_stepper import GraphStepper
from .loop import LoopStep, LoopTrace, trace_loop
from .loop_stepper import LoopStepper
from .notation_explorer import NotationExplorer
from .pass_stepper import PassStepper
from .playground import Playground
from .review import Progress, Review
from .selfcheck import SelfCheck

__all__ = [
    "GraphStepper", "LoopStep", "LoopStepper", "LoopTrace", "NotationExplorer", "PassStepper", "Playground",
    "Progress", "Review", "SelfCheck", "trace_loop",
]
