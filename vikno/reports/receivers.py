"""Signal receivers that mark the center-days touched by a change of a source row (see rollup.py).

The marks are written in the transaction of the change (an outbox row: it commits or rolls back with the
change, so a committed change is never left out of the reports), in one statement per save:

- an insert marks the new row's days after it is written;
- an update marks, before it is written, the days of the stored row (read by the same statement, so that
  moving a date — a case reopened after issue loses its ``closed_at`` — refreshes the day it left) and
  the days of the row being saved;
- a delete marks the deleted row's days;
- a ``save(update_fields=…)`` that writes none of the columns the roll-ups read (a reminder stamp, an
  escalation mark) marks nothing. ``ROLLUP_FIELDS`` lists those columns; a test checks it against the
  roll-up SQL.
"""

from __future__ import annotations

import datetime as dt

from django.db.models.signals import post_delete, post_save, pre_save

from vikno.cases.models import Case, Consultation
from vikno.payments.models import Payment
from vikno.queue.models import Rating, Ticket, VisitEvent

from . import rollup

# model → the fields whose local day a row counts on
DAY_FIELDS = {
    Case: ("filed_at", "closed_at", "result_ready_at"),
    Payment: ("paid_on",),
    Consultation: ("at",),
    Rating: ("created_at",),
    Ticket: ("day",),
}

# model → every field the roll-up statements read (models not listed: any save marks)
ROLLUP_FIELDS = {
    Case: frozenset(
        {
            "center",
            "region",
            "office",
            "service",
            "status",
            "instant",
            "channel",
            "fee_amount",
            "filed_at",
            "closed_at",
            "result_ready_at",
            "due_at",
        }
    ),
}

_MARKED = "_reports_marked"


def _days(model, values: dict) -> set[tuple[int, dt.date]]:
    pairs = set()
    for field in DAY_FIELDS[model]:
        value = values.get(field)
        if value is None:
            continue
        day = value if not isinstance(value, dt.datetime) else rollup.local_day(value)
        pairs.add((values["center_id"], day))
    return pairs


def _values(model, instance) -> dict:
    return {name: getattr(instance, name) for name in ("center_id", *DAY_FIELDS[model])}


def _irrelevant(sender, update_fields) -> bool:
    fields = ROLLUP_FIELDS.get(sender)
    return update_fields is not None and fields is not None and not fields.intersection(update_fields)


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or instance._state.adding or sender is Ticket:
        return
    if not _irrelevant(sender, update_fields):
        rollup.mark_dirty_with_stored(sender, DAY_FIELDS[sender], instance.pk, _days(sender, _values(sender, instance)))
    setattr(instance, _MARKED, True)


def _after_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if instance.__dict__.pop(_MARKED, False) or _irrelevant(sender, update_fields):
        return
    rollup.mark_dirty(_days(sender, _values(sender, instance)))


def _deleted(sender, instance, **kwargs):
    rollup.mark_dirty(_days(sender, _values(sender, instance)))


def connect() -> None:
    for model in DAY_FIELDS:
        uid = f"reports-rollup-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(_visit_event, sender=VisitEvent, dispatch_uid="reports-rollup-visit-event")


def _visit_event(sender, instance, raw=False, **kwargs):
    """A visit event changes the queue KPIs of its ticket's day (not the event's own day: the nightly
    ``close_stale_tickets`` cancels yesterday's tickets with a bulk update and one event each)."""
    if raw:
        return
    ticket = instance.ticket  # usually cached: the queue services pass the ticket itself
    rollup.mark_dirty([(ticket.center_id, ticket.day)])
