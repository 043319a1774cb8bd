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

from datetime import date, timedelta
from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, bindparam, case, func, or_

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, Trade, User, db
from models.mentorship import (
    ACTIVE,
    COMPLETED,
    OPEN_STATUSES,
    PASSING_GRADES,
    PROPOSED,
    Assessment,
    MentorPair,
    MentorshipFigures,
)
from services import policy
from services.accounts.search import people_match
from services.errors import NotAllowed, NotFound
from services.mentorship import drill, figures
from services.mentorship import policy as mentorship_policy
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


def filter_days(today: date | None = None, settings=None) -> dict[str, date]:
    """The days the named filters compare with, for `today` (default today, Asia/Shanghai) and the
    settings (`settings`: the page's MentorshipSettings when it holds them, else read): `overdue_before`,
    `week_end`, `assessment_by`, `year_start`, `year_end`."""
    today = today or clock.today()
    return {"overdue_before": overdue_before(today, settings or get_settings()), "week_end": week_end(today),
            "assessment_by": today + timedelta(days=ASSESSMENT_LOOKAHEAD_DAYS),
            "year_start": date(today.year, 1, 1), "year_end": date(today.year, 12, 31)}


# Bind parameters standing for `filter_days` in a statement built once (services.messages.todos).
DAY_PARAMS = {name: bindparam(f"mentorship_{name}") for name in
              ("overdue_before", "week_end", "assessment_by", "year_start", "year_end")}


def day_params(today: date | None = None) -> dict[str, date]:
    """The values of DAY_PARAMS (by bind parameter name) for `today`."""
    return {DAY_PARAMS[name].key: day for name, day in filter_days(today).items()}


def predicates(today: date | None = None, days: dict | None = None, settings=None, only: str | None = None) -> dict:
    """The SQL condition of each named filter, relative to `today` and the settings (`settings`: the
    page's MentorshipSettings when it holds them, else read); or to `days` (`filter_days`' names: days
    or DAY_PARAMS). With `only` (a filter name), that filter's condition alone (a list shows one filter:
    the others are not built); an empty dict for a name that is not a filter."""
    days = days or filter_days(today, settings)

    def is_active():
        return MentorPair.status == ACTIVE

    def completed_year():
        return and_(MentorPair.status == COMPLETED, MentorPair.ended_on.between(days["year_start"], days["year_end"]))

    conditions = {
        "all": lambda: MentorPair.id.is_not(None),
        "proposed": lambda: MentorPair.status == PROPOSED,
        "active": is_active,
        "overdue": lambda: and_(is_active(), MentorPair.next_checkin_due < days["overdue_before"]),
        "due_week": lambda: and_(is_active(), MentorPair.next_checkin_due >= days["overdue_before"],
                                 MentorPair.next_checkin_due <= days["week_end"]),
        "assessment_due": lambda: and_(is_active(), MentorPair.planned_end <= days["assessment_by"]),
        "completed_year": completed_year,
        "passed_year": lambda: and_(completed_year(), Assessment.grade.in_(PASSING_GRADES)),
        "ended": lambda: MentorPair.status.not_in(OPEN_STATUSES),
    }
    names = conditions if only is None else [only] if only in conditions else []
    return {name: conditions[name]() for name in names}


def _figure_columns(preds: dict) -> list:
    return [func.coalesce(func.sum(case((preds[name], 1), else_=0)), 0).label(name) for name in DASHBOARD_FIGURES]


def _with_rate(figures: dict) -> dict:
    completed = figures["completed_year"]
    figures["pass_rate"] = round(100 * figures["passed_year"] / completed, 1) if completed else None
    return figures


def enterprise_dashboard(actor, settings=None) -> dict:
    """HR's figures for their own enterprise ({figure name: count, "pass_rate": percent or None}),
    in one aggregate query (`settings`: as predicates; kept for an enterprise's HR: built once per process,
    the days and the enterprise bound). Raises NotAllowed for anyone but HR."""
    if not policy.is_hr(actor):
        raise NotAllowed(_l("只有企业人力资源可以查看本企业的带徒统计。"))
    days = {DAY_PARAMS[name].key: day for name, day in filter_days(settings=settings).items()}
    scope = policy.management_scope(actor)
    if scope.kind == policy.ENTERPRISE:  # HR's own enterprise: a kept statement, the enterprise bound
        stmt = shared_statement(("mentorship.enterprise_dashboard",), lambda: _pair_figures().where(
            MentorPair.enterprise_id == _ENTERPRISE))
        row = db.session.execute(stmt, {**days, _ENTERPRISE.key: scope.id}).one()
    else:
        row = db.session.execute(policy.scope_to(_pair_figures(), actor, MentorPair.enterprise_id), days).one()
    return _with_rate({name: int(getattr(row, name)) for name in DASHBOARD_FIGURES})


