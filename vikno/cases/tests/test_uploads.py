"""Scans and results: PDF/JPEG/PNG by content, the size limit, SHA-256, and nothing half-written."""

from __future__ import annotations

import hashlib

import pytest

from vikno.cases import services
from vikno.cases.models import CaseDocument, CaseEvent, ResultDocument
from vikno.core.audit import Actor
from vikno.core.errors import DomainError

from .core_factories import PDF, PNG, ApiCaller, make_service, pdf, register


@pytest.mark.django_db
def test_a_scan_is_stored_with_its_sha256(world):
    case = register(world, make_service())
    document = services.add_document_file(
        case, 2, pdf("passport.png", PNG, "image/png"), actor=Actor(user=world.admin_a)
    )
    assert document.content_type == "image/png"
    assert document.sha256 == hashlib.sha256(PNG).hexdigest()
    assert document.size == len(PNG) and document.provided
    assert document.file.name.endswith(".png")
    assert document.file.read() == PNG


@pytest.mark.django_db
def test_a_file_named_pdf_that_is_not_a_pdf_is_refused(client, world):
    case = register(world, make_service())
    api = ApiCaller(client, world.admin_a)
    response = api.upload(f"/cases/{case.number}/documents/1", pdf("scan.pdf", b"MZ\x90\x00 not a pdf at all"))
    assert response.status_code == 415
    body = response.json()
    assert body["code"] == "file_type_not_allowed"
    assert "не є документом PDF" in body["message"]
    assert CaseDocument.objects.get(case=case, position=1).sha256 == ""
    assert not CaseEvent.objects.filter(case=case, action="document_uploaded").exists()


@pytest.mark.django_db
def test_a_png_posing_as_pdf_is_refused(world):
    case = register(world, make_service())
    with pytest.raises(DomainError) as exc:
        services.add_document_file(case, 1, pdf("scan.pdf", PNG), actor=Actor(user=world.admin_a))
    assert exc.value.code == "file_type_mismatch"


@pytest.mark.django_db
def test_an_oversized_upload_is_refused(client, world, settings):
    settings.MAX_UPLOAD_MB = 1
    case = register(world, make_service())
    big = PDF + b"0" * (1024 * 1024)
    response = ApiCaller(client, world.admin_a).upload(f"/cases/{case.number}/documents/1", pdf("big.pdf", big))
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert "1 МБ" in response.json()["message"]
    assert CaseDocument.objects.get(case=case, position=1).size is None


@pytest.mark.django_db
def test_an_unknown_position_is_404(client, world):
    case = register(world, make_service())
    response = ApiCaller(client, world.admin_a).upload(f"/cases/{case.number}/documents/9", pdf())
    assert response.status_code == 404


@pytest.mark.django_db
def test_results_are_uploaded_by_the_officer(client, world):
    service = make_service(providers=[world.provider_a])
    case = register(world, service)
    services.transition(case, "send_to_provider", actor=Actor(user=world.admin_a))
    officer = ApiCaller(client, world.officer_a)
    early = officer.upload(f"/cases/{case.number}/results", pdf(), name="Довідка")
    assert early.status_code == 409  # not in work yet
    assert officer.post(f"/cases/{case.number}/transitions", {"action": "take_into_work"}).status_code == 200
    response = officer.upload(f"/cases/{case.number}/results", pdf(), name="Довідка", mark_ready="true")
    assert response.status_code == 201, response.content
    assert response.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert ResultDocument.objects.get(case=case).name == "Довідка"
    assert officer.get(f"/cases/{case.number}").json()["status"] == "result_ready"
