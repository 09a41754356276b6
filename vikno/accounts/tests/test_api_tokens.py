"""API tokens: issued and revoked from the command line, only the SHA-256 of the secret stored."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from vikno.accounts.models import ApiToken
from vikno.core.models import AuditEvent


def _issue(*args):
    out = StringIO()
    call_command("issue_api_token", *args, stdout=out)
    lines = out.getvalue().strip().splitlines()
    return lines[-1], out.getvalue()


def _me(client, secret):
    return client.get("/api/v1/me", headers={"authorization": f"Bearer {secret}"})


@pytest.mark.django_db
def test_issued_token_authenticates_and_only_its_hash_is_stored(client, world):
    secret, output = _issue("officer_a", "Система ДРАЦС", "--days", "30")
    assert secret.startswith("vk_")
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix in output
    for field in ApiToken._meta.concrete_fields:
        assert getattr(token, field.attname) != secret
    assert token.expires_at - timezone.now() > timedelta(days=29)

    response = _me(client, secret)
    assert response.status_code == 200
    assert response.json()["username"] == "officer_a"
    assert response.json()["provider_id"] == world.provider_a.pk
    token.refresh_from_db()
    assert token.last_used_at is not None
    issued = AuditEvent.objects.get(action="api_token.issued")
    assert secret not in str(issued.data)
    assert issued.provider_id == world.provider_a.pk


@pytest.mark.django_db
def test_expired_token_gets_401_json_in_ukrainian(client, world):
    secret, _ = _issue("officer_a", "Старий клієнт", "--days", "1")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _me(client, secret)
    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthorized",
        "message": "Потрібна автентифікація: увійдіть або передайте дійсний токен.",
    }


@pytest.mark.django_db
def test_revoked_token_gets_401(client, world):
    secret, _ = _issue("head_a", "Кіоск у холі")
    assert _me(client, secret).status_code == 200
    out = StringIO()
    call_command("revoke_api_token", ApiToken.objects.get().prefix, stdout=out)
    assert "відкликано" in out.getvalue()
    response = _me(client, secret)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1
    with pytest.raises(CommandError, match="не знайдено"):
        call_command("revoke_api_token", ApiToken.objects.get().prefix)


@pytest.mark.django_db
def test_token_of_a_deactivated_user_and_a_made_up_token_get_401(client, world):
    secret, _ = _issue("head_a", "Кіоск")
    world.head_a.is_active = False
    world.head_a.save()
    assert _me(client, secret).status_code == 401
    assert _me(client, "vk_" + "x" * 43).status_code == 401


@pytest.mark.django_db
def test_issue_refuses_unknown_users_and_bad_terms(world):
    with pytest.raises(CommandError, match="не знайдено"):
        call_command("issue_api_token", "nobody", "Кіоск")
    with pytest.raises(CommandError, match="щонайменше 1 день"):
        call_command("issue_api_token", "head_a", "Кіоск", "--days", "0")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_no_token_prefix_reads_as_a_command_line_option(world):
    # One prefix in 64 used to start with "-", which `manage.py revoke_api_token <prefix>` took for an option.
    prefixes = [ApiToken.issue(world.head_a, f"т{i}")[0].prefix for i in range(300)]
    assert not [p for p in prefixes if p.startswith("-")]
