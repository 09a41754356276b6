"""Case lists (due today / soon / overdue / all, search), the inbox, and the one-click consultation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from vikno.cases import services
from vikno.cases.models import Case, Consultation
from vikno.core.audit import Actor
from vikno.core.models import AuditEvent

from .core_factories import make_service, person, register

URL = "/staff/cases/"


@pytest.fixture
def cases_a(world):
    service = make_service(providers=[world.provider_a])
    now = timezone.now()
    today = register(world, service, applicant=person(world, last_name="Сьогоднішня"))
    late = register(world, service, applicant=person(world, last_name="Прострочена", phone="0671112233"))
    later = register(world, service, applicant=person(world, last_name="Пізніша", phone="0931112233"))
    Case.objects.filter(pk=today.pk).update(due_at=now + timedelta(minutes=5))
    Case.objects.filter(pk=late.pk).update(due_at=now - timedelta(days=1))
    Case.objects.filter(pk=later.pk).update(due_at=now + timedelta(days=30))
    return today, late, later


def test_tabs_show_the_right_cases_and_the_list_is_audited(world, login_as, cases_a):
    today, late, later = cases_a
    client = login_as(world.admin_a)
    page = client.get(URL).content.decode()  # "due today" by default
    assert today.number in page and late.number not in page and later.number not in page
    overdue = client.get(URL, {"tab": "overdue"}).content.decode()
    assert late.number in overdue and today.number not in overdue
    assert "Overdue!" in overdue or "Прострочено" in overdue or "due-overdue" in overdue
    everything = client.get(URL, {"tab": "all"}).content.decode()
    assert all(c.number in everything for c in cases_a)
    assert AuditEvent.objects.filter(action="applicant.listed").exists()


def test_search_by_surname_and_by_number(world, login_as, cases_a):
    today, late, later = cases_a
    client = login_as(world.admin_a)
    found = client.get(URL, {"q": "Прострочена"}).content.decode()
    assert late.number in found and today.number not in found
    by_number = client.get(URL, {"q": later.number}).content.decode()
    assert later.number in by_number and late.number not in by_number


def test_lists_are_scoped(world, login_as, cases_a):
    client = login_as(world.admin_b)
    page = client.get(URL, {"tab": "all"}).content.decode()
    assert not any(c.number in page for c in cases_a)


def test_officer_inbox_has_the_cases_sent_to_the_provider(world, login_as, cases_a):
    today, late, _later = cases_a
    services.transition(late, "send_to_provider", actor=Actor(user=world.admin_a))
    client = login_as(world.officer_a)
    page = client.get(URL + "inbox/").content.decode()
    assert late.number in page and today.number not in page


def test_consultation_in_one_click(world, login_as):
    service = make_service()
    client = login_as(world.admin_a)
    assert "consultation-channel" in client.get(URL).content.decode()
    response = client.post(
        URL + "consultation/",
        {"consultation-service": service.code, "consultation-topic": "", "consultation-channel": "phone"},
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.service == service and consultation.channel == "phone"
    assert consultation.office == world.office_a
    empty = client.post(URL + "consultation/", {"consultation-channel": "phone"}, follow=True)
    assert Consultation.objects.count() == 1
    assert empty.status_code == 200


def test_a_decided_case_is_not_flagged_overdue(world, login_as, cases_a):
    _today, late, _later = cases_a
    Case.objects.filter(pk=late.pk).update(status="result_ready", result_ready_at=timezone.now() - timedelta(days=2))
    client = login_as(world.admin_a)
    rows = client.get(URL, {"tab": "all"}).content.decode()
    page = client.get(f"{URL}{late.number}/").content.decode()
    assert "due-overdue" not in rows and "due-overdue" not in page
