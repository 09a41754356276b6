"""The orgs API: the public codifier, centers, offices with schedules, providers, keyset pages."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from vikno.core.audit import Actor
from vikno.orgs import services
from vikno.orgs.models import Hromada, ScheduleException


@pytest.mark.django_db
def test_regions_and_hromadas_are_public(client, world):
    body = client.get("/api/v1/regions").json()
    assert [r["katottg"] for r in body["items"]] == [world.r1.katottg, world.r2.katottg]
    body = client.get("/api/v1/hromadas", {"q": "вінн"}).json()
    assert [h["katottg"] for h in body["items"]] == [world.h1.katottg]
    assert body["items"][0]["raion_name"] == "Вінницький"
    body = client.get("/api/v1/hromadas", {"region": world.r2.katottg}).json()
    assert [h["name"] for h in body["items"]] == ["Володимирська"]


@pytest.mark.django_db
def test_hromadas_are_paged_by_key(client, world):
    for i in range(5):
        Hromada.objects.create(katottg=f"UA0502{i:03d}0000099999"[:19], name=f"Громада {i}", region=world.r1)
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/hromadas", params).json()
        seen += [h["id"] for h in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == Hromada.objects.count()
    assert client.get("/api/v1/hromadas", {"cursor": "не-курсор"}).status_code == 400


@pytest.mark.django_db
def test_center_and_offices_for_its_administrator(api, world):
    caller = api(world.admin_a)
    body = caller.get("/centers").json()
    assert [c["id"] for c in body["items"]] == [world.center_a.pk]
    assert caller.get(f"/centers/{world.center_a.pk}").json()["hromada_katottg"] == world.h1.katottg
    offices = caller.get(f"/centers/{world.center_a.pk}/offices").json()["items"]
    assert {o["kind"] for o in offices} == {"main", "remote"}


@pytest.mark.django_db
def test_office_detail_shows_the_week_exceptions_and_today(api, world):
    services.set_weekly_hours(world.office_a, {3: [(time(8), time(20))]}, actor=Actor(user=world.head_a))
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.add_schedule_exception(
        world.office_a, date=tomorrow, kind="closed", note="Свято", actor=Actor(user=world.head_a)
    )
    body = api(world.admin_a).get(f"/offices/{world.office_a.pk}").json()
    assert body["weekly_hours"] == [
        {"weekday": 3, "day": "Четвер", "intervals": [{"opens": "08:00:00", "closes": "20:00:00"}]}
    ]
    assert body["exceptions"][0]["date"] == tomorrow.isoformat() and body["exceptions"][0]["kind"] == "closed"
    assert isinstance(body["today"], list)


@pytest.mark.django_db
def test_post_schedule_exception_and_put_weekly_hours(api, world):
    caller = api(world.head_a)
    response = caller.post(
        f"/offices/{world.office_a.pk}/schedule-exceptions",
        {"date": "2026-12-31", "kind": "shortened", "opens": "08:00", "closes": "13:00", "note": "Передноворічний"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["closes"] == "13:00:00"
    again = caller.post(f"/offices/{world.office_a.pk}/schedule-exceptions", {"date": "2026-12-31", "kind": "closed"})
    assert again.status_code == 409 and again.json()["code"] == "exception_exists"
    week = {"days": [{"weekday": 3, "intervals": [{"opens": "08:00", "closes": "20:00"}]}]}
    response = caller.put(f"/offices/{world.office_a.pk}/weekly-hours", week)
    assert response.status_code == 200
    assert response.json()["weekly_hours"][0]["intervals"] == [{"opens": "08:00:00", "closes": "20:00:00"}]


@pytest.mark.django_db
def test_administrator_may_add_exceptions_but_not_change_the_week(api, world):
    caller = api(world.admin_a)
    response = caller.post(
        f"/offices/{world.office_a.pk}/schedule-exceptions", {"date": "2026-05-01", "kind": "closed"}
    )
    assert response.status_code == 201
    week = {"days": [{"weekday": 0, "intervals": [{"opens": "08:00", "closes": "09:00"}]}]}
    response = caller.put(f"/offices/{world.office_a.pk}/weekly-hours", week)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


@pytest.mark.django_db
def test_providers_list_detail_and_create(api, world):
    assert [p["id"] for p in api(world.officer_a).get("/providers").json()["items"]] == [world.provider_a.pk]
    assert {p["id"] for p in api(world.sysadmin).get("/providers").json()["items"]} == {
        world.provider_a.pk,
        world.provider_b.pk,
    }
    assert api(world.officer_a).get(f"/providers/{world.provider_a.pk}").json()["edrpou"] == "00032129"
    response = api(world.monitor_1).post(
        "/providers",
        {"name": "Управління ДПС", "edrpou": "43316700", "kind": "state_territorial", "region": world.r1.katottg},
    )
    assert response.status_code == 201, response.content
    assert response.json()["region_id"] == world.r1.pk


@pytest.mark.django_db
def test_lists_need_authentication(client, world):
    assert client.get("/api/v1/centers").status_code == 401
    assert client.get("/api/v1/providers").status_code == 401
    assert client.get(f"/api/v1/offices/{world.office_a.pk}").status_code == 401
    assert not ScheduleException.objects.exists()


@pytest.mark.django_db
def test_openapi_documents_the_orgs_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/regions",
        "/hromadas",
        "/centers/{center_id}/offices",
        "/offices/{office_id}/schedule-exceptions",
        "/providers",
    ]:
        assert f"/api/v1{path}" in paths
