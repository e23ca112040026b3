"""The errors bpkit raises on bad input, defined once.

Every one is a :class:`BpkitError` and also a built-in ``ValueError``, ``TypeError`` or
``IndexError``, so ``except ValueError:`` written before these existed still catches them.
Their messages use the book's notation: layer l (l = 1 the input layer, l = L the output
layer), w^l, b^l, δ^l, and the shapes expected and got.

* :class:`BpkitTypeError`: an argument of the wrong kind (a dict for sizes, a string for x);
* :class:`BpkitValueError`: an argument of the right kind with a value that cannot work;
* :class:`ShapeError`: arrays whose shapes do not fit (nothing is ever silently broadcast);
* :class:`DomainError`: numbers outside what a function is defined for (y outside [0, 1] for
  the cross-entropy, a NaN in x, ε ≤ 0);
* :class:`SizeError`: a network too large to allocate, draw or differentiate symbolically,
  refused before the work starts;
* :class:`DivergenceError`: training whose cost stopped being finite;
* :class:`FileFormatError`: a file that is not what the loader reads;
* :class:`LayerIndexError`: a layer or neuron index that does not exist.
"""

from __future__ import annotations

__all__ = [
    "BpkitError", "BpkitTypeError", "BpkitValueError", "DivergenceError", "DomainError",
    "FileFormatError", "LayerIndexError", "ShapeError", "SizeError",
]


class BpkitError(Exception):
    """Base of every error bpkit raises on bad input."""


class BpkitTypeError(BpkitError, TypeError):
    """An argument of the wrong kind."""


class BpkitValueError(BpkitError, ValueError):
    """An argument whose value cannot work."""


class ShapeError(BpkitValueError):
    """Arrays whose shapes do not fit together."""


class DomainError(BpkitValueError):
    """Numbers outside the domain of a function (non-finite, negative, outside [0, 1])."""


class SizeError(BpkitValueError):
    """A network too large for what was asked of it, refused before the work starts."""


class DivergenceError(BpkitValueError):
    """Gradient descent whose training cost stopped being finite; ``epoch`` is the epoch after
    which that was found (None when not known)."""

    def __init__(self, message: str, epoch: int | None = None) -> None:
        super().__init__(message)
        self.epoch = epoch


class FileFormatError(BpkitValueError):
    """A file that is not in the format the loader reads."""


class LayerIndexError(BpkitError, IndexError):
    """A layer l or neuron j, k that does not exist in the network."""
