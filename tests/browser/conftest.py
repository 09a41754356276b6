"""Browser tests: Playwright + Debian's Chromium against the live server (see vikno/testing/browser.py)."""

from vikno.testing.browser import browser, browser_tests_last, new_page, page  # noqa: F401


def pytest_collection_modifyitems(config, items):
    browser_tests_last(items)
