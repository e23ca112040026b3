"""The book's from-scratch listing (chapter 7): one cell, NumPy only, held to bpkit.

The cell is read from book/07_algorithm.md itself, so the listing the reader copies is the one
tested: 25 to 40 lines, no import but NumPy; its gradients equal bpkit's to 1e-12 (relative)
on random networks, and, started from bpkit's initial weights and run over the same mini-batch
order, its SGD ends where bpkit.sgd ends on the digits, to 1e-10.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest

import bpkit

REPO = Path(__file__).resolve().parents[1]

CHAPTER = REPO / "book" / "07_algorithm.md"


@pytest.fixture(scope="module")
def cell() -> str:
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", CHAPTER.read_text(encoding="utf-8"), re.S)
    found = [c for c in cells if "def backprop(weights, biases, x, y):" in c and "def sgd(" in c]
    assert len(found) == 1, "chapter 7 has exactly one from-scratch listing"
    return found[0]


@pytest.fixture(scope="module")
def listing(cell) -> dict:
    namespace: dict = {}
    exec(compile(cell, "book/07_algorithm.md (the listing)", "exec"), namespace)
    return namespace


def test_the_listing_is_one_short_cell_of_numpy_only(cell):
    lines = cell.strip("\n").splitlines()
    assert 25 <= len(lines) <= 42, len(lines)
    # the page's code box holds about 78 characters at 1280 px (tests/book/test_pages.py)
    assert all(len(line) <= 76 for line in lines), max(lines, key=len)
    imported = {alias.name.split(".")[0] for node in ast.walk(ast.parse(cell))
                if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])}
    assert imported == {"numpy"}
    assert "bpkit" not in cell
    for name in ("weights", "biases", "zs", "activations", "delta", "nabla_b", "nabla_w", "BP1", "BP2", "BP3", "BP4"):
        assert name in cell, name


@pytest.mark.parametrize("seed", range(12))
def test_its_gradients_are_bpkits(listing, seed):
    rng = np.random.default_rng(seed)
    sizes = [int(n) for n in rng.integers(1, 9, size=int(rng.integers(2, 6)))]
    m = 1 if seed % 2 else int(rng.integers(2, 9))
    net = bpkit.Network(sizes, seed=seed)
    x, y = rng.standard_normal((sizes[0], m)), rng.uniform(size=(sizes[-1], m))
    nabla_b, nabla_w = listing["backprop"](net.weights, net.biases, x, y)
    ref_b, ref_w = net.backprop(x, y)
    for got, want in zip(nabla_b + nabla_w, ref_b + ref_w):
        assert got.shape == want.shape
        assert np.max(np.abs(got - want)) <= 1e-12 * np.max(np.abs(want)), (sizes, m)


def test_its_sgd_retraces_bpkit_sgd_on_the_digits(listing):
    train, test = bpkit.load_digits(seed=0)
    net = bpkit.Network([64, 30, 10], seed=0)
    weights, biases = listing["sgd"](net.weights, net.biases, train.X, train.Y, 30, 10, 3.0, seed=0)
    bpkit.sgd(net, train, epochs=30, mini_batch_size=10, eta=3.0, seed=0, progress=False, monitor_cost=False)
    gap = max(np.max(np.abs(a - b)) for a, b in zip(weights + biases, net.weights + net.biases))
    assert gap < 1e-10
    assert net.accuracy(*test) > 0.95
