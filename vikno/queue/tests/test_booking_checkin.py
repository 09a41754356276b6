"""Check-in at the kiosk by the booking code: a ticket placed fairly at the booked time; clear refusals."""

from datetime import timedelta

import pytest

from vikno.core.errors import DomainError
from vikno.queue import booking, services
from vikno.queue.models import Booking, Ticket
from vikno.queue.tests.booking_world import MONDAY, NOW, OTHER_PHONE, bookable_queue, confirmed, kyiv


def test_check_in_gives_a_ticket_ordered_at_the_booked_time(world):
    queue = bookable_queue(world.office_a, minutes=30)
    made = confirmed(queue, kyiv(MONDAY, 10))
    walk_in_early = services.issue_ticket(queue, now=kyiv(MONDAY, 9, 50))
    walk_in_late = services.issue_ticket(queue, now=kyiv(MONDAY, 10, 2))
    ticket = booking.check_in(world.office_a, f" {made.code[:3]} {made.code[3:]} ", kyiv(MONDAY, 10, 5))
    assert ticket.source == "booking"
    assert ticket.order_at == kyiv(MONDAY, 10)
    assert ticket.issued_at == kyiv(MONDAY, 10, 5)
    made.refresh_from_db()
    assert made.status == "checked_in" and made.ticket == ticket
    # In the line: the walk-in who came before the booked time, then the booking, then the later walk-in.
    line = list(Ticket.objects.filter(queue=queue, status="waiting").order_by("order_at").values_list("pk", flat=True))
    assert line == [walk_in_early.pk, ticket.pk, walk_in_late.pk]
    with pytest.raises(DomainError) as again:
        booking.check_in(world.office_a, made.code, kyiv(MONDAY, 10, 6))
    assert again.value.code == "already_checked_in" and ticket.code in again.value.message


@pytest.mark.parametrize(
    ("minutes", "outcome"),
    [(-31, "too_early"), (-30, "ok"), (0, "ok"), (15, "ok"), (16, "code_expired")],
)
def test_the_check_in_window(world, settings, minutes, outcome):
    settings.QUEUE_CHECKIN_EARLY_MINUTES = 30
    settings.QUEUE_CHECKIN_LATE_MINUTES = 15
    queue = bookable_queue(world.office_a, minutes=30)
    made = confirmed(queue, kyiv(MONDAY, 11))
    moment = made.starts_at + timedelta(minutes=minutes)
    if outcome == "ok":
        assert booking.check_in(world.office_a, made.code, moment).order_at == made.starts_at
        return
    with pytest.raises(DomainError) as refused:
        booking.check_in(world.office_a, made.code, moment)
    assert refused.value.code == outcome
    made.refresh_from_db()
    assert made.status == "confirmed" and not Ticket.objects.exists()
    if outcome == "too_early":
        assert "з 10:30" in refused.value.message


def test_foreign_unknown_and_cancelled_codes_are_refused_without_change(world):
    queue = bookable_queue(world.office_a, minutes=30)
    bookable_queue(world.office_b, minutes=30)
    made = confirmed(queue, kyiv(MONDAY, 10))
    cancelled = confirmed(queue, kyiv(MONDAY, 10, 30), phone=OTHER_PHONE)
    booking.cancel(cancelled.manage_token, now=NOW)
    with pytest.raises(DomainError) as foreign:
        booking.check_in(world.office_b, made.code, kyiv(MONDAY, 10))
    assert foreign.value.code == "foreign_code" and world.office_a.name in foreign.value.message
    unknown_code = "000000" if made.code != "000000" else "111111"
    with pytest.raises(DomainError) as unknown:
        booking.check_in(world.office_a, unknown_code, kyiv(MONDAY, 10))
    assert unknown.value.code == "unknown_code"
    with pytest.raises(DomainError) as gone:
        booking.check_in(world.office_a, cancelled.code, kyiv(MONDAY, 10, 30))
    assert gone.value.code == "booking_cancelled"
    with pytest.raises(DomainError) as short:
        booking.check_in(world.office_a, "12", kyiv(MONDAY, 10))
    assert short.value.code == "invalid_code"
    assert not Ticket.objects.exists()
    assert set(Booking.objects.values_list("status", flat=True)) == {"confirmed", "cancelled"}


def test_bookings_not_checked_in_after_the_late_window_are_no_shows(world, settings):
    settings.QUEUE_CHECKIN_LATE_MINUTES = 15
    queue = bookable_queue(world.office_a, minutes=30)
    early = confirmed(queue, kyiv(MONDAY, 9))
    later = confirmed(queue, kyiv(MONDAY, 10), phone=OTHER_PHONE)
    assert booking.mark_no_shows(kyiv(MONDAY, 9, 15)) == 0
    assert booking.mark_no_shows(kyiv(MONDAY, 9, 16)) == 1
    early.refresh_from_db()
    later.refresh_from_db()
    assert (early.status, later.status) == ("no_show", "confirmed")
    with pytest.raises(DomainError) as refused:
        booking.check_in(world.office_a, early.code, kyiv(MONDAY, 9, 20))
    assert refused.value.code == "code_expired"


def test_a_code_for_another_day_says_which_day_and_when_check_in_opens(world, settings):
    settings.QUEUE_CHECKIN_EARLY_MINUTES = 30
    queue = bookable_queue(world.office_a, minutes=30)
    made = confirmed(queue, kyiv(MONDAY + timedelta(days=3), 9))
    for moment in (kyiv(MONDAY, 10), kyiv(MONDAY + timedelta(days=2), 16)):  # days before; the day before
        with pytest.raises(DomainError) as refused:
            booking.check_in(world.office_a, made.code, moment)
        assert refused.value.code == "another_day"
        assert refused.value.message == (
            "Ваш запис — на 07.03.2030 о 09:00; реєстрація відкривається за 30 хв до початку."
        )
        assert "Коваленко" not in refused.value.message
    made.refresh_from_db()
    assert made.status == "confirmed" and not Ticket.objects.exists()


def test_a_code_of_another_office_on_another_day_names_the_office_not_the_person(world):
    bookable_queue(world.office_a, minutes=30)
    made = confirmed(bookable_queue(world.office_b, minutes=30), kyiv(MONDAY + timedelta(days=7), 9))
    with pytest.raises(DomainError) as refused:
        booking.check_in(world.office_a, made.code, kyiv(MONDAY, 10))
    assert refused.value.code == "foreign_code"
    assert world.office_b.name in refused.value.message and "11.03.2030 о 09:00" in refused.value.message
    assert "Коваленко" not in refused.value.message


def test_the_kiosk_page_shows_the_day_of_a_booking_made_for_another_day(world, client):
    queue = bookable_queue(world.office_a, minutes=30)
    made = confirmed(queue, kyiv(MONDAY + timedelta(days=3), 9), now=NOW)
    response = client.post(f"/queue/kiosk/{world.office_a.pk}/check-in/", {"code": made.code})
    assert response.status_code < 500
    html = response.content.decode()
    assert "Ваш запис — на 07.03.2030 о 09:00" in html and "не знайдено" not in html
