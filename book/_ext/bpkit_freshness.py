"""Incremental builds of the book that are never stale.

The book executes every page it reads (``execute_notebooks: force``), and Sphinx keeps what it
read between builds (``_build/.doctrees``): a second ``make book``, or ``make pdf`` after
``make book``, reads again only the pages whose source changed, and reuses the others as they
were executed. But a page's outputs depend on more than its source: on bpkit, which it imports
and runs, on the installed packages, and on the book's own extensions and table of contents.
Sphinx sees none of these.

This extension fingerprints them (:func:`fingerprint`: the files of the bpkit package the
build imports, ``book/_ext``, ``_toc.yml``, ``references.bib``, and the name and version of
every installed distribution) and, when the fingerprint differs from the one the last build
recorded, has Sphinx read, hence execute, every page again. So an output in the book is always
that of the current pages run on the current bpkit, and an unchanged book builds in seconds.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from pathlib import Path
from typing import Any, Iterable

_ATTR = "bpkit_fingerprint"


def _files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"})


def fingerprint(srcdir: Path, package_dir: Path | None = None) -> str:
    """A hash of everything besides a page's own source that its executed outputs depend on:
    the bpkit package (``package_dir``, by default the one this Python imports), the book's
    extensions and table of contents and bibliography under ``srcdir``, and the installed
    distributions' names and versions."""
    if package_dir is None:
        spec = importlib.util.find_spec("bpkit")
        package_dir = Path(next(iter(spec.submodule_search_locations))) if spec else None
    h = hashlib.sha256()
    roots = [("bpkit", package_dir), ("_ext", srcdir / "book" / "_ext")]
    for label, root in roots:
        if root is None or not root.is_dir():
            h.update(f"{label}: missing\n".encode())
            continue
        for path in _files(root):
            h.update(f"{label}/{path.relative_to(root).as_posix()}\n".encode())
            h.update(path.read_bytes())
    for name in ("_toc.yml", "references.bib"):
        path = srcdir / name
        h.update(name.encode() + (path.read_bytes() if path.is_file() else b"missing"))
    versions = sorted({f"{d.metadata['Name']}=={d.version}".lower() for d in importlib.metadata.distributions()
                       if d.metadata["Name"]})
    h.update("\n".join(versions).encode())
    return h.hexdigest()


def _outdated(app, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: every page, when the fingerprint moved since the last build."""
    current = fingerprint(Path(app.srcdir))
    previous = getattr(env, _ATTR, None)
    setattr(env, _ATTR, current)
    if previous == current:
        return []  # unchanged: Sphinx reads again only the pages whose source changed
    return sorted(set(env.found_docs) - set(added))  # (on a first build every page is added)


def setup(app) -> dict[str, Any]:
    app.connect("env-get-outdated", _outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
