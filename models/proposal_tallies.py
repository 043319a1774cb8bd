"""Stored aggregates of the Five Small proposals, kept in the same transaction as what they count.

Pages of a campaign with 46,000 proposals and 180,000 judge assignments must not count or sum them on
every view (README, "Scale"), so these rows hold the numbers and every flush that changes what they
count changes them too:

- ProposalStatusTally: proposals per (campaign, status), for the campaign page and the export's total.
- ProposalSavingsTally: per (campaign, enterprise) the valid proposals (VALID_STATUSES), their
  estimated savings and the realised savings entered and verified (yuan), for the savings page.
- JudgeLoad: per (campaign, judge) the assignments and how many the judge has submitted.
- Campaign.ranking_version: raised whenever a proposal's score or its place in the ranking
  (a ranked status with a score) changes, so the stored positions are known to be stale
  (services.proposals.ranking recomputes them; ProposalRanking records which version they show).

How: a `before_flush` listener notes what each changed row counted before the flush (its committed
values; the counted columns have `active_history`, so the old value is known even for expired rows),
an `after_flush` listener adds what it counts now, and the differences go to the database as
`x = x + delta` upserts, keys in sorted order (concurrent transactions add, never overwrite, and
take the row locks in one order). This covers every ORM write: services, factories, the demo seed.
Bulk Core inserts (the benchmark's seed) bypass it and call `rebuild` afterwards; the migration that
created these tables filled them the same way.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    case,
    delete,
    event,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models import db
from models.proposals import (
    RANKED_STATUSES,
    VALID_STATUSES,
    Campaign,
    JudgeAssignment,
    Proposal,
    RealisedSaving,
)
from models.types import Money, UTCDateTime

ZERO = Decimal("0")


class ProposalStatusTally(db.Model):
    """How many proposals of a campaign are in one status."""

    __tablename__ = "proposal_status_tally"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("proposal_campaign.id", ondelete="CASCADE"),
                                             primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    proposals: Mapped[int] = mapped_column(Integer, default=0)


class ProposalSavingsTally(db.Model):
    """One enterprise's valid proposals in a campaign with their estimated and realised savings (yuan)."""

    __tablename__ = "proposal_savings_tally"
    __table_args__ = (Index("ix_proposal_savings_tally_by_verified", "campaign_id", "verified"),)

    campaign_id: Mapped[int] = mapped_column(ForeignKey("proposal_campaign.id", ondelete="CASCADE"),
                                             primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), primary_key=True, index=True)
    valid: Mapped[int] = mapped_column(Integer, default=0)
    estimated: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    entered: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    verified: Mapped[Decimal] = mapped_column(Money, default=ZERO)

    enterprise = relationship("Enterprise")


class JudgeLoad(db.Model):
    """A judge's assignments in a campaign and how many of them the judge has submitted."""

    __tablename__ = "proposal_judge_load"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("proposal_campaign.id", ondelete="CASCADE"),
                                             primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    assigned: Mapped[int] = mapped_column(Integer, default=0)
    submitted: Mapped[int] = mapped_column(Integer, default=0)

    judge = relationship("User")


class ProposalRanking(db.Model):
    """Which Campaign.ranking_version the stored places and positions show, and how many are ranked."""

    __tablename__ = "proposal_ranking"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("proposal_campaign.id", ondelete="CASCADE"),
                                             primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    ranked: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- what one row counts --------------------------------------------------------------------

PROPOSAL_COLUMNS = ("campaign_id", "enterprise_id", "status", "estimated_savings", "score")
ASSIGNMENT_COLUMNS = ("campaign_id", "judge_id", "submitted_at")
SAVING_COLUMNS = ("proposal_id", "amount", "verified_at")


def committed_values(obj, columns, before: bool) -> dict:
    """The columns' values now, or (before=True, called before the flush) as the database holds them:
    the committed value of a changed column, else the loaded one (an expired column is loaded, and
    the database still holds the old row)."""
    if not before:
        return {key: getattr(obj, key) for key in columns}
    state = db.inspect(obj)
    values = {}
    for key in columns:
        history = state.attrs[key].history
        if history.deleted:
            values[key] = history.deleted[0]
        elif history.added:  # set over a NULL (active_history loaded the old value)
            values[key] = None
        else:
            values[key] = getattr(obj, key)
    return values


