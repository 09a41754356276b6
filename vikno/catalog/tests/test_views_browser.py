"""The staff catalog browser: search box, filters, htmx partial, pages."""

from __future__ import annotations

import contextlib

import pytest

from vikno.catalog import search
from vikno.catalog.models import Service, ServiceVersion

from .test_ui_data import life_situation, make_service, sphere

URL = "/staff/catalog/"


def _reindex():
    with contextlib.suppress(NotImplementedError):
        search.reindex()


@pytest.fixture
def catalog(world):
    relocation = life_situation()
    residence = make_service(situations=[relocation], online=True, instant=True)
    passport = make_service(
        "PAS-001", "Оформлення паспорта громадянина України", sphere_obj=sphere("PAS", "Паспортні послуги")
    )
    land = make_service(
        "ZEM-001",
        "Надання витягу з Державного земельного кадастру",
        sphere_obj=sphere("ZEM", "Земельні відносини"),
        fee_kind=ServiceVersion.FeeKind.FIXED,
        fee_amount="166.00",
    )
    _reindex()
    return residence, passport, land


def test_page_has_a_labelled_search_box_and_filters(catalog, world, login_as):
    html = login_as(world.admin_a).get(URL).content.decode()
    assert 'type="search"' in html and 'name="q"' in html and "autofocus" in html
    assert '<label for="id_q"' in html
    for name in ("sphere", "life_situation", "online", "instant"):
        assert f'name="{name}"' in html
    assert 'hx-get="/staff/catalog/"' in html and 'hx-target="#results"' in html
    assert 'scope="col"' in html
    assert "RMP-001" in html and "PAS-001" in html and "ZEM-001" in html
    assert "166,00 грн" in html  # fixed fee in the table, Ukrainian decimal comma


def test_search_finds_by_words_without_js(catalog, world, login_as):
    html = login_as(world.admin_a).get(URL, {"q": "паспорта"}).content.decode()
    assert "PAS-001" in html
    assert "ZEM-001" not in html


def test_filters_by_sphere_situation_and_flags(catalog, world, login_as):
    client = login_as(world.admin_a)
    html = client.get(URL, {"sphere": "ZEM"}).content.decode()
    assert "ZEM-001" in html and "PAS-001" not in html
    html = client.get(URL, {"life_situation": "RELOCATION"}).content.decode()
    assert "RMP-001" in html and "PAS-001" not in html
    html = client.get(URL, {"online": "on"}).content.decode()
    assert "RMP-001" in html and "ZEM-001" not in html
    html = client.get(URL, {"instant": "on", "sphere": "PAS"}).content.decode()
    assert "No services match" in html or "Немає послуг" in html or "PAS-001" not in html


def test_unknown_filter_value_is_not_an_error(catalog, world, login_as):
    response = login_as(world.admin_a).get(URL, {"sphere": "XXX"})
    assert response.status_code == 200


def test_htmx_request_gets_only_the_results(catalog, world, login_as):
    response = login_as(world.admin_a).get(URL, {"sphere": "PAS"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<table" in html
    assert "PAS-001" in html and "RMP-001" not in html
    assert 'id="result-count" hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]


def test_pages(world, login_as):
    group = sphere("TST", "Тестова сфера")
    Service.objects.bulk_create(
        Service(code=f"TST-{i:03d}", sphere=group, name_uk=f"Тестова послуга {i}") for i in range(1, 56)
    )
    client = login_as(world.admin_a)
    first = client.get(URL).content.decode()
    assert "TST-050" in first and "TST-051" not in first
    assert 'rel="next"' in first and "page=2" in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert "TST-051" in second and "TST-055" in second and "TST-001" not in second


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
