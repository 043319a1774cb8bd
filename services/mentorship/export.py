"""The Excel export of the pair list (师徒结对), run as a background job (services.jobs) with progress.

Rules (docs/domain.md, "Mentoring" and "Scale the platform is built for": exports over a few thousand
rows run in the background):
- HR (their enterprise's pairs) and union admins (every pair) export the pairs behind a dashboard
  filter (services.mentorship.reports.FILTERS), one row per pair with its check-in state on the day of
  the export; anyone else is refused (NotAllowed). An unknown filter is NotFound before the job starts.
- The job re-reads the pairs with the person's own scope when it runs, in the language they asked
  in, and streams them through services.common.spreadsheets (text never a formula, dates as dates).
- The file is named by what it holds (file_name): the dashboard filter, or the report's figure and its
  year(s) for a drilled list, and the day of the export.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.jobs import Job
from models.mentorship import ACTIVE, MentorPair
from services import policy
from services.common import spreadsheets
from services.common.i18n import deferred
from services.common.spreadsheets import DATE, INTEGER, SCORE, Column
from services.errors import NotAllowed
from services.jobs import queue
from services.mentorship import drill
from services.mentorship.checkins import checkin_state
from services.mentorship.reports import pairs_query
from services.mentorship.settings import get_settings

KIND = "mentorship.export_pairs"
BATCH = 500
COLUMNS = (
    Column(_l("编号"), INTEGER, 8), Column(_l("企业"), width=28), Column(_l("师傅"), width=10),
    Column(_l("徒弟"), width=10), Column(_l("工种"), width=14), Column(_l("目标等级"), width=16),
    Column(_l("开始日期"), DATE, 12), Column(_l("计划结束"), DATE, 12), Column(_l("记录频率"), width=10),
    Column(_l("状态"), width=10), Column(_l("下次记录截止"), DATE, 14), Column(_l("记录状态"), width=12),
    Column(_l("考核结果"), width=10), Column(_l("达到等级"), width=16), Column(_l("考核分数（分）"), SCORE, 12),
    Column(_l("结束日期"), DATE, 12),
)
CHECKIN_STATE_LABELS = {"overdue": _l("逾期"), "due": _l("本周应记录"), "ok": _l("正常")}  # checkin_state


def require_exporter(actor) -> None:
    """Only HR and union admins export pairs (NotAllowed otherwise)."""
    if not (policy.is_hr(actor) or policy.is_admin(actor)):
        raise NotAllowed(_l("只有企业人力资源和总工会管理员可以导出。"))


def _row(pair: MentorPair, today, settings) -> list:
    """One pair's cells, in the order of COLUMNS."""
    assessment = pair.assessment
    return [
        pair.id, pair.enterprise.name, pair.mentor.name, pair.apprentice.name, pair.trade.name,
        str(pair.goal.label), pair.start_date, pair.planned_end, str(pair.frequency_label),
        str(pair.status_label), pair.next_checkin_due if pair.status == ACTIVE else None,
        str(CHECKIN_STATE_LABELS.get(checkin_state(pair, today, settings), "")),
        str(assessment.grade_label) if assessment else "",
        str(assessment.level.label) if assessment and assessment.level else "",
        assessment.score if assessment else None, pair.ended_on,
    ]


def write_workbook(actor, *, filter_name: str = "all", enterprise_id=None, report=None, drilled=None) -> bytes:
    """The pairs of `pairs_query(actor, filter_name, enterprise_id)` as an .xlsx workbook, one row per
    pair, read in batches; `report(done, total)` is told how far it got; `drilled`: the yearly report's
    figure the list stood behind (services.mentorship.drill.args). NotAllowed for anyone but HR and union
    admins, NotFound for an unknown filter."""
    require_exporter(actor)
    stmt = pairs_query(actor, filter_name=filter_name, enterprise_id=enterprise_id,
                       report=drill.from_args(actor, drilled))
    total = db.session.scalar(db.select(db.func.count()).select_from(stmt.order_by(None).subquery()))
    settings, today = get_settings(), clock.today()
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_l("师徒结对"), COLUMNS)
    done = 0
    for pair in db.session.scalars(stmt.execution_options(yield_per=BATCH)):
        sheet.append(_row(pair, today, settings))
        done += 1
        if report is not None and done % BATCH == 0:
            report(done, max(total, done))
    if report is not None:
        report(done, done)
    return writer.to_bytes()


@queue.job_kind(KIND, _l("导出师徒结对"))
def export_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"filter": a FILTERS key, "enterprise": an enterprise id or ids or None, "report":
    the report's figure and its years and scope (drill.args) or none, "locale"}; the file named by file_name."""
    filter_name = params.get("filter") or "all"
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = write_workbook(actor, filter_name=filter_name, enterprise_id=params.get("enterprise"), report=report,
                              drilled=params.get("report"))
    return queue.JobResult(deferred("已导出 %(n)d 个师徒结对。", n=report.done),
                           file_name=file_name(filter_name, params.get("report")),
                           content_type=spreadsheets.XLSX_TYPE, data=data)


def file_name(filter_name: str, drilled: dict | None) -> str:
    """The export's file name: mentor-pairs-<filter>-<day>.xlsx for a dashboard filter, and for a list behind
    a report figure (drill.args) mentor-pairs-<figure>-<year or first-last>-<day>.xlsx (e.g.
    mentor-pairs-active-2024-2026-11-30.xlsx); the day is today's in Shanghai."""
    parts = [filter_name]
    if drilled:
        years = drilled.get("year") or f"{drilled.get('first')}-{drilled.get('last')}"
        parts = ([filter_name] if filter_name != "all" else []) + [str(drilled.get("figure")), str(years)]
    return f"mentor-pairs-{'-'.join(parts)}-{clock.today().isoformat()}.xlsx"


def start_export(actor, filter_name: str, enterprise_id, locale: str, report: dict | None = None) -> Job:
    """Record the export job of the pairs behind `filter_name` (and `enterprise_id`: an id, ids or None;
    `report`: a report figure's drill.args) for `actor`, its labels in `locale`; it runs after the commit.
    NotAllowed for anyone but HR and union admins, NotFound for an unknown filter or figure, or a scope
    outside the actor's reach (checked now, not when the job runs)."""
    require_exporter(actor)
    pairs_query(actor, filter_name=filter_name, enterprise_id=enterprise_id, report=drill.from_args(actor, report))
    return queue.enqueue(actor, KIND, filter=filter_name, enterprise=enterprise_id, locale=locale,
                         report=report or None)
