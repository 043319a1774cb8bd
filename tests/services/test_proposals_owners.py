"""Owners of Five Small campaigns (issue 14): an enterprise's own campaign run by its HR, its panel of
judges, conflict of interest and blind review per level, eligibility following the owner, the city's
read-only oversight, and the public notice published and resolved by the owner."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core import clock
from models import db
from models.proposals import AWARDED, CAMPAIGN_FINAL, SCORED, UNDER_REVIEW, VALID, Proposal, ProposalAuthor
from services.common import notices
from services.errors import NotAllowed, NotFound, RuleViolation
from services.proposals import assignment, campaigns, judging, recommendation, results, submission
from services.proposals import loaders as proposal_loaders
from services.proposals import policy as proposals_policy
from tests.factories import HRFactory, JudgeFactory, WorkerFactory
from tests.factories_proposals import (
    AFTER_JUDGING,
    JUDGE_TIME,
    SUBMISSION_CLOSES,
    SUBMIT_TIME,
    CampaignFactory,
    ProposalFactory,
)
from tests.services.test_proposals import campaign_data


def own_campaign(enterprise, **kw):
    """An enterprise's own campaign (straight in the database)."""
    return CampaignFactory(owner_level="enterprise", owner_enterprise_id=enterprise.id, **kw)


def appoint(campaign, *people):
    for person in people:
        assignment.appoint_judge(campaign_owner(campaign), campaign, person.id)
    db.session.commit()


def campaign_owner(campaign):
    from models import Role, User, UserRole

    return db.session.scalar(db.select(User).join(UserRole, UserRole.user_id == User.id).where(
        User.enterprise_id == campaign.owner_enterprise_id, UserRole.role == Role.HR.value).order_by(User.id).limit(1))


# --- creating and running --------------------------------------------------------------------


def test_an_enterprise_campaign_is_run_by_its_own_hr_only(world):
    campaign = campaigns.create_campaign(world.hr_b, campaign_data(blind_review=False))
    db.session.commit()
    assert proposals_policy.can_run_campaign(world.hr_b, campaign)
    for persona in ("hr_a", "admin", "worker_b", "judge"):
        assert not proposals_policy.can_run_campaign(world.persona(persona), campaign), persona
    # The city oversees it read-only; HR of A does not even see it.
    assert proposals_policy.can_oversee_campaign(world.admin, campaign)
    assert not proposals_policy.can_oversee_campaign(world.hr_a, campaign)
    with pytest.raises(NotFound):
        proposals_policy.get_visible_campaign(world.hr_a, campaign.id)
    with pytest.raises(NotFound):
        campaigns.update_campaign(world.hr_a, campaign, campaign_data(name="改名"))
    with pytest.raises(NotAllowed):
        campaigns.update_campaign(world.admin, campaign, campaign_data(name="改名"))
    campaigns.update_campaign(world.hr_b, campaign, campaign_data(name="乙企2026五小"))
    assert campaign.name == "乙企2026五小"


def test_hr_cannot_run_the_citys_campaign(world):
    campaign = CampaignFactory()
    assert proposals_policy.can_see_campaign(world.hr_a, campaign)
    with pytest.raises(NotAllowed):
        proposals_policy.get_overseen_campaign(world.hr_a, campaign.id)
    with pytest.raises(NotAllowed):
        assignment.auto_assign(world.hr_a, campaign)


def test_names_are_unique_per_owner(world):
    campaigns.create_campaign(world.hr_a, campaign_data(name="2026年五小"))
    campaigns.create_campaign(world.hr_b, campaign_data(name="2026年五小"))
    with pytest.raises(RuleViolation) as error:
        campaigns.create_campaign(world.hr_a, campaign_data(name="2026年五小"))
    assert error.value.field == "name"


def test_lists_show_each_person_the_campaigns_that_exist_for_them(world):
    city, of_a, of_b = CampaignFactory(), own_campaign(world.enterprise_a), own_campaign(world.enterprise_b)

    def listed(actor):
        return {c.id for c in db.session.scalars(campaigns.campaigns_query(actor))}

    assert listed(world.admin) == {city.id, of_a.id, of_b.id}
    assert listed(world.hr_a) == listed(world.worker_a) == {city.id, of_a.id}
    assert listed(world.hr_b) == {city.id, of_b.id}


