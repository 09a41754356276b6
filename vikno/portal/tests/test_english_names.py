"""On English pages a citizen reads the service's English name where the catalog has one — on the list
of online services, the application form and the status page — and the Ukrainian one where it has not."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from vikno.cases.tests.core_factories import register
from vikno.catalog.services import refresh_current_version

from .citizen_factories import online_service

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
UKRAINIAN = {"HTTP_ACCEPT_LANGUAGE": "uk"}


@pytest.fixture
def service(world):
    service = online_service(world)
    version = service.current_version
    version.name_uk, version.name_en = "Реєстрація місця проживання", "Registration of the place of residence"
    version.save()
    refresh_current_version(service)  # the service keeps a copy of the names in force, as a catalog edit does
    return service


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_apply_pages_name_the_service_in_english(client, service):
    listing = client.get("/c/center-a/apply/", **ENGLISH).content.decode()
    form = client.get(f"/c/center-a/apply/{service.code}/", **ENGLISH).content.decode()
    for html in (listing, form):
        assert "Registration of the place of residence" in html
        assert "Реєстрація місця проживання" not in html
    # The form's title says which service it is for.
    assert "<title>Registration of the place of residence — Apply online" in form
    ukrainian = client.get(f"/c/center-a/apply/{service.code}/", **UKRAINIAN).content.decode()
    assert "Реєстрація місця проживання" in ukrainian and "Registration of the place" not in ukrainian


def test_the_status_page_names_the_service_in_english(world, client, service):
    case = register(world, service)
    html = client.get("/status/", {"number": case.number, "code": case.access_code}, **ENGLISH).content.decode()
    assert "Registration of the place of residence" in html and "Реєстрація місця проживання" not in html


def test_without_an_english_name_the_ukrainian_one_is_shown(client, service):
    version = service.current_version
    version.name_en = ""
    version.save()
    html = client.get(f"/c/center-a/apply/{service.code}/", **ENGLISH).content.decode()
    assert "Реєстрація місця проживання" in html


def test_a_very_long_search_keeps_the_page_title_short(world, client):
    html = client.get("/c/center-a/search/", {"q": "дитина " * 100}).content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert len(title) < 120, title


def test_the_question_form_lists_services_by_their_english_names(client, service):
    html = client.get("/c/center-a/ask/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{service.code} Registration of the place of residence" in html


@pytest.mark.parametrize(
    ("days", "language", "shown"),
    [
        (1, "en", "1 working day<"),
        (3, "en", "3 working days<"),
        (1, "uk", "1 робочий день<"),
        (3, "uk", "3 робочі дні<"),
    ],
)
def test_the_information_card_gives_the_term_with_the_right_plural(world, client, days, language, shown):
    service = online_service(world, term_value=days)
    html = client.get(f"/c/center-a/services/{service.code}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert shown in html
