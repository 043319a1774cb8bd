"""The life cycle of a pair: which status changes are allowed, and the record of each one.

    proposed --both confirm--> active --assessment--> completed
    proposed --withdrawn / declined--> dissolved
    active --either side, within the first month--> dissolved
    active --HR, with reason--> ended_early
    active --HR, once--> active (extended; recorded as a status change too)

Illegal transitions are refused and change nothing; every transition is a PairStatusChange row
(who, when, from, to, why) and an audit entry, and is counted in the enterprise's figures
(services.mentorship.figures); a pair that stops being open (proposed or active) gives its mentor's
place back (services.mentorship.places). Docs: docs/domain.md, "Mentoring".
"""

from __future__ import annotations

from sqlalchemy import bindparam

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import User, db
from models.mentorship import (
    ACTIVE,
    COMPLETED,
    DISSOLVED,
    ENDED_EARLY,
    OPEN_STATUSES,
    PROPOSED,
    STATUS_LABELS,
    MentorPair,
    PairStatusChange,
)
from services.common import audit
from services.errors import RuleViolation
from services.mentorship import figures, places

TRANSITIONS = {
    (PROPOSED, ACTIVE),
    (PROPOSED, DISSOLVED),
    (ACTIVE, DISSOLVED),
    (ACTIVE, COMPLETED),
    (ACTIVE, ENDED_EARLY),
    (ACTIVE, ACTIVE),  # the one extension
}


def transition(actor, pair: MentorPair, to_status: str, reason: str | None) -> PairStatusChange:
    """Move `pair` to `to_status` (a status of models.mentorship) if TRANSITIONS allows it, and
    record who, when, from, to and why (`reason`, at most 500 characters). Raises RuleViolation
    for a change the machine does not allow (nothing changes then)."""
    from_status = pair.status
    if (from_status, to_status) not in TRANSITIONS:
        raise RuleViolation(_l("当前状态为“%(from)s”，不能变为“%(to)s”。",
                               **{"from": STATUS_LABELS.get(from_status, from_status),
                                  "to": STATUS_LABELS.get(to_status, to_status)}))
    if from_status in OPEN_STATUSES and to_status not in OPEN_STATUSES:
        places.release_place(pair.mentor_id)
    pair.status = to_status
    return record_change(actor, pair, from_status, to_status, reason)


def record_change(actor, pair: MentorPair, from_status: str | None, to_status: str,
                  reason: str | None) -> PairStatusChange:
    """Write the PairStatusChange row and the audit entry of one status change (`from_status` is
    None for a new pair). Callers check the change is allowed (see `transition`)."""
    change = PairStatusChange(pair_id=pair.id, from_status=from_status, to_status=to_status,
                              actor_id=getattr(actor, "id", None), reason=reason, changed_at=clock.now())
    db.session.add(change)
    db.session.flush()
    figures.count_status_change(pair.enterprise_id, from_status, to_status)
    audit.record("mentorship.status_changed", actor=actor, obj=pair, old=from_status, new=to_status,
                 reason=reason)
    return change


def history(pair: MentorPair) -> list[PairStatusChange]:
    """The pair's status changes, oldest first, with the name of the person who made each one (only the
    name is read: the page shows nothing else of them). A kept statement (core.statements.shared_statement,
    the pair's id a bind parameter)."""
    stmt = shared_statement(("mentorship.history",), lambda: (
        db.select(PairStatusChange).where(PairStatusChange.pair_id == bindparam("pair_id"))
        .options(db.joinedload(PairStatusChange.actor).options(db.load_only(User.name), db.lazyload(User.role_rows)))
        .order_by(PairStatusChange.id)))
    return list(db.session.scalars(stmt, {"pair_id": pair.id}))
