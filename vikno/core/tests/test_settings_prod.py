"""Production settings pass Django's deployment checks and refuse the development secret key."""

import os
import secrets
import subprocess
import sys

import pytest

from vikno.conf import BASE_DIR

pytestmark = pytest.mark.slow


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("VIKNO_")}
    environment.update({"DJANGO_SETTINGS_MODULE": "vikno.settings.prod", **env})
    environment.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:1/unused")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_a_random_secret_key():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        VIKNO_SECRET_KEY=secrets.token_urlsafe(64),
        VIKNO_ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", [None, "dev-only-insecure-key-change-me", "short-key"])
def test_prod_refuses_to_start_without_a_real_secret_key(key):
    env = {"VIKNO_ALLOWED_HOSTS": "example.org"}
    if key is not None:
        env["VIKNO_SECRET_KEY"] = key
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "VIKNO_SECRET_KEY must be set" in result.stderr


def test_prod_turns_off_debug_and_demo_mode_and_requires_mfa():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.DEMO_MODE, s.REQUIRE_MFA, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    result = _manage(
        "shell",
        "-c",
        code,
        VIKNO_SECRET_KEY=secrets.token_urlsafe(64),
        VIKNO_DEBUG="true",
        VIKNO_DEMO_MODE="true",
        VIKNO_REQUIRE_MFA="false",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "False", "True", "True", "True", "True"]