_ENTERPRISE = bindparam("mentorship_dashboard_enterprise")


def _pair_figures():
    """The dashboard's figures over every pair (the days as DAY_PARAMS), to narrow to a scope."""
    return (db.select(*_figure_columns(predicates(days=DAY_PARAMS))).select_from(MentorPair)
            .outerjoin(Assessment, Assessment.pair_id == MentorPair.id))


def union_dashboard(actor, page: int = 1, per_page: int = 50, settings=None):
    """The union's totals and one page of enterprises with pairs, most active pairs first: (totals,
    pagination whose items are rows {"enterprise_id", "name", "pairs", figure: count, "pass_rate"}).

    A fixed number of queries whatever the number of pairs: the totals and the number of enterprises with
    pairs in one (the counts by status are stored per enterprise, services.mentorship.figures; the
    date-relative totals are index ranges), the page of enterprise ids, and the page's names and
    date-relative figures one GROUP BY over their pairs.
    The totals' and the rows' statements are kept (built once per process with DAY_PARAMS, the days bound
    per view: core.statements.shared_statement). `settings`: as predicates. Raises NotAllowed for
    anyone but a union admin."""
    policy.require_admin(actor, _l("只有总工会管理员可以查看全市带徒统计。"))
    days = {DAY_PARAMS[name].key: day for name, day in filter_days(settings=settings).items()}
    dated = [name for name in DASHBOARD_FIGURES if name != "active"]
    counts = db.session.execute(shared_statement(("mentorship.city_totals",), lambda: db.select(
        *figures.city_totals_columns(), *[
            db.select(func.count(MentorPair.id)).select_from(MentorPair)
            .outerjoin(Assessment, Assessment.pair_id == MentorPair.id).where(predicates(days=DAY_PARAMS)[name])
            .scalar_subquery().label(name) for name in dated])), days).one()
    totals = _with_rate({name: int(getattr(counts, name)) for name in ("pairs", "active", *dated)})
    pagination = _DashboardPage(session=db.session(), page=page, per_page=per_page, error_out=False, days=days,
                                total=int(counts.enterprises))
    return totals, pagination


_PAGE_LIMIT, _PAGE_OFFSET = bindparam("mentorship_page_limit"), bindparam("mentorship_page_offset")


def _enterprise_rows_statement():
    """One page of figures.enterprises_query (its order, LIMIT/OFFSET bound) joined to its enterprises'
    names, stored pair counts and figures, a GROUP BY over the page's own pairs, in the page's order."""
    F = MentorshipFigures
    page_ids = (figures.enterprises_query().add_columns(F.active.label("page_active"))
                .limit(_PAGE_LIMIT).offset(_PAGE_OFFSET).subquery("page_ids"))
    return (db.select(F.enterprise_id, F.pairs, Enterprise.name, *_figure_columns(predicates(days=DAY_PARAMS)))
            .select_from(page_ids).join(F, F.enterprise_id == page_ids.c.enterprise_id)
            .join(Enterprise, Enterprise.id == F.enterprise_id)
            .outerjoin(MentorPair, MentorPair.enterprise_id == F.enterprise_id)
            .outerjoin(Assessment, Assessment.pair_id == MentorPair.id)
            .group_by(F.enterprise_id, F.pairs, Enterprise.name, page_ids.c.page_active)
            .order_by(page_ids.c.page_active.desc(), F.enterprise_id.desc()))


class _DashboardPage(Pagination):
    """The union dashboard's page of enterprises: its rows (dicts as union_dashboard describes them) read
    in one kept statement with the page's enterprise ids (`days`: the values of DAY_PARAMS); the total
    (`total`: the rows of figures.enterprises_query) read with the city's totals, not counted again."""

    def _query_items(self) -> list[dict]:
        stmt = shared_statement(("mentorship.enterprise_page_rows",), _enterprise_rows_statement)
        rows = self._query_args["session"].execute(stmt, {
            **self._query_args["days"], _PAGE_LIMIT.key: self.per_page, _PAGE_OFFSET.key: self._query_offset})
        return [_with_rate({"enterprise_id": row.enterprise_id, "name": row.name, "pairs": row.pairs,
                            **{name: int(getattr(row, name)) for name in DASHBOARD_FIGURES}})
                for row in rows]

    def _query_count(self) -> int:
        return self._query_args["total"]


