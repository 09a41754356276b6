"""An online application from the portal form to the administrator's intake inbox."""

import pytest

from vikno.testing.browser import assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def service(world):
    from vikno.portal.tests.citizen_factories import online_service

    return online_service(world)


def test_online_application_reaches_the_intake_inbox(new_page, world, service, tmp_path):
    from vikno.cases.tests.core_factories import PDF, PNG

    scan, photo = tmp_path / "zayava.pdf", tmp_path / "pasport.png"
    scan.write_bytes(PDF)
    photo.write_bytes(PNG)
    citizen = new_page()
    citizen.goto(f"/c/center-a/apply/{service.code}/")
    assert_accessible(citizen)
    citizen.fill("#id_last_name", "Коваленко")
    citizen.fill("#id_first_name", "Ірина")
    citizen.fill("#id_rnokpp", "3293406441")
    citizen.fill("#id_phone", "0501234567")
    citizen.check("#id_data_consent")
    citizen.set_input_files("#id_doc_1", str(scan))
    citizen.set_input_files("#id_doc_2", str(photo))
    with citizen.expect_navigation():
        citizen.locator("main form button[type=submit]").click()
    number = citizen.locator("#case-number").inner_text().strip()
    assert citizen.locator("#access-code").inner_text().strip()
    assert_accessible(citizen)  # the page with the number and the code

    staff = new_page()
    log_in(staff, world.admin_a)
    staff.goto("/staff/cases/inbox/")
    assert number in staff.locator("main").inner_text()


def test_missing_document_is_sent_from_the_status_page(page, world, tmp_path):
    from vikno.cases import services
    from vikno.cases.tests.core_factories import PDF, make_service, register
    from vikno.core.audit import Actor

    case = register(world, make_service(providers=[world.provider_a]))
    services.transition(case, "send_to_provider", actor=Actor(user=world.admin_a))
    services.transition(case, "take_into_work", actor=Actor(user=world.officer_a))
    services.transition(case, "request_clarification", actor=Actor(user=world.officer_a), comment="Додайте довідку")
    scan = tmp_path / "dovidka.pdf"
    scan.write_bytes(PDF)
    page.goto(f"/status/?number={case.number}&code={case.access_code}")
    assert_accessible(page)
    page.fill("#id_doc_name", "Довідка")
    page.set_input_files("#id_doc_file", str(scan))
    with page.expect_navigation():
        page.locator("#id_doc_file").evaluate("el => el.form.requestSubmit()")
    assert page.locator("[role=status]").count() == 1
    assert case.documents.filter(name="Довідка").exists()


def test_a_refused_application_keeps_the_accepted_file_and_shows_every_error(new_page, world, service, tmp_path):
    from vikno.cases.models import Case
    from vikno.cases.tests.core_factories import PDF, PNG

    scan, fake, photo = tmp_path / "zayava.pdf", tmp_path / "pasport.png", tmp_path / "pasport2.png"
    scan.write_bytes(PDF)
    fake.write_bytes(b"not an image at all")
    photo.write_bytes(PNG)
    citizen = new_page()
    citizen.goto(f"/c/center-a/apply/{service.code}/")
    citizen.fill("#id_last_name", "Коваленко")
    citizen.fill("#id_first_name", "Ірина")
    citizen.fill("#id_rnokpp", "1234567890")
    citizen.fill("#id_phone", "0501234567")
    citizen.fill("#id_email", "not-an-email")
    citizen.check("#id_data_consent")
    citizen.set_input_files("#id_doc_1", str(scan))
    citizen.set_input_files("#id_doc_2", str(fake))
    with citizen.expect_navigation():
        citizen.locator("main form button[type=submit]").click()
    summary = citizen.locator("#error-summary")
    for field in ("rnokpp", "email", "doc_2"):
        assert summary.locator(f'a[href="#id_{field}"]').count() == 1, field
    assert "Файл прийнято: zayava.pdf" in citizen.locator("#id_doc_1_helptext").inner_text()
    assert_accessible(citizen)
    citizen.fill("#id_rnokpp", "3293406441")
    citizen.fill("#id_email", "iryna@example.com")
    citizen.set_input_files("#id_doc_2", str(photo))
    with citizen.expect_navigation():
        citizen.locator("main form button[type=submit]").click()
    assert citizen.locator("#case-number").inner_text().strip()
    case = Case.objects.get(service=service)
    assert case.documents.get(position=1).content_type == "application/pdf"
