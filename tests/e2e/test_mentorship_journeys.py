"""Browser journey through mentoring, journeys 1-4: HR pairs a mentor and an apprentice (seeing a
refusal beside the field first), both confirm the agreement, HR prints it, the mentor records a
check-in with a photo, the apprentice confirms it, HR extends the pair once and, after the planned
end, records the assessment that raises the apprentice's level. The clock is set, never waited for."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from core import clock
from models import db
from models.mentorship import MentorPair
from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.factories import PASSWORD, WorkerFactory

pytestmark = pytest.mark.e2e

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def switch_user(page, user):
    if page.get_by_test_id("account-menu").count():
        logout(page)
        page.wait_for_url("**/login")
    login_through_form(page, user.username, PASSWORD)
    page.wait_for_url("**/")


def test_pair_confirm_checkin_extend_assess(page, world):
    clock.set_now(datetime(2026, 3, 2, 4, tzinfo=UTC))
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=4, name="陈师傅")
    weak = WorkerFactory(enterprise=world.enterprise_a, skill_level=2, name="林新手")
    apprentice = world.worker_a  # 中级工 (rank 2)

    # Journey 1: HR creates the pair; a refusal is explained beside the mentor field first.
    switch_user(page, world.hr_a)
    page.goto("/mentorship/")
    page.get_by_role("link", name="新建师徒结对").first.click()
    page.get_by_label("师傅", exact=True).fill("林新")  # the type-ahead suggests; choosing fills the id
    page.get_by_role("option", name=weak.name).click()
    assert page.locator("input[name=mentor_id]").input_value() == str(weak.id)
    page.get_by_label("徒弟", exact=True).fill(apprentice.employee_no)  # typed only: the server resolves it
    page.get_by_label("带徒工种").select_option(str(apprentice.trade_id))
    page.get_by_label("目标技能等级").select_option("3")
    page.get_by_label("带徒目标").fill("一年内独立完成运动鞋帮底结合全流程，达到高级工水平。")
    page.get_by_role("button", name="建立结对").click()
    assert page.locator("#mentor_id ~ .invalid-feedback").inner_text().startswith("师傅须达到高级工（三级）及以上")
    assert page.get_by_label("带徒目标").input_value().startswith("一年内")  # what was typed is kept
    screenshot(page, "mentorship-create-refused")
    page.get_by_label("师傅", exact=True).fill("陈师")
    page.get_by_role("option", name=mentor.name).click()
    page.get_by_role("button", name="建立结对").click()
    page.wait_for_url("**/mentorship/pairs/*")
    expect(page.get_by_test_id("pair-status")).to_have_text("待确认")
    pair_url = page.url
    pair = db.session.scalar(db.select(MentorPair))

    # Journey 2: both confirm; HR prints the agreement.
    for person in (mentor, apprentice):
        switch_user(page, person)
        page.goto("/mentorship/")
        page.get_by_text("请查看并确认带徒协议").click()
        page.get_by_role("button", name="确认带徒协议").click()
        expect(page.get_by_text("已确认带徒协议")).to_be_visible()
    expect(page.get_by_test_id("pair-status")).to_have_text("带徒中")
    screenshot(page, "mentorship-pair-active")
    switch_user(page, world.hr_a)
    page.goto(pair_url)
    page.get_by_role("link", name="带徒协议（打印）").click()
    expect(page.get_by_test_id("agreement").get_by_text("陈师傅").first).to_be_visible()  # waits for the page
    screenshot(page, "mentorship-agreement")

    # Journey 3: the mentor records a check-in with a photo; the apprentice confirms; HR sees it.
    switch_user(page, mentor)
    page.goto(pair_url)
    page.get_by_role("link", name="填写带徒记录").click()
    page.get_by_label("时长（小时）").fill("3.5")
    page.get_by_label("传授内容").fill("示范帮底结合的刷胶与压合，徒弟上机练习三双。")
    page.get_by_label("练习的技能要点").fill("胶层厚度、压合时间")
    page.get_by_label("现场照片（可选）").set_input_files(files=[{"name": "现场.png", "mimeType": "image/png",
                                                              "buffer": PNG}])
    page.get_by_role("button", name="提交带徒记录").click()
    expect(page.get_by_test_id("checkin-status")).to_have_text("待徒弟确认")
    switch_user(page, apprentice)
    page.goto(pair_url)
    page.get_by_role("button", name="确认属实").click()
    expect(page.get_by_test_id("checkin-status")).to_have_text("徒弟已确认")
    switch_user(page, world.hr_a)
    page.goto(pair_url)
    expect(page.get_by_test_id("checkins").get_by_text("示范帮底结合")).to_be_visible()
    expect(page.get_by_test_id("checkins").get_by_role("link", name="查看")).to_have_count(1)

    # Journey 4: extend once, then assess after the new planned end; the level goes up.
    page.get_by_label("新的结束日期").fill("2027-09-02")
    page.get_by_label("延期原因").fill("备战技能竞赛，延长半年")
    page.get_by_role("button", name="延期（仅一次）").click()
    expect(page.get_by_text("结对已延期")).to_be_visible()
    expect(page.get_by_test_id("extend-form")).to_have_count(0)  # only once
    clock.set_now(datetime(2027, 9, 3, 4, tzinfo=UTC))
    page.goto(pair_url)
    page.get_by_role("link", name="录入出师考核").click()
    page.get_by_label("合格", exact=True).check()
    page.get_by_label("达到的技能等级").select_option("3")
    page.get_by_label("考核分数").fill("86.5")
    page.get_by_label("考核人").fill("企业技能考评小组")
    page.get_by_role("button", name="录入出师考核").click()
    expect(page.get_by_text("已录入出师考核：合格")).to_be_visible()
    expect(page.get_by_test_id("pair-status")).to_have_text("已出师")
    history = page.get_by_test_id("history").inner_text()
    for step in ("待确认", "带徒中", "已出师", "延期"):
        assert step in history
    screenshot(page, "mentorship-completed")
    db.session.expire_all()
    assert db.session.get(type(apprentice), apprentice.id).skill_level == 3
    assert db.session.get(MentorPair, pair.id).status == "completed"

    # HR's dashboard counts it; the mentor's page shows the credit.
    page.goto("/mentorship/")
    assert page.get_by_test_id("figure-completed_year").inner_text().startswith("1")
    screenshot(page, "mentorship-hr-dashboard")
    switch_user(page, mentor)
    page.goto(f"/mentorship/people/{mentor.id}")
    assert "晋升为高级工" in page.get_by_test_id("credits").inner_text()
    screenshot(page, "mentorship-mentor-page")
    assert not page.console_errors, page.console_errors


def test_dissolve_in_the_first_month_and_end_early(page, world):
    from tests.factories_mentorship import activate, create_pair

    clock.set_now(datetime(2026, 3, 2, 4, tzinfo=UTC))
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=5, name="黄师傅")
    first = activate(create_pair(world.hr_a, mentor, world.worker_a))
    second = activate(create_pair(world.hr_a, mentor, WorkerFactory(enterprise=world.enterprise_a, skill_level=1,
                                                                    name="许徒弟")))
    clock.set_now(datetime(2026, 3, 20, 4, tzinfo=UTC))  # within the first month

    # Journey 2: the apprentice dissolves; a missing reason is explained first.
    switch_user(page, world.worker_a)
    page.goto(f"/mentorship/pairs/{first.id}")
    page.get_by_test_id("dissolve-form").get_by_role("button", name="解除结对").click()
    expect(page.get_by_text("请说明原因").first).to_be_visible()
    page.get_by_test_id("dissolve-form").get_by_label("原因").fill("班次调整，无法与师傅同班")
    page.get_by_test_id("dissolve-form").get_by_role("button", name="解除结对").click()
    expect(page.get_by_test_id("pair-status")).to_have_text("已解除")
    expect(page.get_by_test_id("dissolve-form")).to_have_count(0)

    # Journey 4: after the first month HR ends the other pair early with a reason.
    clock.set_now(datetime(2026, 5, 6, 4, tzinfo=UTC))
    switch_user(page, world.hr_a)
    page.goto(f"/mentorship/pairs/{second.id}")
    expect(page.get_by_test_id("dissolve-form")).to_have_count(0)  # HR cannot dissolve an active pair
    page.get_by_label("提前结束原因").select_option("changed_post")
    page.get_by_test_id("end-form").get_by_label("说明").fill("调往品控部")
    page.get_by_role("button", name="提前结束").click()
    expect(page.get_by_test_id("pair-status")).to_have_text("提前结束")
    assert "调岗：调往品控部" in page.get_by_test_id("history").inner_text()
    screenshot(page, "mentorship-ended-early")
    assert not page.console_errors, page.console_errors
