"""The optional parts of bpkit and the extra that installs each.

``pip install bpkit`` installs NumPy and tqdm only. The rest is in extras (pyproject.toml):

========== ============================================ ===================================
extra      installs                                     needed by
========== ============================================ ===================================
symbolic   SymPy                                        :mod:`bpkit.symbolic`
widgets    anywidget, ipywidgets, latex2mathml          :mod:`bpkit.widgets`
data       scikit-learn (and its threadpoolctl)         :func:`bpkit.load_digits`, :mod:`bpkit.benchmark`
plot       Matplotlib                                   the book's figures
all        all of the above                             every page of the book as a notebook
========== ============================================ ===================================

:func:`require` imports a module and, when it is missing, raises :class:`MissingExtraError`
naming the extra to install, e.g. ``pip install "bpkit[symbolic]"``.
"""

from __future__ import annotations

import importlib
from types import ModuleType


# the name pip installs, where it differs from the name Python imports
_DISTRIBUTIONS = {"sklearn": "scikit-learn", "threadpoolctl": "threadpoolctl (with scikit-learn)"}


class MissingExtraError(ImportError):
    """An optional part of bpkit was used without the extra that installs what it needs."""


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature``; if it cannot be imported, raise
    :class:`MissingExtraError`: "``feature`` needs ``module``, which bpkit's ``extra`` extra
    installs: pip install "bpkit[extra]"."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise MissingExtraError(
            f"{feature} needs {_DISTRIBUTIONS.get(top, top)}, which is not installed. It comes with bpkit's "
            f'"{extra}" extra: pip install "bpkit[{extra}]" (or "bpkit[all]" for everything '
            f"the book uses)",
            name=top,
        ) from exc
