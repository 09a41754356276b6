"""What an SMS gateway adapter does, and how it reports failure.

An adapter sends one text to one E.164 number and returns the gateway's message id. It raises
``TransientDeliveryError`` when trying again later may succeed (timeouts, refused connections,
HTTP 5xx, the gateway's own temporary error codes) and ``PermanentDeliveryError`` when it will not
(an invalid or blocked number, a text the gateway refuses).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any


class DeliveryError(Exception):
    """A failed delivery attempt; ``str(exc)`` is stored on the notification as its last error."""


class TransientDeliveryError(DeliveryError):
    """Try again later."""


class PermanentDeliveryError(DeliveryError):
    """Trying again will not help."""


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, e.g. +380501234567
    text: str
    key: str  # idempotency key: the same for every attempt of one notification


@dataclass(frozen=True)
class SendResult:
    message_id: str = ""
    status: str = "accepted"
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class GatewayConfig:
    url: str
    token: str
    sender: str
    timeout: float


class SmsGateway:
    """Base class of the adapters. ``name`` is the value of ``VIKNO_SMS_BACKEND`` that selects it."""

    name = ""

    def __init__(self, config: GatewayConfig):
        self.config = config

    def send(self, message: SmsMessage) -> SendResult:
        raise NotImplementedError


# Client errors that mean the request itself is wrong (a permanent failure); other statuses,
# including 401/403 (a token can be fixed by the operator) and 429, are worth retrying.
PERMANENT_HTTP = {400, 404, 405, 410, 413, 414, 415, 422}


def post_json(url: str, payload: dict, *, token: str, timeout: float, headers: dict | None = None) -> tuple[int, Any]:
    """POST ``payload`` as JSON and return (HTTP status, decoded JSON body). Network failures and
    timeouts raise ``TransientDeliveryError``; a body that is not JSON answers ``None``."""
    if not url.startswith(("http://", "https://")):
        raise PermanentDeliveryError(f"Некоректна адреса SMS-шлюзу: {url!r}")
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310 - scheme checked above
    request.add_header("Content-Type", "application/json; charset=utf-8")
    request.add_header("Accept", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read() if exc.fp else b""
    except TimeoutError:
        raise TransientDeliveryError(f"SMS-шлюз не відповів за {timeout:g} с")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise TransientDeliveryError(f"SMS-шлюз не відповів за {timeout:g} с")
        raise TransientDeliveryError(f"SMS-шлюз недоступний: {reason}")
    try:
        decoded = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        decoded = None
    return status, decoded


def check_http_status(status: int, body: Any) -> None:
    if status in PERMANENT_HTTP:
        raise PermanentDeliveryError(f"SMS-шлюз відхилив запит: HTTP {status} {_short(body)}")
    if status >= 300:
        raise TransientDeliveryError(f"SMS-шлюз відповів HTTP {status} {_short(body)}")


def _short(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False)[:200] if body is not None else ""
