"""Possible duplicates: proposals of one enterprise and campaign with similar titles (models.proposal_similarity).

Rule (docs/domain.md, "Five Small proposals": screening): a proposal is flagged when another proposal of
the same enterprise and campaign, drafts and withdrawn ones aside, has a similar title (`titles_similar`:
equal once lower-cased with punctuation and spaces dropped, one containing the other from four
characters, or a character-bigram Jaccard similarity of at least THRESHOLD). A draft or withdrawn
proposal is neither flagged nor flags another.

Kept in the same transaction as the change (an `after_flush` listener): when a proposal is created,
deleted, or its title, enterprise or campaign changes, or its status moves into or out of draft or
withdrawn, its pairs are dropped and found again against the proposals of its (enterprise, campaign),
one query each; any other change (a score, a rank, a prize, a status inside the counted ones, the
ranking's bulk updates) leaves them. Loaders that bypass the ORM (the benchmark's seed) call `rebuild`.
A page reads its flags with `flags_of` (one indexed query, whatever the enterprise's size).
"""

from __future__ import annotations

import re

from sqlalchemy import bindparam, delete, event, insert, inspect, or_, select
from sqlalchemy.orm import Session

from core.statements import shared_statement
from models import db
from models.proposal_similarity import SimilarTitle
from models.proposals import DRAFT, WITHDRAWN, Proposal

THRESHOLD = 0.6
UNCOUNTED = (DRAFT, WITHDRAWN)
WATCHED = ("title", "enterprise_id", "campaign_id")


def _normal_title(title: str) -> str:
    return re.sub(r"[\W_]+", "", (title or "").lower())


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def title_key(title: str) -> tuple[str, frozenset[str]]:
    """A title as compared: normalised, and its character bigrams."""
    normal = _normal_title(title)
    return normal, frozenset(_bigrams(normal)) if normal else frozenset()


def keys_similar(a: tuple[str, frozenset[str]], b: tuple[str, frozenset[str]], threshold: float = THRESHOLD) -> bool:
    """Two `title_key`s are similar (see the module's rule)."""
    (na, ga), (nb, gb) = a, b
    if not na or not nb:
        return False
    if na == nb or (len(na) >= 4 and (na in nb or nb in na)):
        return True
    smaller, larger = sorted((len(ga), len(gb)))
    if smaller < threshold * larger:  # the Jaccard similarity is at most smaller / larger
        return False
    shared = len(ga & gb)
    return shared / (len(ga) + len(gb) - shared) >= threshold


def titles_similar(a: str, b: str, threshold: float = THRESHOLD) -> bool:
    """Similar titles: equal after normalising (lower case, punctuation and spaces dropped), one
    containing the other (4+ characters), or character-bigram Jaccard similarity >= threshold."""
    return keys_similar(title_key(a), title_key(b), threshold)


_IDS = bindparam("similar_flags_ids", expanding=True)


def flags_of(proposal_ids) -> dict[int, list[tuple[int, str]]]:
    """proposal id -> [(id, title)] of the other proposals of its enterprise and campaign with a similar
    title, in id order, for the given proposals (only those with any; one indexed query)."""
    ids = list(proposal_ids)
    if not ids:
        return {}
    stmt = shared_statement(("proposals.similar_flags",), lambda: (  # built once per process, the ids a parameter
        select(SimilarTitle.proposal_id, Proposal.id, Proposal.title)
        .join(Proposal, Proposal.id == SimilarTitle.similar_id)
        .where(SimilarTitle.proposal_id.in_(_IDS)).order_by(SimilarTitle.proposal_id, Proposal.id)))
    db.session.flush()  # plain columns: on the session's connection (Core: no ORM result processing), after
    rows = db.session.connection().execute(stmt, {_IDS.key: ids}).all()  # what the ORM's execute would flush
    flags: dict[int, list[tuple[int, str]]] = {}
    for proposal_id, other_id, title in rows:
        flags.setdefault(proposal_id, []).append((other_id, title))
    return flags


def pairs_among(rows) -> set[tuple[int, int]]:
    """Both directions of every similar pair among `rows` of (id, title) of one enterprise and campaign."""
    keyed = [(pid, title_key(title)) for pid, title in rows]
    found = set()
    for index, (a, key_a) in enumerate(keyed):
        for b, key_b in keyed[index + 1:]:
            if keys_similar(key_a, key_b):
                found.update(((a, b), (b, a)))
    return found


def _counted(status: str | None) -> bool:
    return status is not None and status not in UNCOUNTED


def _moves(proposal: Proposal) -> bool:
    """Does this flushed change of `proposal` make or break a pair (see the module's rule)?"""
    state = inspect(proposal)
    if any(state.attrs[name].history.has_changes() for name in WATCHED):
        return True
    history = state.attrs.status.history
    if not history.has_changes():
        return False
    before = history.deleted[0] if history.deleted else None
    return _counted(before) != _counted(proposal.status)


@event.listens_for(Session, "after_flush")
def _keep_pairs(session: Session, _context) -> None:
    changed = [o for o in session.new if isinstance(o, Proposal)]
    changed += [o for o in session.dirty if isinstance(o, Proposal) and _moves(o)]
    if not changed:
        return
    connection, table, p = session.connection(), SimilarTitle.__table__, Proposal.__table__
    ids = [proposal.id for proposal in changed]
    connection.execute(delete(table).where(or_(table.c.proposal_id.in_(ids), table.c.similar_id.in_(ids))))
    found: set[tuple[int, int]] = set()
    for proposal in changed:
        if not _counted(proposal.status) or proposal.enterprise_id is None:
            continue
        key = title_key(proposal.title)
        for other_id, other_title in connection.execute(
                select(p.c.id, p.c.title).where(p.c.enterprise_id == proposal.enterprise_id,
                                                p.c.campaign_id == proposal.campaign_id,
                                                p.c.status.not_in(UNCOUNTED), p.c.id != proposal.id)):
            if keys_similar(key, title_key(other_title)):
                found.update(((proposal.id, other_id), (other_id, proposal.id)))
    if found:
        connection.execute(insert(table), [{"proposal_id": a, "similar_id": b} for a, b in sorted(found)])


def rebuild(connection, campaign_ids: list[int] | None = None) -> int:
    """Find every pair again from the proposals (of the given campaigns, default all), for loaders that
    bypass the ORM and for the migration that made the table; returns how many rows it wrote."""
    table, p = SimilarTitle.__table__, Proposal.__table__
    stmt = select(p.c.id, p.c.title, p.c.enterprise_id, p.c.campaign_id).where(p.c.status.not_in(UNCOUNTED))
    if campaign_ids is not None:
        stmt = stmt.where(p.c.campaign_id.in_(campaign_ids))
        ours = select(p.c.id).where(p.c.campaign_id.in_(campaign_ids))
        connection.execute(delete(table).where(table.c.proposal_id.in_(ours)))
    else:
        connection.execute(delete(table))
    groups: dict[tuple, list] = {}
    for pid, title, enterprise_id, campaign_id in connection.execute(stmt.order_by(p.c.id)):
        groups.setdefault((enterprise_id, campaign_id), []).append((pid, title))
    found = set().union(*(pairs_among(rows) for rows in groups.values())) if groups else set()
    rows = [{"proposal_id": a, "similar_id": b} for a, b in sorted(found)]
    for start in range(0, len(rows), 5000):
        connection.execute(insert(table), rows[start:start + 5000])
    return len(rows)
