"""The grader with bad input: every kind of function a reader may pass gets a clear message in
the book's notation (never a traceback from inside bpkit); the time limit stops a NumPy loop
and a sleep, in the main thread and in another; inputs are copies, and writing into them is
told; prints and warnings are kept off the page."""

from __future__ import annotations

import signal
import threading
import time

import numpy as np
import pytest

import bpkit.exercises as ex
from bpkit.errors import BpkitError
from exercises_code import backprop_matrix, bp1_matrix


def _text(verdict) -> str:
    assert "Traceback" not in verdict.text and "File \"" not in verdict.text, verdict.text
    return verdict.text


@pytest.mark.parametrize("fn, expected", [
    (3, "needs your function itself, bp1, and got 3"),
    (None, "check_bp1(bp1), not check_bp1(bp1(...))"),
    ("bp1", "got 'bp1'"),
    (np.zeros((2, 1)), "got array("),
    (lambda a_L: a_L, "Your function takes (a_L), but the grader calls it as bp1(a_L, y, z_L, sigma_prime): 4 arguments"),
    (lambda a, b, c, d, e: a, "takes (a, b, c, d, e)"),
])
def test_what_is_not_a_function_of_the_right_arity_is_refused_clearly(fn, expected):
    verdict = ex.check_bp1(fn)
    assert not verdict.passed and verdict.headline == "cannot be graded yet."
    assert expected in _text(verdict)


def test_any_signature_that_accepts_the_arguments_is_fine():
    assert ex.check_bp1(lambda *args: bp1_matrix(*args)).passed
    assert ex.check_bp1(lambda a_L, y, z_L, sigma_prime, extra=1: bp1_matrix(a_L, y, z_L, sigma_prime)).passed


def _yields(a_L, y, z_L, sigma_prime):
    yield (a_L - y) * sigma_prime(z_L)


async def _async(a_L, y, z_L, sigma_prime):
    return (a_L - y) * sigma_prime(z_L)


def _returns_nothing(a_L, y, z_L, sigma_prime):
    delta = (a_L - y) * sigma_prime(z_L)  # noqa: F841 (the missing return)


def _skeleton(a_L, y, z_L, sigma_prime):
    delta_L = ...  # your code here
    return delta_L


@pytest.mark.parametrize("fn, expected", [
    (_yields, "uses `yield`, so calling it only makes a generator"),
    (_async, "is an `async def`"),
    (_returns_nothing, "returned None: is the `return` line missing?"),
    (_skeleton, "returned `...`: replace the `...` of the skeleton with your code"),
    (lambda a_L, y, z_L, sp: ((a_L - y) * sp(z_L)).tolist(), "returned a Python list of"),
    (lambda a_L, y, z_L, sp: (d for d in (a_L - y) * sp(z_L)), "returned a generator"),
    (lambda a_L, y, z_L, sp: map(float, ((a_L - y) * sp(z_L)).ravel()), "which computes nothing until it is looped over"),
    (lambda a_L, y, z_L, sp: {"delta": a_L}, "returned a dict where δ^"),
    (lambda a_L, y, z_L, sp: "delta", "returned a str"),
    (lambda a_L, y, z_L, sp: (a_L - y).astype(complex), "dtype complex128"),
])
def test_each_kind_of_bad_return_gets_its_message(fn, expected):
    verdict = ex.check_bp1(fn)
    assert not verdict.passed and expected in _text(verdict)
    if "returned" in expected and "dtype" not in expected:
        assert "It should return δ^L, an array of the shape of z^L; here: δ^" in verdict.text


def test_a_wrong_shape_is_named_with_the_shape_expected_and_why():
    verdict = ex.check_bp4(lambda delta, a_prev: (delta @ a_prev.T).ravel())
    text = _text(verdict)
    assert "wrong, and not by a mistake the grader knows" in verdict.headline
    assert "shape (" in text and "instead of (" in text
    verdict = ex.check_bp3(lambda delta: delta.sum(axis=1)[:, None] + delta.sum(axis=1))  # (n, n) by broadcasting
    assert "NumPy's silent broadcasting" in _text(verdict)


def test_nan_is_named_with_its_entry_and_bpkits_value():
    def bp1(a_L, y, z_L, sigma_prime):
        d = (a_L - y) * sigma_prime(z_L)
        d[0, 0] = np.nan
        return d
    text = _text(ex.check_bp1(bp1))
    assert "nan at δ^" in text and "_1" in text and "where bpkit computes" in text


def test_the_readers_own_error_is_shown_with_its_line_the_shapes_given_and_expected():
    def bp2(w_next, delta_next, z, sigma_prime):
        back = w_next @ delta_next.T  # a wrong transpose: raises on every network
        return back * sigma_prime(z)
    verdict = ex.check_bp2(bp2)
    text = _text(verdict)
    assert verdict.headline.startswith("raised ValueError")
    assert "back = w_next @ delta_next.T" in text and "line " in text
    assert "It was given: w_next = w^" in text and "of shape (" in text and "delta_next = δ^" in text
    assert "It should return δ^l, an array of the shape of z^l; here: δ^" in text


