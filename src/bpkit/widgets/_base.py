"""What every bpkit widget shares: one set of ES modules, used live in Jupyter and in the static book.

A widget is an anywidget: an ipywidgets 8 ``DOMWidget`` whose front end is an ES module
exporting ``render({model, el})`` (``js/widgets/<name>.js``, which imports the engine and the
page pieces of ``js/``; see ``js/README.md``). Its :meth:`BpkitWidget._repr_mimebundle_`
returns, next to the usual widget view, a self-contained ``text/html`` copy
(:meth:`BpkitWidget.to_html`):

* a host element naming the widget's module (``data-bpkit-module``);
* the widget's state embedded as JSON in a ``<script type="application/json">`` (only what
  the page cannot compute: a stepper embeds its inputs, and the page traces them itself);
* the stylesheet and the modules as ``<script type="module">`` *parts* (``_bundle.static_parts``),
  each registered once per page; the last one draws the copy against a stand-in model
  (``bpStaticModel`` in ``js/page/model.js``) with the methods the module calls.

Live in Jupyter the widget view wins and Python and the page share the state; the built book,
configured with ``nb_mime_priority_overrides: [["html",
"application/vnd.jupyter.widget-view+json", 35]]``, shows the HTML copy, which steps with no
kernel, no CDN and no widget manager. The copy holds no URL of any kind. The book's
``bpkit_widgets`` extension keeps one copy of each part per page.
"""

from __future__ import annotations

import hashlib
import html
import json
import uuid
from typing import Any, ClassVar

import anywidget
import numpy as np
import traitlets

from ..errors import BpkitTypeError, BpkitValueError, LayerIndexError
from . import _bundle
from ._format import mathml


class WidgetTypeError(BpkitTypeError, traitlets.TraitError):
    """A widget's argument or setting of the wrong kind: a bpkit error (a ``TypeError``), and a
    ``TraitError``, so that a bad value the page sends (live in Jupyter) is rolled back."""


class WidgetValueError(BpkitValueError, traitlets.TraitError):
    """A widget's argument or setting whose value cannot work (a ``ValueError``), rolled back
    like a :class:`WidgetTypeError`."""


class WidgetIndexError(LayerIndexError, traitlets.TraitError):
    """A step, layer or neuron the widget does not have (an ``IndexError``), rolled back too."""


def module_source(module: str) -> str:
    """The ES module anywidget loads for the widget module ``module`` (``"widgets/x.js"``
    under ``js/``): it and everything it imports, in one scope (``_bundle.esm``)."""
    return _bundle.esm(module)


STYLE = _bundle.stylesheet()
MAX_DIGITS = 9  # Mazur prints nine decimals; the page's digits control offers 3 to 9
MAX_EDITABLE = 600  # parameters: a larger network is drawn but not editable in the page


