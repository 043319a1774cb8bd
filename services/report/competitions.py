"""The competitions (技能竞赛) part of the yearly report (issue 16).

Definitions (shown on the page; docs/domain.md, "The yearly report"):
- A competition belongs to the year it is held (held_on) and counts for its owner and the levels above
  it (an enterprise's selection contest for the enterprise, its town and the city). Drafts are not
  counted. Held competitions are also broken down by level.
- Entrants: confirmed entries of competitions held in the year, for the scope of the enterprise each
  entry was made from at that moment. Person-times (人次): one per competitor, each member of a team
  entry included; distinct people (人) over the scope, and over the span.
- Prizes: final results with a prize, by the competition's level and the grade; a team prize is one prize.
- Promotions: competitors recommended one skill level up (推荐晋升) in the year the recommendation was
  made, and those whose certificate HR recorded (取证), in the year it was recorded.
"""

from __future__ import annotations

from sqlalchemy import func, select, union_all

from core.l10n import lazy_gettext as _l
from models.competitions import (
    CONFIRMED,
    DRAFT,
    FINAL,
    PROMOTION_CERTIFIED,
    PROMOTION_PASSED_OVER,
    Competition,
    CompetitionPromotion,
    CompetitionRegistration,
    CompetitionResult,
    CompetitionTeamMember,
)
from models.vocabulary import COMPETITION_LEVELS, LEVEL_LABELS, PRIZE_LABELS, PRIZES
from services.report import scope as scopes
from services.report.figures import (
    COUNT,
    PEOPLE,
    PERSON_TIMES,
    Breakdown,
    Figure,
    Section,
    distinct,
    figure,
    tally,
    tally_by,
)
from services.report.figures import figure_from as additive
from services.report.periods import Span


def _competitors(scope):
    """A subquery of (held_on, worker_id): one row per competitor of each confirmed entry of the scope
    (team entries: each member), with the day its competition is held."""
    individual = (select(Competition.held_on.label("held_on"), CompetitionRegistration.worker_id.label("worker_id"))
                  .join(Competition, Competition.id == CompetitionRegistration.competition_id)
                  .where(Competition.is_team.is_(False)))
    team = (select(Competition.held_on.label("held_on"), CompetitionTeamMember.worker_id.label("worker_id"))
            .join(CompetitionRegistration, CompetitionRegistration.id == CompetitionTeamMember.registration_id)
            .join(Competition, Competition.id == CompetitionRegistration.competition_id)
            .where(Competition.is_team.is_(True)))
    conditions = (CompetitionRegistration.status == CONFIRMED, Competition.status != DRAFT,
                  scopes.records(scope, CompetitionRegistration.enterprise_id, at=CompetitionRegistration.created_at))
    return union_all(individual.where(*conditions), team.where(*conditions)).subquery()


def held_figure(scope, span: Span) -> Figure:
    """Competitions held (one query)."""
    return figure("held", _l("举办竞赛"), _l("当年举办的竞赛场次（本级及下级主办的）。"), COUNT,
                  tally(span, Competition.held_on, func.count(), (Competition.status != DRAFT,
                                                                  scopes.events(scope, Competition)), dates=True))


def entrants(scope, span: Span) -> Figure:
    """Entrants as person-times (one query)."""
    competitors = _competitors(scope)
    return figure("person_times", _l("参赛人次"), _l("已确认的参赛报名，团体赛每名队员计一人次。"), PERSON_TIMES,
                  tally(span, competitors.c.held_on, func.count(), source=lambda stmt: stmt.select_from(competitors),
                        dates=True))


def people(scope, span: Span) -> Figure:
    """Distinct entrants (one query per year and one over the span; one in all for a single year)."""
    competitors = _competitors(scope)
    return figure("people", _l("参赛人数"), _l("参赛职工去重后的人数；跨年合计同样去重。"), PEOPLE,
                  tally(span, competitors.c.held_on, distinct(competitors.c.worker_id),
                        source=lambda stmt: stmt.select_from(competitors), dates=True,
                        distinct_total=distinct(competitors.c.worker_id)))


def _from_results(stmt):
    return (stmt.select_from(CompetitionResult)
            .join(CompetitionRegistration, CompetitionRegistration.id == CompetitionResult.registration_id)
            .join(Competition, Competition.id == CompetitionResult.competition_id))


def _prize_where(scope) -> tuple:
    return (CompetitionResult.prize.is_not(None), Competition.status == FINAL,
            scopes.records(scope, CompetitionRegistration.enterprise_id, at=CompetitionRegistration.created_at))


