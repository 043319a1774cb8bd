"""Messages about craftsman titles (services.messages): the events a nominee or nominator waits on.

One function per event, called inside the service that makes the change (same transaction):
- nomination_decided(nomination): the nominee and whoever nominated them (the note of a rejection);
- titles_final(title_round): each holder once the round's public notice is final;
- revoked(award): the holder, with the reason.
The nominee's link is their growth record; the nominator's the nomination.
"""

from __future__ import annotations

from sqlalchemy import select

from models import db
from models.titles import AWARD_FINAL, NOMINATION_APPROVED, Nomination, TitleAward, TitleRound
from services.common.i18n import deferred
from services.messages import inbox

GROWTH = "titles.my_growth"


def nomination_decided(nomination: Nomination) -> None:
    """The union reviewed a nomination: tell the nominee and the nominator."""
    title = nomination.round.title_type.name
    if nomination.status == NOMINATION_APPROVED:
        subject = deferred("“%(title)s”推荐已通过总工会评审。", title=title)
        body = None
    else:
        subject = deferred("“%(title)s”推荐未通过总工会评审。", title=title)
        body = deferred("理由：%(note)s", note=nomination.review_note or "")
    inbox.notify([nomination.worker_id], "title.nomination", subject, body=body, link=inbox.link_to(GROWTH))
    if nomination.nominated_by_id != nomination.worker_id:
        inbox.notify([nomination.nominated_by_id], "title.nomination", subject, body=body,
                     link=inbox.link_to("titles.nomination_detail", nomination_id=nomination.id))


def titles_final(title_round: TitleRound) -> None:
    """Every holder of a final award of the round: the title is awarded."""
    rows = db.session.execute(select(TitleAward.id, TitleAward.worker_id).where(
        TitleAward.round_id == title_round.id, TitleAward.status == AWARD_FINAL)).all()
    subject = deferred("公示期满，您被授予“%(title)s”称号。", title=title_round.title_type.name)
    inbox.notify_each([inbox.Note(worker_id, "title.awarded", subject,
                                  link=inbox.link_to("titles.award_certificate", award_id=award_id))
                       for award_id, worker_id in rows])


def revoked(award: TitleAward) -> None:
    """The holder: the title was revoked, with the reason."""
    inbox.notify([award.worker_id], "title.revoked",
                 deferred("您的“%(title)s”称号已被撤销。", title=award.title_type.name),
                 body=deferred("理由：%(reason)s", reason=award.revoked_reason or ""), link=inbox.link_to(GROWTH))
