"""Calling the reader's function: on copies, within a time limit, with its prints kept aside.

:func:`call` gives the function fresh copies of the arrays (so nothing of the reader's is ever
changed), stops it after the time limit (:mod:`bpkit.exercises.limit`), keeps what it prints
and the warnings NumPy gives (a grader that calls it 20 times must not flood the page), and
says which inputs it wrote into. :func:`reader_line` finds, in a traceback, the line of the
reader's own code where it raised or was stopped.
"""

from __future__ import annotations

import contextlib
import io
import linecache
import os
import sysconfig
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .limit import Outcome, run_with_time_limit
from .tasks import Arg

_BPKIT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # src/bpkit
# where code that is not the reader's lives: bpkit, Python's library, the installed packages
_NOT_READERS = tuple({os.path.abspath(p) for p in [_BPKIT] + [sysconfig.get_paths()[k] for k in ("stdlib", "purelib", "platlib")]})


def _copy(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value  # numbers, and the functions the reader is given


def _changed(arg: Arg, given: Any) -> list[str]:
    """The parts of the argument ``arg`` that the call changed in ``given`` (its copy)."""
    original = arg.value
    if isinstance(original, np.ndarray):
        if not (isinstance(given, np.ndarray) and given.shape == original.shape
                and np.array_equal(given, original, equal_nan=True)):
            return [f"{arg.name} ({arg.label})"]
        return []
    if isinstance(original, list):
        if not isinstance(given, list) or len(given) != len(original):
            return [f"the list {arg.name} (its length, now {len(given) if isinstance(given, list) else '?'})"]
        out = []
        for i, (o, g) in enumerate(zip(original, given)):
            if not (isinstance(g, np.ndarray) and g.shape == o.shape and np.array_equal(g, o, equal_nan=True)):
                out.append(f"{arg.name}[{i}] ({arg.item_label(i)})")
        return out
    return []


@dataclass
class Call:
    """One call: the :class:`~bpkit.exercises.limit.Outcome`, what was printed, the warnings,
    and which inputs the function wrote into."""

    outcome: Outcome
    printed: str = ""
    warned: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def call(fn: Callable[..., Any], args: list[Arg], time_limit: float) -> Call:
    """Call ``fn`` on copies of ``args``."""
    given = [_copy(a.value) for a in args]
    printed = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"), \
            contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        warnings.simplefilter("always")
        outcome = run_with_time_limit(fn, tuple(given), time_limit)
    changed = [part for a, g in zip(args, given) for part in _changed(a, g)]
    warned = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    return Call(outcome, printed.getvalue(), warned, changed)


def reader_line(error: BaseException) -> str | None:
    """'line 7, `delta = w @ delta`' for the last frame of the traceback that is in the reader's
    code (not in bpkit, NumPy or Python itself), or None."""
    frames = traceback.extract_tb(error.__traceback__)
    inside = [f for f in frames if not os.path.abspath(f.filename).startswith(_NOT_READERS)]
    if not inside:
        return None
    frame = inside[-1]
    text = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
    where = f"line {frame.lineno}" if frame.name.startswith("<") else f"line {frame.lineno} of {frame.name}"
    return f"{where}: `{text}`" if text else where
