"""Messages about mentor pairs (services.messages): the events a mentor or apprentice waits on, and the
reminder the day before a check-in is due.

One function per event, called inside the service that makes the change (same transaction):
- pair_created(pair): both people, who must each confirm the agreement;
- checkin_recorded(checkin): the apprentice, who must confirm or dispute it;
- assessed(pair, assessment): both people, with the grade.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models import User, db
from models.mentorship import ACTIVE, CHECKIN_PENDING, GRADE_LABELS, Assessment, CheckIn, MentorPair
from services.common.i18n import as_deferred, deferred
from services.messages import inbox
from services.messages.reminders import Reminder, reminder


def _link(pair_id: int) -> dict:
    return inbox.link_to("mentorship.pair_show", pair_id=pair_id)


def pair_created(pair: MentorPair) -> None:
    """Mentor and apprentice: a pair was set up for them; each confirms the agreement."""
    names = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_((pair.mentor_id, pair.apprentice_id)))).all())
    inbox.notify([pair.mentor_id], "mentorship.pair_created",
                 deferred("企业为您安排了徒弟 %(name)s，请查看并确认带徒协议。", name=names[pair.apprentice_id]),
                 link=_link(pair.id))
    inbox.notify([pair.apprentice_id], "mentorship.pair_created",
                 deferred("企业为您安排了师傅 %(name)s，请查看并确认带徒协议。", name=names[pair.mentor_id]),
                 link=_link(pair.id))


def checkin_recorded(checkin: CheckIn) -> None:
    """The apprentice: the mentor recorded a check-in to confirm (or dispute)."""
    pair = db.session.get(MentorPair, checkin.pair_id)
    inbox.notify([pair.apprentice_id], "mentorship.checkin",
                 deferred("师傅记录了 %(day)s 的带徒记录（%(hours)s 小时），请确认。",
                          day=checkin.checkin_date.isoformat(), hours=str(checkin.hours)),
                 link=_link(pair.id))


def assessed(pair: MentorPair, assessment: Assessment) -> None:
    """Mentor and apprentice: the final assessment was recorded."""
    inbox.notify([pair.mentor_id, pair.apprentice_id], "mentorship.assessed",
                 deferred("出师考核结果已录入：%(grade)s，%(score)s 分。",
                          grade=as_deferred(GRADE_LABELS[assessment.grade]), score=str(assessment.score)),
                 link=_link(pair.id))


@reminder("mentorship.checkin_due")
def checkin_due_reminders(today):
    """Mentors of active pairs whose next check-in is due tomorrow (an index walk of (status, due))."""
    tomorrow = today + timedelta(days=1)
    rows = db.session.execute(select(MentorPair.id, MentorPair.mentor_id, User.name)
                              .join(User, User.id == MentorPair.apprentice_id)
                              .where(MentorPair.status == ACTIVE, MentorPair.next_checkin_due == tomorrow))
    for pair_id, mentor_id, apprentice in rows:
        yield Reminder("mentorship.checkin_due", pair_id, mentor_id, tomorrow,
                       deferred("明天应记录与徒弟 %(name)s 的带徒情况。", name=apprentice), _link(pair_id))


def excellent_revoked(nomination) -> None:
    """Mentor and apprentice: their excellent-pair honour was revoked, with the reason (to the pair)."""
    pair = nomination.pair
    inbox.notify([pair.mentor_id, pair.apprentice_id], "mentorship.excellent_revoked",
                 deferred("您的 %(year)d 年度优秀师徒表彰已撤销。", year=nomination.round.year),
                 body=deferred("理由：%(reason)s", reason=nomination.revoked_reason or ""), link=_link(pair.id))


def agreement_confirmed(actor, pair: MentorPair) -> None:
    """The actor confirmed the agreement: their "please confirm" message is done (read)."""
    inbox.settle(actor, "mentorship.pair_created", _link(pair.id))


def checkin_answered(actor, pair: MentorPair) -> None:
    """The apprentice answered a check-in: once none of the pair waits for an answer, their "please
    confirm" messages of the pair are done (read)."""
    waiting = db.session.scalar(select(CheckIn.id).where(CheckIn.pair_id == pair.id,
                                                         CheckIn.status == CHECKIN_PENDING).limit(1))
    if waiting is None:
        inbox.settle(actor, "mentorship.checkin", _link(pair.id))
