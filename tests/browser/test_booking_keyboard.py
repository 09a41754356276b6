"""Booking a visit with the keyboard alone, and axe-core on every booking page (WCAG 2.1 AA)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vikno.queue.models import Booking
from vikno.queue.tests.booking_world import bookable_queue
from vikno.testing.browser import assert_accessible, js_errors, tab_to

pytestmark = pytest.mark.browser


def _next_weekday():
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_book_a_slot_with_the_keyboard_only(page, world, settings):
    settings.QUEUE_FORM_MIN_SECONDS = 0
    queue = bookable_queue(world.office_a, minutes=60, name="Реєстрація місця проживання")
    day = _next_weekday()

    page.goto("/booking/")
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name=world.office_a.name))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/booking/{world.office_a.pk}/")
    assert_accessible(page)

    tab_to(page, page.get_by_role("link", name=queue.name))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/booking/{world.office_a.pk}/{queue.pk}/")
    assert_accessible(page)

    tab_to(page, page.locator(f'a[href="?day={day:%Y-%m-%d}"]'))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?day="))
    assert_accessible(page)

    first_time = page.locator("input[name=starts_at]").first
    tab_to(page, first_time)
    page.keyboard.press("Space")
    expect(first_time).to_be_checked()
    tab_to(page, page.locator("#id_phone"))
    page.keyboard.type("050 123 45 67")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/booking/details/"))
    assert_accessible(page)

    expect(page.locator("#id_full_name")).to_be_visible()
    tab_to(page, page.locator("#id_full_name"))
    page.keyboard.type("Коваленко Іван")
    page.keyboard.press("Enter")  # without the consent: refused, the name is kept
    page.wait_for_load_state()
    expect(page.locator("#id_full_name")).to_have_value("Коваленко Іван")
    expect(page.locator("main")).to_contain_text("згода на обробку персональних даних")
    assert_accessible(page)
    tab_to(page, page.locator("#id_personal_data_consent"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name=re.compile("Підтвердити")))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/booking/done/"))

    booking = Booking.objects.get()
    assert booking.status == "confirmed" and booking.phone == "+380501234567"
    expect(page.locator("#booking-code")).to_have_text(booking.code)
    assert_accessible(page)

    page.goto(f"/booking/manage/{booking.manage_token}/")
    assert_accessible(page)
    page.goto(f"/booking/manage/{booking.manage_token}/?day={day:%Y-%m-%d}")
    assert_accessible(page)
    # The refused form answered 400 on purpose (the browser logs that status); nothing else may fail.
    assert [e for e in js_errors(page) if "status of 400" not in e] == []


def test_rating_and_kpi_pages_are_accessible(page, world):
    from vikno.queue import services
    from vikno.queue.tests.booking_world import SYSTEM, hand_ticket, open_office
    from vikno.testing.browser import log_in

    open_office(world.office_a)
    queue = services.create_queue(world.office_a, name="Реєстрація", prefix="Р", actor=SYSTEM)
    window = services.create_workplace(world.office_a, name="Вікно 1", queues=[queue], actor=SYSTEM)
    ticket = hand_ticket(queue, timezone.now() - timedelta(minutes=3), number=1, workplace=window)

    page.goto(f"/queue/rate/{ticket.token}/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()  # nothing chosen: errors beside the fields
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/queue/rate/workplace/{window.pk}/")
    assert_accessible(page)

    log_in(page, world.head_a)
    page.goto("/staff/queue/kpi/")
    expect(page.locator("h1")).to_have_text("Показники черги")
    assert_accessible(page)
