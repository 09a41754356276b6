"""Online booking (owner: queue-booking). Contract:

- ``free_slots(office, queue, day) -> list[Slot]`` from the office schedule, the queue's service time and the
  number of workplaces open to booking, minus holds and bookings; a booking window (``QUEUE_BOOKING_DAYS``).
- ``hold(queue, starts_at, *, phone, ...) -> Booking`` (time-to-live ``QUEUE_HOLD_MINUTES``), ``confirm(booking, ...)``
  (SMS/email through notify), ``cancel(token)``, ``reschedule(token, starts_at)``; limits per phone/person;
  anti-bot without outside services; ``check_in(office, code) -> Ticket`` placed fairly at the booked time;
  ``mark_no_shows(now)``; reminders before the visit (task queue).
"""
