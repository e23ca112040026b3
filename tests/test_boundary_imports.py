"""The modules of bpkit import one another in one direction, all at their top.

Read from the source with ``ast`` (nothing is imported): every ``import`` of a bpkit module
inside a function or method is reported, and the graph of the module-level imports must have
no cycle, so that bpkit.symbolic (notation → activations, costs → equations → hadamard → zero
→ latex → proof → network → assumptions → numeric) and bpkit can be read bottom up. Imports
under ``if TYPE_CHECKING:`` are for type checkers only and do not run: they are not edges.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "bpkit"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The bpkit modules an import statement names (a ``from . import a, b`` names a and b)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "bpkit"]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target.split(".")[0] != "bpkit":
        return []
    return [target] + [f"{target}.{a.name}" for a in node.names]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _scan(path: Path) -> tuple[set[str], list[str]]:
    """(bpkit modules imported at module level, descriptions of imports inside functions)."""
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: set[str] = set()
    hidden: list[str] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue  # typing only: never runs
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                names = _resolve(module, is_package, child)
                if names and in_function:
                    hidden.append(f"{module}:{child.lineno} imports {names[0]} inside a function")
                elif names:
                    top.update(names)
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return top, hidden


def _graph(root: Path) -> tuple[dict[str, set[str]], list[str]]:
    files = sorted(root.rglob("*.py"))
    modules = {_module_name(p) for p in files}
    graph: dict[str, set[str]] = {}
    hidden: list[str] = []
    for p in files:
        top, h = _scan(p)
        # "from . import a" names both the package and its submodule a: keep real modules only,
        # and never the package's own __init__ as a dependency of its submodules (importing a
        # submodule runs it first anyway; it is the submodules' order that the layout is about).
        name = _module_name(p)
        graph[name] = {t for t in top if t in modules and t != name and not name.startswith(t + ".")}
        hidden += h
    return graph, hidden


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(u: str) -> list[str] | None:
        state[u] = 1
        stack.append(u)
        for v in sorted(graph.get(u, ())):
            if state.get(v) == 1:
                return stack[stack.index(v):] + [v]
            if v not in state and (found := dfs(v)):
                return found
        stack.pop()
        state[u] = 2
        return None

    for u in sorted(graph):
        if u not in state and (found := dfs(u)):
            return found
    return None


@pytest.mark.parametrize("root", ["symbolic", "."])
def test_import_graph_is_acyclic(root):
    graph, _ = _graph(PACKAGE / root)
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_symbolic_imports_nothing_inside_functions():
    _, hidden = _graph(PACKAGE / "symbolic")
    assert hidden == []


def test_bpkit_imports_its_own_modules_at_the_top():
    """Outside the widgets (being rewritten elsewhere), no bpkit module imports another one
    inside a function."""
    _, hidden = _graph(PACKAGE)
    assert [h for h in hidden if not h.startswith("bpkit.widgets")] == []


def test_symbolic_layout_reads_bottom_up():
    """The order the package docstring gives is a topological order of the imports."""
    graph, _ = _graph(PACKAGE / "symbolic")
    order = ["notation", "activations", "costs", "equations", "hadamard", "zero", "latex", "proof",
             "network", "assumptions", "numeric"]
    rank = {f"bpkit.symbolic.{m}": i for i, m in enumerate(order)}
    for module, deps in graph.items():
        for dep in deps:
            if module in rank and dep in rank:
                assert rank[dep] < rank[module], f"{module} imports {dep}, which comes after it"


def test_the_checker_finds_a_cycle_and_a_hidden_import(tmp_path):
    """The test above can fail: a made-up package with both faults is caught."""
    pkg = tmp_path / "bpkit"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("from .a import thing\n\ndef f():\n    from . import a\n")
    global SRC
    old = SRC
    SRC = tmp_path
    try:
        graph, hidden = _graph(pkg)
    finally:
        SRC = old
    assert _cycle(graph) is not None
    assert hidden == ["bpkit.b:4 imports bpkit inside a function"]
