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
