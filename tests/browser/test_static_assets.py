"""htmx comes from node_modules through /static/ and starts under the strict CSP without errors."""

import pytest

from vikno.testing.browser import js_errors

pytestmark = pytest.mark.browser


def test_htmx_is_served_and_runs_under_the_csp(page):
    response = page.request.get("/static/vendor/htmx/htmx.min.js")
    assert response.status == 200
    assert "javascript" in response.headers["content-type"]

    page.goto("/")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    # htmx would add an inline <style>, which the CSP refuses: the page tells it not to.
    assert page.locator("head style").count() == 0
    assert js_errors(page) == []


def test_the_favicon_is_found(page):
    response = page.request.get("/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in response.text()
