"""Live screens (owner: queue-live): PostgreSQL LISTEN/NOTIFY → Server-Sent Events.

- ``publish(office_id, event: dict)``: called by services after commit (``pg_notify`` on channel ``vikno_queue``).
- ``stream(office_id)``: async iterator of SSE frames for the display board and consoles, fed by LISTEN on a
  dedicated async psycopg connection, so a call made through one app process reaches displays connected to
  another; keep-alive comments; ``Last-Event-ID`` resume; the page falls back to polling ``/state.json``.
"""
