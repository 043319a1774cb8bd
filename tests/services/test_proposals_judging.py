"""Service rules of judging: assignment and conflicts of interest, marks, results, prizes, notice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest

from core import clock
from models import db
from models.notices import OBJECTION_DISMISSED
from models.proposals import (
    AWARDED,
    SCORED,
    UNDER_REVIEW,
    VALID,
    JudgeAssignment,
    Mark,
    MarkChange,
    Proposal,
    ProposalAuthor,
)
from services.common import notices
from services.errors import NotAllowed, NotFound, RuleViolation
from services.messages.todos import resolve
from services.proposals import assignment, judging, ranking, results
from services.proposals import loaders as proposal_loaders
from services.proposals.todos import judge_todos
from tests.factories import EnterpriseFactory, JudgeFactory, WorkerFactory
from tests.factories_proposals import (
    AFTER_JUDGING,
    JUDGE_TIME,
    JUDGING_CLOSES,
    CampaignFactory,
    ProposalFactory,
    assign,
)


@pytest.fixture
def campaign():
    return CampaignFactory()


@pytest.fixture
def at_judging():
    with clock.frozen(JUDGE_TIME):
        yield


def marks_for(campaign, *values):
    return {c.id: v for c, v in zip(campaign.criteria, values, strict=True)}


def outside_judges(n):
    enterprise = EnterpriseFactory()
    return [JudgeFactory(enterprise=enterprise) for _ in range(n)]


# --- assignment -----------------------------------------------------------------------------


def test_manual_assignment_starts_review(world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    assignment.assign_judge(world.admin, campaign, proposal.id, world.judge.id)
    db.session.commit()
    assert proposal.status == UNDER_REVIEW
    with pytest.raises(RuleViolation):
        assignment.assign_judge(world.admin, campaign, proposal.id, world.judge.id)


def test_no_judge_of_the_proposals_enterprise(world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_b, status=VALID)  # judge is of B
    with pytest.raises(RuleViolation) as error:
        assignment.assign_judge(world.admin, campaign, proposal.id, world.judge.id)
    assert "利益冲突" in str(error.value.message)


def test_no_judge_who_coauthored(world, campaign, at_judging):
    judge_worker = JudgeFactory(enterprise=world.enterprise_a)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    proposal.authors[0].share = 50
    from models.proposals import ProposalAuthor

    proposal.authors.append(ProposalAuthor(user_id=judge_worker.id, share=50, position=1))
    judge_worker.enterprise_id = None  # even without the enterprise rule, an author is refused
    db.session.commit()
    with pytest.raises(RuleViolation):
        assignment.assign_judge(world.admin, campaign, proposal.id, judge_worker.id)


def test_only_admins_assign_and_only_valid_proposals(world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="submitted")
    with pytest.raises(NotAllowed):
        assignment.assign_judge(world.hr_a, campaign, proposal.id, world.judge.id)
    with pytest.raises(RuleViolation):
        assignment.assign_judge(world.admin, campaign, proposal.id, world.judge.id)
    with pytest.raises(RuleViolation):  # not a judge
        proposal.status = VALID
        assignment.assign_judge(world.admin, campaign, proposal.id, world.worker_b.id)


def test_auto_assignment_is_balanced_and_conflict_free(world, campaign, at_judging):
    judges = outside_judges(4) + [JudgeFactory(enterprise=world.enterprise_a)]
    writers = [world.worker_a, world.worker_b, WorkerFactory(enterprise=world.enterprise_a)]
    batch = [ProposalFactory(campaign=campaign, proposer=writers[i % 3], status=VALID) for i in range(12)]
    made, short = assignment.auto_assign(world.admin, campaign)
    db.session.commit()
    assert short == 0 and made == 12 * 3
    rows = db.session.scalars(db.select(JudgeAssignment)).all()
    by_proposal = Counter(a.proposal_id for a in rows)
    assert all(by_proposal[p.id] == 3 for p in batch)
    enterprise_of = {p.id: p.enterprise_id for p in batch}
    judge_enterprise = {j.id: j.enterprise_id for j in judges + [world.judge]}
    assert all(judge_enterprise[a.judge_id] != enterprise_of[a.proposal_id] for a in rows)
    load = Counter(a.judge_id for a in rows)
    outsiders = [load[j.id] for j in judges[:4]]
    assert max(outsiders) - min(outsiders) <= 1
    assert all(p.status == UNDER_REVIEW for p in batch)
    again, _short = assignment.auto_assign(world.admin, campaign)
    assert again == 0


def test_auto_assignment_reports_shortage(world, campaign, at_judging):
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    made, short = assignment.auto_assign(world.admin, campaign)  # only world.judge exists
    assert (made, short) == (1, 1)


def test_no_assignment_after_lock(world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    judging.lock_campaign(world.admin, campaign, True)
    with pytest.raises(RuleViolation):
        assignment.assign_judge(world.admin, campaign, proposal.id, world.judge.id)


def test_a_judge_added_after_the_others_submitted_reopens_review_and_the_ranking_follows(world, campaign,
                                                                                         at_judging):
    """Rule (services.proposals.assignment): until judging is frozen a judge may be added to a scored
    proposal; it goes back under review and leaves the ranking until the added judge submits; then the
    aggregate is recomputed (80, 70, 60 -> 70.00; with 100 added -> 77.50) and it ranks above a 75.00."""
    judges = outside_judges(4)
    other = ProposalFactory(campaign=campaign, proposer=world.worker_b, status=SCORED, score=Decimal("75"))
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    for judge, values in zip(judges[:3], ((8, 8, 8, 8), (7, 7, 7, 7), (6, 6, 6, 6)), strict=True):
        assign(proposal, judge)
        judging.save_marks(judge, proposal.id, marks_for(campaign, *values), final=True)
    db.session.commit()
    assert (proposal.status, proposal.score) == (SCORED, Decimal("70.00"))

    def ranked():
        count = ranking.refresh_ranking(campaign)
        db.session.commit()
        return [p.id for p in ranking.ranking_page(campaign.id, count, 1, 10).items]

    assert ranked() == [other.id, proposal.id]
    assignment.assign_judge(world.admin, campaign, proposal.id, judges[3].id)
    db.session.commit()
    assert proposal.status == UNDER_REVIEW and ranked() == [other.id]
    judging.save_marks(judges[3], proposal.id, marks_for(campaign, 10, 10, 10, 10), final=True)
    db.session.commit()
    assert (proposal.status, proposal.score, proposal.judge_count) == (SCORED, Decimal("77.50"), 4)
    assert ranked() == [proposal.id, other.id]
    judging.lock_campaign(world.admin, campaign, True)
    with pytest.raises(RuleViolation, match="已锁定"):
        assignment.assign_judge(world.admin, campaign, proposal.id, world.judge.id)


def test_a_proposal_not_screened_valid_is_refused_with_its_status(world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="submitted")
    with pytest.raises(RuleViolation, match="这件提案当前为“已提交”"):
        assignment.assign_judge(world.admin, campaign, proposal.id, world.judge.id)


# --- marks ----------------------------------------------------------------------------------


def test_judge_saves_revises_and_submits_with_audit_trail(world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    assign(proposal, world.judge)
    judging.save_marks(world.judge, proposal.id, marks_for(campaign, 8, 7, None, None))
    judging.save_marks(world.judge, proposal.id, marks_for(campaign, 9, 7, 6, 5))
    db.session.commit()
    changes = db.session.scalars(db.select(MarkChange).order_by(MarkChange.id)).all()
    assert [(c.old_mark, c.new_mark, c.changed_by_id) for c in changes] == [
        (None, 8, world.judge.id), (None, 7, world.judge.id), (8, 9, world.judge.id),
        (None, 6, world.judge.id), (None, 5, world.judge.id)]
    assignment = judging.save_marks(world.judge, proposal.id, {}, final=True)
    # 25*9/10 + 25*7/10 + 30*6/10 + 20*5/10 = 22.5 + 17.5 + 18 + 10
    assert assignment.total == Decimal("68.00")
    with pytest.raises(RuleViolation):
        judging.save_marks(world.judge, proposal.id, marks_for(campaign, 1, 1, 1, 1))


def test_submit_needs_every_criterion_and_marks_in_range(world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    assign(proposal, world.judge)
    with pytest.raises(RuleViolation):
        judging.save_marks(world.judge, proposal.id, marks_for(campaign, 8, 7, None, 5), final=True)
    for bad in (11, -1, True):
        with pytest.raises(RuleViolation):
            judging.save_marks(world.judge, proposal.id, marks_for(campaign, bad, 7, 6, 5))
    other = CampaignFactory()
    with pytest.raises(NotFound):
        judging.save_marks(world.judge, proposal.id, {other.criteria[0].id: 5})


def test_marks_frozen_after_window_and_after_lock(world, campaign):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    assign(proposal, world.judge)
    with clock.frozen(JUDGING_CLOSES), pytest.raises(RuleViolation):
        judging.save_marks(world.judge, proposal.id, marks_for(campaign, 8, 7, 6, 5))
    with clock.frozen(JUDGE_TIME):
        judging.lock_campaign(world.admin, campaign, True)
        with pytest.raises(RuleViolation) as error:
            judging.save_marks(world.judge, proposal.id, marks_for(campaign, 8, 7, 6, 5))
        assert "锁定" in str(error.value.message)
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0


def test_unassigned_or_conflicted_proposals_are_not_found(world, campaign, at_judging):
    unassigned = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    with pytest.raises(NotFound):
        judging.save_marks(world.judge, unassigned.id, marks_for(campaign, 5, 5, 5, 5))
    own_enterprise = ProposalFactory(campaign=campaign, proposer=world.worker_b, status=VALID)
    assign(own_enterprise, world.judge)  # a row that slipped in (e.g. the judge changed enterprise)
    with pytest.raises(NotFound):
        judging.save_marks(world.judge, own_enterprise.id, marks_for(campaign, 5, 5, 5, 5))
    assert own_enterprise.id not in {a.proposal_id for a in db.session.scalars(judging.queue_query(world.judge))}


def test_every_branch_of_the_conflict_rule_holds_in_every_judge_query(world, campaign, at_judging):
    """The conflict rule (policy.not_conflicted_clause, written on the proposal's id so the queue needs no
    join to proposal) in the queue, the scoring page's lookup, the judge's to-do count and the proposal
    page, for rows that slipped in (the judge changed enterprise or became a co-author after assignment),
    and read afresh when the judge's enterprise changes."""
    judge = world.judge  # of enterprise B
    b_campaign = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id)
    other = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    own_city = ProposalFactory(campaign=campaign, proposer=world.worker_b, status=VALID)
    own_in_own_campaign = ProposalFactory(campaign=b_campaign, proposer=world.worker_b, status=VALID)
    coauthored = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    coauthored_own = ProposalFactory(campaign=b_campaign, proposer=world.worker_b, status=VALID)
    for proposal in (coauthored, coauthored_own):
        proposal.authors[0].share = 50
        proposal.authors.append(ProposalAuthor(user_id=judge.id, share=50, position=1))
    everything = (other, own_city, own_in_own_campaign, coauthored, coauthored_own)
    for proposal in everything:
        assign(proposal, judge)

    def queue():
        return {a.proposal_id for a in db.session.scalars(judging.queue_query(judge))}

    free = {other.id, own_in_own_campaign.id}
    assert queue() == free
    for proposal in everything:
        if proposal.id in free:
            assert judging.get_assignment(judge, proposal.id).proposal_id == proposal.id
        else:
            with pytest.raises(NotFound):
                judging.get_assignment(judge, proposal.id)
    assert proposal_loaders.get_proposal(judge, own_in_own_campaign.id) == own_in_own_campaign
    with pytest.raises(NotFound):  # not an author, not HR: only the assignment could show it
        proposal_loaders.get_proposal(judge, own_city.id)
    assert resolve(judge_todos(judge))[0].count == 2
    judge.enterprise_id = world.enterprise_a.id  # moved to A: B's proposals are free, A's are not
    db.session.commit()
    assert queue() == {own_city.id, own_in_own_campaign.id}
    assert resolve(judge_todos(judge))[0].count == 2
    judge.enterprise_id = None  # left: only their own proposals stay out
    db.session.commit()
    assert queue() == {other.id, own_city.id, own_in_own_campaign.id}
    assert resolve(judge_todos(judge))[0].count == 3


