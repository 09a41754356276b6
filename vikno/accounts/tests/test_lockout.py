"""django-axes locks a username (per address) after VIKNO_LOGIN_FAILURE_LIMIT failed passwords."""

import pytest
from django.conf import settings as django_settings

from vikno.core.models import AuditEvent
from vikno.testing.fixtures import PASSWORD


def _attempt(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_the_attempt_after_the_limit_is_refused_even_with_the_right_password(client, world):
    limit = django_settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        response = _attempt(client, "head_a", "wrong-password")
        assert response.status_code == 200  # the form again, with an error
    response = _attempt(client, "head_a", "wrong-password")
    assert response.status_code == 429

    response = _attempt(client, "head_a", PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Обліковий запис заблоковано" in body
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_lockout_and_failures_are_audited_on_the_users_center_chain(client, world):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _attempt(client, "head_a", "wrong-password")
    events = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(world.head_a.pk))
    assert events.filter(action="login.failed").count() == django_settings.AXES_FAILURE_LIMIT
    locked = events.get(action="login.locked_out")
    assert locked.chain == f"center:{world.center_a.pk}"
    assert locked.data["username"] == "head_a"
    assert locked.ip == "127.0.0.1"


@pytest.mark.django_db
def test_other_users_and_addresses_are_not_locked(client, world):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _attempt(client, "head_a", "wrong-password")
    response = _attempt(client, "admin_a", PASSWORD)
    assert response.status_code == 302
    other_address = client.post(
        "/accounts/login/", {"username": "head_a", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert other_address.status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(client, world):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, "head_a", "wrong-password")
    assert _attempt(client, "head_a", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "head_a", "wrong-password").status_code == 200


@pytest.mark.django_db
def test_unknown_usernames_are_counted_but_not_written_to_the_audit_log(client, world):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, "nobody", "whatever-password")
    assert not AuditEvent.objects.filter(action="login.failed").exists()


@pytest.mark.django_db
def test_a_username_longer_than_any_is_a_failed_login_not_an_error(client, world):
    from axes.models import AccessAttempt

    typed = "x" * 3000
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, typed, "wrong-password").status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 150
    assert _attempt(client, typed, "wrong-password").status_code == 429
    # The Django admin's login goes through the same count.
    assert client.post("/django-admin/login/", {"username": typed, "password": "x"}).status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_lockout_and_audit_use_the_forwarded_address(settings, client, world):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "head_a", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    locked = AuditEvent.objects.get(action="login.locked_out")
    assert locked.ip == "198.51.100.1"
    assert locked.data["ip"] == "198.51.100.1"
    # The same account from another citizen behind the same proxy is not locked.
    other = client.post(
        "/accounts/login/", {"username": "head_a", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert other.status_code == 302
