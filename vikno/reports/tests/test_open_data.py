"""Open data: the files parse, hold exactly the written figures and no personal data, filters, bad
input (400), an empty result (headers only), cache headers, and the public index page."""

from __future__ import annotations

import csv
import io
import json

import pytest

from vikno.orgs.models import Center, Office

from .series_data import build

CENTER_KEYS = {
    "id",
    "name",
    "short_name",
    "edrpou",
    "region",
    "region_katottg",
    "hromada",
    "hromada_katottg",
    "address",
    "website",
    "offices_main",
    "offices_branch",
    "offices_remote",
    "offices_mobile",
}
STAT_KEYS = [
    "center_id",
    "center_name",
    "region_katottg",
    "hromada_katottg",
    "month",
    "applications_registered",
    "results_issued",
    "refusals",
    "withdrawn",
    "consultations",
    "visitors",
    "revenue_local",
    "revenue_state",
    "ratings",
    "ratings_satisfied",
    "ratings_recommend",
    "ratings_promoters",
    "ratings_detractors",
]
PERSONAL = {"rnokpp", "last_name", "first_name", "phone", "email", "applicant", "birth_date", "passport_number"}


@pytest.fixture
def data(world, django_capture_on_commit_callbacks):
    build(world, django_capture_on_commit_callbacks)
    Office.objects.create(center=world.center_a, kind="mobile", name="Мобільний А", is_active=False)
    Center.objects.create(name="ЦНАП закритий", slug="closed", hromada=world.h1, is_active=False)
    return world


def _json(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response, json.loads(response.content)


def _csv(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM for spreadsheet programs
    return response, list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_centers_json_lists_active_centers_with_offices_by_kind(data, client):
    response, body = _json(client, "/open-data/centers.json")
    assert response["Cache-Control"] == "public, max-age=3600"
    assert body["metadata"]["licence"]["id"] == "CC-BY-4.0" and body["metadata"]["records"] == 2
    assert [f["name"] for f in body["metadata"]["fields"]][:3] == ["id", "name", "short_name"]
    a, b = body["data"]
    assert set(a) == CENTER_KEYS
    assert a["id"] == data.center_a.pk and a["name"] == "ЦНАП А"
    assert (a["hromada"], a["hromada_katottg"], a["region_katottg"]) == (
        "Вінницька",
        "UA05020030000031457",
        "UA05000000000010236",
    )
    assert (a["offices_main"], a["offices_branch"], a["offices_remote"], a["offices_mobile"]) == (1, 0, 1, 0)
    assert (b["name"], b["offices_main"], b["offices_remote"]) == ("ЦНАП Б", 1, 0)


def test_centers_csv_has_the_same_rows(data, client):
    response, rows = _csv(client, "/open-data/centers.csv")
    assert 'filename="vikno-centers.csv"' in response["Content-Disposition"]
    assert [r["name"] for r in rows] == ["ЦНАП А", "ЦНАП Б"]
    assert rows[0]["offices_remote"] == "1" and set(rows[0]) == CENTER_KEYS


def test_statistics_json_has_the_written_monthly_figures(data, client):
    _, body = _json(client, "/open-data/statistics.json")
    rows = body["data"]
    assert body["metadata"]["records"] == len(rows) == 5
    assert body["metadata"]["filters"] == {"region": None, "from": None, "to": None}
    a = {r["month"]: r for r in rows if r["center_id"] == data.center_a.pk}
    assert sorted(a) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert a["2026-01"] == {
        "center_id": data.center_a.pk,
        "center_name": "ЦНАП А",
        "region_katottg": "UA05000000000010236",
        "hromada_katottg": "UA05020030000031457",
        "month": "2026-01",
        "applications_registered": 2,
        "results_issued": 1,
        "refusals": 0,
        "withdrawn": 0,
        "consultations": 1,
        "visitors": 3,
        "revenue_local": 100.0,
        "revenue_state": 0.0,
        "ratings": 2,
        "ratings_satisfied": 1,
        "ratings_recommend": 2,
        "ratings_promoters": 1,
        "ratings_detractors": 1,
    }
    assert (a["2026-02"]["applications_registered"], a["2026-02"]["revenue_state"], a["2026-02"]["visitors"]) == (
        1,
        50.0,
        1,
    )
    assert (a["2026-03"]["results_issued"], a["2026-03"]["refusals"]) == (1, 1)
    b = [r for r in rows if r["center_id"] == data.center_b.pk]
    assert [(r["month"], r["applications_registered"]) for r in b] == [("2026-01", 1)]
    assert not PERSONAL & {key for row in rows for key in row}


def test_statistics_csv_matches_and_filters_apply(data, client):
    _, rows = _csv(
        client, "/open-data/statistics.csv", region="UA05000000000010236", **{"from": "2026-02", "to": "2026-03"}
    )
    assert [(r["center_name"], r["month"]) for r in rows] == [("ЦНАП А", "2026-02"), ("ЦНАП А", "2026-03")]
    assert list(rows[0]) == STAT_KEYS
    assert rows[0]["revenue_state"] == "50.00" and rows[0]["applications_registered"] == "1"
    _, body = _json(client, "/open-data/statistics.json", region="UA07000000000024379")
    assert [r["center_name"] for r in body["data"]] == ["ЦНАП Б"]
    assert body["metadata"]["filters"]["region"] == "UA07000000000024379"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "2026-13"}, "month_invalid"),
        ({"to": "січень"}, "month_invalid"),
        ({"from": "2026-03", "to": "2026-01"}, "period_inverted"),
        ({"region": "Вінницька"}, "region_invalid"),
        ({"region": "UA99000000000000000"}, "region_unknown"),
    ],
)
def test_bad_filters_are_a_400_with_the_reason(data, client, params, code):
    response = client.get("/open-data/statistics.json", params)
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["code"] == code and body["message"]
    response = client.get("/open-data/statistics.csv", params)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == body["message"]


def test_an_empty_result_is_a_well_formed_file(data, client):
    _, body = _json(client, "/open-data/statistics.json", **{"from": "2030-01"})
    assert body["data"] == [] and body["metadata"]["records"] == 0
    assert len(body["metadata"]["fields"]) == len(STAT_KEYS)
    response = client.get("/open-data/statistics.csv", {"from": "2030-01"})
    assert response.content.decode("utf-8-sig") == ",".join(STAT_KEYS) + "\r\n"


def test_files_need_no_login_and_only_read(world, client):
    assert client.get("/open-data/centers.json").status_code == 200
    assert client.post("/open-data/centers.json").status_code == 405


def test_the_index_page_describes_the_data_sets(data, client):
    response = client.get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    for name in ("centers.json", "centers.csv", "statistics.json", "statistics.csv", "applications_registered"):
        assert name in html
    assert "?region=UA05000000000010236" in html
    assert 'extends "staff_base.html"' not in html and "Log out" not in html