def test_the_next_proposal_offered_is_the_first_pending_one_still_taking_marks(world, campaign, at_judging):
    """next_pending skips the current proposal, submitted ones and those of campaigns frozen for marking,
    however many of these come first in the queue (a newer, locked campaign lists first)."""
    open_one, current = (ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID) for _ in range(2))
    for proposal in (open_one, current):
        assign(proposal, world.judge)
    locked = CampaignFactory(locked=True)
    for _ in range(25):
        assign(ProposalFactory(campaign=locked, proposer=world.worker_a, status=VALID), world.judge)
    assert judging.next_pending(world.judge, current.id).proposal_id == open_one.id
    judging.save_marks(world.judge, open_one.id, marks_for(campaign, 5, 5, 5, 5), final=True)
    assert judging.next_pending(world.judge, current.id) is None
    assert judging.next_pending(world.judge, open_one.id).proposal_id == current.id


def test_aggregate_is_trimmed_mean_and_proposal_scored_when_all_submit(world, campaign, at_judging):
    judges = outside_judges(5)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    marks = [(10, 10, 10, 10), (8, 8, 8, 8), (7, 7, 7, 7), (6, 6, 6, 6), (1, 1, 1, 1)]
    for judge in judges:
        assign(proposal, judge)
    for judge, values in zip(judges[:4], marks[:4], strict=True):
        judging.save_marks(judge, proposal.id, marks_for(campaign, *values), final=True)
        assert proposal.status == UNDER_REVIEW
    judging.save_marks(judges[4], proposal.id, marks_for(campaign, *marks[4]), final=True)
    assert proposal.status == SCORED
    assert proposal.score == Decimal("70.00")  # drop 100 and 10: (80 + 70 + 60) / 3
    assert proposal.score_spread == Decimal("90.00") and proposal.judge_count == 5


