"""Texts of the notifications: one short SMS and one email (subject and body) per event.

Templates live in ``templates/notify/messages/<event>.{sms,subject,email}.txt`` and are written in
Ukrainian. The SMS texts are kept to one or two segments: a Cyrillic text is sent in UCS-2, 70
characters in one segment or 67 per segment when it is split (GSM-7: 160 and 153).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from vikno.core.errors import DomainError

from .models import Channel, Event

# Context keys each event needs; the caller may pass more (they are available to the templates), e.g.
# ``collect_reminder``'s ``result_ready_at`` and ``is_refusal`` (the decision waiting is a refusal: the
# texts ask to collect it instead of a result).
REQUIRED: dict[str, tuple[str, ...]] = {
    Event.ACCEPTED: ("case_number", "service_name", "center_name"),
    Event.CLARIFICATION_NEEDED: ("case_number", "service_name", "center_name"),
    Event.RESULT_READY: ("case_number", "service_name", "center_name"),
    Event.REFUSED: ("case_number", "service_name", "center_name"),
    Event.COLLECT_REMINDER: ("case_number", "service_name", "center_name"),
    Event.OVERDUE_ESCALATION: ("case_number", "service_name", "center_name", "due_date"),
    Event.BOOKING_CONFIRMED: ("center_name", "office_name", "booking_time", "booking_code"),
    Event.BOOKING_REMINDER: ("center_name", "office_name", "booking_time", "booking_code"),
    Event.ONLINE_SUBMITTED: ("case_number", "service_name", "center_name"),
    Event.CONSULTATION_ANSWER: ("center_name", "answer"),
}

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def status_url(case_number: str) -> str:
    """The public status page of a case, as printed in SMS and email."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/status/?number={quote(case_number, safe='')}"


def full_context(event: str, context: dict) -> dict:
    required = REQUIRED.get(event)
    if required is None:
        raise DomainError(f"Невідома подія сповіщення «{event}».", code="unknown_event", field="event")
    missing = [key for key in required if not str(context.get(key) or "").strip()]
    if missing:
        raise DomainError(
            f"Для сповіщення «{event}» бракує даних: {', '.join(missing)}.", code="missing_context", field="context"
        )
    data = dict(context)
    if data.get("case_number") and not data.get("status_url"):
        data["status_url"] = status_url(str(data["case_number"]))
    return data


@translation.override("uk")  # applicants read Ukrainian, whatever the language of the page that sent it
def render(event: str, channel: str, context: dict) -> Rendered:
    """The message of ``event`` for ``channel``; ``context`` must hold the keys in ``REQUIRED``."""
    data = full_context(event, context)
    base = f"notify/messages/{event}"
    if channel == Channel.SMS:
        return Rendered(subject="", body=_clean(render_to_string(f"{base}.sms.txt", data)))
    subject = " ".join(render_to_string(f"{base}.subject.txt", data).split())
    body = render_to_string(f"{base}.email.txt", data).strip() + "\n"
    return Rendered(subject=subject, body=body)


def _clean(text: str) -> str:
    """One line, single spaces: template line breaks are for the reader of the template only."""
    return " ".join(text.split())


def sms_encoding(text: str) -> str:
    return "gsm7" if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text) else "ucs2"


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` takes (what the gateway charges for)."""
    if sms_encoding(text) == "gsm7":
        length = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, part = 160, 153
    else:
        # Characters outside the Basic Multilingual Plane take two UTF-16 units.
        length = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, part = 70, 67
    if length <= single:
        return 1
    return math.ceil(length / part)
