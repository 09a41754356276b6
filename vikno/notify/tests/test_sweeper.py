"""The sweeper finds rows whose job was lost or whose worker stopped mid-way, and they are delivered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from vikno.notify import services
from vikno.notify.models import Notification, Status
from vikno.testing.fakes import run_worker_until

from .conftest import CONTEXT

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_job_queue")]


def _jobs() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'notify.deliver'")
        return cursor.fetchone()[0]


def _lose_jobs() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name = 'notify.deliver'")


def test_a_lost_job_is_recovered(turbosms_gateway):
    with transaction.atomic():
        (row,) = services.enqueue(event="accepted", context=CONTEXT, phone="+380501234567", sms_allowed=True)
    _lose_jobs()  # e.g. removed by hand
    assert _jobs() == 0

    assert services.sweep() == 0  # too fresh to be considered lost
    Notification.objects.filter(pk=row.pk).update(updated_at=timezone.now() - timedelta(minutes=30))
    assert services.sweep() == 1
    assert services.sweep() == 0  # one waiting job per row at most

    run_worker_until(lambda: Notification.objects.get(pk=row.pk).status == Status.SENT)
    assert len(turbosms_gateway.received) == 1


def test_a_row_left_sending_is_queued_again(turbosms_gateway):
    with transaction.atomic():
        (row,) = services.enqueue(event="accepted", context=CONTEXT, phone="+380501234567", sms_allowed=True)
    _lose_jobs()
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENDING, attempts=1, sending_since=timezone.now() - timedelta(hours=1)
    )
    assert services.sweep() == 1
    run_worker_until(lambda: Notification.objects.get(pk=row.pk).status == Status.SENT)
    row.refresh_from_db()
    assert row.attempts == 2
    assert len(turbosms_gateway.received) == 1


def test_the_sweeper_leaves_finished_rows_alone(turbosms_gateway):
    with transaction.atomic():
        (row,) = services.enqueue(event="accepted", context=CONTEXT, phone="+380501234567", sms_allowed=True)
    run_worker_until(lambda: Notification.objects.get(pk=row.pk).status == Status.SENT)
    Notification.objects.filter(pk=row.pk).update(updated_at=timezone.now() - timedelta(days=1))
    assert services.sweep() == 0
