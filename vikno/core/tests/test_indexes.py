"""Tables that grow with every application, visit or day carry no index another index already
serves: each index costs every insert its upkeep (and the disk its size), so a single-column index
on the leading column of another btree index of the same table is pure cost."""

from __future__ import annotations

import pytest
from django.db import connection

# Rows per application, per visit or per center-day; tens of millions a year nationally.
GROWING_TABLES = (
    "cases_applicant",
    "cases_case",
    "cases_caseevent",
    "cases_casetask",
    "cases_casedocument",
    "cases_consultation",
    "core_auditevent",
    "notify_notification",
    "payments_payment",
    "queue_ticket",
    "queue_visitevent",
    "queue_rating",
    "queue_booking",
    "reports_dailyrollup",
    "reports_servicetimingrollup",
    "reports_monthlyrollup",
)

REDUNDANT = """
SELECT a.indrelid::regclass::text, a.indexrelid::regclass::text, b.indexrelid::regclass::text
FROM pg_index a
JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
JOIN pg_class ia ON ia.oid = a.indexrelid
JOIN pg_class ib ON ib.oid = b.indexrelid
WHERE a.indrelid::regclass::text = ANY(%s)
  AND a.indnatts = 1 AND a.indexprs IS NULL AND a.indpred IS NULL
  AND NOT a.indisunique AND NOT a.indisprimary
  AND b.indpred IS NULL AND b.indkey[0] = a.indkey[0] AND b.indclass[0] = a.indclass[0]
  AND ia.relam = ib.relam
  AND (b.indnatts > 1 OR b.indisunique OR a.indexrelid > b.indexrelid)
ORDER BY 1, 2
"""


@pytest.mark.django_db
def test_no_index_of_a_growing_table_is_served_by_another():
    with connection.cursor() as cursor:
        cursor.execute(REDUNDANT, [list(GROWING_TABLES)])
        found = [f"{table}.{index} (served by {other})" for table, index, other in cursor.fetchall()]
    assert found == []
