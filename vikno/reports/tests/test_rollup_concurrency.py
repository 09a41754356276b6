"""Real parallel connections: cases changing, sweeps and day recounts all at once leave the roll-ups equal to a
recount from the sources — no delta applied twice or lost, whatever the interleaving."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models.signals import post_save

from vikno.cases.models import Case, Status
from vikno.reports import rollup
from vikno.reports.models import DailyRollup, MonthlyRollup, RollupDelta, ServiceTimingRollup
from vikno.testing.parallel import run_together

from .factories import case, kyiv, version

DAYS = [date(2026, 3, 2) + timedelta(days=k) for k in range(4)]
STEPS = [
    (Status.SENT_TO_PROVIDER, {}),
    (Status.REFUSED, {"result_ready_at": 1}),
    (Status.RESULT_READY, {"result_ready_at": 2}),
    (Status.ISSUED, {"closed_at": 3}),
    (Status.WITHDRAWN, {"closed_at": None, "result_ready_at": None}),
]


def _state() -> tuple[set, set, set]:
    return (
        set(DailyRollup.objects.values_list("center_id", "day", "office_id", "sphere_code", "metric", "value")),
        set(
            ServiceTimingRollup.objects.values_list(
                "center_id", "day", "service_id", "hours_from", "decided", "on_time"
            )
        ),
        set(MonthlyRollup.objects.values_list("center_id", "month", "metric", "value")),
    )


@pytest.mark.django_db(transaction=True)
def test_changes_sweeps_and_recounts_at_once_agree_with_a_recount(world):
    ver = version()
    offices = [(world.center_a, world.office_a), (world.center_b, world.office_b)]
    ids = [case(*offices[k % 2], ver, kyiv(2026, 3, 2 + k % 4, 9 + k % 6)).pk for k in range(16)]
    rollup.refresh_dirty()

    def changer(mine: list[int], seed: int):
        def work():
            rnd = random.Random(seed)
            for n in range(40):
                with transaction.atomic():
                    c = Case.objects.select_for_update().get(pk=rnd.choice(mine))
                    status, stamps = STEPS[n % len(STEPS)]
                    c.status = status
                    for field, hours in stamps.items():
                        setattr(c, field, None if hours is None else c.filed_at + timedelta(hours=24 * hours))
                    c.save()
                if n % 10 == 0:
                    center, office = offices[seed % 2]
                    case(center, office, ver, kyiv(2026, 3, 2 + n % 4, 10))

        return work

    def sweeper():
        for _ in range(25):
            rollup.refresh_dirty()

    def recounter():
        rnd = random.Random(7)
        for _ in range(12):
            center = rnd.choice([world.center_a, world.center_b])
            rollup.rebuild_many([(center.pk, rnd.choice(DAYS))])

    errors = run_together([changer(ids[0::2], 1), changer(ids[1::2], 2), sweeper, recounter])
    assert errors == []
    rollup.refresh_dirty()
    assert RollupDelta.objects.count() == 0
    swept = _state()
    rollup.rebuild_range(DAYS[0], DAYS[-1] + timedelta(days=10))
    recounted = _state()
    for name, after_sweeps, after_recount in zip(("daily", "timing", "monthly"), swept, recounted, strict=True):
        assert after_sweeps == after_recount, (
            f"{name}: only after the sweeps {sorted(after_sweeps - after_recount, key=str)}; "
            f"only after the recount {sorted(after_recount - after_sweeps, key=str)}"
        )


@pytest.mark.django_db(transaction=True)
def test_a_case_saved_outside_a_transaction_commits_together_with_its_delta(world):
    """In autocommit a case's INSERT used to commit before its delta: a recount in between counted the case,
    the sweep then added the delta too (the test above failed so about once in fifty runs under load). A
    receiver that fails after the delta now takes the case with it."""
    ver = version()

    def fail_after_the_delta(sender, instance, **kwargs):
        raise RuntimeError("after the delta")

    post_save.connect(fail_after_the_delta, sender=Case, dispatch_uid="test-fail-after-the-delta")
    try:
        with pytest.raises(RuntimeError):
            case(world.center_a, world.office_a, ver, kyiv(2026, 3, 2, 9))
    finally:
        post_save.disconnect(sender=Case, dispatch_uid="test-fail-after-the-delta")
    assert not Case.objects.exists() and not RollupDelta.objects.exists()
    kept = case(world.center_a, world.office_a, ver, kyiv(2026, 3, 2, 9))
    assert RollupDelta.objects.filter(center_id=kept.center_id, metric="cases_registered").exists()
