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


def _numbered_case(world, number, **kwargs):
    from vikno.cases.models import Case
    from vikno.cases.tests.deadline_factories import make_case

    case = make_case(world, **kwargs)
    Case.objects.filter(pk=case.pk).update(number=number)
    case.refresh_from_db()
    return case


@pytest.fixture
def case_events(world):
    own = _numbered_case(world, "1-26-000101")
    other = _numbered_case(world, "2-26-000101", center=world.center_b)
    return {
        "own": own,
        "other": other,
        "registered": record(Actor(user=world.admin_a), "case.registered", own),
        "viewed": record(Actor(user=world.admin_a), "applicant.viewed", own.applicant, data={"case": own.number}),
        "other_registered": record(Actor(user=world.admin_b), "case.registered", other),
    }


@pytest.mark.django_db
def test_a_case_number_finds_the_cases_events_within_the_scope(login_as, world, case_events):
    own = case_events["own"]
    client = login_as(world.head_a)
    page = client.get("/staff/audit/", {"object_id": " 1-26-000101 "})
    assert [e.pk for e in page.context["page"].items] == [case_events["registered"].pk]
    # with the type «applicant» chosen, the number stands for the case's applicant
    page = client.get("/staff/audit/", {"object_type": "cases.applicant", "object_id": own.number})
    assert [e.pk for e in page.context["page"].items] == [case_events["viewed"].pk]
    assert _ids(client.get("/api/v1/audit", {"object_id": own.number})) == {case_events["registered"].pk}
    # another center's case is not found, not even by its number
    assert _ids(client.get("/api/v1/audit", {"object_id": "2-26-000101"})) == set()
    page = client.get("/staff/audit/", {"object_id": "2-26-000101"})
    assert page.status_code == 200 and list(page.context["page"].items) == []

    client = login_as(world.sysadmin)
    assert _ids(client.get("/api/v1/audit", {"object_id": "2-26-000101"})) == {case_events["other_registered"].pk}


@pytest.mark.django_db
def test_rows_show_names_not_codes_and_link_the_case(login_as, world, case_events):
    own = case_events["own"]
    client = login_as(world.head_a)
    html = client.get("/staff/audit/", {"actor": "admin_a"}).content.decode()
    assert "Заяву зареєстровано" in html and "case.registered" not in html
    assert "Переглянуто персональні дані заявника" in html and "applicant.viewed" not in html
    assert "cases.applicant" not in html.split("<table")[1] and "Суб’єкт звернення" in html
    assert world.admin_a.full_name() in html and ">admin_a<" not in html
    assert f'<a href="/staff/cases/{own.number}/">{own.number}</a>' in html
    assert f"{world.center_a.name} · " in html and "center:" not in html

    api = client.get("/api/v1/audit", {"object_id": own.number}).json()["items"][0]
    assert api["action_label"] == "Заяву зареєстровано" and api["object_type_label"] == "Звернення"


@pytest.mark.django_db
def test_the_case_link_only_for_a_reader_who_may_open_the_case(world, case_events):
    from vikno.cases.audit_refs import case_links

    ids = {str(case_events["own"].pk), str(case_events["other"].pk), "not-a-number"}
    assert case_links(world.head_a, ids) == {str(case_events["own"].pk): f"/staff/cases/{case_events['own'].number}/"}
    assert set(case_links(world.sysadmin, ids)) == {str(case_events["own"].pk), str(case_events["other"].pk)}


@pytest.mark.django_db
def test_the_object_type_is_chosen_by_name(login_as, world, case_events):
    client = login_as(world.head_a)
    page = client.get("/staff/audit/")
    html = page.content.decode()
    assert '<select name="object_type"' in html
    assert '<option value="cases.case">Звернення</option>' in html
    assert '<option value="accounts.user">Обліковий запис працівника</option>' in html
    assert "accounts.user" not in html.replace('value="accounts.user"', "")
    page = client.get("/staff/audit/", {"object_type": "cases.case"})
    assert {e.pk for e in page.context["page"].items} == {case_events["registered"].pk}
    page = client.get("/staff/audit/", {"object_type": "no.such"})
    assert page.status_code == 200 and page.context["form"].errors["object_type"]
