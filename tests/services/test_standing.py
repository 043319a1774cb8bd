"""Automatic selections re-check standing at the moment they select (services.common.standing; issue 12,
item 5): account active, enterprise active, still employed there; qualifications stay as of the event's
cut-off. Each step: who is passed over, how it is marked, who is told."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from core import clock
from models import db
from models.competitions import CONFIRMED, PASSED_OVER, SCORING, WAITLISTED
from models.messages import Message
from services.competitions import registration
from tests.factories import EnterpriseFactory, HRFactory, WorkerFactory
from tests.factories_competitions import CompetitionFactory, reload

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)


def inbox_of(*people) -> dict[int, list[str]]:
    """Recipient id -> kinds of the messages they got."""
    ids = [p.id for p in people]
    got: dict[int, list[str]] = {i: [] for i in ids}
    for recipient, kind in db.session.execute(select(Message.recipient_id, Message.kind)
                                              .where(Message.recipient_id.in_(ids)).order_by(Message.id)):
        got[recipient].append(kind)
    return got


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


def test_waitlist_promotion_skips_people_without_standing_and_marks_them(world, frozen_now):
    """Capacity 1. Waitlisted in order: deactivated, enterprise deactivated, left the enterprise, in
    standing. The seat freed by a withdrawal goes to the fourth; the first three are passed over with
    their reasons, and each of them and their enterprise's HR get a message."""
    competition = CompetitionFactory(capacity=1)
    closed_firm = EnterpriseFactory(name="停业鞋厂")
    closed_hr = HRFactory(enterprise=closed_firm)
    holder = WorkerFactory(enterprise=world.enterprise_a)
    gone, in_closed_firm, moved, good = (WorkerFactory(enterprise=world.enterprise_a),
                                         WorkerFactory(enterprise=closed_firm),
                                         WorkerFactory(enterprise=world.enterprise_a),
                                         WorkerFactory(enterprise=world.enterprise_a))
    entries = [registration.register(p, competition, p) for p in (holder, gone, in_closed_firm, moved, good)]
    db.session.commit()
    assert [e.status for e in entries] == [CONFIRMED] + [WAITLISTED] * 4
    gone.is_active = False
    closed_firm.is_active = False
    moved.enterprise_id = world.enterprise_b.id
    db.session.commit()

    promoted = registration.withdraw(holder, entries[0])
    db.session.commit()
    assert promoted.id == entries[4].id and reload(entries[4]).status == CONFIRMED
    marked = [(reload(e).status, reload(e).reason) for e in entries[1:4]]
    assert marked == [(PASSED_OVER, "账号已停用。"), (PASSED_OVER, "所在企业已停用。"),
                      (PASSED_OVER, "已不在原企业任职。")]
    got = inbox_of(gone, in_closed_firm, moved, good, world.hr_a, closed_hr, world.hr_b)
    kind = "competition.passed_over"
    assert got == {gone.id: [kind], in_closed_firm.id: [kind], moved.id: [kind], good.id: ["competition.promoted"],
                   world.hr_a.id: [kind, kind], closed_hr.id: [kind], world.hr_b.id: []}
    assert registration.waitlist_position(reload(entries[1])) is None


def test_a_waitlisted_worker_who_turns_61_after_the_cut_off_is_not_skipped(world):
    """Age counts on the competition day (2026-06-01: 60). The seat frees on 2026-06-15 in scoring,
    after the worker's 61st birthday (2026-06-10): qualifications are not re-checked, the worker moves up."""
    with clock.frozen(NOW):
        competition = CompetitionFactory(capacity=1, held_on=date(2026, 6, 1), max_age=60)
        first = WorkerFactory(enterprise=world.enterprise_a)
        older = WorkerFactory(enterprise=world.enterprise_a, birth_date=date(1965, 6, 10))
        seat, waiting = (registration.register(p, competition, p) for p in (first, older))
        db.session.commit()
    assert waiting.status == WAITLISTED
    with clock.frozen(datetime(2026, 6, 15, 2, tzinfo=UTC)):
        competition.status = SCORING
        db.session.commit()
        promoted = registration.reject(world.admin, seat, "未按时报到")
        db.session.commit()
    assert promoted.id == waiting.id and reload(waiting).status == CONFIRMED


def test_judge_auto_assignment_skips_judges_whose_enterprise_is_deactivated(world):
    from models.proposals import VALID, JudgeAssignment
    from services.errors import RuleViolation
    from services.proposals import assignment
    from tests.factories import JudgeFactory
    from tests.factories_proposals import JUDGE_TIME, CampaignFactory, ProposalFactory

    open_firm, closed_firm = EnterpriseFactory(), EnterpriseFactory()
    active = [JudgeFactory(enterprise=open_firm) for _ in range(3)]
    idle = JudgeFactory(enterprise=closed_firm)
    closed_firm.is_active = False
    world.judge.is_active = False
    campaign = CampaignFactory()
    with clock.frozen(JUDGE_TIME):
        proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
        assert assignment.auto_assign(world.admin, campaign) == (3, 0)
        db.session.commit()
        chosen = set(db.session.scalars(select(JudgeAssignment.judge_id)
                                        .where(JudgeAssignment.proposal_id == proposal.id)))
        assert chosen == {j.id for j in active}
        with pytest.raises(RuleViolation, match="请选择一位在职的评委"):
            assignment.assign_judge(world.admin, campaign, proposal.id, idle.id)


