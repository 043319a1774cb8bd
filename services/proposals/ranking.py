"""The stored ranking of a campaign: each judged proposal's place and position, and pages of it.

Rules (docs/domain.md, "Five Small proposals": prizes by quota, and "Rules shared by every part":
scoring (shared ranks)):
- The ranking holds the campaign's proposals in a ranked status (models.proposals.RANKED_STATUSES)
  with an aggregate score, best first; equal scores share a rank ("1224": RANK()), the order among
  them is by proposal id. `place` is that shared rank, `position` the dense order 1..n (ROW_NUMBER()).
- It is never stale when read: every change of a score or of a ranked status raises the campaign's
  ranking_version in the same transaction (models.proposal_tallies); the first read of a stale
  ranking recomputes it with one set-based UPDATE (window functions) and records the version it
  shows (ProposalRanking). Recomputations of one campaign take turns (an advisory lock on
  PostgreSQL; SQLite has one writer at a time), and each shows at least the version it records.
- A page of the ranking is a range of positions: page N of size S holds positions (N-1)*S+1 .. N*S,
  one index range on (campaign_id, position), whatever N is; the number of pages comes from the
  stored count of ranked proposals, never from a COUNT per view.
"""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core import clock
from core.statements import shared_statement
from models import Enterprise, User, db
from models.proposal_tallies import ProposalRanking
from models.proposals import RANKED_STATUSES, Campaign, JudgeAssignment, Proposal, kind_label
from models.vocabulary import prize_label
from services.common.rows import PlainRow, label_texts

# The first key of PostgreSQL's two-key advisory locks taken while recomputing a campaign's ranking.
RANKING_LOCK = 0x5052


def _versions(campaign_id: int):
    """(the campaign's ranking_version, the version stored positions show or None, ranked count)."""
    return db.session.execute(
        select(Campaign.ranking_version, ProposalRanking.version, ProposalRanking.ranked)
        .outerjoin(ProposalRanking, ProposalRanking.campaign_id == Campaign.id).where(Campaign.id == campaign_id)
    ).one()


def _take_turn(campaign_id: int) -> None:
    """Wait for any other recomputation of this campaign, and hold the turn until the commit; the
    campaign's ProposalRanking row exists afterwards (version 0 when new)."""
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:
        db.session.execute(select(func.pg_advisory_xact_lock(RANKING_LOCK, campaign_id)))
    # On SQLite this first write of the transaction takes the database's one write lock.
    dialect_insert = pg_insert if postgresql else sqlite_insert
    db.session.execute(dialect_insert(ProposalRanking.__table__).values(campaign_id=campaign_id, version=0, ranked=0)
                       .on_conflict_do_nothing(index_elements=["campaign_id"]))


def _store_positions(campaign_id: int) -> int:
    """Set place and position of the campaign's ranked proposals and clear them on the others (only
    rows whose values change are written); returns how many are ranked."""
    p = Proposal.__table__
    in_ranking = (p.c.campaign_id == campaign_id, p.c.status.in_(RANKED_STATUSES), p.c.score.is_not(None))
    ordered = select(
        p.c.id,
        func.rank().over(order_by=p.c.score.desc()).label("place"),
        func.row_number().over(order_by=(p.c.score.desc(), p.c.id)).label("position"),
    ).where(*in_ranking).subquery()
    db.session.execute(update(p).where(
        p.c.campaign_id == campaign_id, p.c.position.is_not(None),
        or_(p.c.status.not_in(RANKED_STATUSES), p.c.score.is_(None)),
    ).values(place=None, position=None, updated_at=p.c.updated_at))
    db.session.execute(update(p).where(
        p.c.id == ordered.c.id,
        or_(p.c.position.is_distinct_from(ordered.c.position), p.c.place.is_distinct_from(ordered.c.place)),
    ).values(place=ordered.c.place, position=ordered.c.position, updated_at=p.c.updated_at))
    return db.session.scalar(select(func.max(p.c.position)).where(p.c.campaign_id == campaign_id)) or 0


def refresh_ranking(campaign: Campaign) -> int:
    """Bring the campaign's stored places and positions up to date if a score changed since they were
    computed (see the module rules); returns the number of ranked proposals. The caller commits."""
    version, shown, ranked = _versions(campaign.id)
    if shown == version:
        return ranked
    _take_turn(campaign.id)
    version, shown, ranked = _versions(campaign.id)  # another turn may have done it meanwhile
    if shown == version:
        return ranked
    ranked = _store_positions(campaign.id)
    table = ProposalRanking.__table__
    db.session.execute(update(table).where(table.c.campaign_id == campaign.id).values(
        version=version, ranked=ranked, computed_at=clock.now()))
    return ranked


