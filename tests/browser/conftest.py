"""Browser tests: Playwright + Debian's Chromium against the live server (see vikno/testing/browser.py).

`make test` runs them in a pytest process of their own (`-m browser`), after the rest of the suite."""

from pathlib import Path

import pytest

from vikno.testing.browser import browser, browser_tests_last, new_page, page  # noqa: F401

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
    browser_tests_last(items)
