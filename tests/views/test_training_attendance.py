"""Training attendance pages (blueprints/training/attendance.py): the board's QR code and its refresh
without JS, the scan through the real login form (carried within TRAINING_SCAN_CARRY_MINUTES), a stale
code's message, sign-out, the printed list, closing, and the list's query count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from core import clock
from models import User, db
from models.training import ABSENT, LATE, PRESENT, TrainingAttendance, TrainingEnrolment
from services.training import signin
from tests.factories import PASSWORD, WorkerFactory
from tests.factories_training import ClassFactory, EnrolmentFactory, ProgrammeFactory
from tests.querycount import count_queries

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def room(world):
    with clock.frozen(START - timedelta(days=3)):
        programme = ProgrammeFactory()
        training_class = ClassFactory(programme=programme, starts_at=START, ends_at=START + timedelta(hours=4),
                                      hours=Decimal("4.0"), assistant=world.judge)
        EnrolmentFactory(programme=programme, worker=world.worker_a)
        EnrolmentFactory(programme=programme, worker=world.worker_b)
    db.session.commit()
    return training_class


def _opened(world, training_class, at):
    clock.set_now(at)
    signin.open_signin(world.admin, training_class)
    db.session.commit()


def _row(training_class, worker):
    return db.session.scalar(select(TrainingAttendance).where(TrainingAttendance.class_id == training_class.id,
                                                              TrainingAttendance.worker_id == worker.id))


def test_board_shows_the_rotating_code_and_refreshes_without_js(client, login, world, room):
    clock.set_now(START - timedelta(minutes=10))
    login(client, world.judge)
    page = client.get(f"/training/classes/{room.id}/signin").get_data(as_text=True)
    assert 'data-testid="signin-qr"' not in page and 'data-testid="open-signin"' in page
    assert client.post(f"/training/classes/{room.id}/signin/open").status_code == 302
    clock.set_now(START - timedelta(minutes=10) + timedelta(seconds=7))
    page = client.get(f"/training/classes/{room.id}/signin").get_data(as_text=True)
    db.session.refresh(room)
    assert f"/training/signin/{room.id}/{signin.current_code(room)}" in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert f'<noscript><meta http-equiv="refresh" content="{signin.seconds_left()}"></noscript>' in page
    assert "js/training_signin.js" in page


def test_anonymous_scan_is_carried_through_the_login(client, world, room):
    _opened(world, room, START + timedelta(minutes=1))
    response = client.get(f"/training/signin/{room.id}/{signin.current_code(room)}")
    assert response.status_code == 302 and urlsplit(response.location).path == "/login"
    carry = parse_qs(urlsplit(response.location).query)["next"][0]
    clock.set_now(START + timedelta(minutes=3))  # two minutes at the login page
    login = client.post("/login", data={"identifier": world.worker_a.username, "password": PASSWORD,
                                        "next": carry})
    assert login.status_code == 302 and login.location == carry
    done = client.get(carry, follow_redirects=True)
    assert "签到成功" in done.get_data(as_text=True)
    row = _row(room, world.worker_a)
    assert row.status == PRESENT and row.signed_in_at == START + timedelta(minutes=1)
    again = client.get(carry, follow_redirects=True)
    assert "已经签到过" in again.get_data(as_text=True)


def test_carry_refused_after_the_carry_minutes(client, world, room):
    _opened(world, room, START + timedelta(minutes=1))
    response = client.get(f"/training/signin/{room.id}/{signin.current_code(room)}")
    carry = parse_qs(urlsplit(response.location).query)["next"][0]
    clock.set_now(START + timedelta(minutes=7))
    client.post("/login", data={"identifier": world.worker_a.username, "password": PASSWORD, "next": carry})
    refused = client.get(carry)
    assert refused.status_code == 400 and "请重新扫描" in refused.get_data(as_text=True)
    assert _row(room, world.worker_a) is None


def test_stale_code_refused_with_the_message(client, login, world, room):
    _opened(world, room, START)
    code = signin.current_code(room)
    clock.set_now(START + timedelta(seconds=61))
    login(client, world.worker_a)
    response = client.get(f"/training/signin/{room.id}/{code}")
    assert response.status_code == 400
    assert "二维码已过期，请扫描屏幕上的最新二维码" in response.get_data(as_text=True)
    anonymous = client.application.test_client().get(f"/training/signin/{room.id}/{code}")
    assert anonymous.status_code == 400  # checked before any login


def test_late_scan_and_sign_out_from_the_phone_page(client, login, world, room):
    _opened(world, room, START + timedelta(minutes=11))
    login(client, world.worker_a)
    client.get(f"/training/signin/{room.id}/{signin.current_code(room)}")
    assert _row(room, world.worker_a).status == LATE
    clock.set_now(START + timedelta(hours=2, minutes=20))
    page = client.get(f"/training/classes/{room.id}/me").get_data(as_text=True)
    assert 'data-testid="sign-out"' in page
    client.post(f"/training/classes/{room.id}/sign-out")
    db.session.expire_all()
    assert _row(room, world.worker_a).hours == Decimal("2.0")  # 2 h 9 min present of 4 h
    assert 'data-testid="sign-out"' not in client.get(f"/training/classes/{room.id}/me").get_data(as_text=True)


def test_list_entry_and_closing(client, login, world, room):
    enrol = {e.worker_id: e.id for e in db.session.scalars(select(TrainingEnrolment))}
    clock.set_now(START + timedelta(hours=1))
    login(client, world.admin)
    page = client.get(f"/training/classes/{room.id}/attendance").get_data(as_text=True)
    assert world.worker_a.name in page and f'name="mark_{enrol[world.worker_a.id]}"' in page
    client.post(f"/training/classes/{room.id}/attendance", data={f"mark_{enrol[world.worker_a.id]}": "late"})
    assert _row(room, world.worker_a).status == LATE
    clock.set_now(START + timedelta(hours=4))
    client.post(f"/training/classes/{room.id}/attendance/close")
    db.session.expire_all()
    assert _row(room, world.worker_b).status == ABSENT and room.closed_at is not None
    refused = client.post(f"/training/classes/{room.id}/attendance",
                          data={f"mark_{enrol[world.worker_b.id]}": "excused"}, follow_redirects=True)
    assert "须填写原因" in refused.get_data(as_text=True) and _row(room, world.worker_b).status == ABSENT
    client.post(f"/training/classes/{room.id}/attendance",
                data={f"mark_{enrol[world.worker_b.id]}": "excused", "reason": "病假条补交"})
    db.session.expire_all()
    assert _row(room, world.worker_b).status == "excused"


def test_sign_in_sheet_pdf(client, login, world, room):
    login(client, world.judge)
    response = client.get(f"/training/classes/{room.id}/sign-in-sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_list_page_queries_do_not_grow_with_rows(client, login, world, room):
    login(client, world.admin)
    clock.set_now(START + timedelta(hours=1))

    def queries():
        with count_queries() as q:
            assert client.get(f"/training/classes/{room.id}/attendance").status_code == 200
        return q.count

    few = queries()
    for _ in range(30):
        EnrolmentFactory(programme=room.programme, worker=WorkerFactory(enterprise=world.enterprise_a))
    db.session.commit()
    assert queries() == few


def _grow_roster(training_class, world, n: int) -> None:
    """Top the class's programme up to `n` bulk-written confirmed enrolments (each with a new worker of
    enterprise A), every other one with an attendance row of the class (present by list, with hours)."""
    start = len(db.session.scalars(select(TrainingEnrolment.id).where(
        TrainingEnrolment.programme_id == training_class.programme_id)).all())
    workers = db.session.scalars(db.insert(User).returning(User.id), [
        {"name": f"名单{k:05d}", "phone": f"1399{k:07d}", "password_hash": "x", "enterprise_id": world.enterprise_a.id,
         "employee_no": f"Q{k:05d}"} for k in range(start, n)]).all()
    enrolments = db.session.execute(db.insert(TrainingEnrolment).returning(
        TrainingEnrolment.id, TrainingEnrolment.worker_id), [
        {"programme_id": training_class.programme_id, "worker_id": worker_id, "enterprise_id": world.enterprise_a.id,
         "status": "confirmed"} for worker_id in workers]).all()
    if enrolments[::2]:
        db.session.execute(db.insert(TrainingAttendance), [
            {"class_id": training_class.id, "programme_id": training_class.programme_id, "enrolment_id": e.id,
             "worker_id": e.worker_id, "enterprise_id": world.enterprise_a.id, "status": PRESENT,
             "method": "list", "signed_in_at": START, "hours": Decimal("4.0")} for e in enrolments[::2]])
    db.session.commit()


@pytest.mark.parametrize("closed", [False, True])
def test_list_page_queries_are_the_same_for_10_and_1000_rows(client, login, world, room, closed):
    login(client, world.admin)
    clock.set_now(START + timedelta(hours=5))
    if closed:
        room.closed_at = START + timedelta(hours=5)
        db.session.commit()
    counts = []
    for size in (10, 1_000):
        _grow_roster(room, world, size)
        client.get(f"/training/classes/{room.id}/attendance")  # warm-up (session, settings)
        for page in (1, 100):  # the first and one past the end (counted apart)
            with count_queries() as q:
                response = client.get(f"/training/classes/{room.id}/attendance?page={page}")
            assert response.status_code == 200
            counts.append((page, q.count))
    assert counts[:2] == counts[2:], counts
    first = client.get(f"/training/classes/{room.id}/attendance").get_data(as_text=True)
    assert first.count('data-testid="roster-row"') == client.application.config["LONG_PAGE_SIZE"]
    present = db.session.scalar(select(db.func.count()).select_from(TrainingAttendance).where(
        TrainingAttendance.class_id == room.id, TrainingAttendance.status == PRESENT))
    assert f"出勤 {present}<" in first and 'value="present" checked>' in first


def test_scan_address_is_rate_limited_per_ip(app, client, world, room):
    _opened(world, room, START)
    previous = app.config["TRAINING_SCAN_LIMIT_PER_IP"]
    app.config["TRAINING_SCAN_LIMIT_PER_IP"] = "3 per minute"
    try:
        codes = [client.get(f"/training/signin/{room.id}/wrongcode0").status_code for _ in range(4)]
    finally:
        app.config["TRAINING_SCAN_LIMIT_PER_IP"] = previous
    assert codes == [400, 400, 400, 429]


def test_the_attendance_list_is_in_printed_roster_order(client, login, world, room):
    from tests.factories import WorkerFactory

    for name, number in (("张伟", "A0003"), ("陈静", "A0001")):
        EnrolmentFactory(programme=room.programme,
                         worker=WorkerFactory(enterprise=world.enterprise_a, name=name, employee_no=number))
    world.worker_a.employee_no = "A0002"
    db.session.commit()
    login(client, world.admin)
    page = client.get(f"/training/classes/{room.id}/attendance").get_data(as_text=True)
    assert "名单按企业、工号、姓名排列" in page
    rows = page.split('data-testid="roster-row"')[1:]
    names = [row.split('<td class="cell-primary">', 1)[1].split("</td>", 1)[0] for row in rows]
    assert names == [world.worker_b.name, "陈静", world.worker_a.name, "张伟"]
