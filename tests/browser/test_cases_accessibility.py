"""The case pages and the public status page pass axe-core (WCAG 2.1 AA) and run without script errors."""

import pytest

from vikno.testing.browser import assert_accessible, js_errors, log_in

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
