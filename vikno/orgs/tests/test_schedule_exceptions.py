"""Dated exceptions to the week: closed, shortened and special days, and their effect on opening hours."""

from __future__ import annotations

from datetime import date, time

import pytest

from vikno.core.audit import Actor
from vikno.core.errors import Conflict, DomainError, NotFound
from vikno.core.models import AuditEvent
from vikno.orgs import services
from vikno.orgs.models import ScheduleException

THURSDAY = date(2026, 1, 8)


@pytest.fixture
def week(world):
    services.set_weekly_hours(world.office_a, {3: [(time(8), time(20))]}, actor=Actor(user=world.head_a))


@pytest.mark.django_db
def test_closed_day_overrides_the_week(world, week):
    services.add_schedule_exception(
        world.office_a,
        date=THURSDAY,
        kind="closed",
        opens=time(8),
        closes=time(9),
        note="Свято",
        actor=Actor(user=world.admin_a),
    )
    exception = ScheduleException.objects.get(office=world.office_a)
    assert exception.opens is None and exception.closes is None
    assert services.opening_hours(world.office_a, THURSDAY) == []
    assert AuditEvent.objects.filter(action="orgs.schedule_exception_added", center_id=world.center_a.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["shortened", "special"])
def test_shortened_and_special_days_replace_the_hours(world, week, kind):
    services.add_schedule_exception(
        world.office_a, date=THURSDAY, kind=kind, opens=time(8), closes=time(13), actor=Actor(user=world.head_a)
    )
    assert services.opening_hours(world.office_a, THURSDAY) == [(time(8), time(13))]
    assert services.opening_hours(world.office_a, date(2026, 1, 15)) == [(time(8), time(20))]


@pytest.mark.django_db
def test_shortened_day_needs_both_times_in_order(world):
    actor = Actor(user=world.head_a)
    with pytest.raises(DomainError) as exc:
        services.add_schedule_exception(world.office_a, date=THURSDAY, kind="shortened", opens=time(8), actor=actor)
    assert exc.value.field == "closes" and "час закриття" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.add_schedule_exception(
            world.office_a, date=THURSDAY, kind="special", opens=time(13), closes=time(8), actor=actor
        )
    assert exc.value.field == "closes" and exc.value.message.startswith("08.01.2026: час закриття")
    assert not ScheduleException.objects.exists()


@pytest.mark.django_db
def test_unknown_kind_and_second_exception_on_the_same_day(world):
    actor = Actor(user=world.head_a)
    with pytest.raises(DomainError) as exc:
        services.add_schedule_exception(world.office_a, date=THURSDAY, kind="holiday", actor=actor)
    assert exc.value.field == "kind"
    services.add_schedule_exception(world.office_a, date=THURSDAY, kind="closed", actor=actor)
    with pytest.raises(Conflict) as exc:
        services.add_schedule_exception(world.office_a, date=THURSDAY, kind="closed", actor=actor)
    assert exc.value.status == 409 and exc.value.field == "date"


@pytest.mark.django_db
def test_removing_an_exception_restores_the_week(world, week):
    actor = Actor(user=world.admin_a)
    exception = services.add_schedule_exception(world.office_a, date=THURSDAY, kind="closed", actor=actor)
    services.remove_schedule_exception(exception, actor=actor)
    assert services.opening_hours(world.office_a, THURSDAY) == [(time(8), time(20))]


@pytest.mark.django_db
def test_administrator_of_another_center_cannot_add_an_exception(world):
    with pytest.raises(NotFound):
        services.add_schedule_exception(world.office_b, date=THURSDAY, kind="closed", actor=Actor(user=world.admin_a))
    assert not ScheduleException.objects.exists()