class Deltas:
    """Signed changes of every tally, gathered over one flush."""

    def __init__(self):
        self.status: dict[tuple, int] = defaultdict(int)
        self.savings: dict[tuple, list] = defaultdict(lambda: [0, ZERO, ZERO, ZERO])
        self.load: dict[tuple, list] = defaultdict(lambda: [0, 0])
        self.ranked: dict[int, set] = defaultdict(set)  # campaign -> {(sign, proposal id, score)}

    def proposal(self, obj, v: dict, sign: int) -> None:
        if v["campaign_id"] is None:
            return
        self.status[(v["campaign_id"], v["status"])] += sign
        if v["status"] in VALID_STATUSES:
            row = self.savings[(v["campaign_id"], v["enterprise_id"])]
            row[0] += sign
            row[1] += sign * (v["estimated_savings"] or ZERO)
        if v["status"] in RANKED_STATUSES and v["score"] is not None:
            self.ranked[v["campaign_id"]].add((sign, obj.id, v["score"]))

    def assignment(self, v: dict, sign: int) -> None:
        if v["campaign_id"] is not None:
            row = self.load[(v["campaign_id"], v["judge_id"])]
            row[0] += sign
            row[1] += sign if v["submitted_at"] is not None else 0

    def saving(self, session: Session, v: dict, sign: int) -> None:
        """A realised saving counts for its proposal's campaign and enterprise (a saving exists only
        for an implemented proposal, one of VALID_STATUSES: docs/domain.md, "Five Small proposals")."""
        proposal = session.get(Proposal, v["proposal_id"]) if v["proposal_id"] else None
        if proposal is None or v["amount"] is None:
            return
        row = self.savings[(proposal.campaign_id, proposal.enterprise_id)]
        row[2] += sign * v["amount"]
        row[3] += sign * (v["amount"] if v["verified_at"] is not None else ZERO)

    def bumped_campaigns(self) -> list[int]:
        """Campaigns whose ranking changed: a ranked proposal came, went, or changed its score."""
        changed = []
        for campaign_id, entries in self.ranked.items():
            before = {(pid, score) for sign, pid, score in entries if sign < 0}
            after = {(pid, score) for sign, pid, score in entries if sign > 0}
            if before != after:
                changed.append(campaign_id)
        return sorted(changed)


PENDING_KEY = "proposal_tallies_before"


def _gather(session: Session, deltas: Deltas, objects, before: bool) -> None:
    sign = -1 if before else 1
    for obj in objects:
        if isinstance(obj, Proposal):
            deltas.proposal(obj, committed_values(obj, PROPOSAL_COLUMNS, before), sign)
        elif isinstance(obj, JudgeAssignment):
            deltas.assignment(committed_values(obj, ASSIGNMENT_COLUMNS, before), sign)
        elif isinstance(obj, RealisedSaving):
            deltas.saving(session, committed_values(obj, SAVING_COLUMNS, before), sign)


@event.listens_for(Session, "before_flush")
def _count_before(session: Session, _context, _instances) -> None:
    deltas = Deltas()
    with session.no_autoflush:
        _gather(session, deltas, list(session.deleted), before=True)
        _gather(session, deltas, [o for o in session.dirty if session.is_modified(o)], before=True)
    session.info[PENDING_KEY] = deltas


@event.listens_for(Session, "after_flush")
def _count_after(session: Session, _context) -> None:
    deltas = session.info.pop(PENDING_KEY, None) or Deltas()
    with session.no_autoflush:
        _gather(session, deltas, list(session.new), before=False)
        _gather(session, deltas, [o for o in session.dirty if session.is_modified(o)], before=False)
    apply(session.connection(), deltas)


# --- writing the changes --------------------------------------------------------------------


