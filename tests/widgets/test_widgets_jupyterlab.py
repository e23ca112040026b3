"""Live in JupyterLab: the same module as the book's, against the real widget model, both ways.

Starts JupyterLab on 127.0.0.1 (a throwaway config, home and root folder), opens a notebook in
headless Chromium with every outside request blocked, runs its cells, and checks that the
widget is the live anywidget view (not the static copy), that clicks and keys in the page
reach Python and that Python's changes reach the page.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers.browser import open_page, screenshot

pytest.importorskip("jupyterlab")
pytestmark = [pytest.mark.browser, pytest.mark.slow]

CELLS = [
    "import numpy as np, bpkit\nfrom bpkit.widgets import PassStepper, NotationExplorer\n"
    "net = bpkit.Network([2, 3, 2], seed=1)\n"
    "s = PassStepper(net, np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]]))\ns",
    'print("STEP", s.step)',
    "s.step = 7",
    "e = NotationExplorer(net)\ne",
    'print("SEL", e.selected)',
    "s.x = np.array([[3.0], [3.0]])",
]
TOKEN = "bpkit-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in CELLS], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), root / "live.ipynb")
    port = free_port()
    env = {**os.environ, "HOME": str(root / "home"), "JUPYTER_CONFIG_DIR": str(root / "config"),
           "JUPYTER_RUNTIME_DIR": str(root / "runtime")}
    cmd = [str(Path(sys.executable).with_name("jupyter-lab")), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(root / "lab.log", "w")
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}api/status?token={TOKEN}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, (root / "lab.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "JupyterLab did not start in 90 s"
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_live_widget_in_jupyterlab(lab):
    with open_page(lab, f"lab/tree/live.ipynb?token={TOKEN}", width=1300, height=1500) as (page, report):
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        # the kernel is up and connected
        page.wait_for_function("() => /Idle/.test(document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar')?.innerText || '')",
                               timeout=90_000)
        cells = page.locator(".jp-Notebook .jp-Cell")

        def run(i: int) -> None:
            cells.nth(i).locator(".jp-InputPrompt").click()
            page.keyboard.press("Escape")
            page.keyboard.press("Shift+Enter")

        def printed(i: int, start: str) -> str:
            area = cells.nth(i).locator(".jp-OutputArea")
            page.wait_for_function("([el, s]) => el.innerText.includes(s)", arg=[area.element_handle(), start], timeout=60_000)
            return area.inner_text().strip()

        run(0)
        w = cells.nth(0).locator(".bpkit-w")
        w.wait_for(timeout=90_000)
        assert cells.nth(0).locator(".bpkit-static").count() == 0      # the live view, not the copy
        status = w.locator(".bpkit-status")
        assert status.inner_text() == "Step 1 of 12"
        # the page moves the step; Python sees it
        w.get_by_role("button", name="Next step").click()
        w.get_by_role("button", name="Next step").click()
        assert status.inner_text() == "Step 3 of 12"
        run(1)
        assert printed(1, "STEP") == "STEP 2"
        # Python moves the step; the page follows
        run(2)
        page.wait_for_function("el => el.textContent === 'Step 8 of 12'", arg=status.element_handle(), timeout=30_000)
        # arrow keys reach the figure, not JupyterLab's shortcuts
        w.locator(".bpkit-title").click()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("el => el.textContent === 'Step 10 of 12'", arg=status.element_handle(), timeout=10_000)
        assert w.locator(".bpkit-eq math").evaluate("m => m instanceof MathMLElement")
        screenshot(page, "live-jupyterlab-pass-stepper", element=cells.nth(0))
        # the explorer: focusing a neuron selects its bias in Python
        run(3)
        explorer = cells.nth(3).locator(".bpkit-notation")
        explorer.wait_for(timeout=60_000)
        explorer.locator('[data-sel="b,2,2"]').focus()
        assert explorer.locator(".bpkit-sentence").inner_text() == "the bias of neuron 2 in layer 2"
        run(4)
        assert printed(4, "SEL") == "SEL ['b', 2, 2]"
        # a new input from Python re-traces and re-draws, at the same step
        before = w.locator(".bpkit-values").inner_text()
        run(5)
        page.wait_for_function("([el, old]) => el.innerText !== old", arg=[w.locator(".bpkit-values").element_handle(), before],
                               timeout=30_000)
        assert status.inner_text() == "Step 10 of 12"
        screenshot(page, "live-jupyterlab-notebook")
    report.assert_clean()
