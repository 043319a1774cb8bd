"""Browser journey of the report's mentoring and training drill-down on a phone (390x844): an admin follows a
training figure and a mentoring figure of a town from the report to the lists behind them, which fit the
phone (cards, no overflow, 44 px targets), say what they show, and export to Excel."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_through_form, open_tab, screenshot
from tests.e2e.test_phone_layout import MEASURE, PHONE
from tests.factories import PASSWORD
from tests.views import test_report_drill_mentoring as mentoring
from tests.views import test_report_drill_training as training

pytestmark = pytest.mark.e2e


def fits_the_phone(page, name: str) -> None:
    found = page.evaluate(MEASURE)
    assert found["scrollWidth"] <= PHONE["width"], (name, found["scrollWidth"])
    assert found["narrow"] == [] and found["small"] == [], (name, found)
    screenshot(page, f"phone-drill-{name}")


def test_an_admin_drills_into_training_and_mentoring_figures_on_a_phone(browser, live_server, world):
    training.build(world)
    mentoring.build(world)
    town = world.enterprise_b.town
    page = open_tab(browser, live_server, PHONE, mobile=True, timeout=20_000)
    context, errors = page.context, page.console_errors
    try:
        login_through_form(page, world.admin.username, PASSWORD)
        page.wait_for_url(re.compile(r"/$"))
        records = "/training/report-records"  # upgraded: also the mentored apprentice's certificate
        for key, path, count in (("attendances", records, 2), ("upgraded", records, 3), ("money.union", records, 1),
                                 ("formed", "/mentorship/pairs", 2)):
            page.goto(f"/report/?town={town.id}&first=2026")
            if key.startswith("money."):  # a breakdown's table sits under its chart, folded
                page.get_by_test_id("breakdown-training-money").locator("summary").click()
            page.locator(f"a[href^='{path}'][data-testid='drill-{key}-2026']").click()
            page.wait_for_url(re.compile(rf"{path}\?.*figure={re.escape(key)}"))
            expect(page.get_by_test_id("report-filter")).to_contain_text(f"2026 · {town.label}")
            expect(page.get_by_test_id("filter-status")).to_have_count(0)  # the report's arguments: stated
            expect(page.get_by_test_id("row-count")).to_contain_text(f"共 {count} 条")
            back = page.get_by_test_id("back-to-report")
            expect(back).to_have_attribute("href", re.compile(rf"first=2026.*last=2026.*town={town.id}"))
            rows = page.locator("[data-testid=records-table] tbody tr[data-record-id], "
                                "[data-testid=pair-table] tbody tr")
            expect(rows).to_have_count(count)
            fits_the_phone(page, key)
        page.goto(f"/training/report-records?figure=attendances&year=2026&town={town.id}")
        with page.expect_download() as download:
            page.get_by_role("button", name="导出本列表 Excel").click()
        assert download.value.suggested_filename.startswith("training-attendances-")
        assert errors == []
    finally:
        context.close()
