"""Due times of terms in working days, calendar days and office hours."""

from datetime import date, time

import pytest

from vikno.cases.deadlines import KYIV, Period, WorkCalendar, compute_due
from vikno.cases.tests.deadline_factories import kyiv
from vikno.core.errors import DomainError
from vikno.orgs.models import ScheduleException, WeeklyHours

PEACE = WorkCalendar()
WAR = WorkCalendar([Period(date(2022, 2, 24))])
FRIDAY = kyiv(2025, 8, 22, 10, 30)


def test_ten_working_days_under_martial_law():
    # The term starts on Saturday 23.08; 24.08 (Sunday) is only a holiday, Monday 25.08 is a working day.
    due = compute_due(FRIDAY, 10, "working_days", cal=WAR)
    assert due == kyiv(2025, 9, 5, 23, 59, 59)
    assert due.tzinfo == KYIV


def test_ten_working_days_under_peacetime_rules():
    # Independence Day falls on Sunday 24.08, so Monday 25.08 is off and the term ends a day later.
    assert compute_due(FRIDAY, 10, "working_days", cal=PEACE) == kyiv(2025, 9, 8, 23, 59, 59)


def test_one_working_day_filed_on_friday_is_due_monday():
    assert compute_due(FRIDAY, 1, "working_days", cal=WAR) == kyiv(2025, 8, 25, 23, 59, 59)


def test_filing_late_in_the_evening_counts_the_kyiv_day():
    # 22:30 UTC on Thursday is already Friday 01:30 in Kyiv.
    from datetime import UTC, datetime

    filed = datetime(2025, 8, 21, 22, 30, tzinfo=UTC)
    assert compute_due(filed, 1, "working_days", cal=WAR) == kyiv(2025, 8, 25, 23, 59, 59)


def test_calendar_days_ending_on_sunday_move_to_monday():
    # Wednesday 03.09.2025 + 4 days = Sunday 07.09 -> Monday 08.09.
    assert compute_due(kyiv(2025, 9, 3, 9), 4, "calendar_days", cal=WAR) == kyiv(2025, 9, 8, 23, 59, 59)


def test_calendar_days_ending_on_a_moved_day_off_move_on():
    # Friday 22.08.2025 + 3 days = Monday 25.08: a day off only under peacetime rules.
    assert compute_due(FRIDAY, 3, "calendar_days", cal=WAR) == kyiv(2025, 8, 25, 23, 59, 59)
    assert compute_due(FRIDAY, 3, "calendar_days", cal=PEACE) == kyiv(2025, 8, 26, 23, 59, 59)


def test_hours_without_an_office_count_nine_to_six_on_working_days():
    # Friday 14:00–18:00 (4 h), Monday 9 h, Tuesday 9 h, Wednesday 2 h -> Wednesday 11:00.
    filed = kyiv(2025, 8, 22, 14)
    assert compute_due(filed, 24, "hours", cal=WAR) == kyiv(2025, 8, 27, 11)
    # Under peacetime rules Monday 25.08 is off: one working day later.
    assert compute_due(filed, 24, "hours", cal=PEACE) == kyiv(2025, 8, 28, 11)


def test_hours_filed_outside_opening_hours_start_at_the_next_opening():
    assert compute_due(kyiv(2025, 8, 23, 12), 2, "hours", cal=WAR) == kyiv(2025, 8, 25, 11)


@pytest.mark.django_db
def test_hours_count_the_office_schedule_across_a_weekend(world):
    office = world.office_a
    for weekday in range(5):
        WeeklyHours.objects.create(office=office, weekday=weekday, opens=time(8), closes=time(12))
        WeeklyHours.objects.create(office=office, weekday=weekday, opens=time(13), closes=time(17))
    WeeklyHours.objects.create(office=office, weekday=5, opens=time(9), closes=time(13))
    # Friday 15:00–17:00 (2 h), Saturday 4 h, Monday 8 h, Tuesday 8 h = 22 h, Wednesday 08:00–10:00.
    assert compute_due(kyiv(2025, 8, 22, 15), 24, "hours", office=office, cal=WAR) == kyiv(2025, 8, 27, 10)


@pytest.mark.django_db
def test_hours_respect_schedule_exceptions_and_holidays(world):
    office = world.office_a
    for weekday in range(5):
        WeeklyHours.objects.create(office=office, weekday=weekday, opens=time(9), closes=time(17))
    ScheduleException.objects.create(office=office, date=date(2025, 8, 26), kind="closed")
    # Peacetime: Monday 25.08 off, Tuesday 26.08 closed by exception -> Friday 2 h, Wednesday 6 h.
    assert compute_due(kyiv(2025, 8, 22, 15), 8, "hours", office=office, cal=PEACE) == kyiv(2025, 8, 27, 15)
    # An exception on a day off opens the office that day.
    ScheduleException.objects.create(
        office=office, date=date(2025, 8, 25), kind="special", opens=time(10), closes=time(12)
    )
    assert compute_due(kyiv(2025, 8, 22, 15), 4, "hours", office=office, cal=PEACE) == kyiv(2025, 8, 25, 12)


@pytest.mark.django_db
def test_office_without_weekly_hours_uses_the_default_day(world):
    assert compute_due(kyiv(2025, 8, 22, 14), 24, "hours", office=world.office_a, cal=WAR) == kyiv(2025, 8, 27, 11)


def test_bad_terms_are_refused():
    with pytest.raises(DomainError) as error:
        compute_due(FRIDAY, 3, "weeks", cal=WAR)
    assert error.value.code == "invalid_term_unit"
    with pytest.raises(DomainError):
        compute_due(FRIDAY, -1, "working_days", cal=WAR)


def test_default_calendar_comes_from_settings(settings):
    settings.MARTIAL_LAW_FROM = ""
    assert compute_due(FRIDAY, 10, "working_days") == kyiv(2025, 9, 8, 23, 59, 59)
    settings.MARTIAL_LAW_FROM = "2022-02-24"
    assert compute_due(FRIDAY, 10, "working_days") == kyiv(2025, 9, 5, 23, 59, 59)
