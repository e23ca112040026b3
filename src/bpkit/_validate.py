"""Checks at the public boundary, with messages in the book's notation.

Every public function of bpkit that takes arrays from a user runs them through these checks
first, so that bad input fails with a sentence naming the layer (l = 1 is the input layer,
l = L the output layer) and the expected and actual shapes, never with a NumPy traceback from
deep inside a matrix product. Nothing is ever silently broadcast.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .errors import BpkitTypeError, BpkitValueError, DomainError, ShapeError, SizeError

FLOAT_DTYPES = (np.float32, np.float64)
#: The largest parameter array (one w^l) a Network may allocate: 2 GiB. Larger ones are refused
#: with their size, before any allocation (a typo such as [784, 3000000, 10] then fails at once
#: instead of swapping the machine to a halt).
MAX_ARRAY_BYTES = 2 * 1024**3


def as_dtype(dtype: Any) -> np.dtype:
    """Return ``dtype`` as a NumPy float dtype, or raise ``TypeError``."""
    if dtype is None or isinstance(dtype, (np.generic, np.ndarray)):  # NumPy reads None as float64
        raise BpkitTypeError(f"dtype must be float32 or float64; got {_short(dtype)}")
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError) as exc:
        raise BpkitTypeError(f"dtype must be float32 or float64; got {dtype!r}") from exc
    if dt.type not in FLOAT_DTYPES:
        raise BpkitTypeError(f"dtype must be float32 or float64; got {dt}")
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
    raise BpkitValueError(f"unknown {what} {_short(value)}; choose one of {sorted(registry)}{hint}")


def check_sizes(sizes: Any) -> list[int]:
    """``sizes`` is the list [n_1, ..., n_L] of neurons per layer, L >= 2, each n_l >= 1."""
    if isinstance(sizes, (str, bytes, dict, set, frozenset)) or not hasattr(sizes, "__len__") or (
        isinstance(sizes, np.ndarray) and sizes.ndim != 1
    ):
        raise BpkitTypeError(f"sizes must be a list of layer sizes such as [2, 3, 1]; got {sizes!r}")
    out = []
    for l, n in enumerate(sizes, start=1):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise BpkitTypeError(f"sizes[{l - 1}] (layer l={l}) must be a whole number; got {n!r}")
        if n < 1:
            raise BpkitValueError(f"layer l={l} must have at least one neuron; sizes[{l - 1}] = {n}")
        out.append(int(n))
    if len(out) < 2:
        raise BpkitValueError(
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
        raise BpkitTypeError(f"{name} ({where}) must be a NumPy array of numbers; got {value!r}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):  # ragged lists, objects NumPy cannot read
        raise BpkitTypeError(f"{name} ({where}) must be a NumPy array of numbers; got {_short(value)}: "
                             f"{why_not_an_array(value, name)}") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.floating)
        or np.issubdtype(arr.dtype, np.integer)
        or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise BpkitTypeError(f"{name} ({where}) must hold real numbers; got an array of dtype {arr.dtype}")
    want = f"({rows}, {cols})" if cols is not None else f"({rows}, m)"
    if arr.ndim == 1:
        hint = f": use {name}.reshape(-1, 1) for a single example" if arr.shape[0] == rows else ""
        raise ShapeError(
            f"{name} ({where}) must be a column of shape ({rows}, 1) or a matrix of shape {want} "
            f"with one column per example; got a 1-D array of shape {arr.shape}{hint}"
        )
    if arr.ndim != 2 or arr.shape[0] != rows or (cols is not None and arr.shape[1] != cols):
        raise ShapeError(f"{name} ({where}) must have shape {want}; got shape {arr.shape}")
    if arr.shape[1] == 0 and not allow_empty:
        raise ShapeError(f"{name} ({where}) is empty: shape {arr.shape} has no examples")
    given = arr
    if dtype is not None:
        with np.errstate(over="ignore"):  # a value beyond float32 is reported below, by name
            arr = arr.astype(dtype, copy=False)
    elif not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    # Checked a block of columns at a time: a whole-array isfinite would copy a large data set.
    block = max(1, (1 << 20) // max(arr.shape[0], 1))
    for k in range(0, arr.shape[1], block):
        part = arr[:, k:k + block]
        if np.all(np.isfinite(part)):
            continue
        bad = tuple(np.argwhere(~np.isfinite(part))[0] + (0, k))
        if np.isfinite(given[bad]):  # finite as given, infinite in the network's dtype
            raise DomainError(f"{name} ({where}) has the value {given[bad]:.6g} at row {bad[0]}, column {bad[1]}: "
                              f"{overflow_reason(arr.dtype, 'the dtype the network computes in')}")
        raise DomainError(f"{name} ({where}) has a non-finite value {arr[bad]} at row {bad[0]}, column {bad[1]}")
    return arr


def overflow_reason(dtype: np.dtype, which: str) -> str:
    """Why a finite number became infinite: it is beyond the largest number of ``dtype``
    (``which`` says what that dtype is: "the dtype the network computes in")."""
    return (f"finite as given, but larger in size than the largest {np.dtype(dtype).name} "
            f"({np.finfo(dtype).max:.4g}), {which}; rescale it, or use float64")


def cast(arr: np.ndarray, dtype: np.dtype, name: str) -> np.ndarray:
    """``arr`` as ``dtype``, or a DomainError naming ``name`` and the dtype if a finite number
    does not fit in it (1e39 is finite in float64 and infinite in float32)."""
    with np.errstate(over="ignore"):
        out = arr.astype(dtype)
    if out.size and not np.all(np.isfinite(out)):
        bad = np.isfinite(arr) & ~np.isfinite(out)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise DomainError(f"{name} has the value {arr[where]:.6g} at index {where}: "
                              f"{overflow_reason(dtype, 'the dtype asked for')}")
    return out


def why_not_an_array(value: Any, name: str) -> str:
    """Why NumPy cannot read ``value`` as an array, in a sentence: where a nested list is
    ragged (``x[1] has 1 entry but x[0] has 2``), or what it holds that is not a number."""
    def walk(v: Any, path: str) -> str | None:
        if not isinstance(v, (list, tuple)):
            return None
        nested = [isinstance(e, (list, tuple, np.ndarray)) for e in v]
        if any(nested) and not all(nested):
            i = nested.index(not nested[0])
            kind = {True: "a list", False: "a number"}
            return (f"{path}[{i}] is {kind[nested[i]]} but {path}[0] is {kind[nested[0]]}; "
                    f"a matrix is a list of rows of numbers")
        lengths = [len(e) for e in v] if v and all(nested) else []
        if lengths and len(set(lengths)) > 1:
            i = next(i for i, n in enumerate(lengths) if n != lengths[0])
            return (f"{path}[{i}] has {lengths[i]} entr{'y' if lengths[i] == 1 else 'ies'} but {path}[0] has "
                    f"{lengths[0]}; every row of a matrix needs the same length")
        for i, e in enumerate(v):
            found = walk(e, f"{path}[{i}]")
            if found:
                return found
        return None
    return walk(value, name) or "NumPy cannot read it as an array of numbers"



def _short(value: Any, limit: int = 60) -> str:
    """``repr(value)`` shortened to about ``limit`` characters for messages about arbitrary
    objects: cut after a comma or at a space, never inside a number or a word, and marked
    with " ..." where it was cut."""
    text = repr(value)
    if len(text) <= limit:
        return text
    head = text[:limit - 4]
    cut = max(head.rfind(", ") + 1, head.rfind(" "))
    if cut > limit // 3:
        head = head[:cut]
    return head.rstrip() + " ..."


def check_whole(value: Any, name: str, minimum: int = 0, meaning: str = "") -> int:
    """``value`` as an int >= ``minimum`` (a Python or NumPy integer, never a bool, float or
    string), or a clear error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise BpkitTypeError(f"{name} must be a whole number >= {minimum}{meaning}; got {_short(value)}")
    if value < minimum:
        raise BpkitValueError(f"{name} must be a whole number >= {minimum}{meaning}; got {value}")
    return int(value)


