"""Documents in the browser, on a phone (390 x 844) and at the desk: the admin revokes a competition
certificate with a reason and a confirmation; its holder's page offers no download any more, WeChat's
browser gets the hint to open the page in the phone's browser; the public check answers 已撤销 with the date
for the code typed with a Chinese input method."""

import pytest
from playwright.sync_api import expect

from models import db
from tests.e2e.conftest import login_through_form, screenshot
from tests.factories import PASSWORD
from tests.factories_competitions import scenario

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
WECHAT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2f) NetType/WIFI Language/zh_CN")


def test_revoke_then_verify_on_a_phone_and_at_the_desk(browser, live_server, page, world):
    s = scenario(world)
    s["certificate"].code = "K7Q4M9XP3RTW"
    db.session.commit()
    final_id = s["final"].id

    # The holder, inside WeChat on a phone: the certificate, its code in groups and the hint.
    phone = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE, user_agent=WECHAT)
    holder = phone.new_page()
    login_through_form(holder, world.worker_b.username, PASSWORD)
    holder.goto(f"/competitions/{final_id}")
    expect(holder.get_by_test_id("wechat-hint").first).to_be_visible()
    expect(holder.get_by_text("K7Q4-M9XP-3RTW")).to_be_visible()
    expect(holder.get_by_role("link", name="下载证书（PDF）")).to_be_visible()
    screenshot(holder, "documents-holder-wechat-390")

    # The admin on a phone: the certificates of the competition, the revocation form.
    page.set_viewport_size(PHONE)
    login_through_form(page, world.admin.username, PASSWORD)
    page.goto(f"/competitions/{final_id}")
    page.get_by_role("link", name="证书", exact=True).click()
    screenshot(page, "documents-certificates-390")
    page.get_by_role("link", name="撤销").click()
    page.get_by_label("撤销理由").fill("赛后复核发现作品系他人代做")
    page.get_by_role("button", name="撤销证书").click()
    # Nothing happens without the confirmation: said beside the box and in the summary at the top.
    expect(page.get_by_test_id("revoke-form").get_by_text("请勾选确认")).to_be_visible()
    expect(page.get_by_test_id("error-summary").get_by_role("link", name="请勾选确认", exact=False)).to_be_visible()
    page.get_by_label("我确认撤销这张证书", exact=False).check()
    screenshot(page, "documents-revoke-390")
    page.get_by_role("button", name="撤销证书").click()
    expect(page.get_by_text("证书已撤销")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "documents-certificates-desktop")

    # The holder's page: no download any more, it says when the certificate was revoked.
    holder.reload()
    expect(holder.get_by_test_id("certificate-revoked")).to_be_visible()
    expect(holder.get_by_role("link", name="下载证书（PDF）")).to_have_count(0)
    screenshot(holder, "documents-holder-revoked-390")
    phone.close()

    # Anyone: the public check, typed in full-width characters with a Chinese input method.
    page.goto("/verify")
    page.get_by_label("验证码或证书编号").fill("ｋ７ｑ４－ｍ９ｘｐ－３ｒｔｗ")
    page.get_by_role("button", name="验证").click()
    assert page.get_by_test_id("verify-status").get_attribute("data-status") == "revoked"
    expect(page.get_by_text("撤销，不再有效")).to_be_visible()
    screenshot(page, "documents-verify-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "documents-verify-390")
    assert world.worker_b.phone not in page.content()
