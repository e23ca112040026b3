"""A time limit for one call of a reader's function: it never runs forever.

The grader calls the reader's function in the reader's own thread and process, and a watchdog
thread stops it when its time is up. Why this design, among the three there are:

* **A signal** (``signal.alarm``) exists only on Unix and can be handled only in the main
  thread. On Windows there is none, and a grader called from any other thread (some Jupyter
  front ends run cells elsewhere) could not use it.
* **A thread cannot be killed**, by any OS. But CPython can *raise an exception in* another
  thread (``PyThreadState_SetAsyncExc``, the C API call that ``threading`` uses itself). The
  exception arrives between two bytecodes of the reader's code, on Linux, macOS and Windows, in
  any thread. A loop of NumPy calls, however long, runs bytecodes between the calls, so it
  is stopped within microseconds of the deadline. What it cannot stop at once is a single C
  call that does not return: a ``time.sleep(3600)``, an ``input()``, one gigantic matrix
  product. Those are stopped as soon as they return.
* **A subprocess** can be killed on every OS, but the reader's function would have to reach it:
  pickled (a function defined in a notebook cell is pickled by name, and the child process has
  no such name), or re-created from its source together with every global and helper it uses
  (a partial copy of the notebook, which breaks as soon as it uses something it cannot copy).
  Its ``print`` would not reach the notebook, and each check would start a Python with NumPy.

So the watchdog raises :class:`TimeLimitExceeded` inside the reader's function, and repeats it
every 50 ms until the function lets go. Where a signal *is* possible (Unix, the main thread,
where Jupyter runs cells, and no other alarm in use) the watchdog sends SIGALRM to that one
thread instead (``pthread_kill``), whose handler raises the same exception and which also
interrupts a blocking system call: on Linux and macOS even ``time.sleep(3600)`` is stopped at
once. There, a function that swallows the stop (a bare ``except:`` inside its loop) is stopped
too: from the third stop on, a trace function raises it again inside that except clause.

What it cannot do, where Jupyter's own stop button remains the way out: on Windows (or in a
thread other than the main one) a ``time.sleep(3600)`` runs to its end before it is stopped,
and a bare ``except:`` inside an endless loop keeps catching the stop.

The exception derives from :class:`BaseException`, so that ``except Exception:`` in the reader's
code does not swallow it; Jupyter's own interrupt (KeyboardInterrupt) still works as always.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

REPEAT = 0.05  # seconds between two stops, while the reader's function does not let go
ESCALATE = 3  # from this stop on, in the main thread, also raise at every line (see _Watchdog)

# Two prototypes of the same C function: one passes an exception, the other NULL (which clears
# a pending one). Separate prototypes, so that ctypes.pythonapi itself is left as it was.
_SET_ASYNC_EXC = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))
_CLEAR_ASYNC_EXC = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))


class TimeLimitExceeded(BaseException):
    """Raised inside the reader's function when its time is up."""


@dataclass
class Outcome:
    """What one call did: ``status`` is ``"returned"`` (``value``), ``"raised"`` (``error``)
    or ``"timeout"`` (``error`` is the TimeLimitExceeded, with the traceback of where the
    reader's code was stopped); ``seconds`` is how long it ran."""

    status: str
    value: Any = None
    error: BaseException | None = None
    seconds: float = 0.0


def _signal_usable() -> bool:
    """SIGALRM may be used: Unix, the main thread, and no alarm of someone else's in use."""
    if not (hasattr(signal, "pthread_kill") and hasattr(signal, "pthread_sigmask") and hasattr(signal, "SIGALRM")):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    if signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, signal.SIG_IGN, None):
        return False  # another handler (maybe an earlier, interrupted grader, or the reader's own)
    return signal.getitimer(signal.ITIMER_REAL)[0] == 0.0


