"""Charts of the center report, drawn by this module: SVG for the page, the same drawing in the PDF.

A chart is first laid out as a list of plain shapes (rectangles, lines, polygons, text) in a coordinate
space of pixels; ``to_svg`` writes them as SVG markup and ``draw_pdf`` paints them with fpdf2's own
drawing operations, scaled to millimetres, so the page and the PDF show the same picture.

Accessibility: the SVG has ``role="img"`` with a ``<title>`` and a ``<desc>`` that states the figures in
words; every column and point has its own ``<title>`` (a tooltip); the page prints the same figures as a
table. Series differ by colour *and* by marker shape or dash pattern, so they can be told apart without
colour. Text and axes use ``currentColor``, and the classes let reports.css switch to system colours in
forced-colours (high-contrast) mode. Only presentation attributes are used: the CSP forbids inline styles.

Numbers (axis ticks, values, tooltips, the description) are written as the active language writes them,
like the ``num`` filter of the page: «1 250» and «12,5» in Ukrainian, «1,250» and «12.5» in English. The
PDF's charts are drawn in Ukrainian, as the rest of that file.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from .numbers import localized

FONT_SIZE = 12
CHAR_WIDTH = 7.0  # average advance of DejaVu Sans at 12 px, for the layout
INK = "currentColor"
GRID = "#767676"  # 4.5:1 on white
# Colour, marker and dash of each series: all colours at least 5:1 on white.
STYLES = (
    ("#0b4f9c", "square", ()),
    ("#b34700", "diamond", (6, 3)),
    ("#1e6b2f", "triangle", (2, 3)),
    ("#7b2d8e", "triangle-down", (9, 3)),
)
BAR_COLOUR = "#0b4f9c"
COLUMN_LIMIT = 12  # up to this many periods: grouped columns; more: lines with markers


@dataclass
class Shape:
    kind: str  # rect | line | polyline | polygon | text
    points: list[tuple[float, float]]
    cls: str = ""
    fill: str | None = None
    stroke: str | None = None
    width: float = 1.0
    dash: tuple = ()
    text: str = ""
    anchor: str = "start"  # start | middle | end
    size: float = FONT_SIZE
    bold: bool = False
    title: str = ""


@dataclass
class Chart:
    ident: str
    width: float
    height: float
    title: str
    desc: str
    shapes: list[Shape] = field(default_factory=list)

    def add(self, *shapes: Shape) -> None:
        self.shapes.extend(shapes)


# --- scales ----------------------------------------------------------------------------------


def nice_ticks(maximum: Decimal | float, count: int = 5) -> list[float]:
    """Round ticks from 0 to at least ``maximum``: steps of 1, 2 or 5 times a power of ten (whole
    numbers for counts, so never a step below 1)."""
    top = float(maximum or 0)
    if top <= 0:
        return [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def number(value) -> str:
    """As the page prints it in the active language: whole numbers without decimals, the locale's
    decimal and thousands separators."""
    return str(localized(value))


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    return len(text) * CHAR_WIDTH * size / FONT_SIZE


def _fit(text: str, width: float, size: float = FONT_SIZE) -> str:
    """Cut ``text`` with an ellipsis so that it fits ``width``."""
    room = int(width / (CHAR_WIDTH * size / FONT_SIZE))
    return text if len(text) <= room else text[: max(room - 1, 1)].rstrip() + "…"


def _marker(kind: str, x: float, y: float, r: float) -> list[tuple[float, float]]:
    if kind == "square":
        return [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    if kind == "diamond":
        r *= 1.3
        return [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    if kind == "triangle":
        r *= 1.25
        return [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    r *= 1.25
    return [(x - r, y - r * 0.8), (x + r, y - r * 0.8), (x, y + r)]


def _legend(chart: Chart, items: list[tuple[str, int]], lines: bool, top: float, left: float, right: float) -> float:
    """Legend entries left to right, wrapping; returns the y below the legend."""
    x, y, row = left, top, 22
    for label, index in items:
        colour, marker, dash = STYLES[index % len(STYLES)]
        need = 40 + _text_width(label)
        if x > left and x + need > right:
            x, y = left, y + row
        cy = y + 8
        cls = f"legend s{index}"
        if lines:
            chart.add(Shape("line", [(x, cy), (x + 26, cy)], cls=cls, stroke=colour, width=2.5, dash=dash))
            chart.add(Shape("polygon", _marker(marker, x + 13, cy, 4), cls=f"marker s{index}", fill=colour))
        else:
            chart.add(
                Shape("rect", [(x + 6, cy - 7), (x + 20, cy + 7)], cls=f"swatch s{index}", fill=colour, stroke=INK)
            )
        chart.add(Shape("text", [(x + 32, cy + 4)], cls="label", fill=INK, text=label))
        x += need + 12
    return y + row


def _empty_note(chart: Chart, x: float, y: float, text: str) -> None:
    chart.add(Shape("text", [(x, y)], cls="label", fill=INK, text=text, anchor="middle", bold=True))


# --- the charts ------------------------------------------------------------------------------


def time_series_chart(
    ident: str,
    title: str,
    periods: list,
    series: list,
    *,
    empty_text: str,
    width: float = 720,
    height: float = 330,
) -> Chart:
    """Columns grouped by period (lines with markers for more than ``COLUMN_LIMIT`` periods).

    ``periods`` have a ``label``; ``series`` have ``key``, ``label`` and ``values`` (one per period)."""
    lines = len(periods) > COLUMN_LIMIT
    words = "; ".join(
        f"{s.label}: " + ", ".join(f"{p.label} — {number(v)}" for p, v in zip(periods, s.values, strict=True))
        for s in series
    )
    chart = Chart(ident, width, height, title, words or empty_text)
    left, right = 60.0, width - 16
    plot_top = _legend(chart, [(s.label, i) for i, s in enumerate(series)], lines, 4, left, right) + 10
    bottom = height - 30
    top_value = max((v for s in series for v in s.values), default=Decimal(0))
    ticks = nice_ticks(top_value)
    scale = (bottom - plot_top) / ticks[-1]

    def y_of(value) -> float:
        return bottom - float(value) * scale

    for tick in ticks:
        y = y_of(tick)
        chart.add(
            Shape("line", [(left, y), (right, y)], cls="grid", stroke=GRID, width=0.6, dash=(2, 3) if tick else ())
        )
        chart.add(Shape("text", [(left - 6, y + 4)], cls="label", fill=INK, text=number(tick), anchor="end"))
    chart.add(Shape("line", [(left, plot_top - 4), (left, bottom)], cls="axis", stroke=INK, width=1))
    chart.add(Shape("line", [(left, bottom), (right, bottom)], cls="axis", stroke=INK, width=1))

    count = max(len(periods), 1)
    band = (right - left) / count
    every = max(1, math.ceil(count / max(1, int((right - left) // 56))))
    for i, period in enumerate(periods):
        centre = left + band * (i + 0.5)
        if i % every == 0:
            chart.add(Shape("text", [(centre, bottom + 18)], cls="label", fill=INK, text=period.label, anchor="middle"))
            chart.add(Shape("line", [(centre, bottom), (centre, bottom + 4)], cls="axis", stroke=INK, width=1))

    if lines:
        for index, s in enumerate(series):
            colour, marker, dash = STYLES[index % len(STYLES)]
            points = [(left + band * (i + 0.5), y_of(v)) for i, v in enumerate(s.values)]
            chart.add(Shape("polyline", points, cls=f"line s{index}", stroke=colour, width=2, dash=dash))
            for (x, y), period, value in zip(points, periods, s.values, strict=True):
                chart.add(
                    Shape(
                        "polygon",
                        _marker(marker, x, y, 3),
                        cls=f"point marker s{index}",
                        fill=colour,
                        title=f"{s.label}, {period.label}: {number(value)}",
                    )
                )
    else:
        group = band * 0.8
        bar = group / max(len(series), 1)
        for i, period in enumerate(periods):
            x0 = left + band * i + (band - group) / 2
            for index, s in enumerate(series):
                colour = STYLES[index % len(STYLES)][0]
                value = s.values[i]
                y = y_of(value)
                chart.add(
                    Shape(
                        "rect",
                        [(x0 + bar * index + 0.5, y), (x0 + bar * (index + 1) - 0.5, bottom)],
                        cls=f"bar s{index}",
                        fill=colour,
                        title=f"{s.label}, {period.label}: {number(value)}",
                    )
                )
    if not any(v for s in series for v in s.values):
        _empty_note(chart, (left + right) / 2, (plot_top + bottom) / 2, empty_text)
    return chart


def sphere_chart(
    ident: str, title: str, rows: list[tuple[str, Decimal]], *, empty_text: str, width: float = 720
) -> Chart:
    """Horizontal bars, one per sphere, with the value at the end of each bar."""
    row_height, top, axis = 26.0, 6.0, 30.0
    height = top + max(len(rows), 1) * row_height + axis
    words = "; ".join(f"{name} — {number(value)}" for name, value in rows)
    chart = Chart(ident, width, height, title, words or empty_text)
    longest = max((_text_width(name) for name, _ in rows), default=0)
    label_width = min(max(longest, 80), width * 0.42)
    left, right = label_width + 12, width - 56
    bottom = height - axis
    ticks = nice_ticks(max((v for _, v in rows), default=Decimal(0)))
    scale = (right - left) / ticks[-1]
    for tick in ticks:
        x = left + tick * scale
        chart.add(
            Shape("line", [(x, top), (x, bottom)], cls="grid", stroke=GRID, width=0.6, dash=(2, 3) if tick else ())
        )
        chart.add(Shape("text", [(x, bottom + 18)], cls="label", fill=INK, text=number(tick), anchor="middle"))
    chart.add(Shape("line", [(left, top), (left, bottom)], cls="axis", stroke=INK, width=1))
    chart.add(Shape("line", [(left, bottom), (right, bottom)], cls="axis", stroke=INK, width=1))
    for i, (name, value) in enumerate(rows):
        y = top + i * row_height
        middle = y + row_height / 2
        chart.add(
            Shape("text", [(left - 8, middle + 4)], cls="label", fill=INK, text=_fit(name, label_width), anchor="end")
        )
        end = left + float(value) * scale
        chart.add(
            Shape(
                "rect",
                [(left, middle - 8), (max(end, left + 0.5), middle + 8)],
                cls="bar s0",
                fill=BAR_COLOUR,
                title=f"{name}: {number(value)}",
            )
        )
        chart.add(Shape("text", [(end + 6, middle + 4)], cls="label value", fill=INK, text=number(value)))
    if not rows:
        _empty_note(chart, (left + right) / 2, top + row_height / 2 + 4, empty_text)
    return chart


# --- SVG ---------------------------------------------------------------------------------------


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _attrs(shape: Shape) -> str:
    parts = []
    if shape.cls:
        parts.append(f'class="{html.escape(shape.cls)}"')
    parts.append(f'fill="{shape.fill}"' if shape.fill else 'fill="none"')
    if shape.stroke:
        parts.append(f'stroke="{shape.stroke}" stroke-width="{_f(shape.width)}"')
        if shape.dash:
            parts.append(f'stroke-dasharray="{" ".join(_f(d) for d in shape.dash)}"')
    return " ".join(parts)


def _svg_shape(shape: Shape) -> str:
    title = f"<title>{html.escape(shape.title)}</title>" if shape.title else ""
    if shape.kind == "rect":
        (x0, y0), (x1, y1) = shape.points
        geometry = f'x="{_f(x0)}" y="{_f(y0)}" width="{_f(x1 - x0)}" height="{_f(y1 - y0)}"'
        return f"<rect {geometry} {_attrs(shape)}>{title}</rect>" if title else f"<rect {geometry} {_attrs(shape)}/>"
    if shape.kind == "line":
        (x0, y0), (x1, y1) = shape.points
        return f'<line x1="{_f(x0)}" y1="{_f(y0)}" x2="{_f(x1)}" y2="{_f(y1)}" {_attrs(shape)}/>'
    if shape.kind in ("polyline", "polygon"):
        points = " ".join(f"{_f(x)},{_f(y)}" for x, y in shape.points)
        inner = f'points="{points}" {_attrs(shape)}'
        return f"<{shape.kind} {inner}>{title}</{shape.kind}>" if title else f"<{shape.kind} {inner}/>"
    (x, y), anchor = shape.points[0], shape.anchor
    extra = f' text-anchor="{anchor}"' if anchor != "start" else ""
    extra += ' font-weight="bold"' if shape.bold else ""
    extra += f' font-size="{_f(shape.size)}"' if shape.size != FONT_SIZE else ""
    cls = f' class="{html.escape(shape.cls)}"' if shape.cls else ""
    return f'<text x="{_f(x)}" y="{_f(y)}"{cls} fill="{shape.fill or INK}"{extra}>{html.escape(shape.text)}</text>'


def to_svg(chart: Chart) -> str:
    """Standalone, well-formed SVG markup that can also be placed inline in HTML."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'viewBox="0 0 {_f(chart.width)} {_f(chart.height)}" width="{_f(chart.width)}" height="{_f(chart.height)}" '
        f'aria-labelledby="{chart.ident}-title {chart.ident}-desc" '
        f'font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="{FONT_SIZE}">'
        f'<title id="{chart.ident}-title">{html.escape(chart.title)}</title>'
        f'<desc id="{chart.ident}-desc">{html.escape(chart.desc)}</desc>'
    )
    return head + "".join(_svg_shape(shape) for shape in chart.shapes) + "</svg>"


