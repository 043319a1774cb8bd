"""The stored ranking and tallies of the proposals area: a page of the ranking is exactly what RANK()
gives (ties across a page boundary too), a changed score shows at once (judging, after lock and
unlock), publishing stores ranks and prizes from it, and the stored tallies always equal a recount."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core import clock
from models import db
from models.proposal_tallies import JudgeLoad, ProposalSavingsTally, ProposalStatusTally, rebuild
from models.proposals import SCORED, UNDER_REVIEW, VALID, Campaign, JudgeAssignment, Proposal
from services.proposals import assignment, judging, ranking, results, savings, screening
from tests.factories import EnterpriseFactory, JudgeFactory
from tests.factories_proposals import JUDGE_TIME, CampaignFactory, ProposalFactory, assign


def page_of(campaign, page, per_page):
    ranked = ranking.refresh_ranking(campaign)
    db.session.commit()
    return ranking.ranking_page(campaign.id, ranked, page, per_page)


def rank_sql(campaign) -> list[tuple[int, int]]:
    """(id, RANK()) of the campaign's judged proposals straight from a window query, best first."""
    place = func.rank().over(order_by=Proposal.score.desc())
    return [tuple(r) for r in db.session.execute(
        select(Proposal.id, place).where(Proposal.campaign_id == campaign.id, Proposal.status == SCORED,
                                         Proposal.score.is_not(None))
        .order_by(Proposal.score.desc(), Proposal.id))]


def test_each_page_holds_exactly_what_rank_gives_with_ties_across_page_boundaries(world):
    campaign = CampaignFactory()
    rng = random.Random(7)
    scores = [Decimal(rng.choice(["90", "88.5", "88.5", "88.5", "80", "75", "75", "60"])) for _ in range(37)]
    for score in scores:
        ProposalFactory(campaign=campaign, proposer=world.worker_a, status=SCORED, score=score)
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status=UNDER_REVIEW, score=Decimal("99"))
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="rejected")
    expected = rank_sql(campaign)
    per_page = 5
    shown = []
    for page in range(1, 9):
        items = page_of(campaign, page, per_page).items
        assert [(p.id, p.place) for p in items] == expected[(page - 1) * per_page:page * per_page]
        shown += items
    assert len(shown) == 37 and [p.position for p in shown] == list(range(1, 38))
    assert page_of(campaign, 9, per_page).items == []
    pagination = page_of(campaign, 3, per_page)
    assert (pagination.total, pagination.pages, pagination.has_prev, pagination.has_next) == (37, 8, True, True)
    # a tie straddles a boundary: the same shared place ends one page and starts the next
    places = [p for _id, p in expected]
    assert any(places[i - 1] == places[i] for i in range(per_page, len(places), per_page))


def _scored_by(campaign, proposer, judges, marks):
    """A proposal judged by `judges` through the service, each giving `marks` on every criterion."""
    proposal = ProposalFactory(campaign=campaign, proposer=proposer, status=VALID)
    for judge in judges:
        assign(proposal, judge)
    for judge in judges:
        judging.save_marks(judge, proposal.id, {c.id: marks for c in campaign.criteria}, final=True)
    db.session.commit()
    return proposal


def test_a_submission_after_lock_and_unlock_shows_in_the_ranking_at_once(world):
    campaign = CampaignFactory(min_judges=2)
    enterprise = EnterpriseFactory()
    judges = [JudgeFactory(enterprise=enterprise) for _ in range(2)]
    with clock.frozen(JUDGE_TIME):
        first = _scored_by(campaign, world.worker_a, judges, 8)
        second = _scored_by(campaign, world.worker_b, judges, 6)
        late = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
        assign(late, judges[0])
        assign(late, judges[1])
        judging.save_marks(judges[0], late.id, {c.id: 10 for c in campaign.criteria}, final=True)
        db.session.commit()
        assert [(p.id, p.place) for p in page_of(campaign, 1, 10).items] == [(first.id, 1), (second.id, 2)]
        judging.lock_campaign(world.admin, campaign, True)
        db.session.commit()
        judging.lock_campaign(world.admin, campaign, False)  # the area's reopen path: unlock judging
        db.session.commit()
        judging.save_marks(judges[1], late.id, {c.id: 9 for c in campaign.criteria}, final=True)
        db.session.commit()
        assert db.session.get(Proposal, late.id).status == SCORED
        assert [(p.id, p.place) for p in page_of(campaign, 1, 10).items] == [
            (late.id, 1), (first.id, 2), (second.id, 3)]


def test_any_change_of_a_score_or_a_ranked_status_marks_the_ranking_stale(world):
    campaign = CampaignFactory()
    a = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=SCORED, score=Decimal("70"))
    b = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=SCORED, score=Decimal("80"))
    assert [p.id for p in page_of(campaign, 1, 10).items] == [b.id, a.id]
    version = db.session.scalar(select(Campaign.ranking_version).where(Campaign.id == campaign.id))
    b.title = "只改标题"  # not a ranking change
    db.session.commit()
    assert db.session.scalar(select(Campaign.ranking_version).where(Campaign.id == campaign.id)) == version
    a.score = Decimal("85")
    db.session.commit()
    assert [(p.id, p.place) for p in page_of(campaign, 1, 10).items] == [(a.id, 1), (b.id, 2)]
    db.session.get(Proposal, a.id).status = UNDER_REVIEW  # leaves the ranking (e.g. a correction)
    db.session.commit()
    assert [(p.id, p.place, p.position) for p in page_of(campaign, 1, 10).items] == [(b.id, 1, 1)]
    assert db.session.get(Proposal, a.id).position is None


