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


# What pytest-xdist's workers take first (``-n auto --dist loadfile --no-loadscope-reorder``,
# pyproject.toml: each file's tests run on one worker, in order, so that a module's fixtures
# are made once, and the files are dealt out in the order below). The PDF (the single-page
# build and the printing, the longest file) goes first, so that one worker starts on the book's
# build at once; the tests that need no built book come next, for the other worker to run
# meanwhile; then the rest of the book's tests. Within each, the longest files go first, so
# that the two workers end together. (--dist loadgroup would group finer, but pytest 9.2 drops
# its groups: pytest-dev/pytest-xdist#1386.)
_ORDER = ["tests/book/test_pdf.py",
          "tests/widgets/test_steppers_explore.py",  # the axe sweep of every stepper step
          None,                                      # the other tests that need no book
          "tests/book/test_pages.py",                # every page, loaded once
          "tests/book/test_downloaded_notebooks.py"]  # a page executed from the wheel


def pytest_collection_modifyitems(config, items):
    """Orders the files for the workers (see above); the tests of a file keep their order."""
    def rank(item) -> int:
        path = item.nodeid.split("::")[0]
        if path in _ORDER:
            return _ORDER.index(path)
        return _ORDER.index(None) if not path.startswith("tests/book/") else len(_ORDER)

    items.sort(key=rank)  # a stable sort
