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


# What pytest-xdist's workers take first (``-n auto --dist loadfile``, pyproject.toml: each
# file's tests run on one worker, in order, so that a module's fixtures are made once). The
# PDF (the single-page build and the printing, the longest file) goes first, so that one worker
# starts on the book's build at once; the tests that need no built book come next, for the
# other worker to run meanwhile; then the rest of the book's tests. (--dist loadgroup would
# group finer, but pytest 9.2 drops its groups: pytest-dev/pytest-xdist#1386.)
_FIRST = "tests/book/test_pdf.py"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Orders the files for the workers (see above); the tests of a file keep their order."""
    def rank(item) -> int:
        path = item.nodeid.split("::")[0]
        return 0 if path == _FIRST else 2 if path.startswith("tests/book/") else 1

    items.sort(key=rank)  # a stable sort
