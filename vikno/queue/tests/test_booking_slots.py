"""Free slots come from the office's hours (exceptions applied), the queue's service time and its booking capacity."""

from datetime import time, timedelta

from vikno.orgs.models import ScheduleException
from vikno.queue import booking
from vikno.queue.models import Booking
from vikno.queue.tests.booking_world import MONDAY, NOW, OTHER_PHONE, PHONE, bookable_queue, close_on, kyiv


def _times(slots):
    return [s.starts_at.astimezone(kyiv(MONDAY, 0).tzinfo).strftime("%H:%M") for s in slots]


def test_slots_follow_the_hours_and_the_service_time(world):
    queue = bookable_queue(world.office_a, minutes=45, places=2)
    slots = booking.free_slots(world.office_a, queue, MONDAY, now=NOW)
    # 09:00–13:00 takes five 45-minute slots (the last ends 12:45), 14:00–17:00 four.
    assert _times(slots) == ["09:00", "09:45", "10:30", "11:15", "12:00", "14:00", "14:45", "15:30", "16:15"]
    assert all(s.capacity == 2 and s.free == 2 for s in slots)
    assert slots[0].ends_at - slots[0].starts_at == timedelta(minutes=45)


def test_nothing_in_the_past_nor_beyond_the_window(world, settings):
    settings.QUEUE_BOOKING_DAYS = 30
    queue = bookable_queue(world.office_a)
    at_ten = kyiv(MONDAY, 10, 5)
    assert _times(booking.free_slots(world.office_a, queue, MONDAY, now=at_ten))[0] == "10:30"
    assert booking.free_slots(world.office_a, queue, MONDAY - timedelta(days=7), now=NOW) == []
    last = MONDAY + timedelta(days=30)  # Wednesday, the last day of the window
    assert booking.free_slots(world.office_a, queue, last, now=NOW)
    assert booking.free_slots(world.office_a, queue, last + timedelta(days=1), now=NOW) == []


def test_weekends_and_closed_days_have_no_slots_and_special_hours_apply(world):
    queue = bookable_queue(world.office_a, minutes=60)
    assert booking.free_slots(world.office_a, queue, MONDAY + timedelta(days=5), now=NOW) == []  # Saturday
    close_on(world.office_a, MONDAY + timedelta(days=1))
    assert booking.free_slots(world.office_a, queue, MONDAY + timedelta(days=1), now=NOW) == []
    ScheduleException.objects.create(
        office=world.office_a, date=MONDAY + timedelta(days=2), kind="shortened", opens=time(10), closes=time(12)
    )
    assert _times(booking.free_slots(world.office_a, queue, MONDAY + timedelta(days=2), now=NOW)) == ["10:00", "11:00"]


def test_holds_and_bookings_take_places_and_expired_holds_do_not(world):
    queue = bookable_queue(world.office_a, minutes=60, places=2)
    nine = kyiv(MONDAY, 9)
    booking.hold(queue, nine, phone=PHONE, now=NOW)
    (first,) = [s for s in booking.free_slots(world.office_a, queue, MONDAY, now=NOW) if s.starts_at == nine]
    assert first.free == 1
    booking.hold(queue, nine, phone=OTHER_PHONE, now=NOW)
    assert nine not in [s.starts_at for s in booking.free_slots(world.office_a, queue, MONDAY, now=NOW)]
    # Ten minutes later both holds have run out: the slot is free again, before any sweep runs.
    later = NOW + timedelta(minutes=10)
    assert Booking.objects.filter(status="held").count() == 2
    (again,) = [s for s in booking.free_slots(world.office_a, queue, MONDAY, now=later) if s.starts_at == nine]
    assert again.free == 2
    assert booking.expire_holds(later) == 2
    assert set(Booking.objects.values_list("status", flat=True)) == {"expired"}


def test_a_queue_without_booking_places_has_no_slots(world):
    queue = bookable_queue(world.office_a, places=0)
    assert booking.free_slots(world.office_a, queue, MONDAY, now=NOW) == []
    assert booking.free_slots(world.office_b, queue, MONDAY, now=NOW) == []  # not that office's queue


def test_hours_by_day_agrees_with_opening_hours(world):
    from vikno.orgs.services import opening_hours

    bookable_queue(world.office_a)
    close_on(world.office_a, MONDAY + timedelta(days=3))
    hours = booking.hours_by_day(world.office_a, MONDAY, MONDAY + timedelta(days=13))
    assert hours == {d: opening_hours(world.office_a, d) for d in hours}
