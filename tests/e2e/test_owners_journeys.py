"""Browser journeys of issue 14 on a phone (390x844) and a desktop: an enterprise runs its own Five Small
campaign end to end (HR creates it, appoints a colleague to its panel, assigns, the colleague marks,
HR publishes and the worker sees the result), then recommends the winner to the city's campaign and
the worker sees both levels. HR finds the campaign's proposals by typing the campaign's name in the
list's filter, recommends two more (withdrawing one and recommending it again: three in the city);
the admin records a provincial first prize for the winner, which shows on the worker's growth record
and, as title evidence, meets a title's "top 3 at city level or above" rule by itself."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from core import clock
from models import db
from models.proposals import Campaign, Proposal
from models.titles import TitleType
from services.proposals import screening, submission
from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.factories import PASSWORD, WorkerFactory
from tests.factories_proposals import AFTER_JUDGING, JUDGE_TIME, SUBMIT_TIME, CampaignFactory, ProposalFactory
from tests.factories_titles import open_round

pytestmark = pytest.mark.e2e
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PROVINCIAL = "2026年福建省职工五小创新成果评选"

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


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


def log_out(page):
    logout(page)
    page.wait_for_url("**/login")


def test_an_enterprise_runs_its_own_campaign_and_recommends_the_winner(sized_page, world):
    page = sized_page
    colleague = WorkerFactory(enterprise=world.enterprise_a, name="甲企老师傅")
    city = CampaignFactory(name="2026年全市五小·智慧杯", recommend_quota=10,
                           submission_closes_at=AFTER_JUDGING.replace(month=12))
    page.on("dialog", lambda dialog: dialog.accept())
    clock.set_now(SUBMIT_TIME)

    # HR creates the enterprise's own campaign; the form states the enterprise-level rules.
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.goto("/proposals/")
    page.get_by_test_id("new-campaign").click()
    expect(page.get_by_test_id("owner-rules")).to_contain_text("只有本企业职工可以参加")
    page.get_by_label("活动名称").fill("2026年甲企五小·金点子")
    page.get_by_label("征集开始").fill("2026-04-01T08:00")
    page.get_by_label("征集截止").fill("2026-06-01T08:00")
    page.get_by_label("评审开始").fill("2026-06-01T08:00")
    page.get_by_label("评审截止").fill("2026-07-01T08:00")
    page.get_by_label("每件提案至少评委人数").fill("1")
    page.get_by_label("一等奖奖金（元）").fill("2000")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/proposals/campaigns/\d+$"))
    expect(page.get_by_test_id("owner")).to_contain_text(world.enterprise_a.name)
    campaign_id = int(page.url.rsplit("/", 1)[1])

    # HR appoints a colleague to the panel by name on the campaign's judges page (the picker works without
    # JavaScript's suggestions).
    page.get_by_test_id("judges-link").click()
    page.locator("[data-testid=appoint-form] input[type=text]").fill("甲企老师傅")
    page.get_by_role("button", name="加入评委库").click()
    expect(page.get_by_test_id("panel")).to_contain_text("甲企老师傅")
    screenshot(page, f"owners-campaign-{page.size}")
    log_out(page)

    # The worker's proposal, screened valid (the worker's and screening journeys have their own tests).
    campaign = db.session.get(Campaign, campaign_id)
    proposal = submission.create_proposal(world.worker_a, campaign, submission.ProposalData(
        kind="improvement", title="鞋底成型模具快速换模装置", problem="换模慢。", solution="快换定位销。",
        expected_benefit="换模时间降到十分钟。", estimated_savings="186000"))
    submission.submit_proposal(world.worker_a, proposal, pledge=True)
    screening.screen_proposal(world.hr_a, proposal, "valid", None, None)
    db.session.commit()

    # HR assigns the panel automatically; the colleague (no judge role) marks it from the queue.
    clock.set_now(JUDGE_TIME)
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.goto(f"/proposals/campaigns/{campaign_id}")
    page.get_by_test_id("auto-assign").click()
    expect(page.get_by_test_id("assignment-table")).to_contain_text("甲企老师傅")
    log_out(page)
    colleague.username = "laoshifu"
    db.session.commit()
    login_through_form(page, "laoshifu", PASSWORD)
    page.goto("/proposals/review")
    page.get_by_role("link", name="鞋底成型模具快速换模装置").click()
    inputs = page.locator("input.mark-input")
    expect(inputs).to_have_count(4)  # the scoring page has loaded (one input per criterion)
    for i in range(inputs.count()):
        inputs.nth(i).fill("9")
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_text("评分已提交")).to_be_visible()
    log_out(page)

    # HR publishes (公示); the worker sees the result; after the notice HR finalises.
    clock.set_now(AFTER_JUDGING)
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.goto(f"/proposals/campaigns/{campaign_id}")
    page.get_by_test_id("publish").click()
    page.wait_for_url(re.compile(r"/results$"))
    expect(page.get_by_test_id("reward").first).to_contain_text("2,000")
    log_out(page)
    login_through_form(page, world.worker_a.username, PASSWORD)
    page.goto(f"/proposals/{proposal.id}")
    expect(page.get_by_test_id("my-result")).to_contain_text("一等奖")
    log_out(page)

    # HR recommends the winner into the city's campaign; the worker sees both levels.
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.goto(f"/proposals/{proposal.id}")
    page.get_by_label("推荐到").select_option(str(city.id))
    page.get_by_test_id("recommend-submit").click()
    expect(page.get_by_text("已推荐上报")).to_be_visible()
    entry = db.session.scalar(db.select(Proposal).where(Proposal.campaign_id == city.id))
    assert entry is not None and entry.origin_id == proposal.id
    screenshot(page, f"owners-recommended-{page.size}")
    log_out(page)
    login_through_form(page, world.worker_a.username, PASSWORD)
    page.goto(f"/proposals/{entry.id}")
    levels = page.get_by_test_id("levels")
    expect(levels).to_contain_text("2026年甲企五小·金点子")
    expect(levels).to_contain_text("2026年全市五小·智慧杯")
    screenshot(page, f"owners-levels-{page.size}")
    assert not page.console_errors, page.console_errors
    log_out(page)

    # Two more valid proposals of the enterprise's campaign; HR finds all three by typing (part of) the
    # campaign's name in the list's filter (no drop-down of the newest campaigns).
    for title in ("针车断线自动检测报警装置", "鞋面喷胶工位排风改造"):
        ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid", title=title)
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.goto("/proposals/list")
    page.get_by_label("活动", exact=True).fill("金点子")
    page.get_by_role("button", name="筛选").click()
    table = page.get_by_test_id("proposal-table")
    for title in ("鞋底成型模具快速换模装置", "针车断线自动检测报警装置", "鞋面喷胶工位排风改造"):
        expect(table).to_contain_text(title)
    expect(page.get_by_test_id("filter-status")).to_be_visible()
    screenshot(page, f"owners-campaign-filter-{page.size}")

    # HR recommends the other two; withdraws the last (the city has not started reviewing it: the quota
    # comes back and the level is gone from the page), then recommends it again: three in the city.
    filtered = page.url

    def recommend(title):
        page.goto(filtered)
        table.get_by_role("link", name=title).click()
        page.get_by_label("推荐到").select_option(str(city.id))
        page.get_by_test_id("recommend-submit").click()
        expect(page.get_by_text("已推荐上报")).to_be_visible()

    recommend("针车断线自动检测报警装置")
    recommend("鞋面喷胶工位排风改造")
    withdraw = page.get_by_test_id("withdraw-recommendation")
    expect(withdraw).to_be_visible()
    screenshot(page, f"owners-withdraw-button-{page.size}")
    withdraw.get_by_role("button", name="撤回推荐上报").click()
    expect(page.get_by_text("已撤回推荐")).to_be_visible()
    expect(page.get_by_test_id("levels")).to_have_count(0)
    expect(page.get_by_test_id("recommend")).to_contain_text("已推荐 2 / 10 件")
    page.get_by_label("推荐到").select_option(str(city.id))
    page.get_by_test_id("recommend-submit").click()
    expect(page.get_by_test_id("levels")).to_contain_text("2026年全市五小·智慧杯")
    assert db.session.scalar(db.select(db.func.count(Proposal.id)).where(Proposal.campaign_id == city.id)) == 3
    log_out(page)

    # The admin records the winner's recommendation to the province and, once announced, its first prize
    # with the certificate's photo.
    login_through_form(page, world.admin.username, PASSWORD)
    page.goto(f"/proposals/{entry.id}")
    page.get_by_text("推荐到上级赛事").click()
    page.get_by_label("上级层级").select_option("province")
    page.get_by_label("赛事或评选名称").fill(PROVINCIAL)
    page.get_by_label("推荐日期").fill("2026-07-02")
    page.get_by_role("button", name="记录推荐").click()
    page.wait_for_url(re.compile(r"/titles/higher/\d+/result$"))
    clock.set_now(datetime(2026, 10, 20, 2, tzinfo=UTC))
    page.reload()
    page.get_by_label("获奖等次").select_option("first")
    page.get_by_label("成绩日期").fill("2026-10-15")
    page.get_by_label("证明文件（证书或公布名单的照片、PDF）").set_input_files(
        {"name": "证书.png", "mimeType": "image/png", "buffer": PNG})
    page.get_by_role("button", name="保存成绩").click()
    expect(page.get_by_text("成绩已保存")).to_be_visible()

    # As title evidence: the prize alone meets "a top-3 place in a contest of at least city level within
    # 3 years" (the worker has no placing in the platform's own competitions).
    contest_only = TitleType(name="五小创新能手", level="city", yearly_quota=5, competition_top_n=3,
                             competition_min_level="city", competition_within_years=3)
    db.session.add(contest_only)
    db.session.commit()
    title_round = open_round(world.admin, contest_only, days=30)
    page.goto(f"/titles/rounds/{title_round.id}/nominate")
    page.locator("#worker").fill(world.worker_a.name)
    page.get_by_role("button", name="查看条件").click()
    expect(page.get_by_text("✓ 技能等级或竞赛名次")).to_be_visible()
    expect(page.get_by_text("✓ 技能等级或竞赛名次")).to_contain_text(PROVINCIAL)
    expect(page.get_by_test_id("higher-results")).to_contain_text(PROVINCIAL)
    screenshot(page, f"owners-title-evidence-{page.size}")
    log_out(page)

    # The worker's growth record shows the provincial prize (and the proposal's levels).
    login_through_form(page, world.worker_a.username, PASSWORD)
    page.goto("/titles/growth")
    expect(page.get_by_text(PROVINCIAL)).to_be_visible()
    expect(page.locator("body")).to_contain_text("一等奖")
    screenshot(page, f"owners-growth-provincial-{page.size}")
    assert not page.console_errors, page.console_errors
