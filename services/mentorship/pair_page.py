"""What the pair's page reads (issue 10, speed), in three kept statements (core.statements.shared_statement):
the pair with its nomination (and the mentoring settings, left in the session for get_settings), a page of
its check-ins with their number, and its status history, the last two as plain rows (no ORM objects).
Sight of the pair is pairing.get_pair's (the reader's scope: mentorship_policy.pairs_condition)."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select

from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, User, db
from models.mentorship import CheckIn, ExcellentNomination, MentorPair, MentorshipSettings, PairStatusChange
from services import policy
from services.common.rows import LIMIT, OFFSET, PlainRow, kept_rows_page
from services.errors import NotFound
from services.mentorship import policy as mentorship_policy
from services.mentorship.settings import SETTINGS_ID, settings_read

_PAIR_ID, _SCOPE, _READER = bindparam("pair_page_pair"), bindparam("pair_page_scope"), bindparam("pair_page_reader")


def _pair_statement(kind: str):
    """The pair (id _PAIR_ID) if a reader whose management scope is of `kind` sees it (pairing.get_pair's
    condition), what its page shows of its people (name, skill level), trade, enterprise (name) and
    assessment, its nomination with its round (or None) and the settings row (or None)."""
    people = (User.name, User.skill_level)
    stmt = (select(MentorPair, ExcellentNomination, MentorshipSettings).where(MentorPair.id == _PAIR_ID)
            .outerjoin(ExcellentNomination, ExcellentNomination.pair_id == MentorPair.id)
            .outerjoin(MentorshipSettings, MentorshipSettings.id == SETTINGS_ID)
            .options(db.joinedload(MentorPair.mentor).load_only(*people).lazyload(User.role_rows),
                     db.joinedload(MentorPair.apprentice).load_only(*people).lazyload(User.role_rows),
                     db.joinedload(MentorPair.trade), db.joinedload(MentorPair.enterprise).load_only(Enterprise.name),
                     db.joinedload(MentorPair.assessment), db.joinedload(ExcellentNomination.round)))
    condition = mentorship_policy.pairs_condition(kind, _SCOPE, _READER)
    return stmt if condition is None else stmt.where(condition)


def pair_and_nomination(actor, pair_id: int) -> tuple[MentorPair, ExcellentNomination | None]:
    """The pair as pairing.get_pair finds it (same sight, same NotFound for anyone who may not see it; of its
    people and enterprise only what the page shows is read, the rest when asked for) and
    its nomination (a pair is nominated once, ever) with its round, or None; one statement, which also
    reads the mentoring settings row for services.mentorship.settings.get_settings."""
    row = None
    if actor is not None and actor.is_authenticated:
        scope = policy.management_scope(actor)
        stmt = shared_statement(("mentorship.pair_page", scope.kind), lambda: _pair_statement(scope.kind))
        row = db.session.execute(stmt, {_PAIR_ID.key: pair_id, _SCOPE.key: scope.id, _READER.key: actor.id}).first()
    if row is None:
        raise NotFound(_l("找不到这个师徒结对。"))
    pair, nomination, settings = row
    settings_read(settings)
    return pair, nomination


def _checkins_statement(counted: bool):
    """The pair's check-ins, newest first (an index walk of (pair, date)): id, pair_id, checkin_date, hours,
    taught, skill_points, photo_id (the file itself read only when downloaded), status, apprentice_note and
    window_total, a page of them; with `counted`, their number alone."""
    if counted:
        return select(func.count(CheckIn.id)).where(CheckIn.pair_id == _PAIR_ID)
    return (select(CheckIn.id, CheckIn.pair_id, CheckIn.checkin_date, CheckIn.hours, CheckIn.taught,
                   CheckIn.skill_points, CheckIn.photo_id, CheckIn.status, CheckIn.apprentice_note,
                   func.count().over().label("window_total"))
            .where(CheckIn.pair_id == _PAIR_ID)
            .order_by(CheckIn.checkin_date.desc(), CheckIn.id.desc()).limit(LIMIT).offset(OFFSET))


def checkin_page(pair: MentorPair, page: int, per_page: int):
    """Page `page` (of `per_page`) of the pair's check-ins, newest first, plain rows (see _checkins_statement)
    with their total (services.common.rows.KeptRowsPagination). The caller has checked the reader sees the
    pair."""
    return kept_rows_page(("mentorship.pair_page.checkins",), _checkins_statement, {_PAIR_ID.key: pair.id},
                          page, per_page)


class HistoryRow(PlainRow):
    """One status change as the pair's page shows it: when, who (actor_id, actor_name), from, to, why; the
    labels are PairStatusChange's own."""

    __slots__ = ("changed_at", "actor_id", "actor_name", "from_status", "to_status", "reason")
    from_label, to_label, reason_text = PairStatusChange.from_label, PairStatusChange.to_label, \
        PairStatusChange.reason_text


def history_rows(pair: MentorPair) -> list[HistoryRow]:
    """The pair's status changes, oldest first (services.mentorship.lifecycle.history's order), as HistoryRows.
    The caller has checked the reader sees the pair."""
    stmt = shared_statement(("mentorship.pair_page.history",), lambda: (
        select(PairStatusChange.changed_at, PairStatusChange.actor_id, User.name, PairStatusChange.from_status,
               PairStatusChange.to_status, PairStatusChange.reason)
        .outerjoin(User, User.id == PairStatusChange.actor_id)
        .where(PairStatusChange.pair_id == _PAIR_ID).order_by(PairStatusChange.id)))
    db.session.flush()
    return [HistoryRow(*row) for row in db.session.connection().execute(stmt, {_PAIR_ID.key: pair.id})]
