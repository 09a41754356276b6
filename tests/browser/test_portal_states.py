"""Every citizen page in the states the happy-path tests do not reach — form errors, empty search
results, a closed case, a day with no free time, unknown addresses — checked with axe-core (WCAG 2.1
AA) on a phone-sized screen (375×667) in Ukrainian and in English: no violation, nothing wider than
the screen, a heading and a page title. And the flows a citizen must be able to finish without
JavaScript that the other files do not walk: apply online, take a ticket at the kiosk, rate the visit."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vikno.portal.tests.test_public_pages import BIRTH, build_portal
from vikno.testing.browser import assert_accessible, js_errors

pytestmark = pytest.mark.browser

PHONE_SCREEN = {"width": 375, "height": 667}
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")).slice(0, 5);
}"""


def _citizen_world(world) -> SimpleNamespace:
    from vikno.cases.models import Case
    from vikno.cases.tests.core_factories import make_service, register
    from vikno.portal.tests.citizen_factories import online_service
    from vikno.queue import booking
    from vikno.queue import services as queue_services
    from vikno.queue.tests.booking_world import MONDAY, NOW, PHONE, SYSTEM, bookable_queue, hand_ticket, kyiv

    portal = build_portal(world)
    queue = bookable_queue(world.office_a, minutes=60, name="Реєстрація народження")
    window = queue_services.create_workplace(world.office_a, name="Вікно 3", queues=[queue], actor=SYSTEM)
    now = timezone.now()
    finished = hand_ticket(queue, now - dt.timedelta(minutes=5), number=7, workplace=window)
    waiting = hand_ticket(queue, now - dt.timedelta(minutes=2), number=8, status="waiting")
    service = online_service(world)
    open_case = register(world, make_service(providers=[world.provider_a]))
    closed_case = register(world, make_service(providers=[world.provider_a]))
    Case.objects.filter(pk=closed_case.pk).update(status="issued", closed_at=now)
    # A time held on the booking service's own clock (in 2030): its details form is still to fill in.
    held = booking.hold(queue, kyiv(MONDAY, 9), phone=PHONE, now=NOW, actor=SYSTEM)
    # build_portal closes the main office three days from today (a «sanitary day»): no free time then.
    closed_day = portal.today + dt.timedelta(days=3)
    return SimpleNamespace(
        queue=queue,
        finished=finished,
        waiting=waiting,
        service=service,
        open_case=open_case,
        closed_case=closed_case,
        closed_day=closed_day,
        held=held,
    )


