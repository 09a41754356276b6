"""The API answers every refusal with ``{"code", "message"}`` in Ukrainian — also the refusals made
outside its own handlers — and refuses characters the database cannot store with a 400."""

from __future__ import annotations

import pytest
from django.conf import settings

from vikno.cases.tests.core_factories import ApiCaller
from vikno.core.api_errors import field_message


def test_pydantic_errors_are_worded_in_ukrainian_with_their_limits():
    assert field_message({"type": "missing"}) == "Обов’язкове поле."
    assert field_message({"type": "string_too_long", "ctx": {"max_length": 80}}) == (
        "Задовгий текст: не більше 80 симв."
    )
    assert field_message({"type": "enum", "ctx": {"expected": "'pos', 'bank' or 'exempt'"}}) == (
        "Недопустиме значення. Можливі: 'pos', 'bank' або 'exempt'."
    )
    assert field_message({"type": "greater_than_equal", "ctx": {"ge": 1}}) == "Значення має бути не менше за 1."


def test_an_unknown_error_type_or_a_missing_limit_still_gets_a_ukrainian_message():
    assert field_message({"type": "something_new"}) == "Некоректне значення."
    assert field_message({"type": "string_too_long"}) == "Некоректне значення."


def test_our_own_validator_messages_are_kept_and_english_ones_are_not():
    assert field_message({"type": "value_error", "ctx": {"error": "Невірний РНОКПП."}}) == "Невірний РНОКПП."
    assert field_message({"type": "value_error", "ctx": {"error": "bad value"}}) == "Некоректне значення."


@pytest.mark.django_db
def test_a_422_names_each_field_with_its_type_and_a_ukrainian_message(world, client):
    api = ApiCaller(client, world.admin_a)
    response = api.get("/cases", limit="many")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"] == [{"field": "limit", "type": "int_parsing", "message": "Очікувалося ціле число."}]


@pytest.mark.django_db
def test_a_method_the_path_does_not_take_is_a_json_405_naming_the_allowed_ones(world, client):
    api = ApiCaller(client, world.admin_a)
    response = client.delete("/api/v1/cases", headers=api.headers)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "method_not_allowed"
    assert body["message"].startswith("Метод DELETE не підтримується за цією адресою. Дозволені методи: ")
    assert "GET" in response["Allow"] and "POST" in response["Allow"]
    # The headers the inner middlewares set survive the new body.
    assert "default-src" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_an_address_outside_the_api_routes_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Не знайдено."}


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_ukrainian_400(world, client):
    api = ApiCaller(client, world.admin_a)
    response = client.post("/api/v1/applicants", "{not json", content_type="application/json", headers=api.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_body"


@pytest.mark.django_db
def test_site_pages_keep_their_html_error_pages(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


# --- characters the database cannot store --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["\x00", "\ud800"], ids=["NUL", "lone surrogate"])
def test_a_json_body_with_a_bad_character_is_refused_and_nothing_is_written(world, client, bad):
    from vikno.cases.models import Applicant

    api = ApiCaller(client, world.admin_a)
    response = api.post("/applicants", {"kind": "person", "last_name": f"Шевченко{bad}", "first_name": "Олена"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_character" and body["field"] == "last_name"
    assert "недопустимий символ" in body["message"]
    assert not Applicant.objects.exists()


@pytest.mark.django_db
def test_nul_in_the_query_or_the_path_is_refused_before_any_view(world, client):
    api = ApiCaller(client, world.admin_a)
    assert api.get("/cases", q="Шев\x00").json()["code"] == "bad_character"
    response = client.get("/api/v1/cases/1-26-%00", headers=api.headers)
    assert response.status_code == 400 and response.json()["code"] == "bad_character"
    page = client.get("/status/", {"number": "1\x00"})
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert '<html lang="uk">' in html and "<h1>" in html and "недопустимий символ" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/status/", {"number": "1\x00"}).content.decode()
    assert '<html lang="en">' in html and "invalid character" in html


@pytest.mark.django_db
def test_a_settlement_that_is_neither_a_code_nor_an_id_is_a_400(world, client):
    api = ApiCaller(client, world.admin_a)
    response = api.post(
        "/applicants", {"kind": "person", "last_name": "Шевченко", "first_name": "Олена", "settlement": "Київ"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_settlement"
