"""Emails go out over real SMTP to the local server, with the opt-out link; SMTP errors are retried."""

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


def _enqueue_email(address="Olena.Shevchenko@Example.UA"):
    with transaction.atomic():
        (row,) = services.enqueue(event="result_ready", context=CONTEXT, email=address, email_allowed=True)
    return row


def test_the_smtp_server_receives_the_email(smtp_server):
    row = _enqueue_email()
    run_worker_until(_settled)

    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.recipient == "olena.shevchenko@example.ua"
    (mail,) = smtp_server.messages
    assert mail.rcpt_tos == ["olena.shevchenko@example.ua"]
    assert mail.subject == "Результат за зверненням №A-2025-000123 готовий"
    assert "Державна реєстрація народження" in mail.text
    assert "https://vikno.example.ua/status/?number=A-2025-000123" in mail.text
    assert "https://vikno.example.ua/notify/opt-out/" in mail.text
    assert mail.message["List-Unsubscribe"].strip().startswith("<https://vikno.example.ua/notify/opt-out/")
    assert str(row.key) in mail.message["Message-ID"]


def test_a_temporary_smtp_error_is_retried(smtp_server):
    smtp_server.fail_next(2, code=451)
    row = _enqueue_email()
    run_worker_until(_settled)

    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.attempts == 3
    assert len(smtp_server.messages) == 1


def test_smtp_server_down_then_up(smtp_server):
    smtp_server.stop()
    row = _enqueue_email()
    run_worker_until(lambda: Notification.objects.get(pk=row.pk).attempts >= 2)
    smtp_server.start()
    run_worker_until(_settled)

    row.refresh_from_db()
    assert row.status == Status.SENT
    assert len(smtp_server.messages) == 1


def test_a_refused_mailbox_fails_without_retry(smtp_server):
    smtp_server.rejected_recipients.add("nobody@example.ua")
    row = _enqueue_email("nobody@example.ua")
    run_worker_until(_settled)

    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert row.attempts == 1
    assert smtp_server.messages == []
