"""Browser journey of the yearly report (issue 16) on a phone (390x844) and a desktop: an admin opens the
report, filters a town and a span of years, sees the figures with their charts, and starts the Excel export,
whose background job finishes on its progress page with the file to download."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from models import db
from tests.e2e.conftest import login_through_form, open_tab, screenshot
from tests.e2e.test_phone_layout import MEASURE
from tests.factories import PASSWORD
from tests.factories_proposals import CampaignFactory, ProposalFactory

pytestmark = pytest.mark.e2e

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
Y2026 = datetime(2026, 5, 10, 2, tzinfo=UTC)
Y2025 = datetime(2025, 3, 10, 2, tzinfo=UTC)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_an_admin_filters_a_town_and_a_span_and_exports_the_report(browser, live_server, world, size):
    campaign = CampaignFactory()
    for status, at in (("valid", Y2026), ("submitted", Y2026), ("valid", Y2025)):
        ProposalFactory(campaign=campaign, proposer=world.worker_b, status=status, submitted_at=at)
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid", submitted_at=Y2026)  # another town
    db.session.commit()
    town = world.enterprise_b.town
    page = open_tab(browser, live_server, VIEWPORTS[size], mobile=size == "phone", timeout=20_000)
    context, errors = page.context, page.console_errors
    try:
        login_through_form(page, world.admin.username, PASSWORD)
        page.wait_for_url(re.compile(r"/$"))
        page.goto("/report/")
        expect(page.get_by_test_id("report-scope")).to_have_text("全市")

        page.select_option("#town", str(town.id))
        page.get_by_label("开始年份").fill("2025")
        page.get_by_label("结束年份").fill("2026")
        page.get_by_role("button", name="查看").click()
        page.wait_for_url(re.compile(r"/report/\?.*town="))
        expect(page.get_by_test_id("report-scope")).to_have_text(str(town.label))
        expect(page.get_by_test_id("report-span")).to_have_text("2025–2026")
        collected = page.get_by_test_id("figure-five_small-collected")
        expect(collected.locator("[data-year='2026']")).to_have_text("2")
        expect(collected.locator("[data-year='2025']")).to_have_text("1")
        expect(collected.get_by_test_id("total")).to_have_text("3")
        assert page.locator("img[src^='/report/chart/']").count() >= 3  # the charts, drawn on the server
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[size]["width"] + 1, f"the report overflows the {size} viewport ({width}px)"
        screenshot(page, f"report-town-{size}")

        # the people over the span drill down to the proposals they are counted from, with their authors
        page.get_by_test_id("figure-five_small-people").get_by_test_id("drill-people-total").click()
        page.wait_for_url(re.compile(r"/proposals/list\?.*stage=people"))
        expect(page.get_by_test_id("report-summary")).to_have_text("共 3 件提案，作者 3 人次、1 人（去重）")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[size]["width"] + 1, f"the drilled list overflows the {size} viewport ({width}px)"
        screenshot(page, f"report-drill-people-{size}")
        page.go_back()

        page.get_by_role("button", name="导出 Excel（后台生成）").click()
        page.wait_for_url(re.compile(r"/jobs/\d+$"))
        download = page.get_by_role("link", name=re.compile(r"下载 统计报告-.+-2025-2026\.xlsx"))
        expect(download).to_be_visible()  # the job finished (the page follows its progress)
        expect(page.locator("[data-job-label]")).to_have_text("已完成")
        screenshot(page, f"report-export-done-{size}")
        assert errors == []
    finally:
        context.close()


# The five-year report (2022-2026) of the test's data at 390 x 844 is 20,068 px tall with one card per figure
# and a line per year, 12,200 px with the compact cards (years three a line, 同比 and 合计 on one line).
PHONE_HEIGHT = 14_000
# Runs in the page: the elements reaching past the viewport's right edge (a clipped table header aside).
TOO_WIDE = """() => { const width = document.documentElement.clientWidth; const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || el.closest('thead')) continue;
    if (r.right > width + 1 || r.left < -1) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
  }
  return out; }"""


def test_a_five_year_report_is_compact_on_a_phone(browser, live_server, world):
    """A trial on a phone: a five-year report was very long, each figure a tall card with a line per year.
    Now a figure's years are compact pairs three a line (each still saying its year and linking to its
    list), 同比 and 合计 on one line, a series' data table a two-column list; nothing is wider than the phone,
    data tables open or closed, and every value keeps its year's label."""
    campaign = CampaignFactory()
    for year in range(2022, 2027):
        for _n in range(year - 2021):
            ProposalFactory(campaign=campaign, proposer=world.worker_b, status="valid",
                            submitted_at=datetime(year, 4, 10, 2, tzinfo=UTC))
        ProposalFactory(campaign=campaign, proposer=world.worker_a, status="submitted",
                        submitted_at=datetime(year, 6, 10, 2, tzinfo=UTC))
    db.session.commit()
    phone = VIEWPORTS["phone"]
    page = open_tab(browser, live_server, phone, mobile=True, timeout=20_000)
    context = page.context
    try:
        login_through_form(page, world.admin.username, PASSWORD)
        page.wait_for_url(re.compile(r"/$"))
        page.goto("/report/?first=2022&last=2026")
        expect(page.get_by_test_id("report-span")).to_have_text("2022–2026")
        collected = page.get_by_test_id("figure-five_small-collected")
        expect(collected.locator("[data-year='2024']")).to_have_text("4")
        label = collected.locator("[data-year='2024']").evaluate("td => getComputedStyle(td, '::before').content")
        assert "2024" in label  # each value shows its year
        expect(collected.get_by_test_id("drill-collected-2022")).to_be_visible()
        height = page.evaluate("document.documentElement.scrollHeight")
        screenshot(page, "report-five-years-phone")
        assert height < PHONE_HEIGHT, f"the five-year report is {height}px tall on a phone"
        # the years three a line, 同比 and 合计 together on the line under them
        tops = [round(cell.bounding_box()["y"]) for cell in collected.locator("td:not(.cell-primary)").all()]
        assert len(set(tops)) == 3 and tops[-1] == tops[-2] > tops[4], tops
        money = page.get_by_test_id("figure-five_small-estimated_savings")  # two a line
        tops = [round(cell.bounding_box()["y"]) for cell in money.locator("td:not(.cell-primary)").all()]
        assert len(set(tops)) == 4 and tops[-1] == tops[-2] > tops[4] and tops[0] == tops[1], tops
        assert page.evaluate(TOO_WIDE) == []
        found = page.evaluate(MEASURE)  # the phone rules: no squeezed cell, every tap target 44 px high
        assert found["narrow"] == [] and found["small"] == [], found
        page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
        assert page.evaluate(TOO_WIDE) == []
        found = page.evaluate(MEASURE)
        assert found["narrow"] == [] and found["small"] == [], found
        first_row = page.get_by_test_id("series-collected_by_month").locator("tbody tr").first
        assert first_row.bounding_box()["height"] <= 48  # a line of the list, not a card
        screenshot(page, "report-five-years-phone-tables")
    finally:
        context.close()
