"""Browser journey of issue 14 on a phone (390x844) and a desktop: a town union officer runs the town's own
Five Small campaign. The officer creates it (the form states the town's rules), appoints a judge of the
city's pool by name to its panel and assigns automatically; the judge marks (by the services: the judge's
marking has its own journeys); the officer follows the home page's to-do to the campaign, publishes the
results (公示) and recommends the winner into a city campaign."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core import clock
from models import db
from models.proposals import Campaign, Proposal
from services.proposals import judging, screening, submission
from tests.e2e.conftest import login_through_form, screenshot
from tests.e2e.test_owners_journeys import VIEWPORTS, log_out
from tests.factories import PASSWORD, JudgeFactory
from tests.factories_proposals import AFTER_JUDGING, JUDGE_TIME, SUBMIT_TIME, CampaignFactory

pytestmark = pytest.mark.e2e


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=VIEWPORTS[request.param],
                                  is_mobile=request.param == "phone")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.console_errors = errors
    tab.size = request.param
    yield tab
    context.close()


def test_a_town_runs_its_own_campaign_and_recommends_the_winner(sized_page, world):
    page = sized_page
    judge = JudgeFactory(enterprise=None, name="市评委郑国栋")
    city = CampaignFactory(name="2026年全市五小·智慧杯", recommend_quota=10,
                           submission_closes_at=AFTER_JUDGING.replace(month=12))
    page.on("dialog", lambda dialog: dialog.accept())
    clock.set_now(SUBMIT_TIME)

    # The officer creates the town's campaign; the form states the town-level rules.
    login_through_form(page, world.town_a.username, PASSWORD)
    page.goto("/proposals/")
    page.get_by_test_id("new-campaign").click()
    expect(page.get_by_test_id("owner-rules")).to_contain_text("总工会评委库")
    page.get_by_label("活动名称").fill("2026年甲镇五小·聚力杯")
    page.get_by_label("征集开始").fill("2026-04-01T08:00")
    page.get_by_label("征集截止").fill("2026-06-01T08:00")
    page.get_by_label("评审开始").fill("2026-06-01T08:00")
    page.get_by_label("评审截止").fill("2026-07-01T08:00")
    page.get_by_label("每件提案至少评委人数").fill("1")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/proposals/campaigns/\d+$"))
    expect(page.get_by_test_id("owner")).to_contain_text("镇街")
    campaign_id = int(page.url.rsplit("/", 1)[1])

    # A judge of the city's pool, appointed by name on the campaign's judges page (the picker works
    # without its suggestions).
    page.get_by_test_id("judges-link").click()
    expect(page.get_by_test_id("judging-rules")).to_contain_text("总工会评委库")
    page.locator("[data-testid=appoint-form] input[type=text]").fill("市评委郑国栋")
    page.get_by_role("button", name="加入评委库").click()
    expect(page.get_by_test_id("panel")).to_contain_text("市评委郑国栋")
    screenshot(page, f"town-campaign-panel-{page.size}")
    log_out(page)

    # A worker of the town's enterprise writes a proposal; the enterprise's HR screens it valid.
    campaign = db.session.get(Campaign, campaign_id)
    proposal = submission.create_proposal(world.worker_a, campaign, submission.ProposalData(
        kind="improvement", title="鞋底成型模具快速换模装置", problem="换模慢。", solution="快换定位销。",
        expected_benefit="换模时间降到十分钟。", estimated_savings="186000"))
    submission.submit_proposal(world.worker_a, proposal, pledge=True)
    screening.screen_proposal(world.hr_a, proposal, "valid", None, None)
    db.session.commit()

    # The officer assigns the panel automatically; the judge marks (services).
    clock.set_now(JUDGE_TIME)
    login_through_form(page, world.town_a.username, PASSWORD)
    page.goto(f"/proposals/campaigns/{campaign_id}")
    page.get_by_test_id("auto-assign").click()
    expect(page.get_by_test_id("assignment-table")).to_contain_text("市评委郑国栋")
    log_out(page)
    judging.save_marks(judge, proposal.id, {c.id: 9 for c in campaign.criteria}, final=True)
    db.session.commit()

    # After judging, the home page's to-do leads the officer to the campaign, who publishes (公示).
    clock.set_now(AFTER_JUDGING)
    login_through_form(page, world.town_a.username, PASSWORD)
    page.goto("/")
    page.get_by_role("link", name=re.compile("2026年甲镇五小·聚力杯")).first.click()
    page.wait_for_url(re.compile(rf"/proposals/campaigns/{campaign_id}$"))
    page.get_by_test_id("publish").click()
    page.wait_for_url(re.compile(r"/results$"))
    expect(page.get_by_test_id("ranking")).to_contain_text("鞋底成型模具快速换模装置")
    expect(page.get_by_text("公示期至")).to_be_visible()
    screenshot(page, f"town-campaign-results-{page.size}")

    # The officer recommends the winner into the city's campaign.
    page.get_by_test_id("ranking").get_by_role("link", name="鞋底成型模具快速换模装置").click()
    page.get_by_label("推荐到").select_option(str(city.id))
    page.get_by_test_id("recommend-submit").click()
    expect(page.get_by_text("已推荐上报")).to_be_visible()
    expect(page.get_by_test_id("levels")).to_contain_text("2026年全市五小·智慧杯")
    entry = db.session.scalar(db.select(Proposal).where(Proposal.campaign_id == city.id))
    assert entry is not None and entry.origin_id == proposal.id
    screenshot(page, f"town-campaign-recommended-{page.size}")
    assert not page.console_errors, page.console_errors
