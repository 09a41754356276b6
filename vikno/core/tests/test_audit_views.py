"""Reading the audit log: /staff/audit/ and GET /api/v1/audit, scoped, for heads, monitors, sysadmins."""

from datetime import timedelta

import pytest
from django.utils import timezone

from vikno.core.audit import SYSTEM, Actor, record


@pytest.fixture
def events(world):
    return {
        "a": record(Actor(user=world.admin_a), "office.changed", world.office_a),
        "a2": record(SYSTEM, "center.changed", world.center_a),
        "b": record(Actor(user=world.admin_b), "center.changed", world.center_b),
        "glob": record(SYSTEM, "catalog.imported", object_type="catalog.service"),
    }


def _ids(response):
    return {row["id"] for row in response.json()["items"]}


@pytest.mark.django_db
def test_center_head_sees_only_the_centers_events(login_as, world, events):
    client = login_as(world.head_a)
    page = client.get("/staff/audit/")
    assert page.status_code == 200
    shown = {e.pk for e in page.context["page"].items}
    assert {events["a"].pk, events["a2"].pk} <= shown
    assert events["b"].pk not in shown and events["glob"].pk not in shown
    assert all(e.center_id == world.center_a.pk for e in page.context["page"].items)
    api = client.get("/api/v1/audit")
    assert api.status_code == 200
    assert {events["a"].pk, events["a2"].pk} <= _ids(api)
    assert events["b"].pk not in _ids(api)


@pytest.mark.django_db
def test_oblast_monitor_sees_the_regions_events_and_sysadmin_everything(login_as, world, events):
    client = login_as(world.monitor_1)
    ids = _ids(client.get("/api/v1/audit"))
    assert {events["a"].pk, events["a2"].pk} <= ids
    assert events["b"].pk not in ids
    client.post("/accounts/logout/")
    client = login_as(world.sysadmin)
    assert {e.pk for e in events.values()} <= _ids(client.get("/api/v1/audit"))
    assert client.get("/staff/audit/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin_a", "officer_a"])
def test_other_roles_get_404(login_as, world, events, who):
    client = login_as(getattr(world, who))
    assert client.get("/staff/audit/").status_code == 404
    response = client.get("/api/v1/audit")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_filters_by_object_type_actor_and_date(login_as, world, events):
    client = login_as(world.sysadmin)
    ids = _ids(client.get("/api/v1/audit", {"object_type": "orgs.office"}))
    assert ids == {events["a"].pk}
    ids = _ids(client.get("/api/v1/audit", {"actor": "ADMIN_B"}))
    assert ids == {events["b"].pk}
    today = timezone.localdate()
    assert events["glob"].pk in _ids(client.get("/api/v1/audit", {"date_from": today, "date_to": today}))
    assert _ids(client.get("/api/v1/audit", {"date_to": today - timedelta(days=1)})) == set()
    bad = client.get("/api/v1/audit", {"date_from": today, "date_to": today - timedelta(days=1)})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_dates"

    page = client.get("/staff/audit/", {"object_type": "orgs.office", "actor": "admin_a", "date_from": today})
    assert [e.pk for e in page.context["page"].items] == [events["a"].pk]
    assert 'value="orgs.office"' in page.content.decode()
    page = client.get("/staff/audit/", {"date_from": "not-a-date"})
    assert page.status_code == 200
    assert page.context["form"].errors["date_from"]


@pytest.mark.django_db
def test_keyset_pages_go_from_newest_to_oldest_without_repeats(login_as, world):
    client = login_as(world.head_a)  # the login itself writes events to center A's chain
    for n in range(7):
        record(SYSTEM, "center.changed", world.center_a, data={"n": n})
    seen, cursor = [], None
    while True:
        params = {"limit": 3, "object_type": "orgs.center"}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/v1/audit", params).json()
        seen += [row["data"]["n"] for row in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == [6, 5, 4, 3, 2, 1, 0]
    bad = client.get("/api/v1/audit", {"cursor": "%%%"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"

    page = client.get("/staff/audit/", {"object_type": "orgs.center"})
    assert page.context["next_query"] is None