class _Watchdog:
    """Stops the calling thread ``seconds`` after :meth:`arm`, until :meth:`disarm`."""

    def __init__(self, seconds: float, use_signal: bool) -> None:
        self.seconds = seconds
        self.use_signal = use_signal
        self.target = threading.get_ident()
        self.lock = threading.Lock()
        self.armed = False
        self.done = threading.Event()
        self.thread: threading.Thread | None = None
        self.old_handler: Any = None
        self.restored = False
        self.stops = 0
        self.tracing = False

    def _on_alarm(self, signum: int, frame: Any) -> None:
        if not self.armed:  # a late signal, after disarm, does nothing
            return
        self.stops += 1
        if self.stops >= ESCALATE and sys.gettrace() is None:
            # Still running after two stops: its code catches everything (a bare `except:` in a
            # loop). A trace function raises the stop again at the first line run while the
            # stop is being handled, inside that except clause, where the same `try` cannot
            # catch it. (Python then turns the trace off; the next stop turns it on again.)
            sys.settrace(self._tracer)
            self.tracing = True
            while frame is not None and frame.f_code.co_filename != __file__:
                frame.f_trace, frame.f_trace_lines = self._tracer, True
                frame = frame.f_back
        raise TimeLimitExceeded

    def _tracer(self, frame: Any, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename == __file__:  # never in this module's own code
            return None
        if event == "line" and self.armed and isinstance(sys.exc_info()[1], TimeLimitExceeded):
            raise TimeLimitExceeded  # a line of the except clause that swallowed the stop
        return self._tracer

    def untrace(self) -> None:
        if self.tracing:
            sys.settrace(None)
            self.tracing = False

    def arm(self) -> None:
        if self.use_signal:
            self.old_handler = signal.signal(signal.SIGALRM, self._on_alarm)
        self.armed = True
        self.thread = threading.Thread(target=self._watch, name="bpkit-exercises-watchdog", daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        if self.done.wait(self.seconds):
            return
        while True:
            with self.lock:
                if not self.armed:
                    return
                if self.use_signal:  # the handler raises it, and a blocking call is interrupted
                    signal.pthread_kill(self.target, signal.SIGALRM)
                else:
                    _SET_ASYNC_EXC(self.target, TimeLimitExceeded)
            if self.done.wait(REPEAT):
                return

    def _disarm_once(self) -> None:
        with self.lock:
            self.armed = False  # from here on the watchdog sends nothing
        self.untrace()
        self.done.set()
        if self.use_signal and not self.restored:
            # Block SIGALRM in this thread, take any that is still on its way, and only then give
            # the old handler back: a stray SIGALRM must never meet the default action (exit).
            old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            try:
                if signal.SIGALRM in signal.sigpending():
                    signal.sigwait({signal.SIGALRM})
                signal.signal(signal.SIGALRM, self.old_handler)
                self.restored = True
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        _CLEAR_ASYNC_EXC(self.target, None)  # an exception sent but not yet raised is withdrawn

    def disarm(self) -> None:
        """Stop watching; safe against the watchdog's last exception arriving meanwhile."""
        while True:
            try:
                self._disarm_once()
                return
            except TimeLimitExceeded:  # sent just before armed was cleared: disarm again
                continue


def run_with_time_limit(fn: Callable[..., Any], args: tuple, seconds: float) -> Outcome:
    """Call ``fn(*args)`` and stop it after ``seconds``; see the module's docstring for how."""
    watchdog = _Watchdog(seconds, _signal_usable())
    start = time.perf_counter()
    outcome: Outcome | None = None
    try:
        watchdog.arm()
        try:
            value = fn(*args)
        except TimeLimitExceeded as exc:
            watchdog.untrace()
            outcome = Outcome("timeout", error=exc)
        except (KeyboardInterrupt, GeneratorExit):
            raise  # the reader's own interrupt (Jupyter's stop button) stops the grader too
        except BaseException as exc:  # the reader's error, SystemExit included: reported
            outcome = Outcome("raised", error=exc)
        else:
            outcome = Outcome("returned", value=value)
    except TimeLimitExceeded as exc:  # a second stop, or one after the call's end
        watchdog.untrace()
        while isinstance(exc.__context__, TimeLimitExceeded):
            exc = exc.__context__  # the first stop, raised in the reader's code, knows where
        if outcome is None:
            outcome = Outcome("timeout", error=exc)
    finally:
        watchdog.disarm()
    outcome.seconds = time.perf_counter() - start
    return outcome