# --- results --------------------------------------------------------------------------------


def _scored(campaign, proposer, score):
    return ProposalFactory(campaign=campaign, proposer=proposer, status=SCORED, score=Decimal(score))


def test_ranking_shares_ranks_and_prizes_follow_quota_then_pass_mark(world):
    campaign = CampaignFactory(quota_first=1, quota_second=2, quota_third=1, pass_mark=Decimal("60"), locked=True)
    scores = ["90", "85", "85", "80", "70", "60", "59.99"]
    made = [_scored(campaign, world.worker_a, s) for s in scores]
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="rejected")
    page = ranking.ranking_page(campaign.id, ranking.refresh_ranking(campaign), 1, 50)
    assert [(p.id, p.place) for p in page.items] == [(made[0].id, 1), (made[1].id, 2), (made[2].id, 2), (made[3].id, 4),
                                               (made[4].id, 5), (made[5].id, 6), (made[6].id, 7)]
    with clock.frozen(JUDGE_TIME):
        results.publish_results(world.admin, campaign)
        db.session.commit()
    prizes = [db.session.get(Proposal, p.id).prize for p in made]
    assert prizes == ["first", "second", "second", "third", "honourable", "honourable", None]
    assert [db.session.get(Proposal, p.id).rank for p in made] == [1, 2, 2, 4, 5, 6, 7]


