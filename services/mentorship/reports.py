"""Mentoring figures and lists: HR's and the union's dashboards, the filtered pair lists behind each
number, and their Excel export (docs/domain.md, "Mentoring": overdue records and overdue
assessments are flagged to HR).

Every figure is one aggregate SQL query over mentor_pair (left-joined to its assessment); the same
predicate defines a dashboard number and the list its link opens, so they always agree:
- active: status active;
- overdue: active and the next check-in was due before today minus the grace days;
- due_week: active, not overdue, next check-in due by the end of this week (Sunday);
- assessment_due: active and the planned end is within 30 days (or past);
- completed_year: completed with an end date in the current year;
- passed_year: completed this year with a passing grade; pass rate = passed_year / completed_year.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_

from core import clock
from models import Enterprise, User, db
from models.mentorship import ACTIVE, COMPLETED, OPEN_STATUSES, PASSING_GRADES, PROPOSED, Assessment, MentorPair
from services import policy
from services.accounts.search import people_match
from services.errors import NotAllowed, NotFound
from services.mentorship import policy as mentorship_policy
from services.mentorship.checkins import checkin_state
from services.mentorship.settings import get_settings
from services.mentorship.terms import overdue_before, week_end

ASSESSMENT_LOOKAHEAD_DAYS = 30

FILTERS = {
    "all": _l("全部结对"),
    "proposed": _l("待确认"),
    "active": _l("带徒中"),
    "due_week": _l("本周应记录"),
    "overdue": _l("带徒记录逾期"),
    "assessment_due": _l("待出师考核"),
    "completed_year": _l("本年出师"),
    "passed_year": _l("本年考核通过"),
    "ended": _l("已结束或解除"),
}
DASHBOARD_FIGURES = ("active", "due_week", "overdue", "assessment_due", "completed_year", "passed_year")

# --- the figures ----------------------------------------------------------------------------------------


def predicates(today: date | None = None) -> dict:
    """The SQL condition of each named filter, relative to `today` and the settings."""
    today = today or clock.today()
    settings = get_settings()
    is_active = MentorPair.status == ACTIVE
    overdue = and_(is_active, MentorPair.next_checkin_due < overdue_before(today, settings))
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    completed_year = and_(MentorPair.status == COMPLETED, MentorPair.ended_on.between(year_start, year_end))
    return {
        "all": MentorPair.id.is_not(None),
        "proposed": MentorPair.status == PROPOSED,
        "active": is_active,
        "overdue": overdue,
        "due_week": and_(is_active, MentorPair.next_checkin_due >= overdue_before(today, settings),
                         MentorPair.next_checkin_due <= week_end(today)),
        "assessment_due": and_(is_active,
                               MentorPair.planned_end <= today + timedelta(days=ASSESSMENT_LOOKAHEAD_DAYS)),
        "completed_year": completed_year,
        "passed_year": and_(completed_year, Assessment.grade.in_(PASSING_GRADES)),
        "ended": MentorPair.status.not_in(OPEN_STATUSES),
    }


def _figure_columns(preds: dict) -> list:
    return [func.coalesce(func.sum(case((preds[name], 1), else_=0)), 0).label(name) for name in DASHBOARD_FIGURES]


def _with_rate(figures: dict) -> dict:
    completed = figures["completed_year"]
    figures["pass_rate"] = round(100 * figures["passed_year"] / completed, 1) if completed else None
    return figures


def enterprise_dashboard(actor) -> dict:
    """HR's figures for their own enterprise ({figure name: count, "pass_rate": percent or None}),
    in one aggregate query. Raises NotAllowed for anyone but HR."""
    if not policy.is_hr(actor):
        raise NotAllowed(_l("只有企业人力资源可以查看本企业的带徒统计。"))
    preds = predicates()
    stmt = (db.select(*_figure_columns(preds)).select_from(MentorPair)
            .outerjoin(Assessment, Assessment.pair_id == MentorPair.id))
    row = db.session.execute(policy.scope_to(stmt, actor, MentorPair.enterprise_id)).one()
    return _with_rate({name: int(getattr(row, name)) for name in DASHBOARD_FIGURES})


def union_dashboard(actor) -> tuple[dict, list[dict]]:
    """The union's totals and one row per enterprise with pairs (most active pairs first), from one
    GROUP BY query. Raises NotAllowed for anyone but a union admin."""
    policy.require_admin(actor, _l("只有总工会管理员可以查看全市带徒统计。"))
    preds = predicates()
    rows = db.session.execute(
        db.select(Enterprise.id, Enterprise.name, func.count(MentorPair.id).label("pairs"), *_figure_columns(preds))
        .select_from(MentorPair)
        .join(Enterprise, Enterprise.id == MentorPair.enterprise_id)
        .outerjoin(Assessment, Assessment.pair_id == MentorPair.id)
        .group_by(Enterprise.id, Enterprise.name)
        .order_by(func.sum(case((preds["active"], 1), else_=0)).desc(), Enterprise.name)
    ).all()
    table = [_with_rate({"enterprise_id": r.id, "name": r.name, "pairs": int(r.pairs),
                         **{name: int(getattr(r, name)) for name in DASHBOARD_FIGURES}}) for r in rows]
    totals = {name: sum(row[name] for row in table) for name in ("pairs", *DASHBOARD_FIGURES)}
    return _with_rate(totals), table


# --- the lists behind them ---------------------------------------------------------------------------


def pairs_query(actor, *, filter_name: str = "all", enterprise_id: int | None = None, search: str | None = None):
    """Pairs the actor may see, filtered by a dashboard filter (a key of FILTERS), an enterprise id
    (or the ids an enterprise picker matched) and the people search on the mentor or the apprentice
    (services.accounts.search: name start, employee number, phone tail); newest first, people loaded
    in the same query.
    Unknown filter names are NotFound."""
    preds = predicates()
    if filter_name not in preds:
        raise NotFound(_l("没有这个筛选条件。"))
    mentor = db.aliased(User)
    apprentice = db.aliased(User)
    stmt = (mentorship_policy.scope_pairs(db.select(MentorPair), actor)
            .outerjoin(Assessment, Assessment.pair_id == MentorPair.id)
            .where(preds[filter_name])
            .options(db.joinedload(MentorPair.mentor), db.joinedload(MentorPair.apprentice),
                     db.joinedload(MentorPair.trade), db.joinedload(MentorPair.enterprise),
                     db.contains_eager(MentorPair.assessment)))
    if enterprise_id is not None:  # an id, or the ids an enterprise picker's text matched
        ids = enterprise_id if isinstance(enterprise_id, list) else [enterprise_id]
        stmt = stmt.where(MentorPair.enterprise_id.in_(ids))
    if people_match(search) is not None:  # the one people search, on either side of the pair
        stmt = (stmt.join(mentor, mentor.id == MentorPair.mentor_id)
                .join(apprentice, apprentice.id == MentorPair.apprentice_id)
                .where(or_(people_match(search, mentor), people_match(search, apprentice))))
    return stmt.order_by(MentorPair.id.desc())


EXPORT_COLUMNS = (  # (heading, width in characters)
    (_l("编号"), 8), (_l("企业"), 28), (_l("师傅"), 10), (_l("徒弟"), 10), (_l("工种"), 14), (_l("目标等级"), 16),
    (_l("开始日期"), 12), (_l("计划结束"), 12), (_l("记录频率"), 10), (_l("状态"), 10), (_l("下次记录截止"), 14),
    (_l("记录状态"), 12), (_l("考核结果"), 10), (_l("达到等级"), 16), (_l("考核分数"), 10), (_l("结束日期"), 12),
)


CHECKIN_STATE_LABELS = {"overdue": _l("逾期"), "due": _l("本周应记录"), "ok": _l("正常")}  # see checkin_state


def _export_row(pair: MentorPair, today: date, settings) -> list:
    """One pair's cells, in the order of EXPORT_COLUMNS."""
    assessment = pair.assessment
    state = checkin_state(pair, today, settings)
    return [
        pair.id, pair.enterprise.name, pair.mentor.name, pair.apprentice.name, pair.trade.name,
        str(pair.goal.label), pair.start_date, pair.planned_end, str(pair.frequency_label),
        str(pair.status_label), pair.next_checkin_due if pair.status == ACTIVE else None,
        str(CHECKIN_STATE_LABELS.get(state, "")), str(assessment.grade_label) if assessment else "",
        str(assessment.level.label) if assessment and assessment.level else "",
        float(assessment.score) if assessment and assessment.score is not None else None, pair.ended_on,
    ]


def export_workbook(actor, *, filter_name: str = "all", enterprise_id: int | None = None) -> bytes:
    """The filtered pairs (as pairs_query) as an .xlsx workbook, one row per pair, with their
    check-in state today. Raises NotAllowed for anyone but HR and union admins."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    if not (policy.is_hr(actor) or policy.is_admin(actor)):
        raise NotAllowed(_l("只有企业人力资源和总工会管理员可以导出。"))
    settings = get_settings()
    today = clock.today()
    book = Workbook()
    sheet = book.active
    sheet.title = str(_l("师徒结对"))
    sheet.append([str(heading) for heading, _width in EXPORT_COLUMNS])
    pairs = db.session.scalars(pairs_query(actor, filter_name=filter_name, enterprise_id=enterprise_id)).unique()
    for pair in pairs:
        sheet.append(_export_row(pair, today, settings))
    for index, (_heading, width) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
