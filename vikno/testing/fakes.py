"""Local fake servers for tests that talk to the outside world over real sockets.

- ``FakeSmtpServer``: a small SMTP server (RFC 5321 subset: EHLO/HELO, AUTH PLAIN, MAIL, RCPT,
  DATA, RSET, NOOP, QUIT) in a thread; it keeps every message it accepts in ``messages``.
- ``FakeTurboSms``: the TurboSMS JSON HTTP API (``POST /message/send.json``), including its
  refusal of an identical message within 90 seconds (code 427).
- ``FakeGenericSmsGateway``: the generic JSON gateway (``POST /messages``) with idempotency keys.

Both SMS fakes keep what they accepted in ``received`` and can be told to misbehave for the next
requests with ``script(...)``: ``"http_500"`` (HTTP 500), ``"error"`` (the provider's own
temporary error), ``"slow"`` (accept the message, but answer only after ``slow_seconds``,
longer than the client waits), ``"reject"`` (a permanent refusal). ``stop()`` and ``start()`` simulate an
outage on the same port (connections are refused meanwhile).

Fixtures (pytest): ``smtp_server``, ``turbosms_gateway`` and ``generic_sms_gateway`` start a fake
and point the settings at it. ``run_worker_until(predicate)`` runs the procrastinate worker
in-process until ``predicate()`` holds (use with ``@pytest.mark.django_db(transaction=True)``).
"""

from __future__ import annotations

import asyncio
import base64
import email
import email.policy
import json
import socketserver
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# --- SMTP --------------------------------------------------------------------------------------


@dataclass
class CapturedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: email.message.EmailMessage = field(repr=False)

    @property
    def subject(self) -> str:
        return " ".join(str(self.message["Subject"] or "").split())

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


class _SmtpHandler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, code: int, text: str) -> None:
        self.wfile.write(f"{code} {text}\r\n".encode())

    def handle(self) -> None:
        fake: FakeSmtpServer = self.server.fake  # type: ignore[attr-defined]
        self.reply(220, "fake-smtp ESMTP ready")
        mail_from, rcpts, authed = None, [], not fake.username
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return
            verb, _, arg = line.decode("utf-8", "replace").rstrip("\r\n").partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self.wfile.write(b"250-fake-smtp\r\n250-8BITMIME\r\n250-SIZE 10485760\r\n250 AUTH PLAIN\r\n")
            elif verb == "HELO":
                self.reply(250, "fake-smtp")
            elif verb == "AUTH":
                mechanism, _, initial = arg.partition(" ")
                if mechanism.upper() != "PLAIN":
                    self.reply(504, "5.5.4 Unrecognized authentication type")
                    continue
                if not initial:
                    self.wfile.write(b"334 \r\n")
                    initial = self.rfile.readline().decode().strip()
                try:
                    _, user, password = base64.b64decode(initial).decode().split("\0")
                except (ValueError, UnicodeDecodeError):
                    self.reply(501, "5.5.2 Cannot decode credentials")
                    continue
                authed = (user, password) == (fake.username, fake.password)
                self.reply(235, "2.7.0 Authentication successful") if authed else self.reply(
                    535, "5.7.8 Authentication credentials invalid"
                )
            elif verb == "MAIL":
                if not authed:
                    self.reply(530, "5.7.0 Authentication required")
                    continue
                mail_from, rcpts = _angle(arg), []
                self.reply(250, "2.1.0 Ok")
            elif verb == "RCPT":
                if mail_from is None:
                    self.reply(503, "5.5.1 Need MAIL first")
                    continue
                address = _angle(arg)
                if address.lower() in fake.rejected_recipients:
                    self.reply(550, "5.1.1 Mailbox unavailable")
                    continue
                rcpts.append(address)
                self.reply(250, "2.1.5 Ok")
            elif verb == "DATA":
                if not rcpts:
                    self.reply(503, "5.5.1 Need RCPT first")
                    continue
                self.reply(354, "End data with <CR><LF>.<CR><LF>")
                data = self._read_data()
                failure = fake._next_failure()
                if failure:
                    self.reply(failure, "4.3.0 Try again later" if failure < 500 else "5.6.0 Rejected")
                else:
                    fake._store(mail_from or "", rcpts, data)
                    self.reply(250, f"2.0.0 Ok: queued as {uuid.uuid4().hex[:12]}")
                mail_from, rcpts = None, []
            elif verb == "RSET":
                mail_from, rcpts = None, []
                self.reply(250, "2.0.0 Ok")
            elif verb == "NOOP":
                self.reply(250, "2.0.0 Ok")
            elif verb == "QUIT":
                self.reply(221, "2.0.0 Bye")
                return
            else:
                self.reply(502, "5.5.2 Command not recognized")

    def _read_data(self) -> bytes:
        lines = []
        while True:
            line = self.rfile.readline()
            if not line or line in (b".\r\n", b".\n"):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)  # dot-unstuffing
        return b"".join(lines)