def test_tie_at_a_quota_boundary_gets_the_better_prize(world):
    campaign = CampaignFactory(quota_first=1, quota_second=0, quota_third=0, locked=True)
    a, b = _scored(campaign, world.worker_a, "88"), _scored(campaign, world.worker_b, "88")
    with clock.frozen(JUDGE_TIME):
        results.publish_results(world.admin, campaign)
    assert {db.session.get(Proposal, a.id).prize, db.session.get(Proposal, b.id).prize} == {"first"}


def test_publish_needs_frozen_judging_and_no_open_reviews(world, campaign):
    _scored(campaign, world.worker_a, "80")
    with clock.frozen(JUDGE_TIME), pytest.raises(RuleViolation):
        results.publish_results(world.admin, campaign)
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status=UNDER_REVIEW)
    with clock.frozen(AFTER_JUDGING), pytest.raises(RuleViolation) as error:
        results.publish_results(world.admin, campaign)
    assert "1 件" in str(error.value.message)
    with pytest.raises(NotAllowed):
        results.publish_results(world.hr_a, campaign)


def test_notice_objection_resolution_and_final_results(world):
    campaign = CampaignFactory(locked=True)
    winner = _scored(campaign, world.worker_a, "91")
    with clock.frozen(JUDGE_TIME):
        notice = results.publish_results(world.admin, campaign)
        db.session.commit()
        assert campaign.status == "published"
        objection = results.file_objection(world.worker_b, campaign, "第一名的提案在去年已经获奖，属于重复申报。")
        db.session.commit()
        with pytest.raises(RuleViolation):  # the notice is still running
            results.finalise_results(world.admin, campaign)
    with clock.frozen(notice.ends_at + timedelta(minutes=1)):
        with pytest.raises(RuleViolation):  # an objection is pending
            results.finalise_results(world.admin, campaign)
        with pytest.raises(RuleViolation):  # objections only while the notice runs
            results.file_objection(world.worker_b, campaign, "再提一条异议，内容足够长。")
        results.resolve_objection(world.admin, campaign, objection.id, upheld=False, note="经核实为不同提案。")
        results.finalise_results(world.admin, campaign)
        db.session.commit()
    assert objection.status == OBJECTION_DISMISSED
    assert campaign.status == "final" and db.session.get(Proposal, winner.id).status == AWARDED
    assert notices.notice_for("proposal_campaign", campaign.id).status == "final"


