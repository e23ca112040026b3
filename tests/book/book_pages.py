"""Where the book's pages are: the repository, and the documents of _toc.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"


def toc_files() -> list[str]:
    """The documents of _toc.yml, root first, as paths without suffix (``book/intro``)."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        files += [entry["file"] for entry in part["chapters"]]
    return files


def notebook_pages() -> list[str]:
    """The pages that are notebooks (MyST Markdown with a kernelspec): all but the reference."""
    return [f for f in toc_files() if "kernelspec:" in (REPO / f"{f}.md").read_text()]
