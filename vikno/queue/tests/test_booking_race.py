"""The race for the last places of a slot, on parallel database connections: capacity is never exceeded."""

import pytest

from vikno.core.errors import DomainError
from vikno.queue import booking
from vikno.queue.models import Booking
from vikno.queue.tests.booking_world import MONDAY, NOW, bookable_queue, kyiv
from vikno.testing.parallel import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def _race(queue, starts_at, phones):
    """Every phone tries to hold ``starts_at`` at the same moment, each on its own connection."""
    results: dict[str, str] = {}

    def attempt(phone: str):
        def work() -> None:
            try:
                booking.hold(queue, starts_at, phone=phone, now=NOW)
                results[phone] = "held"
            except DomainError as error:
                results[phone] = error.code

        return work

    assert run_together([attempt(phone) for phone in phones], timeout=30) == []
    return results


def test_ten_people_race_for_two_places(world):
    queue = bookable_queue(world.office_a, minutes=60, places=2)
    nine = kyiv(MONDAY, 9)
    phones = [f"+38050{n:07d}" for n in range(1000001, 1000011)]
    results = _race(queue, nine, phones)
    assert sorted(results.values()) == ["held"] * 2 + ["slot_taken"] * 8
    assert Booking.objects.filter(starts_at=nine).count() == 2


def test_one_phone_racing_for_two_slots_gets_one(world):
    queue = bookable_queue(world.office_a, minutes=60, places=5)
    phone = "+380501234567"
    results = []

    def attempt(hour: int):
        def work() -> None:
            try:
                booking.hold(queue, kyiv(MONDAY, hour), phone=phone, now=NOW)
                results.append("held")
            except DomainError as error:
                results.append(error.code)

        return work

    assert run_together([attempt(9), attempt(10)], timeout=30) == []
    assert sorted(results) == ["held", "hold_exists"]
    assert Booking.objects.filter(phone=phone).count() == 1
