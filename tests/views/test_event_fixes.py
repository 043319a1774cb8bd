"""Findings of the fresh-user tryout of campaigns owned by enterprises and of the home pages: judging
progress says what its header says, the recommend form offers only what it accepts, the owner's wording,
defaults by owner level, compact skill counts on the phone, hints that point the right way."""

from __future__ import annotations

import re

from core import clock
from models import db
from tests.factories import WorkerFactory
from tests.factories_proposals import JUDGE_TIME, CampaignFactory, ProposalFactory, assign


def _progress(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s+", " ", m).strip()
            for m in re.findall(r'data-testid="judge-progress">(.*?)</span>', page)]


def test_campaign_page_shows_assigned_against_required_and_submitted_separately(client, login, world):
    campaign = CampaignFactory(min_judges=3)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    login(client, world.admin)
    page = client.get(f"/proposals/campaigns/{campaign.id}").text
    assert "评委（已提交/已分配）" not in page
    assert _progress(page) == ["已分配 0/3 · 已提交 0"]
    assignment = assign(proposal, WorkerFactory(enterprise=world.enterprise_b))
    assert _progress(client.get(f"/proposals/campaigns/{campaign.id}").text) == ["已分配 1/3 · 已提交 0"]
    with clock.frozen(JUDGE_TIME):
        assignment.submitted_at = clock.now()
    db.session.commit()
    assert _progress(client.get(f"/proposals/campaigns/{campaign.id}").text) == ["已分配 1/3 · 已提交 1"]


def test_recommend_form_offers_only_campaigns_the_proposal_can_still_go_to(client, login, world):
    from tests.factories_proposals import SUBMIT_TIME
    from tests.querycount import count_queries

    own = CampaignFactory(name="甲企五小", owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    city = CampaignFactory(name="全市五小", recommend_quota=3)
    full = CampaignFactory(name="全市名额满", recommend_quota=1)
    proposal = ProposalFactory(campaign=own, proposer=world.worker_a, status="valid")
    other = ProposalFactory(campaign=own, proposer=world.worker_a, status="valid")
    with clock.frozen(SUBMIT_TIME):
        login(client, world.hr_a)
        assert client.post(f"/proposals/{other.id}/recommend", data={"target_id": str(full.id)}).status_code == 302
        assert client.post(f"/proposals/{proposal.id}/recommend", data={"target_id": str(city.id)}).status_code == 302
        page = client.get(f"/proposals/{proposal.id}").text
        card = page.split('data-testid="recommend"')[1]
        assert 'data-testid="recommend-submit"' not in card and "<select" not in card
        refused = page.split('data-testid="recommend-refused"')[1].split("</ul>")[0]
        assert "全市五小" in refused and "已经推荐到这里" in refused
        assert "全市名额满" in refused and "推荐名额已用完" in refused
        third = ProposalFactory(campaign=own, proposer=world.worker_a, status="valid")
        page = client.get(f"/proposals/{third.id}").text
        form = page.split('data-testid="recommend"')[1].split("</form>")[0]
        assert "全市五小" in form and "全市名额满" not in form
        from services.proposals import recommendation
        db.session.expire_all()
        entry = db.session.get(type(third), third.id)
        _ = entry.campaign.owner_level, world.hr_a.enterprise_id
        with count_queries() as queries:
            options = recommendation.options_for(world.hr_a, entry)
        assert {o.campaign.name: o.reason is None for o in options} == {"全市五小": True, "全市名额满": False}
        assert queries.count == 1, queries.statements


def _running_notice(subject_type, subject_id):
    from datetime import timedelta

    from models.notices import NOTICE_OPEN, PublicNotice

    notice = PublicNotice(subject_type=subject_type, subject_id=subject_id, title="公示", status=NOTICE_OPEN,
                          published_at=clock.now(), ends_at=clock.now() + timedelta(days=5), working_days=5)
    db.session.add(notice)
    db.session.commit()
    return notice


def test_the_owner_of_an_enterprise_campaign_is_told_who_sees_scores_and_does_not_object(client, login, world):
    import pytest

    from models.proposals import NOTICE_SUBJECT
    from services.common import notices
    from services.errors import RuleViolation

    campaign = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    login(client, world.hr_a)
    before = client.get(f"/proposals/campaigns/{campaign.id}/results").text
    assert "仅管理员可见" not in before and "仅主办方和上级工会可见" in before
    campaign.status = "published"
    notice = _running_notice(NOTICE_SUBJECT, campaign.id)
    page = client.get(f"/proposals/campaigns/{campaign.id}/results").text
    assert 'data-testid="objection-form"' not in page and 'data-testid="owner-resolves"' in page
    refused = client.post(f"/notices/{notice.id}/objections", data={"body": "我对自己的公示有异议，请核实。"},
                          follow_redirects=True)
    assert "不能对自己的公示提出异议" in refused.text
    with pytest.raises(RuleViolation, match="主办方"):
        notices.file_objection(world.hr_a, notice, "我对自己的公示有异议，请核实。")
    login(client, world.worker_a)
    page = client.get(f"/proposals/campaigns/{campaign.id}/results").text
    assert 'data-testid="objection-form"' in page and 'data-testid="owner-resolves"' not in page


def test_the_owner_of_an_enterprise_competition_does_not_object_to_its_own_notice(client, login, world):
    from models.competitions import NOTICE_SUBJECT
    from tests.factories_competitions import CompetitionFactory

    competition = CompetitionFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id,
                                     level="enterprise", status="noticed")
    _running_notice(NOTICE_SUBJECT, competition.id)
    login(client, world.hr_a)
    page = client.get(f"/competitions/{competition.id}").text
    assert 'data-testid="objection-form"' not in page and 'data-testid="owner-resolves"' in page
    login(client, world.worker_a)
    page = client.get(f"/competitions/{competition.id}").text
    assert 'data-testid="objection-form"' in page


