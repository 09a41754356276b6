"""Live screens (owner: queue-live): PostgreSQL LISTEN/NOTIFY → Server-Sent Events.

- ``publish(office_id, event: dict)``: called by services after commit (``pg_notify`` on channel ``vikno_queue``).
- ``stream(office_id)``: async iterator of SSE frames for the display board and consoles, fed by LISTEN on a
  dedicated async psycopg connection, so a call made through one app process reaches displays connected to
  another; keep-alive comments; ``Last-Event-ID`` resume; the page falls back to polling ``/state.json``.

How it fits together
- Every process that changes the queue sends ``NOTIFY vikno_queue, '{"office_id": 7, "type": "called", ...}'``.
  PostgreSQL hands the notification to every connection that listens on the channel, in any process.
- Each open event stream holds one listening connection of its own (not one of Django's), reads the
  notifications, keeps those of its office and writes them as SSE frames::

      id: 812
      event: called
      data: {"office_id": 7, "type": "called", "ticket": "Р-012", "workplace": "Вікно 5", ...}

- A stream starts with a ``state`` event: the whole board (``board_state``), the same JSON as
  ``/queue/display/<office>/state.json``. A browser that reconnects (EventSource does it by itself and
  sends ``Last-Event-ID``) therefore catches up with whatever it missed while it was away.
- A comment line (``: keepalive``) goes out every ``QUEUE_SSE_KEEPALIVE_SECONDS`` (15) so proxies keep the
  connection open and a vanished client is noticed; a stream ends after ``QUEUE_SSE_MAX_SECONDS`` (600) and
  the browser reconnects (``retry:`` tells it to wait 3 s), which bounds how long a worker thread is held.
- ``stream`` (async) serves ASGI servers (``uvicorn vikno.asgi:application``); ``stream_sync`` serves WSGI
  servers (gunicorn ``gthread`` workers, ``runserver``, the test live server). Django cannot stream one kind of
  iterator through the other kind of server — it collects the whole iterator first, which for an endless
  stream means never — so the view picks the matching one.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

CHANNEL = "vikno_queue"
MAX_PAYLOAD_BYTES = 7900  # PostgreSQL refuses NOTIFY payloads of 8000 bytes or more
RETRY_MS = 3000
RECENT_CALLS = 8


def keepalive_seconds() -> float:
    return float(getattr(settings, "QUEUE_SSE_KEEPALIVE_SECONDS", 15))


def max_stream_seconds() -> float:
    return float(getattr(settings, "QUEUE_SSE_MAX_SECONDS", 600))


# --- Publishing ----------------------------------------------------------------------------------


def encode(office_id: int, event: dict) -> str:
    """The NOTIFY payload: the event with its office, as compact JSON below PostgreSQL's size limit.
    An event too large to send keeps only its identity; screens then reload the board state."""
    body = {**event, "office_id": int(office_id)}
    body.setdefault("type", "changed")
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        slim = {key: body[key] for key in ("office_id", "type", "id", "ticket_id") if key in body}
        text = json.dumps(slim, separators=(",", ":"), default=str)
    return text


def publish(office_id: int, event: dict) -> None:
    """Tell every live screen of ``office_id`` about ``event`` (a dict; ``type`` names the SSE event, an ``id``
    becomes the SSE id). Call it after commit (``transaction.on_commit``); inside a transaction PostgreSQL
    holds the notification back until the commit anyway."""
    publish_many(office_id, [event])


def publish_many(office_id: int, events: list[dict]) -> None:
    """``publish`` for several events in one round trip; they arrive in this order."""
    if not events:
        return
    calls = ", ".join(["pg_notify(%s, %s)"] * len(events))
    params: list[str] = []
    for event in events:
        params += [CHANNEL, encode(office_id, event)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {calls}", params)


# --- Board state (also the polling fallback) -----------------------------------------------------


def board_state(office_id: int) -> dict:
    """What a display board shows: the latest calls (ticket → window) and how many wait in each queue."""
    from .models import Queue, Ticket

    today = timezone.localdate()
    calls = (
        Ticket.objects.filter(
            office_id=office_id,
            day=today,
            status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING],
            called_at__isnull=False,
        )
        .select_related("queue", "workplace")
        .order_by("-called_at")[:RECENT_CALLS]
    )
    from .services import waiting_by_queue

    waiting = waiting_by_queue(office_id, today)
    queues = list(Queue.objects.filter(office_id=office_id, is_active=True).order_by("position", "name"))
    for q in queues:
        q.waiting = waiting.get(q.pk, (0, None))[0]
    return {
        "office_id": int(office_id),
        "at": timezone.now().isoformat(),
        "calls": [
            {
                "ticket_id": t.pk,
                "ticket": t.code,
                "status": t.status,
                "queue_id": t.queue_id,
                "queue": t.queue.name,
                "queue_en": t.queue.name_en or t.queue.name,
                "color": t.queue.color,
                "workplace": t.workplace.name if t.workplace else "",
                "called_at": t.called_at.isoformat() if t.called_at else None,
                "call_count": t.call_count,
            }
            for t in calls
        ],
        "queues": [
            {
                "id": q.pk,
                "name": q.name,
                "name_en": q.name_en or q.name,
                "prefix": q.prefix,
                "color": q.color,
                "waiting": q.waiting,
            }
            for q in queues
        ],
    }


# --- SSE frames ----------------------------------------------------------------------------------


def frame(event: str, data: dict | str, event_id: str | int | None = None) -> str:
    """One SSE message. ``data`` is JSON on one line, so it needs a single ``data:`` line."""
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    lines = []
    if event_id not in (None, ""):
        lines.append(f"id: {event_id}")
    lines.append(f"event: {event}")
    lines.append(f"data: {text}")
    return "\n".join(lines) + "\n\n"


KEEPALIVE = ": keepalive\n\n"


def _opening(office_id: int, last_event_id: str | None) -> str:
    return f"retry: {RETRY_MS}\n\n" + frame("state", board_state(office_id), last_event_id)


def _opening_in_worker(office_id: int, last_event_id: str | None) -> str:
    """``_opening`` for the async stream, run in a pool thread whose database connection is closed at once
    (the stream lives long after its request has finished, so nobody else would close it)."""
    try:
        return _opening(office_id, last_event_id)
    finally:
        connection.close()


def frame_for_notification(office_id: int, payload: str) -> str | None:
    """The SSE frame for a notification if it belongs to ``office_id``; None otherwise (or if unreadable)."""
    try:
        event = json.loads(payload)
        if int(event.get("office_id")) != int(office_id):
            return None
    except (TypeError, ValueError, AttributeError):
        return None
    kind = str(event.get("type") or "changed")
    if not kind.replace("_", "").replace("-", "").isalnum():  # an event name must be one plain token
        kind = "changed"
    return frame(kind, payload, event.get("id"))


def conninfo() -> str:
    """A libpq connection string for the default database, from the very parameters Django connects with
    (so the embedded server's socket folder, the test database name and OPTIONS all carry over)."""
    from psycopg.conninfo import make_conninfo

    params = connections["default"].get_connection_params()
    usable = {
        key: value
        for key, value in params.items()
        if isinstance(value, str | int)
        and not isinstance(value, bool)
        and value != ""
        and key != "prepare_threshold"  # psycopg's, not libpq's
    }
    usable["application_name"] = "vikno-live"
    return make_conninfo(**usable)


# --- Streams -------------------------------------------------------------------------------------


async def stream(office_id: int, last_event_id: str | None = None) -> AsyncIterator[str]:
    """SSE frames for one office, for ASGI servers: a ``state`` event, then the office's events as they
    happen, with keep-alive comments; ends after ``QUEUE_SSE_MAX_SECONDS``."""
    import psycopg
    from asgiref.sync import sync_to_async

    dsn = await sync_to_async(conninfo)()
    aconn = await psycopg.AsyncConnection.connect(dsn, autocommit=True)
    try:
        await aconn.execute(f"LISTEN {CHANNEL}")
        # Listening first, then reading the state: nothing can fall between the two.
        yield await sync_to_async(_opening_in_worker, thread_sensitive=False)(office_id, last_event_id)
        deadline = time.monotonic() + max_stream_seconds()
        while (left := deadline - time.monotonic()) > 0:
            async for notify in aconn.notifies(timeout=min(keepalive_seconds(), left)):
                text = frame_for_notification(office_id, notify.payload)
                if text:
                    yield text
            yield KEEPALIVE
    finally:
        await aconn.close()


def stream_sync(office_id: int, last_event_id: str | None = None) -> Iterator[str]:
    """The same frames as ``stream`` for WSGI servers (one worker thread per open stream)."""
    import psycopg

    conn = psycopg.Connection.connect(conninfo(), autocommit=True)
    try:
        conn.execute(f"LISTEN {CHANNEL}")
        yield _opening(office_id, last_event_id)
        deadline = time.monotonic() + max_stream_seconds()
        while (left := deadline - time.monotonic()) > 0:
            for notify in conn.notifies(timeout=min(keepalive_seconds(), left)):
                text = frame_for_notification(office_id, notify.payload)
                if text:
                    yield text
            yield KEEPALIVE
    finally:
        conn.close()
