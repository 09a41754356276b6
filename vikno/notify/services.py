"""Notifications (owner: notify). Contract used by cases, queue and portal:

- ``enqueue(*, event, context, phone="", email="", sms_allowed=False, email_allowed=False, case_id=None,
  center_id=None, region_id=None, actor=None) -> list[Notification]``: writes outbox rows in the caller's
  transaction; delivery is deferred to the task queue after commit.
- ``resend(notification, *, actor) -> Notification``
- events: ``accepted``, ``clarification_needed``, ``result_ready``, ``refused``, ``collect_reminder`` (and more
  for the queue: ``booking_confirmed``, ``booking_reminder``).
"""
