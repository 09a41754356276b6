"""Figures as the active language writes numbers, for everything a reader sees: the report pages (the
``num`` filter) and the charts drawn for the page and the PDF (charts.py).

Ukrainian: a decimal comma and a no-break space between thousands («26 780,95»); English: «26,780.95».
A figure keeps its own decimal places (whole numbers without «,00», as in the exports); ``None`` is «—»
and text (such as «5/8» or «—») passes through. The PDFs are read, not computed with, so they write their
figures this way too (``for_reading``), in the file's language; the CSV and XLSX files keep their own
convention (machine-readable dots, numeric cells): see ``services.as_text``.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format


def localized(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, float):
        value = Decimal(str(value))
    places = 0
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        else:
            places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, force_grouping=True)


def for_reading(text: str) -> str:
    """A figure as ``services.as_text`` writes it for the files («32861.25») as the active language writes
    it («32 861,25»), for the PDFs; any other text («—», «5/8», «≤ 2 d») unchanged."""
    try:
        value = Decimal(text)
    except (ArithmeticError, TypeError, ValueError):
        return text
    return localized(value) if value.is_finite() else text
