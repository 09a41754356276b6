"""Gateway errors and timeouts are retried with backoff until the message gets through: nothing is
lost and nothing reaches the recipient twice (counted at the local gateway)."""

from __future__ import annotations

import pytest
from django.db import transaction

from vikno.notify import services
from vikno.notify.models import Notification, Status
from vikno.testing.fakes import run_worker_until

from .conftest import CONTEXT

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_job_queue")]


def _settled():
    return not Notification.objects.filter(status__in=[Status.QUEUED, Status.SENDING]).exists()


def _enqueue_sms(number="A-2025-000123"):
    with transaction.atomic():
        (row,) = services.enqueue(
            event="accepted", context={**CONTEXT, "case_number": number}, phone="+380501234567", sms_allowed=True
        )
    return row


@pytest.mark.parametrize("failures", [("http_500",), ("error", "error"), ("http_500", "error", "http_500")])
def test_turbosms_errors_are_retried_until_delivered(turbosms_gateway, failures):
    turbosms_gateway.script(*failures)
    row = _enqueue_sms()
    run_worker_until(_settled)

    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.attempts == len(failures) + 1
    assert turbosms_gateway.requests == len(failures) + 1
    assert turbosms_gateway.texts_to("+380501234567") == [row.body]


def test_a_timeout_is_retried_and_the_gateway_keeps_one_copy(turbosms_gateway):
    turbosms_gateway.script("slow")  # takes the message but answers after the client gave up
    row = _enqueue_sms()
    run_worker_until(_settled)

    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.attempts == 2
    assert len(turbosms_gateway.received) == 1


def test_generic_gateway_timeout_then_error_then_success(generic_sms_gateway):
    generic_sms_gateway.script("slow", "error")
    row = _enqueue_sms()
    run_worker_until(_settled)

    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.attempts == 3
    assert [m["key"] for m in generic_sms_gateway.received] == [str(row.key)]


def test_retries_wait_longer_each_time(settings, turbosms_gateway):
    from vikno.notify.delivery import backoff_seconds

    settings.NOTIFY_RETRY_BASE_SECONDS, settings.NOTIFY_RETRY_MAX_SECONDS = 30.0, 3600.0
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30.0, 60.0, 120.0, 240.0]
    assert backoff_seconds(20) == 3600.0


def test_gives_up_after_the_last_attempt_and_staff_can_resend(settings, turbosms_gateway):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    turbosms_gateway.script("http_500", "http_500", "http_500")
    row = _enqueue_sms()
    run_worker_until(_settled)

    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert row.attempts == 3
    assert "HTTP 500" in row.last_error
    assert turbosms_gateway.received == []

    copy = services.resend(row, actor=None)
    run_worker_until(_settled)
    copy.refresh_from_db()
    assert copy.status == Status.SENT and copy.original_id == row.pk
    assert turbosms_gateway.texts_to("+380501234567") == [row.body]


def test_a_permanent_refusal_is_not_retried(turbosms_gateway):
    turbosms_gateway.script("reject")
    row = _enqueue_sms()
    run_worker_until(_settled)

    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert row.attempts == 1
    assert "305" in row.last_error
