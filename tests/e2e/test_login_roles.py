"""Journey: each role logs in through the real login form and lands on its own home page."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

HOME_SECTION = {
    "worker_a": "home-worker",
    "judge": "home-judge",
    "hr_a": "home-hr",
    "hr_b": "home-hr",
    "admin": "home-admin",
}


@pytest.mark.parametrize("persona", list(HOME_SECTION))
def test_each_role_logs_in_and_sees_its_home(page, world, persona):
    user = world.persona(persona)
    identifier = user.phone if persona == "worker_a" else user.username  # phone and username both work
    login_through_form(page, identifier, PASSWORD)
    page.wait_for_url("**/")
    assert page.get_by_test_id("current-user").inner_text() == user.name
    expect(page.get_by_test_id(HOME_SECTION[persona])).to_be_visible()
    other_sections = set(HOME_SECTION.values()) - {HOME_SECTION[persona]}
    if persona != "judge":  # the judge of the fixtures is a judge only
        for section in other_sections:
            expect(page.get_by_test_id(section)).to_have_count(0)
    screenshot(page, f"home-{persona}")
    assert not page.console_errors, page.console_errors

    logout(page)  # the account menu, not among the sections
    page.wait_for_url("**/login")
    expect(page.get_by_text("您已安全退出")).to_be_visible()


def test_wrong_password_shows_generic_message_and_keeps_identifier(page, world):
    login_through_form(page, world.hr_a.username, "not-the-password")
    expect(page.get_by_text("账号或密码不正确")).to_be_visible()
    assert page.get_by_label("用户名或手机号").input_value() == world.hr_a.username
    screenshot(page, "login-failed")
