"""A citizen page's title says where the reader is — the center, the booking step — and starts with
«Помилка:» / «Error:» when the form on it came back with mistakes, so a screen reader announces the
error as soon as the page opens (WCAG 2.4.2, 3.3.1)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from vikno.portal.tests.citizen_factories import online_service
from vikno.queue.tests.booking_world import MONDAY, NOW, PHONE, SYSTEM, bookable_queue, kyiv


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/c/center-a/ask/", "Поставити запитання — ЦНАП А — Вікно"),
        ("/c/center-a/complaint/", "Скарга — ЦНАП А — Вікно"),
        ("/c/center-a/survey/", "Опитування щодо якості обслуговування — ЦНАП А — Вікно"),
    ],
)
def test_feedback_pages_name_the_center_and_their_errors(world, client, path, title):
    assert _title(client.get(path)) == title
    assert _title(client.post(path, {"name": ""})) == f"Помилка: {title}"


def test_the_apply_form_and_the_status_check(world, client):
    service = online_service(world)
    url = f"/c/center-a/apply/{service.code}/"
    assert _title(client.get(url)).startswith(f"Тестова послуга {service.code} — Подати заяву онлайн")
    assert _title(client.post(url, {"last_name": ""})).startswith("Помилка: Тестова послуга")
    assert _title(client.get("/status/")) == "Стан розгляду звернення — Вікно"
    assert _title(client.get("/status/", {"number": "", "code": ""})).startswith("Помилка: ")
    assert _title(client.get("/status/", {"number": "1-26-000001", "code": "WRONG234"})).startswith("Помилка: ")


def test_booking_steps_say_it_is_a_booking(world, client, settings):
    settings.QUEUE_FORM_MIN_SECONDS = 0
    from vikno.queue import booking

    queue = bookable_queue(world.office_a)
    office = world.office_a.pk
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    assert _title(client.get(f"/booking/{office}/", **english)) == "Choose a service — Book a visit — Vikno"
    slots = f"/booking/{office}/{queue.pk}/"
    assert _title(client.get(slots, **english)) == "Choose a day and time — Book a visit — Vikno"
    assert _title(client.get(slots, {"day": "2000-01-01"}, **english)).startswith("Error: Choose a day")
    held = booking.hold(queue, kyiv(MONDAY, 9), phone=PHONE, now=NOW, actor=SYSTEM)
    details = f"/booking/details/{held.manage_token}/"
    assert _title(client.get(details, **english)) == "Your details — Book a visit — Vikno"
    assert _title(client.post(details, {"full_name": ""}, **english)).startswith("Error: Your details")
