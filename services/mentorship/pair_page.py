"""What the pair's page reads (issue 10, speed), in three kept statements (core.statements.shared_statement):
the pair with its nomination (and the mentoring settings, left in the session for get_settings), a page of
its check-ins with their number, and its status history, the last two as plain rows (no ORM objects).
Sight of the pair is pairing.get_pair's (the reader's scope: mentorship_policy.pairs_condition)."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

from core.statements import shared_statement
from models import Enterprise, Trade, User, db
from models.mentorship import (
    Assessment,
    CheckIn,
    ExcellentNomination,
    ExcellentRound,
    MentorPair,
    MentorshipSettings,
    PairStatusChange,
)
from services import policy
from services.common.rows import LIMIT, OFFSET, PlainRow, kept_rows_page
from services.mentorship import policy as mentorship_policy
from services.mentorship.settings import SETTINGS_ID, settings_columns, settings_read

_PAIR_ID, _SCOPE, _READER = bindparam("pair_page_pair"), bindparam("pair_page_scope"), bindparam("pair_page_reader")


class PairPerson(PlainRow):
    """The mentor or the apprentice as the pair's page shows them (User's own `skill`)."""

    __slots__ = ("name", "skill_level")
    skill = User.skill


class PairTrade(PlainRow):
    """The pair's trade: its name and label (Trade's own)."""

    __slots__ = ("name",)
    label = Trade.label


class PairEnterprise(PlainRow):
    """The pair's enterprise: its name."""

    __slots__ = ("name",)


_ASSESSMENT = ("assessed_on", "grade", "level_reached", "score", "assessor", "notes")


class PairAssessment(PlainRow):
    """The pair's final assessment, with Assessment's own labels."""

    __slots__ = _ASSESSMENT
    grade_label, passed, level = Assessment.grade_label, Assessment.passed, Assessment.level


class PairRound(PlainRow):
    """A nomination's round: its year and whether it is published."""

    __slots__ = ("year", "published")


_NOMINATION = ("id", "citation", "selected", "certificate_code", "revoked_at")


class PairNomination(PlainRow):
    """The pair's nomination as its page shows it, with its round (`round`, a PairRound)."""

    __slots__ = (*_NOMINATION, "round")


_PAIR_COLUMNS = tuple(MentorPair.__table__.columns.keys())


class PairView(PlainRow):
    """A pair as its page, the policy rules (services.mentorship.policy) and the terms read it: every column
    of MentorPair, MentorPair's own labels and `party`, and its mentor, apprentice (PairPerson), trade,
    enterprise and assessment (None or a PairAssessment), no ORM object."""

    __slots__ = (*_PAIR_COLUMNS, "mentor", "apprentice", "trade", "enterprise", "assessment")
    status_label, frequency_label, goal = MentorPair.status_label, MentorPair.frequency_label, MentorPair.goal
    end_reason_label, is_open, party = MentorPair.end_reason_label, MentorPair.is_open, MentorPair.party


def _pair_statement(kind: str):
    """The pair (id _PAIR_ID) if a reader whose management scope is of `kind` sees it (pairing.get_pair's
    condition), as plain columns: the pair's, its people's (name, skill level), trade name, enterprise
    name, assessment (_ASSESSMENT, or None), nomination (_NOMINATION, its round's year and published, or
    None) and the settings row's (settings_columns, or None)."""
    mentor, apprentice = aliased(User), aliased(User)
    A, N = Assessment, ExcellentNomination
    stmt = (select(*MentorPair.__table__.columns, mentor.name, mentor.skill_level, apprentice.name,
                   apprentice.skill_level, Trade.name, Enterprise.name,
                   A.id, *(getattr(A, name) for name in _ASSESSMENT), *(getattr(N, name) for name in _NOMINATION),
                   ExcellentRound.year, ExcellentRound.published, *settings_columns())
            .join(mentor, mentor.id == MentorPair.mentor_id).join(apprentice, apprentice.id == MentorPair.apprentice_id)
            .join(Trade, Trade.id == MentorPair.trade_id).join(Enterprise, Enterprise.id == MentorPair.enterprise_id)
            .outerjoin(A, A.pair_id == MentorPair.id)
            .outerjoin(N, N.pair_id == MentorPair.id).outerjoin(ExcellentRound, ExcellentRound.id == N.round_id)
            .outerjoin(MentorshipSettings, MentorshipSettings.id == SETTINGS_ID)
            .where(MentorPair.id == _PAIR_ID))
    condition = mentorship_policy.pairs_condition(kind, _SCOPE, _READER)
    return stmt if condition is None else stmt.where(condition)


def pair_and_nomination(actor, pair_id: int) -> tuple[PairView, PairNomination | None]:
    """The pair as its page shows it (a PairView), if the actor sees it (pairing.get_pair's sight: else the
    same NotFound), and its nomination (a pair is nominated once, ever) with its round, or None; one
    statement, which also reads the mentoring settings for get_settings (settings_read)."""
    row = None
    if actor is not None and actor.is_authenticated:
        scope = policy.management_scope(actor)
        stmt = shared_statement(("mentorship.pair_page", scope.kind), lambda: _pair_statement(scope.kind))
        db.session.flush()
        row = db.session.connection().execute(
            stmt, {_PAIR_ID.key: pair_id, _SCOPE.key: scope.id, _READER.key: actor.id}).first()
    if row is None:
        mentorship_policy.pair_not_found()
    n = len(_PAIR_COLUMNS)
    at = n + 6
    assessment = None if row[at] is None else PairAssessment(*row[at + 1:at + 1 + len(_ASSESSMENT)])
    at += 1 + len(_ASSESSMENT)
    nomination = None if row[at] is None else PairNomination(
        *row[at:at + len(_NOMINATION)], PairRound(*row[at + len(_NOMINATION):at + len(_NOMINATION) + 2]))
    settings_read(row[at + len(_NOMINATION) + 2:])
    pair = PairView(*row[:n], PairPerson(*row[n:n + 2]), PairPerson(*row[n + 2:n + 4]), PairTrade(row[n + 4]),
                    PairEnterprise(row[n + 5]), assessment)
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


def checkin_page(pair, page: int, per_page: int):
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


def history_rows(pair) -> list[HistoryRow]:
    """The pair's status changes, oldest first (services.mentorship.lifecycle.history's order), as HistoryRows.
    The caller has checked the reader sees the pair."""
    stmt = shared_statement(("mentorship.pair_page.history",), lambda: (
        select(PairStatusChange.changed_at, PairStatusChange.actor_id, User.name, PairStatusChange.from_status,
               PairStatusChange.to_status, PairStatusChange.reason)
        .outerjoin(User, User.id == PairStatusChange.actor_id)
        .where(PairStatusChange.pair_id == _PAIR_ID).order_by(PairStatusChange.id)))
    db.session.flush()
    return [HistoryRow(*row) for row in db.session.connection().execute(stmt, {_PAIR_ID.key: pair.id})]
