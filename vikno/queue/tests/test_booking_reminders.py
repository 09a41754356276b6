"""The reminder before the visit goes out once, QUEUE_REMINDER_HOURS ahead, through notify; tasks are registered."""

from datetime import timedelta

from vikno.notify.models import Notification
from vikno.queue import booking
from vikno.queue.tests.booking_world import MONDAY, NOW, OTHER_PHONE, bookable_queue, confirmed, kyiv


def test_reminder_is_sent_once_per_booked_time(world, settings):
    settings.QUEUE_REMINDER_HOURS = 24
    queue = bookable_queue(world.office_a, minutes=60)
    thursday = MONDAY + timedelta(days=3)
    made = confirmed(queue, kyiv(thursday, 10))
    Notification.objects.all().delete()
    assert booking.send_reminders(kyiv(thursday - timedelta(days=2), 10)) == 0  # 48 h ahead: too early
    assert booking.send_reminders(kyiv(thursday - timedelta(days=1), 11)) == 1  # 23 h ahead
    reminder = Notification.objects.get(event="booking_reminder")
    assert made.code in reminder.body and "07.03.2030 о 10:00" in reminder.body
    assert booking.send_reminders(kyiv(thursday - timedelta(days=1), 12)) == 0
    assert booking.send_reminders(kyiv(thursday, 9)) == 0
    assert Notification.objects.filter(event="booking_reminder").count() == 1
    # Moved to another day: a new reminder for the new time.
    booking.reschedule(made.manage_token, kyiv(thursday + timedelta(days=1), 10), now=kyiv(thursday, 8))
    assert booking.send_reminders(kyiv(thursday, 11)) == 1


def test_only_allowed_channels_are_reminded_and_cancelled_bookings_never(world):
    queue = bookable_queue(world.office_a, minutes=60)
    tuesday = MONDAY + timedelta(days=1)
    silent = confirmed(queue, kyiv(tuesday, 10), sms=False)
    cancelled = confirmed(queue, kyiv(tuesday, 11), phone=OTHER_PHONE)
    booking.cancel(cancelled.manage_token, now=NOW)
    assert booking.send_reminders(kyiv(MONDAY, 12)) == 1  # the silent one is marked, nothing is written
    assert not Notification.objects.filter(event="booking_reminder").exists()
    assert silent.pk


def test_booking_tasks_are_registered_with_procrastinate():
    from procrastinate.contrib.django import app

    from vikno.queue import tasks

    assert tasks.booking_sweep.name in app.tasks and tasks.booking_reminders.name in app.tasks
    periodic = {p.periodic_id for p in app.periodic_registry.periodic_tasks.values()}
    assert {"queue-booking-sweep", "queue-booking-reminders"} <= periodic
