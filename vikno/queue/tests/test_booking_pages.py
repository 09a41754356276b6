"""The public booking pages work as plain HTML forms: office → queue → day → time → details → code."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from vikno.notify.models import Notification
from vikno.queue.models import Booking
from vikno.queue.tests.booking_world import bookable_queue


def _next_weekday(after_days: int = 1):
    day = timezone.localdate() + timedelta(days=after_days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.fixture
def queue(world, settings):
    settings.QUEUE_FORM_MIN_SECONDS = 0
    return bookable_queue(world.office_a, minutes=60, places=1, name="Реєстрація місця проживання")


def _stamp(html: str) -> str:
    return re.search(r'name="stamp" value="([^"]+)"', html).group(1)


def test_the_whole_journey(client, world, queue):
    assert world.office_a.name in client.get("/booking/").content.decode()
    assert "Реєстрація місця проживання" in client.get(f"/booking/{world.office_a.pk}/").content.decode()
    url = f"/booking/{world.office_a.pk}/{queue.pk}/"
    day = _next_weekday()
    page = client.get(url)
    assert f"?day={day:%Y-%m-%d}" in page.content.decode()
    page = client.get(f"{url}?day={day:%Y-%m-%d}")
    html = page.content.decode()
    slot = re.search(r'name="starts_at" value="([^"]+)"', html).group(1)

    # A wrong phone: the error stands beside the field and what was typed is kept.
    bad = client.post(f"{url}?day={day:%Y-%m-%d}", {"starts_at": slot, "phone": "12345", "stamp": _stamp(html)})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'value="12345"' in body and "некоректний" in body and 'aria-invalid="true"' in body
    assert not Booking.objects.exists()

    held = client.post(
        f"{url}?day={day:%Y-%m-%d}", {"starts_at": slot, "phone": "050 123 45 67", "stamp": _stamp(body)}
    )
    assert held.status_code == 302
    booking = Booking.objects.get()
    assert held["Location"] == f"/booking/details/{booking.manage_token}/"

    details = client.get(held["Location"]).content.decode()
    missing = client.post(
        held["Location"], {"full_name": "Коваленко Іван", "sms_allowed": "on", "stamp": _stamp(details)}
    )
    assert missing.status_code == 400
    body = missing.content.decode()
    assert "згода на обробку персональних даних" in body and 'value="Коваленко Іван"' in body
    done = client.post(
        held["Location"],
        {"full_name": "Коваленко Іван", "sms_allowed": "on", "personal_data_consent": "on", "stamp": _stamp(body)},
    )
    assert done.status_code == 302 and done["Location"] == f"/booking/done/{booking.manage_token}/"
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    confirmation = client.get(done["Location"]).content.decode()
    assert booking.code in confirmation and f"/booking/manage/{booking.manage_token}/" in confirmation
    assert Notification.objects.filter(event="booking_confirmed", channel="sms").exists()

    manage = f"/booking/manage/{booking.manage_token}/"
    assert client.get(manage).status_code == 200
    asked = client.post(manage, {"action": "cancel"})
    assert asked.status_code == 200 and 'value="cancel_confirmed"' in asked.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert client.post(manage, {"action": "cancel_confirmed"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_days_outside_the_window_or_closed_get_a_clear_message(client, world, queue, settings):
    settings.QUEUE_BOOKING_DAYS = 30
    url = f"/booking/{world.office_a.pk}/{queue.pk}/"
    far = client.get(f"{url}?day={timezone.localdate() + timedelta(days=45):%Y-%m-%d}")
    assert far.status_code == 400 and "не далі ніж на 30 днів" in far.content.decode()
    saturday = timezone.localdate() + timedelta(days=(5 - timezone.localdate().weekday()) % 7 or 7)
    closed = client.get(f"{url}?day={saturday:%Y-%m-%d}")
    assert closed.status_code == 400 and "офіс не працює" in closed.content.decode()
    past = client.get(f"{url}?day={timezone.localdate() - timedelta(days=1):%Y-%m-%d}")
    assert past.status_code == 400 and "минула" in past.content.decode()


def test_a_filled_honeypot_books_nothing(client, world, queue):
    url = f"/booking/{world.office_a.pk}/{queue.pk}/?day={_next_weekday():%Y-%m-%d}"
    html = client.get(url).content.decode()
    slot = re.search(r'name="starts_at" value="([^"]+)"', html).group(1)
    answer = client.post(url, {"starts_at": slot, "phone": "0501234567", "stamp": _stamp(html), "website": "x"})
    assert answer.status_code == 400 and "програма" in answer.content.decode()
    assert not Booking.objects.exists()


def test_a_taken_time_is_refused_beside_the_time(client, world, queue):
    from vikno.queue import booking as service

    day = _next_weekday()
    url = f"/booking/{world.office_a.pk}/{queue.pk}/?day={day:%Y-%m-%d}"
    html = client.get(url).content.decode()
    slot = re.search(r'name="starts_at" value="([^"]+)"', html).group(1)
    from datetime import datetime

    service.hold(queue, datetime.fromisoformat(slot), phone="+380671112233")
    answer = client.post(url, {"starts_at": slot, "phone": "0501234567", "stamp": _stamp(html)})
    assert answer.status_code == 400 and "щойно зайняли" in answer.content.decode()
    assert Booking.objects.count() == 1


def _two_slots(client, url, day):
    html = client.get(f"{url}?day={day:%Y-%m-%d}").content.decode()
    starts = re.findall(r'name="starts_at" value="([^"]+)"', html)
    return starts[0], starts[1], html


def test_going_back_to_another_time_offers_the_held_booking_or_releasing_it(client, world, queue):
    from django.test import Client

    from vikno.core.models import AuditEvent

    url = f"/booking/{world.office_a.pk}/{queue.pk}/"
    day = _next_weekday()
    first, second, html = _two_slots(client, url, day)
    held = client.post(f"{url}?day={day:%Y-%m-%d}", {"starts_at": first, "phone": "0501234567", "stamp": _stamp(html)})
    assert held.status_code == 302
    old = Booking.objects.get()

    # Back, another time, the same phone: the message now leads to the held booking or releases it.
    html = client.get(f"{url}?day={day:%Y-%m-%d}").content.decode()
    again = client.post(
        f"{url}?day={day:%Y-%m-%d}", {"starts_at": second, "phone": "050 123 45 67", "stamp": _stamp(html)}
    )
    assert again.status_code == 400
    body = again.content.decode()
    assert "уже утримується час" in body
    assert f'href="/booking/details/{old.manage_token}/"' in body
    assert 'name="replace" value="1"' in body and body.count('id="id_website"') == 1

    # Someone else who knows only the phone number cannot release it, even by sending replace=1.
    stranger = Client()
    page = stranger.get(f"{url}?day={day:%Y-%m-%d}").content.decode()
    refused = stranger.post(
        f"{url}?day={day:%Y-%m-%d}", {"starts_at": second, "phone": "0501234567", "replace": "1", "stamp": _stamp(page)}
    )
    assert refused.status_code == 400
    assert old.manage_token not in refused.content.decode()
    old.refresh_from_db()
    assert old.status == "held"

    replaced = client.post(
        f"{url}?day={day:%Y-%m-%d}", {"starts_at": second, "phone": "0501234567", "replace": "1", "stamp": _stamp(body)}
    )
    assert replaced.status_code == 302
    old.refresh_from_db()
    new = Booking.objects.exclude(pk=old.pk).get()
    assert old.status == "cancelled" and new.status == "held" and new.starts_at == datetime.fromisoformat(second)
    assert replaced["Location"] == f"/booking/details/{new.manage_token}/"
    assert AuditEvent.objects.filter(action="queue.booking_cancelled", object_id=str(old.pk)).exists()


def test_the_confirmation_names_the_person_and_shows_a_cancelled_or_checked_in_state(client, world, queue):
    from vikno.queue import booking as booking_service
    from vikno.queue.tests.booking_world import confirmed

    day = _next_weekday()
    starts = timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))
    made = confirmed(queue, starts, now=timezone.now())
    done = f"/booking/done/{made.manage_token}/"
    html = client.get(done).content.decode()
    assert "Прізвище та імʼя" in html and "Назва" not in html
    assert "Приходьте трохи заздалегідь" in html

    # Cancelling asks first, on the page, without a script; "No" keeps it.
    manage = f"/booking/manage/{made.manage_token}/"
    asked = client.post(manage, {"action": "cancel"}).content.decode()
    assert "Скасувати запис на" in asked and f'href="{manage}"' in asked and "Так, скасувати запис" in asked
    made.refresh_from_db()
    assert made.status == "confirmed"
    client.post(manage, {"action": "cancel_confirmed"})
    made.refresh_from_db()
    assert made.status == "cancelled"

    html = client.get(done).content.decode()
    assert "Цей запис скасовано" in html
    assert "Приходьте трохи заздалегідь" not in html and "Щоб скасувати запис або змінити час" not in html
    details = client.get(f"/booking/details/{made.manage_token}/").content.decode()
    assert "Запис скасовано" in details and "Час утримання минув" not in details

    other = confirmed(queue, starts + timedelta(hours=1), phone="+380671112233", now=timezone.now())
    ticket = booking_service.check_in(world.office_a, other.code, now=other.starts_at)
    html = client.get(f"/booking/done/{other.manage_token}/").content.decode()
    assert "Ви вже зареєструвалися" in html and ticket.code in html
    assert "Приходьте трохи заздалегідь" not in html and "Щоб скасувати запис або змінити час" not in html
