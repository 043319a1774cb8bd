"""The yearly report's Five Small definitions as conditions on a list of proposals (issue 16, drill-down).

The report (services.report.five_small) counts each figure; the proposal list (services.proposals.listing)
lists the proposals behind it with these conditions, so both read one definition:
- Originals only (a proposal recommended upward is ONE proposal, listed as its original), neither draft
  nor withdrawn, first submitted in the year `year` or the years `first`..`last` (Asia/Shanghai).
- Stages: "collected" (all of those), "person_times" and "people" (the same proposals: the figures count
  their authors), "valid" and "estimated_savings" (passed screening at the first level), "adopted"
  (adopted or implemented at any level), "implemented" (implemented at any level), "verified_savings"
  (a realised saving verified by finance at any level; the amount counted is the largest verified one),
  "prize" (the proposal's BEST outcome, final campaigns only, is the campaign level `prize_level` and the
  grade `prize`: `best_outcome`, the rule the report's prize breakdown groups by).
- `summary` adds up what the figure counts over the listed proposals (authors, distinct authors, the
  estimates, the largest verified amounts), so the list shows the figure's number.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, exists, false, func, or_, select
from sqlalchemy.orm import aliased

from core import clock
from models import db
from models.proposals import (
    ADOPTED,
    CAMPAIGN_FINAL,
    DRAFT,
    IMPLEMENTED,
    VALID_STATUSES,
    WITHDRAWN,
    Campaign,
    Proposal,
    ProposalAuthor,
    RealisedSaving,
)
from services.common.planner import likely

# An outcome's rank: the campaign's level first (×10), then the grade; the best outcome is the largest.
LEVEL_RANK = {"enterprise": 1, "town": 2, "city": 3}
PRIZE_RANK = {"first": 4, "second": 3, "third": 2, "honourable": 1}

STAGES = ("collected", "valid", "adopted", "implemented", "person_times", "people", "estimated_savings",
          "verified_savings", "prize")
_CHAIN_STATUSES = {"adopted": (ADOPTED, IMPLEMENTED), "implemented": (IMPLEMENTED,)}
_VALID_STAGES = ("valid", "estimated_savings")


def same_proposal(level, original):
    """SQL: `level` is the original itself or one of its copies in higher campaigns. Written as an OR of
    two indexed equalities (the primary key, proposal.origin_id), not coalesce(origin_id, id) = id, which
    no index serves: at 1,100 proposals that join alone took 350 ms, growing with the square of the rows."""
    return or_(level.id == original.id, level.origin_id == original.id)


def outcome(level, campaign):
    """SQL: the rank of the outcome of one level of a chain (`level` a Proposal alias, `campaign` its
    Campaign alias): LEVEL_RANK of the campaign's level × 10 + PRIZE_RANK of the grade."""
    return (case(*((campaign.owner_level == lv, rank) for lv, rank in LEVEL_RANK.items()), else_=0) * 10
            + case(*((level.prize == code, rank) for code, rank in PRIZE_RANK.items()), else_=0))


def prized(level, campaign) -> tuple:
    """Conditions: the level's prize is final (its campaign's 公示 is over) and it has one."""
    return campaign.status == CAMPAIGN_FINAL, level.prize.is_not(None)


def outcome_code(prize_level: str, prize: str) -> int | None:
    """The rank `outcome` gives a level and grade (None for an unknown one)."""
    if prize_level not in LEVEL_RANK or prize not in PRIZE_RANK:
        return None
    return LEVEL_RANK[prize_level] * 10 + PRIZE_RANK[prize]


def best_outcome(original):
    """SQL (correlated to `original`): the best outcome of every level of its chain (NULL: no final prize)."""
    level, campaign = aliased(Proposal), aliased(Campaign)
    return (select(func.max(outcome(level, campaign))).select_from(level)
            .join(campaign, campaign.id == level.campaign_id)
            .where(same_proposal(level, original), *prized(level, campaign)).scalar_subquery())


