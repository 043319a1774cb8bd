"""Excel exports of the lists behind the report's competitions figures (services.competitions.listing):
the held competitions and the entries, with the list's filters.

Rules (docs/domain.md, "The yearly report" and "Scale the platform is built for"):
- Who and which rows: exactly the list's (listing.held_query / listing.entries_query for the requester,
  checked again when a job runs); NotAllowed for anyone without an office.
- Up to export.INLINE_ROWS rows the file is written in the request; above, a background job
  ("competitions.export_held" / "competitions.export_entries") writes it in batches of export.BATCH,
  reporting progress, user text never a formula (services.common.spreadsheets).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.l10n import lazy_gettext as _l
from models import db
from models.competitions import Competition, CompetitionPromotion
from models.jobs import Job
from services.common import spreadsheets
from services.common.i18n import deferred
from services.common.spreadsheets import DATE, DATETIME, INTEGER, Column
from services.competitions import export, listing
from services.errors import NotAllowed
from services.jobs import queue
from services.report import drill

INLINE_ROWS = export.INLINE_ROWS  # the competitions exports' threshold (a file up to it, a job above)
BATCH = export.BATCH
HELD_KIND = "competitions.export_held"
ENTRIES_KIND = "competitions.export_entries"
PROMOTIONS_KIND = "competitions.export_promotions"
HELD_COLUMNS = (Column(_l("编号"), INTEGER), Column(_l("竞赛"), width=30), Column(_l("级别")),
                Column(_l("主办"), width=24), Column(_l("比赛日期"), DATE), Column(_l("状态")))
ENTRY_COLUMNS = (Column(_l("报名编号"), INTEGER), Column(_l("参赛者"), width=30), Column(_l("参赛人次"), INTEGER),
                 Column(_l("报名时所在企业"), width=30), Column(_l("竞赛"), width=30), Column(_l("级别")),
                 Column(_l("比赛日期"), DATE), Column(_l("奖项")))

PROMOTION_COLUMNS = (Column(_l("编号"), INTEGER), Column(_l("职工"), width=16), Column(_l("竞赛"), width=30),
                     Column(_l("推荐")), Column(_l("状态")), Column(_l("推荐时间"), DATETIME, width=18),
                     Column(_l("登记时间"), DATETIME, width=18))


def _require_filter(reported):
    if reported is None:
        raise NotAllowed(_l("只有统计报告的清单可以这样导出。"))
    return reported


def held_stmt(actor, params: dict):
    """The held competitions list's select for `params` (the report filter's, `level`); NotAllowed
    without a report filter or an office."""
    reported = _require_filter(drill.from_params(actor, params))
    return listing.held_query(actor, reported, params.get("level")).options(
        db.joinedload(Competition.owner_enterprise), db.joinedload(Competition.owner_town))


def held_count(actor, params: dict) -> int:
    ids = held_stmt(actor, params).with_only_columns(Competition.id).order_by(None)
    return db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0


def held_file(actor, params: dict, report=None) -> bytes:
    """The held competitions of the list as .xlsx bytes, `report(done, total)` after each batch."""
    total = held_count(actor, params)
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_("举办竞赛"), HELD_COLUMNS)
    done = 0
    for batch in db.session.scalars(held_stmt(actor, params).execution_options(yield_per=BATCH)).partitions():
        for c in batch:
            sheet.append((c.id, c.name, str(c.level_label), str(c.owner_name), c.held_on, str(c.status_label)))
        done += len(batch)
        if report is not None:
            report(done, max(total, done))
    return writer.to_bytes()


def entry_cells(entry) -> tuple:
    people = listing.competitors(entry)
    names = "、".join(person.name for person in people)
    who = f"{entry.team_name}：{names}" if entry.team_name else names
    prize = entry.result.prize_label if entry.result is not None and entry.result.prize else ""
    return (entry.id, who, len(people), entry.enterprise.name, entry.competition.name,
            str(entry.competition.level_label), entry.competition.held_on, str(prize))


def entries_file(actor, filters: listing.EntryFilters, report=None) -> bytes:
    """The entries of the list as .xlsx bytes (ENTRY_COLUMNS), `report(done, total)` after each batch."""
    total = listing.entry_count(actor, filters)
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_("参赛报名"), ENTRY_COLUMNS)
    done = 0
    stmt = listing.entries_query(actor, filters).execution_options(yield_per=BATCH)
    for batch in db.session.scalars(stmt).partitions(BATCH):
        for entry in batch:
            sheet.append(entry_cells(entry))
        done += len(batch)
        if report is not None:
            report(done, max(total, done))
    return writer.to_bytes()


def start_held_export(actor, params: dict, locale: str) -> Job:
    """Record the held competitions export job (the list's refusals first)."""
    held_stmt(actor, params)
    return queue.enqueue(actor, HELD_KIND, filters=params, locale=locale)


def start_entries_export(actor, filters: listing.EntryFilters, locale: str) -> Job:
    """Record the entries export job (the list's refusals first)."""
    listing.entries_query(actor, filters)
    return queue.enqueue(actor, ENTRIES_KIND, filters=filters.params, locale=locale)


@queue.job_kind(HELD_KIND, _l("导出举办竞赛清单"))
def held_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"filters", "locale"}; the file competitions-held.xlsx."""
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = held_file(actor, params.get("filters", {}), report)
    return queue.JobResult(deferred("已导出 %(n)d 场竞赛。", n=report.done), file_name="competitions-held.xlsx",
                           content_type=spreadsheets.XLSX_TYPE, data=data)


@queue.job_kind(ENTRIES_KIND, _l("导出参赛报名清单"))
def entries_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"filters", "locale"}; the file competition-entries.xlsx."""
    filters = listing.EntryFilters(**params.get("filters", {}))
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = entries_file(actor, filters, report)
    return queue.JobResult(deferred("已导出 %(n)d 条报名。", n=report.done), file_name="competition-entries.xlsx",
                           content_type=spreadsheets.XLSX_TYPE, data=data)


