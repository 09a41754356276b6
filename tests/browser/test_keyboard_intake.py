"""A typical case can be registered with the keyboard alone: type a search, Tab/Enter through, register."""

import re

import pytest
from playwright.sync_api import expect

from vikno.cases.models import Case
from vikno.testing.browser import assert_accessible, js_errors, log_in

pytestmark = pytest.mark.browser

RNOKPP = "3293406441"


def _passport_service():
    from vikno.cases.tests.core_factories import make_service
    from vikno.catalog.models import Service, ServiceVersion
    from vikno.catalog.search import reindex

    service = make_service(documents=("Заява", "Свідоцтво про народження"))
    name = "Оформлення паспорта громадянина України"
    Service.objects.filter(pk=service.pk).update(name_uk=name)
    ServiceVersion.objects.filter(service=service).update(name_uk=name)
    reindex([service.pk])
    return service


def test_register_a_case_with_the_keyboard_only(page, world):
    service = _passport_service()
    log_in(page, world.admin_a)
    page.goto("/staff/cases/new/")

    search = page.locator("#id_q")
    expect(search).to_be_focused()
    page.keyboard.type("паспорт")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q="))
    expect(page.locator("#service-hits a").first).to_contain_text(service.code)

    page.keyboard.press("Tab")  # the Find button
    page.keyboard.press("Tab")  # the first service found
    expect(page.locator("#service-hits a").first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"service={service.code}"))

    expect(page.locator("#id_find")).to_be_focused()
    assert_accessible(page)
    page.keyboard.type(RNOKPP)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"find="))

    # Nobody found: the new applicant's surname has the focus and the РНОКПП is filled in.
    expect(page.locator("#id_applicant-last_name")).to_be_focused()
    expect(page.locator("#id_applicant-rnokpp")).to_have_value(RNOKPP)
    page.keyboard.type("Коваленко")
    page.keyboard.press("Tab")
    expect(page.locator("#id_applicant-first_name")).to_be_focused()
    page.keyboard.type("Іван")
    page.keyboard.press("Enter")  # registers

    page.wait_for_url(re.compile(r"/staff/cases/\d+-\d{2}-\d{6}/$"))
    case = Case.objects.get()
    expect(page.locator("h1")).to_contain_text(case.number)
    expect(page.locator(".messages")).to_contain_text(case.access_code)
    assert case.applicant.rnokpp == RNOKPP
    assert_accessible(page)
    assert js_errors(page) == []


def test_errors_in_two_forms_focus_the_first_summary_and_link_to_the_fields(page, world):
    """Each form in error has a summary with an id of its own: the first has the focus, and a link of
    another one leads to its field."""
    service = _passport_service()
    log_in(page, world.admin_a)
    page.goto(f"/staff/cases/new/?service={service.code}")
    page.fill("#id_applicant-last_name", "Коваленко")
    page.fill("#id_applicant-first_name", "Іван")
    page.fill("#id_applicant-rnokpp", "1234567890")  # a wrong check digit: the applicant's form
    page.locator("details.representative summary").click()
    page.fill("#id_rep-full_name", "Бондар Петро")  # no power of attorney: the representative's form
    with page.expect_navigation():
        page.locator(".register-bar button[type=submit]").click()

    applicant, representative = page.locator("#error-summary-applicant"), page.locator("#error-summary-rep")
    expect(applicant).to_be_visible()
    expect(representative).to_be_visible()
    expect(applicant).to_be_focused()  # the first summary of the page, read out first
    link = representative.locator("a").first
    target = link.get_attribute("href")
    assert target.startswith("#id_rep-")
    link.click()
    expect(page.locator(target)).to_be_in_viewport()
    assert Case.objects.count() == 0
    assert_accessible(page)
    assert [e for e in js_errors(page) if "status of 400" not in e] == []  # the refused form answers 400


def test_applicants_found_take_the_focus_and_are_chosen_with_the_keyboard(page, world):
    """After a search that finds people the cursor is on the first one found (not on the page's top), so
    Enter chooses them and Tab moves on to the next one."""
    from vikno.cases.tests.core_factories import person

    service = _passport_service()
    first = person(world, rnokpp="", phone="0671234567", last_name="Мельник", first_name="Ольга")
    second = person(world, rnokpp="", phone="0501234567", last_name="Мельник", first_name="Петро")
    log_in(page, world.admin_a)
    page.goto(f"/staff/cases/new/?service={service.code}")

    expect(page.locator("#id_find")).to_be_focused()
    page.keyboard.type("Мельник")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"find="))

    links = page.get_by_role("table", name="Знайдені суб’єкти звернення").get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.first).to_be_focused()
    page.keyboard.press("Tab")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(links.first).to_be_focused()
    chosen = {first.display_name: first, second.display_name: second}[links.first.inner_text().strip()]
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"applicant={chosen.pk}"))
    expect(page.locator("section[aria-labelledby=step-applicant] .chosen strong")).to_have_text(chosen.display_name)
    assert_accessible(page)
    assert js_errors(page) == []


def test_a_scan_survives_a_refused_submit_and_lands_on_the_case(page, world, tmp_path):
    """The file input comes back empty after an error (browsers cannot refill it), but the page says the
    scan was kept, and registering the corrected form attaches it."""
    from vikno.cases.models import CaseDocument
    from vikno.cases.tests.core_factories import PDF

    scan = tmp_path / "заява.pdf"
    scan.write_bytes(PDF)
    service = _passport_service()
    log_in(page, world.admin_a)
    page.goto(f"/staff/cases/new/?service={service.code}")
    page.fill("#id_applicant-last_name", "Коваленко")
    page.fill("#id_applicant-first_name", "Іван")
    page.fill("#id_applicant-rnokpp", "1234567890")  # a wrong check digit
    page.set_input_files("#id_doc-0-file", str(scan))
    with page.expect_navigation():
        page.locator(".register-bar button[type=submit]").click()

    expect(page.locator("#doc-staged-0")).to_contain_text("Файл прийнято: заява.pdf")
    expect(page.locator("#id_doc-0-file")).to_have_attribute("aria-describedby", "doc-staged-0")
    assert_accessible(page)
    page.fill("#id_applicant-rnokpp", RNOKPP)
    with page.expect_navigation():
        page.locator(".register-bar button[type=submit]").click()
    page.wait_for_url(re.compile(r"/staff/cases/\d+-\d{2}-\d{6}/$"))
    document = CaseDocument.objects.get(case=Case.objects.get(), position=1)
    assert document.size == len(PDF) and document.content_type == "application/pdf"
    assert [e for e in js_errors(page) if "status of 400" not in e] == []
