"""Missing documents added from the public status page while the case needs clarification."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vikno.cases import services
from vikno.cases.tests.core_factories import PDF, make_service, register
from vikno.core.audit import Actor

URL = "/status/documents/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(world):
    case = register(world, make_service(providers=[world.provider_a]))
    admin, officer = Actor(user=world.admin_a), Actor(user=world.officer_a)
    services.transition(case, "send_to_provider", actor=admin)
    services.transition(case, "take_into_work", actor=officer)
    services.transition(case, "request_clarification", actor=officer, comment="Додайте довідку про склад сім’ї")
    case.refresh_from_db()
    return case


def _pdf():
    return SimpleUploadedFile("dovidka.pdf", PDF, content_type="application/pdf")


def test_status_page_offers_the_upload_form_when_clarification_is_needed(client, case):
    html = client.get("/status/", {"number": case.number, "code": case.access_code}).content.decode()
    assert 'action="/status/documents/"' in html and 'name="file"' in html
    assert f'value="{case.access_code}"' in html


def test_document_is_added_as_a_new_case_document(client, case):
    before = case.documents.count()
    response = client.post(
        URL, {"number": case.number, "code": case.access_code, "name": "Довідка про склад сім’ї", "file": _pdf()}
    )
    assert response.status_code == 200
    assert case.documents.count() == before + 1
    added = case.documents.order_by("-position").first()
    assert added.name == "Довідка про склад сім’ї" and added.content_type == "application/pdf" and added.sha256
    assert case.events.filter(action="applicant_document_added").exists()


def test_wrong_code_is_404_and_nothing_is_added(client, case):
    before = case.documents.count()
    response = client.post(URL, {"number": case.number, "code": "WRONG234", "file": _pdf()})
    assert response.status_code == 404
    assert case.documents.count() == before


def test_bad_file_is_shown_beside_the_field(client, case):
    bad = SimpleUploadedFile("dovidka.pdf", b"plain text", content_type="application/pdf")
    response = client.post(URL, {"number": case.number, "code": case.access_code, "name": "Довідка", "file": bad})
    assert response.status_code == 415
    html = response.content.decode()
    assert 'id="id_doc_file_error"' in html and 'value="Довідка"' in html


def test_not_accepted_when_no_clarification_is_asked(world, client):
    case = register(world, make_service(providers=[world.provider_a]))
    response = client.post(URL, {"number": case.number, "code": case.access_code, "file": _pdf()})
    assert response.status_code == 409
    assert "уточнення" in response.content.decode()


def test_the_status_page_confirms_documents_already_sent_and_keeps_the_form(client, case):
    query = {"number": case.number, "code": case.access_code}
    before = client.get("/status/", query).content.decode()
    assert "Документ отримано" not in before
    sent = {"number": case.number, "code": case.access_code, "name": "Довідка про склад сім’ї", "file": _pdf()}
    assert client.post(URL, sent).status_code == 200
    html = client.get("/status/", query).content.decode()
    assert "Документ отримано, очікуйте розгляду" in html
    assert "Довідка про склад сім’ї" in html
    added = case.events.get(action="applicant_document_added")
    received = timezone.localtime(added.at).strftime("%d.%m.%Y %H:%M")
    assert html.count(received) >= 2  # in the list of sent documents and in the history
    assert 'action="/status/documents/"' in html and 'name="file"' in html  # more may be added
    client.cookies["django_language"] = "en"
    english = client.get("/status/", query).content.decode()
    assert "Document received, please wait for the review" in english


def test_documents_sent_for_an_earlier_request_are_not_shown_as_the_answer_to_a_new_one(world, client, case):
    sent = {"number": case.number, "code": case.access_code, "name": "Стара довідка", "file": _pdf()}
    assert client.post(URL, sent).status_code == 200
    officer = Actor(user=world.officer_a)
    services.transition(case, "resume", actor=officer)
    services.transition(case, "request_clarification", actor=officer, comment="Потрібен ще витяг.")
    html = client.get("/status/", {"number": case.number, "code": case.access_code}).content.decode()
    assert "Потрібен ще витяг." in html
    assert "Документ отримано, очікуйте розгляду" not in html