def _submit_empty(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def _check(page, where: str, *, axe: bool = True) -> None:
    expect(page.locator("h1")).to_be_visible()
    assert page.title().strip(), where
    assert page.evaluate(TOO_WIDE) == [], where
    if axe:  # axe-core waits on timers, which do not run in a page without JavaScript
        assert_accessible(page)
    assert [e for e in js_errors(page) if "status of 4" not in e] == [], where


@pytest.mark.parametrize("locale", ["uk-UA", "en-US"])
def test_citizen_pages_in_every_state_on_a_phone(new_page, world, settings, locale):
    settings.QUEUE_FORM_MIN_SECONDS = 0
    w = _citizen_world(world)
    office = world.office_a.pk
    page = new_page(locale=locale, viewport=PHONE_SCREEN)
    visits = [
        ("/c/center-a/search/?q=zzzzqqq", None),  # no results
        ("/c/center-a/search/?q=" + "дитина" * 400, None),  # a very long query
        (f"/c/center-a/services/{BIRTH}/", None),
        ("/c/center-a/apply/", None),
        (f"/c/center-a/apply/{w.service.code}/", None),
        (f"/c/center-a/apply/{w.service.code}/", _submit_empty),
        ("/c/center-a/ask/", _submit_empty),
        ("/c/center-a/complaint/", _submit_empty),
        ("/c/center-a/survey/", _submit_empty),
        ("/status/", _submit_empty),
        (f"/status/?number={w.open_case.number}&code=WRONG234", None),
        (f"/status/?number={w.open_case.number}&code={w.open_case.access_code}", None),
        (f"/status/?number={w.closed_case.number}&code={w.closed_case.access_code}", None),
        ("/booking/", None),
        (f"/booking/{office}/", None),
        (f"/booking/{office}/{w.queue.pk}/?day={w.closed_day.isoformat()}", None),  # no free time
        (f"/booking/{office}/{w.queue.pk}/?day=2000-01-01", None),
        (f"/booking/{office}/{w.queue.pk}/?day={timezone.localdate().isoformat()}", None),
        (f"/booking/details/{w.held.manage_token}/", _submit_empty),
        (f"/queue/kiosk/{office}/", None),
        (f"/queue/ticket/{w.waiting.token}/", None),
        (f"/queue/my/{w.waiting.token}/", None),
        (f"/queue/rate/{w.finished.token}/", _submit_empty),
        (f"/queue/rate/{w.waiting.token}/", None),
        ("/queue/rate/no-such-ticket/", None),
        ("/no-such-page/", None),
        ("/c/no-such-center/", None),
        ("/c/center-a/services/XXX-999/", None),
        ("/booking/details/no-such-booking/", None),
    ]
    for path, action in visits:
        page.goto(path)
        if action is not None:
            action(page)
        _check(page, f"{path} ({locale})")


@pytest.mark.parametrize(
    ("locale", "heading", "home"),
    [("uk-UA", "Сторінку не знайдено", "На головну"), ("en-US", "Page not found", "Go to the home page")],
)
def test_an_unknown_address_shows_a_translated_page_with_a_way_back(new_page, world, locale, heading, home):
    page = new_page(locale=locale, java_script_enabled=False)
    response = page.goto("/c/center-a/services/XXX-999/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(heading)
    assert page.title().startswith(heading)
    page.get_by_role("link", name=home).click()
    page.wait_for_url(re.compile(r"/$|/c/center-a/$"))
    assert page.locator("h1").count() == 1


def test_apply_online_without_javascript(new_page, world, tmp_path):
    from vikno.cases.models import Case
    from vikno.cases.tests.core_factories import PDF, PNG
    from vikno.portal.tests.citizen_factories import online_service

    service = online_service(world)
    scan, photo = tmp_path / "zayava.pdf", tmp_path / "pasport.png"
    scan.write_bytes(PDF)
    photo.write_bytes(PNG)
    page = new_page(java_script_enabled=False, viewport=PHONE_SCREEN)
    page.goto("/c/center-a/apply/")
    page.get_by_role("link", name=re.compile(service.code)).click()
    page.wait_for_url(f"**/apply/{service.code}/")
    page.fill("#id_last_name", "Коваленко")
    page.fill("#id_first_name", "Ірина")
    page.fill("#id_rnokpp", "3293406441")
    page.fill("#id_phone", "0501234567")
    page.check("#id_data_consent")
    page.set_input_files("#id_doc_1", str(scan))
    page.set_input_files("#id_doc_2", str(photo))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    number = page.locator("#case-number").inner_text().strip()
    code = page.locator("#access-code").inner_text().strip()
    assert Case.objects.filter(number=number).exists()
    _check(page, "apply done", axe=False)

    page.goto("/status/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main h2").first).to_contain_text(number)


def test_take_a_ticket_and_rate_the_visit_without_javascript(new_page, world):
    from vikno.orgs.services import set_weekly_hours
    from vikno.queue.models import Rating, Ticket
    from vikno.queue.services import create_queue
    from vikno.queue.tests.booking_world import SYSTEM, hand_ticket

    # Open round the clock, so the kiosk gives a ticket whenever the test runs.
    set_weekly_hours(world.office_a, {day: [(dt.time(0), dt.time(23, 59))] for day in range(7)}, actor=SYSTEM)
    queue = create_queue(world.office_a, name="Реєстрація", prefix="Р", actor=SYSTEM)
    page = new_page(java_script_enabled=False, viewport=PHONE_SCREEN)
    page.goto(f"/queue/kiosk/{world.office_a.pk}/")
    with page.expect_navigation():
        page.locator("button[name=queue]").first.click()
    expect(page.locator(".ticket-code")).to_have_text(re.compile(r"Р-\d{3}"))
    _check(page, "ticket", axe=False)
    ticket = Ticket.objects.get(queue=queue)
    page.locator(".ticket-qr a").click()
    page.wait_for_url(f"**/queue/my/{ticket.token}/")
    _check(page, "my ticket", axe=False)

    finished = hand_ticket(queue, timezone.now() - dt.timedelta(minutes=3), number=99)
    page.goto(f"/queue/rate/{finished.token}/")
    page.locator("input[name=stars][value='4']").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    _check(page, "rating thanks", axe=False)
    assert Rating.objects.get(ticket=finished).stars == 4
