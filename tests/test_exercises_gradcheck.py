"""bpkit.gradcheck per layer and per parameter: the table that says where a wrong gradient
enters (the debugging chapter), held to the catalogue's mistakes."""

from __future__ import annotations

import numpy as np
import pytest

import bpkit
import bpkit.exercises as ex
from bpkit.errors import BpkitValueError
from exercises_code import backprop_matrix, mutant


@pytest.fixture(scope="module")
def setting():
    rng = np.random.default_rng(5)
    return bpkit.Network([4, 6, 5, 3], seed=5), rng.normal(size=(4, 3)), rng.uniform(0.05, 0.95, size=(3, 3))


def test_the_table_lists_every_array_from_the_output_layer_back_and_a_right_gradient_passes(setting):
    net, x, y = setting
    table = bpkit.gradient_check(net, x, y, grad_fn=ex.grad_fn(backprop_matrix)).by_layer()
    assert [r.name for r in table.rows] == ["∂C/∂b^4", "∂C/∂w^4", "∂C/∂b^3", "∂C/∂w^3", "∂C/∂b^2", "∂C/∂w^2"]
    assert [r.checked for r in table.rows] == [3, 15, 5, 30, 6, 24]
    assert table.first_wrong() is None and "every array agrees" in table.verdict()
    assert "ok" in repr(table) and "FAIL" not in repr(table)


@pytest.mark.parametrize("key, first", [
    ("bp1_no_sigma_prime", "∂C/∂b^4"), ("sigma_prime_of_a", "∂C/∂b^4"), ("cost_sign", "∂C/∂b^4"),
    ("sigma_on_input", "∂C/∂b^4"), ("bp2_no_sigma_prime", "∂C/∂b^3"), ("averaged_not_summed", "∂C/∂b^4"),
])
def test_the_first_failing_array_is_where_each_mistake_enters(setting, key, first):
    net, x, y = setting
    table = bpkit.gradient_check(net, x, y, grad_fn=ex.grad_fn(mutant("backprop_matrix", key))).by_layer()
    assert table.first_wrong().name == first
    assert all(r.passed() for r in table.rows[:table.rows.index(table.first_wrong())])
    assert f"the first array that fails, walking back from the output layer, is {first.lower()}" in " ".join(repr(table).lower().split())


def test_per_parameter_errors_show_a_transposed_bp4_by_its_diagonal():
    rng = np.random.default_rng(2)
    net = bpkit.Network([3, 3, 3], seed=2)
    x, y = rng.normal(size=(3, 4)), rng.uniform(size=(3, 4))
    check = bpkit.gradient_check(net, x, y, grad_fn=ex.grad_fn(mutant("backprop_matrix", "bp4_transposed")))
    table = check.by_layer()
    assert [r.passed() for r in table.rows] == [True, False, True, False]  # the biases agree
    rel = check.relative_errors("w", 3)
    assert rel.shape == (3, 3) and np.all(np.diag(rel) < 1e-7) and np.all(rel[~np.eye(3, dtype=bool)] > 1e-3)
    with pytest.raises(BpkitValueError, match="no w\\^4 in this check"):
        check.relative_errors("w", 4)


def test_a_sampled_check_marks_the_parameters_it_did_not_sample(setting):
    net, x, y = setting
    check = bpkit.gradient_check(net, x, y, sample=10, seed=1)
    rel = check.relative_errors("w", 3)
    assert np.sum(~np.isnan(rel)) == sum(1 for k, l, _ in check.parameters if (k, l) == ("w", 3))
    assert sum(r.checked for r in check.by_layer().rows) == 10


def test_the_table_reads_in_html_with_a_caption_and_headers(setting):
    net, x, y = setting
    html = bpkit.gradient_check(net, x, y).by_layer()._repr_html_()
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html and "&#x2713; agrees" in html


def test_grad_fn_refuses_what_is_not_a_function():
    with pytest.raises(TypeError, match="needs your backprop function itself"):
        ex.grad_fn(3)
