"""What every bpkit widget shares: one ES module, used live in Jupyter and in the static book.

A widget is an anywidget: an ipywidgets 8 ``DOMWidget`` whose front end is one ES module
exporting ``render({model, el})``. Its :meth:`BpkitWidget._repr_mimebundle_` returns, next to
the usual widget view, a self-contained ``text/html`` copy (:meth:`BpkitWidget.to_html`):

* the same module, inlined in a ``<script type="module">`` (its own scope, so several widgets
  on one page never share a name);
* the widget's state embedded as JSON in a ``<script type="application/json">``;
* a stand-in model (``bpStaticModel`` in ``_common.js``) with the methods the module calls
  (``get``, ``set``, ``on``, ``off``, ``save_changes``), so ``render`` runs unchanged.

Live in Jupyter the widget view wins and Python and the page share the state; the built book,
configured with ``nb_mime_priority_overrides: [["html",
"application/vnd.jupyter.widget-view+json", 35]]``, shows the HTML copy, which steps with no
kernel, no CDN and no widget manager. The copy holds no URL of any kind.

Each widget's module is ``_common.js`` (the shared helpers), then ``engine.js`` (the in-page
engine: bpkit's passes in JavaScript, for figures that compute with no kernel), then the
widget's own file; its stylesheet is ``widgets.css``; all of them ship as package data.
"""

from __future__ import annotations

import html
import json
import uuid
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import numpy as np
import traitlets

_HERE = Path(__file__).resolve().parent


def _read(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


def module_source(filename: str) -> str:
    """The ES module of one widget: ``_common.js`` (the shared drawing helpers), then
    ``engine.js`` (the in-page mirror of bpkit's passes, see ``engine.py``), then the widget's
    own ``filename``.

    The module is inlined in a ``<script>`` element of the static copy, so it must never
    contain ``</script`` or ``<!--``; this is checked here, once, at import.
    """
    source = _read("_common.js") + "\n" + _read("engine.js") + "\n" + _read(filename)
    for bad in ("</script", "<!--"):
        if bad in source.lower():
            raise RuntimeError(f"{filename}: a widget module may not contain {bad!r} (it is inlined in HTML)")
    return source


STYLE = _read("widgets.css")


def _json_for_html(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` written as \\u escapes."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class StepIndex(traitlets.Int):
    """The index of the step shown, from 0 to N − 1 (the page shows it as "Step k+1 of N").

    Validated against the widget's current trace: a non-integer raises ``TypeError``, an index
    out of range ``ValueError``.
    """

    def validate(self, obj: Any, value: Any) -> int:
        n = obj.n_steps if getattr(obj, "_ready", False) else None
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            span = f"from 0 to {n - 1}" if n else "from 0"
            raise TypeError(f"step must be a whole number {span}; got {value!r}")
        if n is not None and not 0 <= value < n:
            raise ValueError(
                f"step {value} is out of range: this trace has {n} steps, numbered 0 to {n - 1} "
                f"(the page shows step k as 'Step k+1 of {n}')"
            )
        return int(value)


class BpkitWidget(anywidget.AnyWidget):
    """Base class: an anywidget that also renders itself as self-contained static HTML.

    Subclasses set ``_esm = module_source("their.js")`` and list in ``_static_keys`` the synced
    traits their module reads; the static copy embeds exactly those.
    """

    _css = STYLE
    _static_keys: ClassVar[tuple[str, ...]] = ()

    digits = traitlets.Int(3).tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)

    @traitlets.validate("digits")
    def _check_digits(self, proposal: Any) -> int:
        d = proposal["value"]
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not 0 <= d <= 8:
            raise ValueError(f"digits (decimals shown) must be a whole number from 0 to 8; got {d!r}")
        return int(d)

    def static_state(self) -> dict[str, Any]:
        """The state the static copy embeds: the traits named in ``_static_keys``."""
        return {key: getattr(self, key) for key in self._static_keys}

    def to_html(self) -> str:
        """A self-contained HTML rendering: the module inlined, the state embedded, no URL.

        Each call uses a fresh element id, so the same widget displayed twice on one page
        gives two independent figures.
        """
        uid = f"bpkit-{uuid.uuid4().hex[:12]}"
        name = type(self).__name__
        bootstrap = (
            "\n// Static copy: run render() against a stand-in model holding the embedded state.\n"
            "{\n"
            f'  const host = document.getElementById("{uid}");\n'
            f'  const state = JSON.parse(document.getElementById("{uid}-state").textContent);\n'
            "  host.replaceChildren();\n"
            "  render({ model: bpStaticModel(state), el: host });\n"
            '  host.dataset.bpkitReady = "true";\n'
            "}\n"
        )
        return (
            f'<div class="bpkit-static" id="{uid}" data-bpkit-widget="{name}">'
            f'<p class="bpkit-fallback">{html.escape(repr(self))} (an interactive figure: it needs JavaScript)</p>'
            "</div>\n"
            f"<style>{STYLE}</style>\n"
            f'<script type="application/json" id="{uid}-state">{_json_for_html(self.static_state())}</script>\n'
            f'<script type="module">\n{self._esm}\n{bootstrap}</script>\n'
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
    """Base of the steppers: a trace drawn one step at a time.

    A subclass names its inputs in ``_inputs`` (e.g. ``("net", "x", "y", "eta")``), exposes
    each as ``name = stepper_input("name")``, and defines ``_traced(**inputs)``, returning the
    checked inputs as a dict and the trace, and ``_to_data(trace)``, the state its module draws.
    """

    _static_keys = ("_data", "step", "digits", "title")
    _inputs: ClassVar[tuple[str, ...]] = ()

    _data = traitlets.Dict().tag(sync=True)
    step = StepIndex(0).tag(sync=True)

    def __init__(self, *, inputs: dict[str, Any], step: int, digits: int, title: str, **kwargs: Any) -> None:
        self._args, self._bp_trace = self._traced(**inputs)
        self._ready = True
        super().__init__(_data=self._to_data(self._bp_trace), step=step, digits=digits, title=title, **kwargs)

    def _traced(self, **inputs: Any) -> tuple[dict[str, Any], Any]:
        raise NotImplementedError

    def _to_data(self, tr: Any) -> dict[str, Any]:
        raise NotImplementedError

    def retrace(self, **changes: Any) -> None:
        """Trace again with any of the inputs replaced (e.g. ``retrace(net=..., x=...)``), and
        re-draw. With no argument, re-traces the same network (after training it in place,
        say). The step shown stays the same when it still exists, else it becomes the last.
        A failed re-trace leaves the widget as it was."""
        unknown = sorted(set(changes) - set(self._inputs))
        if unknown:
            raise TypeError(f"{type(self).__name__}.retrace takes {', '.join(self._inputs)}; got {', '.join(unknown)}")
        self._args, self._bp_trace = self._traced(**(self._args | changes))
        with self.hold_sync():
            self.step = min(self.step, self.n_steps - 1)
            self._data = self._to_data(self._bp_trace)

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
        raise TypeError(f"{who} needs a bpkit.Network as net; got {type(net).__name__}")
    return net


def check_eta(eta: Any, required: bool = False) -> float | None:
    """The learning rate η: a positive finite number (or None when not required)."""
    if eta is None and not required:
        return None
    if isinstance(eta, bool) or not isinstance(eta, (int, float, np.integer, np.floating)):
        raise TypeError(f"the learning rate η must be a number; got {eta!r}")
    if not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"the learning rate η must be a positive number; got {eta!r}")
    return float(eta)
