"""Signal receivers that keep the roll-ups informed of every change of a source row (see rollup.py).

Everything is written in the transaction of the change (outbox rows: they commit or roll back with it,
so a committed change is never left out of the reports), one statement per save:

- a **case** writes its deltas (``deltas.py``): before an update or a delete, what the stored row counted,
  negated; after an insert or an update, what the new row counts;
- a **payment, consultation, rating or ticket** marks the center-days it counts on (``RollupDirty``): an
  insert after it is written; an update before it is written, with the stored row's days read by the
  same statement (so a moved date refreshes the day it left); a delete its row's days. A visit event
  marks its ticket's day;
- a case ``save(update_fields=…)`` that writes none of the columns the roll-ups read (a reminder stamp,
  an escalation mark) writes nothing. ``CASE_FIELDS`` lists those columns; a test checks it against the
  roll-up SQL.
"""

from __future__ import annotations

import datetime as dt

from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save

from vikno.cases.models import Case, Consultation
from vikno.cases.signals import case_refreshed
from vikno.payments.models import Payment
from vikno.queue.models import Rating, Ticket, VisitEvent

from . import deltas, rollup
from .casemetrics import status_class

# model → the fields whose local day a row counts on (cases: see deltas.py)
DAY_FIELDS = {
    Payment: ("paid_on",),
    Consultation: ("at",),
    Rating: ("created_at",),
    Ticket: ("day",),
}

# every field of a case the roll-up statements read: a save(update_fields=…) that writes none of them
# (a reminder stamp, an escalation mark) writes no deltas
CASE_FIELDS = frozenset(
    {
        "center",
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
)

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


def _irrelevant(update_fields) -> bool:
    return update_fields is not None and not CASE_FIELDS.intersection(update_fields)


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or instance._state.adding or sender is Ticket:
        return
    rollup.mark_dirty_with_stored(sender, DAY_FIELDS[sender], instance.pk, _days(sender, _values(sender, instance)))
    setattr(instance, _MARKED, True)


def _after_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if instance.__dict__.pop(_MARKED, False):
        return
    rollup.mark_dirty(_days(sender, _values(sender, instance)))


def _deleted(sender, instance, **kwargs):
    rollup.mark_dirty(_days(sender, _values(sender, instance)))


# A case remembers, when it is loaded or saved, what the roll-ups can tell of it (its CASE_FIELDS, the
# status reduced to casemetrics.status_class); a save that leaves that unchanged — most workflow steps,
# accepted → sent → in work — writes no deltas. This trusts the loaded values to be the stored ones, as
# they are for every status change in the services, which load the case under a row lock;
# refresh_from_db renews them (the cases room's case_refreshed signal).
_LOADED = "_reports_signature"
_SIGNATURE = tuple(Case._meta.get_field(name).attname for name in sorted(CASE_FIELDS))


def _signature(values: dict) -> tuple | None:
    if any(attname not in values for attname in _SIGNATURE):  # deferred fields: unknown
        return None
    return tuple(status_class(values[a]) if a == "status" else values[a] for a in _SIGNATURE)


def _case_loaded(sender, instance, **kwargs):
    """A case built from a row (post_init)."""
    if instance.pk is not None:
        instance.__dict__[_LOADED] = _signature(instance.__dict__)


def _case_refreshed(sender, instance, fields=None, **kwargs):
    """A case given stored values again: all of them, or only ``fields`` (e.g. a deferred field
    loaded on access), in which case the other fields may hold unsaved changes and keep what was
    remembered of them."""
    if fields is None:
        _case_loaded(sender, instance)
        return
    loaded = instance.__dict__.get(_LOADED)
    if loaded is None:
        return
    fresh = {Case._meta.get_field(name).attname for name in fields}
    values = instance.__dict__
    instance.__dict__[_LOADED] = tuple(
        (status_class(values[a]) if a == "status" else values[a]) if a in fresh else kept
        for a, kept in zip(_SIGNATURE, loaded, strict=True)
    )


def _case_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or instance._state.adding or _irrelevant(update_fields):
        return
    loaded = instance.__dict__.get(_LOADED)
    if loaded is not None and loaded == _signature(instance.__dict__):
        instance.__dict__[_MARKED] = True  # nothing the roll-ups count has changed
        return
    deltas.record(instance.pk, -1)


def _case_after(sender, instance, raw=False, update_fields=None, **kwargs):
    unchanged = instance.__dict__.pop(_MARKED, False)
    if raw or _irrelevant(update_fields):
        return
    if not unchanged:
        deltas.record(instance.pk, +1)
    instance.__dict__[_LOADED] = _signature(instance.__dict__)


def _case_deleting(sender, instance, **kwargs):
    deltas.record(instance.pk, -1)


def connect() -> None:
    for model in DAY_FIELDS:
        uid = f"reports-rollup-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    post_init.connect(_case_loaded, sender=Case, dispatch_uid="reports-rollup-cases.case-init")
    case_refreshed.connect(_case_refreshed, sender=Case, dispatch_uid="reports-rollup-cases.case-refreshed")
    pre_save.connect(_case_before, sender=Case, dispatch_uid="reports-rollup-cases.case-pre")
    post_save.connect(_case_after, sender=Case, dispatch_uid="reports-rollup-cases.case-post")
    pre_delete.connect(_case_deleting, sender=Case, dispatch_uid="reports-rollup-cases.case-delete")
    post_save.connect(_visit_event, sender=VisitEvent, dispatch_uid="reports-rollup-visit-event")


def _visit_event(sender, instance, raw=False, **kwargs):
    """A visit event changes the queue KPIs of its ticket's day (not the event's own day: the nightly
    ``close_stale_tickets`` cancels yesterday's tickets with a bulk update and one event each)."""
    if raw:
        return
    ticket = instance.ticket  # usually cached: the queue services pass the ticket itself
    rollup.mark_dirty([(ticket.center_id, ticket.day)])
