"""Keyset pagination: stable, index-friendly pages without OFFSET or exact counts."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .errors import DomainError

MAX_LIMIT = 200


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list):
            raise ValueError
        return values
    except (ValueError, TypeError):
        raise DomainError(_("Invalid page cursor."), code="invalid_cursor", field="cursor") from None


def paginate(queryset: QuerySet, *, key: tuple[str, ...] = ("id",), cursor: str | None = None, limit: int = 50) -> Page:
    """Return one page ordered by ``key`` (ascending, last field unique). ``cursor`` continues
    after the last row of the previous page."""
    if limit < 1 or limit > MAX_LIMIT:
        raise DomainError(
            _("The page size must be between 1 and %(max)s.") % {"max": MAX_LIMIT}, code="invalid_limit", field="limit"
        )
    queryset = queryset.order_by(*key)
    if cursor:
        values = _decode(cursor)
        if len(values) != len(key):
            raise DomainError(_("Invalid page cursor."), code="invalid_cursor", field="cursor")
        condition = Q()
        for i, field in enumerate(key):
            step = Q(**{f"{field}__gt": values[i]})
            for j in range(i):
                step &= Q(**{key[j]: values[j]})
            condition |= step
        queryset = queryset.filter(condition)
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode([_attr(rows[-1], f) for f in key]) if more and rows else None
    return Page(items=rows, next_cursor=next_cursor)


def _attr(obj, field: str):
    value = obj
    for part in field.split("__"):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


def newest_first(queryset: QuerySet, field: str, *, cursor: str | None = None, limit: int = 50) -> Page:
    """One page ordered by ``field`` (a timestamp) descending, then id descending; ``cursor``
    continues after the last row of the previous page. No OFFSET and no count."""
    from datetime import datetime

    if limit < 1 or limit > MAX_LIMIT:
        raise DomainError(
            _("The page size must be between 1 and %(max)s.") % {"max": MAX_LIMIT}, code="invalid_limit", field="limit"
        )
    queryset = queryset.order_by(f"-{field}", "-id")
    if cursor:
        values = _decode(cursor)
        try:
            at, last_id = datetime.fromisoformat(values[0]), int(values[1])
        except (IndexError, TypeError, ValueError):
            raise DomainError(_("Invalid page cursor."), code="invalid_cursor", field="cursor") from None
        queryset = queryset.filter(Q(**{f"{field}__lt": at}) | Q(**{field: at, "id__lt": last_id}))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode([getattr(rows[-1], field).isoformat(), rows[-1].id]) if more and rows else None
    return Page(items=rows, next_cursor=next_cursor)
