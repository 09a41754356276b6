"""The cases API end to end: applicant, intake, list and search, detail (audited), the workflow, issue."""

from __future__ import annotations

import pytest

from vikno.cases.models import Case
from vikno.core.models import AuditEvent

from .core_factories import VALID_RNOKPP, ApiCaller, make_service


@pytest.mark.django_db
def test_from_intake_to_issuance_through_the_api(client, world):
    service = make_service(fee="85", providers=[world.provider_a])
    admin = ApiCaller(client, world.admin_a)

    created = admin.post(
        "/applicants",
        {"last_name": "шевченко", "first_name": "олена", "rnokpp": VALID_RNOKPP, "phone": "050 123 45 67"},
    )
    assert created.status_code == 201, created.content
    applicant = created.json()["applicant"]
    assert applicant["last_name"] == "Шевченко" and applicant["phone"] == "+380501234567"
    assert created.json()["duplicates"] == []

    response = admin.post(
        "/cases",
        {
            "service": service.code,
            "applicant_id": applicant["id"],
            "documents": [{"position": 1}, {"position": 2, "provided": False}],
            "payment": {"method": "pos", "amount": "85", "receipt_number": "R-1"},
        },
    )
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    assert response.json()["office_id"] == world.office_a.pk  # the administrator's office

    detail = admin.get(f"/cases/{number}").json()
    assert detail["paid"] is True
    assert [d["provided"] for d in detail["documents"]] == [True, False]
    assert "send_to_provider" in detail["allowed_actions"]
    assert AuditEvent.objects.filter(action="applicant.viewed", object_id=str(applicant["id"])).exists()

    assert admin.post(f"/cases/{number}/transitions", {"action": "send_to_provider"}).status_code == 200
    officer = ApiCaller(client, world.officer_a)
    inbox = officer.get("/cases", inbox="true").json()["items"]
    assert [c["number"] for c in inbox] == [number]
    assert officer.post(f"/cases/{number}/transitions", {"action": "take_into_work"}).status_code == 200
    refused = officer.post(
        f"/cases/{number}/transitions",
        {"action": "refuse", "reason": "Подано не всі документи", "legal_ground": "ч. 1 ст. 19 Закону № 5203-VI"},
    )
    assert refused.status_code == 200 and refused.json()["status"] == "refused"

    issued = admin.post(f"/cases/{number}/issue", {"identity_document": "ID-картка № 001234567"})
    assert issued.status_code == 200, issued.content
    body = issued.json()
    assert body["status"] == "refusal_issued" and body["issuance"]["recipient_name"] == "Шевченко Олена"
    assert body["closed_at"]


@pytest.mark.django_db
def test_list_search_and_keyset_pages(client, world):
    service = make_service()
    admin = ApiCaller(client, world.admin_a)
    ids = []
    for last_name, phone in [("Коваленко", "0501111111"), ("Бондар", "0672222222"), ("Ковальчук", "0933333333")]:
        applicant = admin.post("/applicants", {"last_name": last_name, "first_name": "Іван", "phone": phone}).json()
        ids.append(admin.post("/cases", {"service": service.code, "applicant_id": applicant["applicant"]["id"]}).json())
    numbers = [c["number"] for c in ids]

    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = admin.get("/cases", **params).json()
        seen += [c["number"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(numbers))

    def found(q):
        return [c["number"] for c in admin.get("/cases", q=q).json()["items"]]

    assert found(numbers[1]) == [numbers[1]]
    assert found("+38 (067) 222-22-22") == [numbers[1]]
    assert found("0672222222") == [numbers[1]]
    assert set(found("Ковал")) == {numbers[0], numbers[2]}
    assert found("Каваленко") == [numbers[0]]  # a typo
    assert admin.get("/cases", status="accepted").json()["items"]
    assert admin.get("/cases", status="issued").json()["items"] == []
    assert admin.get("/cases", cursor="зіпсовано").status_code == 400


@pytest.mark.django_db
def test_bad_intake_input_is_a_clear_4xx(client, world):
    admin = ApiCaller(client, world.admin_a)
    response = admin.post("/applicants", {"last_name": "Шевченко", "first_name": "Олена", "rnokpp": "3293406448"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_rnokpp" and "контрольна цифра" in response.json()["message"]
    response = admin.post("/cases", {"service": "NOP-999", "applicant_id": 1})
    assert response.status_code == 404
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_transfer_and_consultation(client, world):
    service = make_service()
    admin = ApiCaller(client, world.admin_a)
    applicant = admin.post("/applicants", {"last_name": "Бондар", "first_name": "Іван"}).json()["applicant"]
    case = admin.post(
        "/cases", {"service": service.code, "applicant_id": applicant["id"], "office_id": world.remote_a.pk}
    ).json()
    assert case["channel"] == "remote"
    moved = admin.post(f"/cases/{case['number']}/transfer", {"office_id": world.office_a.pk, "comment": "До головного"})
    assert moved.status_code == 200 and moved.json()["current_office_id"] == world.office_a.pk
    assert moved.json()["office_id"] == world.remote_a.pk
    wrong = admin.post(f"/cases/{case['number']}/transfer", {"office_id": world.office_b.pk})
    assert wrong.status_code == 404

    consultation = admin.post("/consultations", {"service": service.code, "channel": "phone"})
    assert consultation.status_code == 201 and consultation.json()["office_id"] == world.office_a.pk
    assert admin.post("/consultations", {}).status_code == 400


@pytest.mark.django_db
def test_an_applicant_who_refused_a_rnokpp_is_created_with_the_passport(client, world):
    admin = ApiCaller(client, world.admin_a)
    payload = {"last_name": "Бондар", "first_name": "Іван", "refused_rnokpp": True}
    missing = admin.post("/applicants", payload)
    assert missing.status_code == 400, missing.content
    assert missing.json()["code"] == "passport_required"
    created = admin.post("/applicants", {**payload, "passport_series": "кв", "passport_number": "123456"})
    assert created.status_code == 201, created.content
    applicant = created.json()["applicant"]
    assert applicant["refused_rnokpp"] and applicant["rnokpp"] == ""
    assert (applicant["passport_series"], applicant["passport_number"]) == ("КВ", "123456")
