"""The arrays of one training step, made once and reused: a :class:`Workspace`.

Every step of mini-batch SGD on m examples makes arrays of the same shapes: the mini-batch
x = a^1 and y gathered from the data, every z^l and a^l, every δ^l and σ'(z^l), and the two
gradients. Made anew at every step, the large ones are given back to the operating system when
they are freed and come back page by page: on [784, 100, 10] with m = 256 a step then took
about 775 page faults and twice as long (``benchmarks/``). :func:`bpkit.sgd` therefore makes one
Workspace per mini-batch size and passes it to :func:`bpkit.equations.backprop`, which writes
every array into it; a training step then allocates nothing large.

Without a workspace (``Workspace.unallocated``, what one-off calls get) every slot is ``None``
and each function makes its own new array, so the arrays a caller gets back stay its own. With
one, the arrays backprop returns are the workspace's and are overwritten by the next step.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .errors import BpkitValueError, ShapeError

Array = np.ndarray


class Workspace:
    """Room for one forward and backward pass over m examples of a network with ``sizes``.

    The lists are indexed like :func:`bpkit.forward.forward`'s: ``zs[i]``, ``deltas[i]``,
    ``primes[i]`` (σ'(z^l) for BP2), ``nabla_b[i]`` and ``nabla_w[i]`` belong to layer l = i + 2,
    ``activations[i]`` is a^(i+1), with ``activations[0]`` = ``x``, the gathered mini-batch.
    The gradients are stored column by column, as :class:`bpkit.Network` stores the weights.
    """

    def __init__(self, sizes: Sequence[int], m: int, dtype: Any = np.float64) -> None:
        self.m = m
        self.dtype = np.dtype(dtype)
        self._lay_out(sizes, lambda shape, order="C": np.empty(shape, self.dtype, order=order))

    @classmethod
    def unallocated(cls, num_layers: int) -> "Workspace":
        """A workspace with no arrays: every function it is passed to makes new ones."""
        work = cls.__new__(cls)
        work.m, work.dtype = None, None
        work._lay_out([0] * num_layers, lambda shape, order="C": None)
        return work

    def _lay_out(self, sizes: Sequence[int], new: Any) -> None:
        """Set every slot to ``new(shape, order)``: an array, or None for an unallocated workspace."""
        m = self.m
        layers = list(zip(sizes[:-1], sizes[1:]))  # (n_(l-1), n_l) for l = 2, ..., L
        # x and y hold one contiguous column per example, as the data are laid out: gathered a
        # whole example at a time. The n × m arrays of the layers are row by row: the products
        # ran up to 15% faster than with z^l and δ^l column by column (benchmarks/).
        self.x: Array | None = new((sizes[0], m), "F")
        self.y: Array | None = new((sizes[-1], m), "F")
        self.zs: list[Array | None] = [new((n, m)) for _, n in layers]
        self.activations: list[Array | None] = [self.x] + [new((n, m)) for _, n in layers]
        self.deltas: list[Array | None] = [new((n, m)) for _, n in layers]
        self.primes: list[Array | None] = [new((n, m)) for _, n in layers[:-1]] + [None]  # not for L
        self.nabla_b: list[Array | None] = [new((n, 1)) for _, n in layers]
        self.nabla_w: list[Array | None] = [new((n, n_in), "F") for n_in, n in layers]

    def gather(self, X: Array, Y: Array, idx: Array) -> tuple[Array, Array]:
        """Copy the columns ``idx`` of X and Y (one column per example) into ``x`` and ``y``
        and return those two: the mini-batch, with no new array."""
        idx = np.asarray(idx)
        if self.x is None:
            raise BpkitValueError("an unallocated workspace has no arrays to gather into")
        if idx.shape != (self.m,) or idx.dtype.kind not in "iu":
            raise ShapeError(f"this workspace holds mini-batches of m = {self.m} examples: idx must be "
                             f"{self.m} whole numbers; got shape {idx.shape} and dtype {idx.dtype}")
        for name, data, out in (("X", X, self.x), ("Y", Y, self.y)):
            if data.ndim != 2 or data.shape[0] != out.shape[0] or data.dtype != self.dtype:
                raise ShapeError(f"{name} must be an array of shape ({out.shape[0]}, N) and dtype {self.dtype}, "
                                 f"one column per example; got shape {data.shape} and dtype {data.dtype}")
            if idx.min() < 0 or idx.max() >= data.shape[1]:
                raise BpkitValueError(f"idx must lie in 0 ... {data.shape[1] - 1}, the columns of {name}; "
                                 f"got {idx.min()} ... {idx.max()}")
        return self._gather(X, Y, idx)

    def _gather(self, X: Array, Y: Array, idx: Array) -> tuple[Array, Array]:
        """:meth:`gather` for indices known to be right (sgd's, from a permutation)."""
        for data, out in ((X, self.x), (Y, self.y)):
            if data.flags.f_contiguous:
                # rows of the transposed data are whole examples; mode="clip" writes straight into
                # out (the indices are in range, so it clips nothing)
                np.take(data.T, idx, axis=0, out=out.T, mode="clip")
            else:
                np.copyto(out, data[:, idx])
        return self.x, self.y

    def __repr__(self) -> str:
        if self.x is None:
            return "Workspace(unallocated)"
        sizes = [self.x.shape[0]] + [z.shape[0] for z in self.zs]
        return f"Workspace(sizes={sizes}, m={self.m}, dtype={self.dtype.name})"
