"""HTTP behaviour of campaigns owned by an enterprise (issue 14): HR creates and runs its own campaign, the
form states the judging rules of its level, the city sees it read-only, the panel is appointed by name."""

from __future__ import annotations

import pytest

from models import db
from models.proposals import Campaign, CampaignJudge
from tests.factories import WorkerFactory
from tests.factories_proposals import CampaignFactory
from tests.views.test_proposals import campaign_form


def test_hr_creates_its_own_campaign_with_rewards(client, login, world):
    login(client, world.hr_a)
    form_page = client.get("/proposals/campaigns/new").text
    assert "只有本企业职工可以参加" in form_page and 'name="recommend_quota"' not in form_page
    response = client.post("/proposals/campaigns/new", data=campaign_form(reward_first="1,000", reward_third="200"))
    assert response.status_code == 302
    campaign = db.session.scalar(db.select(Campaign))
    assert (campaign.owner_level, campaign.owner_enterprise_id) == ("enterprise", world.enterprise_a.id)
    assert str(campaign.reward_first) == "1000.00" and campaign.reward_second is None
    page = client.get(response.headers["Location"]).text
    assert world.enterprise_a.name in page and 'data-testid="judges-link"' in page
    judges = client.get(f"/proposals/campaigns/{campaign.id}/judges").text
    assert "评委不评审本人参与（含合作）的提案" in judges and 'data-testid="appoint-form"' in judges


def test_the_admin_form_states_the_city_rules_and_takes_a_quota(client, login, world):
    login(client, world.admin)
    page = client.get("/proposals/campaigns/new").text
    assert "不评审本企业的提案" in page and 'name="recommend_quota"' in page


def test_the_city_sees_an_enterprise_campaign_read_only(client, login, world):
    campaign = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id)
    login(client, world.admin)
    page = client.get(f"/proposals/campaigns/{campaign.id}").text
    assert "上级工会只读查看" in page and 'data-testid="auto-assign"' not in page
    assert 'data-testid="appoint-form"' not in client.get(f"/proposals/campaigns/{campaign.id}/judges").text
    assert f"/proposals/campaigns/{campaign.id}/edit" not in page


def test_hr_appoints_a_colleague_by_name(client, login, world):
    campaign = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    colleague = WorkerFactory(enterprise=world.enterprise_a, name="甲企老师傅")
    login(client, world.hr_a)
    response = client.post(f"/proposals/campaigns/{campaign.id}/panel", data={"user_id_q": "甲企老师傅"})
    assert response.headers["Location"].endswith(f"/proposals/campaigns/{campaign.id}/judges")  # back to the panel
    assert db.session.scalar(db.select(CampaignJudge.user_id)) == colleague.id
    assert "甲企老师傅" in client.get(response.headers["Location"]).text


