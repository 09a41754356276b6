"""From intake to issuance through the API, with the notifications really delivered: the SMS reaches
a local server speaking the TurboSMS protocol and the email a local SMTP server."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vikno.accounts.models import ApiToken
from vikno.cases import services
from vikno.cases.models import Case, Status
from vikno.cases.tests.core_factories import PDF, make_service
from vikno.core.audit import Actor
from vikno.core.models import AuditEvent
from vikno.notify.models import Notification
from vikno.testing.fakes import run_worker_until

PHONE = "+380501234567"
EMAIL = "olena@example.org"


@pytest.fixture
def clean_job_queue(transactional_db):
    from django.db import connection

    def _clear():
        with connection.cursor() as cursor:
            for table in ("procrastinate_periodic_defers", "procrastinate_events", "procrastinate_jobs"):
                cursor.execute(f"DELETE FROM {table}")

    _clear()
    yield
    _clear()


def _bearer(user) -> dict:
    _token, key = ApiToken.issue(user, "e2e")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db(transaction=True)
def test_intake_to_issuance_with_sms_and_email_received(
    world,
    client,
    settings,
    smtp_server,
    turbosms_gateway,
    clean_job_queue,
):
    settings.NOTIFY_RETRY_BASE_SECONDS = 0.05
    settings.NOTIFY_RETRY_MAX_SECONDS = 0.2
    admin, officer = _bearer(world.admin_a), _bearer(world.officer_a)
    service = make_service(providers=[world.provider_a], fee="150.00")

    # The administrator registers the applicant (with consent to SMS and email) and the case.
    response = client.post(
        "/api/v1/applicants",
        {
            "last_name": "Шевченко",
            "first_name": "Олена",
            "patronymic": "Петрівна",
            "phone": "050 123 45 67",
            "email": EMAIL,
            "sms_consent": True,
            "email_consent": True,
        },
        content_type="application/json",
        **admin,
    )
    assert response.status_code in (200, 201), response.content
    applicant_id = response.json()["applicant"]["id"] if "applicant" in response.json() else response.json()["id"]
    response = client.post(
        "/api/v1/cases",
        {
            "service": service.code,
            "applicant_id": applicant_id,
            "office_id": world.office_a.pk,
            "payment": {"method": "pos", "amount": "150.00", "receipt_number": "POS-1", "paid_on": "2026-11-23"},
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="e2e-1",
        **admin,
    )
    assert response.status_code in (200, 201), response.content
    number = response.json()["number"]
    case = Case.objects.get(number=number)
    assert case.status == Status.ACCEPTED and case.due_at is not None

    def act(headers, action, **extra):
        r = client.post(
            f"/api/v1/cases/{number}/transitions",
            {"action": action, **extra},
            content_type="application/json",
            **headers,
        )
        assert r.status_code == 200, r.content
        return r.json()

    act(admin, "send_to_provider")
    act(officer, "take_into_work")
    services.attach_result(
        Case.objects.get(pk=case.pk),
        SimpleUploadedFile("result.pdf", PDF, "application/pdf"),
        name="Витяг",
        actor=Actor(user=world.officer_a),
    )
    act(officer, "mark_result_ready")
    response = client.post(
        f"/api/v1/cases/{number}/issue",
        {"identity_document": "ID-картка № 001234567"},
        content_type="application/json",
        **admin,
    )
    assert response.status_code == 200, response.content
    assert Case.objects.get(pk=case.pk).status == Status.ISSUED

    # The worker delivers the outbox; the local servers receive each message exactly once.
    run_worker_until(lambda: not Notification.objects.filter(case_id=case.pk).exclude(status="sent").exists())
    texts = turbosms_gateway.texts_to(PHONE)
    assert any(number in t for t in texts), texts
    assert len(texts) == len(set(texts)) == Notification.objects.filter(case_id=case.pk, channel="sms").count() >= 2
    mails = smtp_server.messages_to(EMAIL)
    assert len(mails) == Notification.objects.filter(case_id=case.pk, channel="email").count() >= 2
    assert all(number in (m.subject + m.text) for m in mails)
    assert {"accepted", "result_ready"} <= set(
        Notification.objects.filter(case_id=case.pk).values_list("event", flat=True)
    )
    # Every step is on record in the audit log.
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).count() >= 5
