"""A town's own Five Small campaign (issue 14), run by the town's officers: creating and editing it, its
panel appointed from the town's people and the city's judge pool, the town-level conflict of interest,
publishing with the 公示 and resolving objections, recommending into a city campaign; the officers act
on nothing else (enterprise records and the enterprises' campaigns stay read-only to them)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import clock
from models import db
from models.proposals import CAMPAIGN_PUBLISHED, SCORED, UNDER_REVIEW, VALID, Proposal
from services.accounts import search
from services.common import notices
from services.errors import NotAllowed, NotFound, RuleViolation
from services.proposals import assignment, campaigns, judging, recommendation, results, savings, screening
from services.proposals import loaders as proposal_loaders
from services.proposals import policy as proposals_policy
from tests.factories import EnterpriseFactory, JudgeFactory, WorkerFactory
from tests.factories_proposals import JUDGE_TIME, SUBMIT_TIME, CampaignFactory, ProposalFactory
from tests.services.test_proposals import campaign_data


def town_campaign(world, **kw):
    """A campaign of enterprise A's town (run by town_a), straight in the database."""
    return CampaignFactory(owner_level="town", owner_town_id=world.enterprise_a.town_id, **kw)


def city_judge(name="市评委老郑"):
    """A judge of the city's pool without an enterprise."""
    return JudgeFactory(enterprise=None, name=name)


# --- creating and running ----------------------------------------------------------------------------


def test_a_town_officer_creates_and_edits_the_towns_campaign_only(world):
    campaign = campaigns.create_campaign(world.town_a, campaign_data(name="陈埭镇2026五小"))
    db.session.commit()
    assert (campaign.owner_level, campaign.owner_town_id, campaign.owner_enterprise_id) == (
        "town", world.enterprise_a.town_id, None)
    assert (campaign.min_judges, campaign.blind_review) == (3, True)  # the data given; the form starts at 2
    assert proposals_policy.can_run_campaign(world.town_a, campaign)
    for persona in ("town_b", "hr_a", "admin", "worker_a"):
        assert not proposals_policy.can_run_campaign(world.persona(persona), campaign), persona
    with pytest.raises(NotFound):  # another town's officer does not see it
        campaigns.update_campaign(world.town_b, campaign, campaign_data(name="改名"))
    with pytest.raises(NotAllowed):  # the HR of an enterprise in the town sees it but does not run it
        campaigns.update_campaign(world.hr_a, campaign, campaign_data(name="改名"))
    with pytest.raises(NotAllowed):  # the city oversees it read-only
        campaigns.update_campaign(world.admin, campaign, campaign_data(name="改名"))
    campaigns.update_campaign(world.town_a, campaign, campaign_data(name="陈埭镇五小·聚力杯"))
    assert campaign.name == "陈埭镇五小·聚力杯"
    assert campaigns.may_create(world.town_a) and not campaigns.may_create(world.worker_a)


def test_a_town_officer_runs_no_other_campaign(world):
    city = CampaignFactory()
    own_a = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    other_town = CampaignFactory(owner_level="town", owner_town_id=world.enterprise_b.town_id)
    with pytest.raises(NotAllowed):  # the city's: seen, not run
        assignment.auto_assign(world.town_a, city)
    with pytest.raises(NotAllowed):  # an enterprise's of the town: overseen read-only
        assignment.appoint_judge(world.town_a, own_a, world.worker_a.id)
    assert proposals_policy.get_overseen_campaign(world.town_a, own_a.id) == own_a
    with pytest.raises(NotFound):  # another town's: it does not exist for town_a
        campaigns.get_owned_campaign(world.town_a, other_town.id)
    with pytest.raises(NotFound):
        proposals_policy.get_overseen_campaign(world.town_a, other_town.id)


