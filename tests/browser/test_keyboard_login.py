"""A keyboard-only user can log in (Tab, type, Enter), skip to the content and always see where focus is."""

import re

import pytest
from playwright.sync_api import expect

from vikno.testing.browser import confirmed_totp_device
from vikno.testing.fixtures import PASSWORD, totp_now

pytestmark = pytest.mark.browser


def test_keyboard_only_login(page, world):
    user = world.admin_a
    device = confirmed_totp_device(user)
    page.goto("/accounts/login/")

    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.locator("main form button[type=submit]")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/accounts/verify/"))
    expect(page.locator("#id_token")).to_be_focused()
    page.keyboard.type(totp_now(device))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/staff/$"))
    expect(page.locator("h1")).to_be_visible()


def test_skip_link_is_first_and_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_focus_is_visible_on_every_control_of_the_login_page(page):
    page.goto("/accounts/login/")
    controls = page.locator("a[href], button, input:not([type=hidden])")
    assert controls.count() >= 5
    for i in range(controls.count()):
        control = controls.nth(i)
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        control.focus()
        box = control.bounding_box()
        area = {
            "x": max(box["x"] - 10, 0),
            "y": max(box["y"] - 10, 0),
            "width": box["width"] + 20,
            "height": box["height"] + 20,
        }
        focused = page.screenshot(clip=area)
        page.evaluate("() => document.activeElement.blur()")
        assert page.screenshot(clip=area) != focused, f"no visible focus on {control.evaluate('e => e.outerHTML')}"
