"""enqueue writes outbox rows in the caller's transaction, only for allowed channels and addresses."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from vikno.core.errors import DomainError
from vikno.core.models import AuditEvent
from vikno.notify import services
from vikno.notify.models import Notification, OptOut, Status
from vikno.testing import work_callbacks

from .conftest import CONTEXT

pytestmark = pytest.mark.django_db


def test_rows_share_the_callers_transaction(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enqueue(event="accepted", context=CONTEXT, phone="+380501234567", sms_allowed=True)
        raise RuntimeError("the event itself failed")
    assert not Notification.objects.exists()


def test_one_row_per_allowed_channel_with_scope(world):
    rows = services.enqueue(
        event="accepted",
        context=CONTEXT,
        phone="0501234567",
        email="a@example.ua",
        sms_allowed=True,
        email_allowed=False,
        center_id=world.center_a.pk,
    )
    assert [(r.channel, r.recipient, r.status) for r in rows] == [("sms", "+380501234567", Status.QUEUED)]
    assert rows[0].center_id == world.center_a.pk and rows[0].region_id == world.r1.pk
    assert AuditEvent.objects.filter(action="notify.enqueued", object_id=str(rows[0].pk)).exists()
    assert services.enqueue(event="accepted", context=CONTEXT, phone="+380501234567") == []


def _jobs(notification_id: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT queueing_lock FROM procrastinate_jobs WHERE task_name = 'notify.deliver' AND args->>'notification_id' = %s",
            [str(notification_id)],
        )
        return [lock for (lock,) in cursor.fetchall()]


def test_the_delivery_job_is_written_with_the_row_and_rolled_back_with_it(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        (row,) = services.enqueue(event="accepted", context=CONTEXT, phone="+380501234567", sms_allowed=True)
        assert _jobs(row.pk) == [f"notification-{row.pk}"]  # already there, inside the transaction
    assert work_callbacks(callbacks) == []  # nothing is left for after the commit
    with pytest.raises(RuntimeError), transaction.atomic():
        (gone,) = services.enqueue(event="accepted", context=CONTEXT, phone="+380501234568", sms_allowed=True)
        raise RuntimeError
    assert not Notification.objects.filter(pk=gone.pk).exists()
    assert _jobs(gone.pk) == []


def test_invalid_or_opted_out_addresses_are_recorded_as_cancelled(world):
    OptOut.objects.create(channel="email", address="gone@example.ua")
    sms, mail = services.enqueue(
        event="result_ready",
        context=CONTEXT,
        phone="12345",
        email="Gone@Example.ua",
        sms_allowed=True,
        email_allowed=True,
    )
    assert sms.status == Status.CANCELLED and "некоректний" in sms.last_error
    assert mail.status == Status.CANCELLED and "відмовився" in mail.last_error


def test_unknown_event_or_missing_context_is_refused(world):
    with pytest.raises(DomainError) as exc:
        services.enqueue(event="party", context=CONTEXT, phone="+380501234567", sms_allowed=True)
    assert exc.value.code == "unknown_event"
    with pytest.raises(DomainError) as exc:
        services.enqueue(event="accepted", context={"case_number": "1"}, phone="+380501234567", sms_allowed=True)
    assert exc.value.code == "missing_context"


def test_notifications_for_case(world):
    from .conftest import make_case

    case = make_case(world)
    services.enqueue(event="accepted", context=CONTEXT, phone="+380501234567", sms_allowed=True, case_id=case.pk)
    services.enqueue(event="result_ready", context=CONTEXT, phone="+380501234567", sms_allowed=True, case_id=case.pk)
    services.enqueue(event="refused", context=CONTEXT, phone="+380501234567", sms_allowed=True)
    assert [n.event for n in services.notifications_for_case(case.pk)] == ["result_ready", "accepted"]


def test_two_channels_cost_one_statement_each_for_opt_outs_rows_audit_and_jobs(world):
    from django.test.utils import CaptureQueriesContext

    OptOut.objects.create(channel="email", address="gone@example.ua", source="link")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        sms, email = services.enqueue(
            event="accepted",
            context=CONTEXT,
            phone="+380501234567",
            email="gone@example.ua",
            sms_allowed=True,
            email_allowed=True,
            center_id=world.center_a.pk,
            region_id=world.r1.pk,
        )
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "notify_optout"' in s for s in sql) == 1
    assert sum(s.startswith('INSERT INTO "notify_notification"') for s in sql) == 1
    assert sum(s.startswith('INSERT INTO "core_auditevent"') for s in sql) == 1
    assert sum("procrastinate_defer_jobs" in s for s in sql) == 1
    assert (sms.status, email.status) == (Status.QUEUED, Status.CANCELLED)
    assert email.last_error == "Отримувач відмовився від повідомлень."
    assert _jobs(sms.pk) == [f"notification-{sms.pk}"] and _jobs(email.pk) == []
    records = AuditEvent.objects.filter(action="notify.enqueued").order_by("seq")
    assert [r.object_id for r in records] == [str(sms.pk), str(email.pk)]


def test_both_channels_queued_get_a_job_each(world):
    sms, email = services.enqueue(
        event="accepted",
        context=CONTEXT,
        phone="+380501234567",
        email="a@example.ua",
        sms_allowed=True,
        email_allowed=True,
        center_id=world.center_a.pk,
    )
    assert _jobs(sms.pk) == [f"notification-{sms.pk}"] and _jobs(email.pk) == [f"notification-{email.pk}"]
    assert "opt_out_url" not in sms.body and "/" in email.body
