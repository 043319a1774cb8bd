"""Browser journeys of training programmes on a phone (390x844) and a desktop: HR creates a programme with
a class typed in Beijing time, publishes it and enrols a worker by employee number; a worker finds the
programme under the 培训 tab and enrols themself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from models import db
from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.factories import PASSWORD
from tests.factories_training import ClassFactory, ProgrammeFactory

pytestmark = pytest.mark.e2e

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


def test_hr_creates_a_programme_with_a_class_and_enrols_a_worker(sized_page, world):
    page = sized_page
    start = clock.today() + timedelta(days=10)
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.wait_for_url("**/")
    page.goto("/training/")
    page.get_by_test_id("new-programme").click()
    page.get_by_label("项目名称").fill("恒信鞋业班组长安全培训")
    page.get_by_label("培训类型").select_option(label="安全生产")
    page.get_by_label("开始日期").fill(start.isoformat())
    page.get_by_label("结束日期").fill((start + timedelta(days=5)).isoformat())
    page.get_by_label("预算（元）").fill("8,000")
    page.get_by_label("名额").fill("20")
    screenshot(page, f"training-programme-form-{page.size}")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("programme-name")).to_have_text("恒信鞋业班组长安全培训")

    page.get_by_test_id("add-class").click()
    page.get_by_label("班次名称").fill("消防器材使用")
    page.get_by_label("上课日期").fill(start.isoformat())
    page.get_by_label("开始时间（北京时间）").fill("08:30")
    page.get_by_label("结束时间（北京时间）").fill("11:30")
    page.get_by_label("上课地点").fill("一楼会议室")
    page.get_by_label("学时").fill("3")
    page.get_by_label("授课老师").fill("李教官")
    page.get_by_role("button", name="保存班次").click()
    expect(page.get_by_text("班次已添加。")).to_be_visible()
    expect(page.get_by_test_id("classes")).to_contain_text("08:30")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("programme-status")).to_have_text("已发布")

    page.get_by_test_id("enrol-workers").click()
    page.get_by_test_id("enrol-number").get_by_label("工号").fill(world.worker_a.employee_no.lower())
    page.get_by_test_id("enrol-number").get_by_role("button", name="报名").click()
    expect(page.get_by_text(f"{world.worker_a.name} 报名成功。")).to_be_visible()
    page.get_by_role("link", name="恒信鞋业班组长安全培训").click()
    expect(page.get_by_test_id("enrolment-list")).to_contain_text(world.worker_a.name)
    screenshot(page, f"training-programme-hr-{page.size}")
    assert not page.console_errors, page.console_errors


def test_a_worker_enrols_themself_from_the_training_tab(sized_page, world):
    page = sized_page
    programme = ProgrammeFactory(name="晋江市班组长能力提升培训", capacity=30)
    ClassFactory(programme=programme, title="班组管理与团队建设")
    db.session.commit()
    login_through_form(page, world.worker_a.username, PASSWORD)
    page.wait_for_url("**/")
    if page.size == "phone":
        page.get_by_test_id("tab-bar").get_by_role("link", name="培训").click()
    else:
        page.get_by_test_id("nav-training").click()
    page.get_by_role("link", name="晋江市班组长能力提升培训").click()
    expect(page.get_by_test_id("classes")).to_contain_text("班组管理与团队建设")
    page.get_by_test_id("enrol").click()
    expect(page.get_by_text("报名成功。")).to_be_visible()
    expect(page.get_by_test_id("own-enrolment")).to_contain_text("已报名")
    screenshot(page, f"training-programme-worker-{page.size}")
    if page.size == "phone":  # nothing wider than the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto("/training/mine")
    expect(page.get_by_test_id("my-enrolments")).to_contain_text("晋江市班组长能力提升培训")
    logout(page)
    assert not page.console_errors, page.console_errors
