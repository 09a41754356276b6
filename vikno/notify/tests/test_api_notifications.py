"""GET /api/v1/notifications?case_id= and POST /api/v1/notifications/{id}/resend, scoped."""

from __future__ import annotations

import pytest

from vikno.core.models import AuditEvent
from vikno.notify import services
from vikno.notify.models import Notification, Status

from .conftest import CONTEXT, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_row(world):
    case = make_case(world)
    (row,) = services.enqueue(
        event="accepted",
        context=CONTEXT,
        phone="+380501234567",
        sms_allowed=True,
        case_id=case.pk,
        center_id=world.center_a.pk,
    )
    Notification.objects.filter(pk=row.pk).update(status=Status.SENT)
    row.refresh_from_db()
    return row


def test_list_by_case_within_scope(world, login_as, sent_row):
    services.enqueue(
        event="refused", context=CONTEXT, phone="+380501234567", sms_allowed=True, center_id=world.center_b.pk
    )

    client = login_as(world.admin_a)
    data = client.get(f"/api/v1/notifications?case_id={sent_row.case_id}").json()
    assert [(n["id"], n["status"], n["channel"]) for n in data["items"]] == [(sent_row.pk, "sent", "sms")]
    assert len(client.get("/api/v1/notifications").json()["items"]) == 1


def test_other_center_sees_nothing(world, login_as, sent_row):
    client = login_as(world.admin_b)
    assert client.get(f"/api/v1/notifications?case_id={sent_row.case_id}").json()["items"] == []
    assert client.get(f"/api/v1/notifications/{sent_row.pk}").status_code == 404
    assert client.post(f"/api/v1/notifications/{sent_row.pk}/resend").status_code == 404


def test_resend_creates_a_linked_row_and_audits(world, login_as, sent_row):
    client = login_as(world.admin_a)
    response = client.post(f"/api/v1/notifications/{sent_row.pk}/resend")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["original_id"] == sent_row.pk and data["status"] == "queued" and data["case_id"] == sent_row.case_id
    copy = Notification.objects.get(pk=data["id"])
    assert copy.body == sent_row.body and copy.created_by_id == world.admin_a.pk
    assert AuditEvent.objects.filter(action="notify.resent", object_id=str(copy.pk), actor_id=world.admin_a.pk).exists()

    again = client.post(f"/api/v1/notifications/{copy.pk}/resend")
    assert again.status_code == 409
    assert again.json()["code"] == "notification_pending"


def test_monitor_reads_but_cannot_resend(world, login_as, sent_row):
    client = login_as(world.monitor_1)
    assert client.get(f"/api/v1/notifications/{sent_row.pk}").status_code == 200
    assert client.post(f"/api/v1/notifications/{sent_row.pk}/resend").status_code == 403
