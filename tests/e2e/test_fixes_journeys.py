"""Browser checks at 390 x 844 (a phone) of the fresh-user tryout's fixes: a refused form shows its
error where the user looks (a summary at the top, focused, whose links bring the field into view above
the worker's bottom tab bar); cards put the title first and the action last."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core import clock
from tests.e2e.conftest import login_through_form, screenshot
from tests.factories import PASSWORD, WorkerFactory
from tests.factories_proposals import JUDGE_TIME, SUBMIT_TIME, CampaignFactory, ProposalFactory, assign

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}

VISIBLE = """(selector) => { const el = document.querySelector(selector); const r = el.getBoundingClientRect();
  const bar = document.querySelector('.tab-bar'); const limit = bar ? bar.getBoundingClientRect().top : innerHeight;
  return {top: r.top, bottom: r.bottom, limit: limit, focused: document.activeElement === el}; }"""


def test_a_refused_pledge_is_seen_on_the_phone_and_leads_to_the_checkbox(page, world):
    proposal = ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_a, status="draft")
    clock.set_now(SUBMIT_TIME)
    try:
        page.set_viewport_size(PHONE)
        login_through_form(page, world.worker_a.username, PASSWORD)
        page.goto(f"/proposals/{proposal.id}")
        page.get_by_role("button", name="提交提案").click()
        page.wait_for_selector("[data-error-summary]")
        # the page's script focuses the summary once it has run (under load, after the element appears)
        # (polled from here: wait_for_function evaluates its predicate with eval, which the CSP forbids)
        for _ in range(100):
            if page.evaluate("document.activeElement && document.activeElement.matches('[data-error-summary]')"):
                break
            page.wait_for_timeout(100)
        summary = page.evaluate(VISIBLE, "[data-error-summary]")
        assert summary["focused"] and summary["top"] >= -1 and summary["bottom"] <= summary["limit"], summary
        screenshot(page, "fixes-phone-pledge-summary")
        page.locator("[data-error-summary] a[href='#pledge']").click()
        pledge = page.evaluate(VISIBLE, "#pledge")
        assert pledge["focused"] and pledge["top"] >= -1 and pledge["bottom"] <= pledge["limit"], pledge
        # The page's end is never under the tab bar: the last element of the page clears it.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        end = page.evaluate(VISIBLE, "footer")
        assert end["bottom"] <= end["limit"], end
        screenshot(page, "fixes-phone-pledge-field")
    finally:
        clock.set_now(None)


def test_the_scoring_confirm_comes_only_after_the_range_check(page, world):
    """A mark of 11 is refused beside its field before any "submit?" dialog; a valid sheet asks once."""
    campaign = CampaignFactory()
    proposal = ProposalFactory(campaign=campaign, proposer=WorkerFactory(enterprise=world.enterprise_a),
                               status="valid")
    assign(proposal, world.judge)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    clock.set_now(JUDGE_TIME)
    try:
        page.set_viewport_size(PHONE)
        login_through_form(page, world.judge.username, PASSWORD)
        page.goto(f"/proposals/review/{proposal.id}")
        inputs = page.locator("input.mark-input")
        for n in range(inputs.count()):
            inputs.nth(n).fill("8")
        inputs.nth(1).fill("11")
        page.get_by_role("button", name="提交评分").click()
        feedback = page.locator("[data-client-error]")
        expect(feedback).to_have_text("每项分数应为 0 到 10 的整数。")
        assert dialogs == []
        assert page.evaluate("document.activeElement.classList.contains('mark-input')")
        screenshot(page, "fixes-phone-mark-range")
        inputs.nth(1).fill("9")
        page.get_by_role("button", name="提交评分").click()
        page.wait_for_timeout(300)
        assert dialogs == ["提交后不能再修改，确定提交？"]  # dismissed: nothing sent
    finally:
        clock.set_now(None)


def test_a_queue_card_leads_with_its_title_and_ends_with_its_button_and_the_filter_shows_its_state(page, world):
    campaign = CampaignFactory()
    proposal = ProposalFactory(campaign=campaign, proposer=WorkerFactory(enterprise=world.enterprise_a),
                               status="valid", title="针车断线自动报警器")
    assign(proposal, world.judge)
    clock.set_now(JUDGE_TIME)
    try:
        page.set_viewport_size(PHONE)
        login_through_form(page, world.judge.username, PASSWORD)
        page.goto("/proposals/review?pending=1")
        row = page.get_by_test_id("queue").locator("tbody tr").first
        title = row.get_by_role("link", name="针车断线自动报警器").bounding_box()
        button = row.get_by_role("link", name="评分").bounding_box()
        card = row.bounding_box()
        assert title["y"] < button["y"] and button["y"] + button["height"] >= card["y"] + card["height"] - 20
        active = page.get_by_test_id("queue-filter").locator(".nav-link.active")
        expect(active).to_have_text("只看未提交")
        screenshot(page, "fixes-phone-review-queue")
    finally:
        clock.set_now(None)
