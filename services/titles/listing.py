"""The lists behind the titles figures of the yearly report (issue 16, the drill-down; the figures'
definitions are services.report.titles', which these lists apply word for word), and their Excel exports.

Rules (docs/domain.md, "The yearly report"):
- Awards, basis "awarded" (授予称号, and a title's row): final awards (not on notice, not revoked) whose
  award date falls in the years, of one title level and one title name when asked; basis "revoked"
  (撤销称号): revoked awards by the day of revocation (Asia/Shanghai).
- Nominations (推荐申报): nominations made (created_at, Asia/Shanghai) in the years, withdrawn ones excluded,
  among those the reader sees (services.titles.nominations.nominations_query).
- A title or a nomination counts for the scope of the enterprise recorded on it at its creation
  (services.report.scope.records), so a person who changed employer is listed at the enterprise of the
  record's time.
- Who: officers whose reach covers the scope (services.report.drill.report_filter: admins the city and
  any town or enterprise, a town officer their town, HR their enterprise); NotAllowed for anyone else.
- Both lists page by keyset on the record's id (newest first) with a fixed number of queries per page.
- Exports: the list's rows for the requester; up to INLINE_ROWS in the request, above as a background
  job ("titles.export_awards" / "titles.export_nominations") writing in batches of BATCH.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.jobs import Job
from models.titles import AWARD_FINAL, AWARD_REVOKED, NOMINATION_WITHDRAWN, Nomination, TitleAward, TitleType
from services.common import figures_cache, spreadsheets
from services.common.i18n import deferred
from services.common.spreadsheets import DATE, DATETIME, INTEGER, Column
from services.jobs import queue
from services.report import scope as scopes
from services.report.drill import ReportFilter, report_filter
from services.report.periods import within
from services.titles import nominations

AWARDED, REVOKED = "awarded", "revoked"
BASES = (AWARDED, REVOKED)
INLINE_ROWS = 100
BATCH = 1000
AWARDS_KIND = "titles.export_awards"
NOMINATIONS_KIND = "titles.export_nominations"


@dataclass
class TitleFilters:
    """A titles list's filters: the report's span and scope; for awards the basis, a level, a title name."""

    year: int | None = None
    first: int | None = None
    last: int | None = None
    town: int | None = None
    enterprise: int | None = None
    basis: str = AWARDED
    level: str | None = None
    title: str | None = None

    def __post_init__(self):
        self.basis = self.basis if self.basis in BASES else AWARDED

    @property
    def params(self) -> dict:
        return {name: value for name, value in vars(self).items() if value not in (None, "")}


def list_filter(actor, filters: TitleFilters) -> ReportFilter:
    """The span and scope of `filters` for `actor` (this year and their own node when none is named).
    NotAllowed without an office; NotFound outside the reader's reach (report_filter)."""
    year = filters.year if (filters.year or filters.first or filters.last) else clock.today().year
    return report_filter(actor, year=year, first=filters.first, last=filters.last, town_id=filters.town,
                         enterprise_id=filters.enterprise)


def awards_query(actor, filters: TitleFilters):
    """Select of the awards behind the figure `filters` name (see the module's rules), newest first."""
    reported = list_filter(actor, filters)
    stmt = (select(TitleAward).join(TitleType, TitleType.id == TitleAward.title_type_id)
            .options(db.joinedload(TitleAward.title_type), db.joinedload(TitleAward.worker),
                     db.joinedload(TitleAward.enterprise), db.joinedload(TitleAward.round))
            .where(scopes.records(reported.scope, TitleAward.enterprise_id, at=TitleAward.created_at)))
    if filters.basis == REVOKED:
        stmt = stmt.where(TitleAward.status == AWARD_REVOKED, within(TitleAward.revoked_at, reported.span))
    else:
        stmt = stmt.where(TitleAward.status == AWARD_FINAL, within(TitleAward.award_date, reported.span, dates=True))
    if filters.level:
        stmt = stmt.where(TitleType.level == filters.level)
    if filters.title:
        stmt = stmt.where(TitleType.name == filters.title)
    return stmt.order_by(TitleAward.id.desc())


def nominations_list_query(actor, filters: TitleFilters):
    """Select of the nominations behind the report's nominations figure (see the module's rules)."""
    reported = list_filter(actor, filters)
    stmt = nominations.nominations_query(actor, sort="date").where(
        Nomination.status != NOMINATION_WITHDRAWN, within(Nomination.created_at, reported.span),
        scopes.records(reported.scope, Nomination.enterprise_id, at=Nomination.created_at))
    return stmt.order_by(None).order_by(Nomination.id.desc())