def _verified(level):
    return and_(RealisedSaving.proposal_id == level.id, RealisedSaving.verified_at.is_not(None))


def conditions(stage: str | None, year: int | None = None, first: int | None = None, last: int | None = None,
               prize_level: str | None = None, prize: str | None = None, paged: bool = False) -> list:
    """Conditions on Proposal of the report's drill-down (see the module rules). The years are a range on
    the indexed submitted_at; the chain's levels are found by the indexed origin_id. `paged`: for a page in
    id order, the years' range is marked likely (services.common.planner), so the page walks the id order
    rather than sorting the whole year."""
    where = [Proposal.origin_id.is_(None), Proposal.status.not_in((DRAFT, WITHDRAWN)),
             Proposal.submitted_at.is_not(None)]
    if year or first:
        start, end = (year, year) if year else (first, last or first)
        years = [Proposal.submitted_at >= datetime(start, 1, 1, tzinfo=clock.SHANGHAI),
                 Proposal.submitted_at < datetime(end + 1, 1, 1, tzinfo=clock.SHANGHAI)]
        where += [likely(bound) for bound in years] if paged else years
    if stage in _VALID_STAGES:
        where.append(Proposal.status.in_(VALID_STATUSES))
    elif stage in _CHAIN_STATUSES:
        statuses = _CHAIN_STATUSES[stage]
        level = aliased(Proposal)
        where.append(or_(Proposal.status.in_(statuses), exists().where(
            and_(level.origin_id == Proposal.id, level.status.in_(statuses)))))
    elif stage == "verified_savings":
        level = aliased(Proposal)
        where.append(exists().where(same_proposal(level, Proposal), _verified(level)))
    elif stage == "prize":  # an unknown level or grade lists nothing
        code = outcome_code(prize_level, prize)
        where.append(best_outcome(Proposal) == code if code is not None else false())
    return where


def verified_amounts(ids) -> dict[int, object]:
    """Proposal id -> the largest verified realised saving of any level of its chain, for the originals
    `ids` (a list or a select of ids): one query."""
    level = aliased(Proposal)
    original = func.coalesce(level.origin_id, level.id)
    rows = db.session.execute(
        select(original, func.max(RealisedSaving.amount)).select_from(level).join(RealisedSaving, _verified(level))
        .where(or_(level.id.in_(ids), level.origin_id.in_(ids))).group_by(original))
    return dict(rows.all())


def summary(stage: str | None, ids) -> dict:
    """What the figure behind `stage` counts over the proposals `ids` (a select of their ids): "proposals",
    and for the person figures "person_times" (one per author of each) and "people" (distinct authors),
    for "estimated_savings" the sum of the estimates, for "verified_savings" the sum of the largest
    verified amounts. At most two queries."""
    ids = ids.subquery()
    result = {"proposals": db.session.scalar(select(func.count()).select_from(ids))}
    if stage in ("person_times", "people"):
        times, people = db.session.execute(
            select(func.count(), func.count(func.distinct(ProposalAuthor.user_id)))
            .where(ProposalAuthor.proposal_id.in_(select(ids.c.id)))).one()
        result.update(person_times=times, people=people)
    elif stage == "estimated_savings":
        result["amount"] = db.session.scalar(select(func.coalesce(func.sum(Proposal.estimated_savings), 0))
                                             .where(Proposal.id.in_(select(ids.c.id))))
    elif stage == "verified_savings":
        level = aliased(Proposal)
        original = func.coalesce(level.origin_id, level.id)
        largest = (select(func.max(RealisedSaving.amount).label("amount")).select_from(level)
                   .join(RealisedSaving, _verified(level))
                   .where(or_(level.id.in_(select(ids.c.id)), level.origin_id.in_(select(ids.c.id))))
                   .group_by(original).subquery())
        result["amount"] = db.session.scalar(select(func.coalesce(func.sum(largest.c.amount), 0)))
    return result
