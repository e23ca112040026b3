"""Browser tests with no network: serve a folder on 127.0.0.1 and drive headless Chromium.

Shared by every browser test of the project (the widgets', the book's). Typical use::

    from helpers.browser import serve, open_page, screenshot

    @pytest.mark.browser
    def test_page_works(built_book):
        with serve(built_book) as base, open_page(base, "index.html") as (page, report):
            page.get_by_role("button", name="Next step").first.click()
            screenshot(page, "index-after-next")
        report.assert_clean()          # no console error, page error, failed or blocked request

* :func:`serve` serves a folder over HTTP on 127.0.0.1, on a free port, in a thread.
* :func:`open_page` opens a fresh context (a fresh profile) of the session's one headless
  Chromium (see :func:`chromium_executable`, launched with the project's flags on first use),
  **aborts every request whose host is not 127.0.0.1 or localhost** (with
  ``page.route``; they are recorded in ``report.blocked``), collects console errors, uncaught
  page errors and failed requests in a :class:`PageReport`, opens ``base_url/path`` and yields
  ``(page, report)``.
* :func:`screenshot` saves ``test-artifacts/screenshots/NAME.png`` at the repository root.

``tests/`` must be on ``sys.path`` to import ``helpers`` (each test folder's ``conftest.py``
can insert it, as ``tests/widgets/conftest.py`` does; ``pythonpath = ["tests"]`` in the pytest
configuration does it for all).

Which browser: ``tools/ensure-browser.sh`` (run by ``make test``) writes ``.venv/chromium-path``:
a path to Debian's chromium, or the word ``playwright`` for Playwright's own browser. Without
that file, ``/usr/bin/chromium``. Never run ``playwright install`` from a test.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# The one known harmless error: sphinx-thebe's script declares THEBE_JS_URL twice on every page
# of a Jupyter Book 1 build (measured; see /work/shared/notes/jupyter-book-widgets.md). Chromium
# reports it as an uncaught page error (a SyntaxError of the second script), some versions also
# on the console. It is the only message ever filtered out (into report.ignored); everything
# else fails report.assert_clean().
HARMLESS_ERRORS = (re.compile(r"Identifier 'THEBE_JS_URL' has already been declared"),)


def chromium_executable() -> str | None:
    """The Chromium to drive: the path in ``.venv/chromium-path`` (written by
    ``tools/ensure-browser.sh``), else ``/usr/bin/chromium``; ``None`` means Playwright's own
    bundled browser (the file says ``playwright``)."""
    marker = REPO / ".venv" / "chromium-path"
    if marker.is_file():
        choice = marker.read_text().strip()
        if choice == "playwright":
            return None
        if choice:
            return choice
    return "/usr/bin/chromium"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@contextlib.contextmanager
def serve(folder: str | Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) in a thread; yield the base URL
    (``http://127.0.0.1:PORT/``). The server stops when the block ends."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"nothing to serve: {folder} is not a folder")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class PageReport:
    """What went wrong while a page was open (each a list of strings)."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # the known harmless errors, see HARMLESS_ERRORS

    def problems(self, allow_blocked: bool = False) -> list[str]:
        out = [f"console error: {m}" for m in self.console_errors]
        out += [f"page error: {m}" for m in self.page_errors]
        out += [f"failed request: {m}" for m in self.failed_requests]
        if not allow_blocked:
            out += [f"blocked non-local request: {u}" for u in self.blocked]
        return out

    def assert_clean(self, allow_blocked: bool = False) -> None:
        """Fail unless the page had no console error, page error, failed request and (unless
        ``allow_blocked``) made no request to another host."""
        problems = self.problems(allow_blocked)
        assert not problems, "the page was not clean:\n  " + "\n  ".join(problems)


def _harmless(message: str) -> bool:
    return any(p.search(message) for p in HARMLESS_ERRORS)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


class _SharedBrowser:
    """One headless Chromium for the whole test session, launched on first use.

    Launching Chromium costs about a second (more on a busy machine); a browser *context* costs
    a few milliseconds and is as isolated as a fresh profile (its own cookies, storage, cache).
    So every :func:`open_page` gets a new context of this one browser. :func:`close_browser`
    (called by tests/conftest.py when the session ends) shuts it down.
    """

    def __init__(self) -> None:
        self._pw = None
        self._browser = None

    def get(self):
        if self._browser is None or not self._browser.is_connected():
            from playwright.sync_api import sync_playwright

            if self._pw is None:
                self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(executable_path=chromium_executable(),
                                                      args=CHROMIUM_ARGS, headless=True)
        return self._browser

    def close(self) -> None:
        if self._browser is not None:
            with contextlib.suppress(Exception):
                self._browser.close()
        if self._pw is not None:
            with contextlib.suppress(Exception):
                self._pw.stop()
        self._pw = self._browser = None


_SHARED = _SharedBrowser()


def shared_browser():
    """The session's one headless Chromium (a Playwright ``Browser``), launched on first use."""
    return _SHARED.get()


def close_browser() -> None:
    """Shut down the session's shared Chromium (if one was launched)."""
    _SHARED.close()


@contextlib.contextmanager
def open_page(
    base_url: str, path: str = "", *, width: int = 1100, height: int = 900, wait_until: str = "load",
) -> Iterator[tuple["object", PageReport]]:
    """Open ``base_url + path`` in headless Chromium with every non-local request blocked.

    Yields ``(page, report)``: a Playwright ``Page`` and the :class:`PageReport` filled while
    the page is open. Each call gets a fresh browser context (a fresh profile: no storage,
    cookies or cache of any other call) of the session's one shared browser.
    """
    report = PageReport()
    context = _SHARED.get().new_context(viewport={"width": width, "height": height})
    try:
        def route(r) -> None:
            if _is_local(r.request.url):
                r.continue_()
            else:
                report.blocked.append(r.request.url)
                r.abort("blockedbyclient")

        context.route("**/*", route)
        page = context.new_page()

        def on_console(msg) -> None:
            if msg.type != "error":
                return
            text = f"{msg.text} ({msg.location.get('url', '')}:{msg.location.get('lineNumber', '')})"
            if _harmless(msg.text):
                report.ignored.append(text)
            elif "ERR_BLOCKED_BY_CLIENT" not in msg.text:  # blocked requests are in report.blocked
                report.console_errors.append(text)

        def on_page_error(err) -> None:
            (report.ignored if _harmless(str(err)) else report.page_errors).append(str(err))

        def on_failed(request) -> None:
            if request.url not in report.blocked:
                report.failed_requests.append(f"{request.url}: {request.failure}")

        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        page.on("requestfailed", on_failed)
        page.on("response", lambda resp: report.failed_requests.append(f"{resp.url}: HTTP {resp.status}")
                if resp.status >= 400 else None)
        page.goto(base_url.rstrip("/") + "/" + path.lstrip("/"), wait_until=wait_until)
        yield page, report
    finally:
        context.close()


def screenshot(page, name: str, *, full_page: bool = False, element=None) -> Path:
    """Save a PNG to ``test-artifacts/screenshots/NAME.png`` at the repository root (of the
    whole viewport, the full page, or one element/locator) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if element is not None:
        element.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=full_page)
    return path


def wait_for_mathjax(page, timeout: float = 30_000) -> bool:
    """Wait until MathJax has typeset the page (Sphinx loads it only on pages with math; formulas
    change the width of what holds them). False if the page has no MathJax."""
    if not page.locator('script[src*="mathjax"]').count():
        return False
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                           timeout=timeout)
    page.evaluate("() => MathJax.startup.promise")
    return True
