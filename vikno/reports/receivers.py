"""Signal receivers that mark the center-days touched by a change of a source row (see rollup.py).

Before a save the stored row's days are read too, so that moving a date (e.g. a case reopened after
issue loses its ``closed_at``) refreshes the day it left. Marks are written in the transaction of the
change (an outbox row: it commits or rolls back with the change, so a committed change is never left
out of the reports).
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

_OLD_ATTR = "_reports_old_days"


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


def _remember_old(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or sender is Ticket:
        return
    old = sender._default_manager.filter(pk=instance.pk).values("center_id", *DAY_FIELDS[sender]).first()
    setattr(instance, _OLD_ATTR, _days(sender, old) if old else set())


def _changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pairs = _days(sender, _values(sender, instance)) | getattr(instance, _OLD_ATTR, set())
    if pairs:
        rollup.mark_dirty(pairs)


def connect() -> None:
    for model in DAY_FIELDS:
        uid = f"reports-rollup-{model._meta.label_lower}"
        pre_save.connect(_remember_old, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(_visit_event, sender=VisitEvent, dispatch_uid="reports-rollup-visit-event")


def _visit_event(sender, instance, raw=False, **kwargs):
    """A visit event changes the queue KPIs of its ticket's day (not the event's own day: the nightly
    ``close_stale_tickets`` cancels yesterday's tickets with a bulk update and one event each)."""
    if raw:
        return
    ticket = instance.ticket  # usually cached: the queue services pass the ticket itself
    rollup.mark_dirty([(ticket.center_id, ticket.day)])
