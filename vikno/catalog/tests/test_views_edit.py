"""A system administrator saves a new version of a service through the edit form."""

from __future__ import annotations

import datetime as dt

import pytest

from vikno.catalog.models import ServiceVersion
from vikno.core.models import AuditEvent

from .test_ui_data import FIRST_DOCUMENT, make_service

URL = "/staff/catalog/RMP-001/edit/"


def _post_data(**overrides):
    data = {
        "valid_from": "2030-01-01",
        "change_note": "Зміни до закону",
        "name_uk": "Декларування місця проживання (нова редакція)",
        "provider_kind": "Виконавчий орган ради",
        "term_value": "2",
        "term_unit": "working_days",
        "fee_kind": "fixed",
        "fee_amount": "50.00",
        "fee_rule": "",
        "fee_budget_code": "22090100",
        "online": "on",
        "result_uk": "Витяг з реєстру",
        "how_to_receive_uk": "Особисто",
        "grounds_for_refusal": "Неповний пакет\nНедостовірні відомості",
        "legal_basis": "Закон № 1871-IX",
        "sub_services": "",
        "documents": "Паспорт | о к\nДовіреність | о | для представника",
        "tech_steps": "Приймає заяву | Адміністратор ЦНАП | В | 1 год\nПогоджує | Керівник ЦНАП | П | 2 робочих днів",
    }
    data.update(overrides)
    return data


@pytest.fixture
def service(world):
    return make_service()


@pytest.mark.parametrize("who", ["admin_a", "head_a", "officer_a", "monitor_1"])
def test_only_sysadmin_sees_the_form(service, world, login_as, who):
    client = login_as(getattr(world, who))
    assert client.get(URL).status_code == 404
    assert client.post(URL, _post_data()).status_code == 404
    assert service.versions.count() == 1


def test_form_starts_from_the_version_in_force(service, world, login_as):
    client = login_as(world.sysadmin)
    assert URL in client.get("/staff/catalog/RMP-001/").content.decode()  # the detail page links here
    html = client.get(URL).content.decode()
    assert 'value="Декларування місця проживання"' in html
    assert f"{FIRST_DOCUMENT} | о к" in html
    assert "Довіреність | о | для представника" in html
    assert "Приймає заяву та документи | Адміністратор ЦНАП | В | 1 годин" in html
    assert '<label for="id_valid_from"' in html


def test_saving_creates_a_new_version(service, world, login_as):
    response = login_as(world.sysadmin).post(URL, _post_data())
    assert response.status_code == 302 and response["Location"] == "/staff/catalog/RMP-001/"
    old, new = service.versions.order_by("number")
    assert old.valid_to == dt.date(2029, 12, 31)
    assert new.number == 2 and new.valid_from == dt.date(2030, 1, 1)
    assert new.name_uk.endswith("(нова редакція)") and new.online and new.fee_amount == 50
    assert new.grounds_for_refusal == ["Неповний пакет", "Недостовірні відомості"]
    docs = list(new.documents.values_list("position", "name", "original", "copy", "condition"))
    assert docs == [(1, "Паспорт", True, True, ""), (2, "Довіреність", True, False, "для представника")]
    steps = list(new.tech_steps.values_list("position", "role", "action_type", "term_value", "term_unit"))
    assert steps == [(1, "administrator", "В", 1, "hours"), (2, "center_head", "П", 2, "working_days")]
    assert AuditEvent.objects.filter(action="catalog.version.create", object_id=str(new.pk)).exists()


def test_invalid_input_is_explained_in_ukrainian_and_kept(service, world, login_as):
    data = _post_data(
        term_value="0",
        fee_amount="",
        documents="Паспорт | оригінал\n | о",
        tech_steps="Приймає заяву | Прибиральник | В",
    )
    response = login_as(world.sysadmin).post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Для фіксованого збору вкажіть суму." in html
    assert "Рядок 2: вкажіть назву документа." in html
    assert "невідома роль «Прибиральник»" in html
    assert 'aria-invalid="true"' in html and 'role="alert"' in html
    assert "Приймає заяву | Прибиральник | В" in html  # what was typed stays
    assert service.versions.count() == 1


def test_domain_refusal_is_shown_beside_the_date(service, world, login_as):
    response = login_as(world.sysadmin).post(URL, _post_data(valid_from="2023-06-01"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Нова версія має набирати чинності пізніше" in html
    assert 'id="id_valid_from_error"' in html
    assert service.versions.count() == 1
    assert ServiceVersion.objects.filter(service=service, valid_to__isnull=True).count() == 1
