"""Browser journey of the city's top ten innovation achievements on a phone (390x844): the admin opens the
list from the Five Small menu, finds a proposal by its title, chooses it, designates it at a position with
a citation, and the yearly report shows it in its figure and under the Five Small figures."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from models import db
from tests.e2e.conftest import login_through_form, open_tab, screenshot
from tests.factories import PASSWORD
from tests.factories_proposals import CampaignFactory, ProposalFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
Y2026 = datetime(2026, 5, 10, 2, tzinfo=UTC)


def test_the_admin_designates_an_achievement_on_a_phone_and_the_report_shows_it(browser, live_server, world):
    campaign = CampaignFactory()
    wanted = ProposalFactory(campaign=campaign, proposer=world.worker_b, status="valid", submitted_at=Y2026,
                             title="针车断线自动报警器")
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="submitted", submitted_at=Y2026,
                    title="针车油盘改进（未审核）")
    db.session.commit()
    page = open_tab(browser, live_server, PHONE, mobile=True, timeout=20_000)
    context, errors = page.context, page.console_errors
    try:
        login_through_form(page, world.admin.username, PASSWORD)
        page.wait_for_url(re.compile(r"/$"))
        page.goto("/proposals/")
        page.get_by_test_id("top-ten-link").click()
        page.wait_for_url(re.compile(r"/proposals/top-ten"))
        page.get_by_test_id("top-ten-search").fill("针车")
        page.get_by_role("button", name="搜索").click()
        candidates = page.get_by_test_id("top-ten-candidates")
        expect(candidates).to_contain_text("针车断线自动报警器")
        expect(candidates).not_to_contain_text("未审核")  # only valid proposals are offered
        page.get_by_test_id(f"candidate-{wanted.id}").click()
        expect(page.get_by_test_id("top-ten-chosen")).to_contain_text("针车断线自动报警器")
        page.get_by_label("名次").select_option("1")
        page.get_by_label("评语（选填）").fill("断线即停，减少次品。")
        screenshot(page, "top-ten-designate-phone")
        page.get_by_test_id("top-ten-submit").click()
        page.wait_for_url(re.compile(r"/proposals/top-ten\?year=2026"))
        row = page.get_by_test_id("top-ten-row")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("针车断线自动报警器")
        expect(row).to_contain_text("断线即停，减少次品。")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"the list overflows the phone ({width}px)"
        screenshot(page, "top-ten-list-phone")

        page.goto("/report/?first=2026")
        figure = page.get_by_test_id("figure-five_small-top_ten")
        expect(figure.locator("[data-year='2026']")).to_have_text("1")
        items = page.get_by_test_id("items-five_small-top_ten")
        expect(items).to_contain_text("针车断线自动报警器")
        items.scroll_into_view_if_needed()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"the report overflows the phone ({width}px)"
        screenshot(page, "top-ten-report-phone")
        figure.get_by_test_id("drill-top_ten-2026").click()
        page.wait_for_url(re.compile(r"/proposals/top-ten\?year=2026"))
        expect(page.get_by_test_id("top-ten-row")).to_have_count(1)
        assert errors == []
    finally:
        context.close()