def test_objection_of_another_campaign_is_not_found(world):
    campaign = CampaignFactory(locked=True)
    other = CampaignFactory(locked=True)
    with clock.frozen(JUDGE_TIME):
        results.publish_results(world.admin, campaign)
        results.publish_results(world.admin, other)
        objection = results.file_objection(world.worker_b, other, "这是针对另一个活动的异议内容。")
        with pytest.raises(NotFound):
            results.resolve_objection(world.admin, campaign, objection.id, True, "x")


# --- the database as the last word ----------------------------------------------------------


def test_a_racing_duplicate_assignment_is_refused_by_the_unique_constraint(world, campaign):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    assign(proposal, world.judge)
    db.session.add(JudgeAssignment(proposal_id=proposal.id, judge_id=world.judge.id, campaign_id=campaign.id))
    with pytest.raises(RuleViolation):
        judging.flush_or_refuse("已分配")
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(JudgeAssignment.id))) == 1


@pytest.mark.parametrize("value", [11, -1])
def test_marks_out_of_range_are_refused_by_the_database(world, campaign, value):
    from sqlalchemy.exc import IntegrityError

    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=UNDER_REVIEW)
    assignment = assign(proposal, world.judge)
    db.session.add(Mark(assignment_id=assignment.id, proposal_id=proposal.id, judge_id=world.judge.id,
                        criterion_id=campaign.criteria[0].id, mark=value))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