def test_an_error_raised_by_bpkit_inside_the_readers_loop_reads_in_the_books_notation():
    def accumulate(weights, biases, X, Y, backprop):  # X[:, i] is a 1-D row, not the column X[:, [i]]
        total = None
        for i in range(X.shape[1]):
            total = backprop(weights, biases, X[:, i], Y[:, i])
        return total
    text = _text(ex.check_accumulate(accumulate))
    assert "x (the input a^1" in text and "reshape(-1, 1)" in text


def test_an_unknown_mistake_is_located_layer_by_layer():
    def backprop(weights, biases, x, y, sigma, sigma_prime, cost_derivative):
        nabla_b, nabla_w = backprop_matrix(weights, biases, x, y, sigma, sigma_prime, cost_derivative)
        nabla_w[0] = nabla_w[0] * 1.01  # only the first layer's weights, a little off
        return nabla_b, nabla_w
    verdict = ex.check_backprop(backprop)
    text = _text(verdict)
    assert "not by a mistake the grader knows" in verdict.headline
    assert "∂C/∂w^2: ∂C/∂w^2_" in text and "where bpkit computes" in text
    assert "layer l = 2 is the first that is wrong (∂C/∂w^2)" in text


def test_a_function_right_for_one_activation_only_is_told_which():
    from bpkit.activations import sigmoid_prime

    def bp1(a_L, y, z_L, sigma_prime):
        return (a_L - y) * sigmoid_prime(z_L)  # the sigmoid's σ', whatever σ is
    text = _text(ex.check_bp1(bp1))
    assert "It is right on every network with σ = sigmoid, and wrong on every one with σ = tanh." in text


def test_prints_and_warnings_are_kept_off_the_page(capsys):
    def bp1(a_L, y, z_L, sigma_prime):
        print("shapes", a_L.shape, y.shape)
        np.exp(np.array([1000.0]))  # overflows: a RuntimeWarning
        return (a_L - y) * sigma_prime(z_L)
    verdict = ex.check_bp1(bp1)
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert verdict.passed
    assert any(n.startswith("it printed 20 lines in 20 calls") and "shapes (" in n for n in verdict.notes)
    assert any("NumPy warned in 20 of 20 calls: RuntimeWarning: overflow encountered in exp" in n for n in verdict.notes)


def test_writing_into_the_inputs_is_told_and_changes_nothing_of_the_callers():
    def bp1(a_L, y, z_L, sigma_prime):
        a_L -= y  # in place: a_L is now a^L − y
        return a_L * sigma_prime(z_L)
    verdict = ex.check_bp1(bp1)
    assert verdict.passed
    assert any("it wrote into its inputs: a_L (a^" in n for n in verdict.notes)


def _numpy_loop(a_L, y, z_L, sigma_prime):
    total = np.zeros_like(a_L)
    while True:
        total = total + np.tanh(a_L)


def _sleeps(a_L, y, z_L, sigma_prime):
    time.sleep(30)
    return (a_L - y) * sigma_prime(z_L)


@pytest.mark.parametrize("fn, line", [(_numpy_loop, "of _numpy_loop: `"), (_sleeps, "of _sleeps: `time.sleep(30)`")])
def test_the_time_limit_stops_a_numpy_loop_and_a_sleep_in_the_main_thread(fn, line):
    assert threading.current_thread() is threading.main_thread()
    start = time.perf_counter()
    verdict = ex.check_bp1(fn, time_limit=0.3)
    assert time.perf_counter() - start < 3
    text = _text(verdict)
    assert verdict.headline == "did not finish within 0.3 s." and line in text
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL  # the alarm handler was given back


def test_the_time_limit_stops_a_numpy_loop_in_another_thread():
    """No signal there (as on Windows): the exception raised in the thread stops the loop."""
    found = []
    worker = threading.Thread(target=lambda: found.append(ex.check_bp1(_numpy_loop, time_limit=0.3)))
    start = time.perf_counter()
    worker.start()
    worker.join(20)
    assert not worker.is_alive() and time.perf_counter() - start < 5
    assert found[0].headline == "did not finish within 0.3 s." and "of _numpy_loop: `" in found[0].text


def test_the_grader_can_be_interrupted_like_any_cell():
    def bp1(a_L, y, z_L, sigma_prime):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        ex.check_bp1(bp1)


def test_a_swallowing_bare_except_does_not_keep_the_grader_forever():
    def bp1(a_L, y, z_L, sigma_prime):
        while True:
            try:
                while True:
                    np.sum(a_L)
            except:  # noqa: E722 (the point of the test)
                pass
    start = time.perf_counter()
    verdict = ex.check_bp1(bp1, time_limit=0.2)
    assert time.perf_counter() - start < 5 and verdict.headline.startswith("did not finish")


@pytest.mark.parametrize("kwargs, message", [
    ({"networks": 0}, "networks must be a whole number >= 1"),
    ({"networks": 2.5}, "networks must be a whole number"),
    ({"time_limit": -1}, "time_limit must be a positive number"),
    ({"seed": "a"}, "seed must be a whole number"),
])
def test_the_graders_own_arguments_are_checked(kwargs, message):
    with pytest.raises(BpkitError, match=message):
        ex.check_bp1(bp1_matrix, **kwargs)


def test_a_verdict_shows_as_html_in_jupyter():
    html = ex.check_bp1(bp1_matrix)._repr_html_()
    assert html.startswith('<div class="bpkit-verdict bpkit-verdict-passed">') and "&#x2713;" in html
    assert "<script" not in html