def promotions_stmt(actor, params: dict):
    """The promotions list's select for `params` (the report filter's, `basis`); NotAllowed without a
    report filter or an office."""
    reported = _require_filter(drill.from_params(actor, params))
    return listing.promotions_query(reported, params.get("basis"))


def promotions_count(actor, params: dict) -> int:
    ids = promotions_stmt(actor, params).with_only_columns(CompetitionPromotion.id).order_by(None)
    return db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0


def promotions_file(actor, params: dict, report=None) -> bytes:
    """The promotions of the list as .xlsx bytes, `report(done, total)` after each batch."""
    total = promotions_count(actor, params)
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_("晋升推荐"), PROMOTION_COLUMNS)
    done = 0
    stmt = promotions_stmt(actor, params).execution_options(yield_per=BATCH)
    for batch in db.session.scalars(stmt).partitions(BATCH):
        for p in batch:
            sheet.append((p.id, p.worker.name, p.registration.competition.name,
                          f"{p.from_step or '—'} → {p.to_step}", str(p.status_label), p.created_at, p.recorded_at))
        done += len(batch)
        if report is not None:
            report(done, max(total, done))
    return writer.to_bytes()


def start_promotions_export(actor, params: dict, locale: str) -> Job:
    """Record the promotions export job (the list's refusals first)."""
    promotions_stmt(actor, params)
    return queue.enqueue(actor, PROMOTIONS_KIND, filters=params, locale=locale)


@queue.job_kind(PROMOTIONS_KIND, _l("导出晋升推荐清单"))
def promotions_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"filters", "locale"}; the file competition-promotions.xlsx."""
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = promotions_file(actor, params.get("filters", {}), report)
    return queue.JobResult(deferred("已导出 %(n)d 条晋升推荐。", n=report.done),
                           file_name="competition-promotions.xlsx", content_type=spreadsheets.XLSX_TYPE, data=data)
