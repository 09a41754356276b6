"""The public booking API: slots, stamp, hold, confirm, manage; check-in with a staff token."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from vikno.queue.models import Booking
from vikno.queue.tests.booking_world import bookable_queue


@pytest.fixture
def queue(world, settings):
    settings.QUEUE_FORM_MIN_SECONDS = 0
    return bookable_queue(world.office_a, minutes=60, places=1)


def _weekday():
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_book_through_the_api(client, world, queue):
    listed = client.get(f"/api/v1/booking/offices/{world.office_a.pk}/queues").json()
    assert [q["id"] for q in listed] == [queue.pk]
    slots = client.get(f"/api/v1/booking/slots?queue_id={queue.pk}&day={_weekday()}").json()
    assert slots and slots[0]["free"] == 1
    stamp = client.get("/api/v1/booking/stamp").json()["stamp"]
    held = client.post(
        "/api/v1/booking/holds",
        {"queue_id": queue.pk, "starts_at": slots[0]["starts_at"], "phone": "0501234567", "stamp": stamp},
        content_type="application/json",
    )
    assert held.status_code == 201, held.content
    token = held.json()["manage_token"]
    assert held.json()["status"] == "held"
    again = client.post(
        "/api/v1/booking/holds",
        {"queue_id": queue.pk, "starts_at": slots[1]["starts_at"], "phone": "0501234567", "stamp": client.get("/api/v1/booking/stamp").json()["stamp"]},
        content_type="application/json",
    )  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "hold_exists"
    made = client.post(
        f"/api/v1/booking/{token}/confirm",
        {"full_name": "Коваленко Іван", "personal_data_consent": True},
        content_type="application/json",
    )
    assert made.status_code == 200 and made.json()["status"] == "confirmed"
    moved = client.post(
        f"/api/v1/booking/{token}/reschedule", {"starts_at": slots[2]["starts_at"]}, content_type="application/json"
    )
    assert moved.status_code == 200
    assert datetime.fromisoformat(moved.json()["starts_at"]) == datetime.fromisoformat(slots[2]["starts_at"])
    assert client.post(f"/api/v1/booking/{token}/cancel").json()["status"] == "cancelled"
    assert client.get("/api/v1/booking/nope").status_code == 404


def test_api_refusals(client, world, queue, settings):
    settings.QUEUE_BOOKING_DAYS = 30
    far = client.get(f"/api/v1/booking/slots?queue_id={queue.pk}&day={timezone.localdate() + timedelta(days=40)}")
    assert far.status_code == 400 and far.json()["code"] == "beyond_window"
    bot = client.post(
        "/api/v1/booking/holds",
        {"queue_id": queue.pk, "starts_at": "2030-03-04T10:00:00+02:00", "phone": "0501234567", "stamp": "x"},
        content_type="application/json",
    )
    assert bot.status_code == 400 and bot.json()["code"] == "form_invalid"
    assert not Booking.objects.exists()


def test_check_in_api_needs_staff_of_the_office(client, login_as, world, queue):
    answer = client.post(
        "/api/v1/queue/checkin", {"office_id": world.office_a.pk, "code": "123456"}, content_type="application/json"
    )
    assert answer.status_code == 401
    staff = login_as(world.admin_b)
    outside = staff.post(
        "/api/v1/queue/checkin", {"office_id": world.office_a.pk, "code": "123456"}, content_type="application/json"
    )
    assert outside.status_code == 404


def test_the_api_is_rate_limited(client, world, queue, monkeypatch):
    from vikno.queue import api_booking

    monkeypatch.setattr(api_booking, "PUBLIC_LIMIT", 2)
    codes = [
        client.post(
            "/api/v1/booking/holds",
            {"queue_id": queue.pk, "starts_at": "2030-03-04T10:00:00+02:00", "phone": "1", "stamp": "x"},
            content_type="application/json",
            REMOTE_ADDR="203.0.113.9",
        ).status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]