def test_publishing_stores_ranks_and_prizes_from_the_stored_ranking(world):
    campaign = CampaignFactory(quota_first=1, quota_second=1, quota_third=1, pass_mark=Decimal("60"), locked=True)
    made = [ProposalFactory(campaign=campaign, proposer=world.worker_a, status=SCORED, score=Decimal(s))
            for s in ("90", "85", "85", "61", "59")]
    with clock.frozen(JUDGE_TIME):
        results.publish_results(world.admin, campaign)
        db.session.commit()
    stored = [(db.session.get(Proposal, p.id).rank, db.session.get(Proposal, p.id).prize) for p in made]
    assert stored == [(1, "first"), (2, "second"), (2, "second"), (4, "honourable"), (5, None)]
    assert [results.prize_for(r, p.score, campaign) for (r, _prize), p in zip(stored, made, strict=True)] == [
        prize for _rank, prize in stored]


def tallies() -> dict:
    """Every stored tally, as comparable tuples (zero rows dropped: a recount does not write them)."""
    return {
        "status": sorted((t.campaign_id, t.status, t.proposals) for t in db.session.scalars(
            select(ProposalStatusTally)) if t.proposals),
        "savings": sorted((t.campaign_id, t.enterprise_id, t.valid, Decimal(t.estimated), Decimal(t.entered),
                           Decimal(t.verified)) for t in db.session.scalars(select(ProposalSavingsTally))
                          if t.valid or t.entered),
        "load": sorted((t.campaign_id, t.judge_id, t.assigned, t.submitted) for t in db.session.scalars(
            select(JudgeLoad)) if t.assigned),
    }


def test_stored_tallies_equal_a_recount_after_the_whole_life_cycle(world):
    campaign = CampaignFactory(min_judges=1)
    judges = [JudgeFactory(enterprise=EnterpriseFactory()) for _ in range(2)]
    proposals = [ProposalFactory(campaign=campaign, proposer=p, estimated_savings=Decimal(e))
                 for p, e in ((world.worker_a, "1000"), (world.worker_a, "2500.50"), (world.worker_b, "700"))]
    with clock.frozen(JUDGE_TIME):
        screening.screen_proposal(world.hr_a, proposals[0], "valid", None, "")
        screening.screen_proposal(world.hr_a, proposals[1], "valid", None, "")
        screening.screen_proposal(world.hr_b, proposals[2], "reject", "other", "不属于五小范围")
        db.session.commit()
        assignment.auto_assign(world.admin, campaign)
        db.session.commit()
        extra = assignment.assign_judge(world.admin, campaign, proposals[1].id,
                                        next(j.id for j in judges if not any(
                                            a.judge_id == j.id for a in assignment.assignments_of(
                                                [proposals[1].id])[proposals[1].id])))
        db.session.commit()
        assignment.remove_assignment(world.admin, campaign, extra.id)
        db.session.commit()
        for a in db.session.scalars(select(JudgeAssignment)):
            judging.save_marks(a.judge, a.proposal_id, {c.id: 7 for c in campaign.criteria}, final=True)
            db.session.commit()
    campaign.status, campaign.locked = "published", True
    db.session.commit()
    savings.adopt_proposal(world.hr_a, proposals[0])
    db.session.commit()
    stored = tallies()
    assert ("load" in stored and sum(row[2] for row in stored["load"]) == 2
            and sum(row[3] for row in stored["load"]) == 2)
    rebuild(db.session)
    db.session.commit()
    assert tallies() == stored
    assert results.results_summary(campaign) == {"scored": 1, "adopted": 1, "rejected": 1}


@pytest.mark.parametrize("per_page", [1, 3])
def test_a_page_past_the_end_is_empty_and_an_empty_ranking_has_one_page(world, per_page):
    campaign = CampaignFactory()
    pagination = page_of(campaign, 1, per_page)
    assert pagination.items == [] and pagination.total == 0
    assert page_of(campaign, 4, per_page).items == []


def test_a_three_way_tie_across_the_last_first_prize_place_takes_the_following_quota(world):
    """The stated tie rule (templates/_macros/rules.html proposal_tie_rule): quotas 2 / 3 / 4 first /
    second / third; three proposals tie at place 2. All three get first prize (4 first prizes); second
    prize still ends at place 2 + 3 = 5, so only place 5 gets it; third prize ends at place 9."""
    campaign = CampaignFactory(quota_first=2, quota_second=3, quota_third=4, pass_mark=Decimal("60"), locked=True)
    scores = ("95", "90", "90", "90", "88", "87", "86", "85", "84", "83", "59")
    made = [ProposalFactory(campaign=campaign, proposer=world.worker_a, status=SCORED, score=Decimal(s))
            for s in scores]
    with clock.frozen(JUDGE_TIME):
        results.publish_results(world.admin, campaign)
        db.session.commit()
    stored = [(db.session.get(Proposal, p.id).rank, db.session.get(Proposal, p.id).prize) for p in made]
    assert stored == [(1, "first"), (2, "first"), (2, "first"), (2, "first"), (5, "second"),
                      (6, "third"), (7, "third"), (8, "third"), (9, "third"), (10, "honourable"), (11, None)]
