"""Search and the public list over the real shared catalog (shared/data/services)."""

import pytest
from django.conf import settings

from vikno.catalog import importers, search
from vikno.catalog.models import Service

pytestmark = pytest.mark.skipif(
    not hasattr(importers, "import_shared_catalog"), reason="import_shared_catalog is not implemented yet"
)

BIRTH_CODES = {"ACS-001", "CMP-001"}


@pytest.fixture
def shared_catalog(db):
    importers.import_shared_catalog(settings.DATA_DIR)
    search.reindex()


def _birth_related(code: str) -> bool:
    if code in BIRTH_CODES:
        return True
    return Service.objects.filter(code=code, life_situations__code="CHILD_BIRTH").exists()


def test_birth_phrases_find_birth_services_first(shared_catalog):
    for phrase in ("народила дитину", "народження дитини", "дитина народилася"):
        hits = search.search_services(phrase, limit=10)
        top = [h.code for h in hits[:5]]
        assert all(_birth_related(code) for code in top), (phrase, top)
        found = {h.code for h in hits}
        assert found >= BIRTH_CODES, (phrase, [h.code for h in hits])


def test_typo_finds_passport_services(shared_catalog):
    hits = search.search_services("паспотр", limit=5)
    assert hits and all(h.code.startswith("PAS-") or "паспорт" in h.name.lower() for h in hits[:3])


def test_api_lists_at_least_100_services(client, shared_catalog):
    codes, cursor = [], None
    while True:
        response = client.get("/api/v1/services", {"limit": 200, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        body = response.json()
        codes += [item["code"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(codes) >= 100
    assert codes == sorted(codes)
