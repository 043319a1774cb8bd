"""Mentoring figures and lists: HR's and the union's dashboards, the filtered pair lists behind each
number, the Excel export, a person's mentoring record and the mentor's credits.

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
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_

from core import clock
from models import Enterprise, User, db
from models.mentorship import (
    ACTIVE,
    COMPLETED,
    CREDITED_STATUSES,
    OPEN_STATUSES,
    PASSING_GRADES,
    Assessment,
    ExcellentNomination,
    ExcellentRound,
    MentorPair,
)
from models.notices import NOTICE_FINAL, PublicNotice
from models.skills import REASON_CORRECTION, REASON_INITIAL, SkillLevelChange, level
from services import policy
from services.accounts import policy as accounts_policy
from services.errors import NotAllowed, NotFound
from services.mentorship import get_settings, overdue_before, scope_pairs, week_end
from services.mentorship_excellent import NOTICE_SUBJECT

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
        "proposed": MentorPair.status == "proposed",
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
    """HR's figures for their own enterprise, in one aggregate query."""
    if not policy.is_hr(actor):
        raise NotAllowed(_l("只有企业人力资源可以查看本企业的带徒统计。"))
    preds = predicates()
    row = db.session.execute(
        db.select(*_figure_columns(preds)).select_from(MentorPair)
        .outerjoin(Assessment, Assessment.pair_id == MentorPair.id)
        .where(MentorPair.enterprise_id == actor.enterprise_id)
    ).one()
    return _with_rate({name: int(getattr(row, name)) for name in DASHBOARD_FIGURES})


