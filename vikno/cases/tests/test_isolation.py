"""Scope: center B's staff and officers of another provider get 404 for center A's cases."""

from __future__ import annotations

import pytest

from vikno.cases import services
from vikno.core.audit import Actor
from vikno.testing.fixtures import make_user

from .core_factories import ApiCaller, make_service, pdf, register


@pytest.fixture
def case_a(world):
    case = register(world, make_service(providers=[world.provider_a]))
    return services.transition(case, "send_to_provider", actor=Actor(user=world.admin_a))


@pytest.mark.django_db
def test_center_b_staff_get_404_for_every_endpoint(client, world, case_a):
    api = ApiCaller(client, world.admin_b)
    n = case_a.number
    assert api.get(f"/cases/{n}").status_code == 404
    assert api.post(f"/cases/{n}/transitions", {"action": "withdraw"}).status_code == 404
    assert api.post(f"/cases/{n}/payments", {"method": "pos", "amount": "1", "receipt_number": "R"}).status_code == 404
    assert api.upload(f"/cases/{n}/documents/1", pdf()).status_code == 404
    assert api.upload(f"/cases/{n}/results", pdf()).status_code == 404
    assert api.post(f"/cases/{n}/issue", {"identity_document": "x"}).status_code == 404
    assert api.post(f"/cases/{n}/transfer", {"office_id": world.office_b.pk}).status_code == 404
    assert api.get("/cases").json()["items"] == []
    assert api.get("/cases", q=n).json()["items"] == []
    assert api.get(f"/applicants/{case_a.applicant_id}").status_code == 404
    assert api.get("/applicants", name="Шевченко").json()["items"] == []


@pytest.mark.django_db
def test_an_officer_of_another_provider_gets_404(client, world, case_a):
    stranger = make_user("officer_b", "officer", provider=world.provider_b)
    api = ApiCaller(client, stranger)
    assert api.get(f"/cases/{case_a.number}").status_code == 404
    assert api.post(f"/cases/{case_a.number}/transitions", {"action": "take_into_work"}).status_code == 404
    assert api.get("/cases", inbox="true").json()["items"] == []
    own = ApiCaller(client, world.officer_a)
    assert own.get(f"/cases/{case_a.number}").status_code == 200


@pytest.mark.django_db
def test_a_front_office_action_by_an_officer_is_403(client, world, case_a):
    api = ApiCaller(client, world.officer_a)
    response = api.post(f"/cases/{case_a.number}/payments", {"method": "pos", "amount": "1", "receipt_number": "R"})
    assert response.status_code == 403
    assert "адміністратор ЦНАП" in response.json()["message"]


@pytest.mark.django_db
def test_the_oblast_monitor_reads_but_does_not_act(client, world, case_a):
    api = ApiCaller(client, world.monitor_1)
    assert api.get(f"/cases/{case_a.number}").status_code == 200
    assert api.post(f"/cases/{case_a.number}/transitions", {"action": "withdraw"}).status_code == 403