def check_number(value: Any, name: str, *, positive: bool = False, minimum: float | None = None,
                 meaning: str = "") -> float:
    """``value`` as a finite float (Python or NumPy real number, never a bool or string):
    > 0 with ``positive``, >= ``minimum`` if given; else a clear error naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise BpkitTypeError(f"{name} must be a number{meaning}; got {_short(value)}")
    v = float(value)
    rule = "a positive number" if positive else f"a number >= {minimum:g}" if minimum is not None else "a finite number"
    if not np.isfinite(v) or (positive and v <= 0) or (minimum is not None and v < minimum):
        raise DomainError(f"{name} must be {rule}{meaning}; got {value!r}")
    return v


def check_seed(seed: Any, name: str = "seed") -> Any:
    """A seed for ``np.random.default_rng``: None, a whole number >= 0, or a NumPy Generator
    or SeedSequence."""
    if seed is None or isinstance(seed, (np.random.Generator, np.random.SeedSequence)):
        return seed
    return check_whole(seed, name, 0, " (of the random numbers)")


def check_allocation(shapes: list[tuple[str, tuple[int, ...]]], itemsize: int, what: str,
                     limit: int = MAX_ARRAY_BYTES) -> None:
    """Refuse, before allocating anything, any array of ``shapes`` (name, shape) larger than
    ``limit`` bytes, naming it and its size."""
    for name, shape in shapes:
        nbytes = itemsize
        for n in shape:
            nbytes *= int(n)
        if nbytes > limit:
            raise SizeError(
                f"{what}: {name} of shape {shape} would take {nbytes:,} bytes ({nbytes / 1024**3:.3g} GiB), "
                f"more than the {limit / 1024**3:.3g} GiB bpkit allocates for one array; check the sizes"
            )


def check_same_shape(arrays: list[tuple[str, Any]], what: str) -> list[np.ndarray]:
    """The arrays, as real float arrays of one and the same shape, or a ShapeError naming each
    shape (what a public equation gets instead of NumPy's broadcasting)."""
    out = [as_real_array(v, name, what) for name, v in arrays]
    shapes = {a.shape for a in out}
    if len(shapes) > 1:
        got = " and ".join(f"{a.shape}" for a in out)
        names = " and ".join(name for name, _ in arrays)
        raise ShapeError(f"{what} needs two arrays of the same shape ({names}; nothing is broadcast); got {got}")
    return out


def as_real_array(value: Any, name: str, what: str, ndim: int | None = None) -> np.ndarray:
    """``value`` as an array of real numbers (ints and bools become float64), or a clear
    error; with ``ndim``, of exactly that many dimensions."""
    if isinstance(value, (str, bytes)) or value is None:
        raise BpkitTypeError(f"{what}: {name} must be an array of numbers; got {_short(value)}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise BpkitTypeError(f"{what}: {name} must be an array of numbers; got {_short(value)}: "
                             f"{why_not_an_array(value, name)}") from None
    if arr.dtype.kind not in "fiub":
        raise BpkitTypeError(f"{what}: {name} must hold real numbers; got an array of dtype {arr.dtype}")
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ShapeError(f"{what}: {name} must be a {ndim}-D array; got shape {arr.shape}")
    return arr


def check_targets(y: np.ndarray, cost: Any, where: str = "y") -> None:
    """Targets in the domain of the cost: 0 <= y <= 1 for the cross-entropy (its ln(1 − a)
    term weighs 1 − y), y >= 0 for the log-likelihood; any finite y for the quadratic cost."""
    name = getattr(cost, "name", "")
    if name == "cross_entropy":
        lo, hi, rule = 0.0, 1.0, "0 <= y <= 1 (y_j is the probability that output j is on)"
    elif name == "log_likelihood":
        lo, hi, rule = 0.0, np.inf, "y >= 0 (y_j weighs −ln a^L_j)"
    else:
        return
    if y.size and (y.min() < lo or y.max() > hi):
        bad = y[(y < lo) | (y > hi)].flat[0]
        raise DomainError(f"the {name.replace('_', '-')} cost needs targets {rule}; {where} has {bad:g}")


def check_pairing(cost: Any, output_activation: Any) -> None:
    """Refuse an output activation whose a^L leaves the cost's domain.

    The cross-entropy takes ln a^L_j and ln(1 − a^L_j), so each a^L_j must lie in (0, 1): a
    sigmoid (or softmax) output. ReLU, identity and tanh outputs reach 0, 1 or beyond, where the
    cost and its gradient are NaN. The log-likelihood takes ln a^L_j, so a^L_j > 0: softmax or
    sigmoid.
    """
    name, act = getattr(cost, "name", ""), getattr(output_activation, "name", "")
    allowed = {"cross_entropy": ("sigmoid", "softmax"), "log_likelihood": ("softmax", "sigmoid")}.get(name)
    if allowed is not None and act in ("relu", "identity", "tanh"):
        raise BpkitValueError(
            f"the {name.replace('_', '-')} cost takes ln a^L, which needs every output a^L_j in (0, 1); "
            f"a {act} output layer L reaches values outside it, where the gradient is NaN. Use "
            f"output_activation='sigmoid' (or 'softmax'), or cost='quadratic'"
        )


def check_matrices(what: str, *items: tuple[str, Any, Any, Any]) -> list[np.ndarray]:
    """Arrays ``(name, value, rows, cols)`` as 2-D real arrays of those shapes (None for any,
    or a string naming a dimension shared by every item that uses it: "m"), or a ShapeError
    naming the argument and both shapes.

    Only shapes are compared (no pass over the numbers), so the public equations of
    :mod:`bpkit.equations` can check their arguments at no measurable cost.
    """
    out, dims = [], {}
    for name, value, rows, cols in items:
        arr = value if type(value) is np.ndarray and value.dtype.kind == "f" else as_real_array(value, name, what)
        if arr.ndim != 2:
            raise ShapeError(f"{what}: {name} must be a matrix with one column per example (a column for one); "
                             f"got shape {arr.shape}")
        for axis, want in ((0, rows), (1, cols)):
            if want is None:
                continue
            if isinstance(want, str):
                if want in dims and dims[want][1] != arr.shape[axis]:
                    other, n = dims[want]
                    raise ShapeError(f"{what}: {name} has shape {arr.shape} but {other} has {n} "
                                     f"{'rows' if axis == 0 else 'columns'} ({want}); nothing is broadcast")
                dims.setdefault(want, (name, arr.shape[axis]))
            elif arr.shape[axis] != want:
                raise ShapeError(f"{what}: {name} must have {want} {'rows' if axis == 0 else 'columns'}; got shape {arr.shape}")
        out.append(arr)
    return out
