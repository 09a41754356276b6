"""The intake page: find the service, find or create the applicant, checklist, fee, payment, Register."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from vikno.cases.models import Applicant, Case, CaseDocument
from vikno.catalog.search import reindex
from vikno.core.models import AuditEvent
from vikno.payments.models import Payment

from .core_factories import PNG, make_service, pdf, person

VALID_RNOKPP = "3293406441"  # checksum valid (stdnum.ua.rntrc)

URL = "/staff/cases/new/"


def _post_data(service, *, documents=2, **extra):
    data = {
        "service": service.code,
        "applicant": "",
        "office": "",
        "idempotency_key": "",
        "doc-TOTAL_FORMS": str(documents),
        "doc-INITIAL_FORMS": str(documents),
        "doc-MIN_NUM_FORMS": "0",
        "doc-MAX_NUM_FORMS": "1000",
        "applicant-kind": "person",
        "applicant-last_name": "Коваленко",
        "applicant-first_name": "Іван",
        "applicant-rnokpp": VALID_RNOKPP,
        "payment-method": "",
    }
    for i in range(documents):
        data[f"doc-{i}-provided"] = "on"
        data[f"doc-{i}-original"] = "on"
    data.update(extra)
    return data


@pytest.fixture
def admin(world, login_as):
    return login_as(world.admin_a)


def test_service_search_lists_services_and_choosing_one_shows_checklist_and_fee(world, admin):
    service = make_service(fee="85.00", documents=("Заява про видачу паспорта", "Свідоцтво про народження"))
    reindex([service.pk])

    page = admin.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="q"' in html and "autofocus" in html and 'accesskey="s"' in html

    found = admin.get(URL, {"q": service.code})
    assert found.status_code == 200
    assert f"service={service.code}" in found.content.decode()

    htmx = admin.get(URL, {"q": service.code}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and "<html" not in htmx.content.decode()

    chosen = admin.get(URL, {"service": service.code}).content.decode()
    assert "Заява про видачу паспорта" in chosen and "Свідоцтво про народження" in chosen
    assert "85,00 грн" in chosen
    assert 'name="doc-0-provided"' in chosen and 'name="doc-1-copy"' in chosen


def test_register_with_a_new_applicant_payment_and_scan(world, admin):
    service = make_service(fee="85.00")
    data = _post_data(
        service,
        office=str(world.office_a.pk),
        **{
            "payment-method": "pos",
            "payment-amount": "85.00",
            "payment-receipt_number": "R-17",
            "payment-paid_on": "",
            "doc-0-pages": "2",
            "doc-0-file": pdf(),
        },
    )
    response = admin.post(URL, data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/staff/cases/{case.number}/"
    assert case.applicant.last_name == "Коваленко" and case.applicant.rnokpp == VALID_RNOKPP
    assert case.channel == "main" and case.office == world.office_a
    assert Payment.objects.get(case=case).receipt_number == "R-17"
    first = CaseDocument.objects.get(case=case, position=1)
    assert first.provided and first.pages == 2 and first.sha256 and first.content_type == "application/pdf"

    page = admin.get(response["Location"]).content.decode()
    assert case.number in page and case.access_code in page  # the message and the facts


def test_existing_applicant_found_by_rnokpp_is_chosen(world, admin):
    service = make_service()
    known = person(world, rnokpp=VALID_RNOKPP)
    found = admin.get(URL, {"service": service.code, "find": VALID_RNOKPP}).content.decode()
    assert f"applicant={known.pk}" in found

    data = _post_data(service, applicant=str(known.pk), office=str(world.office_a.pk))
    response = admin.post(URL, data)
    assert response.status_code == 302
    assert Case.objects.get().applicant == known
    assert Applicant.objects.count() == 1


def test_probable_duplicate_is_a_warning_until_confirmed(world, admin):
    service = make_service()
    person(world, rnokpp="", phone="0501234567", last_name="Коваленко", first_name="Іван")
    data = _post_data(service, office=str(world.office_a.pk), **{"applicant-phone": "050 123 45 67"})

    warned = admin.post(URL, data)
    assert warned.status_code == 400
    assert "confirm_new" in warned.content.decode()
    assert Case.objects.count() == 0

    data["applicant-confirm_new"] = "on"
    assert admin.post(URL, data).status_code == 302
    assert Applicant.objects.count() == 2


def test_the_same_rnokpp_is_refused_even_when_confirmed_as_another_person(world, admin):
    service = make_service()
    person(world, rnokpp=VALID_RNOKPP, last_name="Коваленко", first_name="Іван")
    data = _post_data(service, office=str(world.office_a.pk), **{"applicant-confirm_new": "on"})
    response = admin.post(URL, data)
    assert response.status_code == 400
    assert "уже є в центрі" in response.content.decode()
    assert Applicant.objects.count() == 1 and Case.objects.count() == 0


def test_ten_digits_from_0_find_the_applicant_by_phone(world, admin):
    found = person(world, rnokpp="", phone="0671234567", last_name="Мельник", first_name="Ольга")
    service = make_service()
    response = admin.get(URL, {"service": service.code, "find": "0671234567"})
    assert response.status_code == 200
    assert "Мельник" in response.content.decode()
    assert found.pk


def test_domain_refusal_is_shown_beside_the_field_and_input_kept(world, admin):
    service = make_service()
    data = _post_data(service, office=str(world.office_a.pk), **{"applicant-rnokpp": "1234567890"})
    response = admin.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "РНОКПП" in html and 'value="1234567890"' in html and 'value="Коваленко"' in html
    assert Case.objects.count() == 0


def test_a_scan_that_is_not_pdf_jpeg_or_png_is_refused_before_registering(world, admin):
    service = make_service()
    fake = pdf("scan.pdf", content=b"MZ\x90\x00 not a pdf at all")
    data = _post_data(service, office=str(world.office_a.pk), **{"doc-1-file": fake})
    response = admin.post(URL, data)
    assert response.status_code == 400
    assert Case.objects.count() == 0
    ok = _post_data(service, office=str(world.office_a.pk), **{"doc-1-file": pdf("scan.png", content=PNG)})
    assert admin.post(URL, ok).status_code == 302


def test_double_submit_registers_once(world, admin):
    service = make_service()
    data = _post_data(service, office=str(world.office_a.pk), idempotency_key="same-form-1")
    first = admin.post(URL, data)
    second = admin.post(URL, {**data, "applicant-confirm_new": "on"})
    assert first.status_code == 302 and second.status_code == 302
    assert Case.objects.count() == 1 and Applicant.objects.count() == 1


def test_intake_is_for_the_front_office_only(world, login_as):
    client = login_as(world.officer_a)
    assert client.get(URL).status_code == 404


def test_viewing_a_chosen_applicant_is_audited(world, admin):
    service = make_service()
    known = person(world)
    admin.get(URL, {"service": service.code, "applicant": known.pk})
    assert AuditEvent.objects.filter(action="applicant.viewed", object_id=str(known.pk)).exists()


def test_a_representative_named_at_the_desk_is_on_the_case_and_can_receive_the_result(world, admin):
    service = make_service()
    data = _post_data(
        service,
        office=str(world.office_a.pk),
        **{
            "rep-full_name": "бондар   петро іванович",
            "rep-authority_document": "Довіреність № 12, 01.12.2026, нотаріус Іваненко",
            "rep-identity_document": "ID-картка 009876543",
            "rep-phone": "+380671112233",
        },
    )
    response = admin.post(URL, data)
    assert response.status_code == 302
    case = Case.objects.select_related("representative").get()
    assert case.representative.full_name == "Бондар Петро Іванович"
    assert case.representative.center_id == world.center_a.pk
    page = admin.get(f"/staff/cases/{case.number}/").content.decode()
    assert "Бондар Петро Іванович" in page and "Довіреність № 12" in page


def test_a_representative_without_the_power_of_attorney_is_refused_beside_the_field(world, admin):
    from vikno.cases.models import Representative

    service = make_service()
    data = _post_data(service, office=str(world.office_a.pk), **{"rep-full_name": "Бондар Петро"})
    response = admin.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Вкажіть довіреність" in html and 'value="Бондар Петро"' in html
    assert Case.objects.count() == 0 and Applicant.objects.count() == 0 and Representative.objects.count() == 0


def test_an_instant_service_asks_for_the_identity_document_at_the_desk(world, admin):
    service = make_service(instant=True)
    page = admin.get(URL, {"service": service.code}).content.decode()
    assert 'name="identity_document"' in page
    refused = admin.post(URL, _post_data(service, office=str(world.office_a.pk)))
    assert refused.status_code == 400
    assert "документ, що посвідчує особу" in refused.content.decode()
    assert Case.objects.count() == 0
    done = admin.post(URL, _post_data(service, office=str(world.office_a.pk), identity_document="Паспорт КВ 123456"))
    assert done.status_code == 302
    assert Case.objects.get().issuance.identity_document == "Паспорт КВ 123456"


def test_document_row_errors_are_in_the_summary_and_the_service_is_kept(world, admin):
    service = make_service()
    response = admin.post(URL, _post_data(service, office=str(world.office_a.pk), **{"doc-1-pages": "0"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_doc-1-pages"' in html  # a link from the summary at the top to the row
    # choosing another applicant after an error keeps the service
    chosen = admin.post(
        URL,
        {**_post_data(service, office=str(world.office_a.pk)), "applicant": str(person(world).pk), "doc-1-pages": "0"},
    )
    assert f'href="/staff/cases/new/?service={service.code}"' in chosen.content.decode()


def test_the_queue_ticket_survives_the_live_service_search(world, admin):
    service = make_service()
    reindex([service.pk])
    page = admin.get(URL, {"ticket": "77"}).content.decode()
    assert 'hx-include="closest form"' in page and 'name="ticket" value="77"' in page
    hits = admin.get(URL, {"q": service.code, "ticket": "77"}, headers={"HX-Request": "true"}).content.decode()
    assert f"service={service.code}" in hits and "ticket=77" in hits


def test_the_result_handed_to_the_representative_records_their_name(world, admin):
    from vikno.cases import services

    service = make_service(providers=[world.provider_a])
    data = _post_data(
        service,
        office=str(world.office_a.pk),
        **{"rep-full_name": "Бондар Петро Іванович", "rep-authority_document": "Довіреність № 12 від 01.12.2026"},
    )
    assert admin.post(URL, data).status_code == 302
    case = Case.objects.get()
    case.status = "result_ready"
    case.save(update_fields=["status"])
    page = admin.get(f"/staff/cases/{case.number}/").content.decode()
    assert 'name="issue-to_representative"' in page
    issued = admin.post(
        f"/staff/cases/{case.number}/issue/",
        {
            "issue-recipient_name": "",  # the form's default: the name of the one chosen
            "issue-identity_document": "ID-картка 009876543",
            "issue-to_representative": "on",
            "confirm": "1",
        },
    )
    assert issued.status_code == 302
    issuance = services.get_case(world.admin_a, case.number).issuance
    assert issuance.to_representative and issuance.recipient_name == "Бондар Петро Іванович"


def test_a_document_needed_only_sometimes_is_not_ticked_as_given_by_default(world, admin):
    from vikno.catalog.models import RequiredDocument

    service = make_service()
    RequiredDocument.objects.filter(version=service.current_version, position=2).update(condition="за наявності")
    html = admin.get(URL, {"service": service.code}).content.decode()
    assert "(за наявності)" in html
    first = re.search(r'<input[^>]*name="doc-0-provided"[^>]*>', html).group(0)
    second = re.search(r'<input[^>]*name="doc-1-provided"[^>]*>', html).group(0)
    assert "checked" in first and "checked" not in second


def test_every_problem_of_a_new_applicant_is_shown_at_once(world, admin):
    service = make_service()
    data = _post_data(
        service,
        office=str(world.office_a.pk),
        **{
            "applicant-first_name": "",
            "applicant-rnokpp": "1234567890",
            "applicant-phone": "12",
            "applicant-email": "not-an-email",
        },
    )
    response = admin.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    for message in ("Вкажіть ім’я заявника", "РНОКПП", "недійсна", "телефон"):
        assert message in html, message
    assert html.count('<li><a href="#id_applicant-') >= 4  # each in the summary, linked to its field
    assert Case.objects.count() == 0


def test_applicant_representative_and_scan_problems_are_shown_together(world, admin):
    from vikno.cases.models import Representative

    service = make_service()
    data = _post_data(
        service,
        office=str(world.office_a.pk),
        **{
            "applicant-rnokpp": "1234567890",
            "rep-full_name": "Бондар Петро",
            "rep-phone": "abc",
            "doc-1-file": pdf("scan.pdf", content=b"MZ\x90\x00 not a pdf at all"),
        },
    )
    response = admin.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Вкажіть довіреність" in html  # the representative's missing power of attorney
    assert 'id="id_applicant-rnokpp"' in html and "контрольн" in html.lower()  # the applicant's РНОКПП
    assert "PDF" in html and "перевірено" in html  # the scan, checked by its content
    assert Case.objects.count() == 0 and Applicant.objects.count() == 0 and Representative.objects.count() == 0


class _Page(HTMLParser):
    """Every element id of a page, and each error summary with the targets of its links."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.summaries: list[tuple[str | None, list[str]]] = []
        self._depth = 0  # open <div>s inside the current summary

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if self._depth:
            if tag == "div":
                self._depth += 1
            if tag == "a" and (attrs.get("href") or "").startswith("#"):
                self.summaries[-1][1].append(attrs["href"][1:])
        elif tag == "div" and "error-summary" in (attrs.get("class") or "").split():
            self.summaries.append((attrs.get("id"), []))
            self._depth = 1

    def handle_endtag(self, tag):
        if self._depth and tag == "div":
            self._depth -= 1


