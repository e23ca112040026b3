"""Fixtures of the widget tests: small networks and examples, and ``helpers`` importable."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:  # so that `from helpers.browser import ...` works from here
    sys.path.insert(0, str(TESTS))

import bpkit  # noqa: E402


@pytest.fixture
def net() -> bpkit.Network:
    return bpkit.Network([2, 3, 2], seed=1)


@pytest.fixture
def xy() -> tuple[np.ndarray, np.ndarray]:
    return np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]])


@pytest.fixture
def batch() -> tuple[bpkit.Network, np.ndarray, np.ndarray]:
    """XOR as a mini-batch of 4 examples, one per column, and a [2, 2, 1] network."""
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    return bpkit.Network([2, 2, 1], seed=0), X, Y
