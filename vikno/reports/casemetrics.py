"""The case metrics as SQL over a case row ``c``: one definition for the center-day statements of
``rollup.py`` and the per-case deltas of ``deltas.py``, so the two cannot count differently."""

from __future__ import annotations

from vikno.cases.models import DECIDED_STATUSES

from .models import DAILY_BELOW, HOURLY_BELOW

# Case metrics counted on the filing day: (metric, its value over the case row «c»).
FILING_METRICS = (
    ("cases_registered", "1"),
    ("instant", "CASE WHEN c.instant THEN 1 ELSE 0 END"),
    ("refused", "CASE WHEN c.status IN ('refused', 'refusal_issued') THEN 1 ELSE 0 END"),
    ("withdrawn", "CASE WHEN c.status = 'withdrawn' THEN 1 ELSE 0 END"),
    ("dismissed", "CASE WHEN c.status = 'dismissed' THEN 1 ELSE 0 END"),
    ("mobile_cases", "CASE WHEN c.channel = 'mobile' THEN 1 ELSE 0 END"),
    ("paid_cases", "CASE WHEN c.fee_amount > 0 THEN 1 ELSE 0 END"),
)
ISSUED = "c.status = 'issued'"  # results_issued, counted on the closing day
# Metrics kept by the cases' deltas, and the two derived from the daily rows themselves.
CASE_METRICS = (*(metric for metric, _value in FILING_METRICS), "results_issued")
DERIVED_METRICS = ("mobile_visits", "working_days")

# Service timing of the case row «c»: the decision moment, its hours since filing, on time, bucket.
DECIDED_AT = "COALESCE(c.result_ready_at, c.closed_at)"
TIMING_HOURS = f"GREATEST(EXTRACT(EPOCH FROM {DECIDED_AT} - c.filed_at) / 3600, 0)"
TIMING_ON_TIME = f"(c.due_at IS NULL OR {DECIDED_AT} <= c.due_at)"


def timing_bucket(hours: str) -> str:
    return (
        f"CASE WHEN {hours} < {HOURLY_BELOW} THEN FLOOR({hours})::int "
        f"WHEN {hours} < {DAILY_BELOW} THEN (FLOOR({hours} / 24) * 24)::int ELSE {DAILY_BELOW} END"
    )


def decided_statuses() -> str:
    return ", ".join(f"'{status}'" for status in DECIDED_STATUSES)


def filing_values() -> str:
    return ", ".join(f"('{metric}', {value})" for metric, value in FILING_METRICS)


def status_class(status: str) -> tuple[bool, ...]:
    """What the case metrics above can tell of a status: a change within one class (accepted → sent →
    in work, say) changes no figure. A test checks this against the SQL for every status."""
    return (
        status in ("refused", "refusal_issued"),
        status == "withdrawn",
        status == "dismissed",
        status == "issued",
        status in DECIDED_STATUSES,
    )
