"""Queue operations (owner: queue-core). Contract used by the kiosk, console, display, booking and KPIs:

- configuration: ``create_queue(office, *, name, prefix, color, services=(), actor, **fields)``,
  ``create_workplace(office, *, name, queues: list[Queue] (in profile order), actor)``
- ``issue_ticket(queue, *, source="kiosk", priority="", service=None, language="uk", actor=None,
  order_at=None) -> Ticket``: number per queue per day, never duplicated under concurrency.
- ``position_of(ticket) -> (people_ahead, estimated_wait_minutes)``
- console: ``open_session(workplace, user)``, ``close_session(...)``, ``call_next(workplace, user) -> Ticket | None``
  (rule: priority category first, then tickets due by booked time, then the longest wait; one ticket is never
  called by two windows), ``recall``, ``mark_no_show`` (automatically after ``QUEUE_MAX_CALLS`` calls),
  ``start_service``, ``finish_service``, ``transfer(ticket, *, to_queue=None, to_workplace=None)``, ``park``,
  ``return_parked``; ``link_case(ticket, case)``.
- every change writes a ``VisitEvent`` and, after commit, ``pg_notify('vikno_queue', json)`` for live screens
  (``vikno/queue/live.py``).
"""
