"""Attendance of training classes (services/training/signin.py, attendance.py) on the controllable clock:
rotating codes, the login carry-through, once per class, late, sign-out hours, the printed list, closing
with absences, corrections, who runs sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import clock
from models import AuditLog, db
from models.training import ABSENT, BY_LIST, EXCUSED, LATE, PRESENT, TrainingAttendance
from services.errors import NotAllowed, NotFound, RuleViolation
from services.training import attendance, attendance_sheet, signin
from tests.factories import WorkerFactory
from tests.factories_training import ClassFactory, EnrolmentFactory, ProgrammeFactory

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


@pytest.fixture
def room(world):
    """A city programme (the admin runs it) with a 09:00-13:00 class whose assistant is the judge, and
    worker_a and worker_b enrolled (confirmed)."""
    with clock.frozen(START - timedelta(days=3)):
        programme = ProgrammeFactory()
        training_class = ClassFactory(programme=programme, starts_at=START, ends_at=START + timedelta(hours=4),
                                      hours=Decimal("4.0"), assistant=world.judge)
        enrol_a = EnrolmentFactory(programme=programme, worker=world.worker_a)
        enrol_b = EnrolmentFactory(programme=programme, worker=world.worker_b)
    db.session.commit()
    return training_class, enrol_a, enrol_b


def _open(world, training_class, at=START - timedelta(minutes=5)):
    clock.set_now(at)
    signin.open_signin(world.admin, training_class)


def _rows(training_class):
    return db.session.scalars(select(TrainingAttendance).where(TrainingAttendance.class_id == training_class.id)).all()


def test_opening_only_within_the_window_and_by_owner_or_assistant(world, room):
    training_class = room[0]
    clock.set_now(START - timedelta(minutes=31))
    with pytest.raises(RuleViolation):
        signin.open_signin(world.admin, training_class)
    clock.set_now(START - timedelta(minutes=30))
    signin.open_signin(world.judge, training_class)  # the class assistant
    assert signin.is_open(training_class)
    with pytest.raises(NotAllowed):
        signin.open_signin(world.hr_a, training_class)  # sees the city programme, does not run it
    clock.set_now(START + timedelta(hours=4, seconds=1))
    with pytest.raises(RuleViolation):
        signin.open_signin(world.admin, training_class)


def test_assistant_runs_sign_in_of_their_class_only(world, room):
    other = ClassFactory(programme=room[0].programme, starts_at=START, ends_at=START + timedelta(hours=2))
    clock.set_now(START)
    with pytest.raises(NotAllowed):
        signin.open_signin(world.judge, other)
    with pytest.raises(NotAllowed):
        attendance.close_attendance(world.judge, other)


def test_code_rotates_and_is_stale_sixty_seconds_later(world, room):
    training_class = room[0]
    _open(world, training_class, START - timedelta(minutes=10))
    code = signin.current_code(training_class)
    assert len(code) == signin.CODE_LENGTH
    clock.set_now(clock.now() + timedelta(seconds=30))
    assert signin.current_code(training_class) != code
    signin.check_code(training_class, code, clock.now())  # the previous window is still accepted
    clock.set_now(clock.now() + timedelta(seconds=30))  # 60 s later
    with pytest.raises(RuleViolation) as refused:
        signin.check_code(training_class, code, clock.now())
    assert "二维码已过期" in str(refused.value.message)
    with pytest.raises(RuleViolation) as bad:
        signin.check_code(training_class, "xxxxxxxxxx", clock.now())
    assert "不是有效" in str(bad.value.message)


def test_scan_signs_in_once_and_on_time(world, room):
    training_class, enrol_a, _ = room
    _open(world, training_class)
    result = signin.scan(world.worker_a, training_class.id, signin.current_code(training_class))
    assert not result.already and result.attendance.status == PRESENT
    assert result.attendance.enrolment_id == enrol_a.id and result.attendance.hours == 0
    again = signin.scan(world.worker_a, training_class.id, signin.current_code(training_class))
    assert again.already
    assert len(_rows(training_class)) == 1


def test_scan_after_the_grace_is_late(world, room, app):
    training_class = room[0]
    _open(world, training_class)
    clock.set_now(START + timedelta(minutes=app.config["TRAINING_LATE_MINUTES"]))
    assert signin.scan(world.worker_a, training_class.id, signin.current_code(training_class)).attendance.status \
        == PRESENT
    clock.set_now(START + timedelta(minutes=app.config["TRAINING_LATE_MINUTES"], seconds=1))
    assert signin.scan(world.worker_b, training_class.id, signin.current_code(training_class)).attendance.status \
        == LATE


def test_refusals_not_enrolled_not_open_and_closed(world, room):
    training_class = room[0]
    clock.set_now(START)
    with pytest.raises(RuleViolation):  # not opened: there is no code at all
        signin.scan(world.worker_a, training_class.id, "abcdefghij")
    signin.open_signin(world.admin, training_class)
    stranger = WorkerFactory(enterprise=world.enterprise_a)
    with pytest.raises(RuleViolation) as refused:
        signin.scan(stranger, training_class.id, signin.current_code(training_class))
    assert refused.value.field == signin.NOT_ENROLLED_FIELD
    room[1].status = "waitlisted"
    with pytest.raises(RuleViolation):
        signin.scan(world.worker_a, training_class.id, signin.current_code(training_class))
    signin.close_signin(world.admin, training_class)
    with pytest.raises(RuleViolation):
        signin.scan(world.worker_b, training_class.id, signin.current_code(training_class))
    with pytest.raises(NotFound):
        signin.scan(world.worker_b, 999999, "abcdefghij")
    assert _rows(training_class) == []


def test_login_carry_through_within_the_carry_minutes(world, room):
    training_class = room[0]
    _open(world, training_class, START + timedelta(minutes=20))
    scanned = clock.now()
    token = signin.verify_scan(training_class.id, signin.current_code(training_class))
    clock.set_now(scanned + timedelta(minutes=2))  # the code rotated four times meanwhile
    result = signin.scan_carried(world.worker_a, training_class.id, token)
    assert result.attendance.signed_in_at == scanned and result.attendance.status == LATE


def test_login_carry_refused_after_the_carry_minutes(world, room):
    training_class = room[0]
    _open(world, training_class)
    token = signin.verify_scan(training_class.id, signin.current_code(training_class))
    clock.set_now(clock.now() + timedelta(minutes=6))
    with pytest.raises(RuleViolation) as refused:
        signin.scan_carried(world.worker_a, training_class.id, token)
    assert "重新扫描" in str(refused.value.message)
    with pytest.raises(NotFound):  # a token is for its class only, and cannot be forged
        signin.scan_carried(world.worker_a, training_class.id + 1, token)
    with pytest.raises(NotFound):
        signin.scan_carried(world.worker_a, training_class.id, token[:-2] + "xx")
    assert _rows(training_class) == []


def test_stale_code_is_refused_before_any_login(world, room):
    training_class = room[0]
    _open(world, training_class)
    code = signin.current_code(training_class)
    clock.set_now(clock.now() + timedelta(seconds=61))
    with pytest.raises(RuleViolation) as refused:
        signin.verify_scan(training_class.id, code)
    assert "二维码已过期" in str(refused.value.message)


@pytest.mark.parametrize(("out_after", "hours"), [
    (timedelta(hours=4), Decimal("4.0")),
    (timedelta(hours=3, minutes=45), Decimal("4.0")),  # within 15 minutes of the end: stayed to the end
    (timedelta(hours=3, minutes=44), Decimal("3.5")),  # pro rata 3.73 h, rounded down to 0.5 h
    (timedelta(hours=1, minutes=29), Decimal("1.0")),
    (timedelta(minutes=10), Decimal("0.0")),
])
def test_sign_out_hours(world, room, out_after, hours):
    training_class = room[0]
    _open(world, training_class, START)
    signin.scan(world.worker_a, training_class.id, signin.current_code(training_class))
    clock.set_now(START + out_after)
    row = attendance.sign_out(world.worker_a, training_class)
    assert row.hours == hours
    with pytest.raises(RuleViolation):
        attendance.sign_out(world.worker_a, training_class)


def test_sign_out_counts_from_a_late_sign_in():
    training_class = ClassFactory.build(starts_at=START, ends_at=START + timedelta(hours=4), hours=Decimal("4"))
    assert attendance.hours_for(training_class, LATE, START + timedelta(hours=1),
                                START + timedelta(hours=3)) == Decimal("2.0")
    assert attendance.hours_for(training_class, EXCUSED, START, None) == 0


def test_sign_out_needs_a_sign_in(world, room):
    clock.set_now(START + timedelta(hours=1))
    with pytest.raises(RuleViolation):
        attendance.sign_out(world.worker_a, room[0])


def test_printed_list_and_closing_records_absences(world, room):
    training_class, enrol_a, enrol_b = room
    extra = EnrolmentFactory(programme=training_class.programme, worker=WorkerFactory(enterprise=world.enterprise_a))
    _open(world, training_class, START)
    signin.scan(world.worker_a, training_class.id, signin.current_code(training_class))
    clock.set_now(START + timedelta(hours=1))
    assert attendance.record_list(world.judge, training_class, {enrol_b.id: LATE, enrol_a.id: PRESENT}) == 1
    row_b = next(r for r in _rows(training_class) if r.enrolment_id == enrol_b.id)
    assert (row_b.status, row_b.method, row_b.hours) == (LATE, BY_LIST, Decimal("4.0"))
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "training.attendance_list"))
    assert entry.detail["statuses"] == {str(world.worker_b.id): LATE}
    with pytest.raises(RuleViolation):
        attendance.record_list(world.judge, training_class, {extra.id: ABSENT})
    with pytest.raises(NotFound):
        attendance.record_list(world.judge, training_class, {999999: PRESENT})

    clock.set_now(START + timedelta(hours=5))
    assert attendance.close_attendance(world.judge, training_class) == 1
    rows = {r.enrolment_id: r for r in _rows(training_class)}
    assert (rows[extra.id].status, rows[extra.id].hours) == (ABSENT, 0)
    assert rows[enrol_a.id].hours == Decimal("4.0")  # no sign-out: stayed to the end
    assert training_class.closed_at is not None and not signin.is_open(training_class)
    assert attendance.counts(training_class) == {PRESENT: 1, LATE: 1, ABSENT: 1, EXCUSED: 0}
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "training.attendance_closed"))
    with pytest.raises(RuleViolation):
        attendance.close_attendance(world.admin, training_class)
    with pytest.raises(RuleViolation):
        signin.scan(world.worker_b, training_class.id, "abcdefghij")


def test_closing_not_before_the_start(world, room):
    clock.set_now(START - timedelta(minutes=1))
    with pytest.raises(RuleViolation):
        attendance.close_attendance(world.admin, room[0])


def test_corrections_after_closing_by_the_owner_with_a_reason(world, room):
    training_class, enrol_a, _ = room
    clock.set_now(START + timedelta(hours=5))
    attendance.close_attendance(world.admin, training_class)
    with pytest.raises(NotAllowed):  # the assistant may not correct a closed class
        attendance.correct_attendance(world.judge, training_class, enrol_a.id, EXCUSED, "病假")
    with pytest.raises(RuleViolation):
        attendance.correct_attendance(world.admin, training_class, enrol_a.id, EXCUSED, " ")
    row = attendance.correct_attendance(world.admin, training_class, enrol_a.id, PRESENT, "纸质签到表漏录")
    assert (row.status, row.hours) == (PRESENT, Decimal("4.0"))
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "training.attendance_corrected"))
    assert entry.detail["status_before"] == ABSENT and entry.detail["reason"] == "纸质签到表漏录"
    assert attendance.record_list(world.admin, training_class, {enrol_a.id: PRESENT}, reason="x") == 0


def test_scan_replaces_a_list_excuse_before_closing(world, room):
    training_class, enrol_a, _ = room
    _open(world, training_class, START)
    attendance.record_list(world.admin, training_class, {enrol_a.id: EXCUSED})
    assert _rows(training_class)[0].signed_in_at is None
    result = signin.scan(world.worker_a, training_class.id, signin.current_code(training_class))
    assert not result.already and result.attendance.status == PRESENT and len(_rows(training_class)) == 1


def test_sign_in_sheet_lists_the_confirmed(world, room):
    from io import BytesIO

    from pypdf import PdfReader

    data = attendance_sheet.sign_in_sheet_pdf(world.judge, room[0])
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert "签到表" in text and world.worker_a.name in text and world.worker_b.name in text
    english = attendance_sheet.sign_in_sheet_pdf(world.judge, room[0], locale="en")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(english)).pages)
    assert "Signed out at" in text and world.worker_a.name in text and "签到表" not in text
    with pytest.raises(NotAllowed):
        attendance_sheet.sign_in_sheet_pdf(world.hr_a, room[0])


def test_qr_svg_is_compact():
    svg = signin.qr_svg("https://jx.example.cn/training/signin/1/abcdefghij")
    assert svg.startswith("<svg") and len(svg) < 20000


def test_demo_shows_every_state_and_is_idempotent(app):
    from demo import accounts, training_attendance
    from models.training import TrainingClass

    accounts.seed()
    assert training_attendance.seed() == 3
    assert training_attendance.seed() == 0
    classes = {c.title: c for c in db.session.scalars(select(TrainingClass))}
    past, today, future = (classes[t] for t in (training_attendance.PAST, training_attendance.TODAY,
                                                training_attendance.NEXT))
    assert past.closed_at is not None
    states = attendance.counts(past)
    assert all(states[s] > 0 for s in (PRESENT, LATE, EXCUSED, ABSENT))
    assert any(r.hours < past.hours for r in _rows(past) if r.status == PRESENT)
    assert signin.is_open(today) and attendance.counts(today)[PRESENT] == 3
    assert future.signin_opened_at is None and _rows(future) == []


def test_reminder_the_day_before_a_class_goes_out_once(world, room):
    from models.messages import Message
    from services.messages import reminders

    training_class, _enrol_a, enrol_b = room
    enrol_b.status = "withdrawn"
    day_before = (START - timedelta(days=1)).astimezone(clock.SHANGHAI).date()
    with clock.frozen(START - timedelta(hours=20)):
        assert reminders.send_due(day_before) == 1
        assert reminders.send_due(day_before) == 0
    sent = db.session.scalars(select(Message).where(Message.kind == "reminder.training.class_tomorrow")).all()
    assert [m.recipient_id for m in sent] == [world.worker_a.id]
    assert reminders.send_due(day_before - timedelta(days=1)) == 0


def _roster_scene(world, room):
    """Besides worker_a (甲鞋业) and worker_b (乙纺织): three more of 甲鞋业 whose names in code-point order
    (张 < 王 < 陈) are not their employee-number order, and one without a number."""
    programme = room[0].programme
    for name, number in (("张伟", "A0003"), ("陈静", "A0001"), ("王芳", "A0002"), ("白雪", None)):
        EnrolmentFactory(programme=programme,
                         worker=WorkerFactory(enterprise=world.enterprise_a, name=name, employee_no=number))
    world.worker_a.employee_no = "A0004"
    world.worker_b.employee_no = "B0001"
    db.session.commit()
    # enterprises by name (乙纺织 sorts before 甲鞋业), then 工号, none last
    return [world.worker_b.name, "陈静", "王芳", "张伟", world.worker_a.name, "白雪"]


def test_the_roster_is_in_printed_roster_order(world, room):
    expected = _roster_scene(world, room)
    names = [row.worker_name for row in db.session.execute(attendance.roster_query(room[0]))]
    assert names == expected


def test_the_sign_in_sheet_lists_in_roster_order(world, room):
    from io import BytesIO

    from pypdf import PdfReader

    expected = _roster_scene(world, room)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(
        attendance_sheet.sign_in_sheet_pdf(world.judge, room[0]))).pages)
    assert [text.index(name) for name in expected] == sorted(text.index(name) for name in expected)


@pytest.mark.parametrize("length", [12, 23, 24, 40, 79, 80])
def test_the_sheet_title_never_cuts_its_last_word(world, room, length):
    """A long programme name wraps the title; 签到表 stays whole on its line (23, 24, 79 and 80 characters
    of name once put a line break inside it)."""
    from io import BytesIO

    from pypdf import PdfReader

    room[0].programme.name = "职" * length
    room[0].title = "第1讲"
    db.session.commit()
    page = PdfReader(BytesIO(attendance_sheet.sign_in_sheet_pdf(world.judge, room[0]))).pages[0]
    lines = page.extract_text().split("\n")
    assert any("签到表" in line for line in lines[:4]), lines[:4]
