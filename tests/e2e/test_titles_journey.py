"""Journeys 2-4 of craftsman titles in the browser: HR nominates with evidence shown, the admin
reviews and awards, the award goes to public notice and the honour roll, then becomes final and
verifiable. The clock is moved between the steps (the live server reads the same clock)."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from models import db
from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.factories import PASSWORD
from tests.factories_titles import default_titles, make_eligible, open_round

pytestmark = pytest.mark.e2e
START = datetime(2026, 3, 2, 2, tzinfo=UTC)
CITATION = "扎根制鞋一线二十年，主导帮面缝制工艺改进，带出技术骨干十余名。"


def test_nominate_review_award_notice_verify(page, world):
    kinds = default_titles()
    make_eligible(world.hr_a, world.worker_a)
    clock.set_now(START)
    title_round = open_round(world.admin, kinds["晋江工匠"], days=10)
    db.session.commit()

    # Journey 2: HR picks a worker, sees the computed evidence, nominates.
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.goto(f"/titles/rounds/{title_round.id}/nominate")
    page.fill("#worker", world.worker_a.name[:2])
    page.get_by_role("option", name=world.worker_a.name).click()
    page.get_by_role("button", name="查看条件").click()
    expect(page.get_by_text("✓ 技能等级或竞赛名次")).to_be_visible()
    page.get_by_label("推荐事迹").fill(CITATION)
    screenshot(page, "titles-nominate")
    page.get_by_role("button", name="提交推荐").click()
    expect(page.get_by_text(f"已推荐 {world.worker_a.name}")).to_be_visible()
    logout(page)

    # Journey 3: the admin reviews side by side, approves, awards, and after the deadline publishes.
    login_through_form(page, world.admin.username, PASSWORD)
    page.goto(f"/titles/rounds/{title_round.id}")
    card = page.get_by_test_id("nominations")
    card.get_by_label("通过", exact=True).check()
    card.get_by_role("button", name="保存评审意见").click()
    expect(page.get_by_text("评审意见已保存")).to_be_visible()
    page.get_by_role("button", name="授予称号").click()
    expect(page.get_by_text("已授予称号")).to_be_visible()
    clock.set_now(START + timedelta(days=11))
    page.get_by_role("button", name="发布公示").click()
    expect(page.get_by_text("拟授予名单已公示")).to_be_visible()
    screenshot(page, "titles-round-admin")

    # Journey 4: the honour roll shows the award on notice; after the notice it is final and verifiable.
    page.goto("/titles/honours")
    expect(page.get_by_test_id("honour-roll").get_by_text(world.worker_a.name)).to_be_visible()
    expect(page.get_by_test_id("honour-roll").get_by_text("公示中")).to_be_visible()
    clock.set_now(START + timedelta(days=30))
    page.goto(f"/titles/rounds/{title_round.id}")
    page.get_by_role("button", name="公示结束，确认授予").click()
    expect(page.get_by_text("称号授予已确认")).to_be_visible()
    logout(page)

    from models.titles import TitleAward

    db.session.expire_all()
    code = db.session.scalar(db.select(TitleAward.verification_code))
    page.goto("/titles/verify")
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="验证").click()
    assert page.get_by_test_id("verify-status").get_attribute("data-status") == "valid"
    screenshot(page, "titles-verify")
    page.goto("/titles/honours")
    screenshot(page, "titles-honour-roll")
    assert world.worker_a.phone not in page.content()
