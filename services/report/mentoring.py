"""The mentoring (名师带徒) part of the yearly report (issue 16).

Definitions (shown on the page; docs/domain.md, "The yearly report"). A pair counts for the scope of its
enterprise at the time it was created.
- Formed: pairs whose agreement both sides confirmed (activated_on) in the year.
- Active: pairs whose agreement ran on at least one day of the year (activated, not ended before it);
  over a span, the distinct pairs that ran on at least one day of it (a pair active in two years of the
  span is one pair of the total, never the sum of the years).
- Completed: final assessments (出师考核) recorded in the year, by grade (优秀 / 合格 / 不合格).
- Dissolved: pairs ended before their plan (提前结束 or 解除) in the year, by the day they ended.
- Excellent pairs: selected in the year's excellent-pair round and not revoked.
- Mentors credited: distinct mentors one of whose apprentices reached a certified higher skill level
  within the pair's credit window in the year (services.mentorship.credits: the same rule).
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select

from core.l10n import lazy_gettext as _l
from models import db
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
from services.report import scope as scopes
from services.report.figures import (
    COUNT,
    PEOPLE,
    Breakdown,
    Figure,
    Section,
    distinct,
    figure,
    figure_from,
    tally,
    tally_by,
)
from services.report.periods import Span, start_of


def formed(scope, span: Span) -> Figure:
    """Pairs formed (one query)."""
    in_scope = scopes.records(scope, MentorPair.enterprise_id, at=MentorPair.created_at)
    return figure("formed", _l("新结对"), _l("师徒双方确认协议、开始带徒的结对数。"), COUNT,
                  tally(span, MentorPair.activated_on, func.count(), (in_scope,), dates=True))


def section(scope, span: Span) -> Section:
    """The mentoring figures of `scope` over `span` (see the module's definitions)."""
    in_scope = scopes.records(scope, MentorPair.enterprise_id, at=MentorPair.created_at)
    result = Section("mentoring", _l("名师带徒"))
    result.figures.append(formed(scope, span))
    result.figures.append(figure("active", _l("在带结对"),
                                 _l("当年内至少有一天处于带徒中的结对数；多年合计为期间内在带的结对数（跨年的结对只计一次）。"),
                                 COUNT, _active(in_scope, span)))

    def with_pair(stmt):
        return stmt.select_from(Assessment).join(MentorPair, MentorPair.id == Assessment.pair_id)

    result.figures.append(figure("completed", _l("出师考核"), _l("当年完成出师考核的结对数（含不合格）。"), COUNT,
                                 tally(span, Assessment.assessed_on, func.count(), (in_scope,), source=with_pair,
                                       dates=True)))
    result.figures.append(figure(
        "dissolved", _l("提前结束或解除"), _l("未到计划期满即结束或解除的结对数（按结束的日期）。"), COUNT,
        tally(span, MentorPair.ended_on, func.count(), (in_scope, MentorPair.status.in_((ENDED_EARLY, DISSOLVED))),
              dates=True)))
    result.figures.append(_excellent(scope, span))
    result.figures.append(_credited(in_scope, span))
    grades = tally_by(span, Assessment.assessed_on, (Assessment.grade,), func.count(), (in_scope,),
                      source=with_pair, dates=True)
    breakdown = Breakdown("grades", _l("出师考核（按等次）"), _l("按出师考核的等次统计。"))
    for grade, label in GRADE_LABELS.items():
        if (grade,) in grades:
            breakdown.rows.append(((label,), figure_from(f"grade.{grade}", label, "", COUNT, grades[(grade,)], span)))
    result.breakdowns.append(breakdown)
    return result


def _active(in_scope, span: Span) -> tuple[dict[int, int], int]:
    """({year: pairs whose agreement ran on a day of it}, distinct pairs that ran on a day of the span): one
    query, a sum per year and one over the span (each row is one pair, so the span's sum counts it once)."""
    def ran_within(first: int, last: int):
        return func.coalesce(func.sum(case((and_(
            MentorPair.activated_on < start_of(last + 1, dates=True),
            or_(MentorPair.ended_on.is_(None), MentorPair.ended_on >= start_of(first, dates=True))), 1),
            else_=0)), 0)

    years = span.with_previous.years
    columns = [ran_within(year, year) for year in years] + [ran_within(span.first, span.last)]
    *values, total = db.session.execute(
        select(*columns).where(in_scope, MentorPair.activated_on.is_not(None))).one()
    return dict(zip(years, (int(v) for v in values), strict=True)), int(total)


def _excellent(scope, span: Span):
    values = dict(db.session.execute(
        select(ExcellentRound.year, func.count())
        .join(ExcellentNomination, ExcellentNomination.round_id == ExcellentRound.id)
        .where(ExcellentRound.year.between(span.first - 1, span.last), ExcellentNomination.selected.is_(True),
               ExcellentNomination.revoked_at.is_(None),
               scopes.records(scope, ExcellentNomination.enterprise_id, at=ExcellentNomination.nominated_at))
        .group_by(ExcellentRound.year)).all())
    return figure_from("excellent", _l("优秀师徒"), _l("当年优秀师徒评选中选定且未撤销的结对数。"), COUNT, values, span)


def _credited(in_scope, span: Span):
    def milestones(stmt):
        return (stmt.select_from(SkillLevelChange)
                .join(MentorPair, MentorPair.apprentice_id == SkillLevelChange.user_id))

    where = (in_scope, MentorPair.status.in_(CREDITED_STATUSES),
             SkillLevelChange.effective_date >= MentorPair.start_date,
             SkillLevelChange.effective_date <= func.coalesce(MentorPair.credit_until, MentorPair.planned_end),
             SkillLevelChange.level > func.coalesce(MentorPair.apprentice_level_at_start, -1),
             SkillLevelChange.reason.not_in((REASON_INITIAL, REASON_CORRECTION)))
    return figure("mentors_credited", _l("带徒见成效的师傅"),
                  _l("徒弟在协议期内或期满三年内取得更高技能等级的师傅人数（去重）。"), PEOPLE,
                  tally(span, SkillLevelChange.effective_date, distinct(MentorPair.mentor_id), where,
                        source=milestones, dates=True, distinct_total=distinct(MentorPair.mentor_id)))
