"""What the book's pages share: numbers for the prose, and the claims the prose makes.

Every page of the book starts with a hidden cell ``from bpkit.book import keep, claim``.

* :func:`keep` hands a computed number to the prose (myst-nb's ``glue``) when the book is
  being built. Run as a downloaded notebook, where myst-nb is usually not installed, it does
  nothing, so the page still runs top to bottom with only ``pip install "bpkit[all]"``.
* :func:`claim` is the hidden assert beside every sentence that states a comparison, a trend
  or a property of a computed result ("learns fastest", "shrinks by a factor of four"). When
  the claim stops being true the page raises, and the book's build fails.

This module imports nothing from the rest of bpkit.
"""

from __future__ import annotations

from typing import Any

try:  # the book's build has myst-nb; a reader's Jupyter usually has not
    from myst_nb import glue as _glue
except ImportError:  # pragma: no cover - exercised by the downloaded-notebook test
    _glue = None


class ClaimError(AssertionError):
    """A sentence of the book states something about a computed result that is not true."""


def keep(name: str, value: Any) -> Any:
    """Glue ``value`` under ``name`` for the page's prose (myst-nb's glue role), as a plain
    Python number when it is a NumPy scalar. Returns the value, so ``x = keep("x", ...)``
    works. Without myst-nb (a downloaded notebook) only the return happens."""
    plain = value.item() if hasattr(value, "item") and getattr(value, "ndim", 0) == 0 else value
    if _glue is not None:
        _glue(name, plain, display=False)
    return value


def claim(condition: Any, sentence: str) -> None:
    """Assert what the prose says: ``claim(acc_last > acc_first, "accuracy rises")``.

    Raises :class:`ClaimError` quoting ``sentence`` when ``condition`` is false, so the build
    of the book fails where the text stopped being true.
    """
    if not bool(condition):
        raise ClaimError(f"the text claims {sentence!r}, which the numbers computed here contradict")


def source(obj: Any, width: int = 79) -> str:
    """The source of ``obj`` (``inspect.getsource``) with every line folded to at most
    ``width`` characters where it can be, so that a page shows it whole: a trailing comment
    moves onto its own line above its code, a long line of code breaks after a comma inside
    brackets (continued under the opening bracket), and a long docstring line passes its last
    words on to the next line. The folded code parses to the same syntax tree as the original,
    docstrings aside (their words are the same, their line breaks not)."""
    import inspect

    lines = inspect.getsource(obj).splitlines()
    out: list[str] = []
    in_docstring, carry, depth = False, "", 0
    for k, line in enumerate(lines):
        starts_doc = line.strip().startswith(('"""', "'''"))
        if in_docstring or starts_doc:
            if carry and line.strip() and not line.strip().startswith(('"""', "'''")):
                indent = line[: len(line) - len(line.lstrip())]
                line, carry = indent + carry + " " + line.strip(), ""
            elif carry:
                out.append(carry_indent + carry)
                carry = ""
            if len(line) > width:
                head, carry = _split_words(line, width)
                carry_indent = line[: len(line) - len(line.lstrip())]
                if line.rstrip().endswith(('"""', "'''")) and (not in_docstring or not starts_doc):
                    out += [head, carry_indent + carry]
                    carry = ""
                else:
                    out.append(head)
            else:
                out.append(line)
        else:
            out += _fold_code(line, width, depth)
            depth = max(0, depth + _depth(line)[0])
        if (line.count('"""') + line.count("'''")) % 2:
            in_docstring = not in_docstring
    return "\n".join(out) + "\n"


def _split_words(line: str, width: int) -> tuple[str, str]:
    """The longest head of ``line`` of at most ``width`` characters ending at a space, and the rest."""
    cut = line.rfind(" ", len(line) - len(line.lstrip()) + 1, width + 1)
    if cut < 0:
        return line, ""
    return line[:cut], line[cut + 1:]


def _fold_code(line: str, width: int, open_before: int = 0) -> list[str]:
    """Fold one line of code (``open_before`` brackets opened on earlier lines are still open):
    its trailing comment first, then after commas inside brackets."""
    if len(line) <= width:
        return [line]
    indent = line[: len(line) - len(line.lstrip())]
    if line.lstrip().startswith("#"):  # a comment line: its words, each line a comment
        head, rest = _split_words(line, width)
        return [head] + (_fold_code(indent + "# " + rest, width) if rest else [])
    code, sep, comment = line.partition("  # ")
    if sep and code.strip() and code.count('"') % 2 == 0 and code.count("'") % 2 == 0:
        return [indent + "# " + comment.strip()] + _fold_code(code.rstrip(), width, open_before)
    lines = []
    while len(line) > width:
        cut = None
        for i in range(min(width, len(line)) - 1, len(indent), -1):
            if line[i] == "," and line[i + 1: i + 2] == " " and (
                    _depth(line[: i + 1])[0] > 0 or open_before > 0):
                cut = i + 1
                break
        if cut is None:
            break
        depth, column = _depth(line[:cut])
        if depth <= 0:
            column = len(indent)
        lines.append(line[:cut].rstrip())
        line = " " * column + line[cut:].lstrip()
    return lines + [line]


def _depth(text: str) -> tuple[int, int]:
    """Net bracket depth of ``text`` (strings skipped; negative when it closes more than it
    opens), and the column just after the innermost bracket it leaves open."""
    stack: list[int] = []
    closed = 0
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = None
        elif ch == "#":
            break
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            stack.append(i + 1)
        elif ch in ")]}":
            if stack:
                stack.pop()
            else:
                closed += 1
    return len(stack) - closed, (stack[-1] if stack else 0)
