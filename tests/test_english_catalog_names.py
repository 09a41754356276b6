"""Services, spheres and life situations are shown by their English names on English pages when the
catalog has them (the Ukrainian name otherwise); Ukrainian pages, prints and the API keep Ukrainian."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone, translation

from vikno.cases.tests.core_factories import make_service, register
from vikno.catalog import services as catalog
from vikno.catalog.forms import ServiceVersionForm
from vikno.catalog.models import Service, ServiceVersion
from vikno.core.audit import Actor


def _english(client):
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"}).status_code == 302
    return client


@pytest.fixture
def named(world):
    service = make_service(providers=[world.provider_a])
    ServiceVersion.objects.filter(service=service).update(name_en="Test service in English")
    Service.objects.filter(pk=service.pk).update(name_en="Test service in English")
    service.sphere.name_en = "Test sphere"
    service.sphere.save()
    service.refresh_from_db()
    return service


@pytest.mark.django_db
def test_shown_name_follows_the_language_and_falls_back_to_ukrainian(named):
    version = named.current_version
    with translation.override("en"):
        assert named.shown_name == version.shown_name == "Test service in English"
        assert named.sphere.shown_name == "Test sphere"
        version.name_en = ""
        assert version.shown_name == version.name_uk
    with translation.override("uk"):
        assert named.shown_name == named.name_uk and named.sphere.shown_name == "Тестова сфера"


@pytest.mark.django_db
def test_staff_pages_in_english_name_the_service_in_english(world, login_as, named):
    case = register(world, named)
    client = _english(login_as(world.admin_a))
    for url in (f"/staff/cases/{case.number}/", "/staff/cases/?tab=all", f"/staff/catalog/{named.code}/"):
        page = client.get(url).content.decode()
        assert "Test service in English" in page, url
    # the public status page follows the citizen's language the same way
    status = client.get("/status/", {"number": case.number, "code": case.access_code})
    assert status.status_code == 200 and "Test service in English" in status.content.decode()
    ukrainian = login_as(world.admin_a)
    ukrainian.post("/i18n/setlang/", {"language": "uk", "next": "/staff/"})
    page = ukrainian.get(f"/staff/cases/{case.number}/").content.decode()
    assert named.name_uk in page and "Test service in English" not in page


@pytest.mark.django_db
def test_the_editor_sets_the_english_name_and_the_service_copies_it(world, named):
    form = ServiceVersionForm(
        data={
            **{
                k: ("" if v is None else v)
                for k, v in ServiceVersionForm.initial_from(named.current_version).items()
                if k != "name_en"
            },
            "name_en": "Renamed in English",
            "valid_from": timezone.localdate().isoformat(),
            "change_note": "Англійська назва",
            "fee_kind": "free",
        }
    )
    assert form.is_valid(), form.errors
    catalog.create_version(
        named, form.version_data(), valid_from=form.cleaned_data["valid_from"], actor=Actor(user=world.sysadmin)
    )
    named.refresh_from_db()
    assert named.current_version.name_en == "Renamed in English" and named.name_en == "Renamed in English"


@pytest.mark.django_db
def test_the_shared_catalog_brings_english_names(world):
    from vikno.catalog.importers import import_shared_catalog

    import_shared_catalog(settings.DATA_DIR)
    service = Service.objects.get(code="RMP-001")
    assert service.name_en == "Declaration of place of residence" == service.current_version.name_en
