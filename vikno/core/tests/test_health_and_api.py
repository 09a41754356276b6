import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from openapi_spec_validator import validate

from vikno.conf import BASE_DIR


@pytest.mark.django_db
def test_healthz_answers_200_with_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database_ms"] >= 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_answers_503_when_the_database_is_down():
    """A real server process whose database address has nothing listening."""
    port, dead_db_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{dead_db_port}/vikno",
        "DJANGO_SETTINGS_MODULE": "vikno.settings.test",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "vikno.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # The port is open before the worker has loaded Django (seconds on a busy machine): until then a
        # request is refused or waits, so both are retried until the deadline.
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
                pytest.fail("healthz answered 200 without a database")
            except urllib.error.HTTPError as exc:
                assert exc.code == 503
                assert json.loads(exc.read())["code"] == "database_unavailable"
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.django_db
def test_openapi_schema_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    validate(schema)


@pytest.mark.django_db
def test_api_docs_page_is_served(client):
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_api_errors_are_json_with_ukrainian_message_and_code(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthorized"
    assert "автентифікація" in body["message"]


def test_configuration_docs_are_current():
    from django.core.management import call_command

    call_command("configdocs", "--check")
