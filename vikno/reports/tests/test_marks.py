"""The dirty marks a change writes: which center-days, in one statement, and none for a change the roll-ups
do not read."""

from __future__ import annotations

import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from vikno.cases.models import Case, Status
from vikno.reports import rollup
from vikno.reports.models import RollupDirty
from vikno.reports.receivers import ROLLUP_FIELDS

from .factories import case, kyiv, version


def _marks() -> set[tuple[int, date]]:
    return set(RollupDirty.objects.values_list("center_id", "day"))


def test_an_update_marks_the_stored_days_and_the_new_ones_in_one_statement(world):
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 3, 2, 9), status=Status.ISSUED,
             closed_at=kyiv(2026, 3, 10, 12))  # fmt: skip
    RollupDirty.objects.all().delete()
    c = Case.objects.get(pk=c.pk)
    c.status, c.closed_at, c.result_ready_at = Status.RESULT_READY, None, kyiv(2026, 3, 11, 0, 30)
    with CaptureQueriesContext(connection) as queries:
        c.save(update_fields=["status", "closed_at", "result_ready_at"])
    center = world.center_a.pk
    # the day it left (10 March), the filing day and the new decision day (local time)
    assert _marks() == {(center, date(2026, 3, 2)), (center, date(2026, 3, 10)), (center, date(2026, 3, 11))}
    marks = [q for q in queries.captured_queries if "reports_rollupdirty" in q["sql"]]
    assert len(marks) == 1 and len(queries.captured_queries) == 2  # the mark and the UPDATE


def test_a_stamp_the_rollups_do_not_read_marks_nothing(world):
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 3, 2, 9))
    RollupDirty.objects.all().delete()
    c.escalated_at = kyiv(2026, 3, 20, 8)
    c.save(update_fields=["escalated_at"])
    assert _marks() == set()
    c.status = Status.WITHDRAWN
    c.save()  # a full save: marked
    assert _marks() == {(world.center_a.pk, date(2026, 3, 2))}


def test_a_delete_marks_the_deleted_rows_days(world):
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 4, 1, 9))
    RollupDirty.objects.all().delete()
    c.delete()
    assert _marks() == {(world.center_a.pk, date(2026, 4, 1))}


def test_rollup_fields_cover_every_case_column_the_rollups_read():
    read = set()
    for statement in (rollup._sql(), rollup._timing_sql()):
        read |= set(re.findall(r"\bc\.(\w+)", statement))
    listed = {Case._meta.get_field(name).column for name in ROLLUP_FIELDS[Case]} | {"id"}
    assert read - listed == set(), "add these Case fields to receivers.ROLLUP_FIELDS"


def _sweep_statements() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        rebuilt = rollup.refresh_dirty()
    return rebuilt, len(queries.captured_queries)


def test_the_sweep_takes_the_same_statements_for_two_center_days_or_ten(world):
    ver = version()
    for day in (2, 3):
        case(world.center_a, world.office_a, ver, kyiv(2026, 3, day, 9))
    two = _sweep_statements()
    for day in range(4, 14):
        case(world.center_a, world.office_a, ver, kyiv(2026, 3, day, 9))
    ten = _sweep_statements()
    assert two[0] == 2 and ten[0] == 10
    assert two[1] == ten[1]