def _json_for_html(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` written as \\u escapes."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class StepIndex(traitlets.Int):
    """The index of the step shown, from 0 to N − 1 (the page shows it as "Step k+1 of N").

    Validated against the widget's current trace: a non-integer raises :class:`WidgetTypeError`
    (a ``TypeError``), an index out of range :class:`WidgetValueError` (a ``ValueError``).
    """

    def validate(self, obj: Any, value: Any) -> int:
        n = obj.n_steps if getattr(obj, "_ready", False) else None
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            span = f"from 0 to {n - 1}" if n else "from 0"
            raise WidgetTypeError(f"step must be a whole number {span}; got {value!r}")
        if n is not None and not 0 <= value < n:
            raise WidgetValueError(
                f"step {value} is out of range: this trace has {n} steps, numbered 0 to {n - 1} "
                f"(the page shows step k as 'Step k+1 of {n}')"
            )
        return int(value)


class BpkitWidget(anywidget.AnyWidget):
    """Base class: an anywidget that also renders itself as self-contained static HTML.

    Subclasses set ``_module = "widgets/their.js"`` (the module under ``js/``) and
    ``_esm = module_source(_module)``, and list in ``_static_keys`` the synced traits their
    module reads; the static copy embeds exactly those (see :meth:`static_state`).
    """

    _css = STYLE
    _module: ClassVar[str] = ""
    _static_keys: ClassVar[tuple[str, ...]] = ()
    #: Traits whose value is the same for every widget of the class on a page (the playground's
    #: data sets): the static copy embeds each as a data part, kept once per page.
    _shared_keys: ClassVar[tuple[str, ...]] = ()

    digits = traitlets.Any(3).tag(sync=True)
    title = traitlets.Any("").tag(sync=True)

    @traitlets.validate("digits")
    def _check_digits(self, proposal: Any) -> int:
        d = proposal["value"]
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
            raise WidgetTypeError(f"digits (decimals shown) must be a whole number from 0 to {MAX_DIGITS}; got {d!r}")
        if not 0 <= d <= MAX_DIGITS:
            raise WidgetValueError(f"digits (decimals shown) must be a whole number from 0 to {MAX_DIGITS}; got {d!r}")
        return int(d)

    @traitlets.validate("title")
    def _check_title(self, proposal: Any) -> str:
        if not isinstance(proposal["value"], str):
            raise WidgetTypeError(f"title (the heading of the figure) must be a string; got {proposal['value']!r}")
        return proposal["value"]

    def static_state(self) -> dict[str, Any]:
        """The state the static copy embeds: the traits named in ``_static_keys``."""
        return {key: getattr(self, key) for key in self._static_keys}

    def to_html(self) -> str:
        """A self-contained HTML rendering: the state embedded, the stylesheet and the modules as
        parts the page keeps once (see the module docstring), no URL.

        Each call uses a fresh element id, so the same widget displayed twice on one page
        gives two independent figures.
        """
        uid = f"bpkit-{uuid.uuid4().hex[:12]}"
        name = type(self).__name__
        version = _bundle.version()
        state, data = self.static_state(), ""
        for key in self._shared_keys:
            text = _json_for_html(getattr(self, key))
            part = "data/" + hashlib.sha256(text.encode()).hexdigest()[:16]
            state.setdefault("$shared", {})[key] = part
            data += f'<script type="application/json" data-bpkit-part="{part}" data-bpkit-version="{version}">{text}</script>\n'
        parts = "".join(
            f'<script type="module" data-bpkit-part="{path}" data-bpkit-version="{version}">\n{script}\n</script>\n'
            for path, script in _bundle.static_parts(self._module)
        )
        return (
            f'<div class="bpkit-static" id="{uid}" data-bpkit-widget="{name}" data-bpkit-module="{self._module}">'
            f'<p class="bpkit-fallback">{html.escape(repr(self))} (an interactive figure: it needs JavaScript)</p>'
            "</div>\n"
            f'<style data-bpkit-part="{_bundle.CSS}" data-bpkit-version="{version}">{STYLE}</style>\n'
            + data
            + f'<script type="application/json" id="{uid}-state">{_json_for_html(state)}</script>\n'
            + parts
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict, dict] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = dict(data)
        data["text/plain"] = repr(self)
        data["text/html"] = self.to_html()
        return data, metadata


class StepperWidget(BpkitWidget):
    """Base of the steppers: a trace drawn one step at a time, editable in the page.

    A subclass names its inputs in ``_inputs`` (e.g. ``("net", "x", "y", "eta")``), exposes
    each as ``name = stepper_input("name")``, and defines ``_traced(**inputs)``, returning the
    checked inputs as a dict and the trace, and ``_to_data(trace)``, the state its module draws.

    Editing. ``config`` holds the inputs as the page edits them: ``{"net": net_dict(net),
    "x": ..., "y": ..., "eta": ...}`` (``x``, ``y`` lists of rows). The page recomputes the
    pass itself with the engine, ``js/engine/`` (so the static book edits with no kernel) and, live in Jupyter,
    syncs ``config`` back: the widget rebuilds the network with ``network_from_dict`` and
    re-traces, so ``net``, ``x``, ``y``, ``eta`` and ``trace`` follow the page. ``_base`` is the
    configuration Python set (the page's Reset returns to it); ``_mathml`` maps every LaTeX
    string the page can reach (all activation and cost choices) to its MathML, made here.
    """

    _static_keys = ("_data", "step", "digits", "title", "_base", "_mathml", "_options")
    _inputs: ClassVar[tuple[str, ...]] = ()
    _key: ClassVar[str] = "stepper"  # the widget's key in the page's address (#bp-pass1=...)

    _data = traitlets.Dict().tag(sync=True)
    step = StepIndex(0).tag(sync=True)
    config = traitlets.Dict().tag(sync=True)
    _base = traitlets.Dict().tag(sync=True)
    _mathml = traitlets.Dict().tag(sync=True)
    _options = traitlets.Dict().tag(sync=True)

    def __init__(self, *, inputs: dict[str, Any], step: int, digits: int, title: str,
                 options: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self._own = dict(options or {})
        self._args, self._bp_trace = self._traced(**inputs)
        self._ready = True
        self._from_page = False
        super().__init__(_data=self._to_data(self._bp_trace), step=step, digits=digits, title=title,
                         **self._page_state(), **kwargs)

    def _traced(self, **inputs: Any) -> tuple[dict[str, Any], Any]:
        raise NotImplementedError

    def _to_data(self, tr: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _latex_strings(self) -> tuple[set[str], set[str]]:
        """The display and inline LaTeX strings the page may need (subclasses)."""
        raise NotImplementedError

    def static_state(self) -> dict[str, Any]:
        """The static copy embeds the inputs (``_base``), not the trace: the page computes the
        trace itself with the engine, as it does for an edit. Only ``_static_frame()`` of the
        drawn data (what the engine cannot make: e.g. the loop's pseudocode) is kept. A network
        too large to edit embeds its trace as before."""
        state = super().static_state()
        if state["_base"]:
            state["_data"] = self._static_frame()
        return state

    def _static_frame(self) -> dict[str, Any]:
        """What the static copy keeps of ``_data`` when the page computes the rest (subclasses)."""
        return {}

    def _editable(self) -> bool:
        net = self._args["net"]
        return sum(w.size + b.size for w, b in zip(net.weights, net.biases)) <= MAX_EDITABLE

    def _config(self) -> dict[str, Any]:
        from .engine import net_dict

        if not self._editable():
            return {}
        xk, yk = self._inputs[1], self._inputs[2]
        eta = self._args.get("eta")
        return {"net": net_dict(self._args["net"]), "x": np.asarray(self._args[xk]).tolist(),
                "y": np.asarray(self._args[yk]).tolist(), "eta": None if eta is None else float(eta)}

    def _page_state(self) -> dict[str, Any]:
        config = self._config()
        display, inline = self._latex_strings() if config else (set(), set())
        table = {"d:" + t: mathml(t, display=True) for t in sorted(display)}
        table |= {"i:" + t: mathml(t) for t in sorted(inline)}
        options = {"key": self._key, "editable": bool(config)} | self._own
        return {"_base": config, "config": {}, "_mathml": table, "_options": options}

    def retrace(self, **changes: Any) -> None:
        """Trace again with any of the inputs replaced (e.g. ``retrace(net=..., x=...)``), and
        re-draw. With no argument, re-traces the same network (after training it in place,
        say). The step shown stays the same when it still exists, else it becomes the last.
        A failed re-trace leaves the widget as it was."""
        unknown = sorted(set(changes) - set(self._inputs))
        if unknown:
            raise WidgetTypeError(f"{type(self).__name__}.retrace takes {', '.join(self._inputs)}; got {', '.join(unknown)}")
        self._args, self._bp_trace = self._traced(**(self._args | changes))
        with self.hold_sync():
            self.step = min(self.step, self.n_steps - 1)
            self._data = self._to_data(self._bp_trace)
            if not self._from_page:  # a change made in Python: the page's new starting point
                self._from_page = True
                try:
                    state = self._page_state()
                    self._base, self._mathml, self._options = state["_base"], state["_mathml"], state["_options"]
                    self.config = {}
                finally:
                    self._from_page = False

    @traitlets.observe("config")
    def _config_from_page(self, change: dict[str, Any]) -> None:
        """An edit made in the page (live in Jupyter): rebuild the network and re-trace."""
        c = change["new"]
        if self._from_page or not c:
            return
        from .engine import network_from_dict

        net = network_from_dict(c["net"])
        xk, yk = self._inputs[1], self._inputs[2]
        self._from_page = True
        try:
            self.retrace(net=net, **{xk: np.array(c["x"], dtype=float), yk: np.array(c["y"], dtype=float)},
                         eta=c.get("eta"))
        finally:
            self._from_page = False

    @property
    def trace(self) -> Any:
        """The trace the figure draws (read-only)."""
        return self._bp_trace

    @property
    def n_steps(self) -> int:
        return len(self._bp_trace.steps)

    def next(self) -> None:
        """Show the next step (stays on the last)."""
        self.step = min(self.step + 1, self.n_steps - 1)

    def previous(self) -> None:
        """Show the previous step (stays on the first)."""
        self.step = max(self.step - 1, 0)

    def reset(self) -> None:
        """Show the first step."""
        self.step = 0

    def _where(self) -> str:
        if not getattr(self, "_ready", False):
            return ""
        return f", step {self.step + 1} of {self.n_steps}: {self._bp_trace.steps[self.step].caption}"


def stepper_input(name: str) -> property:
    """A stepper's input ``name``: reading gives the checked value, setting it re-traces."""

    def get(self: StepperWidget) -> Any:
        return self._args[name]

    def set_(self: StepperWidget, value: Any) -> None:
        self.retrace(**{name: value})

    return property(get, set_, doc=f"The stepper's {name}; setting it re-traces and re-draws.")


def check_network(net: Any, who: str):
    """``net`` must be a :class:`bpkit.Network`."""
    from ..network import Network

    if not isinstance(net, Network):
        raise WidgetTypeError(f"{who} needs a bpkit.Network as net; got {type(net).__name__}")
    return net


def check_eta(eta: Any, required: bool = False) -> float | None:
    """The learning rate η: a positive finite number (or None when not required)."""
    if eta is None and not required:
        return None
    if isinstance(eta, bool) or not isinstance(eta, (int, float, np.integer, np.floating)):
        raise WidgetTypeError(f"the learning rate η must be a number; got {eta!r}")
    if not (np.isfinite(eta) and eta > 0):
        raise WidgetValueError(f"the learning rate η must be a positive number; got {eta!r}")
    return float(eta)
