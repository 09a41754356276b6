"""The staff account pages (the list, the new-account form with errors, an account's page) pass
axe-core (WCAG 2.1 AA) and run without script errors."""

import re

import pytest
from playwright.sync_api import expect

from vikno.testing.browser import assert_accessible, js_errors, log_in

pytestmark = pytest.mark.browser


def unexpected_errors(page) -> list[str]:
    """Script and console errors, except the browser's note on the intended 400 answer to bad input."""
    return [e for e in js_errors(page) if "status of 400" not in e]


def test_list_create_form_with_errors_and_account_page(page, world):
    log_in(page, world.sysadmin)
    page.locator("header a[href='/staff/people/']").click()
    page.wait_for_url(re.compile(r"/staff/people/$"))
    expect(page.locator("main table")).to_be_visible()
    assert_accessible(page)

    page.locator("main a[href='/staff/people/new/']").click()
    page.wait_for_url(re.compile(r"/staff/people/new/$"))
    assert_accessible(page)
    page.locator("#id_username").fill(world.admin_a.username)
    page.locator("#id_role").select_option("officer")
    page.locator("#id_password").fill("123")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .errorlist").first).to_be_visible()
    assert_accessible(page)  # (the refused form answers 400)

    page.goto(f"/staff/people/{world.admin_a.pk}/")
    expect(page.locator("main h1")).to_have_text(world.admin_a.full_name())
    assert_accessible(page)
    assert unexpected_errors(page) == []


def test_a_center_head_sees_the_list(page, world):
    log_in(page, world.head_a)
    page.goto("/staff/people/")
    expect(page.locator("main table")).to_contain_text(world.admin_a.username)
    assert_accessible(page)
    assert unexpected_errors(page) == []
