"""Every response carries a Content-Security-Policy (django-csp) and refuses framing."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/api/v1/me"])
def test_responses_carry_csp_and_x_frame_options_deny(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_cookie_is_http_only_and_same_site(client, world):
    world.head_a.set_password("a-long-test-password")
    world.head_a.save()
    response = client.post("/accounts/login/", {"username": "head_a", "password": "a-long-test-password"})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
