"""Leaving ends the judging roles tied to the enterprise (issue 13, "Roles tied to an enterprise (HR,
an enterprise's own judges) end on the leave date"): the person leaves the panels of the old
enterprise's own campaigns and selection contests still being judged; marks already given stay, and so
do panels of the city's events."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from core import clock
from models import Message, db
from models.competitions import (
    CONFIRMED,
    CompetitionJudge,
    CompetitionPracticalMark,
    CompetitionRegistration,
)
from models.proposals import CampaignJudge, JudgeAssignment
from services.accounts import employment
from services.competitions import judging as competition_judging
from services.proposals import assignment
from tests.factories import WorkerFactory
from tests.factories_competitions import CompetitionFactory
from tests.factories_proposals import CampaignFactory, ProposalFactory


def _panel_rows(person, campaign):
    return db.session.scalars(select(CampaignJudge).where(CampaignJudge.user_id == person.id,
                                                          CampaignJudge.campaign_id == campaign.id)).all()


def test_a_leaving_judge_leaves_the_old_enterprises_own_panels_only(world):
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    own = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    city = CampaignFactory()
    assignment.appoint_judge(world.hr_a, own, world.worker_a.id)
    assignment.appoint_judge(world.admin, city, world.worker_a.id)
    proposal = ProposalFactory(campaign=own, proposer=colleague)
    db.session.add(JudgeAssignment(proposal_id=proposal.id, campaign_id=own.id, judge_id=world.worker_a.id))
    contest = CompetitionFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id,
                                 level="enterprise", status="open", judge_min_level=0)
    competition_judging.assign_judge(world.hr_a, contest, world.worker_a)
    db.session.commit()

    employment.record_leave(world.hr_a, world.worker_a, clock.today() - timedelta(days=1))
    db.session.commit()

    assert _panel_rows(world.worker_a, own) == []
    assert len(_panel_rows(world.worker_a, city)) == 1  # the city's panel is not the enterprise's
    assert db.session.scalar(select(JudgeAssignment.id).where(JudgeAssignment.judge_id == world.worker_a.id)) is None
    assert db.session.scalar(select(CompetitionJudge.id).where(CompetitionJudge.judge_id == world.worker_a.id)) is None
    told = db.session.scalar(select(Message).where(Message.recipient_id == world.hr_a.id,
                                                   Message.kind == "account.left").order_by(Message.id.desc()))
    assert told.body["args"]["panels"] == 2  # the HR is told that the panels ended


def test_marks_already_given_keep_the_judge_on_that_contest(world):
    contest = CompetitionFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id,
                                 level="enterprise", status="open", judge_min_level=0)
    competition_judging.assign_judge(world.hr_a, contest, world.worker_a)
    competitor = WorkerFactory(enterprise=world.enterprise_a)
    entry = CompetitionRegistration(competition=contest, worker=competitor, enterprise_id=competitor.enterprise_id,
                                    status=CONFIRMED, competitor_no=1, confirmed_at=clock.now())
    db.session.add(entry)
    db.session.flush()
    db.session.add(CompetitionPracticalMark(registration_id=entry.id, judge_id=world.worker_a.id,
                                            item_id=contest.items[0].id, mark=Decimal("8")))
    db.session.commit()

    employment.record_leave(world.hr_a, world.worker_a, clock.today())
    db.session.commit()

    assert db.session.scalar(select(CompetitionJudge.id).where(CompetitionJudge.judge_id == world.worker_a.id))