# --- PDF ---------------------------------------------------------------------------------------


def _rgb(colour: str | None) -> tuple[int, int, int]:
    if not colour or not colour.startswith("#"):
        return (0, 0, 0)  # currentColor: black on paper
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def draw_pdf(pdf, chart: Chart, x: float, y: float, width: float, *, font: str) -> float:
    """Paint ``chart`` at (x, y) millimetres, ``width`` mm wide; returns the height used in mm."""
    k = width / chart.width

    def at(point):
        return x + point[0] * k, y + point[1] * k

    with pdf.local_context():
        for shape in chart.shapes:
            pdf.set_line_width(max(shape.width * k, 0.1))
            if shape.dash:
                pdf.set_dash_pattern(*(d * k for d in shape.dash[:2]))
            else:
                pdf.set_dash_pattern()
            if shape.stroke:
                pdf.set_draw_color(*_rgb(shape.stroke))
            if shape.fill:
                pdf.set_fill_color(*_rgb(shape.fill))
            style = ("F" if shape.fill else "") + ("D" if shape.stroke else "")
            if shape.kind == "rect":
                (x0, y0), (x1, y1) = (at(p) for p in shape.points)
                if y1 - y0 > 0.01 and x1 - x0 > 0.01:
                    pdf.rect(x0, y0, x1 - x0, y1 - y0, style=style or "F")
            elif shape.kind == "line":
                (x0, y0), (x1, y1) = (at(p) for p in shape.points)
                pdf.line(x0, y0, x1, y1)
            elif shape.kind == "polyline":
                pdf.polyline([at(p) for p in shape.points], style="D")
            elif shape.kind == "polygon":
                pdf.polygon([at(p) for p in shape.points], style=style or "F")
            else:
                size_pt = shape.size * k * 72 / 25.4
                pdf.set_font(font, "B" if shape.bold else "", size_pt)
                pdf.set_text_color(*_rgb(shape.fill))
                tx, ty = at(shape.points[0])
                text_width = pdf.get_string_width(shape.text)
                if shape.anchor == "middle":
                    tx -= text_width / 2
                elif shape.anchor == "end":
                    tx -= text_width
                pdf.text(tx, ty, shape.text)
        pdf.set_dash_pattern()
    return chart.height * k


