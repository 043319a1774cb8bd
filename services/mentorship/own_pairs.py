"""Everyone's own pairs on the mentoring start page (issue 10, speed): one kept statement
(core.statements.shared_statement) on the connection, plain rows (no ORM objects), which also reads the
mentoring settings for get_settings (settings_read): the page shows both."""

from __future__ import annotations

from sqlalchemy import bindparam, literal, or_, select
from sqlalchemy.orm import aliased

from core.statements import shared_statement
from models import Trade, User, db
from models.mentorship import Assessment, MentorPair, MentorshipSettings
from services.common.rows import PlainRow
from services.mentorship.pair_page import PairPerson, PairTrade
from services.mentorship.settings import SETTINGS_ID, settings_columns, settings_read

_PERSON = bindparam("own_pairs_user")


class OwnGrade(PlainRow):
    """A pair's final assessment as the list shows it: its grade, with Assessment's own labels."""

    __slots__ = ("grade",)
    grade_label, passed = Assessment.grade_label, Assessment.passed


_OWN = ("id", "mentor_id", "apprentice_id", "status", "next_checkin_due", "mentor_confirmed_at",
        "apprentice_confirmed_at")


class OwnPair(PlainRow):
    """One of a person's pairs as their list shows it: _OWN of the pair, its mentor and apprentice
    (PairPerson), trade (PairTrade) and assessment (None or an OwnGrade), MentorPair's own status label."""

    __slots__ = (*_OWN, "mentor", "apprentice", "trade", "assessment")
    status_label = MentorPair.status_label


def _statement():
    """The settings row's columns (settings_columns; None when none was saved), then the person's pairs'
    (_OWN, the people's names and skill levels, the trade's name, the assessment's grade), newest first: one
    row of settings alone (pair columns None) when the person has no pair. The person, as mentor or
    apprentice, is _PERSON."""
    anchor = select(literal(1).label("one")).subquery("anchor")
    mentor, apprentice = aliased(User), aliased(User)
    return (select(*settings_columns(), *(getattr(MentorPair, name) for name in _OWN), mentor.name,
                   mentor.skill_level, apprentice.name, apprentice.skill_level, Trade.name, Assessment.grade)
            .select_from(anchor)
            .outerjoin(MentorshipSettings, MentorshipSettings.id == SETTINGS_ID)
            .outerjoin(MentorPair, or_(MentorPair.mentor_id == _PERSON, MentorPair.apprentice_id == _PERSON))
            .outerjoin(mentor, mentor.id == MentorPair.mentor_id)
            .outerjoin(apprentice, apprentice.id == MentorPair.apprentice_id)
            .outerjoin(Trade, Trade.id == MentorPair.trade_id)
            .outerjoin(Assessment, Assessment.pair_id == MentorPair.id)
            .order_by(MentorPair.id.desc()))


def own_pairs(user: User) -> list[OwnPair]:
    """The user's own pairs, as mentor or apprentice, newest first (pairing.pairs_of's pairs), as OwnPairs;
    the mentoring settings are read along (get_settings then asks no more in this transaction)."""
    stmt = shared_statement(("mentorship.own_pairs",), _statement)
    db.session.flush()
    rows = db.session.connection().execute(stmt, {_PERSON.key: user.id}).all()
    n = len(settings_columns())
    settings_read(rows[0][:n])
    at = n + len(_OWN)
    return [OwnPair(*row[n:at], PairPerson(row[at], row[at + 1]), PairPerson(row[at + 2], row[at + 3]),
                    PairTrade(row[at + 4]), None if row[at + 5] is None else OwnGrade(row[at + 5]))
            for row in rows if row[n] is not None]
