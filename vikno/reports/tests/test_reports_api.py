"""The report API: the same figures as the staff page, the same scope and errors, and the series."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from .series_data import build

URL = "/api/v1/reports/center"
Q1 = {"from": "2026-01-01", "to": "2026-03-31"}


@pytest.fixture
def data(world, django_capture_on_commit_callbacks):
    build(world, django_capture_on_commit_callbacks)
    return world


def _page_rows(html: str) -> dict[str, list[str]]:
    rows = {}
    for label, cells in re.findall(r'<tr><th scope="row">(.*?)</th>((?:<td class="num">.*?</td>){3})</tr>', html):
        rows.setdefault(label, re.findall(r'<td class="num">(.*?)</td>', cells))
    return rows


def _same(text: str, value) -> bool:
    return value is None if text == "—" else Decimal(text) == Decimal(str(value))


def test_the_api_figures_equal_the_page(data, login_as):
    client = login_as(data.head_a)
    response = client.get(URL, {"center": data.center_a.pk, **Q1})
    assert response.status_code == 200
    body = response.json()
    assert (body["center_id"], body["date_from"], body["previous_to"]) == (data.center_a.pk, "2026-01-01", "2025-03-31")
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["cases_registered"]["current"] == 4 and figures["visitors"]["current"] == 4
    assert figures["revenue_local"]["current"] == 100 and figures["refused_share"]["current"] == 25
    page = client.get("/staff/reports/center/", {"center": data.center_a.pk, **Q1}).content.decode()
    rows = _page_rows(page)
    for f in body["figures"] + body["spheres"] + body["payments"]:
        texts = rows[f["label"]]
        assert all(_same(t, v) for t, v in zip(texts, (f["current"], f["previous"], f["change"]), strict=True)), f


def test_the_series_endpoint(data, login_as):
    client = login_as(data.monitor_1)
    body = client.get(f"{URL}/series", {"center": data.center_a.pk, **Q1}).json()
    assert body["granularity"] == "month"
    assert [p["key"] for p in body["periods"]] == ["2026-01", "2026-02", "2026-03"]
    series = {s["key"]: s["values"] for s in body["series"]}
    assert series["cases_registered"] == [2, 1, 1] and series["visitors"] == [3, 1, 0]
    assert series["revenue_state"] == [0, 50, 0]
    assert [(s["code"], s["registered"], s["issued"]) for s in body["spheres"]] == [("REG", 2, 1), ("SOC", 2, 1)]
    daily = client.get(f"{URL}/series", {"center": data.center_a.pk, "from": "2026-01-10", "to": "2026-01-20"}).json()
    assert daily["granularity"] == "day" and daily["periods"][2]["key"] == "2026-01-12"


def test_errors_follow_the_page(data, login_as):
    client = login_as(data.head_a)
    response = client.get(URL, {"center": data.center_b.pk, **Q1})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = client.get(URL, {"center": data.center_a.pk, "from": "2026-03-31", "to": "2026-01-01"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "period_inverted",
        "message": "Початок періоду пізніше за його кінець: перевірте дати.",
        "field": "date_to",
    }
    response = client.get(URL, {"center": data.center_a.pk})
    assert response.status_code == 400 and response.json()["code"] == "period_missing"
    response = client.get(f"{URL}/series", {"center": data.center_b.pk, **Q1})
    assert response.status_code == 404
    response = client.get(f"{URL}/series", {"center": data.center_a.pk, "granularity": "day", **Q1})
    assert response.status_code == 200
    response = client.get(
        f"{URL}/series", {"center": data.center_a.pk, "granularity": "day", "from": "2025-01-01", "to": "2026-01-01"}
    )
    assert response.status_code == 400 and response.json()["code"] == "period_too_long"


def test_other_roles_and_anonymous_callers(data, client, login_as):
    assert client.get(URL, {"center": data.center_a.pk, **Q1}).status_code == 401
    officer = login_as(data.officer_a)
    assert officer.get(URL, {"center": data.center_a.pk, **Q1}).status_code == 404


def test_openapi_documents_the_report_operations(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/reports/center"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"center", "from", "to"}
    assert "reports" in operation["tags"]
    assert "/api/v1/reports/center/series" in schema["paths"]