# --- the two charts of the center report -----------------------------------------------------


def center_charts(cs, *, ukrainian: bool = False) -> tuple[Chart, Chart]:
    """The time-series chart and the by-sphere chart of a ``series.CenterSeries``; the titles in the
    active language, or in Ukrainian (``ukrainian``, for the PDF)."""
    if ukrainian:
        with translation.override("uk"):
            return _center_charts(cs, ukrainian=True)
    return _center_charts(cs, ukrainian=False)


def _center_charts(cs, *, ukrainian: bool) -> tuple[Chart, Chart]:
    from django.utils.translation import gettext as _

    monthly = cs.granularity == "month"
    if ukrainian:
        title = "Заяви, результати, консультації та відвідувачі " + ("за місяцями" if monthly else "за днями")
        sphere_title, empty = "Зареєстровано заяв за сферами", "Немає даних за період"
    else:
        title = (
            _("Applications, results, consultations and visitors by month")
            if monthly
            else _("Applications, results, consultations and visitors by day")
        )
        sphere_title, empty = _("Applications registered by sphere"), _("No data for this period.")
    period_chart = time_series_chart("chart-series", title, cs.periods, cs.chart_series, empty_text=empty)
    rows = [(row.name, row.registered) for row in cs.spheres if row.registered]
    return period_chart, sphere_chart("chart-spheres", sphere_title, rows, empty_text=empty)
