"""The yearly report as an A4 PDF, made by a background job with progress (issue 16).

The same report as the page and the Excel workbook (services.report.SECTIONS), drawn with the platform's
one PDF layout (services.common.pdf: fonts embedded with per-character fallback, tables that continue on
the next page, a character no font has refused by name):
- a heading with the scope (a town's or an enterprise's name drawn as text, never read as markup), the
  span and the day it was made;
- per part: a table of its figures (the figure with its unit and its definition (统计口径), its value per
  year, the change against the year before, the span's total), then the same charts as the page: pygal's
  SVG (services.report.charts) converted by svglib into reportlab drawings, with each breakdown's data
  table under its chart, and last its short lists (e.g. the year's top ten innovation achievements).
- A number never wraps inside its cell: a span of more than three years is drawn on landscape pages
  (LANDSCAPE_FROM), each number column is as wide as its widest cell, the label column takes the rest, and
  when that would leave the labels too little room the tables' font gets smaller (fitted_widths).

Chart text takes the PDF's own fonts: svglib would look the SVG's font family up by name, so every text
of a converted chart is given the registered font that has its characters (services.common.pdf.fonts).
The job re-resolves the scope for the requester when it runs, like the Excel export.

Params of the job kind "report.pdf": {"town_id", "enterprise_id", "first", "last", "locale"}.
"""

from __future__ import annotations

import io
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _

from core import clock
from core.l10n import lazy_gettext as _l
from models.jobs import Job
from services.common.i18n import deferred
from services.common.pdf.fonts import check_printable, runs, text_width
from services.common.pdf.language import in_language, long_date
from services.common.pdf.layout import MM, Document
from services.jobs import queue
from services.report import SECTIONS, charts, export
from services.report.export import UNIT_LABELS
from services.report.figures import Figure, Listing, Section
from services.report.periods import span_of
from services.report.scope import resolve

KIND = "report.pdf"
PDF_TYPE = "application/pdf"
GREY = (0.35, 0.35, 0.35)
LANDSCAPE_FROM = 4  # years in the span from which the pages are landscape
TABLE_SIZES = (8.5, 7.5, 6.5)  # the figure tables' font sizes, tried in turn until the numbers fit
LABEL_SHARE = 0.3  # the least share of the frame the label column keeps
CELL_PAD = 3  # services.common.pdf.layout.Document.table's padding inside a cell


def start_pdf(actor, town_id: int | None, enterprise_id: int | None, first: int | None, last: int | None,
              locale: str) -> Job:
    """Record the PDF job of the report `actor` may read (services.report.export.start_job's refusals)."""
    return export.start_job(KIND, actor, town_id, enterprise_id, first, last, locale)


