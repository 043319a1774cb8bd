"""Browser journeys of typed input (issue 12, items 9 and 10): the savings calculator fills the estimate
without reloading (chosen attachments stay), a too-large file is refused before sending, a double
click on "save" makes one draft, and a bad theory mark keeps the sheet as typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from core import clock
from models import db
from models.proposals import Proposal
from tests.e2e.conftest import login_through_form, screenshot
from tests.factories import PASSWORD
from tests.factories_competitions import competition_in_scoring
from tests.factories_proposals import SUBMIT_TIME, CampaignFactory

pytestmark = pytest.mark.e2e


def fill_proposal(page):
    page.get_by_label("类别").select_option(label="小革新")
    page.get_by_label("标题").fill("鞋面针车断线自动报警器")
    page.get_by_label("改进前单位用量").fill("１.２")
    page.get_by_label("改进后单位用量").fill("1.0")
    page.get_by_label("单价（元）").fill("15")
    page.get_by_label("年产量").fill("100,000")
    page.get_by_label("实施成本（元）").fill("20000.005")


def test_calculator_keeps_files_and_a_double_click_saves_once(page, world):
    campaign = CampaignFactory()
    clock.set_now(SUBMIT_TIME)
    try:
        login_through_form(page, world.worker_a.username, PASSWORD)
        page.goto(f"/proposals/new/{campaign.id}")
        fill_proposal(page)
        page.get_by_label(re.compile("附件")).set_input_files(
            {"name": "图纸.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 drawing"})
        url = page.url
        page.get_by_role("button", name="按测算填入节约额").click()
        assert "请填写全部五项数字" in page.get_by_test_id("savings-live").inner_text()  # 3 decimals of yuan
        page.get_by_label("实施成本（元）").fill("20000")
        page.get_by_role("button", name="按测算填入节约额").click()
        assert page.get_by_label("预计年节约额（元）").input_value() == "280000.00"
        assert page.url == url
        assert page.evaluate("document.querySelector('input[type=file]').files.length") == 1
        screenshot(page, "typed-input-calculator-desktop")
        page.get_by_role("button", name="保存草稿").dblclick()
        page.wait_for_url(re.compile(r"/proposals/\d+$"))
        db.session.expire_all()
        assert db.session.scalar(select(func.count(Proposal.id))) == 1
        proposal = db.session.scalar(select(Proposal))
        assert str(proposal.estimated_savings) == "280000.00" and len(proposal.attachments) == 1
    finally:
        clock.set_now(None)


def test_a_too_large_file_is_refused_before_sending(page, world, app):
    campaign = CampaignFactory()
    clock.set_now(SUBMIT_TIME)
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        login_through_form(page, world.worker_a.username, PASSWORD)
        page.goto(f"/proposals/new/{campaign.id}")
        fill_proposal(page)
        page.get_by_label("实施成本（元）").fill("20000")
        assert int(page.evaluate("Number(document.body.dataset.maxUpload)")) == app.config["MAX_CONTENT_LENGTH"]
        # The same check with a small limit (sending 20 MB through the test browser is slow).
        page.evaluate("document.body.dataset.maxUpload = '4096'")
        size = 4097
        page.get_by_label(re.compile("附件")).set_input_files(
            {"name": "大图.pdf", "mimeType": "application/pdf", "buffer": b"x" * size})
        url = page.url
        page.get_by_role("button", name="保存草稿").click()
        assert "超过了" in page.locator("[data-upload-error]").inner_text()
        assert page.url == url and page.get_by_label("标题").input_value() == "鞋面针车断线自动报警器"
        screenshot(page, "typed-input-too-large-phone")
        db.session.expire_all()
        assert db.session.scalar(select(func.count(Proposal.id))) == 0
    finally:
        clock.set_now(None)


def test_a_bad_theory_mark_keeps_the_sheet(page, world):
    competition, entries, _judges = competition_in_scoring(competitors=3, judges=0)
    db.session.commit()
    login_through_form(page, world.admin.username, PASSWORD)
    page.goto(f"/competitions/{competition.id}/scores")
    marks = ["88.5", "75.555", "９０"]
    for entry, mark in zip(entries, marks, strict=True):
        page.locator(f"#theory_{entry.id}").fill(mark)
    page.get_by_role("button", name="保存理论成绩").click()
    expect(page.get_by_test_id("cell-error")).to_contain_text("最多 2 位小数")  # the sheet came back
    assert [page.locator(f"#theory_{e.id}").input_value() for e in entries] == marks
    screenshot(page, "typed-input-theory-sheet-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "typed-input-theory-sheet-phone")
