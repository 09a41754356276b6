"""Daily roll-ups that the reports read instead of scanning cases.

``DailyRollup`` holds one figure per (center, office, local day, sphere, metric); ``vikno/reports/rollup.py``
recomputes a center-day from the source tables and documents every metric. ``RollupDirty`` lists the
center-days whose sources changed since their last recomputation.
"""

from __future__ import annotations

from django.db import models

from vikno.core.scoping import ScopedManager


class DailyRollup(models.Model):
    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.CASCADE, related_name="+")
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


class RollupDirty(models.Model):
    """A center-day to recompute (written after a source row commits, removed when recomputed)."""

    center_id = models.BigIntegerField()
    day = models.DateField()
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["center_id", "day"], name="rollup_dirty_key")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.day}"
