import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("bpkit", deadline=None, max_examples=60, derandomize=True)
settings.load_profile("bpkit")


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def pytest_sessionfinish(session, exitstatus):
    """Shut down the one Chromium the browser tests share (tests/helpers/browser.py)."""
    import sys

    browser = sys.modules.get("helpers.browser")
    if browser is not None:
        browser.close_browser()


# The test files whose tests check whole pages of the built book from the one load each page
# gets (tests/book/page_checks.py caches it in the worker that made it).
_PAGE_CHECKS = {"test_pages.py", "test_accessibility.py", "test_book_browser.py"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Groups for pytest-xdist (``-n``, ``--dist loadgroup`` in pyproject.toml), so that work
    made for several tests is made once: the tests of one file run on one worker (a module's
    fixtures, such as the small book built for a widget's tests, are made once), and the page
    checks of one page of the book run on one worker (they share that page's one load); the
    pages themselves are dealt out between two groups, so that two workers share them.
    (tryfirst: xdist reads the groups in its own hook.)"""
    from book_pages import toc_files

    docs = {doc: i for i, doc in enumerate(toc_files())}
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        path = item.nodeid.split("::")[0]
        doc = getattr(item, "callspec", None) and item.callspec.params.get("doc")
        if path.rsplit("/", 1)[-1] in _PAGE_CHECKS and doc in docs:
            group = f"book-pages-{docs[doc] % 2}"
        else:
            group = path
        item.add_marker(pytest.mark.xdist_group(group))
