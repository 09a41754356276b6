"""Write and verify the audit log.

``record(...)`` is called by domain services in the same transaction as the change it describes.
Writers of one chain are serialised by a transaction-scoped advisory lock, so ``seq`` has no gaps
and each row links to its predecessor; different centers write to different chains in parallel.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from vikno.core.db.ordered import run_in_order
from vikno.core.net import client_ip

from . import pagination
from .i18n import in_ukrainian
from .models import AuditEvent
from .pagination import Page
from .scoping import Role

GENESIS = "0" * 64
# Roles that may read the log (each within its own scope); others get 404.
AUDIT_READERS = (Role.CENTER_HEAD, Role.OBLAST_MONITOR, Role.SYSADMIN)


@dataclass
class Actor:
    """Who acts and from where. Built from a request by :func:`actor_from_request`."""

    user: Any = None
    ip: str | None = None
    office_id: int | None = None
    label: str = ""

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    def describe(self) -> str:
        if self.label:
            return self.label
        if self.user is not None and getattr(self.user, "is_authenticated", False):
            return self.user.get_username()
        return "system"


SYSTEM = Actor(label="system")


# What an action code means, for people reading the log. Rooms add their own codes in their
# AppConfig.ready (``describe_actions``); a code without a description is shown as it is.
_ACTION_LABELS: dict[str, Any] = {
    "login.password": gettext_noop("Password accepted at sign-in"),
    "login.otp": gettext_noop("Sign-in confirmed with a one-time code"),
    "login.otp_failed": gettext_noop("One-time code rejected"),
    "login.failed": gettext_noop("Sign-in rejected"),
    "login.locked_out": gettext_noop("Account locked after failed sign-ins"),
    "logout.idle": gettext_noop("Session ended after inactivity"),
    "mfa.totp_enrolled": gettext_noop("Authenticator app set up"),
    "mfa.backup_codes_issued": gettext_noop("Backup codes issued"),
}


def describe_actions(labels: dict[str, Any]) -> None:
    """Register descriptions of audit action codes (English msgids; translated when shown)."""
    _ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The description of an action code in the active language, or "" when none is registered."""
    label = _ACTION_LABELS.get(action)
    return gettext(str(label)) if label else ""


# What an object type (``object_type``: a model label such as ``cases.case``) is called, for people
# reading the log and for the log's filter. Rooms name their own types in AppConfig.ready
# (``describe_object_types``); a type without a name is shown as it is.
_OBJECT_TYPE_LABELS: dict[str, Any] = {}


def describe_object_types(labels: dict[str, Any]) -> None:
    """Register names of audited object types (English msgids; translated when shown)."""
    _OBJECT_TYPE_LABELS.update(labels)


def object_type_label(object_type: str) -> str:
    """The name of an object type in the active language, or "" when none is registered."""
    label = _OBJECT_TYPE_LABELS.get(object_type)
    return gettext(str(label)) if label else ""


def object_type_choices() -> list[tuple[str, str]]:
    """``(object_type, name)`` of every named type, by name in the active language."""
    return sorted(((code, object_type_label(code)) for code in _OBJECT_TYPE_LABELS), key=lambda c: c[1].lower())


# Objects as people know them. Staff know a case by its number, while its events are keyed by its
# internal id; rooms above this one register, in AppConfig.ready, a finder that turns what a reader
# typed into ``(object_type, object_id)`` — within the reader's scope, so nothing outside it is
# revealed — and a linker that gives the pages of objects the reader may open.
_FINDERS: list[Callable[[Any, str, str], tuple[str, str] | None]] = []
_LINKERS: dict[str, Callable[[Any, set[str]], dict[str, str]]] = {}


def add_object_finder(finder: Callable[[Any, str, str], tuple[str, str] | None]) -> None:
    """``finder(user, text, object_type)`` returns the ``(object_type, object_id)`` that ``text`` names
    for ``user`` (``object_type`` is the type chosen in the filter, "" for any), or None."""
    if finder not in _FINDERS:
        _FINDERS.append(finder)


