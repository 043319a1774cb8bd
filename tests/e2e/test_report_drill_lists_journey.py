"""Browser journey of every list opened from the yearly report, on a phone (390x844) and a desktop: an admin
follows one figure of each list from a town's report; each list says how many rows it holds (共 N 条), shows
no filter badge for the report's own arguments (its 统计报告口径 line states them), links back to the same
report (返回统计报告), and fits the phone (cards, no overflow, 44 px targets). Screenshots per list."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_through_form, open_tab, screenshot
from tests.e2e.test_phone_layout import MEASURE, PHONE
from tests.factories import PASSWORD
from tests.views import test_report_drill_lists as lists

pytestmark = pytest.mark.e2e

VIEWPORTS = {"phone": PHONE, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("area", list(lists.AREAS))
def test_an_admin_opens_every_list_behind_a_town_s_report(browser, live_server, world, area, size):
    lists.AREAS[area](world)
    town = world.enterprise_b.town_id
    page = open_tab(browser, live_server, VIEWPORTS[size], mobile=size == "phone", timeout=20_000)
    context, errors = page.context, page.console_errors
    try:
        login_through_form(page, world.admin.username, PASSWORD)
        page.wait_for_url(re.compile(r"/$"))
        page.goto(f"/report/?town={town}&first=2026")
        section = page.get_by_test_id(f"section-{area}").inner_html()
        seen = set()
        for link in lists.drill_links(section):
            path = urlsplit(link).path
            if path in seen:
                continue
            seen.add(path)
            page.goto(link)
            expect(page.get_by_text(re.compile(r"^共 \d+ 条$"))).to_have_count(1)
            expect(page.get_by_test_id("filter-status")).to_have_count(0)
            back = page.get_by_test_id("back-to-report")
            expect(back).to_have_attribute("href", re.compile(rf"^/report/\?first=2026&last=2026&town={town}$"))
            if size == "phone":
                found = page.evaluate(MEASURE)
                assert found["scrollWidth"] <= PHONE["width"], (link, found["scrollWidth"])
                assert found["small"] == [], (link, found)
            screenshot(page, f"{size}-report-list-{area}-{path.strip('/').replace('/', '-') or 'home'}")
        assert seen
        back.click()
        page.wait_for_url(re.compile(r"/report/\?"))
        expect(page.get_by_test_id(f"section-{area}")).to_be_visible()
        assert errors == []
    finally:
        context.close()
