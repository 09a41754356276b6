"""GET /api/v1/ping answers without authentication and without the database."""

from __future__ import annotations


def test_ping_answers_anonymously_without_the_database(client):
    # No `db` fixture: pytest-django refuses any query, so a query here would fail the test.
    response = client.get("/api/v1/ping")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
