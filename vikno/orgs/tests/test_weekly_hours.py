"""The weekly schedule of an office: replacing a week, several intervals a day, bad intervals."""

from __future__ import annotations

from datetime import date, time

import pytest

from vikno.core.audit import Actor
from vikno.core.errors import DomainError, NotFound, PermissionDenied
from vikno.core.models import AuditEvent
from vikno.orgs import services
from vikno.orgs.models import WeeklyHours

WEEK = {
    0: [(time(8), time(17))],
    3: [(time(8), time(20))],
    4: [(time(8), time(12)), (time(13), time(16))],
}


@pytest.mark.django_db
def test_head_replaces_the_week_with_several_intervals_a_day(world):
    actor = Actor(user=world.head_a)
    services.set_weekly_hours(world.office_a, {1: [(time(9), time(10))]}, actor=actor)
    services.set_weekly_hours(world.office_a, WEEK, actor=actor)
    assert services.weekly_hours(world.office_a) == WEEK
    assert not WeeklyHours.objects.filter(office=world.office_a, weekday=1).exists()
    event = AuditEvent.objects.filter(action="orgs.weekly_hours_set").latest("id")
    assert event.center_id == world.center_a.pk and event.actor_id == world.head_a.pk
    assert event.data["after"]["Четвер"] == ["08:00–20:00"]


@pytest.mark.django_db
def test_setting_the_same_week_again_writes_nothing(world):
    actor = Actor(user=world.head_a)
    services.set_weekly_hours(world.office_a, WEEK, actor=actor)
    count = AuditEvent.objects.count()
    services.set_weekly_hours(world.office_a, WEEK, actor=actor)
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db
def test_closing_before_opening_names_the_day_and_field_and_saves_nothing(world):
    services.set_weekly_hours(world.office_a, WEEK, actor=Actor(user=world.head_a))
    bad = {**WEEK, 3: [(time(20), time(8))]}
    with pytest.raises(DomainError) as exc:
        services.set_weekly_hours(world.office_a, bad, actor=Actor(user=world.head_a))
    assert exc.value.field == "hours.3.0.closes"
    assert exc.value.message.startswith("Четвер: час закриття (08:00) має бути пізніше за час відкриття (20:00)")
    assert exc.value.status == 400
    assert services.weekly_hours(world.office_a) == WEEK


@pytest.mark.django_db
def test_equal_opening_and_closing_is_refused(world):
    with pytest.raises(DomainError) as exc:
        services.set_weekly_hours(world.office_a, {0: [(time(9), time(9))]}, actor=Actor(user=world.head_a))
    assert exc.value.code == "closes_before_opens" and "Понеділок" in exc.value.message


@pytest.mark.django_db
def test_overlapping_intervals_are_refused(world):
    week = {2: [(time(8), time(13)), (time(12), time(17))]}
    with pytest.raises(DomainError) as exc:
        services.set_weekly_hours(world.office_a, week, actor=Actor(user=world.head_a))
    assert exc.value.code == "intervals_overlap" and exc.value.field == "hours.2.1.opens"
    assert "Середа" in exc.value.message


@pytest.mark.django_db
def test_unknown_weekday_is_refused(world):
    with pytest.raises(DomainError):
        services.set_weekly_hours(world.office_a, {7: [(time(8), time(9))]}, actor=Actor(user=world.head_a))


@pytest.mark.django_db
def test_who_may_set_the_week(world):
    week = {0: [(time(8), time(9))]}
    services.set_weekly_hours(world.office_a, week, actor=Actor(user=world.sysadmin))
    with pytest.raises(PermissionDenied):
        services.set_weekly_hours(world.office_a, week, actor=Actor(user=world.admin_a))
    with pytest.raises(PermissionDenied):
        services.set_weekly_hours(world.office_a, week, actor=Actor(user=world.monitor_1))
    with pytest.raises(NotFound):
        services.set_weekly_hours(world.office_b, week, actor=Actor(user=world.head_a))
    with pytest.raises(NotFound):
        services.set_weekly_hours(world.office_a, week, actor=Actor(user=world.officer_a))
    with pytest.raises(NotFound):
        services.set_weekly_hours(world.office_a, week, actor=Actor())  # anonymous
    assert not WeeklyHours.objects.filter(office=world.office_b).exists()


@pytest.mark.django_db
def test_opening_hours_follow_the_weekday(world):
    services.set_weekly_hours(world.office_a, WEEK, actor=Actor(user=world.head_a))
    thursday, sunday = date(2026, 1, 8), date(2026, 1, 11)
    assert services.opening_hours(world.office_a, thursday) == [(time(8), time(20))]
    assert services.opening_hours(world.office_a, sunday) == []
