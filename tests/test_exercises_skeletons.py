"""The book's exercises in a reader's notebook: the downloaded page runs top to bottom.

* A solution never defines a name its exercise's skeleton defines (the solutions are
  ``bp1_solution``, ``backprop_solution``, ...): Run All keeps the reader's function.
* Every grader call in a skeleton (``ex.check_...(f)``) grades a function of that same cell, so
  what the book prints under a skeleton is the grader's verdict on the skeleton itself.

Read from the Markdown sources (no execution).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CELL = re.compile(r"```\{code-cell\} ipython3\n(.*?)```", re.S)


def _code(cell: str) -> str:
    """A code cell's Python, without its options (a --- block or :tags: lines)."""
    cell = re.sub(r"\A---\n.*?\n---\n", "", cell, flags=re.S)
    return "\n".join(line for line in cell.splitlines() if not line.startswith(":"))


def exercises():
    """(chapter, label, skeleton cells, solution cells) of every exercise with code in both."""
    out = []
    for md in sorted(BOOK.glob("[01][0-9]_*.md")):
        text = md.read_text(encoding="utf-8")
        for m in re.finditer(r":::\{exercise\}\n:label: ([\w-]+)\n", text):
            label = m[1]
            start = text.find(f":::{{solution-start}} {label}\n", m.end())
            end = text.find(f":::{{solution-end}}", start)
            if start < 0 or end < 0:
                continue
            skeleton = [_code(c) for c in CELL.findall(text[m.end():start])]
            solution = [_code(c) for c in CELL.findall(text[start:end])]
            if skeleton and solution:
                out.append((md.stem, label, skeleton, solution))
    return out


def defined(source: str) -> set[str]:
    return {n.name for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


EXERCISES = exercises()


def test_the_your_turn_exercises_are_all_found():
    chapters = {doc for doc, *_ in EXERCISES}
    assert {"05_four_equations", "06_proofs", "07_algorithm", "08_worked_example", "10_training",
            "12_gradient_checking"} <= chapters
    assert len(EXERCISES) >= 10


@pytest.mark.parametrize("doc, label, skeleton, solution", EXERCISES, ids=[f"{d}-{lbl}" for d, lbl, *_ in EXERCISES])
def test_the_solution_keeps_the_readers_functions_and_the_skeleton_grades_itself(doc, label, skeleton, solution):
    mine = set().union(*(defined(c) for c in skeleton))
    theirs = set().union(*(defined(c) for c in solution))
    assert not mine & theirs, f"{doc} {label}: the solution redefines {sorted(mine & theirs)}"
    for cell in skeleton:
        tree = ast.parse(cell)
        here = defined(cell)
        for call in ast.walk(tree):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr.startswith("check_") and call.args and isinstance(call.args[0], ast.Name)):
                assert call.args[0].id in here, f"{doc} {label}: {call.func.attr}({call.args[0].id}) grades no function of the skeleton"
