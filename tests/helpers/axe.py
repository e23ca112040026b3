"""axe-core in a browser test: WCAG 2 A/AA violations inside one element of a page.

axe-core is third-party code and is not committed: ``npm install --no-save axe-core`` at the
repository root puts it in node_modules/ (ignored by git), or set $BPKIT_AXE_CORE to an
axe.min.js. Typical use, in a Playwright page opened with :func:`helpers.browser.open_page`::

    assert axe_violations(page, ".bpkit-selfcheck") == []
"""

from __future__ import annotations

import os
from pathlib import Path

from .browser import REPO


def axe_path() -> Path:
    """axe-core's script: $BPKIT_AXE_CORE, else node_modules/axe-core of the repository."""
    path = Path(os.environ.get("BPKIT_AXE_CORE", REPO / "node_modules" / "axe-core" / "axe.min.js"))
    assert path.is_file(), f"axe-core not found at {path}: run `npm install --no-save axe-core` at the repository root"
    return path


def axe_violations(page, selector: str) -> list[str]:
    """Every WCAG 2 A/AA violation axe-core finds inside each element matching ``selector``
    (axe is added to the page once): ``"rule: target failure summary"`` strings."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path()))
    return page.evaluate("""async (selector) => {
        const out = [];
        for (const el of document.querySelectorAll(selector)) {
            const r = await axe.run(el, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
            out.push(...r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary).join(' | ')));
        }
        return out;
    }""", selector)
