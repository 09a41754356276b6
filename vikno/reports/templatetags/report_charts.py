"""``{% center_charts report %}``: the charts of a center report with their figures as tables."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from vikno.reports import charts, series

register = template.Library()


@register.inclusion_tag("reports/_charts.html")
def center_charts(report):
    cs = series.center_series(report.center, report.date_from, report.date_to)
    period_chart, sphere_chart = charts.center_charts(cs)
    return {
        "cs": cs,
        "period_chart": period_chart,
        "sphere_chart": sphere_chart,
        # Built by charts.to_svg, which escapes every text it writes.
        "period_svg": mark_safe(charts.to_svg(period_chart)),  # noqa: S308
        "sphere_svg": mark_safe(charts.to_svg(sphere_chart)),  # noqa: S308
        "chart_series": cs.chart_series,
        "rows": cs.rows(),
    }
