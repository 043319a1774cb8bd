"""Reminders from every domain, driven by the controllable clock through the scheduler: each goes out
once, to the right people, even when the scheduler runs twice the same day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core import clock
from models import Message, db
from models.notices import PublicNotice
from models.proposals import JudgeAssignment
from services.jobs.scheduler import tick
from tests.factories import JudgeFactory
from tests.factories_competitions import CompetitionFactory
from tests.factories_mentorship import MentorPairFactory
from tests.factories_proposals import CampaignFactory, ProposalFactory

# 09:00 in Shanghai on Tuesday 3 March 2026; the scheduler runs again an hour later, same day.
MORNING = datetime(2026, 3, 3, 1, tzinfo=UTC)
TOMORROW_NOON = datetime(2026, 3, 4, 4, tzinfo=UTC)


def run_twice() -> None:
    with clock.frozen(MORNING):
        tick()
    with clock.frozen(MORNING + timedelta(hours=1, minutes=1)):
        tick()


def reminded(kind: str) -> list[int]:
    return list(db.session.scalars(select(Message.recipient_id).where(Message.kind == f"reminder.{kind}")
                                   .order_by(Message.recipient_id)))


def test_a_mentor_is_reminded_the_day_before_a_checkin_is_due(world):
    due = MentorPairFactory(next_checkin_due=MORNING.date() + timedelta(days=1))
    MentorPairFactory(next_checkin_due=MORNING.date() + timedelta(days=2))  # not yet
    MentorPairFactory(next_checkin_due=MORNING.date() + timedelta(days=1), status="completed")  # over
    run_twice()
    assert reminded("mentorship.checkin_due") == [due.mentor_id]


def test_judges_with_unsubmitted_marks_are_reminded_of_tomorrows_deadline(world):
    windows = {"submission_opens_at": MORNING - timedelta(days=60),
               "submission_closes_at": MORNING - timedelta(days=30), "judging_opens_at": MORNING - timedelta(days=20)}
    campaign = CampaignFactory(judging_closes_at=TOMORROW_NOON, **windows)
    later = CampaignFactory(judging_closes_at=TOMORROW_NOON + timedelta(days=3), **windows)
    done_judge = JudgeFactory()
    for c in (campaign, later):
        proposal = ProposalFactory(campaign=c, proposer=world.worker_a, status="under_review")
        db.session.add(JudgeAssignment(proposal_id=proposal.id, judge_id=world.judge.id, campaign_id=c.id))
    db.session.add(JudgeAssignment(proposal_id=proposal.id, judge_id=done_judge.id, campaign_id=later.id,
                                   submitted_at=MORNING))
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="under_review")
    db.session.add(JudgeAssignment(proposal_id=proposal.id, judge_id=done_judge.id, campaign_id=campaign.id,
                                   submitted_at=MORNING))
    db.session.commit()
    run_twice()
    assert reminded("proposal.scoring_deadline") == [world.judge.id]
    [message] = db.session.scalars(select(Message).where(Message.kind == "reminder.proposal.scoring_deadline"))
    assert "1 件" in message.subject["text"] % message.subject["args"]


def test_the_publisher_is_reminded_the_day_before_a_notice_ends(world):
    # The notice's last day is 4 March: it ends at midnight (Shanghai) starting 5 March.
    ends = datetime(2026, 3, 4, 16, tzinfo=UTC)
    campaign = CampaignFactory(status="published")
    db.session.add_all([
        PublicNotice(subject_type="proposal_campaign", subject_id=campaign.id, title="结果公示", status="open",
                     published_at=MORNING - timedelta(days=6), ends_at=ends, published_by_id=world.admin.id),
        PublicNotice(subject_type="proposal_campaign", subject_id=campaign.id + 1000, title="另一个公示",
                     status="open", published_at=MORNING, ends_at=ends + timedelta(days=3),
                     published_by_id=world.admin.id),
    ])
    db.session.commit()
    run_twice()
    assert reminded("notice.ending") == [world.admin.id]
    [message] = db.session.scalars(select(Message).where(Message.kind == "reminder.notice.ending"))
    assert message.link == {"endpoint": "proposals.results", "values": {"campaign_id": campaign.id}}


def test_hr_is_reminded_the_day_before_a_registration_window_closes(world):
    with clock.frozen(MORNING):
        CompetitionFactory(name="明天截止的竞赛", registration_closes_at=TOMORROW_NOON)
        CompetitionFactory(name="下周截止的竞赛", registration_closes_at=TOMORROW_NOON + timedelta(days=7))
    run_twice()
    assert reminded("competition.registration_closes") == sorted([world.hr_a.id, world.hr_b.id])
