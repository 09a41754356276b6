"""API: read the audit log (center heads, oblast monitors and system administrators, own scope)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema

from . import audit
from .api_errors import ApiError
from .errors import DomainError

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    chain: str = Field(..., description="Chain the event belongs to: `center:<id>`, `region:<id>` or `global`.")
    seq: int = Field(..., description="Position in the chain, from 1, without gaps.")
    at: datetime
    actor_id: int | None
    actor_label: str = Field(..., description="Login of the acting user, or `system`, `manage.py`.")
    action: str = Field(..., examples=["login.password"])
    action_label: str = Field(..., description='What the action code means, in Ukrainian ("" if not described).')
    object_type: str = Field(..., examples=["accounts.user"])
    object_type_label: str = Field(..., description='The name of the object type, in Ukrainian ("" if unnamed).')
    object_id: str
    object_label: str
    center_id: int | None
    region_id: int | None
    provider_id: int | None
    office_id: int | None
    ip: str | None
    data: dict[str, Any]
    prev_hash: str = Field(..., description="SHA-256 of the previous event of the chain.")
    hash: str = Field(..., description="SHA-256 of this event's content and `prev_hash`.")

    @staticmethod
    def resolve_action_label(event) -> str:
        return audit.action_label(event.action)

    @staticmethod
    def resolve_object_type_label(event) -> str:
        return audit.object_type_label(event.object_type)


class AuditPageOut(Schema):
    items: list[AuditEventOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next (older) page; null at the end.")


class AuditFilter(Schema):
    object_type: str = Field("", description="Model label, e.g. `accounts.user`.")
    object_id: str = Field(
        "", description="The object's id, or a case number (e.g. `1-26-000101`) of a case the caller sees."
    )
    actor: str = Field("", description="Login of the acting user (case-insensitive).")
    action: str = Field("", description="Action code, e.g. `staff.created`.")
    date_from: date | None = Field(None, description="First local day included.")
    date_to: date | None = Field(None, description="Last local day included.")
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=200)


@router.get(
    "/audit",
    response={200: AuditPageOut, 404: ApiError},
    summary="Audit log of the caller's scope, newest first",
    description=(
        "Events the caller may read: a center head sees the center's events, an oblast monitor the region's, "
        "a system administrator all. Other roles get 404. Keyset pagination by `cursor`."
    ),
)
def list_audit(request, filters: Query[AuditFilter]):
    if request.user.role not in audit.AUDIT_READERS:
        raise Http404
    params = filters.dict()
    cursor, limit = params.pop("cursor"), params.pop("limit")
    if params["date_from"] and params["date_to"] and params["date_from"] > params["date_to"]:
        raise DomainError("Кінцева дата раніша за початкову.", code="invalid_dates", field="date_to")
    page = audit.newest_first(audit.search(request.user, **params), cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}
