"""The refusals of the electronic queue, the booking and the ratings speak the reader's language: English
for a staff member or a visitor who chose English (the console, the kiosk, the booking pages), Ukrainian
through the API whatever the request asks for."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from vikno.accounts.models import ApiToken
from vikno.core.audit import Actor
from vikno.core.errors import DomainError
from vikno.queue import booking, kpi, ratings, services
from vikno.queue.tests.booking_world import bookable_queue
from vikno.queue.tests.live_setup import queue_world

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile("[\u0400-\u04ff]")


def _english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _refusal(function, *args, **kwargs) -> DomainError:
    with translation.override("en"), pytest.raises(DomainError) as caught:
        function(*args, **kwargs)
    return caught.value


def _bearer(user) -> dict:
    _token, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_configuring_a_queue(client, world):
    q = queue_world(world)
    head = Actor(user=world.head_a)
    taken = _refusal(services.create_queue, q.office, name="Ще одна", prefix="Р", actor=head)
    assert taken.code == "prefix_taken"
    assert taken.message == "This office already has a queue with the letter «Р»; choose another letter."
    bad = _refusal(services.create_queue, q.office, name="Ще одна", prefix="Z", target_wait_minutes="x", actor=head)
    assert bad.message == "Target waiting time (min): enter a whole number."
    denied = _refusal(services.create_queue, q.office, name="Ще одна", prefix="Z", actor=Actor(user=world.admin_a))
    assert denied.message.startswith("Insufficient rights: the queue is configured by the head of the center")

    api = client.post(
        f"/api/v1/queue/offices/{q.office.pk}/queues",
        {"name": "Ще одна", "prefix": "Р", "color": "#b45309"},
        content_type="application/json",
        **_bearer(world.head_a),
    )
    assert (
        api.status_code == 409
        and api.json()["message"] == "Черга з літерою «Р» в цьому офісі вже є; оберіть іншу літеру."
    )


def test_the_operator_console(world, login_as):
    q = queue_world(world)
    staff = _english(login_as(world.admin_a))
    action = f"/queue/console/{q.window.pk}/action/"
    page = staff.post(action, {"action": "call"}, follow=True).content.decode()
    assert "The window «Вікно 5» is closed: open a work session first." in page
    staff.post(action, {"action": "open"})
    page = staff.post(action, {"action": "issue", "queue": q.registration.pk, "priority": "nope"}, follow=True)
    assert "Choose a priority category from the list." in page.content.decode()
    page = staff.post(action, {"action": "recall", "ticket": "x"}, follow=True).content.decode()
    assert "The ticket is not given." in page
    assert "Вікно «" not in page and "Оберіть" not in page and "Талон не вказано" not in page


def test_actions_on_a_ticket(client, world):
    q = queue_world(world)
    ticket = services.issue_ticket(q.registration)
    refused = _refusal(services.recall, ticket, world.admin_a)
    assert refused.message == f"Cannot call it again: ticket {ticket.code} has the status «Waiting»."
    services.open_session(q.window, world.admin_a)
    services.call_next(q.window, world.admin_a)
    busy = _refusal(services.close_session, q.window, world.admin_a)
    assert busy.message == f"First finish the work with ticket {ticket.code} (service, no-show or transfer)."
    finish = _refusal(services.finish_service, ticket, world.admin_a)
    assert finish.message == f"Cannot finish the service: ticket {ticket.code} has the status «Called»."

    api = client.post(f"/api/v1/queue/tickets/{ticket.pk}/finish", **_bearer(world.admin_a))
    assert api.status_code == 409
    assert api.json()["message"] == f"Не можна завершити обслуговування: талон {ticket.code} має стан «Запрошено»."


def test_the_kiosk_of_a_closed_office(client, world):
    q = queue_world(world)
    q.office.weekly_hours.all().delete()
    closed = _refusal(services.issue_ticket, q.registration)
    assert closed.message == (
        f"The office «{q.office.name}» is closed now: tickets are given only during opening hours. "
        "The office is closed today."
    )
    kiosk = _english(client).post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": ""})
    assert kiosk.status_code == 400
    assert "tickets are given only during opening hours. The office is closed today." in kiosk.content.decode()


def test_checking_in_at_the_kiosk(client, world, login_as):
    q = queue_world(world)
    wrong = _refusal(booking.check_in, q.office, "12")
    assert wrong.message == "Enter the booking code: 6 digits from the SMS or email."
    unknown = _refusal(booking.check_in, q.office, "123456")
    assert unknown.message.startswith("No booking with the code 123456 was found.")
    page = _english(client).post(f"/queue/kiosk/{q.office.pk}/check-in/", {"code": "12"})
    assert page.status_code == 400
    assert "Enter the booking code: 6 digits from the SMS or email." in page.content.decode()

    api = client.post(
        "/api/v1/queue/checkin",
        {"office_id": q.office.pk, "code": "12"},
        content_type="application/json",
        **_bearer(world.admin_a),
    )
    assert api.status_code == 400 and api.json()["message"] == "Введіть код запису: 6 цифр із SMS чи листа."


def test_booking_refusals(client, world, settings):
    settings.QUEUE_BOOKING_DAYS = 30
    queue = bookable_queue(world.office_a, minutes=60)
    far = timezone.localdate() + timedelta(days=40)
    beyond = _refusal(booking.check_day, world.office_a, far)
    assert beyond.message.startswith("You can book no more than 30 days ahead — until ")
    stale = _refusal(booking.check_human, "x")
    assert stale.message == "The form is outdated or damaged. Open the page again."
    lost = _refusal(booking.by_token, "nope")
    assert lost.message == "Booking not found. Check the link from the SMS or email."

    api = client.get(f"/api/v1/booking/slots?queue_id={queue.pk}&day={far}", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400 and "Записатися можна не далі ніж на 30 днів наперед" in api.json()["message"]


def test_rating_a_visit(client, world):
    q = queue_world(world)
    ticket = services.issue_ticket(q.registration)
    early = _refusal(ratings.rate, ticket, stars=5)
    assert early.message == "You can rate the visit when the service is finished."
    no_stars = _refusal(ratings.rate, ticket, stars="")
    assert no_stars.message == "Choose the number of stars (from 1 to 5)."

    api = client.post(
        "/api/v1/queue/ratings", {"token": ticket.token, "stars": 5}, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert api.status_code == 409 and api.json()["message"] == "Оцінити візит можна після завершення обслуговування."


def test_the_period_of_the_kpis(client, world):
    today = timezone.localdate()
    inverted = _refusal(kpi.check_period, today, today - timedelta(days=1))
    assert inverted.message == "The start of the period is later than its end."
    long = _refusal(kpi.check_period, today - timedelta(days=400), today)
    assert long.message == "The period is too long: at most 366 days."
    for refusal in (inverted, long):
        assert not CYRILLIC.search(refusal.message)

    api = client.get(
        "/api/v1/queue/kpi",
        {"date_from": str(today), "date_to": str(today - timedelta(days=1))},
        **_bearer(world.head_a),
    )
    assert api.status_code == 400 and api.json()["message"] == "Початок періоду пізніший за кінець."


def test_queue_names_follow_the_readers_language_on_the_booking_pages(client, world):
    queue = bookable_queue(world.office_a, name="Реєстрація", name_en="Registration")
    ukrainian = client.get(f"/booking/{world.office_a.pk}/").content.decode()
    assert "Реєстрація" in ukrainian
    english = _english(client).get(f"/booking/{world.office_a.pk}/").content.decode()
    assert "Registration" in english and "Реєстрація" not in english
    with translation.override("en"):
        assert queue.shown_name == "Registration"
    with translation.override("uk"):
        assert queue.shown_name == "Реєстрація" and str(queue).endswith("Реєстрація")
