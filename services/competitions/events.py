"""Messages about skills competitions (services.messages): the events a competitor waits on, and the
reminder of a registration window's end.

One function per event, called inside the service that makes the change (same transaction), and
callable by any other service that causes the same event (e.g. an automatic waitlist promotion):
- registration_confirmed(registration): the union checked and confirmed the entry;
- recommended(registration, source): a selection contest's owner entered its competitor into a city
  competition (recommendation upward);
- registration_rejected(registration): the entry was turned down, with the reason;
- promoted(registration): moved up from the waitlist, with the competitor number;
- results_published(competition): each competitor's rank, total and prize on public notice (公示);
- certificates_ready(competition): each holder's certificate after the results became final.
A team entry's messages go to every member (the captain included).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from core import clock
from models import Role, User, UserRole, db
from models.competitions import (
    OPEN,
    Competition,
    CompetitionCertificate,
    CompetitionRegistration,
    CompetitionResult,
    CompetitionTeamMember,
)
from models.vocabulary import prize_label
from services.common.i18n import as_deferred, deferred
from services.messages import inbox
from services.messages.reminders import Reminder, reminder


def entrants_of(registration: CompetitionRegistration) -> list[int]:
    """The entrant (a team's captain) and every team member (user ids)."""
    members = set(db.session.scalars(select(CompetitionTeamMember.worker_id)
                                     .where(CompetitionTeamMember.registration_id == registration.id)))
    return sorted(members | {registration.worker_id})


def _link(competition_id: int) -> dict:
    return inbox.link_to("competitions.show", competition_id=competition_id)


def registration_confirmed(registration: CompetitionRegistration) -> None:
    """The union confirmed (approved) the entry."""
    inbox.notify(entrants_of(registration), "competition.confirmed",
                 deferred("您报名的“%(name)s”已审核确认，参赛号 %(number)s。",
                          name=registration.competition.name, number=registration.competitor_no),
                 link=_link(registration.competition_id))


def recommended(registration: CompetitionRegistration, source: Competition) -> None:
    """The owner of a selection contest (`source`) entered its competitor into a city competition: with
    the competitor number, or on the waitlist."""
    if registration.competitor_no:
        subject = deferred("您在“%(source)s”中成绩优异，已被推荐报名“%(name)s”，参赛号 %(number)s。",
                           source=source.name, name=registration.competition.name,
                           number=registration.competitor_no)
    else:
        subject = deferred("您在“%(source)s”中成绩优异，已被推荐报名“%(name)s”；名额已满，现在候补名单中。",
                           source=source.name, name=registration.competition.name)
    inbox.notify(entrants_of(registration), "competition.recommended", subject,
                 link=_link(registration.competition_id))


def registration_rejected(registration: CompetitionRegistration) -> None:
    """The union turned the entry down (the reason included)."""
    inbox.notify(entrants_of(registration), "competition.rejected",
                 deferred("您报名的“%(name)s”未通过审核。", name=registration.competition.name),
                 body=deferred("原因：%(reason)s", reason=registration.reason or ""),
                 link=_link(registration.competition_id))


def promoted(registration: CompetitionRegistration) -> None:
    """The entry moved up from the waitlist and holds a seat now."""
    inbox.notify(entrants_of(registration), "competition.promoted",
                 deferred("有名额空出，您已从候补转为正式参赛“%(name)s”，参赛号 %(number)s。",
                          name=registration.competition.name, number=registration.competitor_no),
                 link=_link(registration.competition_id))


def _holders(competition_id: int) -> dict[int, set[int]]:
    """Registration id -> its entrants, for every registration of the competition (two queries)."""
    holders: dict[int, set[int]] = {}
    for rid, worker_id in db.session.execute(
            select(CompetitionRegistration.id, CompetitionRegistration.worker_id)
            .where(CompetitionRegistration.competition_id == competition_id)):
        holders[rid] = {worker_id}
    for rid, worker_id in db.session.execute(
            select(CompetitionTeamMember.registration_id, CompetitionTeamMember.worker_id)
            .where(CompetitionTeamMember.competition_id == competition_id)):
        holders.setdefault(rid, set()).add(worker_id)
    return holders


def results_published(competition: Competition) -> None:
    """Every ranked competitor: their rank, total and prize, now on public notice."""
    holders = _holders(competition.id)
    notes = []
    for result in db.session.scalars(select(CompetitionResult)
                                     .where(CompetitionResult.competition_id == competition.id)):
        if result.prize:
            subject = deferred("“%(name)s”成绩公示：您总分 %(total)s，第 %(rank)s 名，拟获%(prize)s。",
                               name=competition.name, total=str(result.total), rank=result.rank,
                               prize=as_deferred(prize_label(result.prize)))
        else:
            subject = deferred("“%(name)s”成绩公示：您总分 %(total)s，第 %(rank)s 名。",
                               name=competition.name, total=str(result.total), rank=result.rank)
        notes += [inbox.Note(user_id, "competition.result", subject, link=_link(competition.id))
                  for user_id in sorted(holders.get(result.registration_id, ()))]
    inbox.notify_each(notes)


def certificates_ready(competition: Competition) -> None:
    """Every certificate holder of the final results: the certificate can be downloaded."""
    db.session.flush()
    holders = db.session.scalars(select(CompetitionCertificate.worker_id).join(CompetitionRegistration)
                                 .where(CompetitionRegistration.competition_id == competition.id,
                                        CompetitionCertificate.revoked_at.is_(None)))
    subject = deferred("“%(name)s”结果已确认，您的证书可以下载了。", name=competition.name)
    # The link leads where the download is: the competition's page shows the holder's certificate.
    link = inbox.link_to("competitions.show", competition_id=competition.id)
    inbox.notify_each([inbox.Note(user_id, "competition.certificate", subject, link=link)
                       for user_id in sorted(set(holders))])


@reminder("competition.registration_closes")
def registration_closing_reminders(today):
    """Enterprise HR: the registration of an open competition closes tomorrow (Asia/Shanghai)."""
    start = datetime.combine(today + timedelta(days=1), time(0), tzinfo=clock.SHANGHAI)
    closing = db.session.execute(select(Competition.id, Competition.name).where(
        Competition.status == OPEN, Competition.registration_closes_at >= start,
        Competition.registration_closes_at < start + timedelta(days=1))).all()
    if not closing:
        return
    officers = list(db.session.scalars(select(UserRole.user_id).join(User, User.id == UserRole.user_id)
                                       .where(UserRole.role == Role.HR.value, User.is_active.is_(True))))
    for competition_id, name in closing:
        for officer_id in officers:
            yield Reminder("competition.registration_closes", competition_id, officer_id, today + timedelta(days=1),
                           deferred("明天报名截止：“%(name)s”，需要为职工报名的请抓紧。", name=name),
                           _link(competition_id))
