"""Per-phone limits: one hold in progress, at most QUEUE_MAX_ACTIVE_BOOKINGS_PER_PHONE future bookings."""

from datetime import timedelta

import pytest

from vikno.core.errors import DomainError
from vikno.queue import booking
from vikno.queue.models import Booking
from vikno.queue.tests.booking_world import MONDAY, NOW, PHONE, bookable_queue, confirmed, kyiv


def test_a_second_hold_by_the_same_phone_is_refused_without_change(world):
    queue = bookable_queue(world.office_a, minutes=60, places=3)
    booking.hold(queue, kyiv(MONDAY, 9), phone=PHONE, now=NOW)
    before = list(Booking.objects.values_list("pk", "status", "starts_at"))
    with pytest.raises(DomainError) as refused:
        booking.hold(queue, kyiv(MONDAY, 10), phone="0501234567", now=NOW)  # the same number, written differently
    assert refused.value.code == "hold_exists"
    assert refused.value.field == "phone"
    assert "уже утримується час" in refused.value.message
    assert list(Booking.objects.values_list("pk", "status", "starts_at")) == before
    # Once the hold has run out, the phone may hold again.
    booking.hold(queue, kyiv(MONDAY, 10), phone=PHONE, now=NOW + timedelta(minutes=11))


def test_future_bookings_per_phone_are_limited(world, settings):
    settings.QUEUE_MAX_ACTIVE_BOOKINGS_PER_PHONE = 2
    queue = bookable_queue(world.office_a, minutes=60, places=3)
    confirmed(queue, kyiv(MONDAY, 9))
    confirmed(queue, kyiv(MONDAY, 10))
    with pytest.raises(DomainError) as refused:
        booking.hold(queue, kyiv(MONDAY, 11), phone=PHONE, now=NOW)
    assert refused.value.code == "too_many_bookings"
    assert "найбільше — 2" in refused.value.message
    assert Booking.objects.count() == 2
    # A booking in the past does not count.
    assert booking.hold(queue, kyiv(MONDAY, 14), phone=PHONE, now=kyiv(MONDAY, 9, 30)).status == "held"


def test_invalid_phone_is_refused_beside_the_field(world):
    queue = bookable_queue(world.office_a)
    with pytest.raises(DomainError) as refused:
        booking.hold(queue, kyiv(MONDAY, 9), phone="12345", now=NOW)
    assert refused.value.field == "phone"