class RankedProposal(PlainRow):
    """One line of a page of the ranking as plain values (no ORM entities, the proposals' long texts stay
    in the database): the proposal's id, title and kind, its enterprise's name, its aggregate score and
    judge spread, place, position and prize code; kind and prize labels in the reader's language (texts,
    each label translated once a page)."""

    __slots__ = ("id", "title", "kind", "enterprise_name", "score", "score_spread", "place", "position", "prize",
                 "kind_label", "prize_label")


def _labelled(rows) -> list[RankedProposal]:
    """RankedProposals of `rows` (RankedProposal's columns up to `prize`) with their labels' texts."""
    text = label_texts()
    return [RankedProposal(*row, text(kind_label, row[2]), text(prize_label, row[8])) for row in rows]


class RankingPage(Pagination):
    """Page `page` of a stored ranking: RankedProposals at positions (page-1)*per_page+1 .. page*per_page
    (one index range, plain columns), `total` the stored count of ranked proposals. One query from the
    campaign's row, so it answers for an empty page too: the rows, the stored version and count
    (`fresh`: whether the stored ranking shows `version`), and with `totals` each proposal's judges'
    totals (`totals`: proposal id -> (judge's name, total or None) of each of its assignments in order of
    assignment). A kept statement on the session's connection (Core: no ORM result processing)."""

    def _query_items(self):
        args = self._query_args
        start, with_totals = (self.page - 1) * self.per_page, args["with_totals"]
        rows = db.session.connection().execute(
            shared_statement(("proposals.ranking_page", with_totals), lambda: _page_statement(with_totals)),
            {_CAMPAIGN.key: args["campaign_id"], _FIRST.key: start, _LAST.key: start + self.per_page}).all()
        shown, self._ranked = rows[0][:2] if rows else (None, 0)
        self.fresh = shown is not None and shown == args["version"]
        self.totals: dict[int, list[tuple]] = {}
        if with_totals:  # a line per assignment (or one for a proposal without any): the proposal's columns once
            plain, totals = [], self.totals
            for row in rows:
                proposal_id = row[2]
                if proposal_id is None:
                    continue
                if proposal_id not in totals:
                    totals[proposal_id] = []
                    plain.append(row[2:11])
                if row[11] is not None:
                    totals[proposal_id].append((row[12], row[13]))
            return _labelled(plain)
        return _labelled(row[2:] for row in rows if row[2] is not None)

    def _query_count(self):
        given = self._query_args["ranked"]
        return (self._ranked or 0) if given is None else given


# The bind parameters of this module's kept statements (core.statements.shared_statement).
_CAMPAIGN, _FIRST, _LAST = bindparam("ranking_campaign"), bindparam("ranking_first"), bindparam("ranking_last")


def _page_statement(with_totals: bool):
    p, a = Proposal, JudgeAssignment
    stmt = (select(ProposalRanking.version, ProposalRanking.ranked, p.id, p.title, p.kind, Enterprise.name, p.score,
                   p.score_spread, p.place, p.position, p.prize)
            .select_from(Campaign).outerjoin(ProposalRanking, ProposalRanking.campaign_id == Campaign.id)
            .outerjoin(p, and_(p.campaign_id == Campaign.id, p.position > _FIRST, p.position <= _LAST))
            .outerjoin(Enterprise, Enterprise.id == p.enterprise_id)
            .where(Campaign.id == _CAMPAIGN).order_by(p.position))
    if with_totals:  # each assignment's judge and total, in order of assignment (assignments_of's order)
        stmt = (stmt.add_columns(a.id, User.name, a.total).outerjoin(a, a.proposal_id == p.id)
                .outerjoin(User, User.id == a.judge_id).order_by(a.id))
    return stmt


def ranking_page(campaign_id: int, ranked: int | None, page: int, per_page: int, version: int | None = None,
                 *, with_totals: bool = False) -> RankingPage:
    """Page `page` (from 1; past the end: empty) of the campaign's ranking, `per_page` a page, where
    `ranked` is what refresh_ranking returned (call it first: a stale ranking shows old places). Or, with
    `ranked` None, the stored count read with the page, and `fresh` tells whether the stored ranking shows
    `version` (the campaign's ranking_version as loaded): when False (stale, or never stored), call
    refresh_ranking, commit and read the page again. `with_totals`: the page's `totals` read with it (the
    owner's view: each proposal's judges and their totals)."""
    return RankingPage(page=page, per_page=per_page, max_per_page=None, error_out=False,
                       campaign_id=campaign_id, ranked=ranked, version=version, with_totals=with_totals)