def test_enterprise_records_stay_read_only_to_the_town(world):
    """The town's officer sees the town's proposals but screens, adopts and verifies none of them."""
    proposal = ProposalFactory(campaign=town_campaign(world), proposer=world.worker_a)
    assert proposal_loaders.get_proposal(world.town_a, proposal.id) == proposal
    with pytest.raises(NotFound):
        screening.screen_proposal(world.town_a, proposal, "valid", None, None)
    proposal.status = SCORED
    with pytest.raises(NotFound):
        savings.adopt_proposal(world.town_a, proposal)
    with pytest.raises(NotAllowed):
        savings.verify_saving(world.town_a, proposal)


# --- the panel: the town's people and the city's judge pool ----------------------------------------------


def test_the_town_appoints_its_own_people_and_the_citys_judges(world):
    campaign = town_campaign(world)
    pool_judge, neighbour = city_judge(), WorkerFactory(enterprise=EnterpriseFactory(town=world.enterprise_a.town))
    for person in (pool_judge, world.judge, world.worker_a, neighbour):  # world.judge: of B, another town
        assignment.appoint_judge(world.town_a, campaign, person.id)
    db.session.commit()
    assert {row.user_id for row in assignment.panel_of(campaign)} == {
        pool_judge.id, world.judge.id, world.worker_a.id, neighbour.id}
    with pytest.raises(RuleViolation) as error:  # another town's worker without the judge role
        assignment.appoint_judge(world.town_a, campaign, world.worker_b.id)
    assert error.value.field == "user_id" and "总工会评委库" in str(error.value.message)
    with pytest.raises(RuleViolation):  # nobody chosen
        assignment.appoint_judge(world.town_a, campaign, None)
    pool_judge.is_active = False
    other = town_campaign(world)
    with pytest.raises(RuleViolation):  # an inactive judge
        assignment.appoint_judge(world.town_a, other, pool_judge.id)
    with pytest.raises(NotFound):
        assignment.appoint_judge(world.town_b, campaign, world.judge.id)


def test_hr_still_appoints_only_its_own_staff(world):
    """The city's judge pool is the town's addition: an enterprise's own campaign keeps its own staff."""
    own = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    with pytest.raises(RuleViolation) as error:
        assignment.appoint_judge(world.hr_a, own, city_judge().id)
    assert "总工会评委库" not in str(error.value.message)


def test_the_town_panel_picker_offers_the_towns_people_and_the_citys_judges(world):
    pool_judge = city_judge("郑评委")
    names = {p.name for p in search.search_people(world.town_a, "甲企", purpose="town_panel")}
    assert names == {"甲企职工", "甲企人事"}
    assert [p.id for p in search.search_people(world.town_a, "郑评委", purpose="town_panel")] == [pool_judge.id]
    assert [p.id for p in search.search_people(world.town_a, "评委老陈", purpose="town_panel")] == [world.judge.id]
    assert search.search_people(world.town_a, "乙企职工", purpose="town_panel") == []
    with pytest.raises(NotAllowed):
        search.search_people(world.hr_a, "甲企", purpose="town_panel")
    campaign = town_campaign(world)
    assert (assignment.panel_purpose(campaign), assignment.judge_purpose(campaign)) == ("town_panel", "town_panel")


def test_a_town_campaign_judges_from_its_panel_and_never_the_authors_enterprise(world):
    campaign = town_campaign(world, min_judges=2)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    pool_judge, colleague = city_judge(), WorkerFactory(enterprise=world.enterprise_a)
    with clock.frozen(JUDGE_TIME):
        with pytest.raises(RuleViolation) as error:  # the city's pool is appointed, not taken whole
            assignment.assign_judge(world.town_a, campaign, proposal.id, pool_judge.id)
        assert error.value.field == "judge_id"
        for person in (pool_judge, colleague, world.judge):
            assignment.appoint_judge(world.town_a, campaign, person.id)
        with pytest.raises(RuleViolation) as error:  # at town level: no judge of the author's enterprise
            assignment.assign_judge(world.town_a, campaign, proposal.id, colleague.id)
        assert "本企业" in str(error.value.message)
        made, short = assignment.auto_assign(world.town_a, campaign)
        db.session.commit()
    assert (made, short) == (2, 0)
    judges = {a.judge_id for a in assignment.assignments_of([proposal.id])[proposal.id]}
    assert judges == {pool_judge.id, world.judge.id}
    assert proposal.status == UNDER_REVIEW


