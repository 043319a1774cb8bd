"""Five Small figures per owner, rolled up the union's tree (issue 14, "Figures roll up").

Rules (docs/domain.md, "Recommendation upward" and "Figures"):
- An owner's figures count the campaigns it owns; the level above counts its own plus everything
  below: an enterprise its own campaigns, a town its own and its enterprises', the city everything.
- A proposal recommended through several levels is one proposal (its identity: `origin_id`, or its own
  id for an original): it is counted once in any roll-up, and for prizes with its highest outcome
  (the highest level first, then the better prize), whatever levels it went through.
- Participation is counted two ways, each labelled: person-times (人次: one per author of each
  proposal) and distinct people (人数).
- Savings: the estimate of each valid proposal once (yuan); realised savings once, when verified.
- Prizes count only final results (the campaign's notice is over); rewards paid (奖金) are money, so
  every level's reward counts: the reward of each prize at the level that awarded it.
- Results from levels above the city (services.honours.results) with a prize, of proposals and of
  competitors, counted by level and prize: those of the actor's part of the tree (by the enterprise
  the subject belonged to), in `year` by the day the result was announced.
- `year`: campaigns whose submission opens in that calendar year (Asia/Shanghai); None: all years.
Each figure is one SQL aggregate, so the page costs the same few queries whatever the number of rows;
the figures are memoised per data version (services.common.figures_cache) under the actor's node of the
tree, the year and `own_only` (nothing else of the actor enters them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, case, func, literal, or_, select, true

from core import clock
from models import Enterprise, db
from models.honours import HigherResult
from models.proposals import (
    CAMPAIGN_FINAL,
    DRAFT,
    OWNER_CITY,
    OWNER_ENTERPRISE,
    OWNER_TOWN,
    VALID_STATUSES,
    WITHDRAWN,
    Campaign,
    Proposal,
    ProposalAuthor,
    RealisedSaving,
)
from services import policy
from services.common import figures_cache, rewards

LEVEL_RANK = {OWNER_ENTERPRISE: 1, OWNER_TOWN: 2, OWNER_CITY: 3}
PRIZE_RANK = {"first": 4, "second": 3, "third": 2, "honourable": 1}


@dataclass
class Figures:
    """One owner's figures: counts, money in yuan (Decimal), prizes as {(level, prize): proposals}."""

    proposals: int = 0
    valid: int = 0
    person_times: int = 0
    people: int = 0
    estimated_savings: Decimal = Decimal(0)
    verified_savings: Decimal = Decimal(0)
    prizes: dict[tuple[str, str], int] = field(default_factory=dict)
    rewards_paid: Decimal = Decimal(0)
    higher_prizes: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def prize_total(self) -> int:
        return sum(self.prizes.values())


def scope_clause(actor, own_only: bool = False):
    """SQL over Campaign: the campaigns whose figures `actor`'s node counts (its own, plus everything
    below unless `own_only`). Nothing for an actor without an office."""
    scope = policy.management_scope(actor)
    if scope.kind == policy.CITY:
        return Campaign.owner_level == OWNER_CITY if own_only else true()
    if scope.kind == policy.ENTERPRISE:
        return and_(Campaign.owner_level == OWNER_ENTERPRISE, Campaign.owner_enterprise_id == scope.id)
    if scope.kind == policy.TOWN:
        own = and_(Campaign.owner_level == OWNER_TOWN, Campaign.owner_town_id == scope.id)
        if own_only:
            return own
        below = and_(Campaign.owner_level == OWNER_ENTERPRISE, Campaign.owner_enterprise_id.in_(
            select(Enterprise.id).where(Enterprise.town_id == scope.id)))
        return or_(own, below)
    return literal(False)


def _year_clause(year: int | None):
    if year is None:
        return true()
    start = datetime(year, 1, 1, tzinfo=clock.SHANGHAI)
    return and_(Campaign.submission_opens_at >= start,
                Campaign.submission_opens_at < datetime(year + 1, 1, 1, tzinfo=clock.SHANGHAI))


def figures(actor, year: int | None = None, own_only: bool = False) -> Figures:
    """The figures of the campaigns `scope_clause(actor, own_only)` names (see the module rules), memoised
    per data version (shared: never change the result)."""
    node = policy.management_scope(actor)
    return figures_cache.memoised(("proposals.figures", node.kind, node.id, year, own_only),
                                  lambda: _figures(actor, year, own_only))


