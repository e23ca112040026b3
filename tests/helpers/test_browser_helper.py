"""The shared browser helper reports what it must: outside requests blocked, errors collected."""

from __future__ import annotations

import pytest

from helpers.browser import SCREENSHOTS, open_page, screenshot, serve

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><meta charset="utf-8"><title>helper check</title>
<p id="ok">local page</p>
<img src="https://example.org/outside.png" alt="">
<img src="missing-local.png" alt="">
<script>console.error("boom from the page");</script>
<script>let THEBE_JS_URL = 1;</script>
<script>let THEBE_JS_URL = 2;</script>
<script>setTimeout(() => { throw new Error("uncaught later"); }, 0);</script>
"""


def test_reports_blocked_failed_and_errors(tmp_path):
    (tmp_path / "index.html").write_text(PAGE)
    with serve(tmp_path) as base, open_page(base, "index.html") as (page, report):
        assert base.startswith("http://127.0.0.1:")
        assert page.inner_text("#ok") == "local page"
        page.wait_for_timeout(200)
        path = screenshot(page, "helper-check")
    assert report.blocked == ["https://example.org/outside.png"]
    assert any("missing-local.png" in f and "404" in f for f in report.failed_requests), report.failed_requests
    assert any("boom from the page" in m for m in report.console_errors), report.console_errors
    assert len(report.page_errors) == 1 and "uncaught later" in report.page_errors[0], report.page_errors
    # sphinx-thebe's double declaration is the one error filtered out, and it is kept aside
    assert any("THEBE_JS_URL" in m for m in report.ignored)
    assert not any("THEBE_JS_URL" in m for m in report.page_errors + report.console_errors)
    with pytest.raises(AssertionError, match="blocked non-local request: https://example.org/outside.png"):
        report.assert_clean()
    assert path == SCREENSHOTS / "helper-check.png" and path.stat().st_size > 1000


def test_clean_page_is_clean(tmp_path):
    (tmp_path / "index.html").write_text('<!doctype html><meta charset="utf-8"><p>fine</p>')
    with serve(tmp_path) as base, open_page(base, "/index.html") as (page, report):
        assert page.inner_text("p") == "fine"
    report.assert_clean()


def test_serve_refuses_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        with serve(tmp_path / "nope"):
            pass
