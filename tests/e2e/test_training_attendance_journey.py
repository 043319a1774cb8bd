"""Browser journey of training attendance (issue 15's done-means): the organiser opens a class's sign-in on
a desktop page and its QR code shows; workers on phones (390x844) open the scanned address and are signed
in; one is refused for a code that went stale (the controllable clock moves on 61 s); one not logged in is
carried through the login page and signed in two minutes later. The board's script swaps in the next code
by itself. The class assistant's board and list on a phone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core import clock
from models import db
from tests.e2e.conftest import login_through_form, screenshot
from tests.factories import PASSWORD, WorkerFactory
from tests.factories_training import ClassFactory, EnrolmentFactory, ProgrammeFactory

pytestmark = pytest.mark.e2e

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _context(browser, live_server, viewport, phone: bool):
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=viewport, is_mobile=phone)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.console_errors = errors
    return context, tab


def _scan_path(board, live_server) -> str:
    board.reload()
    url = board.get_by_test_id("scan-url").get_attribute("href")
    return url.replace(live_server, "")


def test_workers_sign_in_by_qr_on_their_phones(browser, live_server, world):
    clock.set_now(START - timedelta(days=3))
    programme = ProgrammeFactory(name="班组长现场管理培训")
    training_class = ClassFactory(programme=programme, title="第二讲 现场安全与5S", starts_at=START,
                                  ends_at=START + timedelta(hours=3), hours=Decimal("3"), assistant=world.judge)
    workers = [WorkerFactory(enterprise=world.enterprise_a, name=name) for name in ("林志强", "黄美玲", "王建国")]
    for person in [world.worker_a, *workers]:
        EnrolmentFactory(programme=programme, worker=person)
    db.session.commit()
    clock.set_now(START - timedelta(minutes=5, seconds=3))  # three seconds before the code changes
    contexts = []
    try:
        # The organiser opens sign-in on a desktop page.
        context, board = _context(browser, live_server, DESKTOP, phone=False)
        contexts.append(context)
        login_through_form(board, world.admin.username, PASSWORD)
        board.goto(f"/training/classes/{training_class.id}/signin")
        board.get_by_test_id("open-signin").click()
        expect(board.get_by_test_id("signin-qr")).to_be_visible()
        expect(board.get_by_test_id("seconds-left")).to_be_visible()
        screenshot(board, "training-signin-board-desktop")
        # The page's script swaps in the next code when the seconds run out (the server's clock moves on).
        first = board.get_by_test_id("scan-url").inner_text()
        clock.set_now(clock.now() + timedelta(seconds=30))
        expect(board.get_by_test_id("scan-url")).not_to_have_text(first, timeout=10_000)
        assert "<noscript><meta http-equiv=\"refresh\"" in board.content()

        # Two workers scan on their phones and are signed in.
        for number, person in enumerate(workers[:2]):
            context, phone = _context(browser, live_server, PHONE, phone=True)
            contexts.append(context)
            login_through_form(phone, person.username, PASSWORD)
            phone.goto(_scan_path(board, live_server))
            expect(phone.get_by_test_id("my-status")).to_have_text("出勤")
            expect(phone.locator(".alert-success")).to_contain_text("签到成功")
            if number == 0:
                screenshot(phone, "training-signin-done-phone")
                phone.goto(_scan_path(board, live_server))  # a second scan writes nothing
                expect(phone.locator(".alert-info")).to_contain_text("已经签到过")

        # A code that was already stale when scanned is refused.
        context, phone = _context(browser, live_server, PHONE, phone=True)
        contexts.append(context)
        login_through_form(phone, workers[2].username, PASSWORD)
        stale = _scan_path(board, live_server)
        clock.set_now(clock.now() + timedelta(seconds=61))
        phone.goto(stale)
        expect(phone.get_by_test_id("signin-refused")).to_contain_text("二维码已过期，请扫描屏幕上的最新二维码")
        screenshot(phone, "training-signin-stale-phone")
        phone.goto(_scan_path(board, live_server))  # the fresh code works
        expect(phone.get_by_test_id("my-status")).to_have_text("出勤")

        # Not logged in: the scan is carried through the login, two minutes later.
        context, phone = _context(browser, live_server, PHONE, phone=True)
        contexts.append(context)
        phone.goto(_scan_path(board, live_server))
        phone.wait_for_url("**/login?**")
        clock.set_now(clock.now() + timedelta(minutes=2))
        phone.get_by_label("用户名或手机号").fill(world.worker_a.username)
        phone.get_by_label("密码", exact=True).fill(PASSWORD)
        phone.get_by_role("button", name="登录").click()
        expect(phone.get_by_test_id("my-status")).to_have_text("出勤")
        screenshot(phone, "training-signin-carried-phone")

        board.reload()
        expect(board.get_by_test_id("attendance-counts")).to_contain_text("出勤 4")
        screenshot(board, "training-signin-board-after-desktop")

        # The class assistant runs the same board on a phone.
        context, assistant = _context(browser, live_server, PHONE, phone=True)
        contexts.append(context)
        login_through_form(assistant, world.judge.username, PASSWORD)
        assistant.goto(f"/training/classes/{training_class.id}/signin")
        expect(assistant.get_by_test_id("signin-qr")).to_be_visible()
        width = assistant.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
        screenshot(assistant, "training-signin-board-phone")
        assistant.goto(f"/training/classes/{training_class.id}/attendance")
        expect(assistant.get_by_test_id("roster-row")).to_have_count(4)
        screenshot(assistant, "training-attendance-list-phone")
        for tab in (board, assistant):
            assert tab.console_errors == []
    finally:
        for context in contexts:
            context.close()


def test_a_towns_team_leader_class_twenty_workers_sign_in_on_phones(browser, live_server, world):
    """Issue 15's done-means at full size: a town's team-leader programme with two classes; its officer opens
    the first class's sign-in; twenty enrolled workers scan on their phones and are signed in once each;
    one more scan, of a code that went stale, is refused."""
    clock.set_now(START - timedelta(days=3))
    town = world.enterprise_a.town
    programme = ProgrammeFactory(name="陈埭镇班组长能力提升培训", owner_level="town", owner_town_id=town.id,
                                 capacity=30)
    first = ClassFactory(programme=programme, title="第一讲 班组管理", starts_at=START,
                         ends_at=START + timedelta(hours=3), hours=Decimal("3"))
    ClassFactory(programme=programme, title="第二讲 现场安全", starts_at=START + timedelta(days=7),
                 ends_at=START + timedelta(days=7, hours=3), hours=Decimal("3"))
    workers = [WorkerFactory(enterprise=world.enterprise_a, name=f"班组长{n:02d}") for n in range(21)]
    for person in workers:
        EnrolmentFactory(programme=programme, worker=person)
    db.session.commit()
    clock.set_now(START - timedelta(minutes=5))
    contexts = []
    try:
        context, board = _context(browser, live_server, DESKTOP, phone=False)
        contexts.append(context)
        login_through_form(board, world.town_a.username, PASSWORD)
        board.goto(f"/training/classes/{first.id}/signin")
        board.get_by_test_id("open-signin").click()
        expect(board.get_by_test_id("signin-qr")).to_be_visible()
        scan = _scan_path(board, live_server)
        for person in workers[:20]:
            context, phone = _context(browser, live_server, PHONE, phone=True)
            login_through_form(phone, person.username, PASSWORD)
            phone.goto(scan)
            expect(phone.get_by_test_id("my-status")).to_have_text("出勤")
            assert phone.console_errors == []
            context.close()
        context, phone = _context(browser, live_server, PHONE, phone=True)
        contexts.append(context)
        login_through_form(phone, workers[20].username, PASSWORD)
        clock.set_now(clock.now() + timedelta(seconds=61))  # the code on the screen has changed twice since
        phone.goto(scan)
        expect(phone.get_by_test_id("signin-refused")).to_contain_text("二维码已过期")
        board.reload()
        expect(board.get_by_test_id("attendance-counts")).to_contain_text("出勤 20")
        screenshot(board, "training-town-class-twenty-desktop")
    finally:
        for context in contexts:
            context.close()
