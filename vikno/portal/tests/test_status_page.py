"""The public status page: number + access code (typed or from the QR link), the applicant-visible
history, what is needed, the due date and where to collect; one neutral answer for a wrong code and
an unknown number; a budget of failed tries per IP address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from vikno.cases import services
from vikno.cases.models import CaseEvent
from vikno.cases.tests.core_factories import make_service, register
from vikno.core.audit import Actor

URL = "/status/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(world):
    world.office_a.address = "вул. Соборна, 1"
    world.office_a.save()
    world.office_a.weekly_hours.create(weekday=0, opens="08:00", closes="17:00")
    return register(world, make_service(providers=[world.provider_a]))


def test_form_without_javascript_has_labels_and_a_heading(client):
    html = client.get(URL).content.decode()
    assert "<h1>" in html
    assert 'for="id_number"' in html and 'for="id_code"' in html
    assert "<script>" not in html and "style=" not in html


def test_qr_link_shows_status_due_date_and_where_to_collect(world, client, case):
    CaseEvent.objects.create(
        case=case,
        at=case.filed_at,
        action="note",
        comment="внутрішня примітка",
        visible_to_applicant=False,
        to_status="accepted",
    )
    response = client.get(URL, {"number": case.number, "code": case.access_code})
    assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html and "Прийнято" in html
    assert case.due_at.astimezone().strftime("%d.%m.%Y") in html or "Result due by" in html
    assert "ЦНАП А, головний офіс" in html and "вул. Соборна, 1" in html and "08:00–17:00" in html
    assert "внутрішня примітка" not in html
    assert "Шевченко" not in html  # no personal data on the public page
    assert response["Cache-Control"] == "no-store"
    assert "Понеділок: 08:00–17:00" in html
    client.cookies["django_language"] = "en"
    english = client.get(URL, {"number": case.number, "code": case.access_code}).content.decode()
    assert "Monday: 08:00–17:00" in english and "Понеділок" not in english


def test_code_is_case_insensitive_and_trimmed(client, case):
    response = client.get(URL, {"number": f" {case.number} ", "code": case.access_code.lower()})
    assert response.status_code == 200


def test_clarification_needed_is_shown(world, client, case):
    admin, officer = Actor(user=world.admin_a), Actor(user=world.officer_a)
    services.transition(case, "send_to_provider", actor=admin)
    services.transition(case, "take_into_work", actor=officer)
    services.transition(case, "request_clarification", actor=officer, comment="Додайте копію свідоцтва про шлюб.")
    html = client.get(URL, {"number": case.number, "code": case.access_code}).content.decode()
    assert "Додайте копію свідоцтва про шлюб." in html
    assert "Потребує уточнень" in html


def test_wrong_code_and_unknown_number_look_the_same(client, case):
    wrong = client.get(URL, {"number": case.number, "code": "WRONG234"})
    unknown = client.get(URL, {"number": "999-26-999999", "code": "WRONG234"})
    assert wrong.status_code == unknown.status_code == 404
    assert _neutral(wrong, case.number) == _neutral(unknown, "999-26-999999")
    assert case.access_code not in wrong.content.decode()


def _neutral(response, number: str) -> str:
    """The page without what legitimately differs: the number typed and the CSRF token."""
    html = response.content.decode().replace(number, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_too_many_failed_tries_answer_429(client, case):
    for _ in range(10):
        assert client.get(URL, {"number": case.number, "code": "WRONG234"}).status_code == 404
    limited = client.get(URL, {"number": case.number, "code": case.access_code})
    assert limited.status_code == 429
    assert "<h1>" in limited.content.decode()
    other_ip = client.get(URL, {"number": case.number, "code": case.access_code}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 200


def test_after_issuance_the_page_no_longer_says_where_to_collect(world, client):
    case = register(world, make_service(instant=True), issuance={"identity_document": "ID-картка 001234567"})
    html = client.get(URL, {"number": case.number, "code": case.access_code}).content.decode()
    assert "Видано" in html
    assert "Де отримати результат" not in html and "Питання щодо цієї заяви" in html


def test_english_page_writes_the_number_sign_as_no(client, case):
    client.cookies["django_language"] = "en"
    html = client.get(URL, {"number": case.number, "code": case.access_code}).content.decode()
    assert f"Application No. {case.number}" in html
    assert "№" not in html


def _take_into_work(world, case):
    services.transition(case, "send_to_provider", actor=Actor(user=world.admin_a))
    services.transition(case, "take_into_work", actor=Actor(user=world.officer_a))
    case.refresh_from_db()


def test_an_overdue_case_says_the_term_has_passed_and_whom_to_call(world, client, case):
    world.center_a.phone = "+380 44 123 45 67"
    world.center_a.save()
    _take_into_work(world, case)
    query = {"number": case.number, "code": case.access_code}
    html = client.get(URL, query).content.decode()
    due = timezone.localtime(case.due_at).strftime("%d.%m.%Y")
    assert due in html
    assert "минув" not in html
    type(case).objects.filter(pk=case.pk).update(due_at=timezone.now() - timedelta(days=1))
    overdue = client.get(URL, query).content.decode()
    passed = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%d.%m.%Y")
    assert f"Встановлений законом строк розгляду минув {passed}" in overdue
    assert "+380 44 123 45 67" in overdue
    client.cookies["django_language"] = "en"
    english = client.get(URL, query).content.decode()
    assert f"The legal term for this application passed on {passed}" in english


def test_a_suspended_or_finished_case_is_not_called_overdue(world, client, case):
    _take_into_work(world, case)
    type(case).objects.filter(pk=case.pk).update(due_at=timezone.now() - timedelta(days=1))
    services.transition(case, "request_clarification", actor=Actor(user=world.officer_a), comment="Додайте довідку.")
    html = client.get(URL, {"number": case.number, "code": case.access_code}).content.decode()
    assert "строк розгляду минув" not in html


def test_behind_a_trusted_proxy_each_citizen_has_their_own_budget(settings, client, case):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(10):
        wrong = client.get(URL, {"number": case.number, "code": "WRONG234"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
        assert wrong.status_code == 404
    limited = client.get(URL, {"number": case.number, "code": case.access_code}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert limited.status_code == 429
    # Another citizen behind the same proxy is not locked out...
    other = client.get(URL, {"number": case.number, "code": case.access_code}, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 200
    # ...and the limited one cannot escape by writing another address in front of the proxy's.
    spoofed = client.get(
        URL, {"number": case.number, "code": case.access_code}, HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.1"
    )
    assert spoofed.status_code == 429