def _field_value(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    return "checked" if "checked" in tag and 'type="checkbox"' in tag else re.search(r'value="([^"]*)"', tag).group(1)


def test_new_campaign_defaults_follow_the_owner_level(client, login, world):
    from services.proposals.campaigns import defaults_for

    login(client, world.hr_a)
    page = client.get("/proposals/campaigns/new").text
    assert [_field_value(page, n) for n in ("min_judges", "quota_first", "quota_second", "quota_third")] == [
        "1", "1", "2", "3"]
    assert "checked" not in re.search(r'<input[^>]*name="blind_review"[^>]*>', page).group(0)
    login(client, world.admin)
    page = client.get("/proposals/campaigns/new").text
    assert [_field_value(page, n) for n in ("min_judges", "quota_third")] == ["3", "52"]
    assert _field_value(page, "blind_review") == "checked"
    assert defaults_for("enterprise")["min_judges"] in (1, 2) and not defaults_for("enterprise")["blind_review"]
    assert defaults_for("town")["quota_third"] < defaults_for("city")["quota_third"]


def test_home_pages_show_skill_counts_compactly_on_the_phone_after_the_actions(client, login, world):
    from models.skills import SKILL_LEVELS

    world.worker_a.skill_level = SKILL_LEVELS[0].rank
    db.session.commit()
    for persona, section, testid in (("hr_a", "home-hr", "hr-levels"), ("town_a", "home-town", "town-levels")):
        html = login(client, getattr(world, persona)).get("/").text
        part = html.split(f'data-testid="{section}"')[1].split("</section>")[0]
        grid = re.search(rf'<ul class="([^"]*)" data-testid="{testid}-grid".*?</ul>', part, re.S)
        table = re.search(rf'<div class="([^"]*)"><table[^>]*data-testid="{testid}-table"', part)
        assert grid and "d-sm-none" in grid.group(1) and "skill-grid" in grid.group(1)
        assert table and "d-none d-sm-block" in table.group(1)
        assert grid.group(0).count("<li>") == len(SKILL_LEVELS)
        assert f"<span>{SKILL_LEVELS[0].label}</span> <span class=\"fw-semibold\">1</span>" in grid.group(0)
        links = [m.start() for m in re.finditer(r'<a (?:class="[^"]*" )?href="/(?!workers/\?level)', part)]
        assert links and max(links) < part.index(f'data-testid="{testid}-grid"')  # actions first


def test_the_savings_hint_points_to_the_calculator_above_it(client, login, world):
    from tests.factories_proposals import SUBMIT_TIME

    campaign = CampaignFactory()
    with clock.frozen(SUBMIT_TIME):
        page = login(client, world.worker_a).get(f"/proposals/new/{campaign.id}").text
    calculator, field = page.index("data-savings-calculator"), page.index('name="estimated_savings"')
    hint = page.index("或用上面的节约额测算自动得出")
    assert calculator < field < hint and "或用下面的测算" not in page


def test_new_competition_defaults_follow_the_owner_level(client, login, world):
    from services.competitions.setup import defaults_for

    def form_of(persona):
        page = login(client, getattr(world, persona)).get("/competitions/new").text
        tiers = re.search(r'<textarea[^>]*name="prize_tiers"[^>]*>(.*?)</textarea>', page, re.S).group(1)
        return _field_value(page, "min_judges"), tiers

    judges, tiers = form_of("hr_a")
    assert judges == str(defaults_for("enterprise")["min_judges"]) and "五一劳动奖章" not in tiers
    judges, tiers = form_of("admin")
    assert judges == "3" and "五一劳动奖章" in tiers
    judges, tiers = form_of("town_a")  # a town's selection contest: 3 judges, no city honour
    assert judges == "3" and "五一劳动奖章" not in tiers
