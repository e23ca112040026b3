"""The widgets' JavaScript, from the ES modules in ``js/`` to what a page runs.

The sources are plain ES modules (``js/engine``: the maths, no DOM; ``js/page``: the pieces
every widget shares; ``js/widgets``: one module per widget), which node imports as they are
(the parity tests do). A page cannot import them: anywidget wants ONE module string, and the
static book has no server that resolves imports (and a book opened from disk may not load
files). So each module is wrapped in a function scope, its ``import { a, b } from "./x.js"``
becomes ``const { a, b } = <x's exports>``, and its ``export`` keywords become a returned
object. Two forms:

* :func:`esm` — one widget's ES module for anywidget's ``_esm``: its modules in dependency
  order inside one module scope, ending with ``export default``. Nothing global.
* :func:`static_parts` — the same modules as separate ``<script type="module">`` parts of
  the static HTML copy, each registered once in a page-wide table
  (``globalThis.__bpkit[VERSION][path]``, ``??=``, so a second copy of a part does nothing).
  The book's ``bpkit_widgets`` extension then keeps the FIRST copy of each part on a page
  and drops the rest: one copy of the engine, the page pieces and the CSS per page, however
  many widgets; without the extension (any other HTML) every copy still works.

Only the module syntax the sources use is accepted (named imports from relative paths,
``export function|const|let|class``, ``export default``); anything else raises, naming the
file. See ``js/README.md``.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

JS = Path(__file__).resolve().parent / "js"
CSS = "widgets.css"

_IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"(\.{1,2}/[^"]+)";[ \t]*$', re.M)
_ANY_IMPORT = re.compile(r"^\s*import\b", re.M)
_EXPORT_DECL = re.compile(r"^export\s+(?:async\s+)?(function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)", re.M)
_EXPORT_DEFAULT = re.compile(r"^export\s+default\s+", re.M)
_OTHER_EXPORT = re.compile(r"^export\b(?!\s+(?:async\s+)?(?:function|const|let|class|default)\b)", re.M)


@dataclass(frozen=True)
class Module:
    """One source module: its path under ``js/``, the modules it imports (with the names),
    the names it exports, and its body with the module syntax taken out."""

    path: str
    imports: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    exports: tuple[str, ...]
    has_default: bool
    body: str


def _read(path: str) -> str:
    file = JS / path
    if not file.is_file():
        raise FileNotFoundError(f"widget module js/{path} does not exist")
    return file.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def parse(path: str) -> Module:
    """Read ``js/<path>`` and take its module syntax apart (checked: see the module docstring)."""
    source = _read(path)
    for bad in ("</script", "<!--"):
        if bad in source.lower():
            raise RuntimeError(f"js/{path}: a widget module may not contain {bad!r} (it is inlined in HTML)")
    imports = []
    for names, rel in _IMPORT.findall(source):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), rel))
        pairs = []
        for item in (n.strip() for n in names.split(",")):
            if not item:
                continue
            parts = item.split()
            if len(parts) == 1:
                pairs.append((parts[0], parts[0]))
            elif len(parts) == 3 and parts[1] == "as":
                pairs.append((parts[0], parts[2]))
            else:
                raise SyntaxError(f"js/{path}: cannot read the import {item!r}")
        imports.append((target, tuple(pairs)))
    body = _IMPORT.sub("", source)
    if _ANY_IMPORT.search(body):
        raise SyntaxError(f"js/{path}: only `import {{ a, b }} from \"./x.js\";` on one line is supported")
    if _OTHER_EXPORT.search(body):
        raise SyntaxError(f"js/{path}: only `export function|const|let|class NAME` and `export default` are supported")
    exports = tuple(name for _, name in _EXPORT_DECL.findall(body))
    body = re.sub(r"^export\s+(?=(?:async\s+)?(?:function|const|let|class)\b)", "", body, flags=re.M)
    has_default = bool(_EXPORT_DEFAULT.search(body))
    body = _EXPORT_DEFAULT.sub("const __default = ", body)
    return Module(path, tuple(imports), exports, has_default, body)


def order(entry: str) -> list[Module]:
    """``entry`` and every module it imports, each after the modules it imports (a cycle raises)."""
    done: dict[str, Module] = {}
    visiting: list[str] = []

    def visit(path: str) -> None:
        if path in done:
            return
        if path in visiting:
            raise ImportError(f"widget modules import each other in a cycle: {' -> '.join(visiting + [path])}")
        visiting.append(path)
        mod = parse(path)
        for target, names in mod.imports:
            exported = parse(target).exports
            missing = [n for n, _ in names if n not in exported]
            if missing:
                raise ImportError(f"js/{path} imports {', '.join(missing)} from js/{target}, which does not export it")
            visit(target)
        visiting.pop()
        done[path] = mod

    visit(entry)
    return list(done.values())


def _scoped(mod: Module, table: str) -> str:
    """The module as an expression: a function scope that returns its exports."""
    lines = [f'const {{ {", ".join(n if n == a else f"{n}: {a}" for n, a in names)} }} = {table}["{target}"];'
             for target, names in mod.imports]
    exports = list(mod.exports) + (["default: __default"] if mod.has_default else [])
    return (f"(() => {{ // js/{mod.path}\n" + "\n".join(lines) + "\n" + mod.body.strip("\n")
            + f"\nreturn {{ {', '.join(exports)} }};\n}})()")


@functools.lru_cache(maxsize=None)
def esm(entry: str) -> str:
    """The ES module anywidget loads for the widget module ``entry`` (e.g. "widgets/selfcheck.js")."""
    mods = order(entry)
    if not mods[-1].has_default:
        raise SyntaxError(f"js/{entry} must `export default {{ render }}`")
    out = [f"// bpkit widgets: js/{entry} and the modules it imports, bundled by bpkit/widgets/_bundle.py",
           "const __bp = {};"]
    out += [f'__bp["{m.path}"] = {_scoped(m, "__bp")};' for m in mods]
    out.append(f'export default __bp["{entry}"].default;')
    return "\n".join(out) + "\n"


@functools.lru_cache(maxsize=None)
def version() -> str:
    """A short hash of every source module and the stylesheet: two bpkit versions on one page
    keep their own tables."""
    digest = hashlib.sha256()
    for file in sorted(JS.rglob("*")):
        if file.suffix in (".js", ".css"):
            digest.update(file.relative_to(JS).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:12]


def stylesheet() -> str:
    return _read(CSS)


@functools.lru_cache(maxsize=None)
def static_parts(entry: str) -> tuple[tuple[str, str], ...]:
    """The static copy's scripts for the widget module ``entry``: one ``(path, script)`` per
    module, in dependency order. Each registers its module once in the page's table; the
    widget's own part then draws every static copy of that widget not drawn yet
    (``bpBoot`` of js/page/model.js)."""
    v = version()
    table = f'((globalThis.__bpkit ??= {{}})["{v}"] ??= {{}})'
    parts = []
    for m in order(entry):
        script = f'{{ const __bp = {table};\n__bp["{m.path}"] ??= {_scoped(m, "__bp")}; }}'
        parts.append((m.path, script))
    boot = f'\n{{ const __bp = {table}; __bp["page/model.js"].bpBoot(__bp); }}'
    if "page/model.js" not in {p for p, _ in parts}:
        parts.insert(0, ("page/model.js", f'{{ const __bp = {table};\n__bp["page/model.js"] ??= {_scoped(parse("page/model.js"), "__bp")}; }}'))
    path, script = parts[-1]
    parts[-1] = (path, script + boot)
    return tuple(parts)