def find_object(user, text: str, object_type: str = "") -> tuple[str, str] | None:
    """What ``text`` (e.g. a case number) names for ``user``, by the first finder that knows it."""
    for finder in _FINDERS:
        found = finder(user, text, object_type)
        if found is not None:
            return found
    return None


def add_object_linker(object_type: str, linker: Callable[[Any, set[str]], dict[str, str]]) -> None:
    """``linker(user, object_ids)`` returns ``{object_id: url}`` for the objects ``user`` may open."""
    _LINKERS[object_type] = linker


def object_links(user, events) -> dict[tuple[str, str], str]:
    """``{(object_type, object_id): url}`` of the events' objects that ``user`` may open: one query
    per object type with a linker."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.object_id and event.object_type in _LINKERS:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    links = {}
    for object_type, ids in wanted.items():
        for object_id, url in _LINKERS[object_type](user, ids).items():
            links[(object_type, object_id)] = url
    return links


def actor_names(events) -> dict[int, str]:
    """``{actor_id: full name}`` of the staff who acted in ``events`` (one query)."""
    ids = {event.actor_id for event in events if event.actor_id}
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: user.full_name() for user in users}


def chain_names(events) -> dict[str, str]:
    """``{chain: name}`` of the events' chains: the center's or region's name, «whole system» for
    the global chain (one query per kind)."""
    ids: dict[str, set[int]] = {"center": set(), "region": set()}
    for event in events:
        kind, _sep, number = event.chain.partition(":")
        if kind in ids and number.isdigit():
            ids[kind].add(int(number))
    names = {"global": gettext("Whole system")}
    for kind, model in (("center", "Center"), ("region", "Region")):
        if ids[kind]:
            rows = apps.get_model("orgs", model).objects.filter(pk__in=ids[kind])
            names.update({f"{kind}:{row.pk}": str(row) for row in rows})
    return names


def actor_from_request(request) -> Actor:
    ip = client_ip(request)
    user = getattr(request, "user", None)
    office_id = request.session.get("office_id") if hasattr(request, "session") else None
    return Actor(user=user if user is not None and user.is_authenticated else None, ip=ip, office_id=office_id)


def _digest(payload: dict, prev_hash: str) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _payload(event: AuditEvent) -> dict:
    return {
        "chain": event.chain,
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "center_id": event.center_id,
        "region_id": event.region_id,
        "provider_id": event.provider_id,
        "office_id": event.office_id,
        "ip": event.ip,
        "data": event.data,
    }


def record(actor: Actor | None, action: str, obj: Any = None, **details: Any) -> AuditEvent:
    """Append one event. ``obj`` (a model instance) fills type, id, label and scope columns;
    ``details`` are the keyword arguments of ``_unchained`` (``data``, ``object_type``, ``object_id``,
    ``center_id``, ``region_id``, ``provider_id``)."""
    return _append([_unchained(actor, action, obj, **details)])[0]


def record_many(actor: Actor | None, action: str, items: list[tuple[Any, dict]]) -> list[AuditEvent]:
    """Append one event per ``(obj, data)`` of ``items``, in that order, with a single INSERT: the
    same records as calling ``record`` for each, at the cost of one round trip (e.g. the SMS and the
    email of one registration)."""
    return _append([_unchained(actor, action, obj, data=data) for obj, data in items])


def _unchained(
    actor: Actor | None,
    action: str,
    obj: Any = None,
    *,
    object_type: str | None = None,
    object_id: Any = "",
    data: dict | None = None,
    center_id: int | None = None,
    region_id: int | None = None,
    provider_id: int | None = None,
) -> AuditEvent:
    """The event with its scope and chain, not yet linked to the chain's head."""
    actor = actor or SYSTEM
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        scope = _object_scope(obj)
        center_id = center_id if center_id is not None else scope["center"]
        region_id = region_id if region_id is not None else scope["region"]
        provider_id = provider_id if provider_id is not None else scope["provider"]
    if region_id is None and (center_id or provider_id):
        # Oblast monitors read the log by region: give center and provider events their region too.
        model = apps.get_model("orgs", "Center" if center_id else "Provider")
        region_id = model.objects.filter(pk=center_id or provider_id).values_list("region_id", flat=True).first()
    return AuditEvent(
        chain=center_chain(center_id) if center_id else (f"region:{region_id}" if region_id else "global"),
        actor_id=actor.user_id,
        actor_label=actor.describe()[:200],
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_label=in_ukrainian(obj)[:300] if obj is not None else "",  # stored: Ukrainian whoever acts
        center_id=center_id,
        region_id=region_id,
        provider_id=provider_id,
        office_id=actor.office_id,
        ip=actor.ip,
        data=json.loads(json.dumps(data or {}, default=str)),
    )


