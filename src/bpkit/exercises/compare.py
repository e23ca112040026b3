"""Comparing the reader's output with bpkit's, in the book's notation.

Three questions, three functions:

* :func:`same`: is an output equal to another (a tuple or list like a list, arrays of the same
  shape agreeing to 1e-7 relative)? Used against the right output and the mistakes' outputs.
* :func:`kind_problem`: is the output of a kind no computation gives (None, the skeleton's
  ``...``, a generator, a Python list where an array belongs, text)? Then that is the message.
* :func:`differences`: where does it differ from the right output: which quantity (δ^3,
  ∂C/∂w^4), which entry, by how much, or which shape instead of which.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import numpy as np

from .tasks import Node

RTOL = 1e-7  # relative to the largest entry of the right array
ATOL = 1e-12


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def same(out: Any, ref: Any) -> bool:
    """``out`` equals ``ref``: sequences item by item, arrays of equal shape within
    |out − ref| ≤ 1e-7 max|ref| + 1e-12 (NaN equals NaN)."""
    if isinstance(ref, (list, tuple)):
        return isinstance(out, (list, tuple)) and len(out) == len(ref) and all(same(o, r) for o, r in zip(out, ref))
    if isinstance(out, (list, tuple)) or not (isinstance(out, np.ndarray) or _is_number(out)):
        return False
    ref_arr = np.asarray(ref, dtype=float)
    try:
        out_arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return False
    if out_arr.shape != ref_arr.shape:
        return False
    if out_arr.size == 0:
        return True
    scale = float(np.nanmax(np.abs(ref_arr))) if np.any(np.isfinite(ref_arr)) else 0.0
    with np.errstate(invalid="ignore"):
        close = np.abs(out_arr - ref_arr) <= RTOL * scale + ATOL
    return bool(np.all(close | (np.isnan(out_arr) & np.isnan(ref_arr))
                       | ((out_arr == ref_arr) & np.isinf(ref_arr))))


def _what(v: Any) -> str:
    """'None', 'a Python list of 4 numbers', 'a str', ... for messages."""
    if v is None:
        return "None"
    if isinstance(v, list):
        return f"a Python list of {len(v)} item{'s' * (len(v) != 1)}"
    if isinstance(v, tuple):
        return f"a tuple of {len(v)} item{'s' * (len(v) != 1)}"
    if isinstance(v, np.ndarray):
        return f"an array of shape {v.shape}"
    return f"a {type(v).__name__}"


def kind_problem(out: Any, node: Node, where: str = "") -> str | None:
    """A message if ``out`` is of a kind that no computation of the expected output gives
    (checked down the expected structure ``node``), else None."""
    here = f" for {node.name}" if where else ""
    if out is None:
        return (f"returned None{here}: is the `return` line missing? (A function that ends "
                f"without `return` gives None.)")
    if out is Ellipsis:
        return f"returned `...`{here}: replace the `...` of the skeleton with your code"
    if inspect.isgenerator(out) or isinstance(out, (types.GeneratorType, map, filter, zip)) or (
            hasattr(out, "__next__") and not isinstance(out, np.ndarray)):
        return (f"returned {_what(out)}{here}, which computes nothing until it is looped over: "
                f"return a list, e.g. list(...), or use `return` instead of `yield`")
    if inspect.iscoroutine(out):
        out.close()
        return "is an `async def` function: write a plain `def`"
    if isinstance(out, (str, bytes, dict, set)):
        return f"returned {_what(out)}{here} where {_expected(node)} was expected"
    if node.children is not None:
        if isinstance(out, np.ndarray):
            return (f"returned one array of shape {out.shape}{here} where {_expected(node)} was expected")
        if not isinstance(out, (list, tuple)):
            return f"returned {_what(out)}{here} where {_expected(node)} was expected"
        for item, child in zip(out, node.children):
            problem = kind_problem(item, child, where=child.name)
            if problem:
                return problem
        return None
    if isinstance(out, (list, tuple)):
        inner = "numbers" if all(_is_number(v) or isinstance(v, (list, tuple)) for v in out) else "items"
        return (f"returned {_what(out)}{here} (of {inner}) where a NumPy array of shape {node.shape} was "
                f"expected: build it with NumPy operations, or np.array(...)")
    if isinstance(out, np.ndarray) and out.dtype.kind not in "fiu":
        return f"returned an array of dtype {out.dtype}{here}: {node.name} is an array of real numbers"
    if not (isinstance(out, np.ndarray) or _is_number(out)):
        return f"returned {_what(out)}{here} where a NumPy array of shape {node.shape} was expected"
    return None


def _expected(node: Node) -> str:
    if node.children is None:
        return f"{node.name}, an array of shape {node.shape}"
    return f"{node.name}, {'a pair' if len(node.children) == 2 else f'{len(node.children)} items'}"


def _entry(name: str, index: tuple[int, ...], shape: tuple[int, ...]) -> str:
    """The book's name of one entry, counting from 1: ∂C/∂w^3 at (0, 2) → '∂C/∂w^3_13';
    δ^3 at (1, 0) → 'δ^3_2' (one column) or 'δ^3_2 of example 1' (a mini-batch)."""
    if len(index) != 2:
        return f"{name}{list(index)}"
    j, k = index[0] + 1, index[1] + 1
    if name.startswith(("∂C/∂w", "w^")):
        return f"{name}_{j}{k}" if max(j, k) < 10 else f"{name}_({j},{k})"
    return f"{name}_{j}" + (f" of example {k}" if shape[1] > 1 else "")


def shape_hint(got: tuple[int, ...], want: tuple[int, ...]) -> str:
    """Why an array may have the shape ``got`` where ``want`` belongs."""
    if len(want) == 2 and got == want[::-1]:
        return "it is the transpose of the right shape: are j and k (rows and columns) swapped?"
    if len(want) == 2 and got == (want[0],):
        return ("it is 1-D: a sum without keepdims=True, or a slice X[:, i] instead of X[:, [i]]; "
                f"a column {want} minus a 1-D ({want[0]},) broadcasts to ({want[0]}, {want[0]}) silently")
    if len(want) == 2 and want[1] == 1 and got == (want[0], want[0]):
        return ("NumPy's silent broadcasting: a column (n, 1) combined with a 1-D array (n,) gives an "
                "(n, n) matrix; keep every vector a column")
    if got == ():
        return "it is a single number: a sum over every axis (np.sum without axis=...)"
    if len(want) == 2 and want[1] == 1 and len(got) == 2 and got[0] == want[0]:
        return f"it has {got[1]} columns: one per example, not yet summed over the examples"
    return ""


def differences(out: Any, ref: Any, node: Node) -> list[tuple[str, str]]:
    """(name, what is wrong) for each quantity of ``out`` that differs from ``ref``, in the
    order of ``node`` (an empty list when they agree)."""
    if node.children is not None:
        if not isinstance(out, (list, tuple)):
            return [(node.name, f"{_what(out)} instead of {_expected(node)}")]
        found = []
        if len(out) != len(node.children):
            names = ", ".join(c.name for c in node.children)
            found.append((node.name, f"{len(out)} item{'s' * (len(out) != 1)} instead of {len(node.children)} ({names})"))
        for item, r, child in zip(out, ref, node.children):
            found += differences(item, r, child)
        return found
    if same(out, ref):
        return []
    got = np.shape(out)
    if got != node.shape:
        hint = shape_hint(got, node.shape)
        return [(node.name, f"shape {got} instead of {node.shape}" + (f" ({hint})" if hint else ""))]
    out_arr, ref_arr = np.asarray(out, dtype=float), np.asarray(ref, dtype=float)
    bad = ~np.isfinite(out_arr) & np.isfinite(ref_arr)
    if np.any(bad):
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        return [(node.name, f"{out_arr[index]} at {_entry(node.name, index, out_arr.shape)}, where bpkit computes "
                            f"{ref_arr[index]:.6g} ({int(bad.sum())} of {bad.size} entries not finite)")]
    diff = np.abs(out_arr - ref_arr)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), diff.shape))
    scale = max(float(np.max(np.abs(ref_arr))), 1e-300)
    wrong = int(np.sum(diff > RTOL * scale + ATOL))
    return [(node.name, f"{_entry(node.name, index, out_arr.shape)} is {out_arr[index]:.6g} where bpkit computes "
                        f"{ref_arr[index]:.6g} (off by {diff[index]:.3g}; {wrong} of {diff.size} entries differ)")]


def all_zero(out: Any) -> bool:
    """Every array of ``out`` is zeros (a skeleton's output, untouched)."""
    if isinstance(out, (list, tuple)):
        return len(out) > 0 and all(all_zero(o) for o in out)
    return isinstance(out, np.ndarray) and out.size > 0 and not np.any(out)
