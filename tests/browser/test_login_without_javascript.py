"""The two-step staff login and logout work in a browser with JavaScript turned off."""

import re

import pytest
from playwright.sync_api import expect

from vikno.testing.browser import log_in

pytestmark = pytest.mark.browser


def test_login_and_logout_without_javascript(new_page, world):
    page = new_page(java_script_enabled=False)
    log_in(page, world.admin_a)

    assert page.url.endswith("/staff/")
    expect(page.locator("h1")).to_be_visible()

    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.goto("/staff/")
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_wrong_password_without_javascript_shows_the_error_and_keeps_the_login(new_page, world):
    page = new_page(java_script_enabled=False)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(world.admin_a.username)
    page.locator("#id_password").fill("not-the-password")
    page.locator("main form button[type=submit]").click()

    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value(world.admin_a.username)
