"""The proposal list's campaign filter at the scale of 2,500 enterprise campaigns a year: any campaign is
chosen by typing (part of) its name, not picked from a drop-down of the newest; the page offers the
newest names as the browser's suggestions (a datalist, no script) and costs the same number of queries
whatever the number of campaigns."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, insert, select

from models import db
from models.proposals import Campaign
from tests.factories_proposals import CampaignFactory, ProposalFactory
from tests.querycount import count_queries


def many_campaigns(n: int, template: Campaign, **values) -> None:
    """`n` more campaigns like `template` (named 批量活动NNNN), written in bulk."""
    columns = {c.key: getattr(template, c.key) for c in Campaign.__table__.columns if c.key != "id"}
    first = db.session.scalar(select(func.max(Campaign.id))) + 1
    db.session.execute(insert(Campaign), [{**columns, **values, "id": first + i, "name": f"批量活动{i:04d}"}
                                          for i in range(n)])
    db.session.commit()


def hints(page: str) -> str:
    return page.split('<datalist id="campaign-hints">')[1].split("</datalist>")[0]


def titles(page: str) -> list[str]:
    return re.findall(r'href="/proposals/\d+">([^<]+)</a>', page)


def test_an_old_campaign_is_found_by_typing_part_of_its_name(client, login, world):
    old = CampaignFactory(name="2024年度首届五小创新活动")
    ProposalFactory(campaign=old, proposer=world.worker_a, status="valid", title="早年的提案")
    newer = CampaignFactory(name="2026年五小创新活动")
    ProposalFactory(campaign=newer, proposer=world.worker_a, status="valid", title="今年的提案")
    many_campaigns(250, newer)
    login(client, world.admin)
    page = client.get("/proposals/list").text
    assert "2024年度首届" not in hints(page) and hints(page).count('<option value="批量活动') == 50  # the newest
    found = client.get("/proposals/list?campaign_q=首届").text
    assert titles(found) == ["早年的提案"]
    assert f'name="campaign" value="{old.id}"' in found and 'value="2024年度首届五小创新活动"' in found
    # A link naming the id only (the campaign page's 全部提案) fills the text in.
    linked = client.get(f"/proposals/list?campaign={old.id}").text
    assert titles(linked) == ["早年的提案"] and 'value="2024年度首届五小创新活动"' in linked


def test_a_text_matching_several_campaigns_lists_them_all_and_offers_each(client, login, world):
    spring = CampaignFactory(name="春季五小活动")
    autumn = CampaignFactory(name="秋季五小活动", owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    ProposalFactory(campaign=spring, proposer=world.worker_a, status="valid", title="春季提案")
    ProposalFactory(campaign=autumn, proposer=world.worker_a, status="valid", title="秋季提案")
    ProposalFactory(campaign=CampaignFactory(name="别的活动"), proposer=world.worker_a, status="valid", title="别的")
    login(client, world.hr_a)
    page = client.get("/proposals/list?campaign_q=五小活动").text
    assert sorted(titles(page)) == ["春季提案", "秋季提案"]
    feedback = page[page.index('data-testid="picker-feedback-campaign"'):]
    assert f"campaign={autumn.id}" in feedback and world.enterprise_a.name in feedback
    # Following the link for one keeps it chosen (its text carries the owner's name).
    link = re.search(rf'href="(/proposals/list\?[^"]*campaign={autumn.id}[^"]*)"', feedback).group(1)
    chosen = client.get(link.replace("&amp;", "&")).text
    assert titles(chosen) == ["秋季提案"]
    assert "没有找到" in client.get("/proposals/list?campaign_q=不存在的活动").text


def test_another_enterprises_campaign_is_never_matched(client, login, world):
    theirs = CampaignFactory(name="乙企内部五小", owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id)
    login(client, world.hr_a)
    page = client.get("/proposals/list?campaign_q=乙企内部五小").text
    assert "没有找到" in page and "乙企内部五小" not in hints(page)
    assert f'name="campaign" value="{theirs.id}"' not in client.get(f"/proposals/list?campaign={theirs.id}").text


@pytest.mark.parametrize("query", ["", "?campaign_q=批量活动00", "?campaign_q=批量活动0007"])
def test_the_filter_costs_the_same_for_any_number_of_campaigns(client, login, world, query):
    template = CampaignFactory(name="模板活动")
    ProposalFactory(campaign=template, proposer=world.worker_a, status="valid")
    login(client, world.admin)
    counts = []
    for n in (10, 600):
        many_campaigns(n, template)
        client.get(f"/proposals/list{query}")  # warm
        with count_queries() as counter:
            assert client.get(f"/proposals/list{query}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_the_citys_suggestions_follow_a_new_campaign(client, login, world):
    """The admin's suggestions are memoised per data version (services.proposals.listing.campaign_hints):
    a campaign created since the last view is offered at once, a renamed one under its new name."""
    first = CampaignFactory(name="先有的活动")
    db.session.commit()
    login(client, world.admin)
    assert "先有的活动" in hints(client.get("/proposals/list").get_data(as_text=True))
    CampaignFactory(name="新建的活动")
    first.name = "改名的活动"
    db.session.commit()
    offered = hints(client.get("/proposals/list").get_data(as_text=True))
    assert "新建的活动" in offered and "改名的活动" in offered and "先有的活动" not in offered
