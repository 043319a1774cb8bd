"""Demo message centres: the areas' own services already left a message for every event they seeded
(screening, results, pairs, check-ins, titles...). On the first seeding, each account keeps its few
newest messages unread and the older ones read, so every demo account opens on a handful of unread
messages next to its to-do list, as a person who uses the platform every day would.
"""

from __future__ import annotations

from sqlalchemy import select, update

from core import clock
from models import Message, db

UNREAD_KEPT = 3


def seed(first_time: bool) -> None:
    """Mark all but each person's UNREAD_KEPT newest messages read (only when the accounts were just
    created: later runs leave a real reader's messages alone)."""
    if not first_time:
        return
    keep = set()
    last_recipient, kept = None, 0
    for message_id, recipient_id in db.session.execute(
            select(Message.id, Message.recipient_id).order_by(Message.recipient_id, Message.id.desc())):
        if recipient_id != last_recipient:
            last_recipient, kept = recipient_id, 0
        if kept < UNREAD_KEPT:
            keep.add(message_id)
            kept += 1
    db.session.execute(update(Message).where(Message.read_at.is_(None), Message.id.not_in(keep))
                       .values(read_at=clock.now()))
    db.session.flush()
