"""``SelfCheck``: a question the reader answers in the page, with feedback and a solution.

Two kinds of question:

* a number (``choices=None``): the reader types it; it is right when
  |typed − answer| ≤ ½·10^(−digits) (+1e-12 for the float rounding of the bounds), i.e. when it
  rounds to the answer at ``digits`` decimals; otherwise the feedback says "too high" or
  "too low";
* multiple choice: ``choices`` is a list of strings and ``answer`` the (0-based) index of the
  right one.

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
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

import numpy as np
import traitlets

from ._base import BpkitWidget, module_source
from ._format import mathml

# $$display$$ or $inline$; a backslash before a dollar makes it a plain dollar sign
_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$", re.S)


def text_html(text: Any, what: str) -> str:
    """``text`` as HTML: escaped, ``$...$`` as inline MathML, ``$$...$$`` as displayed
    MathML, paragraphs at blank lines. ``what`` names the text in error messages."""
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a string (text with $...$ for maths); got {type(text).__name__}")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    out = []
    for p in paragraphs:
        parts, pos = [], 0
        for m in _MATH.finditer(p):
            parts.append(_plain(p[pos:m.start()], what))
            latex = m.group(1) if m.group(1) is not None else m.group(2)
            if not latex.strip():
                raise ValueError(f"{what}: empty maths $...$ in {p!r}")
            try:
                parts.append(mathml(latex.strip(), display=m.group(1) is not None))
            except Exception as exc:  # latex2mathml raises its own exception types
                raise ValueError(f"{what}: the LaTeX {latex!r} could not be typeset ({exc})") from exc
            pos = m.end()
        parts.append(_plain(p[pos:], what))
        out.append("<p>" + "".join(parts) + "</p>")
    return "".join(out)


def _plain(s: str, what: str) -> str:
    if re.search(r"(?<!\\)\$", s):
        raise ValueError(f"{what}: a $ without its closing $ in {s!r} (write \\$ for a dollar sign)")
    # `code` as in Markdown (a name from the page's code: `net.w(3)`), the rest as escaped text
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(s.replace("\\$", "$"))).replace("\n", " ")


def tolerance(digits: int) -> float:
    """How far a typed number may be from the answer: ½·10^(−digits), plus 1e-12."""
    return 0.5 * 10.0 ** (-digits) + 1e-12


def _check_number(answer: Any) -> float:
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        if isinstance(answer, np.ndarray) and answer.size == 1:
            return _check_number(answer.item())
        raise TypeError(f"answer must be a number (or, with choices, the index of the right one); got {answer!r}")
    if not math.isfinite(answer):
        raise ValueError(f"answer must be a finite number; got {answer!r}")
    return float(answer)


def _check_choices(choices: Any, answer: Any) -> tuple[list[str], int]:
    if isinstance(choices, (str, bytes)) or not isinstance(choices, (list, tuple)):
        raise TypeError(f"choices must be a list of strings (the answers offered); got {type(choices).__name__}")
    if len(choices) < 2:
        raise ValueError(f"choices must offer at least two answers; got {len(choices)}")
    for i, c in enumerate(choices):
        if not isinstance(c, str) or not c.strip():
            raise TypeError(f"choices[{i}] must be a non-empty string; got {c!r}")
    if len(set(c.strip() for c in choices)) != len(choices):
        raise ValueError("choices must all differ (two are the same)")
    n = len(choices)
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        hint = f" (it is choice {list(choices).index(answer)}: pass answer={list(choices).index(answer)})" if answer in choices else ""
        raise TypeError(f"with choices, answer must be the index of the right one, a whole number from 0 to {n - 1}; got {answer!r}{hint}")
    if not 0 <= answer < n:
        raise ValueError(f"answer={answer} is not a choice: with {n} choices it is an index from 0 to {n - 1}")
    return list(choices), int(answer)


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
    """

    _module = "widgets/selfcheck.js"
    _esm = module_source(_module)
    _static_keys = ("_data", "digits", "title")

    _data = traitlets.Dict().tag(sync=True)

    def __init__(self, question: str, answer: Any, *, choices: Any = None, digits: int = 3,
                 explanation: str = "", title: str = "Check yourself", **kwargs: Any) -> None:
        if not isinstance(question, str) or not question.strip():
            raise TypeError(f"question must be a non-empty string; got {question!r}")
        if not isinstance(title, str):
            raise TypeError(f"title must be a string; got {title!r}")
        data: dict[str, Any] = {
            "question": text_html(question, "question"),
            "explanation": text_html(explanation, "explanation"),
        }
        if choices is None:
            self._answer: float | int = _check_number(answer)
            self._choices: list[str] | None = None
            data.update(mode="number", answer=self._answer, choices=[])
        else:
            self._choices, self._answer = _check_choices(choices, answer)
            data.update(mode="choice", answer=self._answer,
                        choices=[text_html(c, f"choices[{i}]") for i, c in enumerate(self._choices)])
        self._question = question
        super().__init__(_data=data, digits=digits, title=title, **kwargs)

    @property
    def answer(self) -> float | int:
        return self._answer

    @property
    def choices(self) -> list[str] | None:
        return None if self._choices is None else list(self._choices)

    def check(self, response: Any) -> str:
        """What the page says to ``response``: ``"correct"``, ``"too high"`` or ``"too low"``
        for a number, ``"correct"`` or ``"wrong"`` for the index of a choice."""
        if self._choices is not None:
            if isinstance(response, bool) or not isinstance(response, (int, np.integer)):
                raise TypeError(f"a response to a multiple-choice question is the index of a choice; got {response!r}")
            return "correct" if response == self._answer else "wrong"
        value = _check_number(response)
        if abs(value - self._answer) <= tolerance(self.digits):
            return "correct"
        return "too high" if value > self._answer else "too low"

    def __repr__(self) -> str:
        kind = f"{len(self._choices)} choices" if self._choices is not None else f"a number to {self.digits} decimals"
        short = self._question if len(self._question) <= 60 else self._question[:57] + "..."
        return f"SelfCheck({short!r}, {kind})"
