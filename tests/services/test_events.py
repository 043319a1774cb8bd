"""Each event a person waits on leaves a message for exactly the right people, in the same service call,
linked to the object and shown in the reader's language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from core import clock
from models import Message, db
from models.competitions import WAITLISTED
from models.mentorship import CheckIn
from models.proposals import SCORED, ProposalAuthor
from services.competitions import judging as competition_judging
from services.competitions import registration
from services.competitions import results as competition_results
from services.errors import NotFound, RuleViolation
from services.mentorship import assessment, checkins
from services.messages import inbox
from services.proposals import results as proposal_results
from services.proposals import screening
from services.titles import awards, nominations
from tests.factories import TradeFactory, WorkerFactory
from tests.factories_competitions import CompetitionFactory, competition_in_scoring, reload
from tests.factories_mentorship import activate, create_pair
from tests.factories_proposals import JUDGE_TIME, SUBMIT_TIME, CampaignFactory, ProposalFactory
from tests.factories_titles import award_through_round, default_titles, make_eligible, open_round

START = datetime(2026, 3, 2, 2, tzinfo=UTC)


def inbox_of(kind: str) -> dict[int, list[Message]]:
    """Recipient id -> their messages of `kind`."""
    got: dict[int, list[Message]] = {}
    for message in db.session.scalars(select(Message).where(Message.kind == kind).order_by(Message.id)):
        got.setdefault(message.recipient_id, []).append(message)
    return got


def text(message: Message) -> str:
    return str(inbox.subject_of(message))


# --- proposals ---------------------------------------------------------------------------------------


@pytest.fixture
def coauthored(world):
    proposal = ProposalFactory(proposer=world.worker_a, title="快换定位销")
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    proposal.authors[0].share = 60
    db.session.add(ProposalAuthor(proposal_id=proposal.id, user_id=colleague.id, share=40, position=1))
    db.session.commit()
    return proposal, colleague


def test_a_returned_proposal_tells_every_author_the_note(app, world, coauthored):
    proposal, colleague = coauthored
    screening.screen_proposal(world.hr_a, proposal, "return", None, "请补充改进前后的废品率数据。")
    db.session.commit()
    got = inbox_of("proposal.returned")
    assert set(got) == {world.worker_a.id, colleague.id}
    message = got[world.worker_a.id][0]
    assert "退回修改" in text(message) and "废品率" in str(inbox.body_of(message))
    assert message.link == {"endpoint": "proposals.show", "values": {"proposal_id": proposal.id}}


def test_resubmitting_a_returned_proposal_settles_the_return_for_every_author(app, world, coauthored):
    from services.messages import todos
    from services.proposals import submission

    proposal, colleague = coauthored
    screening.screen_proposal(world.hr_a, proposal, "return", None, "请补充改进前后的废品率数据。")
    db.session.commit()
    returned = "被退回修改的五小提案"
    assert [t.count for t in todos.todos_for(world.worker_a) if str(t.label) == returned] == [1]
    assert inbox.unread_count(world.worker_a) == inbox.unread_count(colleague) == 1
    with clock.frozen(SUBMIT_TIME):
        submission.submit_proposal(world.worker_a, proposal, pledge=True)
    db.session.commit()
    got = inbox_of("proposal.returned")
    assert all(message.read_at is not None for messages in got.values() for message in messages)
    assert inbox.unread_count(world.worker_a) == inbox.unread_count(colleague) == 0
    assert not [t for t in todos.todos_for(world.worker_a) if str(t.label) == returned]


def test_withdrawing_a_returned_proposal_settles_the_return_but_not_other_messages(app, world, coauthored):
    from services.proposals import submission

    proposal, _colleague = coauthored
    other = ProposalFactory(proposer=world.worker_a, title="另一项提案")
    for each in (proposal, other):
        screening.screen_proposal(world.hr_a, each, "return", None, "请补充数据。")
    db.session.commit()
    submission.withdraw_proposal(world.worker_a, proposal)
    db.session.commit()
    mine = {m.link["values"]["proposal_id"]: m.read_at for m in inbox_of("proposal.returned")[world.worker_a.id]}
    assert mine[proposal.id] is not None and mine[other.id] is None


def test_a_rejection_carries_its_reason_in_the_readers_language(app, world, coauthored):
    proposal, _colleague = coauthored
    screening.screen_proposal(world.hr_a, proposal, "reject", "duplicate", "与去年获奖提案相同。")
    db.session.commit()
    [message] = inbox_of("proposal.rejected")[world.worker_a.id]
    assert "重复" in str(inbox.body_of(message))
    with app.test_request_context(), force_locale("en"):
        body = str(inbox.body_of(message))
    assert "uplicate" in body and "与去年获奖提案相同" in body  # the reason translated, the note as typed
    assert world.hr_a.id not in inbox_of("proposal.rejected")


def test_a_valid_proposal_is_announced_to_its_authors_only(world, coauthored):
    proposal, colleague = coauthored
    screening.screen_proposal(world.hr_a, proposal, "valid", None, None)
    db.session.commit()
    assert set(inbox_of("proposal.valid")) == {world.worker_a.id, colleague.id}


def test_published_results_and_final_prizes_reach_each_author(world):
    campaign = CampaignFactory(locked=True, quota_first=1, quota_second=0, quota_third=0)
    winner = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=SCORED, score=Decimal("91"))
    ProposalFactory(campaign=campaign, proposer=world.worker_b, status=SCORED, score=Decimal("50"))
    with clock.frozen(JUDGE_TIME):
        notice = proposal_results.publish_results(world.admin, campaign)
        db.session.commit()
    published = inbox_of("proposal.published")
    assert set(published) == {world.worker_a.id, world.worker_b.id}
    assert "第 1 名" in text(published[world.worker_a.id][0]) and "一等奖" in text(published[world.worker_a.id][0])
    assert "第 2 名" in text(published[world.worker_b.id][0]) and "奖" not in text(published[world.worker_b.id][0])
    assert inbox_of("proposal.prize") == {}
    with clock.frozen(notice.ends_at + timedelta(minutes=1)):
        proposal_results.finalise_results(world.admin, campaign)
        db.session.commit()
    prize = inbox_of("proposal.prize")
    assert set(prize) == {world.worker_a.id} and prize[world.worker_a.id][0].link["values"] == {
        "proposal_id": winner.id}


def test_a_resolved_objection_is_answered_to_the_objector_only(world):
    campaign = CampaignFactory(locked=True)
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status=SCORED, score=Decimal("91"))
    with clock.frozen(JUDGE_TIME):
        proposal_results.publish_results(world.admin, campaign)
        objection = proposal_results.file_objection(world.worker_b, campaign, "第一名的提案去年已获奖，属重复申报。")
        proposal_results.resolve_objection(world.admin, campaign, objection.id, upheld=False, note="经核实为不同提案。")
        db.session.commit()
    got = inbox_of("notice.objection_resolved")
    assert set(got) == {world.worker_b.id}
    assert "不成立" in text(got[world.worker_b.id][0]) and "不同提案" in str(inbox.body_of(got[world.worker_b.id][0]))
    assert got[world.worker_b.id][0].link == {"endpoint": "proposals.results", "values": {"campaign_id": campaign.id}}


# --- competitions ------------------------------------------------------------------------------------


def test_approval_rejection_and_waitlist_promotion_each_tell_their_entrant(world):
    trade = TradeFactory()
    competition = CompetitionFactory(capacity=1, trade=trade)
    first, second = (WorkerFactory(enterprise=world.enterprise_a, trade=trade, skill_level=3) for _ in range(2))
    entry = registration.register(first, competition, first)
    waiting = registration.register(second, competition, second)
    db.session.commit()
    assert waiting.status == WAITLISTED and inbox_of("competition.promoted") == {}
    registration.approve(world.admin, entry)
    db.session.commit()
    assert set(inbox_of("competition.confirmed")) == {first.id}
    registration.reject(world.admin, entry, "年龄不符合要求")
    db.session.commit()
    assert set(inbox_of("competition.rejected")) == {first.id}
    assert "年龄" in str(inbox.body_of(inbox_of("competition.rejected")[first.id][0]))
    promoted = inbox_of("competition.promoted")
    assert set(promoted) == {second.id} and "参赛号 2" in text(promoted[second.id][0])


def test_results_and_certificates_reach_each_competitor(world):
    competition, entries, judges = competition_in_scoring(competitors=3, judges=3)
    for n, entry in enumerate(entries):
        competition_judging.enter_theory_mark(world.admin, entry, str(90 - n * 5))
        for judge in judges:
            competition_judging.enter_practical_marks(judge, entry, {i.id: str(90 - n * 4) for i in competition.items})
    competition_results.sign_off(world.admin, competition)
    competition_results.publish_results(world.admin, competition)
    db.session.commit()
    competitors = {e.worker_id for e in entries}
    results = inbox_of("competition.result")
    assert set(results) == competitors
    assert "第 1 名" in text(results[entries[0].worker_id][0])
    assert not set(inbox_of("competition.result")) & {j.id for j in judges}
    assert inbox_of("competition.certificate") == {}
    with clock.frozen(clock.now() + timedelta(days=12)):
        competition_results.finalise_results(world.admin, reload(competition))
    db.session.commit()
    assert set(inbox_of("competition.certificate")) == competitors
    # The message leads where the certificate is: the competition's page (its download link).
    message = inbox_of("competition.certificate")[entries[0].worker_id][0]
    assert message.link == {"endpoint": "competitions.show", "values": {"competition_id": competition.id}}


# --- mentoring ---------------------------------------------------------------------------------------


def test_pair_checkin_and_assessment_messages(world):
    trade = TradeFactory()
    with clock.frozen(START):
        mentor = WorkerFactory(enterprise=world.enterprise_a, trade=trade, skill_level=4)
        apprentice = WorkerFactory(enterprise=world.enterprise_a, trade=trade, skill_level=1)
        pair = create_pair(world.hr_a, mentor, apprentice)
        created = inbox_of("mentorship.pair_created")
        assert set(created) == {mentor.id, apprentice.id}
        assert apprentice.name in text(created[mentor.id][0]) and mentor.name in text(created[apprentice.id][0])
        activate(pair)
    with clock.frozen(START + timedelta(days=10)):
        checkins.record_checkin(mentor, pair, checkin_date=date(2026, 3, 5), hours="2", taught="帮底结合",
                                skill_points="定位")
        db.session.commit()
    assert set(inbox_of("mentorship.checkin")) == {apprentice.id}
    # Answering the check-in is what the message asked for: it is read once nothing waits any more.
    [message] = inbox_of("mentorship.checkin")[apprentice.id]
    assert message.read_at is None
    with clock.frozen(START + timedelta(days=11)):
        [waiting] = db.session.scalars(db.select(CheckIn).where(CheckIn.pair_id == pair.id)).all()
        checkins.respond_checkin(apprentice, waiting, confirm=True)
        db.session.commit()
    db.session.refresh(message)
    assert message.read_at is not None
    with clock.frozen(datetime(2027, 3, 3, 4, tzinfo=UTC)):
        assessment.assess(world.hr_a, pair, assessment.AssessmentData(
            grade="pass", level_reached=2, score=Decimal("85"), assessor="考评组"))
        db.session.commit()
    assessed = inbox_of("mentorship.assessed")
    assert set(assessed) == {mentor.id, apprentice.id} and "合格" in text(assessed[apprentice.id][0])
    assert world.hr_a.id not in assessed


# --- titles ------------------------------------------------------------------------------------------


def test_nomination_decision_award_and_revocation(world):
    titles = default_titles()
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, titles["晋江工匠"])
    decided = inbox_of("title.nomination")
    assert set(decided) == {world.worker_a.id, world.hr_a.id}
    assert decided[world.hr_a.id][0].link["endpoint"] == "titles.nomination_detail"
    awarded = inbox_of("title.awarded")
    assert set(awarded) == {world.worker_a.id} and "晋江工匠" in text(awarded[world.worker_a.id][0])
    awards.revoke_award(world.admin, granted, "事迹材料失实，经查证")
    db.session.commit()
    assert set(inbox_of("title.revoked")) == {world.worker_a.id}


def test_a_rejected_nomination_tells_the_reason(world):
    titles = default_titles()
    make_eligible(world.hr_a, world.worker_a)
    with clock.frozen(START):
        title_round = open_round(world.admin, titles["晋江工匠"])
        nomination = nominations.nominate(world.hr_a, title_round, world.worker_a,
                                          "长期扎根一线，技术精湛，带出多名技术骨干，成绩突出。")
        nominations.review_nomination(world.admin, nomination, False, "近三年无市级竞赛成绩")
        db.session.commit()
    got = inbox_of("title.nomination")
    assert set(got) == {world.worker_a.id, world.hr_a.id}
    assert "未通过" in text(got[world.worker_a.id][0]) and "市级竞赛" in str(inbox.body_of(got[world.worker_a.id][0]))


def test_an_event_leaves_nothing_when_its_service_refuses(world, coauthored):
    proposal, _colleague = coauthored
    with pytest.raises(NotFound):
        screening.screen_proposal(world.hr_b, proposal, "return", None, "不是本企业的提案")
    with pytest.raises(RuleViolation):
        screening.screen_proposal(world.hr_a, proposal, "return", None, "")
    db.session.rollback()
    assert db.session.scalar(select(Message.id)) is None
