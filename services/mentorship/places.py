"""A mentor's places (带徒名额): the guarded counter that keeps a mentor within the maximum.

A mentor has at most `max_active_apprentices` open pairs (proposed or active: a proposed pair holds
its place; docs/domain.md, "Mentoring", default 3). A check-then-insert over-books under concurrency,
so each mentor has a MentorLoad row counting their open pairs, and a place is taken by one guarded
`UPDATE mentor_load SET open_pairs = open_pairs + 1 WHERE open_pairs < max` in the same transaction
as the new pair; it works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import func, update

from models import db
from models.mentorship import OPEN_STATUSES, MentorLoad, MentorPair
from services.mentorship.figures import insert_missing


def _ensure_load_row(mentor_id: int) -> None:
    """Create the mentor's counter row, initialised from their open pairs, unless it exists."""
    open_now = (db.select(func.count(MentorPair.id))
                .where(MentorPair.mentor_id == mentor_id, MentorPair.status.in_(OPEN_STATUSES))
                .scalar_subquery())
    insert_missing(MentorLoad, "mentor_id", mentor_id=mentor_id, open_pairs=open_now)


def take_place(mentor_id: int, maximum: int) -> bool:
    """Count one more open pair for the mentor unless already at `maximum` (one guarded UPDATE);
    False when the mentor has no place left."""
    _ensure_load_row(mentor_id)
    result = db.session.execute(
        update(MentorLoad).where(MentorLoad.mentor_id == mentor_id, MentorLoad.open_pairs < maximum)
        .values(open_pairs=MentorLoad.open_pairs + 1).execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_place(mentor_id: int) -> None:
    """Give back one place when an open pair closes (never below zero)."""
    db.session.execute(
        update(MentorLoad).where(MentorLoad.mentor_id == mentor_id, MentorLoad.open_pairs > 0)
        .values(open_pairs=MentorLoad.open_pairs - 1).execution_options(synchronize_session=False)
    )

