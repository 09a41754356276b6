"""The anti-bot check of the public forms: a signed timestamp (minimum fill time, single use) and a honeypot."""

from datetime import timedelta

import pytest
from django.core import signing

from vikno.core.errors import DomainError
from vikno.queue import booking
from vikno.queue.tests.booking_world import NOW


@pytest.mark.django_db  # the single-use stamps are counted in PostgreSQL (core.ratelimit)
def test_a_form_sent_back_after_a_few_seconds_passes_once(settings):
    settings.QUEUE_FORM_MIN_SECONDS = 3
    stamp = booking.form_stamp(NOW)
    booking.check_human(stamp, "", now=NOW + timedelta(seconds=5))
    with pytest.raises(DomainError) as reused:
        booking.check_human(stamp, "", now=NOW + timedelta(seconds=6))
    assert reused.value.code == "form_reused"


@pytest.mark.parametrize(
    ("make_stamp", "honeypot", "after", "code"),
    [
        (lambda: booking.form_stamp(NOW), "", timedelta(seconds=1), "too_fast"),
        (lambda: booking.form_stamp(NOW), "http://spam.example", timedelta(seconds=30), "bot_suspected"),
        (lambda: booking.form_stamp(NOW), "", timedelta(hours=3), "form_expired"),
        (lambda: "", "", timedelta(seconds=30), "form_invalid"),
        (lambda: signing.dumps({"t": 0, "n": "x"}, salt="another"), "", timedelta(seconds=30), "form_invalid"),
        (lambda: booking.form_stamp(NOW)[:-2] + "xx", "", timedelta(seconds=30), "form_invalid"),
    ],
)
def test_bots_are_refused(settings, make_stamp, honeypot, after, code):
    settings.QUEUE_FORM_MIN_SECONDS = 3
    with pytest.raises(DomainError) as refused:
        booking.check_human(make_stamp(), honeypot, now=NOW + after)
    assert refused.value.code == code
    assert refused.value.message
