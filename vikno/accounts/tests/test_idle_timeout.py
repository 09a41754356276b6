"""A staff session ends after VIKNO_SESSION_IDLE_MINUTES without requests."""

import time

import pytest

from vikno.core.models import AuditEvent


def _set_last_seen(client, seconds_ago):
    session = client.session
    session["last_seen"] = int(time.time()) - seconds_ago
    session.save()


@pytest.mark.django_db
def test_the_request_after_the_idle_limit_logs_out_and_redirects_to_login(login_as, world, settings):
    settings.SESSION_IDLE_TIMEOUT = 15
    client = login_as(world.head_a)
    assert client.get("/staff/").status_code == 200
    _set_last_seen(client, 15 * 60 + 5)

    response = client.get("/staff/orgs/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?")
    assert "idle=1" in response.url
    assert "next=%2Fstaff%2Forgs%2F" in response.url
    assert "_auth_user_id" not in client.session
    assert client.get("/api/v1/me").status_code == 401
    assert AuditEvent.objects.filter(action="logout.idle", object_id=str(world.head_a.pk)).exists()
    page = client.get(response.url)
    assert page.status_code == 200
    assert "бездіяльність" in page.content.decode()


@pytest.mark.django_db
def test_activity_within_the_limit_keeps_the_session(login_as, world, settings):
    settings.SESSION_IDLE_TIMEOUT = 15
    client = login_as(world.head_a)
    _set_last_seen(client, 14 * 60)
    assert client.get("/staff/").status_code == 200
    assert int(time.time()) - client.session["last_seen"] < 5