def _angle(arg: str) -> str:
    """The address of ``FROM:<a@b> SIZE=10`` or ``TO:<a@b>``."""
    value = arg.partition(":")[2].strip()
    if value.startswith("<"):
        value = value[1 : value.find(">")]
    return value.split(" ")[0]


class _TcpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    block_on_close = False


class FakeSmtpServer:
    """A real SMTP server on 127.0.0.1 that keeps the messages it accepts."""

    def __init__(self, *, username: str = "", password: str = ""):
        self.host, self.port = "127.0.0.1", 0
        self.username, self.password = username, password
        self.messages: list[CapturedMail] = []
        self.rejected_recipients: set[str] = set()
        self._failures: deque[int] = deque()
        self._lock = threading.Lock()
        self._server: _TcpServer | None = None

    def start(self) -> FakeSmtpServer:
        self._server = _TcpServer((self.host, self.port), _SmtpHandler)
        self._server.fake = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail_next(self, count: int = 1, *, code: int = 451) -> None:
        """Answer the next ``count`` DATA commands with ``code`` (4xx: temporary, 5xx: permanent)."""
        with self._lock:
            self._failures.extend([code] * count)

    def _next_failure(self) -> int | None:
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def _store(self, mail_from: str, rcpts: list[str], data: bytes) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self._lock:
            self.messages.append(CapturedMail(mail_from, list(rcpts), data, message))

    def messages_to(self, address: str) -> list[CapturedMail]:
        with self._lock:
            return [m for m in self.messages if address in m.rcpt_tos]


# --- SMS gateways over HTTP -------------------------------------------------------------------


class _HttpServer(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True
    block_on_close = False


class _SmsHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def do_POST(self):
        fake: _FakeSmsGateway = self.server.fake  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, body = fake._handle(self.path, self.headers, raw)
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b"Internal Server Error"
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if body is not None else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the "slow" script)


class _FakeSmsGateway:
    """Common part of the SMS fakes: a threaded HTTP server, the script of misbehaviour, the log."""

    path = "/"

    def __init__(self, *, token: str = "test-token", slow_seconds: float = 1.5):  # noqa: S107
        self.host, self.port = "127.0.0.1", 0
        self.token = token
        self.slow_seconds = slow_seconds
        self.received: list[dict] = []
        self.requests = 0
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._server: _HttpServer | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> _FakeSmsGateway:
        self._server = _HttpServer((self.host, self.port), _SmsHandler)
        self._server.fake = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening: clients get "connection refused" until ``start()`` (same port)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def script(self, *actions: str) -> None:
        """Behave as told for the next requests, one action per request, then normally again."""
        with self._lock:
            self._script.extend(actions)

    def texts_to(self, phone: str) -> list[str]:
        with self._lock:
            return [m["text"] for m in self.received if m["phone"].lstrip("+") == phone.lstrip("+")]

    def _handle(self, path: str, headers, raw: bytes) -> tuple[int, dict | None]:
        with self._lock:
            self.requests += 1
            action = self._script.popleft() if self._script else "ok"
        if path.split("?")[0] != self.path:
            return 404, {"error": "not found"}
        if action == "http_500":
            return 500, None
        if headers.get("Authorization") != f"Bearer {self.token}":
            return self._unauthorised()
        try:
            payload = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._bad_body()
        answer = self._process(payload, action)
        if action == "slow":
            time.sleep(self.slow_seconds)  # the message is taken, but the answer comes too late
        return answer

    def _record(self, **message) -> None:
        with self._lock:
            self.received.append(message)

    # Implemented per protocol:
    def _unauthorised(self) -> tuple[int, dict]:
        raise NotImplementedError

    def _bad_body(self) -> tuple[int, dict]:
        raise NotImplementedError

    def _process(self, payload: dict, action: str) -> tuple[int, dict]:
        raise NotImplementedError


