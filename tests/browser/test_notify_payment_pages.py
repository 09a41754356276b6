"""The notification and payment blocks of the case page pass axe and work from the keyboard; the
citizen's opt-out page passes axe, works without JavaScript, and a bad link is a readable 404."""

import pytest
from playwright.sync_api import expect

from vikno.testing.browser import assert_accessible, js_errors, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def case(world):
    from vikno.cases.tests.core_factories import make_service, person, register
    from vikno.core.audit import Actor
    from vikno.notify.models import Status
    from vikno.payments.services import record_payment

    applicant = person(world, sms_consent=True, email_consent=True, email="olena@example.ua")
    case = register(world, make_service(fee="85.00", providers=[world.provider_a]), applicant=applicant)
    case.notifications.filter(channel="sms").update(status=Status.FAILED, last_error="SMS-шлюз відповів HTTP 400")
    case.notifications.filter(channel="email").update(status=Status.SENT)
    record_payment(case, method="pos", amount="50", receipt_number="R-1", actor=Actor(user=world.admin_a))
    return case


def test_resend_from_the_keyboard_once_and_the_blocks_pass_axe(page, world, case):
    log_in(page, world.admin_a)
    page.goto(f"/staff/cases/{case.number}/")
    assert_accessible(page)
    button = page.get_by_role("button", name="Надіслати ще раз: Звернення прийнято (SMS)")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("надіслано повторно")
    # the original's button again: the copy is already on its way
    with page.expect_navigation():
        page.get_by_role("button", name="Надіслати ще раз: Звернення прийнято (SMS)").first.press("Enter")
    expect(page.locator("main")).to_contain_text("вже надіслано повторно")
    assert case.notifications.filter(original__isnull=False).count() == 1
    assert_accessible(page)
    assert js_errors(page) == []


def test_opt_out_without_javascript(new_page):
    from vikno.notify.optout import make_token

    page = new_page(java_script_enabled=False)
    page.goto(f"/notify/opt-out/{make_token('email', 'olena@example.ua')}/")
    page.get_by_role("button", name="Відмовитися від повідомлень").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("[role=status]")).to_contain_text("вимкнено")


def test_opt_out_pages_pass_axe(page):
    from vikno.notify.optout import make_token

    page.goto(f"/notify/opt-out/{make_token('email', 'olena@example.ua')}/")
    assert_accessible(page)
    response = page.goto("/notify/opt-out/broken-token/")
    assert response.status == 404
    expect(page.locator("[role=alert]")).to_contain_text("Посилання для відмови від повідомлень недійсне")
    assert_accessible(page)