def upsert_add(connection, table, keys: tuple[str, ...], columns: tuple[str, ...], rows: list[dict]) -> None:
    """Add each row's values to the stored row of its key (created at the values when missing)."""
    if not rows:
        return
    dialect_insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    stmt = dialect_insert(table)
    stmt = stmt.on_conflict_do_update(index_elements=list(keys),
                                      set_={c: table.c[c] + stmt.excluded[c] for c in columns})
    connection.execute(stmt, rows)


def apply(connection, deltas: Deltas) -> None:
    """Write one flush's changes: the ranking versions first, then each tally in key order."""
    campaigns = Campaign.__table__
    for campaign_id in deltas.bumped_campaigns():
        connection.execute(update(campaigns).where(campaigns.c.id == campaign_id).values(
            ranking_version=campaigns.c.ranking_version + 1, updated_at=campaigns.c.updated_at))
    upsert_add(connection, ProposalStatusTally.__table__, ("campaign_id", "status"), ("proposals",),
            [{"campaign_id": c, "status": s, "proposals": n}
             for (c, s), n in sorted(deltas.status.items()) if n])
    upsert_add(connection, ProposalSavingsTally.__table__, ("campaign_id", "enterprise_id"),
            ("valid", "estimated", "entered", "verified"),
            [{"campaign_id": c, "enterprise_id": e, "valid": v[0], "estimated": v[1], "entered": v[2],
              "verified": v[3]} for (c, e), v in sorted(deltas.savings.items()) if any(v)])
    upsert_add(connection, JudgeLoad.__table__, ("campaign_id", "judge_id"), ("assigned", "submitted"),
            [{"campaign_id": c, "judge_id": j, "assigned": v[0], "submitted": v[1]}
             for (c, j), v in sorted(deltas.load.items()) if any(v)])


# --- rebuilding from the rows ---------------------------------------------------------------


def rebuild(session: Session, campaign_ids: list[int] | None = None) -> None:
    """Recount every tally (of the given campaigns, default all) from the proposals, assignments and
    savings, and mark their rankings stale: for bulk loads that bypassed the ORM."""
    p, a, s = Proposal.__table__, JudgeAssignment.__table__, RealisedSaving.__table__
    tallies = (ProposalStatusTally.__table__, ProposalSavingsTally.__table__, JudgeLoad.__table__)

    def only(column):
        return column.in_(campaign_ids) if campaign_ids is not None else true()

    for table in tallies:
        session.execute(delete(table).where(only(table.c.campaign_id)))
    session.execute(insert(ProposalStatusTally.__table__).from_select(
        ["campaign_id", "status", "proposals"],
        select(p.c.campaign_id, p.c.status, func.count()).where(only(p.c.campaign_id))
        .group_by(p.c.campaign_id, p.c.status)))
    valid = p.c.status.in_(VALID_STATUSES)
    session.execute(insert(ProposalSavingsTally.__table__).from_select(
        ["campaign_id", "enterprise_id", "valid", "estimated", "entered", "verified"],
        select(p.c.campaign_id, p.c.enterprise_id,
               func.count(case((valid, 1))),
               func.coalesce(func.sum(case((valid, p.c.estimated_savings))), 0),
               func.coalesce(func.sum(s.c.amount), 0),
               func.coalesce(func.sum(case((s.c.verified_at.is_not(None), s.c.amount))), 0))
        .select_from(p.outerjoin(s, s.c.proposal_id == p.c.id))
        .where(only(p.c.campaign_id), valid | s.c.id.is_not(None))
        .group_by(p.c.campaign_id, p.c.enterprise_id)))
    session.execute(insert(JudgeLoad.__table__).from_select(
        ["campaign_id", "judge_id", "assigned", "submitted"],
        select(a.c.campaign_id, a.c.judge_id, func.count(), func.count(a.c.submitted_at))
        .where(only(a.c.campaign_id)).group_by(a.c.campaign_id, a.c.judge_id)))
    campaigns = Campaign.__table__
    session.execute(update(campaigns).where(only(campaigns.c.id)).values(
        ranking_version=campaigns.c.ranking_version + 1, updated_at=campaigns.c.updated_at))
