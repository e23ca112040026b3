"""Checks at the public boundary, with messages in the book's notation.

Every public function of bpkit that takes arrays from a user runs them through these checks
first, so that bad input fails with a sentence naming the layer (l = 1 is the input layer,
l = L the output layer) and the expected and actual shapes, never with a NumPy traceback from
deep inside a matrix product. Nothing is ever silently broadcast.
"""

from __future__ import annotations

from typing import Any

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def as_dtype(dtype: Any) -> np.dtype:
    """Return ``dtype`` as a NumPy float dtype, or raise ``TypeError``."""
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"dtype must be float32 or float64; got {dtype!r}") from exc
    if dt.type not in FLOAT_DTYPES:
        raise TypeError(f"dtype must be float32 or float64; got {dt}")
    return dt


def lookup(value: Any, registry: dict[str, Any], kind: type, what: str, hint: str = "",
           aliases: dict[str, str] | None = None) -> Any:
    """``value`` if it is already a ``kind``, else the entry of ``registry`` it names (case
    insensitive, through ``aliases``), else a ValueError listing the names there are."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        key = value.lower()
        key = (aliases or {}).get(key, key)
        if key in registry:
            return registry[key]
    raise ValueError(f"unknown {what} {value!r}; choose one of {sorted(registry)}{hint}")


def check_sizes(sizes: Any) -> list[int]:
    """``sizes`` is the list [n_1, ..., n_L] of neurons per layer, L >= 2, each n_l >= 1."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer sizes such as [2, 3, 1]; got {sizes!r}")
    out = []
    for l, n in enumerate(sizes, start=1):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"sizes[{l - 1}] (layer l={l}) must be a whole number; got {n!r}")
        if n < 1:
            raise ValueError(f"layer l={l} must have at least one neuron; sizes[{l - 1}] = {n}")
        out.append(int(n))
    if len(out) < 2:
        raise ValueError(
            f"a network needs at least two layers (an input layer l=1 and an output layer l=L); "
            f"got sizes={list(sizes)!r}"
        )
    return out


def layer_name(l: int, L: int) -> str:
    """'layer l=1 (the input layer)', 'layer l=3', 'layer l=4 (the output layer L)'."""
    if l == 1:
        return "layer l=1 (the input layer)"
    if l == L:
        return f"layer l={l} (the output layer L)"
    return f"layer l={l}"


def check_array(
    value: Any,
    name: str,
    *,
    rows: int,
    where: str,
    dtype: np.dtype | None = None,
    cols: int | None = None,
    allow_empty: bool = False,
) -> np.ndarray:
    """Return ``value`` as a 2-D float array with ``rows`` rows, or raise a clear error.

    ``name`` is how the book writes the quantity (``x``, ``y``, ``w^3``), ``where`` says which
    layer it belongs to. A 1-D array is refused rather than guessed at: one example is a column
    of shape (n, 1), a mini-batch of m examples a matrix of shape (n, m).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} ({where}) must be a NumPy array of numbers; got {value!r}")
    arr = np.asarray(value)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.floating)
        or np.issubdtype(arr.dtype, np.integer)
        or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} ({where}) must hold real numbers; got an array of dtype {arr.dtype}")
    want = f"({rows}, {cols})" if cols is not None else f"({rows}, m)"
    if arr.ndim == 1:
        hint = f": use {name}.reshape(-1, 1) for a single example" if arr.shape[0] == rows else ""
        raise ValueError(
            f"{name} ({where}) must be a column of shape ({rows}, 1) or a matrix of shape {want} "
            f"with one column per example; got a 1-D array of shape {arr.shape}{hint}"
        )
    if arr.ndim != 2 or arr.shape[0] != rows or (cols is not None and arr.shape[1] != cols):
        raise ValueError(f"{name} ({where}) must have shape {want}; got shape {arr.shape}")
    if arr.shape[1] == 0 and not allow_empty:
        raise ValueError(f"{name} ({where}) is empty: shape {arr.shape} has no examples")
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    elif not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    # Checked a block of columns at a time: a whole-array isfinite would copy a large data set.
    block = max(1, (1 << 20) // max(arr.shape[0], 1))
    for k in range(0, arr.shape[1], block):
        part = arr[:, k:k + block]
        if np.all(np.isfinite(part)):
            continue
        bad = np.argwhere(~np.isfinite(part))[0] + (0, k)
        raise ValueError(
            f"{name} ({where}) has a non-finite value {arr[tuple(bad)]} at row {bad[0]}, "
            f"column {bad[1]}"
        )
    return arr
