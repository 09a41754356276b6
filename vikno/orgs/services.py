"""Organisation network operations (owner: orgs). Contract:

- ``create_center(*, hromada, name, slug, actor, **fields) -> Center``
- ``create_office(*, center, kind, name, actor, **fields) -> Office``
- ``set_weekly_hours(office, hours: dict[int, list[tuple[time, time]]], *, actor)``
- ``add_schedule_exception(office, *, date, kind, opens=None, closes=None, note="", actor)``
- ``create_provider(*, name, edrpou, kind, region, actor, **fields) -> Provider``
- ``opening_hours(office, on_date) -> list[tuple[time, time]]`` (exceptions applied)
All validate and raise ``vikno.core.errors.DomainError`` with a Ukrainian message naming the field.
"""
