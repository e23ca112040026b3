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
    """Glue ``value`` under ``name`` for the page's prose (``{glue:text}`name```), as a plain
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