def union_dashboard(actor) -> tuple[dict, list[dict]]:
    """The union's totals and one row per enterprise with pairs, from one GROUP BY query."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以查看全市带徒统计。"))
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


def pairs_query(actor, *, filter_name: str = "all", enterprise_id: int | None = None, search: str | None = None):
    """Pairs the actor may see, filtered by a dashboard filter; newest first, people loaded in the
    same query. Unknown filter names are NotFound."""
    preds = predicates()
    if filter_name not in preds:
        raise NotFound(_l("没有这个筛选条件。"))
    mentor = db.aliased(User)
    apprentice = db.aliased(User)
    stmt = (scope_pairs(db.select(MentorPair), actor)
            .outerjoin(Assessment, Assessment.pair_id == MentorPair.id)
            .where(preds[filter_name])
            .options(db.joinedload(MentorPair.mentor), db.joinedload(MentorPair.apprentice),
                     db.joinedload(MentorPair.trade), db.joinedload(MentorPair.enterprise),
                     db.contains_eager(MentorPair.assessment)))
    if enterprise_id:
        stmt = stmt.where(MentorPair.enterprise_id == enterprise_id)
    if search:
        like = f"%{search.strip()}%"
        stmt = (stmt.join(mentor, mentor.id == MentorPair.mentor_id)
                .join(apprentice, apprentice.id == MentorPair.apprentice_id)
                .where(or_(mentor.name.like(like), apprentice.name.like(like))))
    return stmt.order_by(MentorPair.id.desc())


def export_workbook(actor, *, filter_name: str = "all", enterprise_id: int | None = None) -> bytes:
    """The filtered pairs as an Excel workbook (one row per pair); HR and admins only."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    if not (policy.is_hr(actor) or policy.is_admin(actor)):
        raise NotAllowed(_l("只有企业人力资源和总工会管理员可以导出。"))
    from services.mentorship import checkin_state

    settings = get_settings()
    today = clock.today()
    book = Workbook()
    sheet = book.active
    sheet.title = str(_l("师徒结对"))
    headers = [_l("编号"), _l("企业"), _l("师傅"), _l("徒弟"), _l("工种"), _l("目标等级"), _l("开始日期"),
               _l("计划结束"), _l("记录频率"), _l("状态"), _l("下次记录截止"), _l("记录状态"), _l("考核结果"),
               _l("达到等级"), _l("考核分数"), _l("结束日期")]
    sheet.append([str(h) for h in headers])
    state_labels = {"overdue": str(_l("逾期")), "due": str(_l("本周应记录")), "ok": str(_l("正常"))}
    pairs = db.session.scalars(pairs_query(actor, filter_name=filter_name, enterprise_id=enterprise_id)).unique()
    for pair in pairs:
        assessment = pair.assessment
        state = checkin_state(pair, today, settings)
        sheet.append([
            pair.id, pair.enterprise.name, pair.mentor.name, pair.apprentice.name, pair.trade.name,
            str(pair.goal.label), pair.start_date, pair.planned_end, str(pair.frequency_label),
            str(pair.status_label), pair.next_checkin_due if pair.status == ACTIVE else None,
            state_labels.get(state, ""), str(assessment.grade_label) if assessment else "",
            str(assessment.level.label) if assessment and assessment.level else "",
            float(assessment.score) if assessment and assessment.score is not None else None, pair.ended_on,
        ])
    for index, width in enumerate((8, 28, 10, 10, 14, 16, 12, 12, 10, 10, 14, 12, 10, 16, 10, 12), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- a person's mentoring record and the mentor's credits ------------------------------------------


@dataclass(frozen=True)
class Credit:
    """A milestone an apprentice reached within the agreement or 3 years after: evidence for the mentor."""

    pair_id: int
    apprentice_name: str
    kind: str  # "skill_level" or "competition_prize"
    on: date
    description: str


def skill_level_milestones(mentor_id: int) -> list[Credit]:
    """Higher certified levels of the mentor's apprentices between the pair's start and its credit
    window end (end of the agreement + 3 years), above the level the apprentice had at the start.
    One query; initial entries and corrections do not count."""
    rows = db.session.execute(
        db.select(MentorPair.id, User.name, SkillLevelChange.effective_date, SkillLevelChange.level,
                  SkillLevelChange.reason)
        .join(SkillLevelChange, SkillLevelChange.user_id == MentorPair.apprentice_id)
        .join(User, User.id == MentorPair.apprentice_id)
        .where(MentorPair.mentor_id == mentor_id, MentorPair.status.in_(CREDITED_STATUSES),
               SkillLevelChange.effective_date >= MentorPair.start_date,
               SkillLevelChange.effective_date <= func.coalesce(MentorPair.credit_until, MentorPair.planned_end),
               SkillLevelChange.level > func.coalesce(MentorPair.apprentice_level_at_start, -1),
               SkillLevelChange.reason.not_in((REASON_INITIAL, REASON_CORRECTION)))
        .order_by(SkillLevelChange.effective_date, SkillLevelChange.id)
    ).all()
    return [Credit(pair_id=r[0], apprentice_name=r[1], kind="skill_level", on=r[2],
                   description=str(_l("晋升为%(level)s", level=level(r[3]).label))) for r in rows]


def competition_prize_milestones(mentor_id: int) -> list[Credit]:
    """Prizes (一等奖 ... 优秀奖) won by the mentor's apprentices in final competition results held between
    a credited pair's start date and its credit window end. One query."""
    from services.competitions.results import final_placings_stmt

    placings = final_placings_stmt().subquery()
    rows = db.session.execute(
        db.select(MentorPair.id, User.name, placings.c.held_on, placings.c.name, placings.c.prize)
        .join(placings, placings.c.worker_id == MentorPair.apprentice_id)
        .join(User, User.id == MentorPair.apprentice_id)
        .where(MentorPair.mentor_id == mentor_id, MentorPair.status.in_(CREDITED_STATUSES),
               placings.c.prize.is_not(None), placings.c.held_on >= MentorPair.start_date,
               placings.c.held_on <= func.coalesce(MentorPair.credit_until, MentorPair.planned_end))
        .order_by(placings.c.held_on)
    ).all()
    return [Credit(pair_id=r[0], apprentice_name=r[1], kind="competition_prize", on=r[2],
                   description=f"{r[3]} {r[4]}") for r in rows]


def mentor_credits(mentor) -> list[Credit]:
    """All credits of a mentor, by date: higher skill levels and competition prizes of their apprentices."""
    mentor_id = getattr(mentor, "id", mentor)
    credits = skill_level_milestones(mentor_id) + competition_prize_milestones(mentor_id)
    return sorted(credits, key=lambda c: (c.on, c.pair_id))


def can_view_record(actor, person: User) -> bool:
    """Everyone sees their own record; HR of the person's enterprise and admins see it too."""
    return accounts_policy.can_view_worker(actor, person)


def person_record(actor, user_id: int) -> dict:
    """A person's mentoring record: pairs as mentor and as apprentice (with outcomes), the mentor's
    credits and published excellent-pair honours. A fixed number of queries."""
    person = db.session.get(User, user_id)
    if person is None or not can_view_record(actor, person):
        raise NotFound(_l("找不到这个人员。"))
    pairs = list(db.session.scalars(
        db.select(MentorPair).where(or_(MentorPair.mentor_id == person.id, MentorPair.apprentice_id == person.id))
        .options(db.joinedload(MentorPair.mentor), db.joinedload(MentorPair.apprentice),
                 db.joinedload(MentorPair.trade), db.joinedload(MentorPair.assessment),
                 db.joinedload(MentorPair.enterprise))
        .order_by(MentorPair.start_date.desc(), MentorPair.id.desc())).unique())
    honours = excellent_honours([pair.id for pair in pairs])
    as_mentor = [p for p in pairs if p.mentor_id == person.id]
    return {
        "person": person,
        "current": [p for p in as_mentor if p.status in OPEN_STATUSES],
        "past": [p for p in as_mentor if p.status not in OPEN_STATUSES],
        "as_apprentice": [p for p in pairs if p.apprentice_id == person.id],
        "credits": mentor_credits(person) if as_mentor else [],
        "honours": honours,
    }


def excellent_honours(pair_ids: list[int]) -> dict[int, int]:
    """{pair id: year} for pairs selected as excellent in a round whose public notice is final."""
    if not pair_ids:
        return {}
    rows = db.session.execute(
        db.select(ExcellentNomination.pair_id, ExcellentRound.year)
        .join(ExcellentRound, ExcellentRound.id == ExcellentNomination.round_id)
        .join(PublicNotice, (PublicNotice.subject_type == NOTICE_SUBJECT)
              & (PublicNotice.subject_id == ExcellentRound.id))
        .where(ExcellentNomination.pair_id.in_(pair_ids), ExcellentNomination.selected,
               PublicNotice.status == NOTICE_FINAL)
    ).all()
    return dict(rows)