def test_promotion_recommendations_pass_over_people_without_standing_when_results_become_final(world):
    """Top 3 recommended at finalising; the 2nd was deactivated and the 3rd left the enterprise after the
    competition: both recommendations are passed over with the reason, told to them and to HR, and no
    certificate can be recorded on them."""
    from datetime import timedelta

    from models.competitions import PROMOTION_PASSED_OVER, PROMOTION_RECOMMENDED, CompetitionPromotion
    from services.competitions import judging, promotions, results
    from services.errors import RuleViolation
    from tests.factories_competitions import competition_in_scoring

    competition, entries, judges = competition_in_scoring(competitors=4, enterprise=world.enterprise_a,
                                                          promote_top_n=3)
    for n, entry in enumerate(entries):
        entry.worker.skill_level = 2
        judging.enter_theory_mark(world.admin, entry, str(90 - n * 5))
        for judge in judges:
            judging.enter_practical_marks(judge, entry, {i.id: str(90 - n * 4) for i in competition.items})
    results.sign_off(world.admin, competition)
    results.publish_results(world.admin, competition)
    db.session.commit()
    second, third = entries[1].worker, entries[2].worker
    second.is_active = False
    third.enterprise_id = world.enterprise_b.id
    db.session.commit()
    with clock.frozen(clock.now() + timedelta(days=12)):
        results.finalise_results(world.admin, competition)
    db.session.commit()
    made = {p.worker_id: (p.status, p.reason) for p in db.session.scalars(select(CompetitionPromotion))}
    assert made == {entries[0].worker_id: (PROMOTION_RECOMMENDED, None),
                    second.id: (PROMOTION_PASSED_OVER, "账号已停用。"),
                    third.id: (PROMOTION_PASSED_OVER, "已不在原企业任职。")}
    kind = "competition.promotion_passed_over"
    promotion_messages = {person: [k for k in kinds if k.startswith("competition.promotion")]
                          for person, kinds in inbox_of(second, third, entries[0].worker, world.hr_a).items()}
    assert promotion_messages == {  # (results and certificates send their own messages)
        second.id: [kind], third.id: [kind], entries[0].worker_id: [], world.hr_a.id: [kind, kind]}
    passed = db.session.scalar(select(CompetitionPromotion).where(CompetitionPromotion.worker_id == third.id))
    with pytest.raises(RuleViolation, match="不能登记证书"):
        promotions.record_promotion_certificate(world.hr_a, passed, "Y350582202600000000123", "晋江市职业技能鉴定中心")


def test_a_title_is_not_awarded_to_someone_without_standing(world):
    from services.errors import RuleViolation
    from services.titles import awards, nominations
    from tests.factories_titles import default_titles, make_eligible, open_round

    make_eligible(world.hr_a, world.worker_a)
    with clock.frozen(datetime(2026, 3, 2, 2, tzinfo=UTC)):
        title_round = open_round(world.admin, default_titles()["晋江工匠"])
        nomination = nominations.nominate(world.hr_a, title_round, world.worker_a,
                                          "长期扎根一线，技术精湛，带出多名技术骨干，成绩突出。")
        nominations.review_nomination(world.admin, nomination, True, "事迹属实")
        db.session.commit()
        world.worker_a.enterprise_id = world.enterprise_b.id  # left the nominating enterprise
        db.session.commit()
        with pytest.raises(RuleViolation, match=f"{world.worker_a.name} 现在不能入选：已不在原企业任职"):
            awards.award(world.admin, nomination)
        world.worker_a.enterprise_id = world.enterprise_a.id
        world.enterprise_a.is_active = False
        with pytest.raises(RuleViolation, match="所在企业已停用"):
            awards.award(world.admin, nomination)
        world.enterprise_a.is_active = True
        assert awards.award(world.admin, nomination).worker_id == world.worker_a.id


def test_an_excellent_pair_is_not_selected_when_a_side_has_no_standing(world):
    from decimal import Decimal

    from models.mentorship import Assessment
    from services.errors import RuleViolation
    from services.mentorship import excellent
    from tests.factories_mentorship import MentorPairFactory

    with clock.frozen(datetime(2026, 3, 4, 4, tzinfo=UTC)):
        pair = MentorPairFactory(mentor__enterprise=world.enterprise_a, status="completed", ended_on=date(2026, 2, 1))
        db.session.add(Assessment(pair_id=pair.id, assessed_on=date(2026, 2, 1), grade="excellent",
                                  level_reached=2, score=Decimal(80), assessor="考评组"))
        db.session.commit()
        nomination = excellent.nominate(world.hr_a, pair, "师徒同心，技艺精进，成绩突出。")
        pair.apprentice.is_active = False
        db.session.commit()
        with pytest.raises(RuleViolation, match="账号已停用"):
            excellent.select(world.admin, nomination)
        pair.apprentice.is_active = True
        excellent.select(world.admin, nomination)
        assert nomination.selected
