"""``Review`` and ``Progress``: the self-check questions a reader got wrong, coming back.

Every :class:`~bpkit.widgets.SelfCheck` remembers, in the reader's browser only (its
localStorage: nothing leaves the page, nothing is sent anywhere), whether each answer was right.

* :class:`Review`, at the end of a chapter, asks again the questions of *earlier* chapters that
  were answered wrong at least once (at most five, the most often missed first), with the same
  code that asked them first, under a link to where each was asked (its chapter and section,
  where its figures are). A right answer just after a wrong one, on the question's own page,
  does not clear it: answered right in a review, it does not come back.
* :class:`Progress`, on the intro page, counts them chapter by chapter (answered, right at the
  first try, to try again), and can forget them.

Both work in the static book (no kernel, no network) and live in Jupyter. Their content is the
reader's own, so the static copy embeds nothing but the title.
"""

from __future__ import annotations

from typing import Any

from ._base import BpkitWidget, module_source


class _Remembered(BpkitWidget):
    """A box drawn from the reader's remembered answers alone: its static copy holds the title."""

    _static_keys = ("title",)
    _default_title: str = ""

    def __init__(self, title: str | None = None, **kwargs: Any) -> None:
        # a title that is not a string is refused by BpkitWidget's check, in the book's words
        super().__init__(title=self._default_title if title is None else title, **kwargs)


class Review(_Remembered):
    """The questions of earlier chapters the reader answered wrong, asked again."""

    _module = "widgets/review.js"
    _esm = module_source(_module)
    _default_title = "Questions to try again"

    def __repr__(self) -> str:
        return "Review(the self-check questions of earlier chapters you answered wrong at least once)"


class Progress(_Remembered):
    """The reader's answers so far, chapter by chapter (stored in the browser only)."""

    _module = "widgets/progress.js"
    _esm = module_source(_module)
    _default_title = "Your progress"

    def __repr__(self) -> str:
        return "Progress(your answers to the self-checks, chapter by chapter)"