def test_only_its_own_workers_write_in_an_enterprise_campaign(world):
    campaign = own_campaign(world.enterprise_a)
    with clock.frozen(SUBMIT_TIME):
        with pytest.raises(NotFound):
            submission.create_proposal(world.worker_b, campaign, submission.ProposalData(kind="improvement",
                                                                                           title="乙企的改进方案"))
        proposal = submission.create_proposal(world.worker_a, campaign, submission.ProposalData(
            kind="improvement", title="甲企的改进方案"))
        assert proposal.campaign_id == campaign.id
        assert campaign in campaigns.open_campaigns(world.worker_a)
        assert campaign not in campaigns.open_campaigns(world.worker_b)


def test_recommendation_quota_is_for_the_city_level_only(world):
    with pytest.raises(RuleViolation) as error:
        campaigns.create_campaign(world.hr_a, campaign_data(recommend_quota=10))
    assert error.value.field == "recommend_quota"
    city = campaigns.create_campaign(world.admin, campaign_data(recommend_quota=10))
    assert city.recommend_quota == 10
    with pytest.raises(RuleViolation):
        campaigns.create_campaign(world.admin, campaign_data(name="另一个", recommend_quota=0))


# --- the panel and the judging rules per level ------------------------------------------------------


def test_hr_appoints_its_own_staff_to_the_panel(world):
    campaign = own_campaign(world.enterprise_a)
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    assignment.appoint_judge(world.hr_a, campaign, colleague.id)
    with pytest.raises(RuleViolation) as error:
        assignment.appoint_judge(world.hr_a, campaign, colleague.id)
    assert error.value.field == "user_id"
    with pytest.raises(RuleViolation):  # another enterprise's worker is out of HR's reach
        assignment.appoint_judge(world.hr_a, campaign, world.worker_b.id)
    with pytest.raises(NotFound):
        assignment.appoint_judge(world.hr_b, campaign, world.worker_b.id)
    with pytest.raises(NotAllowed):
        assignment.appoint_judge(world.admin, campaign, colleague.id)
    assert [row.user_id for row in assignment.panel_of(campaign)] == [colleague.id]


def test_an_enterprise_campaign_takes_judges_from_its_panel_only(world):
    campaign = own_campaign(world.enterprise_a)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    with clock.frozen(JUDGE_TIME):
        with pytest.raises(RuleViolation) as error:  # the city's judge is not on this panel
            assignment.assign_judge(world.hr_a, campaign, proposal.id, world.judge.id)
        assert error.value.field == "judge_id"
        appoint(campaign, colleague)
        # Same enterprise is no conflict at enterprise level: the panel is the enterprise's own staff.
        assignment.assign_judge(world.hr_a, campaign, proposal.id, colleague.id)
        db.session.commit()
    assert proposal.status == UNDER_REVIEW
    # ... and the panel member, without the judge role, finds it in the queue and may open it.
    assert judging.get_assignment(colleague, proposal.id).proposal_id == proposal.id
    assert proposal_loaders.get_proposal(colleague, proposal.id) == proposal


def test_at_enterprise_level_an_author_still_never_judges_their_own(world):
    campaign = own_campaign(world.enterprise_a)
    coauthor = WorkerFactory(enterprise=world.enterprise_a)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    proposal.authors[0].share = 60
    proposal.authors.append(ProposalAuthor(user_id=coauthor.id, share=40, position=1))
    db.session.commit()
    appoint(campaign, coauthor)
    with clock.frozen(JUDGE_TIME), pytest.raises(RuleViolation) as error:
        assignment.assign_judge(world.hr_a, campaign, proposal.id, coauthor.id)
    assert "本人" in str(error.value.message)


def test_at_city_level_no_judge_of_the_authors_enterprise(world):
    campaign = CampaignFactory()
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_b, status=VALID)
    with clock.frozen(JUDGE_TIME), pytest.raises(RuleViolation):
        assignment.assign_judge(world.admin, campaign, proposal.id, world.judge.id)  # the judge is of B


def test_auto_assignment_in_an_enterprise_campaign_uses_the_panel(world):
    campaign = own_campaign(world.enterprise_a, min_judges=2)
    proposals = [ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID) for _ in range(2)]
    panel = [WorkerFactory(enterprise=world.enterprise_a) for _ in range(2)]
    JudgeFactory(enterprise=world.enterprise_b)  # in the city's pool, never in this campaign
    appoint(campaign, *panel)
    with clock.frozen(JUDGE_TIME):
        made, short = assignment.auto_assign(world.hr_a, campaign)
    assert (made, short) == (4, 0)
    assigned = {a.judge_id for rows in assignment.assignments_of([p.id for p in proposals]).values() for a in rows}
    assert assigned == {p.id for p in panel}


