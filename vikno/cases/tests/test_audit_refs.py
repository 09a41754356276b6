"""The audit log read by case number: the cases room resolves a number to its case (or its applicant)
within the reader's scope and links a row to the case page (``cases.audit_refs``)."""

from __future__ import annotations

import pytest

from vikno.cases.audit_refs import case_links
from vikno.cases.models import Case
from vikno.core.audit import Actor, record

from .deadline_factories import make_case


def _ids(response):
    return {row["id"] for row in response.json()["items"]}


def _numbered_case(world, number, **kwargs):
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
