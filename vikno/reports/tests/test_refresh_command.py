"""``manage.py refresh_rollups``: the dirty set, or a whole range after a bulk update that skips signals."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from vikno.cases.models import Case, Status
from vikno.reports.models import DailyRollup, RollupDelta, RollupDirty

from .factories import case, kyiv, version


def _figure(metric):
    return DailyRollup.objects.filter(metric=metric).values_list("value", flat=True).first()


def test_dirty_then_range(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case(world.center_a, world.office_a, version(), kyiv(2026, 5, 4, 9))
    assert RollupDelta.objects.count() == 1
    call_command("refresh_rollups")
    assert RollupDelta.objects.count() == 0 and RollupDirty.objects.count() == 0
    assert _figure("cases_registered") == 1 and _figure("refused") is None

    Case.objects.update(status=Status.REFUSED)  # no signals
    call_command("refresh_rollups", "--center", str(world.center_a.pk), "--from", "2026-05-01", "--to", "2026-05-31")
    assert _figure("refused") == 1
    assert DailyRollup.objects.filter(day=date(2026, 5, 4)).exists()


def test_range_must_be_whole(db):
    with pytest.raises(CommandError):
        call_command("refresh_rollups", "--from", "2026-05-31", "--to", "2026-05-01")
