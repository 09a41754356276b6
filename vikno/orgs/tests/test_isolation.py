"""Cross-scope isolation: a user of center A can neither read nor change center B through the UI or
the API — the answer is 404, never 403; an oblast monitor sees only the region; an officer only the provider."""

from __future__ import annotations

from datetime import time

import pytest

from vikno.core.audit import Actor
from vikno.orgs import services
from vikno.orgs.models import ScheduleException, WeeklyHours

WEEK = {"days": [{"weekday": 0, "intervals": [{"opens": "08:00", "closes": "09:00"}]}]}


@pytest.fixture
def b_schedule(world):
    services.set_weekly_hours(world.office_b, {2: [(time(9), time(18))]}, actor=Actor(user=world.sysadmin))
    return services.add_schedule_exception(
        world.office_b, date=__import__("datetime").date(2026, 3, 9), kind="closed", actor=Actor(user=world.sysadmin)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["admin_a", "head_a"])
def test_ui_of_center_a_user_answers_404_for_center_b(login_as, world, b_schedule, user):
    client = login_as(getattr(world, user))
    assert client.get(f"/staff/orgs/centers/{world.center_b.pk}/").status_code == 404
    assert client.get(f"/staff/orgs/offices/{world.office_b.pk}/schedule/").status_code == 404
    week = {"slots": "2", "d0_0_opens": "08:00", "d0_0_closes": "09:00"}
    assert client.post(f"/staff/orgs/offices/{world.office_b.pk}/schedule/", week).status_code == 404
    exception = {"date": "2026-03-10", "kind": "closed"}
    assert client.post(f"/staff/orgs/offices/{world.office_b.pk}/exceptions/", exception).status_code == 404
    assert client.post(f"/staff/orgs/exceptions/{b_schedule.pk}/remove/").status_code == 404
    assert "ЦНАП Б" not in client.get("/staff/orgs/centers/").content.decode()
    assert list(WeeklyHours.objects.filter(office=world.office_b).values_list("weekday", flat=True)) == [2]
    assert list(ScheduleException.objects.filter(office=world.office_b)) == [b_schedule]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["admin_a", "head_a"])
def test_api_of_center_a_user_answers_404_for_center_b(api, world, b_schedule, user):
    caller = api(getattr(world, user))
    for path in [
        f"/centers/{world.center_b.pk}",
        f"/centers/{world.center_b.pk}/offices",
        f"/offices/{world.office_b.pk}",
    ]:
        response = caller.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    response = caller.post(
        f"/offices/{world.office_b.pk}/schedule-exceptions", {"date": "2026-03-10", "kind": "closed"}
    )
    assert response.status_code == 404
    assert caller.put(f"/offices/{world.office_b.pk}/weekly-hours", WEEK).status_code == 404
    assert [c["id"] for c in caller.get("/centers").json()["items"]] == [world.center_a.pk]
    assert caller.get(f"/providers/{world.provider_b.pk}").status_code == 404
    assert list(WeeklyHours.objects.filter(office=world.office_b).values_list("weekday", flat=True)) == [2]
    assert list(ScheduleException.objects.filter(office=world.office_b)) == [b_schedule]


@pytest.mark.django_db
def test_oblast_monitor_sees_only_the_region(login_as, api, world):
    caller = api(world.monitor_1)
    assert [c["id"] for c in caller.get("/centers").json()["items"]] == [world.center_a.pk]
    assert caller.get(f"/centers/{world.center_a.pk}").status_code == 200
    assert caller.get(f"/offices/{world.office_a.pk}").status_code == 200
    assert caller.get(f"/centers/{world.center_b.pk}").status_code == 404
    assert caller.get(f"/offices/{world.office_b.pk}").status_code == 404
    assert [p["id"] for p in caller.get("/providers").json()["items"]] == [world.provider_a.pk]
    assert caller.get(f"/providers/{world.provider_b.pk}").status_code == 404
    other_region = {"name": "Відділ", "edrpou": "43316700", "kind": "state_territorial", "region": world.r2.katottg}
    assert caller.post("/providers", other_region).status_code == 404
    client = login_as(world.monitor_1)
    assert client.get(f"/staff/orgs/centers/{world.center_a.pk}/").status_code == 200
    assert client.get(f"/staff/orgs/centers/{world.center_b.pk}/").status_code == 404
    assert client.get(f"/staff/orgs/providers/{world.provider_b.pk}/").status_code == 404


@pytest.mark.django_db
def test_officer_sees_only_the_own_provider(login_as, api, world):
    caller = api(world.officer_a)
    assert [p["id"] for p in caller.get("/providers").json()["items"]] == [world.provider_a.pk]
    assert caller.get(f"/providers/{world.provider_b.pk}").status_code == 404
    assert caller.get("/centers").json()["items"] == []
    assert caller.get(f"/centers/{world.center_a.pk}").status_code == 404
    client = login_as(world.officer_a)
    assert client.get(f"/staff/orgs/providers/{world.provider_b.pk}/").status_code == 404
    assert client.get(f"/staff/orgs/centers/{world.center_a.pk}/").status_code == 404
