"""Online application: one submit reports every problem at once (form, applicant data, every bad file),
and the files that passed the checks are kept for the visitor across the re-render and attached on the
successful submit (``cases.staging``, shared with the staff intake); a token from another session attaches
nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from vikno.cases.models import Case, StagedUpload
from vikno.cases.staging import sweep

from .citizen_factories import PDF, PNG, applicant_data, online_service


@pytest.fixture
def service(world):
    return online_service(world, documents=("Заява", "Паспорт громадянина України", "Довідка про доходи"))


def url(service):
    return f"/c/center-a/apply/{service.code}/"


def _pdf(name="zayava.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _staged_tokens(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(doc_\d+)_staged" value="([^"]+)"', html))


def test_one_submit_reports_every_problem_and_keeps_the_good_file(client, service):
    fake = SimpleUploadedFile("pasport.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    text = SimpleUploadedFile("dovidka.txt", b"plain text", content_type="text/plain")
    data = applicant_data(email="not-an-email", rnokpp="1234567890")
    response = client.post(url(service), {**data, "doc_1": _pdf(), "doc_2": fake, "doc_3": text})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    for field in ("email", "rnokpp", "doc_2", "doc_3"):
        assert f'href="#id_{field}"' in summary, field
        assert f'id="id_{field}_error"' in html, field
    assert "контрольна цифра" in html
    assert 'id="id_doc_1_error"' not in html
    assert "Файл прийнято: zayava.pdf" in html
    assert set(_staged_tokens(html)) == {"doc_1"}
    assert 'value="Коваленко"' in html
    assert not Case.objects.exists()


def test_a_staged_file_is_attached_on_the_successful_submit(client, service, django_capture_on_commit_callbacks):
    first = client.post(url(service), {**applicant_data(rnokpp="1234567890"), "doc_1": _pdf()})
    tokens = _staged_tokens(first.content.decode())
    assert set(tokens) == {"doc_1"}
    staged = StagedUpload.objects.get()
    path = staged.file.name
    assert default_storage.exists(path)
    fixed = {
        **applicant_data(),
        "doc_1_staged": tokens["doc_1"],
        "doc_2": SimpleUploadedFile("pasport.png", PNG, content_type="image/png"),
        "doc_3": _pdf("dovidka.pdf"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(service), fixed)
    assert response.status_code == 302
    case = Case.objects.get(service=service)
    documents = {d.position: d for d in case.documents.all()}
    assert documents[1].provided and documents[1].content_type == "application/pdf" and documents[1].sha256
    assert documents[1].file.read().startswith(b"%PDF-")
    assert not StagedUpload.objects.exists()
    assert not default_storage.exists(path)


def test_a_new_file_replaces_the_staged_one(client, service):
    first = client.post(url(service), {**applicant_data(rnokpp="1234567890"), "doc_1": _pdf()})
    tokens = _staged_tokens(first.content.decode())
    replacement = SimpleUploadedFile("zayava.png", PNG, content_type="image/png")
    response = client.post(
        url(service),
        {
            **applicant_data(),
            "doc_1_staged": tokens["doc_1"],
            "doc_1": replacement,
            "doc_2": SimpleUploadedFile("pasport.png", PNG, content_type="image/png"),
            "doc_3": _pdf("dovidka.pdf"),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(service=service)
    assert case.documents.get(position=1).content_type == "image/png"
    assert not StagedUpload.objects.exists()  # the replaced file is not kept either


def test_a_token_from_another_session_attaches_nothing(client, service):
    first = client.post(url(service), {**applicant_data(rnokpp="1234567890"), "doc_1": _pdf()})
    tokens = _staged_tokens(first.content.decode())
    stranger = Client()
    response = stranger.post(
        url(service),
        {
            **applicant_data(),
            "doc_1_staged": tokens["doc_1"],
            "doc_2": SimpleUploadedFile("pasport.png", PNG, content_type="image/png"),
            "doc_3": _pdf("dovidka.pdf"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_doc_1_error"' in html and "zayava.pdf" not in html
    assert not Case.objects.exists()


def test_a_forged_token_is_ignored(client, service):
    response = client.post(url(service), {**applicant_data(), "doc_1_staged": "1:forged", "doc_2": _pdf()})
    assert response.status_code == 400
    assert 'id="id_doc_1_error"' in response.content.decode()


def test_staged_files_older_than_a_day_are_swept(client, service, django_capture_on_commit_callbacks):
    client.post(url(service), {**applicant_data(rnokpp="1234567890"), "doc_1": _pdf()})
    staged = StagedUpload.objects.get()
    path = staged.file.name
    assert sweep(timezone.now()) == 0
    StagedUpload.objects.filter(pk=staged.pk).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(timezone.now()) == 1
    assert not StagedUpload.objects.exists()
    assert not default_storage.exists(path)


def test_one_sweep_for_the_portal_and_the_intake_runs_every_hour(db):
    from procrastinate.contrib.django import app

    from vikno.cases import tasks

    periodic = app.periodic_registry.periodic_tasks[("cases.sweep_staged_uploads", "staged_uploads")]
    assert periodic.cron == "17 * * * *"
    assert [name for name, _id in app.periodic_registry.periodic_tasks if "staged" in name] == [
        "cases.sweep_staged_uploads"
    ]
    assert tasks.sweep_staged_uploads(0) == 0
