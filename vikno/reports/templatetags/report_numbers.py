"""``{{ value|num }}``: a figure of a report page as the active language writes numbers.

Ukrainian: a decimal comma and a no-break space between thousands («26 780,95»); English: «26,780.95».
The figure keeps its own decimal places (whole numbers without «,00», as in the exports); ``None`` is «—»
and text (such as «5/8» or «—») passes through. The exports keep their own convention (machine-readable
dots in CSV, numeric cells in XLSX): only the pages use this filter.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, float):
        value = Decimal(str(value))
    places = 0
    if isinstance(value, Decimal) and value != value.to_integral_value():
        places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, force_grouping=True)
