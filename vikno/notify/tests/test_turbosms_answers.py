"""How the TurboSMS adapter reads the provider's answers."""

from __future__ import annotations

import pytest

from vikno.notify.adapters.base import PermanentDeliveryError, TransientDeliveryError
from vikno.notify.adapters.turbosms import interpret

PHONE = "380501234567"


def _answer(code, status, items=None):
    return {"response_code": code, "response_status": status, "response_result": items}


def _item(code=0, status="OK", message_id="f83f8868-5e46"):
    return {"phone": PHONE, "response_code": code, "message_id": message_id, "response_status": status}


def test_accepted():
    result = interpret(_answer(800, "SUCCESS_MESSAGE_ACCEPTED", [_item()]), PHONE)
    assert result.message_id == "f83f8868-5e46"


def test_duplicate_counts_as_delivered():
    assert interpret(_answer(427, "NOT_ALLOWED_MESSAGE_DUPLICATE"), PHONE).status == "duplicate"
    assert (
        interpret(_answer(802, "X", [_item(427, "NOT_ALLOWED_MESSAGE_DUPLICATE", None)]), PHONE).status == "duplicate"
    )
    assert interpret(_answer(507, "FAILED_DUPLICATE_REQUEST", [_item()]), PHONE).message_id == "f83f8868-5e46"


@pytest.mark.parametrize(
    "answer",
    [
        _answer(305, "INVALID_PHONE", [_item(305, "INVALID_PHONE", None)]),
        _answer(404, "NOT_ALLOWED_NUMBER_STOPLIST"),
        _answer(802, "SUCCESS_MESSAGE_PARTIAL_ACCEPTED", [_item(406, "NOT_ALLOWED_RECIPIENT_COUNTRY", None)]),
    ],
)
def test_permanent_refusals(answer):
    with pytest.raises(PermanentDeliveryError):
        interpret(answer, PHONE)


@pytest.mark.parametrize(
    "answer",
    [
        _answer(503, "FAILED_SMS_SEND"),
        _answer(999, "FATAL_ERROR"),
        _answer(105, "REQUIRED_AUTH"),
        _answer(203, "REQUIRED_BALANCE"),
        _answer(800, "SUCCESS_MESSAGE_ACCEPTED", [_item(message_id=None)]),
    ],
)
def test_temporary_failures(answer):
    with pytest.raises(TransientDeliveryError):
        interpret(answer, PHONE)
