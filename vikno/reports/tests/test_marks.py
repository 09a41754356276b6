"""What a change writes for the roll-ups: a case its deltas, other rows their center-day marks; nothing for a
change the roll-ups do not read; the sweep in a fixed number of statements."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from vikno.cases.models import Case, Status
from vikno.payments.models import Payment
from vikno.reports import rollup
from vikno.reports.deltas import TIMING
from vikno.reports.models import DailyRollup, MonthlyRollup, RollupDelta, RollupDirty, ServiceTimingRollup
from vikno.reports.receivers import CASE_FIELDS

from .factories import case, kyiv, payment, version


def _marks() -> set[tuple[int, date]]:
    return set(RollupDirty.objects.values_list("center_id", "day"))


def _deltas() -> dict[tuple[date, str], int]:
    net = defaultdict(int)
    for day, metric, value in RollupDelta.objects.values_list("day", "metric", "value"):
        net[(day, metric)] += int(value)
    return {key: value for key, value in net.items() if value}


def test_a_case_update_writes_what_the_stored_row_counted_negated_and_what_the_new_one_counts(world):
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 3, 2, 9), status=Status.ISSUED,
             closed_at=kyiv(2026, 3, 10, 12))  # fmt: skip
    RollupDelta.objects.all().delete()
    c = Case.objects.get(pk=c.pk)
    c.status, c.closed_at, c.result_ready_at = Status.RESULT_READY, None, kyiv(2026, 3, 11, 0, 30)
    with CaptureQueriesContext(connection) as queries:
        c.save(update_fields=["status", "closed_at", "result_ready_at"])
    # the filing-day figures cancel out; the result issued on 10 March is taken back; the decision moves
    # from 10 to 11 March (local time) in the service timing
    assert _deltas() == {(date(2026, 3, 10), "results_issued"): -1, (date(2026, 3, 10), TIMING): -1,
                         (date(2026, 3, 11), TIMING): 1}  # fmt: skip
    # the prepared delta statement: EXECUTE by name, or the INSERT itself with server-side binding
    table = RollupDelta._meta.db_table
    deltas_written = [q for q in queries.captured_queries if "vikno_case_delta" in q["sql"] or table in q["sql"]]
    statements = [q for q in queries.captured_queries if not q["sql"].startswith("SET LOCAL plan_cache_mode")]
    assert len(deltas_written) == 2 and len(statements) == 3  # before, the UPDATE, after
    assert _marks() == set()


def test_a_stamp_the_rollups_do_not_read_writes_nothing(world):
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 3, 2, 9))
    RollupDelta.objects.all().delete()
    c.escalated_at = kyiv(2026, 3, 20, 8)
    c.save(update_fields=["escalated_at"])
    assert RollupDelta.objects.count() == 0
    c.status = Status.WITHDRAWN
    c.save()  # a full save writes its deltas
    assert _deltas() == {(date(2026, 3, 2), "withdrawn"): 1}


def test_a_deleted_case_takes_back_what_it_counted(world):
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 4, 1, 9))
    c.delete()
    assert _deltas() == {}
    assert RollupDelta.objects.filter(metric="cases_registered").count() == 2  # +1 and −1


def test_a_payment_update_marks_its_stored_days_and_the_new_ones_in_one_statement(world):
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 3, 2, 9))
    paid = payment(c, date(2026, 3, 2), Decimal("100.00"))
    RollupDirty.objects.all().delete()
    paid = Payment.objects.get(pk=paid.pk)
    paid.paid_on = date(2026, 3, 5)
    with CaptureQueriesContext(connection) as queries:
        paid.save()
    assert _marks() == {(world.center_a.pk, date(2026, 3, 2)), (world.center_a.pk, date(2026, 3, 5))}
    assert len([q for q in queries.captured_queries if "reports_rollupdirty" in q["sql"]]) == 1


def test_rollup_fields_cover_every_case_column_the_rollups_read():
    read = set()
    for statement in (rollup._sql(), rollup._timing_sql()):
        read |= set(re.findall(r"\bc\.(\w+)", statement))
    listed = {Case._meta.get_field(name).column for name in CASE_FIELDS} | {"id"}
    assert read - listed == set(), "add these Case fields to receivers.CASE_FIELDS"


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


def test_a_recount_of_a_day_drops_its_pending_deltas_and_gives_the_sweeps_figures(world):
    ver = version()
    c = case(world.center_a, world.office_a, ver, kyiv(2026, 3, 2, 9))
    case(world.center_a, world.office_a, ver, kyiv(2026, 3, 2, 11), status=Status.REFUSED)
    c.status, c.closed_at = Status.ISSUED, kyiv(2026, 3, 2, 15)
    c.save()
    rollup.refresh_dirty()
    swept = set(DailyRollup.objects.values_list("day", "office_id", "sphere_code", "metric", "value"))
    months = set(MonthlyRollup.objects.values_list("month", "metric", "value"))
    assert ("cases_registered" in {row[3] for row in swept}) and ("working_days" in {row[3] for row in swept})
    c.status = Status.WITHDRAWN  # a pending delta of the same day, then the recount
    c.save()
    rollup.rebuild(world.center_a.pk, date(2026, 3, 2))
    assert RollupDelta.objects.filter(day=date(2026, 3, 2)).count() == 0
    rollup.refresh_dirty()
    recounted = set(DailyRollup.objects.values_list("day", "office_id", "sphere_code", "metric", "value"))
    assert {row for row in recounted if row[3] == "withdrawn"} == {
        (date(2026, 3, 2), world.office_a.pk, ver.service.sphere.code, "withdrawn", 1)
    }
    assert recounted - {row for row in recounted if row[3] == "withdrawn"} == {
        row for row in swept if row[3] != "results_issued"
    }
    assert {
        row for row in MonthlyRollup.objects.values_list("month", "metric", "value") if row[1] == "cases_registered"
    } == {row for row in months if row[1] == "cases_registered"}


def test_deltas_on_days_whose_roll_ups_were_never_built_lead_to_a_recount_not_an_error(world):
    ver = version()
    kept = case(world.center_a, world.office_a, ver, kyiv(2026, 3, 2, 9))
    gone = case(world.center_a, world.office_a, ver, kyiv(2026, 3, 2, 10), status=Status.RESULT_READY,
                result_ready_at=kyiv(2026, 3, 4, 10))  # fmt: skip
    rollup.refresh_dirty()
    DailyRollup.objects.all().delete()  # as if the roll-ups had never been built
    ServiceTimingRollup.objects.all().delete()
    gone.delete()  # takes back a case and a timing bucket that are not there
    assert rollup.refresh_dirty() >= 1
    assert not DailyRollup.objects.filter(value__lt=0).exists()
    figures = dict(
        DailyRollup.objects.filter(day=date(2026, 3, 2), metric__in=["cases_registered", "working_days"]).values_list(
            "metric", "value"
        )
    )
    assert figures == {"cases_registered": 1, "working_days": 1}  # recounted from the one case left
    assert ServiceTimingRollup.objects.count() == 0
    assert Case.objects.filter(pk=kept.pk).exists()


def test_status_classes_tell_apart_exactly_the_statuses_the_rollup_sql_tells_apart(world):
    """A status change within one class writes no deltas, so the classes must match the SQL."""
    from vikno.reports.casemetrics import status_class
    from vikno.reports.deltas import record

    ver = version()
    counted = {}
    for status in Status.values:
        c = case(world.center_a, world.office_a, ver, kyiv(2026, 3, 2, 9), status=status,
                 closed_at=kyiv(2026, 3, 9, 12), result_ready_at=kyiv(2026, 3, 6, 12), due_at=kyiv(2026, 3, 16, 18))  # fmt: skip
        RollupDelta.objects.all().delete()
        record(c.pk, 1)
        counted[status] = sorted(RollupDelta.objects.values_list("day", "metric", "value", "hours_from", "on_time"))
    for a in Status.values:
        for b in Status.values:
            assert (status_class(a) == status_class(b)) == (counted[a] == counted[b]), (a, b)


def test_a_workflow_step_that_changes_no_figure_writes_no_deltas(world):
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 3, 2, 9))
    RollupDelta.objects.all().delete()
    c = Case.objects.get(pk=c.pk)
    c.status = Status.SENT_TO_PROVIDER
    with CaptureQueriesContext(connection) as queries:
        c.save(update_fields=["status"])
    assert len(queries.captured_queries) == 1 and RollupDelta.objects.count() == 0  # the UPDATE alone
    c.status = Status.REFUSED  # then a step that does change figures, on the same instance
    c.save(update_fields=["status"])
    assert _deltas() == {(date(2026, 3, 2), "refused"): 1}


def test_a_full_mark_recounts_the_case_figures_too(world):
    """Marks left by the code before the deltas stood for case changes: the migration makes them full."""
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 3, 2, 9))
    rollup.refresh_dirty()
    Case.objects.filter(pk=c.pk).update(status=Status.WITHDRAWN)  # no signals, no deltas
    RollupDirty.objects.create(center_id=world.center_a.pk, day=date(2026, 3, 2), recount_all=True)
    rollup.refresh_dirty()
    assert DailyRollup.objects.filter(day=date(2026, 3, 2), metric="withdrawn").values_list("value", flat=True)[0] == 1
    RollupDirty.objects.create(center_id=world.center_a.pk, day=date(2026, 3, 2))  # an ordinary mark
    assert not RollupDirty.objects.get().recount_all


def test_a_refreshed_case_compares_its_next_save_with_the_stored_values(world):
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 3, 2, 9))
    c = Case.objects.get(pk=c.pk)
    Case.objects.filter(pk=c.pk).update(status=Status.REFUSED)  # another session refuses it
    RollupDelta.objects.all().delete()
    c.refresh_from_db()
    c.status = Status.ACCEPTED  # and this one takes the refusal back: the roll-ups must see it
    c.save(update_fields=["status"])
    assert _deltas() == {(date(2026, 3, 2), "refused"): -1}


def test_loading_a_deferred_field_keeps_an_unsaved_change_visible_to_the_next_save(world):
    c = case(world.center_a, world.office_a, version(), kyiv(2026, 3, 2, 9))
    c = Case.objects.defer("access_code").get(pk=c.pk)
    RollupDelta.objects.all().delete()
    c.status = Status.REFUSED  # not saved yet
    assert c.access_code  # loads the deferred field: refresh_from_db(fields=["access_code"])
    c.save(update_fields=["status"])
    assert _deltas() == {(date(2026, 3, 2), "refused"): 1}
