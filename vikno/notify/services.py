"""Notifications (owner: notify). Contract used by cases, queue and portal:

- ``enqueue(*, event, context, phone="", email="", sms_allowed=False, email_allowed=False, case_id=None,
  center_id=None, region_id=None, actor=None) -> list[Notification]``: writes outbox rows in the caller's
  transaction, each with its delivery job (the task queue's job row commits or rolls back with it).
- ``resend(notification, *, actor) -> Notification``: a copy, to the applicant's current address for a
  message of a case (refused once they withdrew consent to the channel); ``resend_targets(notifications)``
  says which can be sent again and where to. The cases room tells where its applicants are reached
  (``set_applicant_contacts(source)``, at start-up).
- events: ``accepted``, ``clarification_needed``, ``result_ready``, ``refused``, ``collect_reminder`` (and more
  for the queue: ``booking_confirmed``, ``booking_reminder``; ``overdue_escalation`` goes to staff).
- ``notifications_for_case(case_id)``: delivery status shown on the case.
- ``opt_out(channel, address, *, actor=None, source="link")`` and ``is_opted_out(channel, address)``.
- ``sweep()``: the periodic safety net that re-defers rows left waiting.

Context keys per event are listed in ``vikno/notify/rendering.py`` (``REQUIRED``); the status link
``{PUBLIC_BASE_URL}/status/?number=...`` is added from ``case_number``.

How delivery works: ``enqueue`` writes ``queued`` rows and, in the same transaction, one
``notify.deliver`` job per row (vikno/notify/tasks.py; procrastinate's jobs are rows of this
database, so a job becomes visible to workers exactly when its row does). The job claims the row,
calls the gateway, and records ``sent`` or, after a gateway error, puts the row back to ``queued``
and is retried with exponential backoff (vikno/notify/delivery.py). If a job is lost (e.g. removed
by hand) or a worker stopped half-way, ``sweep`` re-defers the row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from procrastinate.exceptions import AlreadyEnqueued

from vikno.core import audit
from vikno.core.errors import Conflict, DomainError

from . import addresses, rendering
from .models import (
    INTERRUPTED,
    OPEN_STATUSES,
    OPTED_OUT,
    STAFF_EVENTS,
    Channel,
    Event,
    Notification,
    OptOut,
    Status,
)
from .optout import opt_out_url, readdressed, without_links

logger = logging.getLogger("vikno.notify")

__all__ = [
    "Channel",
    "Contact",
    "Event",
    "Notification",
    "Status",
    "enqueue",
    "is_opted_out",
    "notifications_for_case",
    "opt_out",
    "opt_out_url",
    "resend",
    "resend_targets",
    "set_applicant_contacts",
    "sweep",
]


def enqueue(
    *,
    event: str,
    context: dict,
    phone: str = "",
    email: str = "",
    sms_allowed: bool = False,
    email_allowed: bool = False,
    case_id: int | None = None,
    center_id: int | None = None,
    region_id: int | None = None,
    actor: audit.Actor | None = None,
) -> list[Notification]:
    """Write one outbox row per allowed channel, in the caller's transaction.

    A channel is used only when the caller allows it (the applicant's consent) and an address is
    given. An address whose owner opted out, or that is not valid, gets a ``cancelled`` row with the
    reason, so the case shows why nothing was sent. Returns every row written."""
    rendering.full_context(event, context)  # refuse an unknown event or a missing key before writing
    if region_id is None and center_id is not None:
        from vikno.orgs.models import Center

        region_id = Center.objects.filter(pk=center_id).values_list("region_id", flat=True).first()
    wanted = []
    if sms_allowed and (phone or "").strip():
        wanted.append((Channel.SMS, phone))
    if email_allowed and (email or "").strip():
        wanted.append((Channel.EMAIL, email))
    if not wanted:
        return []
    rows = [
        _prepared(channel, raw, event=event, case_id=case_id, center_id=center_id, region_id=region_id, actor=actor)
        for channel, raw in wanted
    ]
    # One round trip each for the opt-outs, the rows, their audit records and their delivery jobs,
    # however many channels: a registration writes the SMS and the email together.
    with transaction.atomic(savepoint=False):  # all rows or none; no savepoint round trips
        for row in _opted_out([r for r in rows if r.status == Status.QUEUED]):
            row.status, row.last_error = Status.CANCELLED, OPTED_OUT
        for row in rows:
            data = dict(context)
            if row.channel == Channel.EMAIL and row.status == Status.QUEUED and event not in STAFF_EVENTS:
                data["opt_out_url"] = opt_out_url(row.channel, row.recipient)
            rendered = rendering.render(event, row.channel, data)
            row.subject, row.body = rendered.subject[:300], rendered.body
        Notification.objects.bulk_create(rows)
        audit.record_many(
            actor,
            "notify.enqueued",
            [(row, {"event": event, "channel": row.channel, "case_id": case_id, "status": row.status}) for row in rows],
        )
        _defer_new(*[row.pk for row in rows if row.status == Status.QUEUED])
    return rows


def _prepared(channel, raw_address, *, event, case_id, center_id, region_id, actor) -> Notification:
    """The unsaved row for one channel, cancelled at once when the address is not valid."""
    row = Notification(
        event=event,
        channel=channel,
        recipient=raw_address.strip()[:254],
        case_id=case_id,
        center_id=center_id,
        region_id=region_id,
        created_by_id=actor.user_id if actor else None,
    )
    try:
        with translation.override("uk"):  # a refusal is kept in the row (last_error): Ukrainian
            row.recipient = addresses.normalise(channel, raw_address)
    except DomainError as exc:
        row.status, row.last_error, row.body = Status.CANCELLED, exc.message, ""
    return row


def _opted_out(rows: list[Notification]) -> list[Notification]:
    """The rows whose address has opted out of their channel (one query for all of them)."""
    if not rows:
        return []
    wanted = Q()
    for row in rows:
        wanted |= Q(channel=row.channel, address=row.recipient)
    refused = set(OptOut.objects.filter(wanted).values_list("channel", "address"))
    return [row for row in rows if (row.channel, row.recipient) in refused]


def _defer_new(*notification_ids: int) -> None:
    """Write the delivery jobs of rows (one statement). In the transaction that creates a row no job
    can exist yet, so the queueing lock cannot conflict there; an older row goes through
    ``defer_delivery``, which is called outside any caller's transaction and treats the conflict as
    "already waiting"."""
    from .tasks import deliver_notification

    if not notification_ids:
        return
    deferrers = [
        deliver_notification.configure(queueing_lock=f"notification-{pk}", lock=f"notification-{pk}")
        for pk in notification_ids
    ]
    jobs = [d.make_new_job(notification_id=pk) for d, pk in zip(deferrers, notification_ids, strict=True)]
    deferrers[0].job_manager.batch_defer_jobs(jobs=jobs)


def defer_delivery(notification_id: int) -> bool:
    """Start the delivery job of a row (at most one waiting job per row). A failure here loses
    nothing: the row stays ``queued`` and ``sweep`` defers it later."""
    try:
        _defer_new(notification_id)
    except AlreadyEnqueued:
        return False
    return True


# A copy made less than this long ago answers a second press of "Send again" (a double click, a form
# sent twice) instead of a second message.
RESEND_GUARD_SECONDS = 60


@dataclass(frozen=True)
class Contact:
    """How the applicant of a case may be reached on one channel now."""

    consents: bool
    address: str  # as on the applicant's card; "" when there is none


# Where the applicant of a case is reached now, by channel (case id -> {channel: Contact}). The cases room,
# which sits above this one, sets it in its AppConfig.ready (``set_applicant_contacts``); without it a copy
# goes to the original address.
_applicant_contacts: Callable[[int], dict[str, Contact]] | None = None


def set_applicant_contacts(source: Callable[[int], dict[str, Contact]] | None) -> None:
    global _applicant_contacts
    _applicant_contacts = source


def _resend_address(original: Notification, contacts: dict[int, dict[str, Contact]]) -> str:
    """The normalised address a copy of ``original`` goes to: for a message to a case's applicant their
    current address on the channel (refused with ``Conflict``, code ``no_consent``, when they withdrew
    their consent to it), otherwise the original one. ``contacts`` keeps the applicants already read."""
    raw = original.recipient
    if original.case_id and original.event not in STAFF_EVENTS and _applicant_contacts is not None:
        if original.case_id not in contacts:
            contacts[original.case_id] = _applicant_contacts(original.case_id)
        contact = contacts[original.case_id].get(original.channel)
        if contact is not None:
            if not contact.consents:
                raise Conflict(
                    _(
                        "The applicant has withdrawn consent to notifications on this channel, so the message cannot be sent again."
                    ),
                    code="no_consent",
                )
            raw = contact.address
    try:
        return addresses.normalise(original.channel, raw)
    except DomainError as exc:
        raise DomainError(exc.message, code=exc.code, field="recipient")


def resend_targets(notifications: Iterable[Notification]) -> dict[int, str]:
    """Which of ``notifications`` can be sent again now, each with the address its copy would go to
    (notification id -> address), by the rules of ``resend``: composed, not waiting, the applicant's
    consent, a valid address that has not opted out. The double-press guard is left out: a second
    press is answered, not hidden. One query per case and one for the opt-outs."""
    contacts: dict[int, dict[str, Contact]] = {}
    found: dict[int, tuple[str, str]] = {}
    for note in notifications:
        if note.status in OPEN_STATUSES or not note.body:
            continue
        try:
            found[note.pk] = (note.channel, _resend_address(note, contacts))
        except DomainError:
            continue
    if not found:
        return {}
    wanted = Q()
    for channel, address in found.values():
        wanted |= Q(channel=channel, address=address)
    refused = set(OptOut.objects.filter(wanted).values_list("channel", "address"))
    return {pk: address for pk, (channel, address) in found.items() if (channel, address) not in refused}


def resend(notification: Notification, *, actor: audit.Actor) -> Notification:
    """Send the same message again as a new row linked to ``notification`` (staff action).

    A message to a case's applicant goes to their current address on its channel (the one on their
    card, which may have changed since; the audit record names both) and is refused (``Conflict``, code
    ``no_consent``) once they have withdrawn their consent to that channel. The body is the original's,
    its opt-out link made out to the new address.

    Pressing twice does not send twice: while a copy of the same message to the same address (the
    original's or the new one) is waiting, or was made less than ``RESEND_GUARD_SECONDS`` ago,
    ``Conflict`` (code ``resend_pending``) is raised and nothing is written."""
    with transaction.atomic():
        original = Notification.objects.select_for_update().get(pk=notification.pk)
        if original.status in (Status.QUEUED, Status.SENDING):
            raise Conflict(
                _("The message is still waiting to be sent; it can be resent after a delivery attempt."),
                code="notification_pending",
            )
        if not original.body:
            raise DomainError(
                _("This message was not composed (incorrect address), so it cannot be resent."),
                code="notification_empty",
            )
        recipient = _resend_address(original, {})
        # The whole family (the message and its copies, to the old address and the new) is locked in one
        # order, so two presses on different rows of it wait for each other and the second sees the first
        # one's copy.
        family = Notification.objects.filter(
            Q(case_id=original.case_id) if original.case_id else Q(case_id__isnull=True),
            event=original.event,
            channel=original.channel,
            recipient__in={original.recipient, recipient},
        )
        list(family.select_for_update().order_by("id").values_list("pk", flat=True))
        recent = timezone.now() - timedelta(seconds=RESEND_GUARD_SECONDS)
        message = without_links(original.body)
        copies = family.filter(original__isnull=False).filter(Q(status__in=OPEN_STATUSES) | Q(created_at__gte=recent))
        if any(without_links(body) == message for body in copies.values_list("body", flat=True)):
            raise Conflict(
                _("This message has just been sent again; it will not be sent twice."), code="resend_pending"
            )
        if is_opted_out(original.channel, recipient):
            raise Conflict(_("The recipient has unsubscribed from notifications on this channel."), code="opted_out")
        body, data = original.body, {"original_id": original.pk, "channel": original.channel, "event": original.event}
        if recipient != original.recipient:
            body = readdressed(original.body, original.channel, original.recipient, recipient)
            data.update(old_recipient=original.recipient, new_recipient=recipient)
        copy = Notification.objects.create(
            event=original.event,
            channel=original.channel,
            recipient=recipient,
            subject=original.subject,
            body=body,
            case_id=original.case_id,
            center_id=original.center_id,
            region_id=original.region_id,
            original=original,
            created_by_id=actor.user_id if actor else None,
        )
        audit.record(actor, "notify.resent", copy, data=data)
        _defer_new(copy.pk)
    return copy


def notifications_for_case(case_id: int) -> QuerySet:
    """Every notification of a case, newest first (for the case page; scope the case itself first)."""
    return Notification.objects.filter(case_id=case_id).order_by("-created_at", "-id")


def is_opted_out(channel: str, address: str) -> bool:
    return OptOut.objects.filter(channel=channel, address=address).exists()


def opt_out(channel: str, address: str, *, actor: audit.Actor | None = None, source: str = "link") -> OptOut:
    """Record that ``address`` wants nothing more on ``channel``; waiting rows to it are cancelled."""
    if channel not in Channel.values:
        raise DomainError(_("Unknown notification channel."), code="unknown_channel", field="channel")
    address = addresses.normalise(channel, address)
    with transaction.atomic():
        entry, created = OptOut.objects.get_or_create(channel=channel, address=address, defaults={"source": source})
        waiting = Notification.objects.filter(channel=channel, recipient=address, status=Status.QUEUED)
        cancelled = waiting.update(status=Status.CANCELLED, last_error=OPTED_OUT, updated_at=timezone.now())
        if created:
            audit.record(
                actor,
                "notify.opted_out",
                object_type="notify.optout",
                object_id=entry.pk,
                data={"channel": channel, "source": source, "cancelled": cancelled},
            )
    return entry


def sweep(*, now=None) -> int:
    """Re-defer rows that wait too long: ``queued`` past their retry time by more than
    ``NOTIFY_STUCK_MINUTES`` (the defer was lost), and ``sending`` for that long (the worker stopped
    mid-way; the gateway's deduplication by key keeps a repeated attempt from reaching the
    recipient twice). Returns the number of jobs deferred."""
    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.NOTIFY_STUCK_MINUTES)
    again = []
    stale = Notification.objects.filter(status=Status.SENDING, sending_since__lt=limit)
    for pk in stale.order_by("id").values_list("pk", flat=True)[:1000]:
        if Notification.objects.filter(pk=pk, status=Status.SENDING, sending_since__lt=limit).update(
            status=Status.QUEUED,
            sending_since=None,
            last_error=INTERRUPTED,
            updated_at=now,
        ):
            again.append(pk)
    if again:
        logger.warning("notify sweep: %s notifications left in 'sending' were queued again", len(again))
    waiting = Notification.objects.filter(status=Status.QUEUED).filter(
        Q(next_attempt_at__lt=limit) | Q(next_attempt_at__isnull=True, updated_at__lt=limit)
    )
    again += waiting.order_by("id").values_list("pk", flat=True)[:1000]
    return sum(defer_delivery(pk) for pk in dict.fromkeys(again))
