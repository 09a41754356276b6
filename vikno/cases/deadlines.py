"""Legal deadlines with the Ukrainian working-day calendar (owner: deadlines). Contract:

- ``calendar() -> WorkCalendar`` (holidays from the ``holidays`` package; martial-law periods from settings,
  during which statutory holidays are working days): ``is_working_day(d)``, ``add_working_days(d, n)``
- ``compute_due(filed_at, term_value, term_unit, *, office=None) -> datetime``: the term starts the day after
  filing; a term ending on a day off moves to the next working day; hour terms count office hours.
- ``suspend(case, *, at)`` / ``resume(case, *, at)`` / ``extend(case, *, working_days)``: adjust ``due_at``.
- ``due_today(qs, now)``, ``due_within(qs, now, working_days=2)``, ``overdue(qs, now)``: querysets for staff lists.
- ``sweep(now) -> SweepReport``: escalate overdue cases to the center head, remind applicants of uncollected
  results; run daily by the task queue (vikno/cases/tasks.py).
"""