# --- the lists behind them ---------------------------------------------------------------------------


def pairs_query(actor, *, filter_name: str = "all", enterprise_id: int | None = None, search: str | None = None,
                report=None, rows: bool = False, settings=None):
    """Pairs the actor may see, filtered by a dashboard filter (a key of FILTERS), an enterprise id
    (or the ids an enterprise picker matched) and the people search on the mentor or the apprentice
    (services.accounts.search: name start, employee number, phone tail); newest first. A page is chosen
    on the pairs alone (an index walk, the assessment joined only for the filter that reads it); the
    page's people, trade, enterprise and assessment are loaded afterwards, a query each. Unknown filter
    names are NotFound. `report` (figure, services.report.drill.ReportFilter): only the pairs behind that figure
    of the yearly report (services.mentorship.drill), within what the actor may see anyway.
    With `rows`, plain rows of the columns the list shows (id, status, start_date, planned_end,
    next_checkin_due, mentor_name, apprentice_name, trade_name, enterprise_name, grade: None without a
    final assessment) in one query, no ORM objects; the shown columns are read through unique keys
    (_shown_columns), which a COUNT over it leaves out. `settings`: as predicates."""
    preds = predicates(settings=settings, only=filter_name)
    if filter_name not in preds:
        raise NotFound(_l("没有这个筛选条件。"))
    if rows:
        stmt = db.select(MentorPair.id, MentorPair.status, MentorPair.start_date, MentorPair.planned_end,
                         MentorPair.next_checkin_due, *_shown_columns())
    else:
        stmt = db.select(MentorPair).options(
            db.selectinload(MentorPair.mentor).lazyload(User.role_rows),  # roles not shown
            db.selectinload(MentorPair.apprentice).lazyload(User.role_rows),
            db.selectinload(MentorPair.trade), db.selectinload(MentorPair.enterprise),
            db.selectinload(MentorPair.assessment))
    stmt = mentorship_policy.scope_pairs(stmt, actor).where(preds[filter_name])
    if report is not None:
        stmt = stmt.where(*drill.conditions(*report))
    if filter_name == "passed_year":
        stmt = stmt.join(Assessment, Assessment.pair_id == MentorPair.id)
    if enterprise_id is not None:  # an id, or the ids an enterprise picker's text matched
        ids = enterprise_id if isinstance(enterprise_id, list) else [enterprise_id]
        stmt = stmt.where(MentorPair.enterprise_id.in_(ids))
    if people_match(search) is not None:  # the one people search, on either side of the pair
        mentor, apprentice = db.aliased(User), db.aliased(User)
        stmt = (stmt.join(mentor, mentor.id == MentorPair.mentor_id)
                .join(apprentice, apprentice.id == MentorPair.apprentice_id))
        stmt = stmt.where(or_(people_match(search, mentor), people_match(search, apprentice)))
    return stmt.order_by(MentorPair.id.desc())


@cache
def _shown_columns() -> tuple:
    """The list's columns read through the pair's unique keys (mentor_name, apprentice_name, trade_name,
    enterprise_name, grade: None without a final assessment), each a scalar subquery correlated to the
    pair only: the same values as left joins, but PostgreSQL plans the statement in a tenth of the time
    (five left joins cost 2 ms of planning per view at scale 1.0, the page itself 0.3 ms), and the
    filters' own joins (Assessment for passed_year, the people for a search) stay apart from them. Built
    once per process (the columns hold no bind values)."""
    def one(column, *where):
        return db.select(column).where(*where).correlate(MentorPair).scalar_subquery()

    return (one(User.name, User.id == MentorPair.mentor_id).label("mentor_name"),
            one(User.name, User.id == MentorPair.apprentice_id).label("apprentice_name"),
            one(Trade.name, Trade.id == MentorPair.trade_id).label("trade_name"),
            one(Enterprise.name, Enterprise.id == MentorPair.enterprise_id).label("enterprise_name"),
            one(Assessment.grade, Assessment.pair_id == MentorPair.id).label("grade"))