def test_a_panel_member_with_assignments_stays(world):
    campaign = own_campaign(world.enterprise_a)
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    appoint(campaign, colleague)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    with clock.frozen(JUDGE_TIME):
        assignment.assign_judge(world.hr_a, campaign, proposal.id, colleague.id)
    db.session.commit()
    row = assignment.panel_of(campaign)[0]
    with pytest.raises(RuleViolation):
        assignment.dismiss_judge(world.hr_a, campaign, row.id)


def test_blind_review_is_the_enterprises_choice(world):
    campaign = own_campaign(world.enterprise_a, blind_review=False)
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=UNDER_REVIEW)
    assert proposals_policy.can_see_identity(colleague, proposal)
    campaign.blind_review = True
    assert not proposals_policy.can_see_identity(colleague, proposal)


# --- public notice at enterprise level ------------------------------------------------------------


def scored_own_campaign(world):
    campaign = own_campaign(world.enterprise_a, locked=True, reward_first=Decimal("800"),
                            judging_closes_at=SUBMISSION_CLOSES + timedelta(days=30))
    for score in ("90", "80"):
        ProposalFactory(campaign=campaign, proposer=world.worker_a, status=SCORED).score = Decimal(score)
    db.session.commit()
    return campaign


def test_the_enterprise_publishes_resolves_and_finalises_its_own_notice(world):
    campaign = scored_own_campaign(world)
    with clock.frozen(JUDGE_TIME):
        with pytest.raises(NotAllowed):
            results.publish_results(world.admin, campaign)
        with pytest.raises(NotFound):
            results.publish_results(world.hr_b, campaign)
        notice = results.publish_results(world.hr_a, campaign)
        db.session.commit()
        # Anyone who can see the event objects under their name; the city sees but does not resolve.
        objection = results.file_objection(world.worker_a, campaign, "第二名的评分过程需要复核，请说明。")
        db.session.commit()
        assert notices.may_see(world.admin, notice) and not notices.may_see(world.hr_b, notice)
        with pytest.raises(NotAllowed):
            results.resolve_objection(world.admin, campaign, objection.id, False, "不成立")
        results.resolve_objection(world.hr_a, campaign, objection.id, False, "评分过程合规。")
        db.session.commit()
    with clock.frozen(AFTER_JUDGING + timedelta(days=30)):
        with pytest.raises(NotAllowed):
            results.finalise_results(world.admin, campaign)
        results.finalise_results(world.hr_a, campaign)
        db.session.commit()
    assert campaign.status == CAMPAIGN_FINAL
    winner = db.session.scalar(db.select(Proposal).where(Proposal.campaign_id == campaign.id, Proposal.rank == 1))
    assert winner.status == AWARDED and campaign.reward_for(winner.prize) == Decimal("800")


def test_hr_of_another_enterprise_never_sees_the_enterprise_results(world):
    campaign = scored_own_campaign(world)
    with clock.frozen(JUDGE_TIME):
        results.publish_results(world.hr_a, campaign)
        db.session.commit()
    assert proposals_policy.can_view_results(world.worker_a, campaign)
    assert not proposals_policy.can_view_results(world.hr_b, campaign)
    other = HRFactory(enterprise=world.enterprise_b)
    assert not proposals_policy.can_see_campaign(other, campaign)
    ranked = db.session.scalar(db.select(Proposal).where(Proposal.campaign_id == campaign.id).limit(1))
    with pytest.raises(NotFound):
        proposal_loaders.get_proposal(world.worker_b, ranked.id)



# --- recommendation upward ------------------------------------------------------------------------------


def city_taking(quota=2, **kw):
    """A city campaign open for entries at SUBMIT_TIME that takes `quota` proposals per enterprise."""
    return CampaignFactory(recommend_quota=quota, **kw)


def valid_in(campaign, proposer, **kw):
    return ProposalFactory(campaign=campaign, proposer=proposer, status=kw.pop("status", VALID), **kw)