# --- end to end: judged, published, objection resolved, recommended into the city ------------------------


def test_the_town_publishes_resolves_and_recommends_into_the_city(world):
    campaign = town_campaign(world, min_judges=1, judging_closes_at=JUDGE_TIME - timedelta(days=1))
    city = CampaignFactory(name="全市五小", recommend_quota=1, submission_closes_at=JUDGE_TIME + timedelta(days=5),
                           judging_closes_at=JUDGE_TIME + timedelta(days=40))
    pool_judge = city_judge()
    proposals = [ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID) for _ in range(2)]
    with clock.frozen(JUDGE_TIME - timedelta(days=5)):
        assignment.appoint_judge(world.town_a, campaign, pool_judge.id)
        assignment.auto_assign(world.town_a, campaign)
        for proposal, mark in zip(proposals, (9, 7), strict=True):
            judging.save_marks(pool_judge, proposal.id, {c.id: mark for c in campaign.criteria}, final=True)
        db.session.commit()
    with clock.frozen(JUDGE_TIME):
        with pytest.raises(NotAllowed):
            results.publish_results(world.admin, campaign)
        with pytest.raises(NotFound):
            results.publish_results(world.town_b, campaign)
        notice = results.publish_results(world.town_a, campaign)
        db.session.commit()
        assert campaign.status == CAMPAIGN_PUBLISHED and notices.is_owner(world.town_a, notice)
        objection = results.file_objection(world.worker_a, campaign, "第二名的评分需要复核，请说明评分依据。")
        db.session.commit()
        with pytest.raises(NotAllowed):  # the city sees the notice, the town resolves it
            results.resolve_objection(world.admin, campaign, objection.id, False, "不成立")
        results.resolve_objection(world.town_a, campaign, objection.id, False, "评分依据已公开，异议不成立。")
        best = db.session.scalar(db.select(Proposal).where(Proposal.campaign_id == campaign.id, Proposal.rank == 1))
        assert [t.id for t in recommendation.targets_for(world.town_a, campaign)] == [city.id]
        with pytest.raises(NotAllowed):  # the author's HR sees the proposal but the town recommends it
            recommendation.recommend(world.hr_a, best, city)
        entry = recommendation.recommend(world.town_a, best, city)
        db.session.commit()
        other = db.session.scalar(db.select(Proposal).where(Proposal.campaign_id == campaign.id, Proposal.rank == 2))
        with pytest.raises(RuleViolation):  # the town's quota of 1 in the city campaign is used
            recommendation.recommend(world.town_a, other, city)
    assert (entry.campaign_id, entry.origin_id, entry.status) == (city.id, best.id, VALID)
    assert best.prize == "first" and recommendation.used_quota(campaign, city) == 1
    # The town withdraws it while the city has not started reviewing it; HR of the enterprise cannot.
    with clock.frozen(JUDGE_TIME), pytest.raises(NotAllowed):
        recommendation.withdraw(world.hr_a, entry)
    assert recommendation.may_withdraw(world.town_a, entry)
    with clock.frozen(JUDGE_TIME):
        recommendation.withdraw(world.town_a, entry)
        db.session.commit()
    assert recommendation.used_quota(campaign, city) == 0


def test_the_town_recommends_only_into_the_citys_campaigns(world):
    campaign = town_campaign(world)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    other_town = CampaignFactory(owner_level="town", owner_town_id=world.enterprise_b.town_id, recommend_quota=5)
    with clock.frozen(SUBMIT_TIME), pytest.raises(RuleViolation) as error:
        recommendation.recommend(world.town_a, proposal, other_town)
    assert error.value.field == "target_id"