def _append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Link ``events`` to the heads of their chains in order and insert them in one statement."""
    # savepoint=False: an error here is a bug that must fail the caller's whole transaction anyway,
    # and a savepoint would cost two more round trips on every audited change.
    with transaction.atomic(savepoint=False):
        heads: dict[str, tuple[int, str] | None] = {}
        for event in events:
            if event.chain not in heads:
                last = _known_head(event.chain)
                heads[event.chain] = _lock_and_read_last(event.chain) if last is _UNKNOWN else last
        now = timezone.now()  # taken under the chains' locks, so that time never goes back along a chain
        for event in events:
            event.at = now
            last = heads[event.chain]
            event.seq = (last[0] + 1) if last else 1
            event.prev_hash = last[1] if last else GENESIS
            event.hash = _digest(_payload(event), event.prev_hash)
            heads[event.chain] = (event.seq, event.hash)
        AuditEvent.objects.bulk_create(events)
        for chain, head in heads.items():
            remember_head(chain, head)
    return events


# --- the chain head a transaction already knows --------------------------------------------------
#
# A transaction that holds a chain's lock and has read or written its last row knows the head until
# it ends: nobody else can append meanwhile. A registration writes three to four records on its
# center's chain (the case, the payment, the notifications); remembering the head saves a lock-and-
# read round trip on each after the first. The memo lives on the connection and is valid only while
# a marker registered with ``transaction.on_commit`` at the same savepoint level is still pending:
# Django drops pending callbacks when the transaction commits or rolls back, and the callbacks of a
# savepoint when that savepoint is rolled back, which is exactly when the lock or the row may be gone.

_UNKNOWN = object()


class HeadMarker:
    """The on_commit marker of a remembered head (calling it does nothing). Tests that count a
    transaction's callbacks leave these out (``vikno.testing.work_callbacks``)."""

    __slots__ = ()

    def __call__(self) -> None:
        return None


def remember_head(chain: str, head: tuple[int, str] | None) -> None:
    """Note ``head`` (last seq and hash, None for an empty chain) as ``chain``'s head for the rest
    of the current transaction. The caller holds the chain's lock (``chain_lock_key``) and read or
    wrote ``head`` after taking it. A chain keeps one marker per savepoint level, so a transaction
    writing many records does not pile markers up."""
    db = connections[DEFAULT_DB_ALIAS]  # this thread's connection (``connection`` is a shared proxy)
    if not db.in_atomic_block:
        return
    heads = db.__dict__.setdefault("vikno_audit_heads", {})
    level = set(db.savepoint_ids)
    known = heads.get(chain)
    if known is not None and known[2] == level and _pending(db, known[1]):
        marker = known[1]
    else:
        marker = HeadMarker()
        transaction.on_commit(marker)
    heads[chain] = (head, marker, level)


def _known_head(chain: str):
    db = connections[DEFAULT_DB_ALIAS]
    heads = db.__dict__.get("vikno_audit_heads")
    known = heads.get(chain) if heads else None
    if known is None or not db.in_atomic_block:
        return _UNKNOWN
    if _pending(db, known[1]):
        return known[0]
    del heads[chain]
    return _UNKNOWN


def _pending(db, marker: HeadMarker) -> bool:
    return any(callback is marker for _sids, callback, _robust in reversed(db.run_on_commit))


