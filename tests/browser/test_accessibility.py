"""The public home page, the two login steps and the staff home have no axe WCAG 2.1 AA violations,
no script or CSP errors, and reflow to a 320 px wide screen without horizontal scrolling."""

import re

import pytest
from playwright.sync_api import expect

from vikno.testing.browser import assert_accessible, axe_violations, js_errors, log_in, submit_password, submit_totp
from vikno.testing.fixtures import PASSWORD

pytestmark = pytest.mark.browser


def test_public_home_page(page):
    page.goto("/")
    assert_accessible(page)
    assert js_errors(page) == []


def test_staff_login_page(page):
    page.goto("/accounts/login/")
    assert_accessible(page)
    assert js_errors(page) == []


def test_staff_login_page_with_an_error(page, world):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(world.admin_a.username)
    page.locator("#id_password").fill("not-the-password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    assert_accessible(page)


def test_totp_verify_page(page, world):
    submit_password(page, world.admin_a)
    assert_accessible(page)

    page.locator("#id_token").fill("000000")
    page.locator("main form button[type=submit]").click()
    error = page.locator("main [role=alert]")
    expect(error).to_be_visible()
    # The message is tied to the field, so a screen reader reads it with the field.
    expect(page.locator("#id_token")).to_have_accessible_description(re.compile(re.escape(error.inner_text())))
    assert_accessible(page)
    assert js_errors(page) == []


@pytest.mark.parametrize("who", ["admin_a", "head_a", "officer_a", "monitor_1"])
def test_staff_home(page, world, who):
    """The workplace of each role, with counts that need action (outlined in red) on the page."""
    from datetime import timedelta

    from django.utils import timezone

    from vikno.cases.models import Status
    from vikno.cases.tests.deadline_factories import make_case

    now = timezone.now()
    make_case(world, provider=world.provider_a, due_at=now - timedelta(days=1))
    make_case(world, status=Status.RESULT_READY, result_ready_at=now - timedelta(days=40))
    log_in(page, getattr(world, who))
    assert page.url.endswith("/staff/")
    expect(page.locator("main .counters a.alert").first).to_be_visible()
    assert_accessible(page)
    assert js_errors(page) == []


def test_pages_reflow_on_a_narrow_screen(new_page, world):
    """WCAG 1.4.10: at 320 CSS px (400 % zoom of 1280 px) nothing needs horizontal scrolling."""
    page = new_page(viewport={"width": 320, "height": 640})
    too_wide = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    page.goto("/")
    assert not page.evaluate(too_wide)
    submit_password(page, world.admin_a)
    assert not page.evaluate(too_wide)
    submit_totp(page, world.admin_a)
    assert page.url.endswith("/staff/")
    assert not page.evaluate(too_wide)


def test_assert_accessible_lists_every_violation(page):
    """The checker itself works: an image without text and an unlabeled field are both reported."""
    page.goto("/")
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
             '<img src="/static/none.png"><input id="nolabel">')"""
    )
    assert {"image-alt", "label"} <= {v.id for v in axe_violations(page)}
    with pytest.raises(pytest.fail.Exception, match=r"(?s)image-alt \[critical\].*#nolabel"):
        assert_accessible(page)


def test_authenticator_set_up_page(page, world):
    """A user without a second factor is sent to connect an authenticator app after the password."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(world.head_a.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/totp/"))
    assert_accessible(page)
    assert js_errors(page) == []


def test_my_account_page_with_errors(page, world):
    """The account page, before and after a refused password change (errors tied to their fields)."""
    log_in(page, world.admin_a)
    page.locator("header a[href='/accounts/me/']").click()
    page.wait_for_url(re.compile(r"/accounts/me/$"))
    assert_accessible(page)
    assert js_errors(page) == []
    page.locator("#id_password-old_password").fill("not-the-password")
    page.locator("#id_password-new_password1").fill("short")
    page.locator("#id_password-new_password2").fill("short")
    page.locator("button[name=password]").click()
    expect(page.locator("main .errorlist, main .error").first).to_be_visible()
    assert_accessible(page)  # (the refused form answers 400, which the console reports)