def test_an_enterprise_recommends_a_proposal_into_the_city_which_judges_it_afresh(world):
    own, city = own_campaign(world.enterprise_a), city_taking()
    coauthor = WorkerFactory(enterprise=world.enterprise_a)
    original = valid_in(own, world.worker_a, status=AWARDED)
    original.score, original.rank, original.prize = Decimal("91.50"), 1, "first"
    original.authors[0].share = 70
    original.authors.append(ProposalAuthor(user_id=coauthor.id, share=30, position=1))
    db.session.commit()
    with clock.frozen(SUBMIT_TIME):
        entry = recommendation.recommend(world.hr_a, original, city)
        db.session.commit()
    assert (entry.campaign_id, entry.status, entry.origin_id, entry.recommended_from_id) == (
        city.id, VALID, original.id, original.id)
    assert entry.score is None and entry.prize is None and entry.rank is None  # a fresh review
    assert [(a.user_id, a.share) for a in entry.authors] == [(world.worker_a.id, 70), (coauthor.id, 30)]
    assert (entry.title, entry.enterprise_id) == (original.title, world.enterprise_a.id)
    # The lower level's outcome stays; both levels are the one proposal.
    assert original.prize == "first" and [e.id for e in recommendation.levels_of(entry)] == [original.id, entry.id]
    # The city's judges (of another enterprise) judge it blind; the author is told.
    assert not proposals_policy.sees_levels(world.judge, entry)
    assert proposals_policy.sees_levels(world.worker_a, entry) and proposals_policy.sees_levels(world.admin, entry)


def test_only_the_owner_recommends_and_only_valid_proposals(world):
    own, city = own_campaign(world.enterprise_a), city_taking()
    with clock.frozen(SUBMIT_TIME):
        with pytest.raises(NotAllowed):
            recommendation.recommend(world.admin, valid_in(own, world.worker_a), city)
        with pytest.raises(NotFound):
            recommendation.recommend(world.hr_b, valid_in(own, world.worker_a), city)
        with pytest.raises(RuleViolation):
            recommendation.recommend(world.hr_a, valid_in(own, world.worker_a, status="submitted"), city)


def test_recommendations_go_upward_into_campaigns_that_take_them(world):
    own, other_own = own_campaign(world.enterprise_a), own_campaign(world.enterprise_a)
    closed_city = city_taking(submission_closes_at=SUBMIT_TIME - timedelta(days=1))
    with clock.frozen(SUBMIT_TIME):
        for target in (other_own, CampaignFactory(), closed_city):  # same level; no quota; closed
            with pytest.raises(RuleViolation) as error:
                recommendation.recommend(world.hr_a, valid_in(own, world.worker_a), target)
            assert error.value.field == "target_id"
        assert recommendation.targets_for(world.hr_a, own) == []
        city = city_taking()
        assert recommendation.targets_for(world.hr_a, own) == [city]
        assert recommendation.targets_for(world.hr_b, own) == []


def test_the_quota_is_per_enterprise_and_a_proposal_enters_once(world):
    city = city_taking(quota=2)
    own_a, own_a2, own_b = own_campaign(world.enterprise_a), own_campaign(world.enterprise_a), \
        own_campaign(world.enterprise_b)
    with clock.frozen(SUBMIT_TIME):
        first = valid_in(own_a, world.worker_a)
        recommendation.recommend(world.hr_a, first, city)
        with pytest.raises(RuleViolation) as error:
            recommendation.recommend(world.hr_a, first, city)
        assert "已经推荐" in str(error.value.message)
        recommendation.recommend(world.hr_a, valid_in(own_a2, world.worker_a), city)  # any campaign of A counts
        with pytest.raises(RuleViolation) as error:
            recommendation.recommend(world.hr_a, valid_in(own_a, world.worker_a), city)
        assert "名额" in str(error.value.message)
        recommendation.recommend(world.hr_b, valid_in(own_b, world.worker_b), city)  # B has its own quota
        db.session.commit()
    assert recommendation.used_quota(own_a, city) == 2 and recommendation.used_quota(own_b, city) == 1


def test_the_growth_record_shows_each_levels_outcome(world):
    from services.growth import timeline

    own, city = own_campaign(world.enterprise_a, name="甲企五小"), city_taking(name="全市五小")
    original = valid_in(own, world.worker_a, status=AWARDED, prize="first", rank=1)
    with clock.frozen(SUBMIT_TIME):
        entry = recommendation.recommend(world.hr_a, original, city)
        entry.status, entry.rank, entry.prize = AWARDED, 3, "third"
        db.session.commit()
    details = [e.detail for e in timeline.timeline(world.worker_a) if e.kind == "proposal"]
    assert any("甲企五小" in d and "一等奖" in d for d in details)
    assert any("全市五小" in d and "推荐上报" in d and "三等奖" in d for d in details)


