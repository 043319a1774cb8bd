"""The yearly report as an Excel workbook, made by a background job with progress (issue 16).

One sheet per part of the report (services.report.SECTIONS), each starting with a title row naming the report,
the scope and the span (as the PDF's title), then each figure a row: the figure, its unit (the figure's own, as
the page shows it: 项, 人次, 人, 元, 学时, 家, %), its value per year, the change against the year before, the
span's total (a percentage's too), and its definition (统计口径); whole numbers are written as "#,##0", amounts
and percentages as "#,##0.00" (spreadsheets.NUMBER); the file is named by the scope and the span
(统计报告-陈埭镇-2022-2026.xlsx);
the breakdowns follow below their part's figures; the parts' short lists (e.g. the year's top ten innovation
achievements) each get a sheet of their own after the parts' sheets. Cells go through services.common.spreadsheets (text
never a formula, money as numbers). The job re-resolves the scope for the requester when it runs
(services.report.scope.resolve), so a reader who lost their office gets nothing.

Params of the job kind "report.export": {"town_id", "enterprise_id", "first", "last", "locale"}.
"""

from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from core.l10n import lazy_gettext as _l
from models.jobs import Job
from services.common import spreadsheets
from services.common.i18n import deferred
from services.common.uploads import clean_filename
from services.jobs import queue
from services.report import SECTIONS
from services.report.figures import Listing, Section
from services.report.periods import span_of
from services.report.scope import resolve

KIND = "report.export"
UNIT_LABELS = {"count": _l("项"), "person_times": _l("人次"), "people": _l("人"), "yuan": _l("元"), "hours": _l("学时"),
               "enterprises": _l("家"),
               "percent": "%"}


def start_job(kind: str, actor, town_id: int | None, enterprise_id: int | None, first: int | None,
              last: int | None, locale: str) -> Job:
    """Record a job of `kind` (the Excel or the PDF export) for the report `actor` may read, with the params
    every report job reads (resolve's NotAllowed / NotFound; span_of's RuleViolation for a wrong span)."""
    resolve(actor, town_id=town_id, enterprise_id=enterprise_id)
    span = span_of(first, last)
    return queue.enqueue(actor, kind, town_id=town_id, enterprise_id=enterprise_id, first=span.first,
                         last=span.last, locale=locale)


def start_export(actor, town_id: int | None, enterprise_id: int | None, first: int | None, last: int | None,
                 locale: str) -> Job:
    """Record the Excel export job (start_job's refusals)."""
    return start_job(KIND, actor, town_id, enterprise_id, first, last, locale)


def title(scope, span) -> str:
    """The report's title, as the PDF's and every sheet's first row: 统计报告 · 陈埭镇 · 2022–2026."""
    return _("统计报告 · %(scope)s · %(span)s", scope=scope.name, span=span.label)


def file_stem(scope, span) -> str:
    """The report's file name without extension, readable and safe: 统计报告-陈埭镇-2022-2026 (the scope's
    name with path separators as "_" and without reserved characters, services.common.uploads.clean_filename)."""
    years = str(span.first) if span.first == span.last else f"{span.first}-{span.last}"
    name = clean_filename(scope.name.replace("/", "_").replace("\\", "_")).replace(" ", "")
    title = _("统计报告")
    return f"{title}-{name}-{years}"


def workbook(actor, params: dict, report=None) -> tuple[str, bytes]:
    """(file name, .xlsx bytes) of the report the params name, `report(done, total)` after each part."""
    scope = resolve(actor, town_id=params.get("town_id"), enterprise_id=params.get("enterprise_id"))
    span = span_of(params.get("first"), params.get("last"))
    heading = title(scope, span)
    writer = spreadsheets.WorkbookWriter()
    listings = []
    for done, build in enumerate(SECTIONS, start=1):
        section = build(scope, span)
        _write_section(writer, section, span, heading)
        listings += section.items
        if report is not None:
            report(done, len(SECTIONS))
    for listing in listings:
        _write_listing(writer, listing, heading)
    return f"{file_stem(scope, span)}.xlsx", writer.to_bytes()


def _number(value, unit: str):
    """A figure's value as written: yuan always an amount (two decimals), anything else as it is."""
    return Decimal(value) if unit == "yuan" and isinstance(value, int) else value


def _figure_cells(label, figure, span, definition="") -> list:
    """One figure's row: label, unit, value per year, change (none for a percentage), total, definition."""
    unit = figure.unit
    change = None if unit == "percent" else figure.change(span.last)
    return [str(label), str(UNIT_LABELS.get(unit, "")), *(_number(figure.value(year), unit) for year in span.years),
            change, _number(figure.total, unit), str(definition)]


def _write_section(writer, section: Section, span, heading: str) -> None:
    years = span.years
    columns = [spreadsheets.Column(_("指标"), width=24), spreadsheets.Column(_("单位"), width=6)]
    columns += [spreadsheets.Column(str(year), spreadsheets.NUMBER, 14) for year in years]
    columns += [spreadsheets.Column(_("同比（%）"), spreadsheets.NUMBER, 10),
                spreadsheets.Column(_("合计"), spreadsheets.NUMBER, 14),
                spreadsheets.Column(_("统计口径"), width=60)]
    sheet = writer.sheet(section.title, columns, heading=heading)
    for figure in section.figures:
        sheet.append(_figure_cells(figure.label, figure, span, figure.definition))
    for breakdown in section.breakdowns:
        sheet.append([None] * len(columns))
        sheet.append([str(breakdown.label), "", *([""] * len(years)), "", "", str(breakdown.definition)])
        for labels, figure in breakdown.rows:
            sheet.append(_figure_cells(" ".join(str(part) for part in labels), figure, span))
    for series in section.series:
        sheet.append([None] * len(columns))
        sheet.append([str(series.title), str(UNIT_LABELS.get(series.unit, "")), *([""] * len(years)), "", "", ""])
        for label, value in series.points:
            sheet.append([str(label), "", *([""] * (len(years) - 1) + [value]), "", "", ""])


def _write_listing(writer, listing: Listing, heading: str) -> None:
    """A short list on a sheet of its own: its columns (whole numbers and money as numbers), its rows, then its
    definition."""
    def kind(values) -> str:
        if values and all(isinstance(v, int) for v in values):
            return spreadsheets.INTEGER
        return spreadsheets.MONEY if any(isinstance(v, Decimal) for v in values) else spreadsheets.TEXT

    kinds = [kind([row[i] for row in listing.rows]) for i in range(len(listing.columns))]
    widths = [8 if k == spreadsheets.INTEGER else 14 if k == spreadsheets.MONEY else 28 for k in kinds]
    sheet = writer.sheet(listing.title, [spreadsheets.Column(str(label), k, width)
                                         for label, k, width in zip(listing.columns, kinds, widths, strict=True)],
                         heading=heading)
    for row in listing.rows:
        sheet.append(list(row))
    sheet.append([str(listing.definition), *([None] * (len(listing.columns) - 1))])


@queue.job_kind(KIND, _l("导出统计报告"))
def export_job(actor, params: dict, report) -> queue.JobResult:
    """The job: the workbook in the requester's locale."""
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        name, data = workbook(actor, params, report)
    return queue.JobResult(deferred("统计报告已生成。"), file_name=name, content_type=spreadsheets.XLSX_TYPE,
                           data=data)
