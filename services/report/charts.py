"""The report's charts, drawn on the server as SVG with pygal (issue 16): the same picture in the page
(no JavaScript: pygal's tooltip script is switched off) and, later, in the PDF.

Pages embed a chart as an <img> of a data: URI (`data_uri`), which the Content-Security-Policy allows
(img-src 'self' data:) while it forbids inline styles; the data table beside each chart carries the same
numbers for screen readers and copying.

pygal costs about 10 ms a chart, so the SVG and its data URI are memoised per input (`_svg`: the title and
labels as rendered strings in the current locale, the values; a pure function of them, in a bounded
lru_cache): a report read again with nothing changed draws nothing.
"""

from __future__ import annotations

import base64
import math
import re
from decimal import Decimal
from functools import lru_cache

import pygal
from flask_babel import gettext
from pygal.style import Style

from services.report.figures import Breakdown, Figure, Series

FONT = 15  # px, the charts' labels and values

STYLE = Style(
    background="white", plot_background="white", foreground="#333", foreground_strong="#111",
    foreground_subtle="#888", colors=("#c8102e", "#1f6fb2", "#e0a100", "#2e8b57", "#7a4fa3"),
    font_family="'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
    title_font_size=18, label_font_size=FONT, major_label_font_size=FONT, value_font_size=FONT,
)


def _chart(kind, title: str, labels: list[str], values: list, horizontal: bool = False):
    """A one-series bar chart of `values` over `labels`, sized for a phone's width (the image scales).

    pygal underestimates the width of Chinese labels, so a horizontal chart's left margin is made up from
    the widest label; the value axis has round ticks that never overlap (`value_ticks`: whole numbers for
    counts, thousands grouped); horizontal bars run top-down in the given order."""
    title = wrap_title(str(title))
    height = max(200, 44 * len(labels) + 90) if horizontal else 300
    integers = all(isinstance(v, int) for v in values)
    if horizontal:  # the value axis runs across, right of the categories' labels
        guessed = LABEL_EM * FONT * max((len(label) for label in labels), default=0)  # pygal's own margin
        left = max(10, math.ceil(max((label_width(label) for label in labels), default=0) - guessed) + 10)
        ticks, right = value_ticks(values, WIDTH - left - SPACING - guessed, integers, True)
    else:  # the value axis runs up, between the title's lines and the bars' labels
        left = right = 10
        room = height - 2 * 10 - (title.count("\n") + 1) * (SPACING + STYLE.title_font_size) - SPACING - FONT
        ticks, right = value_ticks(values, room, integers, False)
    # values printed on vertical bars only where they fit side by side (the data table beside has them all)
    widest = max((len(grouped(v)) for v in values if v is not None), default=0)
    fits = horizontal or 9 * widest * len(values) <= WIDTH - 80
    chart = kind(js=[], style=STYLE, title=title, show_legend=False, explicit_size=False,
                 print_values=fits, disable_xml_declaration=True, margin=10, truncate_label=-1,
                 margin_left=left, margin_right=right, value_formatter=grouped, width=WIDTH, height=height)
    chart.y_labels = ticks
    if horizontal:
        labels, values = labels[::-1], values[::-1]
    chart.x_labels = labels
    chart.add(str(title), values)
    return chart


LABEL_EM = 0.6  # the width of a digit or a comma in ems, at most (pygal's own estimate of any character)
SPACING = 10  # px, pygal's spacing between a chart's parts
GAP = FONT  # px, the least room between two labels of the value axis
MOST_TICKS = 8  # intervals on the value axis at most, however much room there is (fewer read better)


def label_width(text: str) -> float:
    """A label's width in px at FONT: a Chinese character one em, a Latin letter, digit or space about half."""
    return FONT * sum(0.55 if character.isascii() else 1.0 for character in text)


def _along(label: str, across: bool) -> float:
    """The room a value axis's label takes along the axis: its width across, its height up."""
    return LABEL_EM * FONT * len(label) if across else FONT


def value_ticks(values, room: float, integers: bool, across: bool) -> tuple[list, float]:
    """(ticks, right margin) of a chart's value axis, `room` px long before the right margin: 0 and equal
    round steps (1, 2 or 5 times a power of ten; whole steps for whole numbers) up to the largest value or
    just past it, the finest step at which neighbouring labels (thousands grouped) keep GAP px between them
    and there are at most MOST_TICKS steps. Across (horizontal bars) the last label is centred on the axis's
    end, so the right margin holds its half (at least 10 px); up, the margin stays 10 px."""
    top = max((float(v) for v in values if v is not None), default=0.0)
    top = top if top > 0 else 1.0
    lowest = math.floor(math.log10(top)) - 1
    steps = [Decimal(m).scaleb(e) for e in range(lowest, lowest + 3) for m in (1, 2, 5)]
    for step in steps:
        if integers and step < 1:
            continue
        count = max(1, math.ceil(Decimal(repr(top)) / step))
        ticks = [step * i for i in range(count + 1)]
        widest = max(_along(grouped(tick), across) for tick in ticks)
        right = max(10, math.ceil(widest / 2) + 2) if across else 10
        if count <= MOST_TICKS and count * (widest + GAP) <= room - (right if across else 0):
            break
    return [int(tick) if tick == tick.to_integral_value() else float(tick) for tick in ticks], right


