"""Suspending, resuming and extending a case's term move its due time and its open tasks."""

from datetime import date

import pytest

from vikno.cases import deadlines
from vikno.cases.deadlines import Period, WorkCalendar
from vikno.cases.models import Case, CaseTask
from vikno.cases.tests.deadline_factories import kyiv, make_case
from vikno.core.errors import DomainError

WAR = WorkCalendar([Period(date(2022, 2, 24))])
PEACE = WorkCalendar()
DUE = kyiv(2025, 9, 5, 23, 59, 59)


@pytest.fixture
def case(world):
    case = make_case(world, due_at=DUE)
    for position, state, due in [
        (1, CaseTask.State.DONE, kyiv(2025, 8, 25, 23, 59, 59)),
        (2, CaseTask.State.ACTIVE, kyiv(2025, 9, 1, 23, 59, 59)),
        (3, CaseTask.State.PENDING, kyiv(2025, 9, 4, 12)),
        (4, CaseTask.State.PENDING, None),
    ]:
        CaseTask.objects.create(
            case=case,
            position=position,
            action=f"Крок {position}",
            role="provider",
            action_type="В",
            state=state,
            due_at=due,
        )
    return case


def _task_dues(case):
    return list(case.tasks.order_by("position").values_list("due_at", flat=True))


def test_resume_adds_the_working_days_suspended(case):
    deadlines.suspend(case, at=kyiv(2025, 8, 27, 11))  # Wednesday
    case.refresh_from_db()
    assert case.suspended_since == kyiv(2025, 8, 27, 11)
    deadlines.resume(case, at=kyiv(2025, 9, 2, 16), cal=WAR)  # next Tuesday: Thu, Fri, Mon, Tue lost
    case.refresh_from_db()
    assert case.suspended_since is None
    assert case.suspended_days == 4
    assert case.due_at == kyiv(2025, 9, 11, 23, 59, 59)
    assert _task_dues(case) == [
        kyiv(2025, 8, 25, 23, 59, 59),  # done: unchanged
        kyiv(2025, 9, 5, 23, 59, 59),
        kyiv(2025, 9, 10, 12),
        None,
    ]


def test_resume_counts_only_working_days(case):
    # Suspended on Friday 22.08, resumed on Monday 25.08: one working day under martial law, none in peacetime.
    deadlines.suspend(case, at=kyiv(2025, 8, 22, 17))
    deadlines.resume(case, at=kyiv(2025, 8, 25, 9), cal=PEACE)
    case.refresh_from_db()
    assert case.suspended_days == 0
    assert case.due_at == DUE
    deadlines.suspend(case, at=kyiv(2025, 8, 22, 17))
    deadlines.resume(case, at=kyiv(2025, 8, 25, 9), cal=WAR)
    case.refresh_from_db()
    assert case.suspended_days == 1
    assert case.due_at == kyiv(2025, 9, 8, 23, 59, 59)


def test_same_day_suspension_adds_nothing(case):
    deadlines.suspend(case, at=kyiv(2025, 8, 26, 9))
    deadlines.resume(case, at=kyiv(2025, 8, 26, 15), cal=WAR)
    case.refresh_from_db()
    assert (case.suspended_days, case.due_at) == (0, DUE)


def test_suspend_twice_or_resume_without_suspension_is_refused(case):
    with pytest.raises(DomainError) as error:
        deadlines.resume(case, at=kyiv(2025, 8, 26, 9), cal=WAR)
    assert error.value.code == "not_suspended"
    deadlines.suspend(case, at=kyiv(2025, 8, 26, 9))
    with pytest.raises(DomainError) as error:
        deadlines.suspend(case, at=kyiv(2025, 8, 27, 9))
    assert error.value.code == "already_suspended"
    with pytest.raises(DomainError) as error:
        deadlines.resume(case, at=kyiv(2025, 8, 25, 9), cal=WAR)
    assert error.value.code == "resume_before_suspend"


def test_extend_moves_due_time_and_open_tasks(case):
    deadlines.extend(case, working_days=5, cal=WAR)
    case.refresh_from_db()
    assert case.extended_days == 5
    assert case.due_at == kyiv(2025, 9, 12, 23, 59, 59)
    assert _task_dues(case)[1:3] == [kyiv(2025, 9, 8, 23, 59, 59), kyiv(2025, 9, 11, 12)]


def test_extend_refuses_bad_input(case, world):
    for bad in (0, -3, "5", 2.5, True):
        with pytest.raises(DomainError) as error:
            deadlines.extend(case, working_days=bad, cal=WAR)
        assert error.value.field == "working_days"
    instant = make_case(world, due_at=None)
    with pytest.raises(DomainError) as error:
        deadlines.extend(instant, working_days=2, cal=WAR)
    assert error.value.code == "no_due_time"
    assert Case.objects.get(pk=case.pk).due_at == DUE


def test_moving_the_due_time_past_now_allows_a_new_escalation(case):
    from django.utils import timezone

    Case.objects.filter(pk=case.pk).update(due_at=kyiv(2025, 1, 6, 23, 59, 59), escalated_at=kyiv(2025, 1, 7, 6))
    case.refresh_from_db()
    deadlines.extend(case, working_days=1, cal=WAR)  # still in the past: stays escalated
    case.refresh_from_db()
    assert case.escalated_at is not None
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now())
    case.refresh_from_db()
    deadlines.extend(case, working_days=3, cal=WAR)
    case.refresh_from_db()
    assert case.escalated_at is None
