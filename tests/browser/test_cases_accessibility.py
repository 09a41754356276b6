"""The case pages and the public status page pass axe-core (WCAG 2.1 AA) and run without script errors."""

import pytest
from playwright.sync_api import expect

from vikno.testing.browser import assert_accessible, js_errors, log_in, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def case(world):
    from vikno.cases.tests.core_factories import make_service, register

    return register(world, make_service(fee="85.00", providers=[world.provider_a]))


def test_staff_case_pages_are_accessible(page, world, case):
    log_in(page, world.admin_a)
    for url in ("/staff/cases/?tab=all", f"/staff/cases/{case.number}/", "/staff/cases/inbox/"):
        page.goto(url)
        assert_accessible(page)
    # The exemption ground is shown only when the exemption is chosen (with JS; always without it).
    page.goto(f"/staff/cases/{case.number}/")
    ground = page.locator("#payment-ground")
    assert ground.is_hidden()
    page.select_option("#id_payment-method", "exemption")
    assert ground.is_visible()
    assert js_errors(page) == []


def test_public_status_page_is_accessible(page, case):
    page.goto("/status/")
    assert_accessible(page)
    page.fill("#id_number", case.number)
    page.fill("#id_code", case.access_code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert case.number in page.locator("h2").first.inner_text()
    assert_accessible(page)


def test_public_status_page_works_without_javascript(new_page, case):
    page = new_page(java_script_enabled=False)  # no axe here: evaluating scripts needs JavaScript
    page.goto(f"/status/?number={case.number}&code=WRONG234")
    assert page.locator("[role=alert]").count() == 1
    page.fill("#id_code", case.access_code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert case.number in page.locator("h2").first.inner_text()


def test_consultations_and_the_intake_with_a_representative_are_accessible(page, world, case):
    from vikno.cases.tests.core_factories import make_service

    instant = make_service(instant=True)
    log_in(page, world.admin_a)
    page.goto("/staff/cases/consultations/")
    assert_accessible(page)
    page.goto(f"/staff/cases/new/?service={instant.code}")
    page.locator("details.representative summary").click()
    page.fill("#id_rep-full_name", "Бондар Петро Іванович")
    assert page.locator("#id_identity_document").is_visible()  # instant: the identity document now
    assert_accessible(page)
    assert js_errors(page) == []


def _status(case) -> str:
    from vikno.cases.models import Case

    return Case.objects.get(pk=case.pk).status


def test_a_withdrawal_is_confirmed_from_the_keyboard_without_javascript(new_page, world, case):
    page = new_page(java_script_enabled=False)
    log_in(page, world.admin_a)
    page.goto(f"/staff/cases/{case.number}/")
    tab_to(page, page.get_by_role("button", name="Відкликати заяву"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Підтвердіть: Відкликати заяву")
    expect(page.locator("main")).to_contain_text("Цю дію не можна скасувати.")
    assert _status(case) == "accepted"
    statement = page.get_by_label("Заява суб’єкта звернення")
    tab_to(page, statement)
    page.keyboard.type("Заява від 04.12.2026 № 17")
    page.keyboard.press("Tab")
    confirm = page.get_by_role("button", name="Так, відкликати заяву")
    assert confirm.evaluate("el => el === document.activeElement")  # the statement, then «Yes»
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _status(case) == "withdrawn"
    expect(page.locator("main")).to_contain_text("Заява від 04.12.2026 № 17")


def test_the_confirmation_page_is_accessible(page, world, case):
    log_in(page, world.admin_a)
    page.goto(f"/staff/cases/{case.number}/")
    page.locator("#id_dismiss-reason").fill("Неповний пакет документів")
    with page.expect_navigation():
        page.get_by_role("button", name="Залишити заяву без розгляду").click()
    expect(page.locator("h1")).to_contain_text("Підтвердіть")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Повернутися до справи").click()
    expect(page.locator("#id_dismiss-reason")).to_have_value("Неповний пакет документів")
    assert _status(case) == "accepted"
    assert js_errors(page) == []