def count(stmt, key) -> int:
    """How many rows a list's select holds (one count)."""
    ids = stmt.with_only_columns(key).order_by(None)
    return db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0


AWARD_COLUMNS = (Column(_l("编号"), INTEGER), Column(_l("职工"), width=16), Column(_l("授予时所在企业"), width=30),
                 Column(_l("称号"), width=20), Column(_l("级别")), Column(_l("授予日期"), DATE),
                 Column(_l("状态")), Column(_l("撤销时间"), DATETIME, width=18))
NOMINATION_COLUMNS = (Column(_l("编号"), INTEGER), Column(_l("职工"), width=16),
                      Column(_l("推荐时所在企业"), width=30), Column(_l("评选"), width=24), Column(_l("状态")),
                      Column(_l("推荐时间"), DATETIME, width=18))


def _award_cells(award: TitleAward) -> tuple:
    return (award.id, award.worker.name, award.enterprise.name if award.enterprise else "",
            str(award.title_type.label), str(award.title_type.level_label), award.award_date,
            str(award.status_label), award.revoked_at)


def _nomination_cells(nomination: Nomination) -> tuple:
    return (nomination.id, nomination.worker.name, nomination.enterprise.name if nomination.enterprise else "",
            f"{nomination.round.year} · {nomination.round.title_type.label}", str(nomination.status_label),
            nomination.created_at)


LISTS = {"awards": (awards_query, TitleAward.id, AWARD_COLUMNS, _award_cells, _l("授予称号")),
         "nominations": (nominations_list_query, Nomination.id, NOMINATION_COLUMNS, _nomination_cells,
                         _l("推荐申报"))}


def list_count(actor, which: str, filters: TitleFilters) -> int:
    query, key, *_rest = LISTS[which]
    return count(query(actor, filters), key)


def shown_count(actor, which: str, filters: TitleFilters, reported: ReportFilter) -> int:
    """How many rows list `which` holds, as the list shows it under its keyset pages: `list_count`,
    memoised per data version (services.common.figures_cache) for the report's scope, span and the list's
    filters. The rows are the scope's whatever the reader (awards are not narrowed by the reader; the
    nominations a reader sees are those of their node by the record's enterprise at its creation, and the
    scope lies within that node, attributed the same way), so the count is the scope's."""
    span = reported.span
    key = ("titles.list_count", which, reported.scope.key, span.first, span.last, filters.basis, filters.level,
           filters.title)
    return figures_cache.memoised(key, lambda: list_count(actor, which, filters))


def list_file(actor, which: str, filters: TitleFilters, report=None) -> bytes:
    """The rows of list `which` ("awards", "nominations") as .xlsx bytes, `report(done, total)` per batch."""
    query, key, columns, cells, title = LISTS[which]
    stmt = query(actor, filters)
    total = count(stmt, key)
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(str(title), columns)
    done = 0
    for batch in db.session.scalars(stmt.execution_options(yield_per=BATCH)).partitions(BATCH):
        for row in batch:
            sheet.append(cells(row))
        done += len(batch)
        if report is not None:
            report(done, max(total, done))
    return writer.to_bytes()


def start_export(actor, which: str, filters: TitleFilters, locale: str) -> Job:
    """Record the export job of list `which` (the list's refusals first)."""
    LISTS[which][0](actor, filters)
    kind = AWARDS_KIND if which == "awards" else NOMINATIONS_KIND
    return queue.enqueue(actor, kind, filters=filters.params, locale=locale)


def _job(actor, which: str, params: dict, report) -> queue.JobResult:
    filters = TitleFilters(**params.get("filters", {}))
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = list_file(actor, which, filters, report)
    return queue.JobResult(deferred("已导出 %(n)d 行。", n=report.done), file_name=f"titles-{which}.xlsx",
                           content_type=spreadsheets.XLSX_TYPE, data=data)


@queue.job_kind(AWARDS_KIND, _l("导出称号清单"))
def awards_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"filters", "locale"}; the file titles-awards.xlsx."""
    return _job(actor, "awards", params, report)


@queue.job_kind(NOMINATIONS_KIND, _l("导出推荐申报清单"))
def nominations_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"filters", "locale"}; the file titles-nominations.xlsx."""
    return _job(actor, "nominations", params, report)
