"""``SelfCheck``: a question the reader answers in the page, with feedback and a solution.

Two kinds of question:

* a number (``choices=None``): the reader types it; it is right when
  |typed − answer| ≤ ½·10^(−digits) (+1e-12 for the float rounding of the bounds), i.e. when it
  rounds to the answer at ``digits`` decimals; otherwise the feedback says "too high" or
  "too low";
* multiple choice: ``choices`` is a list of strings and ``answer`` the (0-based) index of the
  right one; ``reasons`` may say, for each wrong choice, why it is wrong (shown when it is
  picked).

A number question may also know the wrong numbers that known mistakes give (``mistakes``, a
list of ``(value, what it means)``, e.g. from :func:`bpkit.exercises.numbers.wrong_numbers`):
a typed number within the tolerance of one of them is answered with what that mistake is,
instead of "too high" or "too low". The numbers must lie more than 10^(−digits) apart from the
answer and from each other, so that a typed number matches one of them at most.

Each question has an ``id`` made from its text, the same from one build of the book to the
next: the page remembers (in the browser only) which questions the reader got wrong, so that
they come back at the end of later chapters (:class:`~bpkit.widgets.Review`).

``question``, ``explanation`` and the choices are text in which ``$...$`` is LaTeX, typeset as
MathML (``$$...$$`` as a displayed equation; ``\\$`` is a dollar sign); a blank line starts a new
paragraph. "Check" gives the feedback in a live region; "Show solution" reveals the answer and
the explanation. The static copy works with no kernel, and prints as question, answer and
explanation.

>>> from bpkit.widgets import SelfCheck
>>> q = SelfCheck("What is $\\sigma(0)$?", 0.5, digits=2, explanation="$\\sigma(0) = 1/(1 + e^0) = 1/2$.")
>>> q.check(0.504), q.check(0.51), q.check(0.49)
('correct', 'too high', 'too low')
>>> m = SelfCheck("Which equation gives $\\delta^L$?", 0, choices=["BP1", "BP2", "BP3"])
>>> m.check(0), m.check(2)
('correct', 'wrong')
>>> r = SelfCheck("Is 3 even?", 1, choices=["yes", "no"], reasons=["3 = 2 · 1 + 1 leaves 1.", ""])
>>> r.reason(0), r.reason(1)
('3 = 2 · 1 + 1 leaves 1.', None)
>>> w = SelfCheck("What is $\\sigma'(0)$?", 0.25, digits=2, mistakes=[(0.5, "That is σ(0), not σ'(0).")])
>>> w.check(0.50), w.diagnosis(0.50), w.check(0.3)
('mistake', "That is σ(0), not σ'(0).", 'too high')
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from typing import Any

import numpy as np
import traitlets

from ._base import BpkitWidget, WidgetTypeError, WidgetValueError, module_source
from ._format import mathml

# $$display$$ or $inline$; a backslash before a dollar makes it a plain dollar sign
_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$", re.S)


def text_html(text: Any, what: str) -> str:
    """``text`` as HTML: escaped, ``$...$`` as inline MathML, ``$$...$$`` as displayed
    MathML, paragraphs at blank lines. ``what`` names the text in error messages."""
    if not isinstance(text, str):
        raise WidgetTypeError(f"{what} must be a string (text with $...$ for maths); got {type(text).__name__}")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    out = []
    for p in paragraphs:
        parts, pos = [], 0
        for m in _MATH.finditer(p):
            parts.append(_plain(p[pos:m.start()], what))
            latex = m.group(1) if m.group(1) is not None else m.group(2)
            if not latex.strip():
                raise WidgetValueError(f"{what}: empty maths $...$ in {p!r}")
            try:
                parts.append(mathml(latex.strip(), display=m.group(1) is not None))
            except Exception as exc:  # latex2mathml raises its own exception types
                raise WidgetValueError(f"{what}: the LaTeX {latex!r} could not be typeset ({exc})") from exc
            pos = m.end()
        parts.append(_plain(p[pos:], what))
        out.append("<p>" + "".join(parts) + "</p>")
    return "".join(out)


def _plain(s: str, what: str) -> str:
    if re.search(r"(?<!\\)\$", s):
        raise WidgetValueError(f"{what}: a $ without its closing $ in {s!r} (write \\$ for a dollar sign)")
    # `code` as in Markdown (a name from the page's code: `net.w(3)`), the rest as escaped text
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(s.replace("\\$", "$"))).replace("\n", " ")


def tolerance(digits: int) -> float:
    """How far a typed number may be from the answer: ½·10^(−digits), plus 1e-12."""
    return 0.5 * 10.0 ** (-digits) + 1e-12


def _check_number(answer: Any) -> float:
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        if isinstance(answer, np.ndarray) and answer.size == 1:
            return _check_number(answer.item())
        raise WidgetTypeError(f"answer must be a number (or, with choices, the index of the right one); got {answer!r}")
    if not math.isfinite(answer):
        raise WidgetValueError(f"answer must be a finite number; got {answer!r}")
    return float(answer)


def _check_choices(choices: Any, answer: Any) -> tuple[list[str], int]:
    if isinstance(choices, (str, bytes)) or not isinstance(choices, (list, tuple)):
        raise WidgetTypeError(f"choices must be a list of strings (the answers offered); got {type(choices).__name__}")
    if len(choices) < 2:
        raise WidgetValueError(f"choices must offer at least two answers; got {len(choices)}")
    for i, c in enumerate(choices):
        if not isinstance(c, str) or not c.strip():
            raise WidgetTypeError(f"choices[{i}] must be a non-empty string; got {c!r}")
    if len(set(c.strip() for c in choices)) != len(choices):
        raise WidgetValueError("choices must all differ (two are the same)")
    n = len(choices)
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        hint = f" (it is choice {list(choices).index(answer)}: pass answer={list(choices).index(answer)})" if answer in choices else ""
        raise WidgetTypeError(f"with choices, answer must be the index of the right one, a whole number from 0 to {n - 1}; got {answer!r}{hint}")
    if not 0 <= answer < n:
        raise WidgetValueError(f"answer={answer} is not a choice: with {n} choices it is an index from 0 to {n - 1}")
    return list(choices), int(answer)


_SPOKEN_SYMBOLS = {
    r"\delta": "δ", r"\Delta": "Δ", r"\sigma": "σ", r"\eta": "η", r"\epsilon": "ε", r"\lambda": "λ",
    r"\Theta": "Θ", r"\theta": "θ", r"\nabla": "nabla", r"\partial": "∂", r"\odot": " Hadamard product ",
    r"\cdot": " times ", r"\times": " times ", r"\approx": " approximately ", r"\ln": "ln", r"\sum": "sum",
    r"\lVert": " norm of ", r"\rVert": " end norm ", r"\infty": "infinity", r"\to": " to ", r"\le": " ≤ ",
    r"\ge": " ≥ ",
}


def spoken(text: str) -> str:
    """Plain words for a text with ``$...$`` maths, for an accessible name: ``"$w^3_{24}$"`` →
    ``"w superscript 3 subscript 24"``, ``"$\\frac12$"`` → ``"1 over 2"``."""

    def words(latex: str) -> str:
        s = latex.replace(r"\left", "").replace(r"\right", "").replace(r"\,", " ").replace(r"\!", "")
        s = re.sub(r"\\[td]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1 over \2)", s)
        s = re.sub(r"\\[td]?frac\s*(\w)(\w)", r"\1 over \2", s)
        for k, v in sorted(_SPOKEN_SYMBOLS.items(), key=lambda kv: -len(kv[0])):
            s = s.replace(k, v)
        s = re.sub(r"\^\{?T\}?(?![A-Za-z])", " transposed", s)
        s = re.sub(r"\^\{([^{}]*)\}|\^(\S)", lambda m: f" superscript {m.group(1) or m.group(2)} ", s)
        s = re.sub(r"_\{([^{}]*)\}|_(\S)", lambda m: f" subscript {m.group(1) or m.group(2)} ", s)
        s = s.replace("'", " prime ").replace("\\", "").replace("{", "").replace("}", "")
        return re.sub(r"\s+", " ", s).strip()

    out = _MATH.sub(lambda m: " " + words(m.group(1) if m.group(1) is not None else m.group(2)) + " ", text)
    out = out.replace("\\$", "$").replace("`", "")
    return re.sub(r"\s+([),.;:\]])", r"\1", re.sub(r"\s+", " ", out)).strip()


def _check_mistakes(mistakes: Any, answer: float, digits: int) -> list[tuple[float, str]]:
    """The (value, text) pairs, each value more than 10^(−digits) from the answer and from every
    other, or a clear error."""
    if isinstance(mistakes, (str, bytes, dict)) or not isinstance(mistakes, (list, tuple)):
        raise WidgetTypeError(f"mistakes must be a list of (value, text) pairs; got {type(mistakes).__name__}")
    out = []
    for i, item in enumerate(mistakes):
        if not (isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[1], str) and item[1].strip()):
            raise WidgetTypeError(f"mistakes[{i}] must be a pair (value, text) with a non-empty text; got {item!r}")
        out.append((_check_number(item[0]), item[1]))
    gap = 10.0 ** -digits
    values = [("the answer", answer)] + [(f"mistakes[{i}]", v) for i, (v, _) in enumerate(out)]
    for (na, a), (nb, b) in ((x, y) for k, x in enumerate(values) for y in values[k + 1:]):
        if abs(a - b) <= gap + 2e-12:
            raise WidgetValueError(f"{na} ({a:.{digits + 2}g}) and {nb} ({b:.{digits + 2}g}) are within {gap:g} of each "
                             f"other: at {digits} decimals a typed number could match both; ask for more decimals")
    return out


def _check_reasons(reasons: Any, choices: list[str], answer: int) -> list[str]:
    """One text per choice ("" for none), nothing said of the right one, or a clear error."""
    if reasons is None:
        return []
    if isinstance(reasons, (str, bytes)) or not isinstance(reasons, (list, tuple)):
        raise WidgetTypeError(f"reasons must be a list of strings, one per choice; got {type(reasons).__name__}")
    if len(reasons) != len(choices):
        raise WidgetValueError(f"reasons must have one text per choice ({len(choices)}); got {len(reasons)}")
    for i, r in enumerate(reasons):
        if not isinstance(r, str):
            raise WidgetTypeError(f"reasons[{i}] must be a string (\"\" for none); got {r!r}")
    if reasons[answer].strip():
        raise WidgetValueError(f"reasons[{answer}] belongs to the right choice: it must be \"\"")
    return [r.strip() for r in reasons]


class SelfCheck(BpkitWidget):
    """A question with a checked answer: a number to type, or one of several choices.

    Args:
        question: the question, text with ``$...$`` for maths.
        answer: the number expected, or (with ``choices``) the 0-based index of the right choice.
        choices: the answers offered (strings with ``$...$``), or ``None`` for a typed number.
        digits: for a typed number, the decimals that must be right (0 to 8): the answer is
            accepted within ½·10^(−digits).
        explanation: the worked solution shown by "Show solution" (and printed), with ``$...$``.
        title: the heading of the box.
        mistakes: for a typed number, ``(value, text)`` pairs: the number a known mistake gives
            and what that mistake is (text with ``$...$``).
        reasons: with ``choices``, one text per choice (``$...$`` for maths): why that choice is
            wrong, said when it is picked; ``""`` where there is nothing to say (and for the
            right choice).
    """

    _module = "widgets/selfcheck.js"
    _esm = module_source(_module)
    _static_keys = ("_data", "digits", "title")

    _data = traitlets.Dict().tag(sync=True)

    def __init__(self, question: str, answer: Any, *, choices: Any = None, digits: int = 3,
                 explanation: str = "", title: str = "Check yourself", mistakes: Any = None, reasons: Any = None,
                 **kwargs: Any) -> None:
        if not isinstance(question, str) or not question.strip():
            raise WidgetTypeError(f"question must be a non-empty string; got {question!r}")
        if not isinstance(title, str):
            raise WidgetTypeError(f"title must be a string; got {title!r}")
        data: dict[str, Any] = {
            "question": text_html(question, "question"),
            "explanation": text_html(explanation, "explanation"),
        }
        self._mistakes: list[tuple[float, str]] = []
        self._reasons: list[str] = []
        if reasons is not None and choices is None:
            raise WidgetTypeError("reasons are for multiple choice (one per choice); a typed number has mistakes")
        if choices is None:
            self._answer: float | int = _check_number(answer)
            self._choices: list[str] | None = None
            if mistakes is not None:
                if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)):
                    raise WidgetTypeError(f"digits must be a whole number; got {digits!r}")
                self._mistakes = _check_mistakes(mistakes, self._answer, int(digits))
            data.update(mode="number", answer=self._answer, choices=[],
                        mistakes=[{"value": v, "text": text_html(t, f"mistakes[{i}]")}
                                  for i, (v, t) in enumerate(self._mistakes)])
        else:
            if mistakes is not None:
                raise WidgetTypeError("mistakes are for a typed number; with choices, the explanation says why each is wrong")
            self._choices, self._answer = _check_choices(choices, answer)
            self._reasons = _check_reasons(reasons, self._choices, self._answer)
            data.update(mode="choice", answer=self._answer,
                        choices=[text_html(c, f"choices[{i}]") for i, c in enumerate(self._choices)],
                        labels=[spoken(c) for c in self._choices], mistakes=[],
                        reasons=[text_html(r, f"reasons[{i}]") if r else "" for i, r in enumerate(self._reasons)])
        # the same question has the same id in every build: the page remembers answers by it
        data["id"] = hashlib.sha1(f"{question}\x00{title}".encode()).hexdigest()[:12]
        self._question = question
        super().__init__(_data=data, digits=digits, title=title, **kwargs)

    @property
    def answer(self) -> float | int:
        return self._answer

    @property
    def choices(self) -> list[str] | None:
        return None if self._choices is None else list(self._choices)

    @property
    def mistakes(self) -> list[tuple[float, str]]:
        return list(self._mistakes)

    def reason(self, choice: int) -> str | None:
        """Why the choice of index ``choice`` is wrong, when the question says (else None)."""
        if self._choices is None:
            return None
        return self._reasons[choice] or None if self._reasons else None

    def diagnosis(self, response: Any) -> str | None:
        """The text of the mistake whose number ``response`` is (within the tolerance), or None."""
        if self._choices is not None:
            return None
        value = _check_number(response)
        for v, text in self._mistakes:
            if abs(value - v) <= tolerance(self.digits):
                return text
        return None

    def check(self, response: Any) -> str:
        """What the page says to ``response``: ``"correct"``, ``"mistake"`` (the number of a
        known mistake: see :meth:`diagnosis`), ``"too high"`` or ``"too low"`` for a number,
        ``"correct"`` or ``"wrong"`` for the index of a choice."""
        if self._choices is not None:
            if isinstance(response, bool) or not isinstance(response, (int, np.integer)):
                raise WidgetTypeError(f"a response to a multiple-choice question is the index of a choice; got {response!r}")
            return "correct" if response == self._answer else "wrong"
        value = _check_number(response)
        if abs(value - self._answer) <= tolerance(self.digits):
            return "correct"
        if self.diagnosis(value) is not None:
            return "mistake"
        return "too high" if value > self._answer else "too low"

    def __repr__(self) -> str:
        kind = f"{len(self._choices)} choices" if self._choices is not None else f"a number to {self.digits} decimals"
        short = self._question if len(self._question) <= 60 else self._question[:57] + "..."
        return f"SelfCheck({short!r}, {kind})"
