"""A small hand-made data set for the series, charts, open-data and API tests (values written out).

Center A, the first quarter of 2026 (Kyiv days):

=================  =======  ========  =====
                   January  February  March
=================  =======  ========  =====
registered         2        1         1
results issued     1        0         1
refused            0        0         1
consultations      1        0         1
visitors           3        1         0
revenue, local     100      0         0
revenue, state     0        50        0
ratings            2        0         0
=================  =======  ========  =====

By sphere: REG (Реєстрація місця проживання) 2 registered, 1 issued; SOC (Соціальний захист) 2 and 1.
Outside the quarter: a case on 1 April (Kyiv time) in center A and one in January in center B.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from vikno.cases.models import Status
from vikno.reports import rollup

from .factories import case, consultation, kyiv, payment, queue, rating, ticket, version


def build(world, capture) -> None:
    a, office = world.center_a, world.office_a
    reg = version("REG", "Реєстрація місця проживання")
    soc = version("SOC", "Соціальний захист")
    with capture(execute=True):
        first = case(a, office, reg, kyiv(2026, 1, 12, 10), status=Status.ISSUED, closed_at=kyiv(2026, 1, 14, 12))
        case(a, office, reg, kyiv(2026, 1, 20, 9))
        second = case(a, office, soc, kyiv(2026, 2, 3, 9), status=Status.ISSUED, closed_at=kyiv(2026, 3, 2, 16))
        case(a, office, soc, kyiv(2026, 3, 31, 23, 30), status=Status.REFUSED)  # 31 March in Kyiv
        case(a, office, reg, kyiv(2026, 4, 1, 0, 30))  # the next quarter in Kyiv time
        case(world.center_b, world.office_b, reg, kyiv(2026, 1, 12, 10))
        payment(first, date(2026, 1, 12), Decimal("100"), budget_code="22012500")
        payment(second, date(2026, 2, 3), Decimal("50"), method="bank", budget_code="22010100")
        consultation(a, office, kyiv(2026, 1, 20, 10), reg)
        consultation(a, office, kyiv(2026, 3, 2, 10))
        q = queue(office)
        for status in ("done", "done", "done", "cancelled"):
            ticket(q, date(2026, 1, 12), status=status)
        ticket(q, date(2026, 2, 3))
        rating(office, kyiv(2026, 1, 12, 12), 5, 10)
        rating(office, kyiv(2026, 1, 12, 13), 2, 3)
    rollup.refresh_dirty()