def test_errors_in_several_forms_have_summaries_with_ids_of_their_own(world, admin):
    """Each form in error has its summary at the top, with its own id (the first is focused by cases.js),
    and every link of a summary leads to a field of the page."""
    service = make_service(fee="85.00")
    data = _post_data(
        service,
        office="999999",  # the intake form: no such office
        **{
            "applicant-rnokpp": "1234567890",  # the applicant
            "rep-full_name": "Бондар Петро",  # the representative, without the power of attorney
            "doc-1-pages": "0",  # a row of the checklist
            "payment-method": "pos",  # the payment
            "payment-amount": "abc",
        },
    )
    response = admin.post(URL, data)
    assert response.status_code == 400
    page = _Page()
    page.feed(response.content.decode())
    duplicated = sorted({i for i in page.ids if page.ids.count(i) > 1})
    assert duplicated == []
    assert [summary_id for summary_id, _links in page.summaries] == [
        "error-summary-applicant",
        "error-summary-rep",
        "error-summary-doc",
        "error-summary-payment",
        "error-summary-intake",
    ]
    for summary_id, links in page.summaries:
        assert links, summary_id
        assert set(links) <= set(page.ids), (summary_id, links)
    assert Case.objects.count() == 0


def test_an_applicant_who_refused_a_rnokpp_is_registered_with_the_passport(world, admin):
    service = make_service()
    page = admin.get(URL, {"service": service.code}).content.decode()
    # the passport fields are on the page beside the refusal, labelled, without any script
    assert 'name="applicant-refused_rnokpp"' in page
    assert re.search(r'<label for="id_applicant-passport_series"[^>]*>Серія паспорта:</label>', page)
    assert re.search(r'<label for="id_applicant-passport_number"[^>]*>Номер паспорта:</label>', page)
    refusal = page.index('name="applicant-refused_rnokpp"')
    assert refusal < page.index('name="applicant-passport_series"') < page.index('name="applicant-passport_number"')

    data = _post_data(
        service,
        office=str(world.office_a.pk),
        **{"applicant-rnokpp": "", "applicant-refused_rnokpp": "on"},
    )
    missing = admin.post(URL, data)
    assert missing.status_code == 400
    assert 'href="#id_applicant-passport_number"' in missing.content.decode()  # the summary links to the field

    data.update({"applicant-passport_series": "кв", "applicant-passport_number": "123456"})
    response = admin.post(URL, data)
    assert response.status_code == 302
    applicant = Case.objects.get().applicant
    assert applicant.refused_rnokpp and applicant.rnokpp == ""
    assert (applicant.passport_series, applicant.passport_number) == ("КВ", "123456")
    detail = admin.get(response["Location"]).content.decode()
    assert "КВ 123456" in detail and "Відмова через релігійні переконання" in detail


