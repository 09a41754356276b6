"""Public catalog API: /api/v1/services (search and keyset list), one service, spheres, life situations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from vikno.catalog.models import FeeRule, RequiredDocument, ServiceVersion, SubsistenceMinimum, TechStep
from vikno.catalog.tests.searchdata import SERVICES, build_catalog

BIRTH = {"ACS-001", "CMP-001", "SOC-003"}


@pytest.fixture
def catalog(db):
    return build_catalog()


def test_search_returns_ranked_items_with_card_fields(client, catalog):
    response = client.get("/api/v1/services", {"q": "народила дитину"})
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    items = body["items"]
    assert {i["code"] for i in items[:3]} == BIRTH
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True)
    first = next(i for i in items if i["code"] == "ACS-001")
    assert first["name"].startswith("Державна реєстрація народження")
    assert first["sphere"] == {"code": "ACS", "name": "Державна реєстрація актів цивільного стану"}
    assert first["term"] == {"value": 1, "unit": "working_days", "text": "1 робочий день"}
    assert first["fee"] == {"kind": "free", "amount": "0.00", "text": "Безоплатно"}
    assert first["online"] is True and first["instant"] is True


def test_search_is_one_query_and_public(client, catalog, django_assert_max_num_queries):
    client.get("/api/v1/services", {"q": "паспорт"})  # warm caches
    with django_assert_max_num_queries(1):
        response = client.get("/api/v1/services", {"q": "паспотр"})
    assert response.json()["items"][0]["code"] == "PAS-001"


def test_query_without_words_is_a_clear_400(client, catalog):
    response = client.get("/api/v1/services", {"q": "?!"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "empty_query"
    assert body["message"].startswith("Введіть пошуковий запит")


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_without_q_lists_every_active_service_by_code_page_by_page(client, catalog, params):
    seen, cursor = [], None
    for _ in range(10):
        response = client.get("/api/v1/services", {**params, "limit": 5, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        body = response.json()
        assert all(item["score"] is None for item in body["items"])
        seen += [item["code"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(code for code, *_ in SERVICES)


def test_list_hides_inactive_and_filters_by_sphere_and_life_situation(client, catalog):
    service = catalog["services"]["PAS-002"]
    service.is_active = False
    service.save(update_fields=["is_active"])
    codes = [i["code"] for i in client.get("/api/v1/services", {"sphere": "PAS"}).json()["items"]]
    assert codes == ["PAS-001"]
    codes = [i["code"] for i in client.get("/api/v1/services", {"life_situation": "CHILD_BIRTH"}).json()["items"]]
    assert codes == sorted(BIRTH)


def test_bad_cursor_and_limit_are_4xx(client, catalog):
    assert client.get("/api/v1/services", {"cursor": "%%%"}).json()["code"] == "invalid_cursor"
    assert client.get("/api/v1/services", {"limit": 0}).status_code == 422


def test_fees_in_the_list(client, catalog):
    year = timezone.localdate().year
    SubsistenceMinimum.objects.create(year=year, amount=Decimal("3328.00"))
    rule = FeeRule.objects.create(
        rule_id="test_rule", name_uk="Тест", coefficient=Decimal("0.1"), rounding=FeeRule.Rounding.NEAREST_10_UAH
    )
    ServiceVersion.objects.filter(service__code="ZEM-001").update(fee_kind="rule", fee_rule=rule)
    items = {i["code"]: i for i in client.get("/api/v1/services").json()["items"]}
    assert items["ZEM-001"]["fee"] == {"kind": "rule", "amount": "330.00", "text": "330,00 грн"}
    assert items["ACS-002"]["fee"] == {"kind": "fixed", "amount": "0.85", "text": "0,85 грн"}
    assert items["TRN-001"]["fee"]["amount"] is None
    found = client.get("/api/v1/services", {"q": "витяг земельний кадастр"}).json()["items"]
    assert found[0]["code"] == "ZEM-001" and found[0]["fee"]["amount"] == "330.00"


def test_service_card_shows_the_version_in_force(client, catalog):
    service = catalog["services"]["ACS-002"]
    old = service.current_version
    old.valid_to = timezone.localdate() - dt.timedelta(days=1)
    old.save()
    new = ServiceVersion.objects.create(
        service=service,
        number=2,
        valid_from=timezone.localdate(),
        name_uk="Державна реєстрація шлюбу (нова)",
        term_value=3,
        term_unit="working_days",
        fee_kind="free",
        result_uk="Свідоцтво про шлюб",
    )
    RequiredDocument.objects.create(version=new, position=1, name="Паспорт нареченого", copy=True)
    RequiredDocument.objects.create(version=new, position=2, name="Паспорт нареченої", condition="особисто")
    TechStep.objects.create(
        version=new,
        position=1,
        action="Прийняти заяву",
        role="administrator",
        action_type="В",
        term_value=1,
        term_unit="hours",
    )
    response = client.get("/api/v1/services/acs-002")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "ACS-002" and body["version"] == 2
    assert body["name"] == "Державна реєстрація шлюбу (нова)"
    assert body["term"]["text"] == "3 робочі дні"
    assert body["fee"]["text"] == "Безоплатно"
    assert [d["name"] for d in body["documents"]] == ["Паспорт нареченого", "Паспорт нареченої"]
    assert body["documents"][0]["copy_kept"] is True and body["documents"][1]["condition"] == "особисто"
    assert body["tech_steps"][0]["term"]["text"] == "1 година"
    assert body["life_situations"] == [{"code": "MARRIAGE", "name": "Одруження"}]
    assert body["result"] == "Свідоцтво про шлюб"


def test_unknown_service_is_404_in_ukrainian(client, catalog):
    response = client.get("/api/v1/services/XXX-999")
    assert response.status_code == 404
    assert response.json()["code"] == "service_not_found"
    assert "не знайдено" in response.json()["message"]


def test_spheres_and_life_situations(client, catalog):
    spheres = {s["code"]: s for s in client.get("/api/v1/spheres").json()}
    assert spheres["PAS"]["services"] == 2 and spheres["ACS"]["name"].startswith("Державна")
    situations = {s["code"]: s for s in client.get("/api/v1/life-situations").json()}
    assert situations["CHILD_BIRTH"]["services"] == 3
    assert "весілля" in situations["MARRIAGE"]["synonyms"]
    assert situations["MARRIAGE"]["kind"] == "life"


def test_openapi_documents_public_catalog_operations(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/services", "/api/v1/services/{code}", "/api/v1/spheres", "/api/v1/life-situations"):
        operation = schema["paths"][path]["get"]
        assert operation.get("summary")
        assert "security" not in operation or operation["security"] in ([], [{}])
    params = {p["name"]: p for p in schema["paths"]["/api/v1/services"]["get"]["parameters"]}
    assert {"q", "cursor", "limit", "sphere", "life_situation"} <= set(params)
    assert params["q"].get("description") or params["q"]["schema"].get("description")
    item = schema["components"]["schemas"]["ServiceItem"]["properties"]
    assert item["score"].get("description") or item["score"].get("anyOf")
    assert "400" in schema["paths"]["/api/v1/services"]["get"]["responses"]


def test_term_text_plural_forms():
    from vikno.catalog.api import term_text

    assert [term_text(n, "working_days") for n in (1, 2, 5, 11, 21, 22, 25)] == [
        "1 робочий день",
        "2 робочі дні",
        "5 робочих днів",
        "11 робочих днів",
        "21 робочий день",
        "22 робочі дні",
        "25 робочих днів",
    ]
    assert term_text(None, "hours") == ""
