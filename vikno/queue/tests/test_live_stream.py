"""live.publish → PostgreSQL NOTIFY → live.stream / live.stream_sync: frames of the right office only,
the opening board state, keep-alive comments, and payloads kept under PostgreSQL's size limit."""

import asyncio
import json
import threading

import pytest
from django.db import connection

from vikno.queue import live


def _read_frame(text: str) -> dict:
    fields = {}
    for line in text.strip().splitlines():
        name, _sep, value = line.partition(": ")
        fields[name] = value
    return fields


@pytest.mark.django_db(transaction=True)
def test_sync_stream_starts_with_the_state_and_passes_only_its_office(world, settings):
    settings.QUEUE_SSE_KEEPALIVE_SECONDS = 0.5
    frames = live.stream_sync(world.office_a.pk, last_event_id="41")
    opening = next(frames)
    assert opening.startswith("retry: 3000\n\n")
    state = _read_frame(opening.split("\n\n", 1)[1])
    assert state["id"] == "41"  # a resumed stream keeps the client's place
    assert state["event"] == "state"
    assert json.loads(state["data"])["office_id"] == world.office_a.pk

    live.publish(world.office_b.pk, {"type": "call", "ticket": "Б-001"})
    live.publish(world.office_a.pk, {"type": "call", "ticket": "Р-001", "id": 7})
    received = next(frames)
    frame = _read_frame(received)
    assert frame == {"id": "7", "event": "call", "data": frame["data"]}
    assert json.loads(frame["data"]) == {"type": "call", "ticket": "Р-001", "id": 7, "office_id": world.office_a.pk}
    assert next(frames) == live.KEEPALIVE  # nothing else for office A, so a keep-alive comment
    frames.close()


@pytest.mark.django_db(transaction=True)
def test_async_stream_receives_a_notification_from_another_connection(world, settings):
    settings.QUEUE_SSE_KEEPALIVE_SECONDS = 5
    office_id = world.office_a.pk

    def publish_later():
        # Another thread, hence another database connection, as another process would be.
        live.publish(office_id, {"type": "ticket", "ticket": "Р-002", "status": "waiting"})
        connection.close()

    async def scenario():
        frames = live.stream(office_id)
        opening = await asyncio.wait_for(anext(frames), 10)
        assert "event: state" in opening
        worker = threading.Thread(target=publish_later)
        worker.start()
        received = await asyncio.wait_for(anext(frames), 10)
        worker.join()
        await frames.aclose()
        return received

    frame = _read_frame(asyncio.run(scenario()))
    assert frame["event"] == "ticket"
    assert json.loads(frame["data"])["ticket"] == "Р-002"


def test_payload_stays_under_the_notify_limit():
    huge = {"type": "queue", "id": 3, "waiting": {f"Q{i}": i for i in range(2000)}}
    text = live.encode(5, huge)
    assert len(text.encode()) < 8000
    assert json.loads(text) == {"office_id": 5, "type": "queue", "id": 3}


def test_unreadable_or_foreign_notifications_are_skipped():
    assert live.frame_for_notification(1, "not json") is None
    assert live.frame_for_notification(1, '{"office_id": 2, "type": "call"}') is None
    assert live.frame_for_notification(1, '{"office_id": 1, "type": "bad\\nname"}').startswith("event: changed\n")