def _figures(actor, year: int | None, own_only: bool) -> Figures:
    identity = func.coalesce(Proposal.origin_id, Proposal.id)
    entries = (select(Proposal.id.label("id"), identity.label("identity"), Proposal.status.label("status"),
                      Proposal.estimated_savings.label("estimated"), Proposal.prize.label("prize"),
                      Campaign.owner_level.label("level"), Campaign.status.label("campaign_status"),
                      rewards.reward_of_prize(Campaign, Proposal.prize).label("reward"))
               .join(Campaign, Campaign.id == Proposal.campaign_id)
               .where(scope_clause(actor, own_only), _year_clause(year), Proposal.status.not_in((DRAFT, WITHDRAWN)))
               .subquery())
    result = Figures()
    counts = db.session.execute(select(
        func.count(func.distinct(entries.c.identity)),
        func.count(func.distinct(case((entries.c.status.in_(VALID_STATUSES), entries.c.identity)))),
        func.coalesce(func.sum(case((and_(entries.c.campaign_status == CAMPAIGN_FINAL, entries.c.prize.is_not(None)),
                                     entries.c.reward))), 0),
    )).one()
    result.proposals, result.valid, result.rewards_paid = counts[0], counts[1], Decimal(counts[2])
    pairs = (select(entries.c.identity, ProposalAuthor.user_id)
             .join(entries, entries.c.id == ProposalAuthor.proposal_id).distinct().subquery())
    result.person_times, result.people = db.session.execute(
        select(func.count(), func.count(func.distinct(pairs.c.user_id))).select_from(pairs)).one()
    per_identity = (select(entries.c.identity, func.max(entries.c.estimated).label("estimated"))
                    .where(entries.c.status.in_(VALID_STATUSES)).group_by(entries.c.identity).subquery())
    result.estimated_savings = Decimal(db.session.scalar(
        select(func.coalesce(func.sum(per_identity.c.estimated), 0))))
    realised = (select(entries.c.identity, func.max(RealisedSaving.amount).label("amount"))
                .join(RealisedSaving, RealisedSaving.proposal_id == entries.c.id)
                .where(RealisedSaving.verified_at.is_not(None)).group_by(entries.c.identity).subquery())
    result.verified_savings = Decimal(db.session.scalar(select(func.coalesce(func.sum(realised.c.amount), 0))))
    outcome = (case(*((entries.c.level == level, rank) for level, rank in LEVEL_RANK.items()), else_=0) * 10
               + case(*((entries.c.prize == code, rank) for code, rank in PRIZE_RANK.items()), else_=0))
    best = (select(entries.c.identity, func.max(outcome).label("best"))
            .where(entries.c.campaign_status == CAMPAIGN_FINAL, entries.c.prize.is_not(None))
            .group_by(entries.c.identity).subquery())
    levels = {rank: level for level, rank in LEVEL_RANK.items()}
    prizes = {rank: code for code, rank in PRIZE_RANK.items()}
    for value, count in db.session.execute(select(best.c.best, func.count()).group_by(best.c.best)):
        key = (levels.get(value // 10, ""), prizes.get(value % 10, ""))
        result.prizes[key] = result.prizes.get(key, 0) + count
    if not own_only or policy.management_scope(actor).kind == policy.ENTERPRISE:
        result.higher_prizes = _higher_prizes(actor, year)
    return result


def _higher_prizes(actor, year: int | None) -> dict[tuple[str, str], int]:
    """(level, prize) -> how many results above the city in the actor's part of the tree (one query)."""
    stmt = (select(HigherResult.level, HigherResult.prize, func.count())
            .where(HigherResult.prize.is_not(None), HigherResult.prize != "none",
                   policy.scope_condition(actor, HigherResult.enterprise_id))
            .group_by(HigherResult.level, HigherResult.prize))
    if year is not None:
        stmt = stmt.where(HigherResult.result_on >= date(year, 1, 1), HigherResult.result_on < date(year + 1, 1, 1))
    return {(level, prize): count for level, prize, count in db.session.execute(stmt)}
