"""bpkit.autodiff's scalar engine: each operation's value and local derivatives, the backward
pass (reverse topological order, += along every edge, zeroing), and every bad input of issue 19
refused with a bpkit error."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bpkit
from bpkit.autodiff import Value, backward, graph_size, network_graph, path_count, sum_over_paths, topological_order
from bpkit.autodiff.dual import Dual, forward_mode_gradient
from bpkit.errors import BpkitError, BpkitTypeError, BpkitValueError, DomainError, LayerIndexError, ShapeError, SizeError

UNARY = {
    "exp": (lambda u: u.exp(), math.exp, 0.7),
    "log": (lambda u: u.log(), math.log, 0.7),
    "sigmoid": (lambda u: u.sigmoid(), lambda t: 1 / (1 + math.exp(-t)), -0.4),
    "tanh": (lambda u: u.tanh(), math.tanh, 0.3),
    "relu+": (lambda u: u.relu(), lambda t: max(t, 0.0), 0.8),
    "relu-": (lambda u: u.relu(), lambda t: max(t, 0.0), -0.8),
    "identity": (lambda u: u.identity(), lambda t: t, 1.3),
    "neg": (lambda u: -u, lambda t: -t, 1.3),
    "square": (lambda u: u ** 2, lambda t: t * t, -1.5),
    "cube": (lambda u: u ** 3, lambda t: t ** 3, -1.5),
    "sqrt": (lambda u: u ** 0.5, math.sqrt, 2.0),
    "reciprocal": (lambda u: u ** -1, lambda t: 1 / t, -2.0),
    "constant on the left": (lambda u: 2 - u / 3 + 4 * u, lambda t: 2 - t / 3 + 4 * t, 0.6),
    "number divided by u": (lambda u: 3 / u, lambda t: 3 / t, 0.6),
}
BINARY = {
    "+": (lambda u, v: u + v, lambda s, t: s + t),
    "−": (lambda u, v: u - v, lambda s, t: s - t),
    "×": (lambda u, v: u * v, lambda s, t: s * t),
    "÷": (lambda u, v: u / v, lambda s, t: s / t),
    "Σ": (lambda u, v: type(u).sum([u, v, u]), lambda s, t: s + t + s),
}


def central(f, t: float, eps: float = 1e-6) -> float:
    return (f(t + eps) - f(t - eps)) / (2 * eps)


@pytest.mark.parametrize("name", UNARY)
def test_each_operation_has_its_value_and_the_derivative_beside_it(name):
    op, f, t = UNARY[name]
    u = Value(t, "u")
    out = op(u)
    assert out.data == pytest.approx(f(t), rel=1e-15, abs=1e-300)
    out.backward()
    assert u.grad == pytest.approx(central(f, t), rel=1e-8, abs=1e-10)


@pytest.mark.parametrize("name", BINARY)
def test_binary_operations_give_each_operand_its_local_derivative(name):
    op, f = BINARY[name]
    u, v = Value(1.7, "u"), Value(-0.6, "v")
    out = op(u, v)
    assert out.data == pytest.approx(f(1.7, -0.6), rel=1e-15)
    out.backward()
    assert u.grad == pytest.approx(central(lambda s: f(s, -0.6), 1.7), rel=1e-8)
    assert v.grad == pytest.approx(central(lambda t: f(1.7, t), -0.6), rel=1e-8)


def test_dual_numbers_carry_the_same_derivatives_forwards():
    for name, (op, f, t) in UNARY.items():
        assert op(Dual(t, tangent=1.0)).tangent == pytest.approx(central(f, t), rel=1e-8, abs=1e-10), name
    for name, (op, f) in BINARY.items():
        assert op(Dual(1.7, tangent=1.0), Dual(-0.6)).tangent == pytest.approx(
            central(lambda s: f(s, -0.6), 1.7), rel=1e-8), name


def test_a_node_used_twice_gets_the_sum_over_its_edges():
    x = Value(3.0, "x")
    f = x * x  # two edges from x: ∂f/∂x = x + x
    f.backward()
    assert x.grad == 6.0
    a, b = Value(2.0, "a"), Value(-4.0, "b")
    g = (a * b + a).tanh() * a  # a is used three times
    g.backward()
    h = lambda s: math.tanh(s * -4.0 + s) * s  # noqa: E731
    assert a.grad == pytest.approx(central(h, 2.0), rel=1e-8)


def test_the_order_lists_every_node_after_its_parents_and_needs_no_recursion():
    x = Value(0.5, "x")
    v = x
    for _ in range(20_000):  # far deeper than Python's recursion limit
        v = v * 1.0 + 0.0
    order = topological_order(v)
    position = {node: i for i, node in enumerate(order)}
    assert all(position[p] < position[node] for node in order for p, _ in node.parents)
    assert order[-1] is v
    v.backward()
    assert x.grad == 1.0


def test_backward_twice_without_zeroing_is_refused_and_accumulate_adds_on_purpose():
    w, a = Value(0.5, "w"), Value(2.0, "a")
    z = w * a + 1.0
    C = z.sigmoid()
    C.backward()
    once_w, once_z = w.grad, z.grad
    with pytest.raises(BpkitValueError, match="zero_grad"):
        C.backward()
    assert w.grad == once_w  # refused before anything changed
    C.backward(accumulate=True)  # PyTorch's default: the inputs add up
    assert w.grad == 2 * once_w and a.grad == pytest.approx(2 * w.data * once_z)
    assert z.grad == once_z  # an inner node holds this pass's gradient only
    C.zero_grad()
    assert all(v.grad == 0 for v in topological_order(C))
    C.backward()
    assert w.grad == once_w


def test_a_cycle_is_refused_with_the_nodes_it_runs_through():
    a = Value(1.0, "a")
    b = a * 2.0
    b.name = "b"
    a.parents = ((b, 1.0),)  # only by hand: no operation can make one
    with pytest.raises(BpkitValueError, match="cycle.*b.*a"):
        b.backward()


@pytest.mark.parametrize("make", [
    lambda: Value(1.0) + "a", lambda: "a" + Value(1.0), lambda: Value(1.0) * None,
    lambda: Value(1.0) + np.array([1.0, 2.0]), lambda: np.array([1.0, 2.0]) + Value(1.0),
    lambda: np.ones((2, 1)) * Value(1.0), lambda: Value(1.0) - [1.0], lambda: Value(1.0) / True,
    lambda: Value(1.0) + 1j, lambda: Value(np.ones(2)), lambda: Value("1"), lambda: Value(None),
    lambda: Value(True), lambda: Value(1.0) ** Value(2.0), lambda: Value(2.0) ** "2",
    lambda: Value.sum("ab"), lambda: Value.sum(Value(1.0)), lambda: Value.sum([Value(1.0), "x"]),
    lambda: backward([Value(1.0), Value(2.0)]), lambda: backward(np.array([1.0, 2.0])),
    lambda: backward((Value(1.0),)), lambda: Dual(1.0) + "a",
])
def test_mixed_types_and_non_scalars_are_refused(make):
    with pytest.raises(BpkitTypeError):
        make()


@pytest.mark.parametrize("make, words", [
    (lambda: Value(float("nan")), "finite"), (lambda: Value(float("inf"), "w"), "finite"),
    (lambda: Value(np.float64("-inf")), "finite"),
    (lambda: Value(1000.0, "z").exp(), "exp\\(z\\) overflows"), (lambda: Value(0.0, "a").log(), "log\\(a\\) needs a > 0"),
    (lambda: Value(-1.0).log(), "log"), (lambda: Value(1.0) / Value(0.0, "v"), "division by zero"),
    (lambda: 1 / Value(0.0), "division by zero"), (lambda: Value(0.0) ** -1, "not a real number"),
    (lambda: Value(-1.0) ** 0.5, "not a real number"), (lambda: Value(1e200) * Value(1e200), "not a finite"),
    (lambda: Value(1e200) ** 2, "overflows"), (lambda: Value.sum([]), "nothing"),
])
def test_nan_inf_and_leaving_the_domain_are_refused(make, words):
    with pytest.raises(BpkitValueError, match=words):
        make()


def test_a_gradient_that_overflows_is_refused_not_returned():
    x = Value(1e-300, "x")
    C = (x * 1e300) * 1e300  # finite values, ∂C/∂x = 1e600
    with pytest.raises(DomainError, match="∂.*x.*overflowed"):
        C.backward()


def test_network_graph_refuses_what_is_not_a_network_pass():
    net = bpkit.Network([2, 3, 1], seed=0)
    x, y = np.ones((2, 1)), np.ones((1, 1))
    with pytest.raises(BpkitTypeError):
        network_graph("net", x, y)
    with pytest.raises(ShapeError):
        network_graph(net, np.ones((3, 1)), y)
    with pytest.raises(ShapeError):
        network_graph(net, np.ones(2), y)
    with pytest.raises(DomainError):
        network_graph(net, np.array([[np.nan], [1.0]]), y)
    g = network_graph(net, x, y)
    with pytest.raises(LayerIndexError):
        g.delta(1)
    with pytest.raises(KeyError):
        g.node("z^9_9")
    for f in (forward_mode_gradient, sum_over_paths):
        with pytest.raises(BpkitTypeError):
            f(None, x, y)


def test_a_network_too_large_for_a_scalar_graph_is_refused_naming_its_size_and_the_limit():
    net = bpkit.Network([784, 30, 10], seed=0)
    x, y = np.zeros((784, 4)), np.zeros((10, 4))
    n = graph_size(net.sizes, 4)
    with pytest.raises(SizeError, match=f"{n:,} nodes.*100,000"):
        network_graph(net, x, y)
    with pytest.raises(SizeError):
        forward_mode_gradient(net, x, y)
    assert len(network_graph(net, x[:, :1], y[:, :1]).nodes) == graph_size(net.sizes, 1)
    with pytest.raises(SizeError, match="path products"):
        sum_over_paths(bpkit.Network([3, 40, 40, 40, 2], seed=0), np.ones((3, 1)), np.ones((2, 1)))
    assert all(issubclass(e, BpkitError) for e in (SizeError, DomainError, BpkitTypeError))


@pytest.mark.parametrize("output, cost", [("sigmoid", "quadratic"), ("softmax", "quadratic"),
                                          ("sigmoid", "cross_entropy"), ("softmax", "log_likelihood"),
                                          ("identity", "quadratic")])
@pytest.mark.parametrize("m", [1, 2])
def test_graph_size_counts_the_nodes_built_and_every_name_is_the_books(output, cost, m):
    net = bpkit.Network([3, 2, 2], output_activation=output, cost=cost, seed=1)
    rng = np.random.default_rng(0)
    y = np.eye(2)[:, :m] if cost == "log_likelihood" else rng.uniform(size=(2, m))
    g = network_graph(net, rng.normal(size=(3, m)), y)
    assert len(g.nodes) == graph_size(net.sizes, m, output, cost)
    names = [v.name for v in g.nodes if v.name]
    tag = "" if m == 1 else "(x1)"
    for name in ("w^2_13", "w^3_21", "b^2_2", f"z^2_1{tag}", f"a^3_2{tag}", f"a^1_3{tag}", "C"):
        assert name in names, name
    assert len(set(names)) == len(names)
    assert g.nodes[-1] is g.cost


def test_path_count_is_the_product_of_the_later_layers():
    # [2, 3, 3, 2]: from each z^2_j, b^2_j and w^2_jk 3·2 paths; from layer 3, 2; from layer 4, 1
    assert path_count([2, 3, 3, 2]) == 3 * (2 + 2) * 6 + 3 * (2 + 3) * 2 + 2 * (2 + 3) * 1
    assert path_count([2, 3, 3, 2], m=2, softmax=True) == 2 * (3 * 4 * 12 + 3 * 5 * 4 + 2 * 5 * 2)


@pytest.mark.parametrize("name", ["__mul__", "sigmoid", "backward"])
def test_the_code_chapter_9_prints_fits_the_page_as_written(name):
    """The chapter prints these with bpkit.book.source, and the PyTorch script as it is: they
    need no folding (folding could split a string literal), so every line is at most 79
    characters."""
    import inspect

    from bpkit.autodiff import pytorch

    for what, text in ((name, inspect.getsource(getattr(Value, name))), ("mazur_torch.py", pytorch.script())):
        assert max(len(line) for line in text.splitlines()) <= 79, what


@pytest.mark.parametrize("output, cost", [("sigmoid", "quadratic"), ("softmax", "log_likelihood"),
                                          ("sigmoid", "cross_entropy")])
def test_the_recorded_steps_are_backward_to_the_last_bit(output, cost):
    from bpkit.autodiff.record import backward_steps, graph_data

    rng = np.random.default_rng(5)
    net = bpkit.Network([3, 2, 2], activation="tanh", output_activation=output, cost=cost, seed=2)
    y = np.eye(2)[:, [0, 1]] if cost == "log_likelihood" else rng.uniform(size=(2, 2))
    g = network_graph(net, rng.normal(size=(3, 2)), y)
    g.backward()
    steps = backward_steps(g.nodes)
    assert [s["node"] for s in steps] == list(range(len(g.nodes)))[::-1]
    assert all(s["grad"] == g.nodes[s["node"]].grad for s in steps)  # complete when reached
    final = {}
    for s in steps:
        for send in s["sends"]:
            final[send["to"]] = send["sum"]
    assert all(final.get(i, g.nodes[i].grad) == v.grad for i, v in enumerate(g.nodes))
    data = graph_data(g)
    for group in data["groups"]:
        l = group["layer"]
        values = np.array([[g.nodes[n].grad for n in row]
                           for row in group["nodes"]])
        expected = {"delta": g.delta(l), "dC/db": g.nabla()[0][l - 2], "dC/dw": g.nabla()[1][l - 2]}
        assert np.array_equal(values, expected[group["name"].split("^")[0]])
    import json
    json.dumps(data)  # plain data


def test_any_operand_gives_a_finite_value_or_a_bpkit_error():
    """Fuzzed: whatever the operands (huge, tiny, negative, zero, NaN, inf, strings, arrays,
    lists, None, bools, complex), every operation returns a finite Value whose backward pass
    gives finite gradients, or raises a BpkitError; never another exception, never a NaN."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    numbers = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**400, 10**400)
    junk = st.sampled_from(["1", None, [1.0], np.ones(2), np.float64(2.0), np.int64(3), True, 1j, object()])
    operand = numbers | junk
    ops = st.sampled_from([
        lambda u, v: u + v, lambda u, v: v - u, lambda u, v: u * v, lambda u, v: u / v, lambda u, v: v / u,
        lambda u, v: u ** v, lambda u, v: Value.sum([u, v]), lambda u, v: (u * v).exp(),
        lambda u, v: (u + v).log(), lambda u, v: (u - v).sigmoid(), lambda u, v: (u * v).tanh(),
        lambda u, v: (u + v).relu(), lambda u, v: Value(v),
    ])

    @settings(max_examples=400, deadline=None)
    @given(operand, operand, ops)
    def run(a, b, op):
        try:
            u = Value(a, "u")
            out = op(u, b)
            out.backward()
        except BpkitError:
            return
        assert math.isfinite(out.data) and math.isfinite(u.grad)

    run()
