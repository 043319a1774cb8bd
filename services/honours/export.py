"""Excel export of the list of higher-level results (上级成绩) as filtered, e.g. the yearly report's
drill-down (issue 16).

Rules (docs/domain.md, "Recommendation upward"; README, "Scale"):
- The rows are the list's (services.honours.results.records_query with the same RecordFilters), as the
  requester sees them: union admins every record, HR their enterprise's; anyone else NotAllowed.
- Up to INLINE_ROWS rows the file is written in the request (the threshold of the other exports,
  services.competitions.export.INLINE_ROWS); above, the job kind "honours.list_export" writes it in the
  background, re-reading the list as the requester when it runs, and reports progress after each batch.
"""

from __future__ import annotations

from dataclasses import asdict, astuple

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.l10n import lazy_gettext as _l
from models import Role, db
from models.honours import HigherResult
from models.jobs import Job
from services import policy
from services.common import figures_cache, spreadsheets
from services.common.i18n import deferred
from services.common.spreadsheets import DATE, INTEGER, TEXT, Column
from services.competitions.export import INLINE_ROWS
from services.errors import NotAllowed
from services.honours import results
from services.jobs import queue

BATCH = 1000
KIND = "honours.list_export"
INLINE = INLINE_ROWS
FILE_NAME = "higher-results.xlsx"

COLUMNS = (
    Column(_l("编号"), INTEGER, 8), Column(_l("层级"), TEXT, 10), Column(_l("赛事或评选"), TEXT, 36),
    Column(_l("推荐对象"), TEXT, 30), Column(_l("提案编号"), INTEGER, 10), Column(_l("企业"), TEXT, 30),
    Column(_l("推荐日期"), DATE, 12), Column(_l("成绩"), TEXT, 12), Column(_l("公布日期"), DATE, 12),
)


def _require_reader(actor) -> None:
    if not actor.has_role(Role.ADMIN, Role.HR):
        raise NotAllowed(_l("只有总工会管理员和企业人力资源可以导出上级成绩。"))


def row_count(actor, filters: results.RecordFilters) -> int:
    """How many records the export of `actor`'s filtered list holds (one count)."""
    _require_reader(actor)
    stmt = select(func.count()).select_from(HigherResult).where(*results.filter_conditions(filters))
    return db.session.scalar(policy.scope_to(stmt, actor, HigherResult.enterprise_id))


def shown_count(actor, filters: results.RecordFilters) -> int:
    """How many records `actor`'s filtered list holds, as the list shows it under its keyset pages:
    `row_count`, memoised per data version (services.common.figures_cache) for the part of the tree the
    reader sees (the city, or HR's enterprise: the list shows every record there) and the filters, so a
    view does not count the records again while none changed."""
    node = policy.management_scope(actor)
    key = ("honours.higher_count", node.kind, node.id, *astuple(filters))
    return figures_cache.memoised(key, lambda: row_count(actor, filters))


def _cells(record) -> list:
    subject = record.proposal.title if record.proposal_id else record.person.name
    return [record.id, str(record.level_label), record.contest, subject, record.proposal_id,
            record.enterprise.name if record.enterprise else None, record.recommended_on,
            str(record.prize_label) if record.prize else None, record.result_on]


def list_file(actor, filters: results.RecordFilters, report=None) -> bytes:
    """The filtered list as .xlsx bytes, `report(done, total)` after each batch (NotAllowed as above)."""
    total = row_count(actor, filters)
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_("上级成绩"), COLUMNS)
    done = 0
    for batch in db.session.scalars(results.records_query(actor, filters)
                                    .execution_options(yield_per=BATCH)).partitions():
        for record in batch:
            sheet.append(_cells(record))
        done += len(batch)
        if report is not None:
            report(done, max(total, done))
    return writer.to_bytes()


def start_list_export(actor, filters: results.RecordFilters, locale: str) -> Job:
    """Record the export job of the filtered list for `actor` (NotAllowed as above)."""
    _require_reader(actor)
    params = {name: value for name, value in asdict(filters).items() if value not in (None, "")}
    return queue.enqueue(actor, KIND, filters=params, locale=locale)


@queue.job_kind(KIND, _l("导出上级成绩"))
def list_export_job(actor, params: dict, report) -> queue.JobResult:
    """The job: the list with params' filters as the requester sees it now; the file higher-results.xlsx."""
    filters = results.RecordFilters(**params.get("filters", {}))
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = list_file(actor, filters, report)
    return queue.JobResult(deferred("已导出 %(n)d 条上级成绩。", n=report.done), file_name=FILE_NAME,
                           content_type=spreadsheets.XLSX_TYPE, data=data)
