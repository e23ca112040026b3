"""Turning bpkit's data into what the widgets' front end shows: MathML and packed arrays.

Math is converted from the trace's LaTeX to MathML here, in Python, with ``latex2mathml``:
browsers render MathML natively, so the widgets need no MathJax (JupyterLab does not give
widgets its MathJax, and the static book must work with no CDN). The ``xmlns`` attribute is
dropped: inside HTML the parser puts ``<math>`` in the MathML namespace by itself, and the
static copy then holds no URL at all.

Large arrays are *packed*: at most ``MAX_SHOWN`` rows and columns are kept (the first few and
the last few, :func:`shown`), with their indices, so a 784 × 30 matrix costs the page a 6 × 6
block, not 23 520 numbers. The front end draws a gap (⋮, ⋯) wherever the indices jump.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

import numpy as np
from latex2mathml.converter import convert

MAX_SHOWN = 6  # rows, columns or neurons drawn before a layer or matrix is summarised

_XMLNS = re.compile(r'\s+xmlns="[^"]*"')
# latex2mathml writes σ' as a superscript prime (a tiny raised mark); a prime after the symbol
# reads better and is how the book prints σ'(z).
_PRIME = re.compile(r"<msup><mi>([^<]*)</mi><mi>&#x02032;</mi></msup>")


@functools.lru_cache(maxsize=4096)
def mathml(latex: str, display: bool = False) -> str:
    """MathML for a LaTeX formula, inline or as a displayed equation, without a namespace URL."""
    out = _XMLNS.sub("", convert(latex, display="block" if display else "inline"))
    return _PRIME.sub(r'<mrow><mi>\1</mi><mo lspace="0" rspace="0">&#x02032;</mo></mrow>', out)


def shown(n: int, most: int = MAX_SHOWN) -> list[int]:
    """The 0-based indices of n rows (or neurons) that are drawn: all of them when n <= most,
    else the first ``most // 2`` and the last ``most - 1 - most // 2`` (one place for the gap).

    >>> shown(4), shown(784)
    ([0, 1, 2, 3], [0, 1, 2, 782, 783])
    """
    if n <= most:
        return list(range(n))
    head = most // 2
    tail = most - 1 - head
    return list(range(head)) + list(range(n - tail, n))


def pack(value: Any) -> dict[str, Any]:
    """A 2-D array as ``{"shape": [rows, cols], "r": row indices, "c": column indices, "v": the
    kept block}``; every entry is kept when the array is at most MAX_SHOWN × MAX_SHOWN."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 2:
        arr = arr.reshape(-1, 1)
    r, c = shown(arr.shape[0]), shown(arr.shape[1])
    return {"shape": list(arr.shape), "r": r, "c": c, "v": arr[np.ix_(r, c)].tolist()}


# Plain-text notation in the trace's captions ("z^2_j", "w^3_jk", "δ^3", "Δw^l", "x_2", "C_x",
# "a¹") made into inline MathML, so the captions read like the equations.
_SCRIPTED = r"(?<![\w/])(Δ?)([A-Za-zδσ])\^(\d+|l)(?:_([jk]{1,2}))?(?![\w^])"
_INDEXED = r"(?<![\w/])([xyC])_(\d+|x)(?![\w^])"
_SUM = r"Σ_([a-z])"
_UNICODE_SUP = r"([A-Za-zδσ])([¹²³⁴⁵⁶⁷⁸⁹⁰]+)"
_PRIMED = r"(σ)'(?![\w^])"
_NOTATION = re.compile(f"{_SCRIPTED}|{_INDEXED}|{_SUM}|{_UNICODE_SUP}|{_PRIMED}")
_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_GREEK = {"δ": r"\delta", "σ": r"\sigma", "Δ": r"\Delta "}


def notation_html(text: str) -> str:
    """Escape ``text`` for HTML, writing its plain-text notation (a^2_j, Δw^l, x_2, Σ_k, a¹, σ')
    as MathML."""
    out, pos = [], 0
    for m in _NOTATION.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        delta, sym, sup, sub, isym, idx, sum_index, usym, udigits, primed = m.groups()
        if primed:
            latex = r"\sigma'"
        elif sum_index:
            latex = rf"\sum_{{{sum_index}}}"
        elif isym:
            latex = f"{isym}_{{{idx}}}"
        elif usym:
            latex = f"{_GREEK.get(usym, usym)}^{{{udigits.translate(_SUPERSCRIPT_DIGITS)}}}"
        else:
            latex = _GREEK.get(delta, "") + f"{_GREEK.get(sym, sym)}^{{{sup}}}" + (f"_{{{sub}}}" if sub else "")
        out.append(mathml(latex))
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)

