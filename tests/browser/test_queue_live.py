"""The electronic queue end to end in Chromium: a visitor takes a ticket at the kiosk, the display board
(open in another page) shows the waiting count and then the call arriving live over Server-Sent Events,
the operator calls with the N key; the kiosk, ticket, «my ticket», display and console pages have no axe
WCAG 2.1 AA violations and no script or CSP errors."""

import re
import time

import pytest
from playwright.sync_api import expect

from vikno.queue.models import Ticket
from vikno.queue.tests.live_setup import queue_world
from vikno.testing.browser import assert_accessible, js_errors, log_in

pytestmark = pytest.mark.browser

LIVE_MS = 8000  # an update must arrive well within this


@pytest.fixture
def live_page(settings, new_page):
    """``new_page`` for pages that hold an event stream. The live server (WSGI) notices a closed page only
    at its next keep-alive write, so keep-alives are frequent and the pages are closed a moment early,
    letting the streams end (and release their database connections) before the tables are emptied."""
    settings.QUEUE_SSE_KEEPALIVE_SECONDS = 0.5
    pages = []

    def _open(**options):
        page = new_page(**options)
        pages.append(page)
        return page

    yield _open
    for page in pages:
        page.context.close()
    time.sleep(1.5)


def test_take_a_ticket_call_it_and_see_it_on_the_display(live_page, world):
    q = queue_world(world)

    display = live_page()
    display.goto(f"/queue/display/{q.office.pk}/")
    expect(display.locator("#board")).to_have_attribute("data-mode", "live")
    waiting = display.locator(f'[data-queue-id="{q.registration.pk}"] [data-count]')
    expect(waiting).to_have_text("0")
    assert_accessible(display)

    kiosk = live_page()
    kiosk.goto(f"/queue/kiosk/{q.office.pk}/")
    assert_accessible(kiosk)
    kiosk.get_by_role("button", name=re.compile("Реєстрація")).click()
    kiosk.wait_for_url(re.compile(r"/queue/ticket/"))
    ticket = Ticket.objects.get()
    expect(kiosk.locator("h1")).to_contain_text(ticket.code)
    assert_accessible(kiosk)
    expect(waiting).to_have_text("1", timeout=LIVE_MS)  # arrived over the stream

    kiosk.locator(f'a[href="/queue/my/{ticket.token}/"]').click()
    expect(kiosk.locator("#my-ticket")).to_contain_text("Очікує в черзі")
    assert_accessible(kiosk)

    console = live_page()
    log_in(console, world.admin_a)
    console.goto(f"/queue/console/{q.window.pk}/")
    console.get_by_role("button", name="Відкрити сесію тут").click()
    expect(console.locator("button[data-shortcut=n]")).to_be_visible()
    assert_accessible(console)
    with console.expect_navigation():
        console.keyboard.press("n")
    expect(console.locator(".current-ticket")).to_contain_text(ticket.code)
    assert_accessible(console)

    calls = display.locator("[data-calls]")
    expect(calls).to_contain_text(ticket.code, timeout=LIVE_MS)
    expect(calls).to_contain_text("Вікно 5")
    expect(waiting).to_have_text("0")
    expect(display.locator("[data-announcer]")).to_contain_text(ticket.code)
    assert_accessible(display)

    # «My ticket» follows too: the visitor is asked to the window.
    expect(kiosk.locator('[data-field="workplace"]')).to_have_text("Вікно 5", timeout=LIVE_MS)

    for page in (display, kiosk, console):
        assert js_errors(page) == []


def test_display_falls_back_to_polling_when_the_stream_is_unavailable(live_page, world):
    q = queue_world(world)
    display = live_page()
    # The stream is refused: the board polls state.json instead.
    display.route(re.compile(r".*/events$"), lambda route: route.fulfill(status=503, body="down"))
    display.goto(f"/queue/display/{q.office.pk}/")
    expect(display.locator("#board")).to_have_attribute("data-mode", "polling")
    from vikno.queue import services

    services.issue_ticket(q.social)
    expect(display.locator(f'[data-queue-id="{q.social.pk}"] [data-count]')).to_have_text("1", timeout=LIVE_MS)


def test_kiosk_in_high_contrast_and_english_is_accessible(live_page, world):
    q = queue_world(world)
    kiosk = live_page()
    kiosk.goto(f"/queue/kiosk/{q.office.pk}/")
    kiosk.get_by_role("button", name="English").click()
    expect(kiosk.locator("h1")).to_have_text("Take a ticket")
    kiosk.get_by_role("button", name="High contrast").click()
    expect(kiosk.locator("body")).to_have_class(re.compile("high-contrast"))
    assert_accessible(kiosk)
    # Keyboard only: Tab to a priority, pick it, Tab to the queue buttons and press Enter.
    kiosk.get_by_label("Veteran or defender").focus()
    kiosk.keyboard.press("Space")
    kiosk.get_by_role("button", name=re.compile("Social services")).focus()
    kiosk.keyboard.press("Enter")
    kiosk.wait_for_url(re.compile(r"/queue/ticket/.*contrast=high"))
    expect(kiosk.locator("body")).to_have_class(re.compile("high-contrast"))
    assert Ticket.objects.get().priority == "veteran"
    assert_accessible(kiosk)
    assert js_errors(kiosk) == []


def test_display_clock_keeps_the_server_time_zone_on_a_device_set_to_utc(live_page, world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from vikno.queue import services

    q = queue_world(world)
    display = live_page(timezone_id="UTC")
    display.goto(f"/queue/display/{q.office.pk}/")
    expect(display.locator("#board")).to_have_attribute("data-mode", "live")
    services.issue_ticket(q.social)
    expect(display.locator(f'[data-queue-id="{q.social.pk}"] [data-count]')).to_have_text("1", timeout=LIVE_MS)
    zone = ZoneInfo(settings.TIME_ZONE)
    before = datetime.now(zone)
    shown = display.locator("[data-updated]").inner_text()
    after = datetime.now(zone)
    assert shown[:5] in {before.strftime("%H:%M"), after.strftime("%H:%M")}, shown
    assert js_errors(display) == []
