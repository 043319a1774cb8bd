"""Skills training (技能培训) in the yearly report (issue 16), with the definitions of the training figures
page (services/training/figures.py, FIGURE_ROWS): the same owners and conditions, counted for every year
of the span at once (one query per figure, services.report.figures.tally) and with the distinct people
counted once over the whole span.

- Programmes, classes, attendances (人次), people, hours: by the programmes' owners, rolled up (an
  enterprise's own, a town's and its enterprises', the city's all); a programme by its first day, the
  rest by the class's start.
- Team leaders trained: distinct people completing a team-leader programme of those owners.
- Workers who raised their education or skill level: by where they worked then
  (training.figures.enterprise_in / skill_change_in_scope).
- Money spent per funding source, by the day it was spent.
- The chart of attendances (人次) per month of the span's last year: the attendances figure by month.
"""

from __future__ import annotations

from sqlalchemy import func, select, union_all

from core.l10n import lazy_gettext as _l
from models import db
from models.owners import OWNER_CITY, OWNER_ENTERPRISE, OWNER_TOWN
from models.skills import SkillLevelChange
from models.training import (
    ATTENDED,
    FUNDING_SOURCES,
    TEAM_LEADER,
    EducationUpgrade,
    TrainingAttendance,
    TrainingClass,
    TrainingCost,
    TrainingEnrolment,
    TrainingProgramme,
)
from services.report import scope as scopes
from services.report.figures import (
    COUNT,
    HOURS,
    PEOPLE,
    PERSON_TIMES,
    YUAN,
    Breakdown,
    Figure,
    Section,
    Series,
    distinct,
    figure,
    figure_from,
    tally,
    tally_by,
)
from services.report.periods import Span, month_of, within, year_of
from services.training import figures as training_figures

LEVELS = {scopes.CITY: OWNER_CITY, scopes.TOWN: OWNER_TOWN, scopes.ENTERPRISE: OWNER_ENTERPRISE}
# The report shows each figure's unit beside its label, so its labels carry none (the training figures
# page's labels do); the definitions are that page's (FIGURE_ROWS).
LABELS = {
    "programmes": _l("培训项目"),
    "classes": _l("培训班次"),
    "attendances": _l("参训人次"),
    "people": _l("参训人数"),
    "hours": _l("培训学时"),
    "team_leaders": _l("培训班组长"),
    "upgraded": _l("学历或技能等级提升"),
}
DEFINITIONS = {key: definition for key, _label, definition in training_figures.FIGURE_ROWS}


def owner_scope(scope) -> training_figures.FiguresScope:
    """The training figures' scope of a report scope (the same node)."""
    level = LEVELS[scope.kind]
    return training_figures.FiguresScope(level, enterprise_id=scope.id if level == OWNER_ENTERPRISE else None,
                                         town_id=scope.id if level == OWNER_TOWN else None, name=scope.name)


def _labelled(key: str, unit: str, counted) -> Figure:
    return figure(key, LABELS[key], DEFINITIONS[key], unit, counted)


