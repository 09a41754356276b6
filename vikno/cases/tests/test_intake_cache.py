"""Registration reads the catalog and the caller's office from per-process caches that a change
empties at once in the process that makes it (vikno.catalog.intake, accounts.default_office)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vikno.accounts.models import default_office
from vikno.cases.models import Case
from vikno.catalog import intake
from vikno.catalog.models import TechStep
from vikno.core import ttlcache
from vikno.core.audit import Actor

from .core_factories import ApiCaller, make_service, person, register


def _catalog_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if '"catalog_' in q["sql"]]


@pytest.mark.django_db
def test_a_second_registration_of_a_service_reads_nothing_from_the_catalog(world):
    service = make_service(fee="40")
    register(world, service, payment={"method": "pos", "amount": "40", "receipt_number": "R-1"})
    applicant = person(world)
    with CaptureQueriesContext(connection) as queries:
        case = register(
            world, service, applicant=applicant, payment={"method": "pos", "amount": "40", "receipt_number": "R-2"}
        )
    assert _catalog_queries(queries.captured_queries) == []
    assert case.fee_amount == 40
    assert list(case.documents.values_list("name", flat=True)) == ["Заява", "Паспорт громадянина України"]
    assert case.tasks.count() == service.current_version.tech_steps.count()


@pytest.mark.django_db
def test_a_change_of_the_technological_card_applies_to_the_next_case_at_once(world):
    service = make_service()
    before = register(world, service)
    version = service.current_version
    last = version.tech_steps.order_by("-position").first()
    TechStep.objects.create(
        version=version,
        position=last.position + 1,
        action="Архівувати справу",
        role=last.role,
        action_type=last.action_type,
    )
    after = register(world, service)
    assert after.tasks.count() == before.tasks.count() + 1
    assert after.tasks.order_by("-position").first().action == "Архівувати справу"


@pytest.mark.django_db
def test_kept_terms_expire(world, monkeypatch):
    service = make_service()
    register(world, service)
    later = time.monotonic() + intake.CACHE_SECONDS + 1
    monkeypatch.setattr(ttlcache, "time", SimpleNamespace(monotonic=lambda: later))
    with CaptureQueriesContext(connection) as queries:
        register(world, service)
    assert _catalog_queries(queries.captured_queries) != []


@pytest.mark.django_db
def test_an_office_taken_from_the_user_or_closed_is_not_their_default_any_more(world):
    admin = world.admin_a
    admin.offices.add(world.remote_a)
    first, second = sorted([world.office_a, world.remote_a], key=lambda o: o.pk)
    assert default_office(admin) == first
    admin.offices.remove(first)
    assert default_office(admin) == second
    second.is_active = False
    second.save()
    assert default_office(admin) is None


@pytest.mark.django_db
def test_api_registration_is_filed_at_the_callers_first_active_office(client, world):
    service = make_service()
    world.admin_a.offices.add(world.remote_a)
    api = ApiCaller(client, world.admin_a)
    applicant = person(world, actor=Actor(user=world.admin_a))
    response = api.post("/cases", {"service": service.code, "applicant_id": applicant.pk})
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["number"])
    assert case.office_id == min(world.office_a.pk, world.remote_a.pk)
