"""Refusals through the API: a clear 4xx with a Ukrainian message, and nothing half-written."""

from __future__ import annotations

import pytest

from vikno.cases.models import Case, CaseEvent, Status
from vikno.core.models import AuditEvent

from .core_factories import ApiCaller, make_service, register


@pytest.mark.django_db
def test_unpaid_fee_blocks_sending_to_the_provider(client, world):
    case = register(world, make_service(fee="85", providers=[world.provider_a]))
    audit_before = AuditEvent.objects.count()
    response = ApiCaller(client, world.admin_a).post(
        f"/cases/{case.number}/transitions", {"action": "send_to_provider"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "fee_unpaid"
    assert "не сплачено" in response.json()["message"]
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.provider_id is None
    assert CaseEvent.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.django_db
def test_a_transition_not_allowed_now_is_409(client, world):
    case = register(world, make_service())
    api = ApiCaller(client, world.admin_a)
    response = api.post(f"/cases/{case.number}/transitions", {"action": "issue", "identity_document": "Паспорт"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert body["message"] == f"Неможливо видати результат: справа № {case.number} має статус «Прийнято»."
    unknown = api.post(f"/cases/{case.number}/transitions", {"action": "teleport"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "validation_error"
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


@pytest.mark.django_db
def test_unknown_case_and_unauthenticated_calls(client, world):
    assert ApiCaller(client, world.admin_a).get("/cases/1-26-999999").status_code == 404
    assert client.get("/api/v1/cases").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/applicants", "/representatives"])
def test_a_system_administrator_naming_a_center_that_does_not_exist_gets_404(client, world, path):
    from vikno.cases.models import Applicant, Representative

    body = {"kind": "person", "last_name": "Шевченко", "first_name": "Олена", "center_id": 987654}
    if path == "/representatives":
        body = {"full_name": "Шевченко Олена", "authority_document": "Довіреність № 1", "center_id": 987654}
    response = ApiCaller(client, world.sysadmin).post(path, body)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "ЦНАП не знайдено."}
    assert not Applicant.objects.exists() and not Representative.objects.exists()


@pytest.mark.django_db
def test_every_problem_of_an_applicant_is_in_one_answer(client, world):
    from vikno.cases.models import Applicant

    body = {"kind": "person", "last_name": "Шевченко", "rnokpp": "1234567890", "email": "ні", "phone": "12"}
    response = ApiCaller(client, world.admin_a).post("/applicants", body)
    assert response.status_code == 400
    answer = response.json()
    fields = [e["field"] for e in answer["errors"]]
    assert answer["field"] == fields[0]
    assert {"first_name", "rnokpp", "email", "phone"} <= set(fields)
    assert all(e["message"] and e["type"] for e in answer["errors"])
    assert not Applicant.objects.exists()
