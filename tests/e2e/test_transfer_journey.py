"""A person changes employer, in the browser, the worker on a phone (390 x 844): HR of B adds a person
whose phone is already registered and is given a one-time code; the worker sees the to-do on their
phone, types the code, and waits for A; HR of A confirms the leave date; the worker's employment
history then shows both employers and their growth record still opens."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from core import clock
from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def test_worker_confirms_a_transfer_on_a_phone(browser, live_server, page, world):
    clock.set_now(datetime(2026, 6, 1, 2, tzinfo=UTC))
    person = world.worker_a

    # HR of B adds the person; the platform recognises the phone and name and shows the code once.
    login_through_form(page, world.hr_b.username, PASSWORD)
    page.goto("/workers/new")
    page.get_by_label("姓名", exact=True).fill(person.name)
    page.get_by_label("手机号", exact=True).fill(person.phone)
    page.get_by_label("工号", exact=True).fill("B-0501")
    page.get_by_label("工种", exact=True).select_option(str(person.trade_id))
    page.get_by_label("职业技能等级", exact=True).select_option("2")
    page.get_by_role("button", name="创建职工账号").click()
    expect(page.get_by_text("已发起调入申请，待本人确认")).to_be_visible()
    code = page.get_by_test_id("transfer-code").inner_text().strip()
    assert len(code) == 8

    # The worker, on a phone: the to-do leads to the transfer page, where the code confirms it.
    phone = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE)
    worker = phone.new_page()
    login_through_form(worker, person.username, PASSWORD)
    worker.get_by_role("link", name="待确认的调入申请").first.click()
    expect(worker.get_by_test_id("pending-transfer")).to_contain_text(world.enterprise_b.name)
    screenshot(worker, "transfer-worker-pending-390")
    worker.get_by_label("确认码").fill("WRONG234")
    worker.get_by_role("button", name="用确认码确认调入").click()
    expect(worker.locator("#code ~ .invalid-feedback")).to_contain_text("确认码不正确")
    worker.get_by_label("确认码").fill(code.lower())
    worker.get_by_role("button", name="用确认码确认调入").click()
    expect(worker.get_by_text("待原企业确认离职后生效")).to_be_visible()
    assert worker.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    screenshot(worker, "transfer-worker-confirmed-390")

    # HR of A confirms the leave date: the transfer completes.
    logout(page)
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="待答复的调出确认").first.click()
    page.get_by_role("link", name="查看").first.click()
    page.get_by_label("确认离职日期").check()
    page.get_by_label("离职日期", exact=True).fill("2026-05-31")
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_test_id("transfer-facts")).to_contain_text("已调入")

    # The worker's history shows both employers; the growth record still opens.
    worker.goto("/account/transfers")
    history = worker.get_by_test_id("employment-history")
    expect(history).to_contain_text(world.enterprise_a.name)
    expect(history).to_contain_text(world.enterprise_b.name)
    screenshot(worker, "transfer-worker-history-390")
    worker.goto("/titles/growth")
    expect(worker.get_by_role("heading").first).to_be_visible()
    phone.close()
