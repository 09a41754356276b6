"""Staff lists: due today, due within N working days, overdue — running cases only."""

import re
from datetime import date

import pytest

from vikno.cases import deadlines
from vikno.cases.deadlines import Period, WorkCalendar
from vikno.cases.models import Case, Status
from vikno.cases.tests.deadline_factories import kyiv, make_case

WAR = WorkCalendar([Period(date(2022, 2, 24))])
NOW = kyiv(2025, 8, 22, 10)  # Friday


@pytest.fixture
def cases(world):
    made = {
        "past": make_case(world, due_at=kyiv(2025, 8, 21, 23, 59, 59)),
        "this_morning": make_case(world, due_at=kyiv(2025, 8, 22, 9)),
        "tonight": make_case(world, due_at=kyiv(2025, 8, 22, 23, 59, 59)),
        "monday": make_case(world, due_at=kyiv(2025, 8, 25, 23, 59, 59)),
        "tuesday": make_case(world, due_at=kyiv(2025, 8, 26, 23, 59, 59)),
        "wednesday": make_case(world, due_at=kyiv(2025, 8, 27, 23, 59, 59)),
        "closed": make_case(world, due_at=kyiv(2025, 8, 21, 23, 59, 59), status=Status.ISSUED),
        "ready": make_case(world, due_at=kyiv(2025, 8, 21, 23, 59, 59), status=Status.RESULT_READY),
        "suspended": make_case(world, due_at=kyiv(2025, 8, 21, 23, 59, 59), suspended_since=kyiv(2025, 8, 20, 10)),
        "no_due": make_case(world, due_at=None),
        "other_center": make_case(world, center=world.center_b, due_at=kyiv(2025, 8, 21, 23, 59, 59)),
    }
    return made


def _names(qs, cases):
    by_pk = {case.pk: name for name, case in cases.items()}
    return [by_pk[pk] for pk in qs.values_list("pk", flat=True)]


def test_overdue_lists_running_cases_past_their_due_time(cases, world):
    qs = Case.objects.visible_to(world.admin_a)
    assert _names(deadlines.overdue(qs, NOW), cases) == ["past", "this_morning"]
    assert _names(deadlines.overdue(Case.objects.all(), NOW), cases) == ["past", "other_center", "this_morning"]


def test_due_today_is_the_kyiv_day_of_now(cases, world):
    qs = Case.objects.visible_to(world.admin_a)
    assert _names(deadlines.due_today(qs, NOW), cases) == ["this_morning", "tonight"]


def test_due_within_counts_working_days_and_skips_overdue(cases, world):
    qs = Case.objects.visible_to(world.admin_a)
    assert _names(deadlines.due_within(qs, NOW, cal=WAR), cases) == ["tonight", "monday", "tuesday"]
    assert _names(deadlines.due_within(qs, NOW, working_days=0, cal=WAR), cases) == ["tonight"]


def test_lists_use_the_center_status_due_index(cases, world):
    from django.db import connection, transaction

    qs = deadlines.overdue(Case.objects.visible_to(world.admin_a), NOW)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    # PostgreSQL 18 picks the (center, status, due_at) index; 15 may prefer another index led by
    # center_id on a tiny table. Either way the list is an index scan on the center, never a full scan.
    assert "Seq Scan on cases_case" not in plan
    assert re.search(r"Index Scan using (case_center_\w+|cases_case_center_id\w*) on cases_case", plan), plan
