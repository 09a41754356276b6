"""Documents beyond the ІК list: at the desk, through the API and in the опис; results by the case's status."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from vikno.cases import pdf as case_pdf
from vikno.cases import services
from vikno.cases.models import Case, Status
from vikno.core.audit import Actor
from vikno.core.errors import Conflict, DomainError

from .core_factories import ApiCaller, make_service, pdf, person, register
from .test_views_intake import URL, _post_data


@pytest.mark.django_db
def test_extra_documents_follow_the_card_list_as_copies(world):
    service = make_service(documents=("Заява", "Паспорт"))
    case = register(
        world,
        service,
        documents=[1, 2, {"name": "  Довідка   з місця навчання "}, {"name": "Фото", "pages": 2, "original": True}],
    )
    rows = list(
        case.documents.order_by("position").values_list("position", "name", "extra", "original", "copy", "pages")
    )
    assert rows[2:] == [
        (3, "Довідка з місця навчання", True, False, True, None),  # no sheet count unless one is given
        (4, "Фото", True, True, True, 2),
    ]
    assert [r[2] for r in rows[:2]] == [False, False]


@pytest.mark.django_db
def test_a_service_whose_card_lists_no_documents_gets_an_inventory_from_what_was_brought(world):
    service = make_service(documents=())
    case = register(world, service, documents=[{"name": "Заява"}, {"name": "Паспорт громадянина України"}])
    assert list(case.documents.values_list("position", "name")) == [(1, "Заява"), (2, "Паспорт громадянина України")]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(case_pdf.inventory_pdf(case))).pages)
    assert "Паспорт громадянина України" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("documents", "message"),
    [
        ([{"name": "   "}], "назву"),
        ([{"name": "Д" * 301}], "задовга"),
        ([{"name": f"Документ {i}"} for i in range(21)], "Забагато"),
    ],
)
def test_bad_extra_documents_are_refused_and_nothing_is_written(world, documents, message):
    service = make_service()
    applicant = person(world)
    with pytest.raises(DomainError) as caught:
        register(world, service, applicant=applicant, documents=documents)
    assert message in caught.value.message and caught.value.field == "documents"
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_api_takes_extra_documents_and_answers_which_they_are(world, client):
    service = make_service(documents=("Заява",))
    applicant = person(world)
    api = ApiCaller(client, world.admin_a)
    response = api.post(
        "/cases",
        {
            "service": service.code,
            "applicant_id": applicant.pk,
            "documents": [{"position": 1, "copy_kept": False}, {"name": "Довідка про склад сім'ї", "pages": 3}],
        },
    )
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    detail = api.get(f"/cases/{number}").json()
    assert [(d["position"], d["name"], d["extra"], d["copy_kept"], d["pages"]) for d in detail["documents"]] == [
        (1, "Заява", False, False, 1),
        (2, "Довідка про склад сім'ї", True, True, 3),
    ]
    refused = api.post("/cases", {"service": service.code, "applicant_id": applicant.pk, "documents": [{"name": ""}]})
    assert refused.status_code in (400, 422) and "назву" in refused.json()["message"]
    missing = api.post("/cases", {"service": service.code, "applicant_id": applicant.pk, "documents": [{}]})
    assert missing.status_code in (400, 422)


@pytest.mark.django_db
def test_the_desk_records_other_documents_one_per_line(world, login_as):
    admin = login_as(world.admin_a)
    service = make_service()
    data = _post_data(service, office=str(world.office_a.pk), other_documents="Довідка ОСББ\n\n  Фото 3x4  \n")
    response = admin.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert list(case.documents.filter(extra=True).values_list("position", "name")) == [
        (3, "Довідка ОСББ"),
        (4, "Фото 3x4"),
    ]
    page = admin.get(response["Location"]).content.decode()
    assert "Довідка ОСББ" in page and "поза переліком ІК" in page

    too_long = _post_data(
        service, office=str(world.office_a.pk), applicant=str(case.applicant_id), other_documents="Д" * 301
    )
    again = admin.post(URL, too_long)
    assert again.status_code == 400 and "задовга" in again.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_case_takes_only_its_refusal_decision_and_a_ready_one_no_refusal(world):
    officer = Actor(user=world.officer_a)
    service = make_service(providers=[world.provider_a])
    case = services.transition(register(world, service), "send_to_provider", actor=Actor(user=world.admin_a))
    case = services.transition(case, "take_into_work", actor=officer)
    case = services.transition(case, "refuse", actor=officer, reason="Неповний пакет", legal_ground="ст. 1")
    assert case.status == Status.REFUSED
    with pytest.raises(Conflict, match="лише рішення про відмову"):
        services.attach_result(case, pdf(), name="Витяг", actor=officer)
    assert services.attach_result(case, pdf(), name="Рішення", is_refusal=True, actor=officer).is_refusal

    other = services.transition(register(world, service), "send_to_provider", actor=Actor(user=world.admin_a))
    other = services.transition(other, "take_into_work", actor=officer)
    services.attach_result(other, pdf(), name="Витяг", actor=officer)
    other = services.transition(other, "mark_result_ready", actor=officer)
    with pytest.raises(Conflict, match="рішення про відмову до нього"):
        services.attach_result(other, pdf(), name="Відмова", is_refusal=True, actor=officer)
    assert not services.attach_result(other, pdf(), name="Витяг, другий примірник", actor=officer).is_refusal
