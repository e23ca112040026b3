"""Run the widgets' JavaScript modules in node, for parity tests: one node process, JSON in
(stdin), JSON out (stdout).

    from jsrun import run_js
    out = run_js('''
        const { cases } = input;
        return cases.map((c) => bpBackprop(c.net, c.x, c.y));
    ''', {"cases": [...]}, modules=["engine/equations.js"])

``modules`` lists modules under ``src/bpkit/widgets/js/``; every name they export is in scope
(as ``import { ... } from``), and ``input`` holds the payload. The script's return value is
written as JSON. node must be installed: without it the test FAILS, it is never skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import bpkit

JS = Path(bpkit.__file__).resolve().parent / "widgets" / "js"
ENGINE = sorted(p.relative_to(JS).as_posix() for p in (JS / "engine").glob("*.js"))
_EXPORT = re.compile(r"^export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)", re.M)


def node_path() -> str:
    node = shutil.which("node") or ("/usr/bin/node" if os.path.exists("/usr/bin/node") else None)
    if node is None:
        pytest.fail(
            "node is not installed: the parity tests of the in-page engine (the static book's maths) "
            "need node >= 18 on PATH (Debian: apt-get install nodejs). They are not skipped, so a "
            "machine without node cannot pass the test suite unnoticed."
        )
    return node


def imports(modules) -> str:
    """``import { every export } from "file:///.../module";`` for each module."""
    lines = []
    for m in modules:
        path = JS / m
        names = _EXPORT.findall(path.read_text(encoding="utf-8"))
        lines.append(f"import {{ {', '.join(names)} }} from {json.dumps(path.as_uri())};")
    return "\n".join(lines)


def run_js(body: str, payload=None, modules=ENGINE, timeout: float = 300) -> object:
    """Run ``body`` (a function body that may use ``input`` and returns a JSON-able value) with
    the exports of ``modules`` in scope; return what it returned."""
    script = (imports(modules) + '\nimport { readFileSync } from "node:fs";\n'
              "const input = JSON.parse(readFileSync(0, 'utf8'));\n"
              f"const __out = (() => {{\n{body}\n}})();\n"
              "process.stdout.write(JSON.stringify(__out));\n")
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "run.mjs"
        file.write_text(script, encoding="utf-8")
        done = subprocess.run([node_path(), str(file)], input=json.dumps(payload, allow_nan=False),
                              capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"node failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout)