def document(actor, params: dict, report=None) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the report the params name, in params' locale, `report(done, total)`
    after each part. RuleViolation for a character no installed font can print."""
    with in_language(params.get("locale")):
        scope = resolve(actor, town_id=params.get("town_id"), enterprise_id=params.get("enterprise_id"))
        span = span_of(params.get("first"), params.get("last"))
        doc = Document(export.title(scope, span), landscape=len(span.years) >= LANDSCAPE_FROM)
        y = doc.paragraph(_("统计报告"), top=doc.top, size=20)
        y = doc.paragraph(f"{scope.name} · {span.label}", top=y, size=14, min_size=10, max_lines=3)
        note = _("所有数字都由平台记录实时统计，不是手工填报。人次按每次参与计，人数去重；跨年合计中的人数同样去重。")
        y = doc.paragraph(note + " " + _("生成日期：%(day)s", day=long_date(clock.today())),
                          top=y - 2 * MM, size=9, max_lines=4, align="left", color=GREY)
        for done, build in enumerate(SECTIONS, start=1):
            y = _section(doc, build(scope, span), span, y - 6 * MM)
            if report is not None:
                report(done, len(SECTIONS))
        return f"{export.file_stem(scope, span)}.pdf", doc.finish()


def _value(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value}%"
    return format_decimal(value)


def _change(figure: Figure, year: int) -> str:
    if figure.unit == "percent":
        return "—"
    change = figure.change(year)
    return "—" if change is None else f"{'+' if change > 0 else ''}{change}%"


def fitted_widths(doc: Document, headers: list[str], rows: list[list[str]], shares: list[float]):
    """(column widths as fractions of the frame, font size) for a table whose first column is a label and
    whose other columns hold numbers: each number column at least its `shares` entry and never narrower than
    its widest cell (header included) at the size, the label column the rest. The first of TABLE_SIZES at
    which the label column keeps LABEL_SHARE; at the smallest size the numbers still fit, the label wraps."""
    total = doc.right - doc.left
    for size in TABLE_SIZES:
        needs = [max(text_width(str(row[i]), size) for row in [headers, *rows]) + 2 * CELL_PAD + 1
                 for i in range(1, len(headers))]
        widths = [max(need / total, share) for need, share in zip(needs, shares[1:], strict=True)]
        if 1 - sum(widths) >= LABEL_SHARE or size == TABLE_SIZES[-1]:
            if 1 - sum(widths) < LABEL_SHARE:
                widths = [need / total for need in needs]
            return [1 - sum(widths), *widths], size
    raise AssertionError("unreachable")


def _section(doc: Document, section: Section, span, top: float) -> float:
    """One part: its heading, its figures' table, its charts (each breakdown with its data table)."""
    if top - 60 * MM < doc.bottom:
        doc.new_page()
        top = doc.top
    y = doc.paragraph(str(section.title), top=top, size=15, align="left")
    years = span.years
    several = len(years) > 1
    headers = [_("指标（统计口径）"), _("单位"), *(str(year) for year in years), _("同比")]
    headers += [_("合计")] if several else []
    rest = 0.56 / (len(headers) - 1)
    widths = [0.44, *([rest] * (len(headers) - 1))]
    rows = []
    for figure in section.figures:
        rows.append([f"{figure.label}\n{figure.definition}", str(UNIT_LABELS.get(figure.unit, "")),
                     *(_value(figure.value(year), figure.unit) for year in years), _change(figure, span.last)]
                    + ([_value(figure.total, figure.unit)] if several else []))
    if rows:
        widths, size = fitted_widths(doc, headers, rows, widths)
        y = doc.table(headers, rows, widths, top=y - 2 * MM, size=size)
    half = (doc.right - doc.left) * 0.62
    if several and section.figures:
        y = doc.drawing(_chart(charts.years_chart(section.figures[0], years)), top=y - 4 * MM, width=half)
    for series in section.series:
        if series.points:
            y = doc.drawing(_chart(charts.series_chart(series)), top=y - 4 * MM, width=half)
    for breakdown in section.breakdowns:
        if y - 40 * MM < doc.bottom:
            doc.new_page()
            y = doc.top
        y = doc.paragraph(str(breakdown.label), top=y - 4 * MM, size=11, align="left")
        y = doc.paragraph(str(breakdown.definition), top=y, size=8.5, max_lines=4, align="left", color=GREY)
        if not breakdown.rows:
            y = doc.paragraph(_("暂无数据。"), top=y, size=9, align="left", color=GREY)
            continue
        if charts.breakdown_drawn(breakdown, span.last):
            y = doc.drawing(_chart(charts.breakdown_chart(breakdown, span.last)), top=y - 2 * MM, width=half)
        table = [[" ".join(str(part) for part in labels), *(_value(figure.value(year), "count") for year in years)]
                 for labels, figure in breakdown.rows]
        rest = 0.6 / len(years)
        headers = [_("类别"), *(str(year) for year in years)]
        widths, size = fitted_widths(doc, headers, table, [0.4, *([rest] * len(years))])
        y = doc.table(headers, table, widths, top=y - 2 * MM, size=size)
    for listing in section.items:
        y = _listing(doc, listing, y)
    return y


def _listing(doc: Document, listing: Listing, y: float) -> float:
    """A short list under a part (e.g. the year's top ten innovation achievements): heading, definition,
    table (the first column, a position, narrow; the second, its subject, wide; the rest even)."""
    if y - 40 * MM < doc.bottom:
        doc.new_page()
        y = doc.top
    y = doc.paragraph(str(listing.title), top=y - 4 * MM, size=11, align="left")
    y = doc.paragraph(str(listing.definition), top=y, size=8.5, max_lines=4, align="left", color=GREY)
    if not listing.rows:
        return doc.paragraph(_("暂无数据。"), top=y, size=9, align="left", color=GREY)
    count = len(listing.columns)
    rest = 0.7 / (count - 2)
    rows = [[_value(cell, "yuan") if isinstance(cell, Decimal) else "—" if cell is None else str(cell)
             for cell in row] for row in listing.rows]
    return doc.table([str(c) for c in listing.columns], rows, [0.08, 0.22, *([rest] * (count - 2))],
                     top=y - 2 * MM, size=8)



def _chart(svg: str):
    """The SVG chart as a reportlab Drawing whose texts are drawn in the PDF's fonts."""
    from reportlab.graphics.shapes import Group, String
    from svglib import fonts as svg_fonts
    from svglib.svglib import svg2rlg

    family = charts.STYLE.font_family.split(",")[0].strip(" '\"")
    svg_fonts.register_font(family, rlgFontName="Helvetica")  # found by name; the real font is set below
    drawing = svg2rlg(io.StringIO(svg))

    def fonts_of(node):
        for child in getattr(node, "contents", ()):
            if isinstance(child, String):
                check_printable(child.text)
                pieces = runs(child.text)
                child.fontName = max(pieces, key=lambda piece: len(piece[1]))[0] if pieces else child.fontName
            elif isinstance(child, Group):
                fonts_of(child)

    fonts_of(drawing)
    return drawing


@queue.job_kind(KIND, _l("导出统计报告（PDF）"))
def pdf_job(actor, params: dict, report) -> queue.JobResult:
    """The job: the PDF in the requester's locale."""
    name, data = document(actor, params, report)
    return queue.JobResult(deferred("统计报告已生成。"), file_name=name, content_type=PDF_TYPE, data=data)
