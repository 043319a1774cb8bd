"""Browser journeys of the competitions area: a worker registers (2), a judge marks blind and the
admin enters theory marks and signs off (5), results are published, finalised and seen by the
competitor, the public and the certificate checker (6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from models import db
from services.competitions import judging, registration
from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.factories import PASSWORD
from tests.factories_competitions import CompetitionFactory, competition_in_scoring

pytestmark = pytest.mark.e2e


def _logout(page):
    logout(page)
    page.wait_for_url("**/login")


def test_worker_registers_and_is_promoted_from_the_waitlist(page, world):
    competition = CompetitionFactory(name="运动鞋制作工技能竞赛", capacity=1)
    first = world.worker_b

    first_entry = registration.register(first, competition, first)
    db.session.commit()

    login_through_form(page, world.worker_a.username, PASSWORD)
    page.wait_for_url("**/")
    page.goto("/competitions/")
    card = page.get_by_test_id("open-competition").filter(has_text="运动鞋制作工技能竞赛")
    expect(card.get_by_test_id("full-waitlist")).to_have_text("名额已满，可报候补")  # said before the tap
    card.get_by_role("link", name="运动鞋制作工技能竞赛").click()
    expect(page.get_by_test_id("full-waitlist")).to_contain_text("现在报名进入候补名单")
    page.get_by_role("button", name="报名候补").click()
    expect(page.get_by_text("您已进入候补名单，第 1 位")).to_be_visible()
    assert "候补" in page.get_by_test_id("registration-status").inner_text()
    screenshot(page, "competitions-waitlisted")

    registration.withdraw(first, first_entry)  # the confirmed competitor withdraws: the seat moves up
    db.session.commit()
    page.goto("/competitions/mine")
    expect(page.get_by_test_id("promoted-notice")).to_be_visible()
    page.goto(f"/competitions/{competition.id}")
    expect(page.get_by_test_id("competitor-number")).to_have_text("002")
    screenshot(page, "competitions-promoted")
    assert not page.console_errors, page.console_errors


def test_judge_marks_blind_admin_signs_off_publishes_and_competitor_sees_result(page, world):
    competition, entries, judges = competition_in_scoring(competitors=2, judges=3, enterprise=world.enterprise_a,
                                                          name="制鞋工职业技能竞赛")
    entries[0].worker_id = world.worker_a.id
    db.session.commit()
    items = competition.items
    for judge in judges[1:]:
        for entry in entries:
            judging.enter_practical_marks(judge, entry, {i.id: "88" for i in items})
    judging.enter_practical_marks(judges[0], entries[1], {i.id: "80" for i in items})
    db.session.commit()

    # journey 5: the judge sees competitor numbers only
    login_through_form(page, judges[0].username, PASSWORD)
    page.wait_for_url("**/")
    page.goto("/competitions/judging")
    page.get_by_role("link", name="制鞋工职业技能竞赛").click()
    assert world.worker_a.name not in page.content()
    page.get_by_test_id("mark-001").click()
    page.get_by_label("裁断（0–100 分，权重 40%）").fill("90")
    page.get_by_label("针车（0–100 分，权重 60%）").fill("86.5")
    screenshot(page, "competitions-judge-marks")
    page.get_by_role("button", name="保存成绩").click()
    expect(page.get_by_text("已保存 2 项成绩")).to_be_visible()
    _logout(page)

    # the admin enters theory marks and signs off
    login_through_form(page, world.admin.username, PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/competitions/{competition.id}/scores")
    page.get_by_label("理论成绩 001").fill("92")
    page.get_by_label("理论成绩 002").fill("75")
    page.get_by_role("button", name="保存理论成绩").click()
    expect(page.get_by_text("已保存 2 个理论成绩")).to_be_visible()
    screenshot(page, "competitions-scores")
    page.get_by_role("button", name="确认成绩（之后不能再修改）").click()
    expect(page.get_by_text("成绩已确认并排出名次")).to_be_visible()

    # journey 6: publish, notice ends, finalise
    page.get_by_role("button", name="发布成绩公示").click()
    expect(page.get_by_text("成绩已公示")).to_be_visible()
    screenshot(page, "competitions-noticed")
    clock.set_now(clock.now() + timedelta(days=12))
    page.reload()
    page.get_by_role("button", name="公示结束，确认最终结果").click()
    expect(page.get_by_text("结果已确认，证书已生成")).to_be_visible()
    _logout(page)

    login_through_form(page, world.worker_a.username, PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/competitions/{competition.id}")
    expect(page.get_by_test_id("own-rank")).to_have_text("1")
    assert "一等奖" in page.get_by_test_id("own-result").inner_text()
    screenshot(page, "competitions-own-result")
    code = page.locator("text=验证码").inner_text().split()[-1]
    pdf = page.request.get(page.get_by_role("link", name="下载证书（PDF）").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    _logout(page)

    # the public results page and the certificate check, without login
    page.goto(f"/competitions/results/{competition.id}")
    winners = page.get_by_test_id("public-winners").inner_text()
    assert world.worker_a.name in winners and world.worker_a.phone not in winners
    screenshot(page, "competitions-public-results")
    page.goto(f"/competitions/verify?code={code}")  # an old link: redirected to the one verification page
    assert "证书有效" in page.get_by_test_id("verify-status").inner_text()
    page.goto("/competitions/verify?code=guessed-code-123")
    assert page.get_by_test_id("verify-status").get_attribute("data-status") == "not_found"
    assert not page.console_errors, page.console_errors



def test_hr_uploads_a_list_and_sees_each_row(page, world, tmp_path):
    competition = CompetitionFactory(name="缝纫工技能竞赛", capacity=1)
    from tests.factories import WorkerFactory

    second = WorkerFactory(enterprise=world.enterprise_a, employee_no="A-0002")
    listing = tmp_path / "名单.csv"
    listing.write_text(f"工号\n{world.worker_a.employee_no}\n{second.employee_no}\n{world.worker_b.employee_no}\n",
                       encoding="utf-8")
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/competitions/{competition.id}")
    page.get_by_role("link", name="为本企业职工报名").click()
    page.get_by_label("名单文件（Excel .xlsx 或 CSV）").set_input_files(str(listing))
    page.get_by_role("button", name="上传并报名").click()
    outcomes = page.get_by_test_id("upload-outcomes").inner_text()
    assert "报名成功 1，候补 1，未能报名 1" in outcomes
    assert f"本企业没有工号为“{world.worker_b.employee_no}”的职工" in outcomes
    screenshot(page, "competitions-hr-upload")
    assert not page.console_errors, page.console_errors