def test_the_applicant_name_is_labelled_for_people_and_organisations(world, admin):
    service = make_service()
    known = person(world, rnokpp=VALID_RNOKPP)
    found = admin.get(URL, {"service": service.code, "find": VALID_RNOKPP}).content.decode()
    assert '<th scope="col">ПІБ або найменування</th>' in found and ">Назва<" not in found
    assert re.search(r'<label for="id_applicant-last_name"[^>]*>Прізвище:</label>', found)
    data = _post_data(service, office=str(world.office_a.pk), applicant=str(known.pk))
    assert admin.post(URL, data).status_code == 302
    detail = admin.get(f"/staff/cases/{Case.objects.get().number}/").content.decode()
    assert "<dt>ПІБ або найменування</dt>" in detail and "<dt>Назва</dt>" not in detail


def test_ten_digits_with_a_wrong_check_digit_are_refused_at_the_search(world, admin):
    service = make_service()
    response = admin.get(URL, {"service": service.code, "find": "3743678491"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "РНОКПП «3743678491» недійсний: контрольна цифра не збігається" in html
    assert 'aria-describedby="find-help find-error"' in html and 'aria-invalid="true"' in html
    box = re.search(r'<input type="search" name="find"[^>]*>', html).group(0)
    assert "autofocus" in box  # back to the search box, to correct the number
    assert "не знайдено" not in html
    rnokpp = re.search(r'<input[^>]*name="applicant-rnokpp"[^>]*>', html).group(0)
    assert "3743678491" not in rnokpp  # not offered to the new applicant's form
    # a valid РНОКПП nobody has is still offered to the new applicant
    valid = admin.get(URL, {"service": service.code, "find": VALID_RNOKPP}).content.decode()
    assert "недійсний" not in valid
    assert f'value="{VALID_RNOKPP}"' in re.search(r'<input[^>]*name="applicant-rnokpp"[^>]*>', valid).group(0)
