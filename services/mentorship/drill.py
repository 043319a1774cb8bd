"""The pair list behind each mentoring figure of the yearly report (services.report.mentoring; docs/domain.md,
"The yearly report", drill-down): `figure` names the figure, services.report.drill the years and the scope.

Rules (the report's definitions, the same columns and conditions, a pair listed once):
- formed: pairs of the scope (its enterprise when the pair was created) activated (activated_on) in the years;
- active: pairs of the scope activated before the years end and not ended before they begin (over a span:
  each pair that ran on a day of it, once, as the figure's span total counts them);
- completed: pairs of the scope whose final assessment (出师考核) was recorded in the years; grade.<grade>:
  of those, the ones with that grade;
- dissolved: pairs of the scope ended early or dissolved, by the day they ended;
- excellent: pairs selected (and not revoked) in an excellent-pair round of the years, the nomination
  attributed to the scope by its enterprise when it was made;
- mentors_credited: pairs of the scope whose apprentice reached a certified higher level within the pair's
  credit window in the years (services.mentorship.credits): the figure counts their distinct mentors.
An unknown figure is NotFound.
"""

from __future__ import annotations

from sqlalchemy import exists, func, or_, select

from core.l10n import lazy_gettext as _l
from models.mentorship import (
    CREDITED_STATUSES,
    DISSOLVED,
    ENDED_EARLY,
    GRADE_LABELS,
    Assessment,
    ExcellentNomination,
    ExcellentRound,
    MentorPair,
)
from models.skills import REASON_CORRECTION, REASON_INITIAL, SkillLevelChange
from services.report import drill
from services.report import scope as scopes
from services.report.drill import ReportFilter
from services.report.periods import start_of, within

# The report's mentoring figures a pair list stands behind: key -> what the list says it shows.
FIGURES = {
    "formed": _l("新结对（按协议确认的日期）"),
    "active": _l("在带结对（所选年份内至少有一天处于带徒中，每对计一次）"),
    "completed": _l("出师考核（按考核日期）"),
    **{f"grade.{grade}": _l("出师考核：%(grade)s", grade=label) for grade, label in GRADE_LABELS.items()},
    "dissolved": _l("提前结束或解除（按结束的日期）"),
    "excellent": _l("优秀师徒（当年评选中选定且未撤销）"),
    "mentors_credited": _l("带徒见成效的师傅：这些结对的师傅（去重计人数）"),
}


def conditions(figure: str, drilled: ReportFilter) -> list:
    """SQL conditions on MentorPair: the pairs behind `figure` over the drill-down's years and scope (see
    the module rules). NotFound for an unknown figure."""
    if figure not in FIGURES:
        raise drill.unknown_figure()
    span, scope = drilled.span, drilled.scope
    in_scope = scopes.records(scope, MentorPair.enterprise_id, at=MentorPair.created_at)
    if figure == "formed":
        return [in_scope, within(MentorPair.activated_on, span, dates=True)]
    if figure == "active":
        return [in_scope, MentorPair.activated_on.is_not(None),
                MentorPair.activated_on < start_of(span.last + 1, dates=True),
                or_(MentorPair.ended_on.is_(None), MentorPair.ended_on >= start_of(span.first, dates=True))]
    if figure == "completed" or figure.startswith("grade."):
        assessed = [Assessment.pair_id == MentorPair.id, within(Assessment.assessed_on, span, dates=True)]
        if figure.startswith("grade."):
            assessed.append(Assessment.grade == figure.removeprefix("grade."))
        return [in_scope, exists().where(*assessed)]
    if figure == "dissolved":
        return [in_scope, MentorPair.status.in_((ENDED_EARLY, DISSOLVED)),
                within(MentorPair.ended_on, span, dates=True)]
    if figure == "excellent":
        return [MentorPair.id.in_(
            select(ExcellentNomination.pair_id)
            .join(ExcellentRound, ExcellentRound.id == ExcellentNomination.round_id)
            .where(ExcellentRound.year.between(span.first, span.last), ExcellentNomination.selected.is_(True),
                   ExcellentNomination.revoked_at.is_(None),
                   scopes.records(scope, ExcellentNomination.enterprise_id, at=ExcellentNomination.nominated_at)))]
    return [in_scope, MentorPair.status.in_(CREDITED_STATUSES), exists().where(
        SkillLevelChange.user_id == MentorPair.apprentice_id,
        SkillLevelChange.effective_date >= MentorPair.start_date,
        SkillLevelChange.effective_date <= func.coalesce(MentorPair.credit_until, MentorPair.planned_end),
        SkillLevelChange.level > func.coalesce(MentorPair.apprentice_level_at_start, -1),
        SkillLevelChange.reason.not_in((REASON_INITIAL, REASON_CORRECTION)),
        within(SkillLevelChange.effective_date, span, dates=True))]


def described(figure: str, drilled: ReportFilter) -> str:
    """What the list shows, for its filter state ("2026 · 镇X · 新结对")."""
    return " · ".join((drilled.span.label, drilled.scope.name, str(FIGURES[figure])))


def requested(actor, figure: str | None, year: int | None = None, first: int | None = None,
              last: int | None = None, town_id: int | None = None, enterprise_id: int | None = None):
    """(figure, ReportFilter) when a list is asked for a figure (services.report.drill.report_filter checks the
    years and the reader's reach), else None. NotFound for an unknown figure or a figure without years."""
    if figure is None:
        return None
    drilled = drill.report_filter(actor, year=year, first=first, last=last, town_id=town_id,
                                  enterprise_id=enterprise_id)
    if figure not in FIGURES or drilled is None:
        raise drill.unknown_figure()
    return figure, drilled


def args(report) -> dict:
    """The address arguments of a (figure, ReportFilter) (paging, the export, the job that re-reads it)."""
    if report is None:
        return {}
    figure, drilled = report
    return {"figure": figure, **drilled.params}


def from_args(actor, values: dict | None):
    """`requested` from `args`'s dict (an export job re-reads the drill-down with the person's own reach)."""
    values = values or {}
    return requested(actor, values.get("figure"), values.get("year"), values.get("first"), values.get("last"),
                     values.get("town"), values.get("enterprise"))

