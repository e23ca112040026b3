"""What the grader says: a :class:`Verdict`, printed in the book's notation."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .mistakes import Mistake
from .tasks import Task


@dataclass
class Verdict:
    """The grader's answer for one function.

    Attributes:
        task: the exercise (:class:`~bpkit.exercises.tasks.Task`).
        passed: True when the function agrees with bpkit on every network tried.
        headline: the verdict in a line.
        lines: the explanation, one paragraph per line.
        mistakes: the catalogue's mistakes the output matches (one, normally; more only for
            mistakes that give the same numbers on every network tried).
        notes: what else the grader saw: prints, warnings, inputs written into.
        networks: how many networks the function was tried on.
    """

    task: Task
    passed: bool
    headline: str
    lines: list[str] = field(default_factory=list)
    mistakes: tuple[Mistake, ...] = ()
    notes: list[str] = field(default_factory=list)
    networks: int = 0

    @property
    def mistake(self) -> Mistake | None:
        """The mistake named, if exactly one matches."""
        return self.mistakes[0] if len(self.mistakes) == 1 else None

    @property
    def text(self) -> str:
        mark = "\u2713" if self.passed else "\u2717"
        body = [f"{mark} {self.task.name}: {self.headline}"]
        body += [f"  {line}" for line in self.lines]
        if self.notes:
            body.append("  Also:")
            body += [f"  - {note}" for note in self.notes]
        return "\n".join(body)

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        """The same text as HTML paragraphs (the mark and the headline's first words say what
        it is; nothing depends on colour)."""
        state = "passed" if self.passed else "failed"
        mark = "&#x2713;" if self.passed else "&#x2717;"
        parts = [f'<div class="bpkit-verdict bpkit-verdict-{state}">',
                 f"<p><strong>{mark} <code>{html.escape(self.task.name)}</code></strong>: "
                 f"{html.escape(self.headline)}</p>"]
        parts += [f"<p>{html.escape(line)}</p>" for line in self.lines]
        if self.notes:
            parts.append("<p>Also:</p><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in self.notes) + "</ul>")
        parts.append("</div>")
        return "".join(parts)