def section(scope, span: Span) -> Section:
    """The training figures of `scope` over `span` (see the module's definitions)."""
    owner = owner_scope(scope)
    mine = (training_figures.programmes_of(owner), TrainingProgramme.status.in_(training_figures.COUNTED_STATUSES))
    result = Section("training", _l("技能培训"))
    result.figures.append(_labelled("programmes", COUNT, tally(span, TrainingProgramme.starts_on, func.count(), mine,
                                                               dates=True)))

    def classes(stmt):
        return stmt.select_from(TrainingClass).join(TrainingProgramme,
                                                    TrainingProgramme.id == TrainingClass.programme_id)

    result.figures.append(_labelled("classes", COUNT, tally(span, TrainingClass.starts_at, func.count(), mine,
                                                            source=classes)))

    def attendances(stmt):
        return (stmt.select_from(TrainingAttendance)
                .join(TrainingClass, TrainingClass.id == TrainingAttendance.class_id)
                .join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id))

    attended = (*mine, TrainingAttendance.status.in_(ATTENDED))
    result.figures.append(_labelled("attendances", PERSON_TIMES, tally(
        span, TrainingClass.starts_at, func.count(), attended, source=attendances)))
    result.series.append(_attendances_by_month(attended, attendances, span.last))
    result.figures.append(_labelled("people", PEOPLE, tally(
        span, TrainingClass.starts_at, distinct(TrainingAttendance.worker_id), attended, source=attendances,
        distinct_total=distinct(TrainingAttendance.worker_id))))
    result.figures.append(_labelled("hours", HOURS, tally(
        span, TrainingClass.starts_at, func.coalesce(func.sum(TrainingAttendance.hours), 0), attended,
        source=attendances)))

    def enrolments(stmt):
        return stmt.select_from(TrainingEnrolment).join(TrainingProgramme,
                                                        TrainingProgramme.id == TrainingEnrolment.programme_id)

    leaders = (training_figures.programmes_of(owner), TrainingProgramme.kind == TEAM_LEADER)
    result.figures.append(_labelled("team_leaders", PEOPLE, tally(
        span, TrainingEnrolment.completed_at, distinct(TrainingEnrolment.worker_id), leaders, source=enrolments,
        distinct_total=distinct(TrainingEnrolment.worker_id))))
    result.figures.append(_upgraded(owner, span))

    def costs(stmt):
        return stmt.select_from(TrainingCost).join(TrainingProgramme, TrainingProgramme.id == TrainingCost.programme_id)

    spent = tally_by(span, TrainingCost.spent_on, (TrainingCost.funding_source,),
                     func.coalesce(func.sum(TrainingCost.amount), 0), (training_figures.programmes_of(owner),),
                     source=costs, dates=True)
    money = Breakdown("money", _l("培训经费支出（按来源，元）"),
                      _l("本范围主办方（与培训项目相同）的项目实际支出，按支出日期计年度。"))
    for source, label in FUNDING_SOURCES.items():
        if (source,) in spent:
            money.rows.append(((label,), figure_from(f"money.{source}", label, "", YUAN, spent[(source,)], span)))
    result.breakdowns.append(money)
    return result


def _attendances_by_month(attended, source, year: int) -> Series:
    """Attendances (人次) per month of `year` by the class's start, with the "attendances" figure's owners
    and conditions (`attended`, `source`: its joins); one query."""
    month = month_of(TrainingClass.starts_at, year)
    counts = dict(db.session.execute(source(select(month, func.count()).where(
        *attended, within(TrainingClass.starts_at, Span(year, year))).group_by(month))).all())
    return Series("attendances_by_month", _l("%(year)s年各月参训人次", year=year), PERSON_TIMES,
                  [(_l("%(month)s月", month=m), counts.get(m, 0)) for m in range(1, 13)])


def _upgraded(owner, span: Span) -> Figure:
    """Distinct people who raised their education or skill level, per year and over the span (two queries
    over the union of both kinds of record)."""
    wide = span.with_previous
    education = (select(year_of(EducationUpgrade.graduated_on, wide, dates=True).label("year"),
                        EducationUpgrade.worker_id.label("person"))
                 .where(within(EducationUpgrade.graduated_on, wide, dates=True),
                        training_figures.enterprise_in(owner, EducationUpgrade.enterprise_id)))
    skill = (select(year_of(SkillLevelChange.effective_date, wide, dates=True).label("year"),
                    SkillLevelChange.user_id.label("person"))
             .where(SkillLevelChange.reason.in_(training_figures.UPGRADE_REASONS),
                    within(SkillLevelChange.effective_date, wide, dates=True),
                    training_figures.skill_change_in_scope(owner)))
    people = union_all(education, skill).subquery()
    values = dict(db.session.execute(select(people.c.year, distinct(people.c.person))
                                     .where(people.c.year.is_not(None)).group_by(people.c.year)).all())
    total = db.session.scalar(select(distinct(people.c.person)).where(people.c.year.between(span.first, span.last)))
    return Figure("upgraded", LABELS["upgraded"], DEFINITIONS["upgraded"], PEOPLE, values, total or 0)


def participants(scope, span: Span):
    """Participation (services.report.participation.PARTS): trainees of classes in the span, each
    attendance counted for the enterprise the trainee worked at then."""
    return ((select(year_of(TrainingClass.starts_at, span).label("year"),
                    TrainingAttendance.worker_id.label("person"),
                    TrainingAttendance.enterprise_id.label("enterprise"))
             .join(TrainingClass, TrainingClass.id == TrainingAttendance.class_id)
             .where(TrainingAttendance.status.in_(ATTENDED), within(TrainingClass.starts_at, span),
                    scopes.records(scope, TrainingAttendance.enterprise_id, at=TrainingClass.starts_at))),)


