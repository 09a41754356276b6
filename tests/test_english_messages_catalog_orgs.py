"""The refusals of the catalog and of the organisation network follow the reader's language: a staff
member who chose English reads them in English, on the pages and from the domain operations; the API
and the printed ІК keep answering in Ukrainian whatever the reader chose."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.utils import timezone, translation
from pypdf import PdfReader

from vikno.catalog import fees, search
from vikno.catalog import services as catalog
from vikno.catalog.models import ServiceList, ServiceVersion, SubsistenceMinimum
from vikno.catalog.tests.test_ui_data import fee_rule, make_service, sphere
from vikno.core.audit import Actor
from vikno.core.errors import DomainError, PermissionDenied
from vikno.orgs import services as orgs

pytestmark = pytest.mark.django_db

EDIT = "/staff/catalog/RMP-001/edit/"
NEW_LIST = "/staff/catalog/lists/new/"
PROVIDER = {"name": "Управління ДПС", "edrpou": "43316701", "kind": "state_territorial"}


def _english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    assert response.status_code == 302
    return client


def _api_headers(user) -> dict:
    _token, key = apps.get_model("accounts", "ApiToken").issue(user, "test")
    return {"Authorization": f"Bearer {key}", "Accept-Language": "en"}


def _version_form(**overrides) -> dict:
    data = {
        "valid_from": "2030-01-01",
        "change_note": "Зміни до закону",
        "name_uk": "Декларування місця проживання",
        "provider_kind": "Виконавчий орган ради",
        "term_value": "1",
        "term_unit": "working_days",
        "fee_kind": "free",
        "fee_amount": "",
        "fee_rule": "",
        "fee_budget_code": "",
        "result_uk": "Витяг з реєстру",
        "how_to_receive_uk": "Особисто",
        "grounds_for_refusal": "",
        "legal_basis": "",
        "sub_services": "",
        "documents": "Паспорт | о к",
        "tech_steps": "Приймає заяву | Адміністратор ЦНАП | В | 1 год",
    }
    data.update(overrides)
    return data


def test_the_version_editor_explains_bad_lines_in_english(world, login_as):
    make_service()
    client = _english(login_as(world.sysadmin))
    data = _version_form(
        fee_kind="fixed",
        documents="Паспорт | оригінал\n | о\nДовідка | х",
        tech_steps="Приймає заяву | Прибиральник | В\nПогоджує | Керівник ЦНАП | П | 3 тижні",
    )
    html = client.post(EDIT, data).content.decode()
    assert "For a fixed fee, enter the amount." in html
    assert "Line 2: enter the name of the document." in html
    assert "Line 3: unclear mark «х»; write «о» (original) and/or «к» (copy)." in html
    assert "Line 1: unknown role «Прибиральник»; possible roles: «Адміністратор ЦНАП»" in html
    assert "Line 2: unclear term unit «тижні»" in html
    assert "Рядок" not in html and "Для фіксованого збору" not in html


def test_a_backdated_version_is_refused_in_english(world, login_as):
    make_service()
    client = _english(login_as(world.sysadmin))
    html = client.post(EDIT, _version_form(valid_from="2023-06-01")).content.decode()
    assert "The new version must take effect later than version No. 1 (in force from 01.01.2024)." in html
    assert "Нова версія" not in html


def test_an_approved_list_is_checked_in_english(world, login_as):
    group = sphere()
    make_service("RMP-001", sphere_obj=group)
    make_service("RMP-002", "Реєстрація місця проживання", sphere_obj=group)
    head = _english(login_as(world.head_a))
    form = {"center": world.center_a.pk, "decision_number": "7", "decision_date": "2026-03-01"}
    html = head.post(NEW_LIST, {**form, "valid_from": "2026-02-01"}).content.decode()
    assert "Choose at least one service." in html
    assert "The list cannot take effect before the date of the decision." in html

    head.post(NEW_LIST, {**form, "valid_from": "2026-03-01", "services": ["RMP-001"]})
    assert ServiceList.objects.filter(center=world.center_a).count() == 1
    html = head.post(NEW_LIST, {**form, "valid_from": "2026-03-01", "services": ["RMP-002"]}).content.decode()
    assert "A list in force from 01.03.2026 has already been approved for this center." in html
    assert "уже затверджено" not in html


def test_catalog_operations_refuse_in_the_active_language(world):
    group = sphere()
    with translation.override("en"):
        with pytest.raises(DomainError) as bad_code:
            catalog.create_service("RMP-1", sphere=group, data={}, valid_from="2030-01-01", actor=None)
        with pytest.raises(PermissionDenied) as not_head:
            catalog.create_service_list(
                world.center_a,
                decision_number="1",
                decision_date="2026-01-01",
                valid_from="2026-01-01",
                service_codes=["RMP-001"],
                actor=Actor(user=world.admin_a),
            )
        with pytest.raises(DomainError) as no_minimum:
            fees.subsistence_minimum(1990)
        with pytest.raises(DomainError) as empty:
            search.parse_query("  ")
    assert bad_code.value.message == "A service code looks like ABC-001."
    assert not_head.value.message == (
        "Only the center head or a system administrator may change the center's list of services."
    )
    assert no_minimum.value.message.startswith("The subsistence minimum for able-bodied persons on 1 January 1990")
    assert empty.value.message.startswith("Enter a search query:")
    with translation.override("uk"), pytest.raises(DomainError) as same:
        catalog.create_service("RMP-1", sphere=group, data={}, valid_from="2030-01-01", actor=None)
    assert same.value.message == "Код послуги має вигляд ABC-001."


def test_a_fee_that_cannot_be_computed_page_in_english_api_and_pdf_in_ukrainian(world, login_as):
    make_service(fee_kind=ServiceVersion.FeeKind.RULE, rule=fee_rule())
    SubsistenceMinimum.objects.filter(year=timezone.localdate().year).delete()
    year = timezone.localdate().year
    client = _english(login_as(world.admin_a))

    page = client.get("/staff/catalog/RMP-001/").content.decode()
    assert f"The subsistence minimum for able-bodied persons on 1 January {year} is not set" in page
    assert "Не задано прожитковий мінімум" not in page

    api = client.get("/api/v1/services/RMP-001", HTTP_ACCEPT_LANGUAGE="en")  # and the cookie says en
    assert api.status_code == 200, api.content
    assert api.json()["fee"]["text"].startswith(
        f"Не задано прожитковий мінімум для працездатних осіб на 1 січня {year}"
    )

    pdf = client.get("/staff/catalog/RMP-001/ik.pdf")
    assert pdf.status_code == 200
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Не задано прожитковий мінімум" in text and "subsistence minimum" not in text


def test_the_weekly_schedule_is_refused_in_english_on_the_page(world, login_as):
    client = _english(login_as(world.head_a))
    url = f"/staff/orgs/offices/{world.office_a.pk}/schedule/"
    response = client.post(url, {"slots": "2", "d3_0_opens": "20:00", "d3_0_closes": "08:00"})
    assert response.status_code == 400
    errors = response.context["week_form"].errors["d3_0_closes"]
    assert errors == ["Thursday: the closing time (08:00) must be later than the opening time (20:00)."]
    with translation.override("en"), pytest.raises(DomainError) as overlap:
        orgs.validate_weekly_hours({0: [(dt.time(8), dt.time(13)), (dt.time(12), dt.time(17))]})
    assert overlap.value.message == "Monday: the intervals overlap (12:00–17:00 starts before 13:00)."


def test_organisation_refusals_in_english_and_the_same_through_the_api_in_ukrainian(world, client):
    with translation.override("en"):
        with pytest.raises(DomainError) as checksum:
            orgs.validate_edrpou("43316701")
        with pytest.raises(DomainError) as unknown:
            orgs.hromada_by_katottg("UA05999990000000000")
        with pytest.raises(DomainError) as no_name:
            orgs.create_office(center=world.center_a, kind="branch", name=" ", actor=Actor(user=world.head_a))
        with pytest.raises(PermissionDenied) as not_sysadmin:
            orgs.create_center(hromada=world.h1, name="ЦНАП В", slug="center-c", actor=Actor(user=world.head_a))
    assert checksum.value.message == (
        "The EDRPOU code «43316701» is invalid: the check digit does not match. Check the code."
    )
    assert unknown.value.message == "Unknown KATOTTG code «UA05999990000000000»: hromada not found."
    assert no_name.value.message == "Enter the name of the office."
    assert not_sysadmin.value.message == "Not enough rights: only a system administrator may create centers."

    _english(client)
    headers = _api_headers(world.sysadmin)
    body = {**PROVIDER, "region": world.r1.katottg}
    response = client.post("/api/v1/providers", json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert (
        response.json()["message"] == "Код ЄДРПОУ «43316701» недійсний: контрольна цифра не збігається. Перевірте код."
    )
    response = client.get("/api/v1/hromadas", {"region": "UA99000000000000000"}, headers=headers)
    assert response.json()["message"] == "Невідомий код КАТОТТГ «UA99000000000000000»: область не знайдено."
