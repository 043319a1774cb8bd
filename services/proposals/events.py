"""Messages about Five Small proposals (services.messages): the events an author waits on, and the
judges' reminder of a scoring deadline.

One function per event, called inside the service that makes the change (same transaction), and
callable by any other service that causes the same event:
- screened(proposal): valid, returned for revision (with the note) or rejected (with the reason);
- revision_done(proposal): the authors dealt with a return (resubmitted or withdrew): the 退回 message
  asked for that action, so it is settled (read) for every author, as docs/domain.md asks of a message
  asking for an action;
- results_published(campaign): every ranked proposal's authors, with its score, rank and prize;
- prize_awarded(proposal): the prize is final;
- recommended(entry, target) / recommendation_withdrawn(source, entry_id, target, authors): recommended upward
  into a higher campaign (推荐上报), and that recommendation withdrawn (撤回推荐).
Authors are the proposer and every co-author. Texts are deferred (shown in the reader's language).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from core import clock
from models import db
from models.proposals import (
    REJECTED,
    RETURNED,
    SCREENING_REASON_LABELS,
    VALID,
    Campaign,
    JudgeAssignment,
    Proposal,
    ProposalAuthor,
)
from models.vocabulary import prize_label
from services.common.i18n import as_deferred, deferred
from services.messages import inbox
from services.messages.reminders import Reminder, reminder


def authors_of(proposal: Proposal) -> list[int]:
    """The proposer and co-authors of a proposal (user ids)."""
    ids = set(db.session.scalars(select(ProposalAuthor.user_id).where(ProposalAuthor.proposal_id == proposal.id)))
    return sorted(ids | {proposal.proposer_id})


def _link(proposal_id: int) -> dict:
    return inbox.link_to("proposals.show", proposal_id=proposal_id)


def screened(proposal: Proposal) -> None:
    """Tell the authors the enterprise's screening decision (the note or reason included)."""
    title = proposal.title
    if proposal.status == VALID:
        subject = deferred("您的五小提案“%(title)s”已通过企业审核，成为有效提案。", title=title)
        body = deferred("审核意见：%(note)s", note=proposal.screening_note) if proposal.screening_note else None
    elif proposal.status == RETURNED:
        subject = deferred("您的五小提案“%(title)s”被退回修改。", title=title)
        body = deferred("需要修改的地方：%(note)s", note=proposal.screening_note or "")
    elif proposal.status == REJECTED:
        subject = deferred("您的五小提案“%(title)s”未通过企业审核。", title=title)
        body = deferred("原因：%(reason)s；说明：%(note)s",
                        reason=as_deferred(SCREENING_REASON_LABELS[proposal.screening_reason]),
                        note=proposal.screening_note or "")
    else:
        return
    inbox.notify(authors_of(proposal), f"proposal.{proposal.status}", subject, body=body, link=_link(proposal.id))


def revision_done(proposal: Proposal) -> None:
    """The proposal left RETURNED (resubmitted or withdrawn by its proposer): every author's unread
    "returned for revision" message of it is done (read), like any message asking for an action."""
    for author_id in authors_of(proposal):
        inbox.settle(author_id, f"proposal.{RETURNED}", _link(proposal.id))


def results_published(campaign: Campaign) -> None:
    """Tell the authors of every ranked proposal of `campaign` its score, rank and prize (公示)."""
    rows = db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.score, Proposal.rank, Proposal.prize, Proposal.proposer_id)
        .where(Proposal.campaign_id == campaign.id, Proposal.rank.is_not(None))).all()
    authors: dict[int, set[int]] = {row.id: {row.proposer_id} for row in rows}
    for proposal_id, user_id in db.session.execute(
            select(ProposalAuthor.proposal_id, ProposalAuthor.user_id)
            .join(Proposal, Proposal.id == ProposalAuthor.proposal_id)
            .where(Proposal.campaign_id == campaign.id, Proposal.rank.is_not(None))):
        authors.setdefault(proposal_id, set()).add(user_id)
    notes = []
    for row in rows:
        if row.prize:
            subject = deferred("结果公示：您的提案“%(title)s”得分 %(score)s，第 %(rank)d 名，拟获%(prize)s。",
                               title=row.title, score=str(row.score), rank=row.rank,
                               prize=as_deferred(prize_label(row.prize)))
        else:
            subject = deferred("结果公示：您的提案“%(title)s”得分 %(score)s，第 %(rank)d 名。",
                               title=row.title, score=str(row.score), rank=row.rank)
        notes += [inbox.Note(user_id, "proposal.published", subject, link=_link(row.id))
                  for user_id in sorted(authors[row.id])]
    inbox.notify_each(notes)


def prize_awarded(proposal: Proposal) -> None:
    """Tell the authors that the proposal's prize is final."""
    inbox.notify(authors_of(proposal), "proposal.prize",
                 deferred("公示期满，您的提案“%(title)s”获得%(prize)s。", title=proposal.title,
                          prize=as_deferred(prize_label(proposal.prize))),
                 link=_link(proposal.id))


def recommended(entry: Proposal, target: Campaign) -> None:
    """Tell the authors that their proposal was recommended upward into `target` (推荐上报)."""
    inbox.notify(authors_of(entry), "proposal.recommended",
                 deferred("您的提案“%(title)s”已被推荐上报到“%(name)s”。", title=entry.title, name=target.name),
                 link=_link(entry.id))


def recommendation_withdrawn(source: Proposal, entry_id: int, target: Campaign, author_ids: list[int]) -> None:
    """Tell the authors that the recommendation of their proposal into `target` was withdrawn (撤回推荐).
    The withdrawn entry (`entry_id`) is gone: this message and the earlier "recommended" one lead to the
    entry it came from."""
    inbox.relink(author_ids, "proposal.recommended", _link(entry_id), _link(source.id))
    inbox.notify(author_ids, "proposal.recommendation_withdrawn",
                 deferred("您的提案“%(title)s”推荐到“%(name)s”已撤回，不再参加该活动的评审。",
                          title=source.title, name=target.name),
                 link=_link(source.id))


@reminder("proposal.scoring_deadline")
def scoring_deadline_reminders(today):
    """Judges with unsubmitted proposals of a campaign whose judging closes tomorrow (Asia/Shanghai)."""
    start = datetime.combine(today + timedelta(days=1), time(0), tzinfo=clock.SHANGHAI)
    rows = db.session.execute(
        select(Campaign.id, Campaign.name, JudgeAssignment.judge_id, func.count(JudgeAssignment.id))
        .join(JudgeAssignment, JudgeAssignment.campaign_id == Campaign.id)
        .where(Campaign.judging_closes_at >= start, Campaign.judging_closes_at < start + timedelta(days=1),
               Campaign.locked.is_(False), JudgeAssignment.submitted_at.is_(None))
        .group_by(Campaign.id, Campaign.name, JudgeAssignment.judge_id)).all()
    for campaign_id, name, judge_id, count in rows:
        yield Reminder("proposal.scoring_deadline", campaign_id, judge_id, today + timedelta(days=1),
                       deferred("明天评审截止：“%(name)s”还有 %(n)d 件提案待您评分。", name=name, n=count),
                       inbox.link_to("proposals.queue", pending=1))
