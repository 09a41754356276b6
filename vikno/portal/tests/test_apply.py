"""Online application: the form built from the ІК checklist, validation beside the fields, and the
case that lands in the front office's intake inbox as ``submitted_online``."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vikno.cases.models import Case, Status
from vikno.notify.models import Notification

from .citizen_factories import PDF, PNG, applicant_data, online_service


def _files(**override):
    files = {
        "doc_1": SimpleUploadedFile("zayava.pdf", PDF, content_type="application/pdf"),
        "doc_2": SimpleUploadedFile("pasport.png", PNG, content_type="image/png"),
    }
    files.update(override)
    return {k: v for k, v in files.items() if v is not None}


@pytest.fixture
def service(world):
    return online_service(world)


def url(service, slug="center-a"):
    return f"/c/{slug}/apply/{service.code}/"


def test_form_lists_one_upload_per_required_document(client, service):
    response = client.get(url(service))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file" name="doc_1"' in html and 'type="file" name="doc_2"' in html
    assert "Паспорт громадянина України" in html
    assert 'for="id_rnokpp"' in html and "<h1>" in html
    listing = client.get("/c/center-a/apply/").content.decode()
    assert service.code in listing


def test_not_online_or_not_listed_or_other_center_is_404(world, client):
    offline = online_service(world, online=False)
    unlisted = online_service(world, listed=False)
    listed_elsewhere = online_service(world, center=world.center_b)
    assert client.get(url(offline)).status_code == 404
    assert client.get(url(unlisted)).status_code == 404
    assert client.get(url(listed_elsewhere)).status_code == 404
    assert client.get(url(listed_elsewhere, slug="center-b")).status_code == 200
    assert client.get("/c/no-such-center/apply/X/").status_code == 404


def test_submitted_application_is_registered_online_and_notified(world, client, service, login_as):
    response = client.post(url(service), {**applicant_data(), **_files()})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    case = Case.objects.get(service=service)
    assert case.status == Status.SUBMITTED_ONLINE and case.channel == "online"
    assert case.number in done and case.access_code in done
    assert case.office == world.office_a and case.applicant.rnokpp == "3293406441"
    documents = list(case.documents.order_by("position"))
    assert [d.content_type for d in documents] == ["application/pdf", "image/png"]
    assert all(d.file and d.sha256 for d in documents)
    events = set(Notification.objects.filter(case_id=case.pk).values_list("event", "channel"))
    assert events == {("online_submitted", "sms"), ("online_submitted", "email")}
    login_as(world.admin_a)
    inbox = client.get("/staff/cases/inbox/").content.decode()
    assert case.number in inbox


def test_missing_fields_are_shown_beside_the_field_and_input_is_kept(client, service):
    data = applicant_data(last_name="", data_consent="")
    response = client.post(url(service), {**data, **_files(doc_2=None)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_last_name_error"' in html
    assert 'id="id_data_consent_error"' in html
    assert 'id="id_doc_2_error"' in html
    assert 'value="Ірина"' in html and 'value="3293406441"' in html
    assert not Case.objects.exists()


def test_bad_rnokpp_gets_the_domain_message_beside_the_field(client, service):
    response = client.post(url(service), {**applicant_data(rnokpp="1234567890"), **_files()})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_rnokpp_error"' in html and "контрольна цифра" in html
    assert 'value="Коваленко"' in html
    assert not Case.objects.exists()


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused(client, service):
    fake = SimpleUploadedFile("zayava.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url(service), {**applicant_data(), **_files(doc_1=fake)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_doc_1_error"' in html and "PDF" in html
    assert not Case.objects.exists()


def test_an_oversized_file_is_refused(client, service, settings):
    settings.MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024 + 10), content_type="application/pdf")
    response = client.post(url(service), {**applicant_data(), **_files(doc_1=big)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_doc_1_error"' in html and "завеликий" in html
    assert not Case.objects.exists()


def test_a_returning_applicant_applies_on_their_card_and_sees_nothing_of_it(world, client, service):
    from vikno.cases.models import Applicant, CaseEvent

    card = Applicant.objects.create(
        center=world.center_a, region=world.r1, last_name="Справжня", first_name="Олена", rnokpp="3293406441"
    )
    response = client.post(url(service), {**applicant_data(phone="0671112233"), **_files()})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "Справжня" not in done
    case = Case.objects.get(service=service)
    assert case.applicant == card and Applicant.objects.filter(rnokpp="3293406441").count() == 1
    card.refresh_from_db()
    assert card.last_name == "Справжня" and card.phone == ""  # the web form changes no card
    note = CaseEvent.objects.get(case=case, action="online_details")
    assert not note.visible_to_applicant
    assert "Коваленко Ірина Олегівна" in note.comment and "0671112233" in note.comment


def test_a_document_needed_only_in_some_cases_may_be_left_out(world, client):
    from vikno.catalog.models import RequiredDocument

    service = online_service(world)
    RequiredDocument.objects.filter(version=service.current_version, position=2).update(
        condition="у разі звернення представника"
    )
    form = client.get(url(service)).content.decode()
    assert "у разі звернення представника" in form
    response = client.post(url(service), {**applicant_data(), **_files(doc_2=None)})
    assert response.status_code == 302
    case = Case.objects.get(service=service)
    provided = dict(case.documents.values_list("position", "provided"))
    assert provided == {1: True, 2: False}
