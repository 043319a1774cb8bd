"""The yearly report as an Excel workbook, made by a background job with progress (issue 16).

One sheet per part of the report (services.report.SECTIONS), each figure a row: the figure, its unit,
its value per year, the change against the year before, the span's total, and its definition (统计口径);
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
from flask_babel import lazy_gettext as _l

from models.jobs import Job
from services.common import spreadsheets
from services.common.i18n import deferred
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


def workbook(actor, params: dict, report=None) -> tuple[str, bytes]:
    """(file name, .xlsx bytes) of the report the params name, `report(done, total)` after each part."""
    scope = resolve(actor, town_id=params.get("town_id"), enterprise_id=params.get("enterprise_id"))
    span = span_of(params.get("first"), params.get("last"))
    writer = spreadsheets.WorkbookWriter()
    listings = []
    for done, build in enumerate(SECTIONS, start=1):
        section = build(scope, span)
        _write_section(writer, section, span)
        listings += section.items
        if report is not None:
            report(done, len(SECTIONS))
    for listing in listings:
        _write_listing(writer, listing)
    return f"report-{scope.key}-{span.first}-{span.last}.xlsx", writer.to_bytes()


def _write_section(writer, section: Section, span) -> None:
    years = span.years
    columns = [spreadsheets.Column(_("指标"), width=24), spreadsheets.Column(_("单位"), width=6)]
    columns += [spreadsheets.Column(str(year), spreadsheets.DECIMAL, 14) for year in years]
    columns += [spreadsheets.Column(_("同比（%）"), spreadsheets.DECIMAL, 10),
                spreadsheets.Column(_("合计"), spreadsheets.DECIMAL, 14),
                spreadsheets.Column(_("统计口径"), width=60)]
    sheet = writer.sheet(section.title, columns)
    for figure in section.figures:
        total = figure.total if figure.unit != "percent" else None
        sheet.append([str(figure.label), str(UNIT_LABELS.get(figure.unit, "")),
                      *(figure.value(year) for year in years), figure.change(span.last) if figure.unit != "percent"
                      else None, total, str(figure.definition)])
    for breakdown in section.breakdowns:
        sheet.append([None] * len(columns))
        sheet.append([str(breakdown.label), "", *([""] * len(years)), "", "", str(breakdown.definition)])
        for labels, figure in breakdown.rows:
            sheet.append([" ".join(str(part) for part in labels), str(UNIT_LABELS["count"]),
                          *(figure.value(year) for year in years), figure.change(span.last), figure.total, ""])
    for series in section.series:
        sheet.append([None] * len(columns))
        sheet.append([str(series.title), str(UNIT_LABELS.get(series.unit, "")), *([""] * len(years)), "", "", ""])
        for label, value in series.points:
            sheet.append([str(label), "", *([""] * (len(years) - 1) + [value]), "", "", ""])


def _write_listing(writer, listing: Listing) -> None:
    """A short list on a sheet of its own: its columns (whole numbers and money as numbers), its rows, then its
    definition."""
    def kind(values) -> str:
        if values and all(isinstance(v, int) for v in values):
            return spreadsheets.INTEGER
        return spreadsheets.MONEY if any(isinstance(v, Decimal) for v in values) else spreadsheets.TEXT

    kinds = [kind([row[i] for row in listing.rows]) for i in range(len(listing.columns))]
    widths = [8 if k == spreadsheets.INTEGER else 14 if k == spreadsheets.MONEY else 28 for k in kinds]
    sheet = writer.sheet(listing.title, [spreadsheets.Column(str(label), k, width)
                                         for label, k, width in zip(listing.columns, kinds, widths, strict=True)])
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
