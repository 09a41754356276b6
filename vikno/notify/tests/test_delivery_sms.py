"""An SMS written to the outbox is delivered by the worker and received by the local gateway once."""

from __future__ import annotations

import pytest
from django.db import transaction

from vikno.notify import services
from vikno.notify.models import Notification, Status
from vikno.testing.fakes import run_worker_until

from .conftest import CONTEXT

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_job_queue")]


def _all_done():
    return not Notification.objects.filter(status__in=[Status.QUEUED, Status.SENDING]).exists()


def test_turbosms_receives_the_sms(world, turbosms_gateway):
    with transaction.atomic():
        (row,) = services.enqueue(
            event="accepted", context=CONTEXT, phone="050 123 45 67", sms_allowed=True, center_id=world.center_a.pk
        )
    run_worker_until(_all_done)

    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.recipient == "+380501234567"
    assert row.provider == "turbosms"
    assert row.attempts == 1
    assert row.sent_at is not None
    (received,) = turbosms_gateway.received
    assert received["phone"] == "380501234567"
    assert received["sender"] == "Vikno"
    assert received["text"] == row.body
    assert "A-2025-000123" in received["text"]
    assert received["message_id"] == row.provider_message_id


def test_generic_gateway_receives_the_sms_with_its_idempotency_key(world, generic_sms_gateway):
    with transaction.atomic():
        (row,) = services.enqueue(
            event="result_ready", context=CONTEXT, phone="+380671112233", sms_allowed=True, center_id=world.center_a.pk
        )
    run_worker_until(_all_done)

    row.refresh_from_db()
    assert row.status == Status.SENT
    (received,) = generic_sms_gateway.received
    assert received == {
        "phone": "+380671112233",
        "text": row.body,
        "key": str(row.key),
        "message_id": row.provider_message_id,
    }


def test_a_sent_notification_is_never_sent_again(world, turbosms_gateway):
    from vikno.notify import delivery

    with transaction.atomic():
        (row,) = services.enqueue(event="refused", context=CONTEXT, phone="+380501234567", sms_allowed=True)
    run_worker_until(_all_done)
    assert len(turbosms_gateway.received) == 1

    assert delivery.deliver(row.pk) == "skipped"
    services.defer_delivery(row.pk)
    run_worker_until(_all_done)
    assert len(turbosms_gateway.received) == 1