# --- figures per owner ------------------------------------------------------------------------------------


def test_figures_roll_up_and_count_a_recommended_proposal_once_with_its_highest_outcome(world):
    from services.proposals import figures

    own_a = own_campaign(world.enterprise_a, status=CAMPAIGN_FINAL, reward_first=Decimal("500"),
                         reward_second=Decimal("300"))
    own_b = own_campaign(world.enterprise_b, status=CAMPAIGN_FINAL)
    city = city_taking(quota=5)
    coauthor = WorkerFactory(enterprise=world.enterprise_a)
    star = valid_in(own_a, world.worker_a, status=AWARDED, prize="first", estimated_savings=Decimal("1000"))
    star.authors[0].share = 50
    star.authors.append(ProposalAuthor(user_id=coauthor.id, share=50, position=1))
    valid_in(own_a, world.worker_a, status=AWARDED, prize="second", estimated_savings=Decimal("200"))
    valid_in(own_a, coauthor, status="rejected", estimated_savings=Decimal("99"))
    valid_in(own_b, world.worker_b, estimated_savings=Decimal("70"))
    db.session.commit()
    with clock.frozen(SUBMIT_TIME):
        entry = recommendation.recommend(world.hr_a, star, city)
    entry.status, entry.prize = AWARDED, "third"
    city.status, city.reward_third = CAMPAIGN_FINAL, Decimal("2000")
    db.session.commit()

    mine = figures.figures(world.hr_a)
    assert (mine.proposals, mine.valid, mine.person_times, mine.people) == (3, 2, 4, 2)
    assert mine.estimated_savings == Decimal("1200") and mine.rewards_paid == Decimal("800")
    assert mine.prizes == {("enterprise", "first"): 1, ("enterprise", "second"): 1}

    city_own = figures.figures(world.admin, own_only=True)
    assert (city_own.proposals, city_own.valid, city_own.rewards_paid) == (1, 1, Decimal("2000"))
    everything = figures.figures(world.admin)
    # The recommended proposal is one proposal, counted once, with its city prize (the highest level).
    assert (everything.proposals, everything.valid, everything.people) == (4, 3, 3)
    assert everything.estimated_savings == Decimal("1270")
    assert everything.prizes == {("city", "third"): 1, ("enterprise", "second"): 1}
    assert everything.rewards_paid == Decimal("2800")  # money paid at each level
    assert figures.figures(world.worker_a).proposals == 0


def test_figures_of_one_year(world):
    from services.proposals import figures

    valid_in(own_campaign(world.enterprise_a), world.worker_a)
    assert figures.figures(world.hr_a, year=2026).valid == 1
    assert figures.figures(world.hr_a, year=2025).valid == 0


def test_figures_count_results_from_levels_above_the_city(world):
    import io
    from datetime import date

    from werkzeug.datastructures import FileStorage

    from services.honours import results as higher
    from services.proposals import figures

    with clock.frozen(AFTER_JUDGING):
        for person, prize in ((world.worker_a, "first"), (world.worker_b, "third")):
            record = higher.recommend_competitor(world.admin, person.id, "province", "福建省技能大赛", date(2026, 6, 1))
            higher.record_result(world.admin, record, prize, date(2026, 6, 20),
                                 FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="名单.pdf"))
        db.session.commit()
    assert figures.figures(world.admin).higher_prizes == {("province", "first"): 1, ("province", "third"): 1}
    assert figures.figures(world.hr_a).higher_prizes == {("province", "first"): 1}
    assert figures.figures(world.hr_a, year=2025).higher_prizes == {}


def test_a_panel_member_without_the_judge_role_sees_the_to_do_while_there_is_something_to_mark(world):
    from services.messages.todos import resolve
    from services.proposals import todos

    campaign = own_campaign(world.enterprise_a, judging_closes_at=AFTER_JUDGING)
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    assert resolve(todos.judge_todos(colleague)) == []
    appoint(campaign, colleague)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=VALID)
    with clock.frozen(JUDGE_TIME):
        assignment.assign_judge(world.hr_a, campaign, proposal.id, colleague.id)
        db.session.commit()
        assert [t.count for t in resolve(todos.judge_todos(colleague))] == [1]
