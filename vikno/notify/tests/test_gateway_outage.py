"""Notifications written while the SMS gateway is down are all delivered, each exactly once,
when it comes back."""

from __future__ import annotations

import pytest
from django.db import transaction

from vikno.notify import services
from vikno.notify.models import Notification, Status
from vikno.testing.fakes import run_worker_until

from .conftest import CONTEXT

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_job_queue")]

COUNT = 8


def test_outage_then_recovery(settings, turbosms_gateway):
    settings.NOTIFY_MAX_ATTEMPTS = 50
    # Long enough that the worker moves on to the other jobs instead of hammering the first one.
    settings.NOTIFY_RETRY_BASE_SECONDS, settings.NOTIFY_RETRY_MAX_SECONDS = 0.3, 0.6
    turbosms_gateway.stop()  # connections are refused
    with transaction.atomic():
        for i in range(COUNT):
            services.enqueue(
                event="result_ready",
                context={**CONTEXT, "case_number": f"A-2025-{i:06d}"},
                phone=f"+38050123450{i}",
                sms_allowed=True,
            )

    # The worker tries while the gateway is down: every attempt fails and is scheduled again.
    run_worker_until(lambda: not Notification.objects.filter(attempts=0).exists(), timeout=60)
    assert not Notification.objects.filter(status=Status.SENT).exists()
    assert Notification.objects.exclude(last_error="").count() == COUNT

    turbosms_gateway.start()
    run_worker_until(lambda: Notification.objects.filter(status=Status.SENT).count() == COUNT, timeout=60)

    received = turbosms_gateway.received
    assert len(received) == COUNT
    assert sorted(m["phone"] for m in received) == sorted(f"38050123450{i}" for i in range(COUNT))
    for row in Notification.objects.all():
        assert turbosms_gateway.texts_to(row.recipient) == [row.body]