def center_chain(center_id: int) -> str:
    """The name of a center's chain."""
    return f"center:{center_id}"


def chain_lock_key(chain: str) -> str:
    """The advisory-lock key that serialises the writers of ``chain``."""
    return f"audit:{chain}"


def head_query(chain: str) -> tuple[str, list]:
    """SQL (and parameters) reading ``chain``'s last (seq, hash); run it after taking the lock, e.g.
    as the last statement of a multi-statement query, and pass the row to :func:`remember_head`."""
    table = AuditEvent._meta.db_table
    return f"SELECT seq, hash FROM {table} WHERE chain = %s ORDER BY seq DESC LIMIT 1", [chain]  # noqa: S608


def _lock_and_read_last(chain: str) -> tuple[int, str] | None:
    """Take the chain's transaction-scoped lock, then read its last (seq, hash): two statements sent
    in one round trip. Under READ COMMITTED each statement of a multi-statement query takes its own
    snapshot, so the read runs after the lock is granted and sees the last row committed by the
    previous holder."""
    last, params = head_query(chain)
    _lock, head = run_in_order(
        [("SELECT pg_advisory_xact_lock(hashtext(%s))", [chain_lock_key(chain)]), (last, params)]
    )
    return head


def _object_scope(obj: Any) -> dict[str, Any]:
    """The center, region and provider an object belongs to: from the model's ``SCOPE_FIELDS``
    (a center's own id is its center), else from plain ``center_id``/``region_id``/``provider_id``."""
    scope: dict[str, Any] = {}
    for kind, column in getattr(type(obj), "SCOPE_FIELDS", {}).items():
        value = obj
        for part in column.split("__"):
            value = getattr(value, part, None)
            if value is None:
                break
        scope[kind] = value
    for kind in ("center", "region", "provider"):
        if scope.get(kind) is None:
            scope[kind] = getattr(obj, f"{kind}_id", None)
    return scope


def verify_chain(chain: str) -> list[str]:
    """Return the problems found in one chain (empty when it is intact)."""
    problems = []
    prev_hash, expected_seq = GENESIS, 1
    for event in AuditEvent.objects.filter(chain=chain).order_by("seq").iterator():
        if event.seq != expected_seq:
            problems.append(f"{chain}: бракує запису {expected_seq}")
        if event.prev_hash != prev_hash:
            problems.append(f"{chain}#{event.seq}: розірвано ланцюжок")
        if _digest(_payload(event), event.prev_hash) != event.hash:
            problems.append(f"{chain}#{event.seq}: вміст змінено")
        prev_hash, expected_seq = event.hash, event.seq + 1
    return problems


def verify_all() -> dict[str, list[str]]:
    """Check every chain; returns ``{chain: problems}`` for each chain in the log."""
    chains = AuditEvent.objects.order_by("chain").values_list("chain", flat=True).distinct()
    return {chain: verify_chain(chain) for chain in chains}


def search(
    user,
    *,
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    action: str = "",
    date_from=None,
    date_to=None,
) -> QuerySet:
    """Events ``user`` may read (one scope predicate), narrowed by the given filters. ``object_id``
    may also be what a finder knows (a case number: the events of that case, if ``user`` sees it).
    Dates are local calendar days, both ends included."""
    events = AuditEvent.objects.visible_to(user)
    object_type, object_id = object_type.strip().lower(), object_id.strip()
    if object_id:
        # A case number (or whatever a finder knows) stands for the object's id, within the scope.
        object_type, object_id = find_object(user, object_id, object_type) or (object_type, object_id)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if actor:
        events = events.filter(actor_label__iexact=actor.strip())
    if action:
        events = events.filter(action=action.strip())
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    return events


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def newest_first(events: QuerySet, *, cursor: str | None = None, limit: int = 50) -> Page:
    """One page of events, newest first, by the key (at, id) — see vikno.core.pagination."""
    return pagination.newest_first(events, "at", cursor=cursor, limit=limit)


def changes(before: dict, after: dict) -> dict:
    """The fields that differ, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
