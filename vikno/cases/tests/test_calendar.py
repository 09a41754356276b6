"""The Ukrainian working-day calendar under martial-law and peacetime rules."""

from datetime import date

import pytest

from vikno.cases.deadlines import Period, WorkCalendar, calendar

PEACE = WorkCalendar()
WAR = WorkCalendar([Period(date(2022, 2, 24))])


def test_under_martial_law_holidays_are_working_days():
    # 24.08.2023 Independence Day was a Thursday; 01.01.2025 New Year a Wednesday.
    assert WAR.is_working_day(date(2023, 8, 24))
    assert WAR.is_working_day(date(2025, 1, 1))
    assert WAR.days_off(2025) == {}


def test_peacetime_holidays_are_days_off():
    assert not PEACE.is_working_day(date(2023, 8, 24))
    assert not PEACE.is_working_day(date(2025, 1, 1))
    assert not PEACE.is_working_day(date(2025, 12, 25))
    assert PEACE.is_working_day(date(2025, 12, 26))


def test_weekend_holiday_moves_the_day_off_to_monday():
    # 24.08.2025 is a Sunday: Monday 25.08 is off (Labour Code art. 67).
    assert not PEACE.is_working_day(date(2025, 8, 25))
    assert WAR.is_working_day(date(2025, 8, 25))


def test_two_weekend_holidays_in_a_row_move_to_monday_and_tuesday():
    # 2021: Labour Day on Saturday 01.05 and Easter on Sunday 02.05 -> 03.05 and 04.05 off.
    assert not PEACE.is_working_day(date(2021, 5, 3))
    assert not PEACE.is_working_day(date(2021, 5, 4))
    assert PEACE.is_working_day(date(2021, 5, 5))


def test_cabinet_day_swaps_are_not_statutory():
    # 08.01.2021 was a recommended day off (worked off on Saturday 16.01): not a statutory day off.
    assert PEACE.is_working_day(date(2021, 1, 8))


def test_period_end_restores_peacetime_rules():
    cal = WorkCalendar([Period(date(2022, 2, 24), date(2025, 6, 30))])
    assert cal.is_working_day(date(2025, 1, 1))
    assert not cal.is_working_day(date(2025, 8, 25))


def test_martial_law_period_starts_on_its_first_day():
    # 2022: 07.01 (Christmas, old style) was a day off before martial law; 08.03 fell inside it.
    assert not WAR.is_working_day(date(2022, 1, 7))
    assert WAR.is_working_day(date(2022, 3, 8))
    assert not PEACE.is_working_day(date(2022, 3, 8))


def test_add_working_days_skips_weekends():
    assert WAR.add_working_days(date(2025, 8, 22), 1) == date(2025, 8, 25)
    assert WAR.add_working_days(date(2025, 8, 23), 0) == date(2025, 8, 25)
    assert WAR.add_working_days(date(2025, 8, 25), 0) == date(2025, 8, 25)
    assert WAR.working_days_between(date(2025, 8, 22), date(2025, 8, 29)) == 5
    assert PEACE.working_days_between(date(2025, 8, 22), date(2025, 8, 29)) == 4
    with pytest.raises(ValueError):
        WAR.add_working_days(date(2025, 8, 22), -1)


def test_calendar_follows_the_settings(settings):
    settings.MARTIAL_LAW_FROM = "2022-02-24"
    settings.MARTIAL_LAW_UNTIL = ""
    assert calendar().is_working_day(date(2025, 8, 25))
    settings.MARTIAL_LAW_UNTIL = "2025-06-30"
    assert not calendar().is_working_day(date(2025, 8, 25))
    settings.MARTIAL_LAW_FROM = ""
    assert not calendar().is_working_day(date(2023, 8, 24))


def test_bad_settings_are_reported(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.MARTIAL_LAW_FROM = "24.02.2022"
    with pytest.raises(ImproperlyConfigured):
        calendar()
    settings.MARTIAL_LAW_FROM = "2022-02-24"
    settings.MARTIAL_LAW_UNTIL = "2021-01-01"
    with pytest.raises(ImproperlyConfigured):
        calendar()
