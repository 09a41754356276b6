"""The monitoring API: the summary and a center's history, scoped like the pages."""

from __future__ import annotations

import pytest

from vikno.monitoring import services

from .helpers import actor, answers, make_questionnaire


@pytest.fixture
def data(world):
    t = make_questionnaire()
    first = services.save_answers(
        world.center_a, t.questionnaire, "2025-Q4", answers(t), actor=actor(world.head_a), submit=True
    )
    services.transition(first, "accept", actor=actor(world.monitor_1))
    services.save_answers(
        world.center_a, t.questionnaire, "2026-Q1", answers(t, dracs="full"), actor=actor(world.head_a), submit=True
    )
    return world


def test_summary(data, login_as):
    body = login_as(data.monitor_1).get("/api/v1/monitoring/summary", {"period": "2026-Q1"}).json()
    assert body["period"] == "2026-Q1" and body["questionnaire"] == "test-q"
    (row,) = body["rows"]
    assert row["center"] == "ЦНАП А" and row["status"] == "submitted" and row["submitted"] is True
    assert row["latest_percent"] == "80.00" and row["change"] == "20.00"
    assert row["sections"] == {"accessibility": "66.67", "registers": "100.00", "staff": "66.67"}
    assert body["not_submitted"] == []


def test_history_and_scope(data, login_as, client):
    client = login_as(data.head_a)
    body = client.get(f"/api/v1/monitoring/centers/{data.center_a.pk}/history").json()
    assert [(a["period"], a["status"], a["percent"]) for a in body["assessments"]] == [
        ("2026-Q1", "submitted", "80.00"),
        ("2025-Q4", "reviewed", "60.00"),
    ]
    response = client.get(f"/api/v1/monitoring/centers/{data.center_b.pk}/history")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/v1/monitoring/summary", {"period": "2026-Q9"}).status_code == 400
    client.logout()
    assert login_as(data.officer_a).get("/api/v1/monitoring/summary").status_code == 404
