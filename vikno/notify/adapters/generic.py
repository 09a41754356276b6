"""A generic JSON SMS gateway, for providers (or in-house relays) that speak this small protocol:

``POST <VIKNO_SMS_URL>/messages`` with ``Authorization: Bearer <token>`` and the body
``{"to": "+380501234567", "text": "...", "idempotency_key": "<uuid>", "sender": "..."}``; the answer
is ``{"id": "<message id>", "status": "accepted"}`` (HTTP 200 or 201). The gateway must treat a
repeated ``idempotency_key`` as the same message and answer with the first result, so a retry after
a lost answer never sends twice. HTTP 5xx, 408 and 429 are retried; other 4xx are permanent.
"""

from __future__ import annotations

from .base import (
    PermanentDeliveryError,
    SendResult,
    SmsGateway,
    SmsMessage,
    TransientDeliveryError,
    check_http_status,
    post_json,
)
from .registry import register

FAILED_STATUSES = {"rejected", "failed", "undeliverable"}


@register
class GenericJsonGateway(SmsGateway):
    name = "generic"

    def send(self, message: SmsMessage) -> SendResult:
        payload = {"to": message.to, "text": message.text, "idempotency_key": message.key}
        if self.config.sender:
            payload["sender"] = self.config.sender
        status, body = post_json(
            f"{self.config.url}/messages",
            payload,
            token=self.config.token,
            timeout=self.config.timeout,
            headers={"Idempotency-Key": message.key},
        )
        check_http_status(status, body)
        if not isinstance(body, dict) or not body.get("id"):
            raise TransientDeliveryError(f"SMS-шлюз не підтвердив повідомлення (HTTP {status})")
        state = str(body.get("status", "accepted"))
        if state in FAILED_STATUSES:
            raise PermanentDeliveryError(f"SMS-шлюз відхилив повідомлення: {state} {body.get('error', '')}".strip())
        return SendResult(message_id=str(body["id"]), status=state, raw=body)
