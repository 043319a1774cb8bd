"""Phone-first pages, measured in a real browser on the demo data (demo.seed_demo): each role's key pages
at 390 x 844 (a phone) and at 1280 x 800 (a desk).

On the phone: nothing wider than the viewport, no list or table cell narrower than two characters, every
tap target at least 44 px high, the navigation collapsed behind its menu button, the account menu apart
from the sections, and the worker's bottom tab bar (with the current tab marked) that never covers the
page. At the desk: lists are tables again and the sections are in the bar.

Allowed below 44 px, on purpose: plain text links inside running text (a paragraph, a definition, a small
note or a form's help text), which are read rather than tapped as controls (but not a paragraph of links
used as actions, .link-row: 返回…, 本企业全部提案); and check boxes and radio
buttons, whose 44 px row is their label (.form-check). Screenshots land in test-artifacts/phone-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from demo import DEMO_PASSWORD, seed_demo
from demo.training import town_team_leader_programme
from models import User, db
from models.competitions import Competition, CompetitionRegistration
from models.proposals import Campaign, JudgeAssignment
from services.competitions import judging as competition_judging
from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}

# Runs in the page: what the phone rules measure, as lists of offenders (empty means all is well).
MEASURE = """() => {
  const shown = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const name = (el) => (el.innerText || el.value || el.getAttribute('aria-label') || el.tagName).trim().slice(0, 40);
  const out = {scrollWidth: document.scrollingElement.scrollWidth, narrow: [], small: []};
  for (const cell of document.querySelectorAll('main td, main th, main .list-group-item')) {
    if (!shown(cell) || !cell.innerText.trim()) continue;
    const head = cell.closest('thead');
    if (head && head.getBoundingClientRect().width <= 1) continue;  // the clipped header of a card list
    const font = parseFloat(getComputedStyle(cell).fontSize);
    if (cell.getBoundingClientRect().width < 2 * font) out.narrow.push(name(cell));
  }
  const targets = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(targets)) {
    if (!shown(el) || el.type === 'checkbox' || el.type === 'radio') continue;
    const inText = el.tagName === 'A' && !el.classList.contains('btn') && !el.closest('.link-row')
      && el.closest('p, dd, small, .form-text');
    if (inText) continue;
    const h = el.getBoundingClientRect().height;
    if (h < 44) out.small.push(name(el) + ' ' + Math.round(h) + 'px');
  }
  return out;
}"""


@pytest.fixture
def demo():
    """The demo data, and the ids of the pages it makes worth visiting."""
    seed_demo()
    db.session.commit()
    judge = db.session.scalar(select(User).where(User.username == "judge"))
    by_status = {c.status: c.id for c in db.session.scalars(select(Competition).order_by(Competition.id))}
    scoring = db.session.get(Competition, by_status["scoring"])
    queue = db.session.scalars(competition_judging.judge_queue_stmt(judge, scoring).limit(1)).all()  # entry ids
    pending = db.session.scalar(select(JudgeAssignment.proposal_id).where(
        JudgeAssignment.judge_id == judge.id, JudgeAssignment.submitted_at.is_(None)))
    published = db.session.scalar(select(Campaign.id).where(Campaign.status == "published"))
    open_id = by_status["open"]
    assert queue and pending and published
    entries = select(CompetitionRegistration.id).where(CompetitionRegistration.competition_id == open_id)
    assert db.session.scalar(entries)
    training = f"/training/{town_team_leader_programme().id}"
    return {
        "worker": ["/", "/proposals/", "/proposals/list?mine=1", "/competitions/", "/competitions/mine",
                   f"/competitions/{by_status['final']}", "/titles/growth", "/mentorship/", "/messages/",
                   "/training/", "/training/mine", training],
        "judge": ["/", "/proposals/review", f"/proposals/review/{pending}", "/competitions/judging",
                  f"/competitions/{scoring.id}/judge", f"/competitions/{scoring.id}/judge/{queue[0]}"],
        "hr_a": ["/", "/proposals/list", "/workers/", "/mentorship/pairs",
                 f"/competitions/{open_id}/registrations", "/titles/", "/competitions/promotions",
                 "/training/manage", training],
        "admin": ["/", "/admin/users", "/admin/enterprises", "/admin/audit",
                  f"/proposals/campaigns/{published}/results", f"/competitions/{by_status['final']}",
                  "/titles/", "/mentorship/", "/proposals/campaigns", "/report/"],
        # the competition in scoring is the demo town's own: its officer runs the score sheet
        "town": ["/", f"/competitions/{scoring.id}/scores", "/workers/", "/mentorship/pairs", "/report/"],
    }


def _visit(page, path: str):
    response = page.goto(path)
    assert response.status == 200, (path, response.status)


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "-").replace("?", "-").replace("=", "") or "home"


@pytest.mark.parametrize("username", ["worker", "judge", "hr_a", "admin", "town"])
def test_key_pages_fit_the_phone_and_the_desk(page, demo, username):
    page.set_viewport_size(PHONE)
    login_through_form(page, username, DEMO_PASSWORD)
    page.wait_for_url("**/")
    worker_only = username == "worker"
    for path in demo[username]:
        _visit(page, path)
        found = page.evaluate(MEASURE)
        assert found["scrollWidth"] <= PHONE["width"], (path, found["scrollWidth"])
        assert found["narrow"] == [], (path, found["narrow"])
        assert found["small"] == [], (path, found["small"])
        # The sections hide behind the menu button; the account menu stays in the bar, closed.
        expect(page.get_by_test_id("nav-sections")).to_be_hidden()
        expect(page.get_by_test_id("nav-toggler")).to_be_visible()
        expect(page.get_by_role("button", name="退出登录")).to_be_hidden()
        tab_bar = page.get_by_test_id("tab-bar")
        if worker_only:
            expect(tab_bar).to_be_visible()
            room = page.evaluate("parseFloat(getComputedStyle(document.body).paddingBottom)")
            assert room >= tab_bar.bounding_box()["height"], (path, room)  # the bar never covers the page
        else:
            assert tab_bar.count() == 0
        screenshot(page, f"phone-{username}-{_slug(path)}-390")
        expect(page.get_by_test_id("account-menu").locator("text=退出登录")).to_have_count(1)

    # The menu button opens the sections; the account menu holds profile, messages, language, log out.
    page.get_by_test_id("nav-toggler").click()
    expect(page.get_by_test_id("nav-sections").get_by_role("link", name="技能竞赛")).to_be_visible()
    assert "退出登录" not in page.get_by_test_id("nav-sections").inner_text()
    page.get_by_test_id("account-menu").locator("summary").click()
    menu = page.get_by_test_id("account-menu")
    for label in ("个人资料", "English", "退出登录"):
        expect(menu.get_by_text(label, exact=True).first).to_be_visible()
    expect(menu.get_by_test_id("messages-link")).to_be_visible()  # "消息", with its unread badge when there are any
    screenshot(page, f"phone-{username}-menus-390")
    assert not page.console_errors, page.console_errors

    page.set_viewport_size(DESK)
    for path in demo[username]:
        _visit(page, path)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= DESK["width"], path
        expect(page.get_by_test_id("nav-sections")).to_be_visible()
        expect(page.get_by_test_id("nav-toggler")).to_be_hidden()
        assert page.get_by_test_id("tab-bar").count() == 0 or not page.get_by_test_id("tab-bar").is_visible()
        for table in page.locator("main table.table-cards").all():
            if table.is_visible():  # a desk shows the lists as tables, headers and all
                assert table.evaluate("t => getComputedStyle(t).display") == "table", path
                assert table.locator("thead th").first.bounding_box()["height"] > 10, path
        screenshot(page, f"phone-{username}-{_slug(path)}-1280")


def test_links_used_as_actions_are_tap_targets_on_the_phone(page, demo):
    """Tryout: 本企业全部提案 was 19 px high; a link in a .link-row is at least 44 px tall on the phone."""
    page.set_viewport_size(PHONE)
    login_through_form(page, "hr_a", DEMO_PASSWORD)
    page.wait_for_url("**/")
    link = page.get_by_test_id("home-hr-proposals").get_by_role("link", name="本企业全部提案")
    assert link.bounding_box()["height"] >= 44
    page.set_viewport_size(DESK)  # at the desk the links stay text
    assert link.bounding_box()["height"] < 44


def test_the_worker_tab_bar_marks_where_they_are(page, demo):
    page.set_viewport_size(PHONE)
    login_through_form(page, "worker", DEMO_PASSWORD)
    page.wait_for_url("**/")
    tabs = page.get_by_test_id("tab-bar")
    expected = {"/": "首页", "/proposals/list?mine=1": "五小", "/competitions/mine": "竞赛", "/training/mine": "培训",
                "/titles/growth": "档案", "/mentorship/": "档案"}
    for path, tab in expected.items():
        _visit(page, path)
        current = tabs.locator("[aria-current=page]")
        assert current.count() == 1 and current.inner_text() == tab, path
    tabs.get_by_role("link", name="竞赛").click()
    page.wait_for_url("**/competitions/")
    assert tabs.locator("[aria-current=page]").inner_text() == "竞赛"


def test_the_menus_open_without_javascript(browser, live_server, world):
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login_through_form(page, world.worker_a.username, PASSWORD)
        page.wait_for_url("**/")
        sections = page.get_by_test_id("nav-sections")
        expect(sections).to_be_hidden()
        page.get_by_test_id("nav-toggler").click()  # a link to #nav-sections, shown while it is the target
        expect(sections.get_by_role("link", name="五小创新")).to_be_visible()
        page.get_by_test_id("account-menu").locator("summary").click()  # a <details>
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_url("**/login")
    finally:
        context.close()


def test_the_organisers_training_pages_fit_the_phone(page, demo):
    """Tryout: the town programme's page was 6,354 px tall on the phone (four full-width buttons a class, 签到
    on past and future classes); the sign-in board and the attendance list had no way back. Now 签到 is
    offered for the class signing in now only, a class card is short, both pages lead back; the worker's
    refused-scan page has a 44 px way on."""
    from demo.training_attendance import TODAY

    programme = town_team_leader_programme()
    current = next(c for c in programme.classes if c.title == TODAY)
    page.set_viewport_size(PHONE)
    login_through_form(page, "town", DEMO_PASSWORD)
    page.wait_for_url("**/")
    for path in (f"/training/{programme.id}", f"/training/classes/{current.id}/signin",
                 f"/training/classes/{current.id}/attendance"):
        _visit(page, path)
        found = page.evaluate(MEASURE)
        assert found["scrollWidth"] <= PHONE["width"] and found["small"] == [], (path, found)
        screenshot(page, f"phone-town-{_slug(path)}-390")
        if path != f"/training/{programme.id}":
            page.get_by_test_id("back-to-programme").get_by_role("link").click()
            page.wait_for_url(f"**/training/{programme.id}#classes")
            continue
        signin = page.locator("[data-testid^=signin-board-].btn-primary")
        assert signin.count() == 1 and signin.get_attribute("data-testid") == f"signin-board-{current.id}"
        cards = page.get_by_test_id("classes").locator("tbody > tr")
        heights = [card.bounding_box()["height"] for card in cards.all()]
        assert len(heights) == 5 and max(heights) < 420, heights
        badge = page.get_by_test_id("enrolment-open")
        assert badge.count() == 0 or float(badge.evaluate("b => parseFloat(getComputedStyle(b).fontSize)")) >= 12
    logout(page)
    login_through_form(page, "worker", DEMO_PASSWORD)
    page.wait_for_url("**/")
    assert page.goto(f"/training/signin/{current.id}/stalecode00").status == 400  # refused, with a way on
    expect(page.get_by_test_id("signin-refused")).to_be_visible()
    assert page.evaluate(MEASURE)["small"] == []
    screenshot(page, "phone-worker-signin-refused-390")
