"""The cross-process path: a call made through server process A reaches a display streaming from server
process B. Both are real gunicorn processes (threaded WSGI workers) on free ports against the test database;
when uvicorn is installed the same path is checked with B running the ASGI application."""

import contextlib
import importlib.util
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from vikno.queue.models import Ticket
from vikno.queue.tests.live_setup import queue_world
from vikno.testing.fixtures import PASSWORD, totp_now
from vikno.testing.parallel import database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(kind: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vikno.settings.test",
        "DATABASE_URL": database_url(),
        "VIKNO_DB_CONN_MAX_AGE": "0",
        "VIKNO_SESSION_IDLE_MINUTES": "15",
        "PYTHONUNBUFFERED": "1",
    }
    if kind == "asgi":
        command = [str(BIN / "uvicorn"), "vikno.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--timeout-graceful-shutdown", "2"]
    else:
        command = [str(BIN / "gunicorn"), "vikno.wsgi:application", "-b", f"127.0.0.1:{port}"]
        command += ["-k", "gthread", "--threads", "4", "-w", "1", "--graceful-timeout", "2"]
    # A session of its own, so the server and its workers can be stopped together.
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{kind} server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"{kind} server on port {port} did not start")


@pytest.fixture
def servers(transactional_db, request):
    started = []

    def start(kind: str) -> str:
        port = _free_port()
        started.append(_start(kind, port))
        return f"http://127.0.0.1:{port}"

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # a worker left behind by its master


def _csrf(client: httpx.Client, path: str) -> str:
    client.get(path)
    return client.cookies["csrftoken"]


def _log_in(client: httpx.Client, user) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    token = _csrf(client, "/accounts/login/")
    client.post(
        "/accounts/login/", data={"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    token = _csrf(client, "/accounts/verify/")  # the login rotates the CSRF secret
    response = client.post("/accounts/verify/", data={"token": totp_now(device), "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.text[:300]


class SseReader:
    """Reads an event stream in a thread and hands over its frames."""

    def __init__(self, url: str):
        self.frames: queue.Queue = queue.Queue()
        self._client = httpx.Client(timeout=httpx.Timeout(5, read=30))
        self._thread = threading.Thread(target=self._run, args=(url,), daemon=True)
        self._thread.start()

    def _run(self, url: str) -> None:
        try:
            with self._client.stream("GET", url, headers={"Accept": "text/event-stream"}) as response:
                self.frames.put({"status": response.status_code, "type": response.headers.get("content-type")})
                lines: dict = {}
                for line in response.iter_lines():
                    if line == "":
                        if lines:
                            self.frames.put(lines)
                        lines = {}
                    elif not line.startswith(":"):
                        name, _sep, value = line.partition(": ")
                        lines[name] = value
        except Exception:  # the test closes the client: the stream ends
            return

    def next_event(self, event: str, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = self.frames.get(timeout=left)
            except queue.Empty:
                break
            if frame.get("event") == event:
                return frame
        raise AssertionError(f"no {event!r} event within {timeout} s")

    def close(self) -> None:
        self._client.close()


def _kinds():
    kinds = ["wsgi"]
    if importlib.util.find_spec("uvicorn") is not None:
        kinds.append("asgi")
    return kinds


@pytest.mark.parametrize("b_kind", _kinds())
def test_a_call_made_in_process_a_reaches_the_display_of_process_b(world, servers, b_kind):
    q = queue_world(world)
    a_url, b_url = servers("wsgi"), servers(b_kind)

    display = SseReader(f"{b_url}/queue/display/{q.office.pk}/events")
    try:
        head = display.frames.get(timeout=10)
        assert head == {"status": 200, "type": "text/event-stream; charset=utf-8"}
        display.next_event("state")  # B listens from here on

        with httpx.Client(base_url=a_url, timeout=10) as kiosk:
            token = _csrf(kiosk, f"/queue/kiosk/{q.office.pk}/")
            taken = kiosk.post(
                f"/queue/kiosk/{q.office.pk}/",
                data={"queue": q.registration.pk, "priority": "", "csrfmiddlewaretoken": token},
            )
        assert taken.status_code == 302, taken.text[:500]
        ticket = Ticket.objects.get()
        assert ticket.code in display.next_event("ticket")["data"]

        with httpx.Client(base_url=a_url, timeout=10) as operator:
            _log_in(operator, world.admin_a)
            action = f"/queue/console/{q.window.pk}/action/"
            token = _csrf(operator, f"/queue/console/{q.window.pk}/")
            assert operator.post(action, data={"action": "open", "csrfmiddlewaretoken": token}).status_code == 302
            sent = time.monotonic()
            assert operator.post(action, data={"action": "call", "csrfmiddlewaretoken": token}).status_code == 302

        call = display.next_event("call", timeout=5)
        assert time.monotonic() - sent < 5
        assert re.search(rf'"ticket":"{ticket.code}".*"workplace":"Вікно 5"', call["data"]), call
    finally:
        display.close()