def prizes(scope, span: Span) -> Figure:
    """Prizes (one query)."""
    return figure("prizes", _l("获奖"), _l("结果公布的竞赛中获奖的参赛者（团体计一个）。"), COUNT,
                  tally(span, Competition.held_on, func.count(), _prize_where(scope), source=_from_results,
                        dates=True))


def prizes_by_level(scope, span: Span) -> Breakdown:
    """Prizes by the competition's level and the grade (one query)."""
    by_prize = tally_by(span, Competition.held_on, (Competition.level, CompetitionResult.prize), func.count(),
                        _prize_where(scope), source=_from_results, dates=True)
    breakdown = Breakdown("prizes_by_level", _l("获奖（按级别和等次）"), _l("按竞赛级别和奖项等次统计。"))
    for level in reversed(COMPETITION_LEVELS):
        for prize in PRIZES:
            if (level, prize) in by_prize:
                breakdown.rows.append(((LEVEL_LABELS[level], PRIZE_LABELS[prize]), additive(
                    f"prize.{level}.{prize}", PRIZE_LABELS[prize], "", COUNT, by_prize[(level, prize)], span)))
    return breakdown


def section(scope, span: Span) -> Section:
    """The competitions figures of `scope` over `span` (see the module's definitions)."""
    result = Section("competitions", _l("技能竞赛"))
    held = (Competition.status != DRAFT, scopes.events(scope, Competition))
    result.figures += [held_figure(scope, span), entrants(scope, span), people(scope, span), prizes(scope, span)]
    promotion_scope = scopes.records(scope, CompetitionPromotion.enterprise_id, at=CompetitionPromotion.created_at)
    result.figures.append(figure(
        "promotions_recommended", _l("推荐晋升"), _l("竞赛后推荐晋升一个技能等级的人数（按推荐的年份）。"), PEOPLE,
        tally(span, CompetitionPromotion.created_at, func.count(),
              (CompetitionPromotion.status != PROMOTION_PASSED_OVER, promotion_scope))))
    result.figures.append(figure(
        "promotions_certified", _l("晋升取证"), _l("企业已登记实际取得等级证书的人数（按登记的年份）。"), PEOPLE,
        tally(span, CompetitionPromotion.recorded_at, func.count(),
              (CompetitionPromotion.status == PROMOTION_CERTIFIED, promotion_scope))))

    by_level = tally_by(span, Competition.held_on, (Competition.level,), func.count(), held, dates=True)
    held_breakdown = Breakdown("held_by_level", _l("各级竞赛场次"), _l("按竞赛级别统计当年举办的场次。"))
    for level in COMPETITION_LEVELS:
        if (level,) in by_level:
            held_breakdown.rows.append(((LEVEL_LABELS[level],), additive(
                f"held.{level}", LEVEL_LABELS[level], "", COUNT, by_level[(level,)], span)))
    result.breakdowns.append(held_breakdown)
    result.breakdowns.append(prizes_by_level(scope, span))
    return result


def entries_part(scope, span: Span) -> Section:
    """The figures the list of entries across competitions stands behind (services.competitions.listing):
    entrants, distinct entrants, prizes and prizes by level, the same functions as `section`, without the
    rest of the part (for a list that must not compute the whole part for its summary)."""
    return Section("competitions", _l("技能竞赛"), figures=[entrants(scope, span), people(scope, span),
                                                        prizes(scope, span)],
                   breakdowns=[prizes_by_level(scope, span)])


def entries_summary(part: Section, span: Span, figure_key: str, level: str | None = None,
                    prize: str | None = None) -> dict | None:
    """What the figure behind the list of entries counts, read from `part` (`section` or `entries_part` of
    the list's scope over `span`; one year: its value, a span: its total): "entrants" {"person_times",
    "people"}; "prizes" {"prizes"}, of one level (and one grade) from the breakdown's rows. None for
    entrants of one level (no figure counts them). No query."""
    def value(fig: Figure | None):
        return fig.over(span) if fig is not None else 0

    if figure_key == "prizes":
        if level is None:
            return {"prizes": value(part.figure("prizes"))}
        rows = next((b.rows for b in part.breakdowns if b.key == "prizes_by_level"), [])
        wanted = {f"prize.{level}.{code}" for code in ([prize] if prize else PRIZES)}
        return {"prizes": sum(value(fig) for _label, fig in rows if fig.key in wanted)}
    if level is not None:
        return None
    return {"person_times": value(part.figure("person_times")), "people": value(part.figure("people"))}