def test_campaign_list_shows_owner_and_hides_another_enterprises(client, login, world):
    CampaignFactory(name="甲企自己的活动", owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    CampaignFactory(name="乙企自己的活动", owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id)
    login(client, world.hr_a)
    page = client.get("/proposals/campaigns").text
    assert "甲企自己的活动" in page and "乙企自己的活动" not in page
    assert client.get("/proposals/campaigns?level=enterprise").status_code == 200


def test_hr_recommends_from_the_proposal_page_and_the_worker_sees_both_levels(client, login, world):
    from core import clock
    from models.proposals import Proposal
    from tests.factories_proposals import SUBMIT_TIME, ProposalFactory

    own = CampaignFactory(name="甲企五小", owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    city = CampaignFactory(name="全市五小", recommend_quota=3)
    proposal = ProposalFactory(campaign=own, proposer=world.worker_a, status="valid")
    with clock.frozen(SUBMIT_TIME):
        login(client, world.hr_a)
        page = client.get(f"/proposals/{proposal.id}").text
        assert 'data-testid="recommend"' in page and "全市五小" in page
        response = client.post(f"/proposals/{proposal.id}/recommend", data={"target_id": str(city.id)})
        assert response.status_code == 302
        entry = db.session.scalar(db.select(Proposal).where(Proposal.campaign_id == city.id))
        assert entry.origin_id == proposal.id
        refused = client.post(f"/proposals/{proposal.id}/recommend", data={"target_id": str(city.id)})
        assert refused.status_code == 400 and "已经推荐" in refused.text
        login(client, world.worker_a)
        levels = client.get(f"/proposals/{entry.id}").text
    assert 'data-testid="levels"' in levels and "甲企五小" in levels and "全市五小" in levels


def test_the_withdraw_button_shows_exactly_when_the_service_would_accept(client, login, world):
    from core import clock
    from models.proposals import Proposal
    from services.proposals import recommendation
    from tests.factories import JudgeFactory
    from tests.factories_proposals import SUBMIT_TIME, ProposalFactory
    from tests.service_probe import service_accepts

    own = CampaignFactory(name="甲企五小", owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    city = CampaignFactory(name="全市五小", recommend_quota=3)
    proposal = ProposalFactory(campaign=own, proposer=world.worker_a, status="valid")
    with clock.frozen(SUBMIT_TIME):
        entry = recommendation.recommend(world.hr_a, proposal, city)
        db.session.commit()
        for persona in ("hr_a", "admin", "worker_a"):
            login(client, world.persona(persona))
            page = client.get(f"/proposals/{proposal.id}").text
            allowed = service_accepts(lambda p=persona: recommendation.withdraw(world.persona(p), entry))
            db.session.rollback()  # the probe's savepoint is gone; end the transaction it opened
            assert ('data-testid="withdraw-recommendation"' in page) == allowed == (persona == "hr_a"), persona
        login(client, world.hr_a)
        response = client.post(f"/proposals/{entry.id}/withdraw-recommendation")
        db.session.expunge(entry)  # deleted by the request (SQLite may hand its id to the next entry)
        assert response.headers["Location"].endswith(f"/proposals/{proposal.id}")
        page = client.get(response.headers["Location"]).text
        assert "已撤回推荐" in page and 'data-testid="levels"' not in page and "全市五小" in page  # offered again
        assert db.session.scalar(db.select(Proposal).where(Proposal.campaign_id == city.id)) is None
        # Once the city assigned a judge, the button is gone and a post is refused with the reason.
        entry = recommendation.recommend(world.hr_a, proposal, city)
        from services.proposals import assignment
        assignment.assign_judge(world.admin, city, entry.id, JudgeFactory(enterprise=world.enterprise_b).id)
        db.session.commit()
        assert 'data-testid="withdraw-recommendation"' not in client.get(f"/proposals/{proposal.id}").text
        refused = client.post(f"/proposals/{entry.id}/withdraw-recommendation", follow_redirects=True)
        assert "已开始评审这件提案" in refused.text
        assert db.session.get(Proposal, entry.id) is not None


@pytest.mark.parametrize("persona", ["hr_a", "admin"])
def test_figures_page_query_count_does_not_grow(client, login, world, persona):
    from tests.querycount import count_queries
    from tests.views.test_proposals_scale import LARGE, SMALL, bulk

    own = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    login(client, getattr(world, persona))
    counts = []
    for n in (SMALL, LARGE - SMALL):
        bulk(n, own, world.worker_a, status="valid")
        with count_queries() as counter:
            page = client.get("/proposals/figures")
        assert page.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert f'data-testid="valid">{LARGE}<' in page.text


def _bulk_campaigns(n, enterprise, start):
    from sqlalchemy import insert

    from tests.factories_proposals import JUDGING_CLOSES, JUDGING_OPENS, SUBMISSION_CLOSES, SUBMISSION_OPENS

    db.session.execute(insert(Campaign), [
        {"name": f"企业活动{start + i:04d}", "owner_level": "enterprise", "owner_enterprise_id": enterprise.id,
         "submission_opens_at": SUBMISSION_OPENS, "submission_closes_at": SUBMISSION_CLOSES,
         "judging_opens_at": JUDGING_OPENS, "judging_closes_at": JUDGING_CLOSES, "min_judges": 3,
         "blind_review": True, "quota_first": 1, "quota_second": 1, "quota_third": 1, "pass_mark": 60,
         "locked": False, "status": "active", "ranking_version": 1} for i in range(n)])
    db.session.commit()


@pytest.mark.parametrize("persona", ["hr_a", "admin", "worker_a"])
def test_campaign_list_query_count_does_not_grow(client, login, world, persona):
    from tests.querycount import count_queries
    from tests.views.test_proposals_scale import LARGE, SMALL

    login(client, getattr(world, persona))
    counts = []
    for n, start in ((SMALL, 0), (LARGE - SMALL, SMALL)):
        _bulk_campaigns(n, world.enterprise_a, start)
        with count_queries() as counter:
            assert client.get("/proposals/campaigns?level=enterprise").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_campaign_page_query_count_does_not_grow_with_the_panel(client, login, world):
    from tests.querycount import count_queries

    campaign = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    login(client, world.hr_a)
    counts = []
    for n in (3, 30):
        while len(campaign.panel) < n:
            person = WorkerFactory(enterprise=world.enterprise_a)
            db.session.add(CampaignJudge(campaign_id=campaign.id, user_id=person.id))
            db.session.commit()
            db.session.refresh(campaign)
        with count_queries() as counter:
            assert client.get(f"/proposals/campaigns/{campaign.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_higher_results_list_query_count_does_not_grow(client, login, world):
    from datetime import date

    from sqlalchemy import insert

    from models.honours import HigherResult
    from tests.querycount import count_queries
    from tests.views.test_proposals_scale import LARGE, SMALL

    login(client, world.admin)
    counts = []
    for n, start in ((SMALL, 0), (LARGE - SMALL, SMALL)):
        db.session.execute(insert(HigherResult), [
            {"level": "province", "contest": f"省赛{start + i}", "person_id": world.worker_a.id,
             "enterprise_id": world.enterprise_a.id, "recommended_on": date(2026, 1, 1)} for i in range(n)])
        db.session.commit()
        with count_queries() as counter:
            assert client.get("/titles/higher").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
