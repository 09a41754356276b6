"""An ordinary save of a service (admin, a flag toggled in a view) keeps its search index."""

import pytest

from vikno.catalog.models import Service
from vikno.catalog.search import reindex, search_services
from vikno.catalog.tests.searchdata import build_catalog


@pytest.mark.django_db
def test_plain_save_does_not_wipe_the_search_vector():
    build_catalog()
    reindex()
    service = Service.objects.exclude(search_vector=None).first()
    fresh = Service.objects.get(pk=service.pk)
    fresh.search_vector = None  # a stale in-memory copy
    fresh.is_active = True
    fresh.save()
    assert Service.objects.filter(pk=service.pk).exclude(search_vector=None).exists()
    assert any(hit.code == service.code for hit in search_services(service.name_uk))
