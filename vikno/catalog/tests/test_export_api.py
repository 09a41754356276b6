"""The import/export API: staff export, only a sysadmin imports, a bad file answers 400 with every problem.

The router is mounted on a test API here (vikno/api.py mounts it for the real site)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja import NinjaAPI
from ninja.testing import TestClient

from vikno.accounts.models import ApiToken
from vikno.catalog.api_io import router
from vikno.catalog.models import Service, Sphere
from vikno.core.apiauth import staff_auth
from vikno.core.errors import DomainError

CSV = (
    "code,name_uk,sphere_code,term_value,term_unit,paid,fee_rule_id\n"
    "RMP-001,Декларування місця проживання,RMP,1,working_days,no,\n"
)


@pytest.fixture
def api_client():
    api = NinjaAPI(auth=staff_auth, urls_namespace="catalog-io-test")

    @api.exception_handler(DomainError)
    def on_domain_error(request, exc):  # as vikno/api.py does it
        return api.create_response(request, exc.as_dict(), status=exc.status)

    api.add_router("/", router)
    return TestClient(api)


def _auth(user) -> dict:
    _, key = ApiToken.issue(user, "test")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def sphere(world):
    return Sphere.objects.create(code="RMP", name_uk="Місце проживання")


def test_staff_export_every_format(api_client, world, sphere):
    headers = _auth(world.admin_a)
    response = api_client.get("/catalog/export?format=csv", headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("code,name_uk")
    response = api_client.get("/catalog/export?format=json", headers=headers)
    assert json.loads(response.content)["spheres"][0]["code"] == "RMP"
    response = api_client.get("/catalog/export?format=xlsx", headers=headers)
    assert response.content[:2] == b"PK"
    assert 'filename="vikno-catalog.xlsx"' in response["Content-Disposition"]
    assert api_client.get("/catalog/export?format=ods", headers=headers).status_code == 422
    assert api_client.get("/catalog/export?format=csv").status_code == 401


def test_sysadmin_imports(api_client, world, sphere):
    upload = SimpleUploadedFile("catalog.csv", CSV.encode(), content_type="text/csv")
    response = api_client.post("/catalog/import", FILES={"file": upload}, headers=_auth(world.sysadmin))
    assert response.status_code == 200, response.content
    assert response.json()["created"] == {"services": 1}
    assert Service.objects.get().name_uk == "Декларування місця проживання"


def test_other_staff_may_not_import(api_client, world, sphere):
    upload = SimpleUploadedFile("catalog.csv", CSV.encode())
    response = api_client.post("/catalog/import", FILES={"file": upload}, headers=_auth(world.head_a))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Service.objects.exists()


def test_bad_file_answers_400_with_problems(api_client, world, sphere):
    bad = CSV + "RMP-001,Дубль,RMP,1,working_days,no,\n"
    upload = SimpleUploadedFile("catalog.csv", bad.encode())
    response = api_client.post("/catalog/import", FILES={"file": upload}, headers=_auth(world.sysadmin))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_invalid"
    assert body["problems"] == ["CSV, рядок 3, поле code: код послуги RMP-001 повторюється"]
    upload = SimpleUploadedFile("catalog.xlsx", b"not a workbook")
    response = api_client.post("/catalog/import", FILES={"file": upload}, headers=_auth(world.sysadmin))
    assert response.status_code == 400 and "XLSX" in response.json()["problems"][0]
    upload = SimpleUploadedFile("catalog.txt", CSV.encode())
    response = api_client.post("/catalog/import", FILES={"file": upload}, headers=_auth(world.sysadmin))
    assert response.status_code == 400 and response.json()["code"] == "invalid_format"
    assert not Service.objects.exists()


def test_operations_are_documented(api_client):
    schema = api_client.router_or_app.get_openapi_schema(path_prefix="")
    assert "/catalog/export" in schema["paths"] and "/catalog/import" in schema["paths"]
    assert schema["paths"]["/catalog/import"]["post"]["summary"] == "Імпорт каталогу послуг"