WIDTH = 480
TITLE_CHARACTERS = 24  # Chinese characters of the title font (18 px) on one line of a chart WIDTH wide


def wrap_title(title: str, per_line: int = TITLE_CHARACTERS) -> str:
    """The title in lines of at most `per_line` Chinese characters (a Latin letter or digit counts half):
    pygal breaks titles at spaces only and measures Chinese as narrower than it is, so a long Chinese
    title ran off both edges of the picture."""
    lines, line, used = [], "", 0.0
    for character in title:
        width = 0.55 if character.isascii() else 1.0
        if used + width > per_line and line:
            lines.append(line)
            line, used = "", 0.0
        line += character
        used += width
    return "\n".join([*lines, line])


def grouped(value) -> str:
    """A bar's value as the tables show it: thousands grouped (1,391,000; 7,150.5)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


_SCRIPT = re.compile(r"<script.*?</script>", re.S)


def _render(chart) -> str:
    """The chart's SVG text without pygal's configuration script (nothing in the report runs script)."""
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _value(value) -> float:
    return float(value) if isinstance(value, Decimal) else value


def _svg(horizontal: bool, title: str, labels: tuple[str, ...], values: tuple) -> str:
    """The SVG text of a bar chart (horizontal or vertical bars), memoised per rendered input. Whether every
    value is a whole number is part of the key: 1 and 1.0 are equal keys but draw different ticks."""
    return _drawn(horizontal, title, labels, values, all(isinstance(v, int) for v in values))


@lru_cache(maxsize=512)
def _drawn(horizontal: bool, title: str, labels: tuple[str, ...], values: tuple, _integers: bool) -> str:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    return _render(_chart(kind, title, list(labels), list(values), horizontal))


def years_chart(figure: Figure, years: list[int]) -> str:
    """Bars of one figure per year (SVG text)."""
    return _svg(False, str(figure.label), tuple(str(y) for y in years), tuple(_value(figure.value(y)) for y in years))


def series_chart(series: Series) -> str:
    """Bars of a series (by month: vertical; by category: horizontal, in the series' order)."""
    horizontal = not series.key.endswith("_by_month")
    return _svg(horizontal, str(series.title), tuple(str(label) for label, _ in series.points),
                tuple(_value(v) for _, v in series.points))


def breakdown_drawn(breakdown: Breakdown, year: int) -> bool:
    """Whether the report draws a breakdown's chart for `year`: it has categories and one of them a value
    other than zero (a chart of zeros says nothing; the data table stays)."""
    return any(figure.value(year) for _, figure in breakdown.rows)


def breakdown_chart(breakdown: Breakdown, year: int) -> str:
    """Horizontal bars of a breakdown's categories in `year`, titled with the year (a span's report draws
    its last year only, so the title says which)."""
    labels = tuple(" ".join(str(part) for part in labels) for labels, _ in breakdown.rows)
    title = gettext("%(what)s（%(year)s年）", what=breakdown.label, year=year)
    return _svg(True, title, labels, tuple(_value(figure.value(year)) for _, figure in breakdown.rows))


@lru_cache(maxsize=512)
def data_uri(svg: str) -> str:
    """The SVG as a data: URI for an <img> (memoised: the same chart is encoded once)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def chart_of(report, section_key: str, chart_key: str) -> str | None:
    """The SVG of one chart of `report` (a services.report.Report) as its page shows it: "years" (the part's
    first figure year by year, for a span of several years), "series-<key>" or "breakdown-<key>"; None for
    a chart the report does not draw."""
    section = next((s for s in report.sections if s.key == section_key), None)
    if section is None:
        return None
    span = report.span
    if chart_key == "years":
        return years_chart(section.figures[0], span.years) if len(span.years) > 1 and section.figures else None
    kind, _dash, key = chart_key.partition("-")
    if kind == "series":
        series = next((s for s in section.series if s.key == key and s.points), None)
        return series_chart(series) if series is not None else None
    if kind == "breakdown":
        breakdown = next((b for b in section.breakdowns if b.key == key and breakdown_drawn(b, span.last)), None)
        return breakdown_chart(breakdown, span.last) if breakdown is not None else None
    return None
