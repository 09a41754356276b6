"""The citizen's whole journey with the keyboard alone: search «народила дитину» on the center's page
→ the birth-related service → «book a visit» → office → queue → day → time → details → confirmed.
And axe-core (WCAG 2.1 AA) on the question, complaint and survey pages."""

import re

import pytest
from playwright.sync_api import expect

from vikno.portal.tests.test_public_pages import build_portal
from vikno.queue.models import Booking
from vikno.queue.tests.booking_world import bookable_queue
from vikno.testing.browser import assert_accessible, js_errors, tab_to

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_search_to_a_booked_slot_with_the_keyboard_only(new_page, world, settings, javascript):
    settings.QUEUE_FORM_MIN_SECONDS = 0
    build_portal(world)
    queue = bookable_queue(world.office_a, minutes=60, name="Реєстрація народження")
    page = new_page(java_script_enabled=javascript)

    page.goto("/c/center-a/")
    tab_to(page, page.get_by_role("searchbox"))
    page.keyboard.type("народила дитину")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/c/center-a/search/\?q="))
    first = page.locator("main ul.service-list a").first
    tab_to(page, first)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/c/center-a/services/[A-Z]{3}-\d{3}/"))
    tab_to(page, page.get_by_role("link", name=re.compile("Записатися на прийом до ЦНАП")))
    page.keyboard.press("Enter")
    # This center's offices that book the chosen service; the service goes along in the address.
    page.wait_for_url(re.compile(r"/booking/\?center=center-a&service=[A-Z]{3}-\d{3}$"))

    tab_to(page, page.get_by_role("link", name=world.office_a.name))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/booking/{world.office_a.pk}/\?service="))
    tab_to(page, page.get_by_role("link", name=queue.name))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/booking/{world.office_a.pk}/{queue.pk}/\?service="))
    days_url = page.url
    for index in range(page.locator('main a[href^="?day="]').count()):
        page.goto(days_url)
        tab_to(page, page.locator('main a[href^="?day="]').nth(index))
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"\?day="))
        if page.locator("input[name=starts_at]").count():
            break  # today may be over already, or a day closed: take the first day with free times
    slot = page.locator("input[name=starts_at]").first
    tab_to(page, slot)
    page.keyboard.press("Space")
    expect(slot).to_be_checked()
    tab_to(page, page.locator("#id_phone"))
    page.keyboard.type("050 765 43 21")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/booking/details/"))
    tab_to(page, page.locator("#id_full_name"))
    page.keyboard.type("Мельник Оксана")
    tab_to(page, page.locator("#id_personal_data_consent"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name=re.compile("Підтвердити")))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/booking/done/"))
    booking = Booking.objects.get()
    assert booking.status == "confirmed" and booking.queue == queue


def test_question_complaint_and_survey_pages_are_accessible(page, world):
    build_portal(world)
    for path in ("/c/center-a/ask/", "/c/center-a/complaint/", "/c/center-a/survey/", "/c/center-a/apply/"):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
        assert js_errors(page) == [], path


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_status_check_with_the_keyboard_only(new_page, world, javascript):
    from vikno.cases.tests.core_factories import make_service, register

    case = register(world, make_service())
    page = new_page(java_script_enabled=javascript)
    page.goto("/status/")
    tab_to(page, page.locator("#id_number"))
    page.keyboard.type(case.number)
    page.keyboard.press("Tab")
    page.keyboard.type(case.access_code)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/status/\?"))
    expect(page.locator("main")).to_contain_text(case.number)
    expect(page.locator("main")).to_contain_text("Прийнято")


def test_the_pages_after_sending_a_question_complaint_or_survey_are_accessible(page, world, settings):
    build_portal(world)
    page.goto("/c/center-a/ask/")
    page.fill("#id_name", "Олена")
    page.fill("#id_email", "olena@example.org")
    page.fill("#id_text", "Які документи потрібні для реєстрації народження?")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)

    page.goto("/c/center-a/complaint/")
    page.fill("#id_name", "Олена")
    page.fill("#id_contact", "olena@example.org")
    page.fill("#id_text", "Довго чекала в черзі.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)

    page.goto("/c/center-a/survey/")
    page.locator("input[name=score]").first.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_status_limit_and_opt_out_pages_are_accessible(page, world):
    from django.core.cache import cache

    from vikno.notify import optout

    cache.clear()
    for _ in range(11):
        page.goto("/status/?number=1-26-999999&code=WRONG234")
    assert_accessible(page)
    cache.clear()
    page.goto(f"/notify/opt-out/{optout.make_token('email', 'olena@example.org')}/")
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
