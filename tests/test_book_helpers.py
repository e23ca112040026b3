"""bpkit.book: the two helpers every page of the book uses."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from bpkit.book import ClaimError, claim, keep


def test_claim_passes_silently_when_true():
    assert claim(np.float64(2.0) > 1.0, "two exceeds one") is None


def test_claim_quotes_the_sentence_when_false():
    with pytest.raises(ClaimError, match="the cost falls at every step") as info:
        claim(np.array(False), "the cost falls at every step")
    assert isinstance(info.value, AssertionError)  # a failed claim fails the build like an assert


def test_keep_returns_its_value_unchanged():
    x = np.float32(0.25)
    assert keep("bpkit_test_x", x) is x


def test_keep_needs_no_myst_nb():
    """A downloaded notebook runs without myst-nb: keep then only returns its value."""
    code = (
        "import sys; sys.modules['myst_nb'] = None\n"
        "from bpkit.book import keep, _glue\n"
        "assert _glue is None\n"
        "assert keep('x', 3) == 3\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
