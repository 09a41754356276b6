"""Delivering one notification: the work of the ``notify.deliver`` task.

Claiming is a compare-and-set under a row lock: only a ``queued`` row is taken, and it becomes
``sending`` in a short transaction of its own, so two workers (or a job and its duplicate from the
sweeper) never send the same row, and a ``sent`` row is never sent again. The gateway is called
outside any transaction. The outcome is written back only if the row is still ``sending``.

Every attempt travels with the row's ``key``: the generic gateway deduplicates by it, TurboSMS
refuses an identical message within 90 seconds (read as "already delivered"), and email carries it
as the Message-ID, so an attempt whose answer was lost does not reach the recipient twice.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from vikno.core import audit

from .adapters.base import (
    DeliveryError,
    PermanentDeliveryError,
    SmsMessage,
    TransientDeliveryError,
)
from .adapters.registry import sms_gateway
from .models import OPTED_OUT, Channel, Notification, OptOut, Status
from .optout import opt_out_url

logger = logging.getLogger("vikno.notify")


class RetryLater(Exception):
    """Raised to the task queue after a transient failure; ``delay`` is the backoff in seconds."""

    def __init__(self, message: str, *, delay: float):
        super().__init__(message)
        self.delay = delay


@dataclass(frozen=True)
class Delivered:
    provider: str
    message_id: str


def backoff_seconds(attempts: int) -> float:
    """Wait after the ``attempts``-th failed attempt: base, 2×base, 4×base, … up to the maximum."""
    base = float(settings.NOTIFY_RETRY_BASE_SECONDS)
    return min(float(settings.NOTIFY_RETRY_MAX_SECONDS), base * 2 ** max(attempts - 1, 0))


def deliver(notification_id: int) -> str:
    """Try to deliver one notification; returns its status afterwards (or ``skipped`` when it
    was not ``queued``). Raises ``RetryLater`` after a transient failure with attempts left."""
    row = _claim(notification_id)
    if row is None:
        return "skipped"
    if row.status == Status.CANCELLED:
        return row.status
    try:
        outcome = _send(row)
    except PermanentDeliveryError as exc:
        _finish_failed(row, str(exc))
        return Status.FAILED
    except Exception as exc:
        # Transient gateway errors, and anything unexpected: the attempt is counted and retried.
        error = str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, DeliveryError):
            logger.exception("notification %s: unexpected delivery error", row.pk)
        if row.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            _finish_failed(row, f"{error} (спроб: {row.attempts})")
            return Status.FAILED
        delay = backoff_seconds(row.attempts)
        Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
            status=Status.QUEUED,
            last_error=error[:2000],
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            sending_since=None,
            updated_at=timezone.now(),
        )
        raise RetryLater(error, delay=delay) from exc
    _finish_sent(row, outcome)
    return Status.SENT


def _claim(notification_id: int) -> Notification | None:
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Status.QUEUED)
            .first()
        )
        if row is None:
            return None
        if OptOut.objects.filter(channel=row.channel, address=row.recipient).exists():
            row.status = Status.CANCELLED
            row.last_error = OPTED_OUT
            row.save(update_fields=["status", "last_error", "updated_at"])
            audit.record(None, "notify.cancelled", row, data={"reason": "opt_out"})
            return row
        row.status = Status.SENDING
        row.attempts += 1
        row.sending_since = timezone.now()
        row.save(update_fields=["status", "attempts", "sending_since", "updated_at"])
        return row


def _send(row: Notification) -> Delivered:
    if row.channel == Channel.SMS:
        gateway = sms_gateway()
        result = gateway.send(SmsMessage(to=row.recipient, text=row.body, key=str(row.key)))
        return Delivered(provider=gateway.name, message_id=result.message_id)
    return _send_email(row)


def _send_email(row: Notification) -> Delivered:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "vikno.local"
    headers = {"Message-ID": f"<{row.key}@{domain}>", "Auto-Submitted": "auto-generated"}
    if row.event != "overdue_escalation":
        url = opt_out_url(Channel.EMAIL, row.recipient)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMessage(
        subject=row.subject, body=row.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[row.recipient], headers=headers
    )
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        error = f"SMTP відхилив адресу: {exc.recipients}"
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentDeliveryError(error)
        raise TransientDeliveryError(error)
    except smtplib.SMTPResponseException as exc:
        error = f"SMTP {exc.smtp_code}: {_decode(exc.smtp_error)}"
        if 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError):
            raise PermanentDeliveryError(error)
        raise TransientDeliveryError(error)
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientDeliveryError(f"SMTP-сервер недоступний: {exc}")
    return Delivered(provider="smtp" if "smtp" in settings.EMAIL_BACKEND else "email", message_id=headers["Message-ID"])


def _decode(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _finish_sent(row: Notification, outcome: Delivered) -> None:
    with transaction.atomic():
        now = timezone.now()
        updated = Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
            status=Status.SENT,
            sent_at=now,
            provider=outcome.provider,
            provider_message_id=outcome.message_id[:100],
            last_error="",
            next_attempt_at=None,
            updated_at=now,
        )
        if updated:
            audit.record(None, "notify.sent", row, data={"channel": row.channel, "attempts": row.attempts})


def _finish_failed(row: Notification, error: str) -> None:
    with transaction.atomic():
        updated = Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
            status=Status.FAILED, last_error=error[:2000], next_attempt_at=None, updated_at=timezone.now()
        )
        if updated:
            audit.record(None, "notify.failed", row, data={"channel": row.channel, "error": error[:300]})
