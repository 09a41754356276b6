"""Hold → confirm → SMS/email with the code and manage link; cancel and reschedule by that link."""

from datetime import timedelta

import pytest

from vikno.core.errors import DomainError
from vikno.core.models import AuditEvent
from vikno.notify.models import Notification
from vikno.queue import booking
from vikno.queue.models import Booking
from vikno.queue.tests.booking_world import MONDAY, NOW, PHONE, SYSTEM, bookable_queue, confirmed, kyiv


def test_hold_then_confirm_sends_the_code_time_office_and_manage_link(world, settings):
    settings.PUBLIC_BASE_URL = "https://vikno.example"
    queue = bookable_queue(world.office_a, minutes=30)
    held = booking.hold(queue, kyiv(MONDAY, 10, 30), phone="050 123 45 67", now=NOW, actor=SYSTEM)
    assert held.status == "held" and held.phone == PHONE
    assert held.hold_expires_at == NOW + timedelta(minutes=settings.QUEUE_HOLD_MINUTES)
    assert held.ends_at == kyiv(MONDAY, 11)
    assert len(held.code) == 6 and held.code.isdigit()

    made = booking.confirm(
        held,
        full_name="  Коваленко   Іван ",
        email="Ivan@Example.com",
        sms_allowed=True,
        email_allowed=True,
        personal_data_consent=True,
        now=NOW + timedelta(minutes=3),
        actor=SYSTEM,
    )
    assert made.status == "confirmed" and made.hold_expires_at is None
    assert made.full_name == "Коваленко Іван" and made.email == "ivan@example.com"
    sms = Notification.objects.get(event="booking_confirmed", channel="sms")
    assert sms.recipient == PHONE
    assert made.code in sms.body and "04.03.2030 о 10:30" in sms.body and world.office_a.name in sms.body
    email = Notification.objects.get(event="booking_confirmed", channel="email")
    assert f"https://vikno.example/booking/manage/{made.manage_token}/" in email.body
    consent = AuditEvent.objects.get(action="queue.booking_confirmed", object_id=str(made.pk))
    assert consent.data["personal_data_consent"] is True and consent.data["sms_allowed"] is True


def test_no_channel_allowed_means_no_message(world):
    queue = bookable_queue(world.office_a)
    confirmed(queue, kyiv(MONDAY, 9), sms=False)
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"full_name": " "}, "full_name", "required"),
        ({"personal_data_consent": False}, "personal_data_consent", "consent_required"),
        ({"email_allowed": True, "email": ""}, "email", "required"),
        ({"email": "не-адреса"}, "email", "invalid_email"),
    ],
)
def test_confirm_refuses_bad_details_and_keeps_the_hold(world, fields, field, code):
    queue = bookable_queue(world.office_a)
    held = booking.hold(queue, kyiv(MONDAY, 9), phone=PHONE, now=NOW)
    values = {"full_name": "Коваленко Іван", "personal_data_consent": True, "sms_allowed": True, **fields}
    with pytest.raises(DomainError) as refused:
        booking.confirm(held, **values, now=NOW)
    assert (refused.value.field, refused.value.code) == (field, code)
    held.refresh_from_db()
    assert held.status == "held"


def test_an_expired_hold_cannot_be_confirmed(world, settings):
    queue = bookable_queue(world.office_a)
    held = booking.hold(queue, kyiv(MONDAY, 9), phone=PHONE, now=NOW)
    late = NOW + timedelta(minutes=settings.QUEUE_HOLD_MINUTES, seconds=1)
    with pytest.raises(DomainError, match="Час утримання минув") as refused:
        booking.confirm(held, full_name="Іван", personal_data_consent=True, now=late)
    assert refused.value.code == "hold_expired"


@pytest.mark.parametrize(
    ("hour", "minute", "day", "code", "text"),
    [
        (7, 0, 0, "slot_in_past", "минув"),
        (13, 30, 0, "outside_hours", "Години роботи 04.03.2030: 09:00–13:00, 14:00–17:00"),
        (18, 0, 0, "outside_hours", "не приймає"),
        (9, 10, 0, "not_a_slot", "кожні 30 хв"),
        (10, 0, 5, "office_closed", "не працює"),
        (10, 0, 31, "beyond_window", "не далі ніж на 30 днів"),
    ],
)
def test_hold_outside_hours_or_the_window_is_refused_clearly(world, settings, hour, minute, day, code, text):
    settings.QUEUE_BOOKING_DAYS = 30
    queue = bookable_queue(world.office_a, minutes=30)
    with pytest.raises(DomainError) as refused:
        booking.hold(queue, kyiv(MONDAY + timedelta(days=day), hour, minute), phone=PHONE, now=NOW)
    assert refused.value.code == code
    assert text in refused.value.message
    assert not Booking.objects.exists()


def test_cancel_frees_the_place(world):
    queue = bookable_queue(world.office_a, minutes=60)
    made = confirmed(queue, kyiv(MONDAY, 9))
    assert kyiv(MONDAY, 9) not in [s.starts_at for s in booking.free_slots(world.office_a, queue, MONDAY, now=NOW)]
    booking.cancel(made.manage_token, now=NOW, actor=SYSTEM)
    made.refresh_from_db()
    assert made.status == "cancelled"
    assert kyiv(MONDAY, 9) in [s.starts_at for s in booking.free_slots(world.office_a, queue, MONDAY, now=NOW)]
    with pytest.raises(DomainError, match="скасувати його вже не можна"):
        booking.cancel(made.manage_token, now=NOW)
    with pytest.raises(DomainError) as unknown:
        booking.cancel("no-such-token", now=NOW)
    assert unknown.value.status == 404


def test_reschedule_moves_the_booking_and_sends_a_new_confirmation(world):
    queue = bookable_queue(world.office_a, minutes=60)
    made = confirmed(queue, kyiv(MONDAY, 9))
    other = confirmed(queue, kyiv(MONDAY, 11), phone="+380671112233")
    with pytest.raises(DomainError) as taken:
        booking.reschedule(made.manage_token, kyiv(MONDAY, 11), now=NOW)
    assert taken.value.code == "slot_taken"
    moved = booking.reschedule(made.manage_token, kyiv(MONDAY + timedelta(days=1), 14), now=NOW, actor=SYSTEM)
    assert moved.starts_at == kyiv(MONDAY + timedelta(days=1), 14) and moved.ends_at == kyiv(
        MONDAY + timedelta(days=1), 15
    )
    assert Notification.objects.filter(event="booking_confirmed", recipient=PHONE).count() == 2
    assert "05.03.2030 о 14:00" in Notification.objects.filter(recipient=PHONE).latest("id").body
    assert kyiv(MONDAY, 9) in [s.starts_at for s in booking.free_slots(world.office_a, queue, MONDAY, now=NOW)]
    other.refresh_from_db()
    assert other.starts_at == kyiv(MONDAY, 11)
