"""The Python half of the widgets' drawing: MathML, summarised arrays, captions."""

from __future__ import annotations

import numpy as np
import pytest

from bpkit.widgets._format import MAX_SHOWN, mathml, notation_html, pack, shown


@pytest.mark.parametrize("n", [1, 2, 5, 6, 7, 30, 784])
def test_shown_keeps_first_and_last(n):
    idx = shown(n)
    assert idx == sorted(set(idx)) and len(idx) == min(n, MAX_SHOWN - (n > MAX_SHOWN))
    assert idx[0] == 0 and idx[-1] == n - 1
    if n > MAX_SHOWN:
        assert idx[:3] == [0, 1, 2] and idx[-2:] == [n - 2, n - 1]


def test_pack_keeps_the_entries_it_names():
    a = np.arange(10 * 30, dtype=float).reshape(10, 30)
    p = pack(a)
    assert p["shape"] == [10, 30] and p["r"] == shown(10) and p["c"] == shown(30)
    np.testing.assert_array_equal(np.array(p["v"]), a[np.ix_(p["r"], p["c"])])
    small = pack([[1.5], [-2.0]])
    assert small == {"shape": [2, 1], "r": [0, 1], "c": [0], "v": [[1.5], [-2.0]]}


def test_mathml_has_no_url_and_a_readable_prime():
    out = mathml(r"\delta^{2} = \left((w^{3})^T \delta^{3}\right) \odot \sigma'(z^{2})", display=True)
    assert out.startswith('<math display="block">') and "xmlns" not in out and "http" not in out
    assert '<mi>&#x003C3;</mi><mo lspace="0" rspace="0">&#x02032;</mo>' in out
    assert "&#x02299;" in out                               # ⊙, the Hadamard product


def test_captions_escape_text_and_typeset_notation():
    out = notation_html("z^2_j = Σ_k w^2_jk a^1_k + b^2_j < 1 & a¹, Δw^l, x_3, C_x, σ'")
    assert "&lt; 1 &amp;" in out                            # plain text is escaped
    assert "^" not in out and "Σ_k" not in out and "x_3" not in out
    assert out.count("<math") == 10
    assert "<msubsup><mi>w</mi><mrow><mi>j</mi><mi>k</mi></mrow><mrow><mn>2</mn></mrow></msubsup>" in out
