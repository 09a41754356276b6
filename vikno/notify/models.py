"""The notification outbox and the opt-out list.

A ``Notification`` row is written in the same transaction as the event it announces (the outbox);
its delivery job, written in the same transaction, runs once both are committed and records the
outcome on the row. ``OptOut`` holds the addresses whose owners asked to receive nothing more on a
channel.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from vikno.core.scoping import ScopedManager


class Event(models.TextChoices):
    ACCEPTED = "accepted", _("Application accepted")
    CLARIFICATION_NEEDED = "clarification_needed", _("Clarification needed")
    RESULT_READY = "result_ready", _("Result ready")
    REFUSED = "refused", pgettext_lazy("notification event", "Refusal")
    COLLECT_REMINDER = "collect_reminder", _("Reminder to collect the result")
    OVERDUE_ESCALATION = "overdue_escalation", _("Term overdue (for staff)")
    BOOKING_CONFIRMED = "booking_confirmed", _("Queue booking confirmed")
    BOOKING_REMINDER = "booking_reminder", _("Booking reminder")
    ONLINE_SUBMITTED = "online_submitted", _("Online application submitted")
    CONSULTATION_ANSWER = "consultation_answer", _("Answer to a question")


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", _("Email")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed to send")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.QUEUED, Status.SENDING)
# Events written to staff, not to the applicant (no opt-out link; a resend goes to the same address).
STAFF_EVENTS = (Event.OVERDUE_ESCALATION,)

# Reasons kept in ``last_error`` by the outbox itself (in Ukrainian, like the gateways' answers); the
# case page shows them in the reader's language (``Notification.reason``).
OPTED_OUT = "Отримувач відмовився від повідомлень."
INTERRUPTED = "Спробу перервано (обробник зупинився); повторюємо."


class Notification(models.Model):
    """One message to one recipient on one channel. ``key`` travels to the gateway as the
    idempotency key (and as the email Message-ID), so a repeated attempt is recognised there."""

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=40, choices=Event.choices)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    recipient = models.CharField(max_length=254, help_text="E.164 phone number or email address.")
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider = models.CharField(max_length=30, blank=True, help_text="Adapter that delivered it.")
    provider_message_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="Earliest time of the next attempt.")
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="notifications", db_index=False
    )
    center = models.ForeignKey(
        "orgs.Center", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="resends", help_text="Resent copy of."
    )
    created_by_id = models.BigIntegerField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        indexes = [
            models.Index(fields=["case", "created_at"], name="notification_case_created"),
            models.Index(fields=["center", "-created_at"], name="notification_center_created"),
            models.Index(fields=["region", "-created_at"], name="notification_region_created"),
            models.Index(
                fields=["status", "updated_at"],
                name="notification_open",
                condition=Q(status__in=["queued", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.get_channel_display()}) #{self.pk}"

    def reason(self) -> str:
        """Why the message is not (yet) delivered, in the active language; empty when there is nothing
        to explain. A gateway's own answer is quoted as it came."""
        if self.status == Status.SENT or not self.last_error:
            return ""
        if self.last_error == OPTED_OUT:
            return gettext("the recipient unsubscribed from notifications on this channel")
        if self.status == Status.CANCELLED and not self.body:
            return gettext("the address «%(address)s» is not valid") % {"address": self.recipient}
        if self.last_error == INTERRUPTED:
            return gettext("the attempt was interrupted; it will be repeated")
        if self.status == Status.QUEUED:
            return gettext("attempt %(attempts)s failed, it will be repeated; answer: %(error)s") % {
                "attempts": self.attempts,
                "error": self.last_error,
            }
        return gettext("answer: %(error)s") % {"error": self.last_error}


class OptOut(models.Model):
    """An address that must not receive notifications on a channel any more."""

    channel = models.CharField(max_length=5, choices=Channel.choices)
    address = models.CharField(max_length=254, help_text="E.164 phone number or lower-case email address.")
    source = models.CharField(max_length=20, default="link", help_text="link: the recipient; staff: on request.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="optout_channel_address")]

    def __str__(self) -> str:
        return f"{self.channel}: {self.address}"
