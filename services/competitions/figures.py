"""Competition figures per owner, rolled up the union's tree (issue 14, "Figures roll up").

Rules (docs/domain.md, "Figures"):
- An owner's figures count the competitions it owns; the city counts its own and, rolled up, every
  competition; an enterprise its own selection contests.
- Participation two ways, each labelled: entries (参赛人次: one per confirmed entry) and distinct people
  (人数: each worker once, however many competitions they entered).
- Prizes count final results only, by the level of the competition that awarded them.
- Rewards paid (奖金, Decimal yuan): the sum over final results with a prize of that competition's reward
  for the prize (services.common.rewards.reward_of_prize), one per entry (a team's entry is paid once);
  rolled up like everything else, each competition counted at its own owner.
- `year`: competitions held in that calendar year; None: all years.
Each figure is one SQL aggregate: the page costs the same few queries whatever the number of rows; the
figures are memoised per data version (services.common.figures_cache) under the actor's node of the tree,
the year and `own_only` (nothing else of the actor enters them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, literal, select, true

from models import db
from models.competitions import CONFIRMED, DRAFT, FINAL, Competition, CompetitionRegistration, CompetitionResult
from services import policy
from services.common import figures_cache, rewards


@dataclass
class CompetitionFigures:
    """Counts of one owner's competitions; prizes as {(competition level, prize): count}."""

    competitions: int = 0
    entries: int = 0
    people: int = 0
    prizes: dict[tuple[str, str], int] = field(default_factory=dict)
    rewards_paid: Decimal = Decimal(0)


def scope_clause(actor, own_only: bool = False):
    """SQL over Competition: the competitions whose figures `actor`'s node counts."""
    scope = policy.management_scope(actor)
    if scope.kind == policy.CITY:
        return Competition.owner_level == "city" if own_only else true()
    if scope.kind == policy.ENTERPRISE:
        return and_(Competition.owner_level == "enterprise", Competition.owner_enterprise_id == scope.id)
    if scope.kind == policy.TOWN:
        own = and_(Competition.owner_level == "town", Competition.owner_town_id == scope.id)
        return own if own_only else (own | and_(Competition.owner_level == "enterprise",
                                                policy.scope_condition(actor, Competition.owner_enterprise_id)))
    return literal(False)


def figures(actor, year: int | None = None, own_only: bool = False) -> CompetitionFigures:
    """The figures of the competitions `scope_clause(actor, own_only)` names (see the module rules),
    memoised per data version (shared: never change the result)."""
    node = policy.management_scope(actor)
    return figures_cache.memoised(("competitions.figures", node.kind, node.id, year, own_only),
                                  lambda: _figures(actor, year, own_only))


def _figures(actor, year: int | None, own_only: bool) -> CompetitionFigures:
    where = [scope_clause(actor, own_only)]
    if year is not None:
        where += [Competition.held_on >= date(year, 1, 1), Competition.held_on < date(year + 1, 1, 1)]
    result = CompetitionFigures()
    result.competitions = db.session.scalar(
        select(func.count(Competition.id)).where(*where, Competition.status != DRAFT))
    result.entries, result.people = db.session.execute(
        select(func.count(CompetitionRegistration.id), func.count(func.distinct(CompetitionRegistration.worker_id)))
        .join(Competition, Competition.id == CompetitionRegistration.competition_id)
        .where(*where, CompetitionRegistration.status == CONFIRMED)).one()
    for level, prize, count, paid in db.session.execute(
            select(Competition.level, CompetitionResult.prize, func.count(CompetitionResult.id),
                   func.sum(rewards.reward_of_prize(Competition, CompetitionResult.prize)))
            .join(Competition, Competition.id == CompetitionResult.competition_id)
            .where(*where, Competition.status == FINAL, CompetitionResult.prize.is_not(None))
            .group_by(Competition.level, CompetitionResult.prize)):
        result.prizes[(level, prize)] = count
        result.rewards_paid += Decimal(paid or 0)
    return result
