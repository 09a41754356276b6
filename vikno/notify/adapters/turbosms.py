"""TurboSMS (turbosms.ua), a Ukrainian SMS provider, through its JSON HTTP API.

The contract, as documented by the provider at https://turbosms.ua/api.html (the "HTTP API"
section, method ``message/send``) and as seen in public client code that calls it:

- ``POST https://api.turbosms.ua/message/send.json`` with ``Authorization: Bearer <token>`` and
  ``{"recipients": ["380501234567"], "sms": {"sender": "<alpha name>", "text": "..."}}``;
  numbers are written without the plus sign.
- The answer is JSON: ``response_code`` and ``response_status`` for the request as a whole
  (800 SUCCESS_MESSAGE_ACCEPTED, 801 SUCCESS_MESSAGE_SENT, 802/803 the PARTIAL variants when some
  recipients were dropped) and ``response_result``: one item per recipient with ``phone``,
  ``response_code`` (0 = OK), ``message_id`` and ``response_status``.
- Error codes: 1xx authentication (103 REQUIRED_TOKEN, 105/106 REQUIRED_AUTH), 2xx missing data
  (201 text, 202 recipient, 203 REQUIRED_BALANCE), 3xx invalid data (301 INVALID_TOKEN,
  302 INVALID_MESSAGE_SENDER, 304 INVALID_MESSAGE_TEXT, 305 INVALID_PHONE), 4xx not allowed
  (400/401 sender not allowed or not active, 404 NOT_ALLOWED_NUMBER_STOPLIST, 406 recipient country,
  412/413 text forbidden or too long, 427 NOT_ALLOWED_MESSAGE_DUPLICATE: the same message was
  created in the last 90 seconds), 5xx failures on the provider's side (503 FAILED_SMS_SEND,
  507 FAILED_DUPLICATE_REQUEST: the results of the earlier identical request are returned) and
  999 FATAL_ERROR.

How Vikno reads it: a message is delivered when the recipient's item has code 0 and a
``message_id``. A duplicate (427, or 507 with the earlier result) means an earlier attempt whose
answer we lost got through, so it counts as delivered and is not sent again. Codes that describe the
number or the text are permanent failures; everything else (authentication, balance, sender not yet
active, provider failures) is retried with backoff, since the operator can fix it meanwhile.
"""

from __future__ import annotations

from typing import Any

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

SEND_PATH = "/message/send.json"
OK = 0
SUCCESS_CODES = {800, 801, 802, 803}
DUPLICATE_MESSAGE = 427
DUPLICATE_REQUEST = 507
PERMANENT_CODES = {
    201,  # REQUIRED_MESSAGE_TEXT
    202,  # REQUIRED_MESSAGE_RECIPIENT
    304,  # INVALID_MESSAGE_TEXT
    305,  # INVALID_PHONE
    404,  # NOT_ALLOWED_NUMBER_STOPLIST
    406,  # NOT_ALLOWED_RECIPIENT_COUNTRY
    412,  # NOT_ALLOWED_MESSAGE_TEXT
    413,  # NOT_ALLOWED_MESSAGE_TEXT_LENGTH
}


@register
class TurboSmsGateway(SmsGateway):
    name = "turbosms"

    def send(self, message: SmsMessage) -> SendResult:
        phone = message.to.lstrip("+")
        payload = {"recipients": [phone], "sms": {"sender": self.config.sender, "text": message.text}}
        status, body = post_json(
            f"{self.config.url}{SEND_PATH}", payload, token=self.config.token, timeout=self.config.timeout
        )
        check_http_status(status, body)
        if not isinstance(body, dict) or "response_code" not in body:
            raise TransientDeliveryError(f"TurboSMS: незрозуміла відповідь (HTTP {status})")
        return interpret(body, phone)


def interpret(body: dict, phone: str) -> SendResult:
    """Turn a TurboSMS answer for one recipient into a result or a delivery error."""
    code, state = _code(body.get("response_code")), str(body.get("response_status", ""))
    item = _item_for(body.get("response_result"), phone)
    item_code = _code(item.get("response_code")) if item else None
    message_id = str(item.get("message_id") or "") if item else ""

    if code == DUPLICATE_MESSAGE or item_code == DUPLICATE_MESSAGE:
        return SendResult(message_id=message_id, status="duplicate", raw=body)
    if code in SUCCESS_CODES | {OK, DUPLICATE_REQUEST} and item_code == OK and message_id:
        return SendResult(message_id=message_id, status=str(item.get("response_status") or state), raw=body)
    if code in (800, 801) and item is None:
        # Accepted as a whole without per-recipient details.
        return SendResult(message_id="", status=state, raw=body)

    failed_code = item_code if item_code not in (None, OK) else code
    failed_state = str(item.get("response_status", "")) if item and item_code not in (None, OK) else state
    detail = f"TurboSMS {failed_code} {failed_state}".strip()
    if failed_code in PERMANENT_CODES:
        raise PermanentDeliveryError(detail)
    raise TransientDeliveryError(detail)


def _code(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _item_for(result: Any, phone: str) -> dict | None:
    if isinstance(result, dict):  # a single object in some answers
        result = [result]
    if not isinstance(result, list):
        return None
    items = [item for item in result if isinstance(item, dict)]
    for item in items:
        if str(item.get("phone", "")).lstrip("+") == phone:
            return item
    return items[0] if len(items) == 1 else None
