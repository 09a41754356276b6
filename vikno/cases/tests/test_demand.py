"""Demand: each service's cases of the last year, and the catalog search putting the most asked-for
service first among equally good matches."""

from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from vikno.cases import demand
from vikno.cases.tests.deadline_factories import kyiv, make_case
from vikno.catalog import importers, search
from vikno.catalog.models import Service


@pytest.fixture
def catalog(world):
    importers.import_shared_catalog(settings.DATA_DIR)
    search.reindex()
    return world


def _file(world, code: str, count: int, *, on=(2026, 11, 20)) -> None:
    version = Service.objects.get(code=code).current_version
    for _ in range(count):
        make_case(world, version=version, filed_at=kyiv(*on, 10))


def test_demand_counts_the_cases_of_the_last_365_days(catalog):
    _file(catalog, "PAS-001", 3)
    _file(catalog, "PAS-001", 2, on=(2025, 11, 20))  # more than a year before: not counted
    _file(catalog, "ARH-003", 1, on=(2025, 11, 24))  # the first day of the window

    assert demand.refresh(today=date(2026, 11, 24)) == 2
    figures = dict(Service.objects.filter(demand__gt=0).values_list("code", "demand"))
    assert figures == {"PAS-001": 3, "ARH-003": 1}

    assert demand.refresh(today=date(2026, 11, 24)) == 0  # nothing changed, nothing written
    assert demand.refresh(today=date(2026, 11, 26)) == 1  # ARH-003's case left the window
    assert Service.objects.get(code="ARH-003").demand == 0


def test_an_ordinary_save_of_a_service_keeps_its_demand(catalog):
    _file(catalog, "PAS-002", 2)
    demand.refresh(today=date(2026, 11, 24))
    stale = Service.objects.get(code="PAS-002")
    Service.objects.filter(pk=stale.pk).update(demand=5)  # the nightly count moved on meanwhile
    stale.is_active = True
    stale.save()
    assert Service.objects.get(pk=stale.pk).demand == 5


def test_the_most_requested_of_equally_good_matches_comes_first(catalog):
    before = [h.code for h in search.search_services("паспорт", limit=8)]
    assert "ARH-003" in before[:4]  # the building passport ties with the identity documents by words

    _file(catalog, "PAS-001", 30)
    _file(catalog, "PAS-002", 20)
    _file(catalog, "PAS-003", 10)
    _file(catalog, "ARH-003", 1)
    demand.refresh(today=date(2026, 11, 24))

    after = [h.code for h in search.search_services("паспорт", limit=8)]
    assert after[:3] == ["PAS-001", "PAS-002", "PAS-003"], after
    assert after.index("ARH-003") > before.index("ARH-003")

    # Demand only breaks near-ties: a better match by words stays ahead of a popular one.
    travel = [h.code for h in search.search_services("паспорт для виїзду за кордон", limit=3)]
    assert travel[0] in ("PAS-003", "CMP-003") and "PAS-001" not in travel[:2], travel


def test_nightly_task_and_command(catalog):
    from procrastinate.contrib.django import app

    from vikno.cases import tasks

    periodic = app.periodic_registry.periodic_tasks[("cases.refresh_demand", "demand")]
    assert periodic.cron == "30 2 * * *"
    _file(catalog, "RMP-001", 1, on=(2026, 1, 1))
    out = StringIO()
    call_command("refresh_service_demand", stdout=out)
    assert "1" in out.getvalue()
    assert tasks.refresh_demand(0) == 0  # already counted
    assert Service.objects.get(code="RMP-001").demand == 1
