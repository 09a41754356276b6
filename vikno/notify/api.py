"""API of the notify room: the delivery status of notifications and the staff resend.

Staff see the notifications of their scope only (center, or region for oblast monitors); one
outside it answers 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from vikno.core.api_errors import ApiError
from vikno.core.audit import actor_from_request
from vikno.core.errors import PermissionDenied
from vikno.core.pagination import paginate
from vikno.core.scoping import Role

from . import services
from .models import Notification

router = Router(tags=["notify"])

# Roles that may send a notification again (monitors and officers only read).
RESENDERS = (Role.ADMINISTRATOR, Role.CENTER_HEAD, Role.SYSADMIN)


class NotificationOut(Schema):
    id: int
    event: str = Field(..., examples=["result_ready"], description="What the message announces.")
    event_label: str = Field(..., examples=["Результат готовий"])
    channel: Literal["sms", "email"]
    recipient: str = Field(..., examples=["+380501234567"], description="E.164 phone number or email address.")
    subject: str = Field("", description="Email subject; empty for SMS.")
    body: str = Field(..., examples=["ЦНАП: результат за зверненням №A-2025-000123 готовий, його можна отримати."])
    status: Literal["queued", "sending", "sent", "failed", "cancelled"] = Field(
        ...,
        description="queued: waiting (also between retries); sending: an attempt is running; sent: accepted by "
        "the gateway or SMTP server; failed: gave up after the last attempt or a permanent error; cancelled: "
        "not sent (opt-out or invalid address).",
    )
    status_label: str = Field(..., examples=["Надіслано"])
    attempts: int = Field(..., examples=[1])
    last_error: str = Field("", examples=["SMS-шлюз відповів HTTP 503"])
    provider: str = Field("", examples=["turbosms"])
    provider_message_id: str = Field("", examples=["f83f8868-5e46-c6cf-e4fb-615e5a293754"])
    created_at: datetime
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    case_id: int | None = None
    original_id: int | None = Field(None, description="For a resent copy: the notification it repeats.")

    @staticmethod
    def resolve_event_label(obj) -> str:
        return obj.get_event_display()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None = Field(None, description="Cursor of the next page; null on the last page.")


@router.get(
    "/notifications",
    response={200: NotificationPage, 400: ApiError},
    summary="Notifications in the caller's scope, oldest first; filter by case",
)
def list_notifications(
    request,
    case_id: int | None = Query(None, description="Only the notifications of this case.", examples=[42]),
    status: str | None = Query(None, description="Only this status, e.g. `failed`."),
    cursor: str | None = Query(None, description="`next_cursor` of the previous page; empty for the first page."),
    limit: int = Query(50, ge=1, le=200, description="Page size, 1–200."),
):
    queryset = Notification.objects.visible_to(request.user)
    if case_id is not None:
        queryset = queryset.filter(case_id=case_id)
    if status:
        queryset = queryset.filter(status=status)
    page = paginate(queryset, key=("id",), cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/notifications/{notification_id}", response={200: NotificationOut, 404: ApiError}, summary="One notification"
)
def get_notification(request, notification_id: int):
    return get_object_or_404(Notification.objects.visible_to(request.user), pk=notification_id)


@router.post(
    "/notifications/{notification_id}/resend",
    response={201: NotificationOut, 400: ApiError, 403: ApiError, 404: ApiError, 409: ApiError},
    summary="Send a notification again (a new notification linked to the original; audited)",
    description=(
        "A message to a case's applicant goes to their current phone or email (the answer's `recipient`, which "
        "differs from the original's when the applicant's card has changed since) and is refused with 409 "
        "`no_consent` once they have withdrawn consent to the channel. Other 409 codes: `resend_pending` (a copy "
        "was made less than a minute ago or still waits), `notification_pending` (the original still waits), "
        "`opted_out` (the address unsubscribed)."
    ),
)
def resend_notification(request, notification_id: int):
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=notification_id)
    if request.user.role not in RESENDERS:
        raise PermissionDenied("Повторно надсилати повідомлення можуть адміністратори й керівники ЦНАП.")
    copy = services.resend(notification, actor=actor_from_request(request))
    return HttpStatus(201, copy)
