"""Normalise recipient addresses: phone numbers to E.164 (with ``phonenumbers``), emails to lower case."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from vikno.core.errors import DomainError

DEFAULT_REGION = "UA"


def normalise_phone(raw: str) -> str:
    """``raw`` as E.164 (``+380501234567``); Ukrainian numbers may be written without the country code."""
    text = (raw or "").strip()
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError(
            _("The phone number «%(phone)s» is incorrect.") % {"phone": text}, code="invalid_phone", field="phone"
        )
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise DomainError(
            _("The number «%(phone)s» is not a mobile one: an SMS cannot be delivered to it.") % {"phone": text},
            code="not_mobile",
            field="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    text = (raw or "").strip()
    try:
        validate_email(text)
    except ValidationError:
        raise DomainError(
            _("The email address «%(email)s» is incorrect.") % {"email": text}, code="invalid_email", field="email"
        )
    return text.lower()


def normalise(channel: str, raw: str) -> str:
    return normalise_phone(raw) if channel == "sms" else normalise_email(raw)
