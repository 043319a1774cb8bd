"""Stored counts of a competition's entries, kept in the same transaction as every change they count.

A competition of 10,000 entrants must not count its entries on every view of the union's home (the
to-do "entries to check") or of its registrations list (the count per status), so `EntryTally` holds,
per (competition, status), the entries in that status and, of those, the ones not yet checked by the
union (`approved_at` empty: what the to-do counts for confirmed entries).

How (the same as models.proposal_tallies): a `before_flush` listener subtracts what each changed or
deleted entry counted as the database holds it (the counted columns have `active_history`), an
`after_flush` listener adds what new and changed entries count now, and the differences go to the
database as `n = n + delta` upserts in key order. Every ORM write is covered (services, factories, the
demo seed); bulk Core inserts (the benchmark's seed) call `rebuild` afterwards, as the migration that
created the table did.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import ForeignKey, Integer, String, delete, event, func, insert, select, true
from sqlalchemy.orm import Mapped, Session, mapped_column

from models import db
from models.competitions import CompetitionRegistration
from models.proposal_tallies import committed_values, upsert_add

COLUMNS = ("competition_id", "status", "approved_at")
PENDING_KEY = "competition_tallies_before"


class EntryTally(db.Model):
    """How many entries of a competition are in one status, and how many of those are unchecked."""

    __tablename__ = "competition_entry_tally"

    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    unchecked: Mapped[int] = mapped_column(Integer, default=0)


def _gather(deltas: dict, objects, before: bool) -> None:
    sign = -1 if before else 1
    for obj in objects:
        if not isinstance(obj, CompetitionRegistration):
            continue
        values = committed_values(obj, COLUMNS, before)
        if values["competition_id"] is None or values["status"] is None:
            continue
        row = deltas[(values["competition_id"], values["status"])]
        row[0] += sign
        row[1] += sign if values["approved_at"] is None else 0


def _changed(session: Session):
    return [o for o in session.dirty if isinstance(o, CompetitionRegistration) and session.is_modified(o)]


@event.listens_for(Session, "before_flush")
def _count_before(session: Session, _context, _instances) -> None:
    deltas: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    with session.no_autoflush:
        _gather(deltas, list(session.deleted), before=True)
        _gather(deltas, _changed(session), before=True)
    session.info[PENDING_KEY] = deltas


@event.listens_for(Session, "after_flush")
def _count_after(session: Session, _context) -> None:
    deltas = session.info.pop(PENDING_KEY, None) or defaultdict(lambda: [0, 0])
    with session.no_autoflush:
        _gather(deltas, list(session.new), before=False)
        _gather(deltas, _changed(session), before=False)
    rows = [{"competition_id": cid, "status": status, "entries": n, "unchecked": unchecked}
            for (cid, status), (n, unchecked) in sorted(deltas.items()) if n or unchecked]
    upsert_add(session.connection(), EntryTally.__table__, ("competition_id", "status"), ("entries", "unchecked"),
               rows)


def rebuild(session: Session, competition_ids: list[int] | None = None) -> None:
    """Recount the tallies (of the given competitions, default all) from the entries: for bulk loads that
    bypassed the ORM."""
    r, t = CompetitionRegistration.__table__, EntryTally.__table__
    only_t = t.c.competition_id.in_(competition_ids) if competition_ids is not None else true()
    only_r = r.c.competition_id.in_(competition_ids) if competition_ids is not None else true()
    session.execute(delete(t).where(only_t))
    session.execute(insert(t).from_select(
        ["competition_id", "status", "entries", "unchecked"],
        select(r.c.competition_id, r.c.status, func.count(), func.count() - func.count(r.c.approved_at))
        .where(only_r).group_by(r.c.competition_id, r.c.status)))
