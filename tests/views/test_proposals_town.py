"""HTTP side of a town's own Five Small campaign (issue 14): the town officer finds the campaign pages, creates
the town's campaign on a form that states the town's rules, appoints a judge of the city's pool by name,
publishes, and recommends a proposal into a city campaign; the to-do of a campaign to publish leads to a
page the officer may open; another town's officer gets 404."""

from __future__ import annotations

import re
from datetime import timedelta

from core import clock
from models import db
from models.proposals import Campaign, CampaignJudge, Proposal
from tests.factories import JudgeFactory
from tests.factories_proposals import JUDGE_TIME, CampaignFactory, ProposalFactory
from tests.views.test_proposals import campaign_form


def town_campaign(world, **kw):
    return CampaignFactory(owner_level="town", owner_town_id=world.enterprise_a.town_id, **kw)


def test_the_town_officer_creates_the_towns_campaign(client, login, world):
    login(client, world.town_a)
    index = client.get("/proposals/").text
    assert 'data-testid="new-campaign"' in index and 'data-testid="figures-link"' in index
    form_page = client.get("/proposals/campaigns/new").text
    assert "这是本镇（街道）的活动（镇街级）" in form_page and "总工会评委库" in form_page
    assert 'name="recommend_quota"' in form_page
    assert re.search(r'<input[^>]*name="min_judges"[^>]*value="2"', form_page)  # the town's default
    response = client.post("/proposals/campaigns/new", data=campaign_form(name="甲镇2027五小", min_judges="2"))
    assert response.status_code == 302
    campaign = db.session.scalar(db.select(Campaign))
    assert (campaign.owner_level, campaign.owner_town_id) == ("town", world.enterprise_a.town_id)
    page = client.get(response.headers["Location"]).text
    assert "上级工会只读查看" not in page
    judges = client.get(f"/proposals/campaigns/{campaign.id}/judges").text
    assert 'data-testid="appoint-form"' in judges and "for=town_panel" in judges
    assert "镇街级活动：评委由镇街工会从本镇（街道）企业的职工和总工会评委库中任命" in judges
    login(client, world.town_b)
    assert client.get(response.headers["Location"]).status_code == 404


def test_the_town_officer_appoints_a_judge_of_the_citys_pool_by_name(client, login, world):
    campaign = town_campaign(world)
    judge = JudgeFactory(enterprise=None, name="市评委郑国栋")
    login(client, world.town_a)
    found = client.get("/search/people?for=town_panel&q=市评委郑").get_json()["results"]
    assert [row["id"] for row in found] == [judge.id]
    response = client.post(f"/proposals/campaigns/{campaign.id}/panel", data={"user_id_q": "市评委郑国栋"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(CampaignJudge.user_id)) == judge.id
    assert "市评委郑国栋" in client.get(f"/proposals/campaigns/{campaign.id}/judges").text
    refused = client.post(f"/proposals/campaigns/{campaign.id}/panel", data={"user_id_q": "乙企职工"},
                          follow_redirects=True)
    assert db.session.scalar(db.select(db.func.count(CampaignJudge.id))) == 1
    assert refused.status_code == 200 and "alert-danger" in refused.text, refused.text[-3000:]
    # By id (no picker text): the service refuses another town's worker with the town's rule.
    refused = client.post(f"/proposals/campaigns/{campaign.id}/panel", data={"user_id": str(world.worker_b.id)},
                          follow_redirects=True)
    assert "请选择一位本镇（街道）企业的在职人员或总工会评委库中的评委。" in refused.text
    assert db.session.scalar(db.select(db.func.count(CampaignJudge.id))) == 1


def test_the_to_do_leads_the_town_officer_to_the_campaign_page(client, login, world):
    campaign = town_campaign(world, name="甲镇五小待公示", judging_closes_at=clock.now() - timedelta(days=1))
    login(client, world.town_a)
    home = client.get("/").text
    assert "“甲镇五小待公示”评审已结束，待公示结果" in home
    page = client.get(f"/proposals/campaigns/{campaign.id}")
    assert page.status_code == 200 and 'data-testid="publish"' in page.text


def test_the_town_officer_publishes_and_recommends_into_the_city(client, login, world):
    campaign = town_campaign(world, locked=True, min_judges=1, judging_closes_at=JUDGE_TIME - timedelta(days=1))
    city = CampaignFactory(name="全市五小", recommend_quota=2, submission_closes_at=JUDGE_TIME + timedelta(days=5))
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored")
    proposal.score = 88
    db.session.commit()
    with clock.frozen(JUDGE_TIME):
        login(client, world.town_a)
        response = client.post(f"/proposals/campaigns/{campaign.id}/publish", data={"working_days": "5"})
        assert response.headers["Location"].endswith(f"/proposals/campaigns/{campaign.id}/results")
        results = client.get(response.headers["Location"]).text
        assert "公示期至" in results and campaign.name in results
        page = client.get(f"/proposals/{proposal.id}").text
        assert 'data-testid="recommend"' in page and "全市五小" in page
        response = client.post(f"/proposals/{proposal.id}/recommend", data={"target_id": str(city.id)})
        assert response.status_code == 302
    entry = db.session.scalar(db.select(Proposal).where(Proposal.campaign_id == city.id))
    assert entry.origin_id == proposal.id
    login(client, world.hr_a)  # the author's HR sees the entry, but the town recommended it
    assert client.post(f"/proposals/{entry.id}/withdraw-recommendation").status_code == 403
