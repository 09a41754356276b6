"""``{{ value|num }}``: a figure of a report page as the active language writes numbers (see
``vikno.reports.numbers.localized``, which the charts use too)."""

from __future__ import annotations

from django import template

from vikno.reports.numbers import localized

register = template.Library()


@register.filter
def num(value):
    return localized(value)
