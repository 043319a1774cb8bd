"""Browser journey of the Five Small proposals: a worker submits (journey 2), judges mark blind
(journey 5), the admin publishes the ranking (journey 6) and the worker sees their rank."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core import clock
from models import db
from models.proposals import Proposal
from services.proposals import assignment, judging, screening
from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.factories import PASSWORD, EnterpriseFactory, JudgeFactory
from tests.factories_proposals import AFTER_JUDGING, JUDGE_TIME, SUBMIT_TIME, CampaignFactory

pytestmark = pytest.mark.e2e


def log_out(page):
    logout(page)
    page.wait_for_url("**/login")


def test_worker_submits_judge_scores_admin_publishes_worker_sees_rank(page, world):
    campaign = CampaignFactory(name="2026年五小·智慧杯")
    outside = EnterpriseFactory(name="市技师协会")
    other_judges = [JudgeFactory(enterprise=outside), JudgeFactory(enterprise=outside)]
    page.on("dialog", lambda dialog: dialog.accept())

    # Journey 2: the worker writes and submits, with the live savings calculator.
    clock.set_now(SUBMIT_TIME)
    login_through_form(page, world.worker_a.username, PASSWORD)
    page.goto("/proposals/")
    page.get_by_test_id(f"new-proposal-{campaign.id}").click()
    page.get_by_label("类别").select_option(label="小革新")
    page.get_by_label("标题").fill("鞋面针车断线自动报警器")
    page.get_by_label("现状问题").fill("断线后要走出几十针才发现，返工多。")
    page.get_by_label("改进措施").fill("加装光电检测，断线即停机报警。")
    page.get_by_label("预期效益").fill("返工率下降六成。")
    page.get_by_label("改进前单位用量").fill("1.2")
    page.get_by_label("改进后单位用量").fill("1.0")
    page.get_by_label("单价（元）").fill("15")
    page.get_by_label("年产量").fill("100000")
    page.get_by_label("实施成本（元）").fill("20000")
    expect(page.get_by_test_id("savings-live")).to_have_text("280000.00")
    page.get_by_role("button", name="按测算填入节约额").click()
    assert page.get_by_label("预计年节约额（元）").input_value() == "280000.00"
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/proposals/\d+$"))
    page.get_by_label(re.compile("我承诺")).check()
    page.get_by_role("button", name="提交提案").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    assert "提交" in page.get_by_test_id("timeline").inner_text()
    screenshot(page, "proposals-worker-submitted")
    proposal_id = int(page.url.rsplit("/", 1)[1])
    log_out(page)

    # Screening and assignment through the services (journeys 3 and 4 have their own tests).
    proposal = db.session.get(Proposal, proposal_id)
    screening.screen_proposal(world.hr_a, proposal, "valid", None, None)
    clock.set_now(JUDGE_TIME)
    for judge in (world.judge, *other_judges):
        assignment.assign_judge(world.admin, campaign, proposal.id, judge.id)
    for judge, mark in zip(other_judges, (8, 6), strict=True):
        judging.save_marks(judge, proposal.id, {c.id: mark for c in campaign.criteria}, final=True)
    db.session.commit()

    # Journey 5: the judge marks blind, sees the live total, saves, then submits.
    login_through_form(page, world.judge.username, PASSWORD)
    page.goto("/proposals/review")
    page.get_by_role("link", name="鞋面针车断线自动报警器").click()
    html = page.content()
    for secret in (world.worker_a.name, world.worker_a.phone, world.enterprise_a.name):
        assert secret not in html
    inputs = page.locator("input.mark-input")
    for i, value in enumerate(("9", "8", "7", "10")):
        inputs.nth(i).fill(value)
    # 25*0.9 + 25*0.8 + 30*0.7 + 20*1.0 = 83.5
    expect(page.get_by_test_id("mark-total")).to_have_text("83.50")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("评分已保存")).to_be_visible()
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_text("评分已提交")).to_be_visible()
    assert page.locator("input.mark-input").first.is_disabled()
    screenshot(page, "proposals-judge-submitted")
    log_out(page)

    # Journey 6: after the judging window the admin publishes for public notice.
    clock.set_now(AFTER_JUDGING)
    login_through_form(page, world.admin.username, PASSWORD)
    page.goto(f"/proposals/campaigns/{campaign.id}")
    page.get_by_test_id("publish").click()
    page.wait_for_url(re.compile(r"/results$"))
    expect(page.get_by_test_id("place").first).to_have_text("1")
    assert "74.50" in page.get_by_test_id("ranking").inner_text()  # mean of 80, 60 and 83.5
    screenshot(page, "proposals-admin-results")
    log_out(page)

    # The worker sees their result and rank.
    login_through_form(page, world.worker_a.username, PASSWORD)
    page.goto(f"/proposals/{proposal_id}")
    result = page.get_by_test_id("my-result").inner_text()
    assert "第 1 名" in result and "一等奖" in result
    screenshot(page, "proposals-worker-rank")
    assert not page.console_errors, page.console_errors
