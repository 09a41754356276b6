"""The operator console from the keyboard: a shortcut pressed twice before the page comes back sends one
action, not a second one that the server would refuse with an error («finish the current visitor first»);
the R key is not offered while the visitor is being served; D marks a no-show."""

import re

import pytest
from playwright.sync_api import expect

from vikno.queue import services
from vikno.queue.models import Ticket
from vikno.queue.tests.live_setup import queue_world
from vikno.testing.browser import js_errors, log_in

pytestmark = pytest.mark.browser


def test_a_double_press_sends_one_action(page, world):
    q = queue_world(world)
    services.issue_ticket(q.registration)
    services.issue_ticket(q.registration)
    log_in(page, world.admin_a)
    page.goto(f"/queue/console/{q.window.pk}/")
    page.get_by_role("button", name="Відкрити сесію тут").click()
    expect(page.locator("button[data-shortcut=n]")).to_be_visible()

    held = []
    # Hold the requests back, as a busy server would: the second press comes while the first is on its way.
    page.route(re.compile(r".*/action/$"), lambda route: held.append(route))
    page.keyboard.press("n")
    page.wait_for_timeout(300)
    page.keyboard.press("n")
    page.wait_for_timeout(300)
    assert [route.request.post_data.rsplit("&", 1)[-1] for route in held] == ["action=call"]
    for route in held:
        route.abort()
    assert Ticket.objects.filter(status="called").count() == 0  # held back: nothing reached the server
    assert js_errors(page) == []


def test_serving_offers_finish_not_recall(page, world):
    q = queue_world(world)
    services.issue_ticket(q.registration)
    log_in(page, world.admin_a)
    page.goto(f"/queue/console/{q.window.pk}/")
    page.get_by_role("button", name="Відкрити сесію тут").click()
    expect(page.locator("button[data-shortcut=n]")).to_be_visible()
    with page.expect_navigation():
        page.keyboard.press("n")
    expect(page.locator("button[data-shortcut=r]")).to_be_visible()
    with page.expect_navigation():
        page.keyboard.press("s")
    expect(page.locator(".current-ticket")).to_contain_text("Обслуговується")
    expect(page.locator("button[data-shortcut=r]")).to_have_count(0)
    page.keyboard.press("r")  # nothing to press: the page stays, no error message
    expect(page.locator(".message.error")).to_have_count(0)
    with page.expect_navigation():
        page.keyboard.press("f")
    assert Ticket.objects.get().status == "done"

    absent = services.issue_ticket(q.registration)
    with page.expect_navigation():
        page.keyboard.press("n")
    expect(page.locator(".current-ticket")).to_contain_text(absent.code)
    with page.expect_navigation():
        page.keyboard.press("d")  # did not come
    absent.refresh_from_db()
    assert absent.status == "no_show"
    assert js_errors(page) == []
