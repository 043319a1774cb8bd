"""Training upgrades and figures in the browser: enterprise A's HR, on a phone (390 x 844), records a worker's
education upgrade linked to the town's team-leader programme, with the diploma photo; the town officer then
opens the training figures (desktop and phone), which count the attendance and the upgrade, and exports them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core import clock
from models import db
from models.training import TEAM_LEADER
from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.factories import PASSWORD
from tests.factories_training import AttendanceFactory, ClassFactory, EnrolmentFactory, ProgrammeFactory

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_hr_records_an_education_upgrade_on_a_phone_and_the_town_sees_the_figures(browser, live_server, page,
                                                                                    world):
    clock.set_now(datetime(2026, 11, 20, 2, tzinfo=UTC))
    programme = ProgrammeFactory(name="陈埭镇班组长能力提升培训", kind=TEAM_LEADER, owner_level="town",
                                 owner_town_id=world.enterprise_a.town_id, starts_on=date(2026, 10, 8),
                                 budget=Decimal("30000"))
    training_class = ClassFactory(programme=programme, starts_at=datetime(2026, 10, 8, 1, tzinfo=UTC))
    AttendanceFactory(training_class=training_class,
                      enrolment=EnrolmentFactory(programme=programme, worker=world.worker_a))
    world.worker_a.education = "high_school"
    db.session.commit()

    # HR of A on a phone: the worker's page leads to the form; the diploma photo is attached.
    phone = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE)
    hr = phone.new_page()
    login_through_form(hr, world.hr_a.username, PASSWORD)
    hr.goto(f"/workers/{world.worker_a.id}")
    hr.get_by_test_id("education-upgrade-link").click()
    expect(hr.get_by_test_id("current-education")).to_contain_text("高中")
    hr.get_by_label("新学历").select_option("college")
    hr.get_by_label("毕业院校").fill("泉州职业技术大学")
    hr.get_by_label("毕业日期").fill("2026-07-01")
    hr.get_by_label("学历证明（毕业证书照片或 PDF）").set_input_files(
        {"name": "毕业证.png", "mimeType": "image/png", "buffer": PNG})
    hr.get_by_label("相关培训项目（可选）").select_option(str(programme.id))
    hr.get_by_label("工会补贴（元，可选）").fill("1,500")
    screenshot(hr, "training-education-form-390")
    hr.get_by_role("button", name="登记学历提升").click()
    expect(hr.get_by_text("已登记学历提升")).to_be_visible()
    expect(hr.get_by_test_id("education-list")).to_contain_text("陈埭镇班组长能力提升培训")
    assert hr.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    screenshot(hr, "training-education-list-390")
    phone.close()

    # The town officer opens the figures: the attendance (人次) and the upgrade count, each explained.
    login_through_form(page, world.town_a.username, PASSWORD)
    page.goto("/training/figures?year=2026")
    expect(page.get_by_test_id("figure-attendances")).to_have_text("1")
    expect(page.get_by_test_id("figure-upgraded")).to_have_text("1")
    expect(page.get_by_test_id("training-figures")).to_contain_text("每人每个班次计一次")
    screenshot(page, "training-figures-town-desktop")
    with page.expect_download() as download:
        page.get_by_test_id("figures-export").click()
    assert download.value.suggested_filename == "training-figures-2026.xlsx"
    logout(page)

    town_phone = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE).new_page()
    login_through_form(town_phone, world.town_a.username, PASSWORD)
    town_phone.goto("/training/figures")
    expect(town_phone.get_by_test_id("figure-programmes")).to_have_text("1")
    assert town_phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(town_phone, "training-figures-town-390")
    town_phone.context.close()
