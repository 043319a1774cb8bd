"""Training completion in the browser: the owner (enterprise B's HR) records the assessments at the desk and
on a phone, finishes the programme; the worker opens their certificate on a phone (390 x 844), served
inline; the public check of its code says valid."""

import pytest
from playwright.sync_api import expect

from models import db
from services.common import verification
from tests.e2e.conftest import login_through_form, screenshot
from tests.factories import PASSWORD
from tests.training_completion_scene import ready_programme

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def test_owner_assesses_and_finishes_then_the_worker_opens_and_verifies(browser, live_server, page, world):
    scene = ready_programme(world)
    programme_id, full_id = scene["programme"].id, scene["full"].id

    # The owner at the desk: both trainees, their hours; the assessment of each, one score refused.
    login_through_form(page, world.hr_b.username, PASSWORD)
    page.goto(f"/training/programmes/{programme_id}/completion")
    expect(page.get_by_test_id("completion-rule")).to_contain_text("80%")
    full_row = page.locator(f'[data-testid="enrolment-row"][data-worker="{world.worker_b.name}"]')
    half_row = page.locator(f'[data-testid="enrolment-row"][data-worker="{world.judge.name}"]')
    expect(full_row).to_contain_text("8.0 / 8.0 学时")
    expect(full_row).to_contain_text("结业需 6.4")
    full_row.get_by_label("通过", exact=True).check()
    full_row.get_by_label("成绩").fill("95")
    full_row.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已保存 {world.worker_b.name} 的考核结果")).to_be_visible()
    half_row.get_by_label("通过", exact=True).check()
    half_row.get_by_label("成绩").fill("120")
    half_row.get_by_role("button", name="保存").click()
    expect(page.get_by_text("考核成绩应在 0 到 100 之间")).to_be_visible()
    expect(full_row.get_by_test_id("assessment-state")).to_have_text("考核通过")
    expect(half_row.get_by_test_id("assessment-state")).to_have_text("待考核")
    screenshot(page, "training-completion-desktop")

    # On a phone the rows are cards; the owner finishes there.
    page.set_viewport_size(PHONE)
    half_row.get_by_label("未通过", exact=True).check()
    half_row.get_by_label("成绩").fill("58")
    half_row.get_by_role("button", name="保存").click()
    screenshot(page, "training-completion-390")
    page.get_by_test_id("finish").click()
    expect(page.get_by_text("1 人结业并获得证书，1 人未结业")).to_be_visible()
    expect(full_row.get_by_test_id("outcome")).to_contain_text("已结业")
    expect(half_row.get_by_test_id("outcome")).to_contain_text("学时不足")
    screenshot(page, "training-completion-finished-390")

    db.session.expire_all()
    code = verification.grouped(db.session.get(type(scene["full"]), full_id).certificate_code)

    # The worker on a phone: 我的培训结业, the certificate served inline.
    phone = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE)
    holder = phone.new_page()
    login_through_form(holder, world.worker_b.username, PASSWORD)
    holder.goto("/training/my-certificates")
    expect(holder.get_by_test_id("my-certificate")).to_contain_text(code)
    screenshot(holder, "training-my-certificates-390")
    link = holder.get_by_test_id("certificate-link")
    response = holder.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    holder.goto(f"/titles/growth/{world.worker_b.id}")
    expect(holder.get_by_test_id("timeline-certificate-link")).to_be_visible()
    screenshot(holder, "training-growth-390")

    # Anyone: the public check of the printed code says valid.
    holder.goto(f"/verify?code={code}")
    assert holder.get_by_test_id("verify-status").get_attribute("data-status") == "valid"
    expect(holder.get_by_text("培训结业证书")).to_be_visible()
    screenshot(holder, "training-verify-390")
    phone.close()
