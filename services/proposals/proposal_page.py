"""The parts of a proposal's page read in one statement (issue 10), for a reader who sees its levels
(services.proposals.policy.sees_levels): its levels with its designation and higher records
(recommendation.levels_with_honour's rows), its time line (listing.timeline's) and, for a reader who
manages it, its similar titles (screening.duplicate_flags's): one kept UNION ALL, the time line and the
titles in the levels' columns of their types (see _statement).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, literal_column, null, select, union_all

from core.statements import shared_statement
from models import db
from models.proposals import Proposal
from services.proposals import listing, recommendation

LEVEL, STEP, SIMILAR = 0, 1, 2  # the branches, in this order
LEVEL_COLUMNS = 22  # recommendation.levels_with_honour_select's


@dataclass
class PageParts:
    """recommendation.levels_with_honour's `levels`, `honour` and `records`; listing.timeline's `timeline`;
    `flags` as screening.duplicate_flags([proposal]) gives them ({} unless asked for)."""

    levels: list
    honour: object
    records: list
    timeline: list
    flags: dict


def _branch(kind: int, placed: dict[int, object]):
    """A select of the levels' columns: `placed` (position -> column), NULL elsewhere, then the kind."""
    return select(*(placed.get(n, null()) for n in range(LEVEL_COLUMNS)),
                  literal_column(str(kind), Integer).label("kind"))


def _statement(with_flags: bool):
    """The levels (bind parameter "identity"), then the time line and the similar titles (bind parameter
    "proposal_id"). A status change's id, status before, time, actor id, status after, actor name, reason
    and note go in the entry's id, status, recommended_at, rank, prize, campaign name, owner level and the
    designation's citation; a similar title's id and title in the entry's id and campaign name."""
    levels = recommendation.levels_with_honour_select().add_columns(literal_column(str(LEVEL), Integer).label("kind"))
    step = listing.timeline_select().subquery()
    branches = [levels.order_by(None), _branch(STEP, {0: step.c.seq, 1: step.c.from_status, 2: step.c.at,
                                                      4: step.c.actor_id, 5: step.c.to_status, 8: step.c.name,
                                                      9: step.c.reason, 16: step.c.note})]
    if with_flags:
        similar = list(listing.similar_select().subquery().c)
        branches.append(_branch(SIMILAR, {0: similar[0], 8: similar[5]}))
    both = union_all(*branches)
    columns = both.selected_columns
    return both.order_by(columns.kind, columns.entry_id, columns.record_id)


def page_parts(proposal: Proposal, *, with_flags: bool) -> PageParts:
    """The proposal page's levels, designation, higher records, time line and (`with_flags`) similar
    titles in one kept statement (core.statements.shared_statement), as plain rows."""
    rows = db.session.execute(shared_statement(("proposals.page_parts", with_flags), lambda: _statement(with_flags)),
                              {"identity": proposal.identity_id, "proposal_id": proposal.id}).all()
    levels, honour, records = recommendation.levels_from_rows(proposal, (row for row in rows if row[-1] == LEVEL))
    timeline = [listing.TimelineStep(row[1], row[5], row[2], row[4], row[8], row[9], row[16])
                for row in rows if row[-1] == STEP]
    similar = [(row[0], row[8]) for row in rows if row[-1] == SIMILAR]
    return PageParts(levels, honour, records, timeline, {proposal.id: similar} if similar else {})
