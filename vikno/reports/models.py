"""Daily roll-ups that the reports read instead of scanning cases.

``DailyRollup`` holds one figure per (center, office, local day, sphere, metric); ``vikno/reports/rollup.py``
recomputes a center-day from the source tables and documents every metric. ``RollupDelta`` holds what
case changes added or took away, ``RollupDirty`` the center-days whose other sources changed, until the
sweep applies them. ``ServiceTimingRollup`` holds the
processing-time histogram of decided cases per (center, local day, service, duration bucket).

Service timing
--------------
A case counts once, on the local (Europe/Kyiv) day it was *decided*: the moment the result became ready or
the refusal was decided (``result_ready_at``; for a closed case without it, ``closed_at``). Only cases whose
status is «Результат готовий», «Видано», «Відмова» or «Видано відмову» count; withdrawn and dismissed cases
(and cases a decision was taken on and then withdrawn) never do.

- *processing time* = decided moment − ``filed_at``, calendar time, suspensions included (a negative time,
  bad data, counts as zero);
- *on time* = decided at or before ``due_at`` (the legal deadline, which suspensions and extensions have
  moved already); a case without a deadline (``due_at`` empty, e.g. an instant service) is on time.

Duration buckets, each stored by its lower bound in hours (``hours_from``):

- hourly below one day: [0, 1 h), [1 h, 2 h), … [23 h, 24 h)   → ``hours_from`` 0, 1, … 23;
- daily from one day below ninety days: [1 d, 2 d), … [89 d, 90 d)   → ``hours_from`` 24, 48, … 2136;
- one open bucket for ninety days or more   → ``hours_from`` 2160.

A percentile (median = 50th, p90 = 90th) is the nearest-rank one: of the ``n`` cases in the period, the
``ceil(p/100 × n)``-th shortest. It is reported as the *upper bound of its bucket* ("decided within"):
exact to the hour below one day, to the day below ninety days, and only "90 days or more" beyond.
"""

from __future__ import annotations

from django.db import models

from vikno.core.scoping import ScopedManager


class DailyRollup(models.Model):
    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.CASCADE, related_name="+", db_index=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.CASCADE, related_name="+", db_index=False)
    office = models.ForeignKey("orgs.Office", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    day = models.DateField(help_text="Local (Europe/Kyiv) date.")
    sphere_code = models.CharField(max_length=3, blank=True, help_text="Empty when the figure has no sphere.")
    metric = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=18, decimal_places=2)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "office", "sphere_code", "metric"],
                name="daily_rollup_key",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["region", "day"], name="daily_rollup_region_day")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.day} {self.office_id} {self.sphere_code} {self.metric}={self.value}"


# Bucket bounds in hours (see the module docstring).
HOURLY_BELOW = 24
DAILY_BELOW = 90 * 24
OPEN_BUCKET = DAILY_BELOW


def bucket_of(hours: float) -> int:
    """The ``hours_from`` of the bucket a processing time (in hours) falls into."""
    hours = max(hours, 0)
    if hours < HOURLY_BELOW:
        return int(hours)
    if hours < DAILY_BELOW:
        return int(hours // 24) * 24
    return OPEN_BUCKET


def bucket_upper(hours_from: int) -> int | None:
    """The (exclusive) upper bound in hours of a bucket; ``None`` for the open one."""
    if hours_from < HOURLY_BELOW:
        return hours_from + 1
    if hours_from < DAILY_BELOW:
        return hours_from + 24
    return None


class ServiceTimingRollup(models.Model):
    """Decided cases of a center-day and service whose processing time falls in one bucket."""

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.CASCADE, related_name="+", db_index=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField(help_text="Local (Europe/Kyiv) date the case was decided.")
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    hours_from = models.PositiveIntegerField(help_text="Lower bound of the duration bucket, in hours.")
    decided = models.PositiveIntegerField(help_text="Cases decided.")
    on_time = models.PositiveIntegerField(help_text="Of them, decided by the deadline.")

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "service", "hours_from"], name="timing_rollup_key"),
            models.CheckConstraint(condition=models.Q(on_time__lte=models.F("decided")), name="timing_on_time_le"),
        ]
        indexes = [models.Index(fields=["region", "day"], name="timing_rollup_region_day")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.day} {self.service_id} {self.hours_from}h: {self.on_time}/{self.decided}"


class RollupDirty(models.Model):
    """A center-day whose payments, consultations, tickets or ratings to recount (cases keep theirs by
    ``RollupDelta``; a ``recount_all`` mark recounts everything): an outbox row written in the same transaction as
    the change of a source row (so a committed change always has its mark, and a rolled-back one none),
    removed when recomputed. Rows are appended without a unique key — concurrent changes of one center-day never
    wait for each other on a shared row; the refresh folds duplicates."""

    center_id = models.BigIntegerField()
    day = models.DateField()
    marked_at = models.DateTimeField(auto_now=True)
    recount_all = models.BooleanField(
        db_default=False,
        help_text="Recount every metric of the day, the cases' too (marks written before the cases had deltas).",
    )

    def __str__(self) -> str:
        return f"{self.center_id} {self.day}{' (all metrics)' if self.recount_all else ''}"


class RollupDelta(models.Model):
    """What a change of a case added to (``value`` > 0) or took away from (< 0) one daily roll-up row —
    or, with ``metric`` ``_timing``, one service-timing bucket (``service_id``, ``hours_from``, ``value``
    decided, ``on_time``). Written in the transaction of the change (an outbox row: it commits or rolls
    back with the change), added to the roll-ups and removed by the sweep (``vikno/reports/deltas.py``).
    Plain columns, no foreign keys: appending one must cost as little as possible."""

    center_id = models.BigIntegerField()
    day = models.DateField()
    office_id = models.BigIntegerField(null=True)
    sphere_code = models.CharField(max_length=3, blank=True)
    metric = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=18, decimal_places=2)
    service_id = models.BigIntegerField(null=True)
    hours_from = models.IntegerField(null=True)
    on_time = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.center_id} {self.day} {self.metric} {self.value:+}"


class MonthlyRollup(models.Model):
    """The sum of a center's ``DailyRollup`` rows per calendar month and metric (offices and spheres
    added up), rebuilt with each of its days (``rollup.rebuild_months``). Dashboards over many
    centers and long periods read it through ``store.totals``: a year is 12 rows per center and metric
    instead of 365 per office, sphere and metric."""

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.CASCADE, related_name="+", db_index=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField(help_text="First day of the local (Europe/Kyiv) calendar month.")
    metric = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=18, decimal_places=2)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "month", "metric"], name="monthly_rollup_key")]
        indexes = [models.Index(fields=["region", "month"], name="monthly_rollup_region_month")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.month:%Y-%m} {self.metric}={self.value}"