class FakeTurboSms(_FakeSmsGateway):
    """TurboSMS ``POST /message/send.json``; see vikno/notify/adapters/turbosms.py for the contract."""

    path = "/message/send.json"

    def __init__(self, *, duplicate_window: float = 90.0, **kwargs):
        super().__init__(**kwargs)
        self.duplicate_window = duplicate_window
        self._recent: dict[tuple[str, str], float] = {}

    def _unauthorised(self):
        return 200, {"response_code": 105, "response_status": "REQUIRED_AUTH", "response_result": None}

    def _bad_body(self):
        return 200, {"response_code": 502, "response_status": "FAILED_PARSE_BODY", "response_result": None}

    def _process(self, payload, action):
        recipients = payload.get("recipients") or []
        sms = payload.get("sms") or {}
        if action == "error":
            return 200, {"response_code": 503, "response_status": "FAILED_SMS_SEND", "response_result": None}
        if not recipients:
            return 200, {"response_code": 202, "response_status": "REQUIRED_MESSAGE_RECIPIENT", "response_result": None}
        if not sms.get("sender"):
            return 200, {"response_code": 200, "response_status": "REQUIRED_MESSAGE_SENDER", "response_result": None}
        if not sms.get("text"):
            return 200, {"response_code": 201, "response_status": "REQUIRED_MESSAGE_TEXT", "response_result": None}
        results = []
        for phone in recipients:
            phone = str(phone)
            if action == "reject" or not (phone.startswith("380") and len(phone) == 12 and phone.isdigit()):
                results.append(
                    {"phone": phone, "response_code": 305, "message_id": None, "response_status": "INVALID_PHONE"}
                )
                continue
            now = time.monotonic()
            with self._lock:
                seen = self._recent.get((phone, sms["text"]))
                duplicate = seen is not None and now - seen < self.duplicate_window
                if not duplicate:
                    self._recent[(phone, sms["text"])] = now
            if duplicate:
                results.append(
                    {
                        "phone": phone,
                        "response_code": 427,
                        "message_id": None,
                        "response_status": "NOT_ALLOWED_MESSAGE_DUPLICATE",
                    }
                )
                continue
            message_id = str(uuid.uuid4())
            self._record(phone=phone, text=sms["text"], sender=sms["sender"], message_id=message_id)
            results.append({"phone": phone, "response_code": 0, "message_id": message_id, "response_status": "OK"})
        accepted = [r for r in results if r["response_code"] == 0]
        if not accepted:
            first = results[0]
            return 200, {
                "response_code": first["response_code"],
                "response_status": first["response_status"],
                "response_result": results,
            }
        if len(accepted) == len(results):
            return 200, {
                "response_code": 800,
                "response_status": "SUCCESS_MESSAGE_ACCEPTED",
                "response_result": results,
            }
        return 200, {
            "response_code": 802,
            "response_status": "SUCCESS_MESSAGE_PARTIAL_ACCEPTED",
            "response_result": results,
        }


class FakeGenericSmsGateway(_FakeSmsGateway):
    """The generic gateway: ``POST /messages {to, text, idempotency_key}`` → ``{id, status}``."""

    path = "/messages"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._by_key: dict[str, str] = {}

    def _unauthorised(self):
        return 401, {"error": "unauthorised"}

    def _bad_body(self):
        return 400, {"error": "body is not JSON"}

    def _process(self, payload, action):
        if action == "error":
            return 503, {"error": "upstream operator unavailable"}
        if action == "reject":
            return 422, {"error": "recipient rejected"}
        to, text, key = payload.get("to"), payload.get("text"), payload.get("idempotency_key")
        if not to or not text or not key:
            return 422, {"error": "to, text and idempotency_key are required"}
        with self._lock:
            known = self._by_key.get(key)
            if known is None:
                known = self._by_key[key] = f"gen-{uuid.uuid4().hex[:16]}"
                self.received.append({"phone": to, "text": text, "key": key, "message_id": known})
                return 201, {"id": known, "status": "accepted"}
        return 200, {"id": known, "status": "accepted"}


# --- worker ------------------------------------------------------------------------------------


def run_worker_until(predicate=None, *, timeout: float = 30.0, queues: list[str] | None = None) -> None:
    """Run the procrastinate worker in this process until no job is ready and ``predicate()`` holds
    (jobs scheduled for a retry later become ready while we wait). Fails the test after ``timeout``."""
    from asgiref.sync import sync_to_async
    from django.db import connections
    from procrastinate.contrib.django import app

    # As `manage.py procrastinate worker` does: a psycopg connector of its own (Django's connection
    # hands JSON columns over undecoded).
    worker_app = app.with_connector(app.connector.get_worker_connector())
    # Tasks run in short-lived executor threads: make their Django connections close after each
    # task, so none is left open when the test database is dropped.
    db_settings = connections["default"].settings_dict
    max_age = db_settings.get("CONN_MAX_AGE")
    db_settings["CONN_MAX_AGE"] = 0
    deadline = time.monotonic() + timeout
    try:
        while True:
            worker_app.run_worker(
                wait=False,
                install_signal_handlers=False,
                listen_notify=False,
                queues=queues,
                fetch_job_polling_interval=0.05,
                abort_job_polling_interval=0.05,
            )
            if predicate is None or predicate():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker did not reach the expected state in {timeout:g} s")
            time.sleep(0.05)
    finally:
        db_settings["CONN_MAX_AGE"] = max_age
        # The periodic deferrer goes through Django's connection in asgiref's own thread: close it.
        asyncio.run(sync_to_async(connections.close_all)())


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def smtp_server(settings):
    server = FakeSmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def _point_sms_settings(settings, backend: str, server: _FakeSmsGateway) -> None:
    settings.SMS_BACKEND = backend
    settings.SMS_URL = server.url
    settings.SMS_TOKEN = server.token
    settings.SMS_SENDER = "Vikno"
    settings.SMS_TIMEOUT_SECONDS = 0.5


@pytest.fixture
def turbosms_gateway(settings):
    server = FakeTurboSms(slow_seconds=1.0).start()
    _point_sms_settings(settings, "turbosms", server)
    yield server
    server.stop()


@pytest.fixture
def generic_sms_gateway(settings):
    server = FakeGenericSmsGateway(slow_seconds=1.0).start()
    _point_sms_settings(settings, "generic", server)
    yield server
    server.stop()
