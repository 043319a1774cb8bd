"""Enrolment in training programmes (services/training/enrolment.py, enrol_bulk.py): the seat counter under
concurrency (SQLite and PostgreSQL, the competitions' counter), the window, self-enrolment, eligibility
explained, HR's own workers only, the waitlist in order and its promotion with a message, the list from
Excel with its per-row report (inline and as a job)."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from core import clock
from models import Message, User, db
from models.jobs import JOB_DONE, Job
from models.training import CONFIRMED, DRAFT, WAITLISTED, WITHDRAWN, TrainingEnrolment, TrainingProgramme
from services.errors import NotFound, RuleViolation
from services.jobs import queue
from services.training import enrol_bulk, enrolment, programme_page
from tests.factories import EnterpriseFactory, TradeFactory, WorkerFactory
from tests.factories_training import EnrolmentFactory, ProgrammeFactory

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


def _rows(programme_id):
    return list(db.session.execute(select(TrainingEnrolment.worker_id, TrainingEnrolment.status)
                                   .where(TrainingEnrolment.programme_id == programme_id)
                                   .order_by(TrainingEnrolment.id)))


def test_capacity_holds_under_concurrent_enrolments(app, frozen_now):
    """20 workers enrol at the same moment for 5 seats, each in its own thread, session and connection:
    exactly 5 confirmed, 15 waitlisted in the order their rows were made."""
    enterprise = EnterpriseFactory()
    programme = ProgrammeFactory(capacity=5)
    worker_ids = [WorkerFactory(enterprise=enterprise).id for _ in range(20)]
    programme_id = programme.id
    db.session.commit()
    db.session.remove()
    barrier = threading.Barrier(len(worker_ids))
    outcomes, errors = {}, []

    def enrol(worker_id):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                worker = db.session.get(User, worker_id)
                made = enrolment.enrol(worker, db.session.get(TrainingProgramme, programme_id), worker)
                db.session.commit()
                outcomes[worker_id] = made.status
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=enrol, args=(wid,)) for wid in worker_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    rows = _rows(programme_id)
    assert [s for _w, s in rows].count(CONFIRMED) == 5 and [s for _w, s in rows].count(WAITLISTED) == 15
    assert db.session.get(TrainingProgramme, programme_id).seats_taken == 5
    assert dict(rows) == outcomes
    waiting = db.session.scalars(select(TrainingEnrolment).where(TrainingEnrolment.status == WAITLISTED)
                                 .order_by(TrainingEnrolment.id)).all()
    assert [enrolment.waitlist_position(e) for e in waiting] == list(range(1, 16))


def test_waitlist_and_promotion_with_a_message(world, frozen_now):
    programme = ProgrammeFactory(capacity=1)
    second = WorkerFactory(enterprise=world.enterprise_a)
    third = WorkerFactory(enterprise=world.enterprise_a)
    first = enrolment.enrol(world.worker_a, programme, world.worker_a)
    waiting = enrolment.enrol(second, programme, second)
    last = enrolment.enrol(world.hr_a, programme, third)
    assert (first.status, waiting.status, last.status) == (CONFIRMED, WAITLISTED, WAITLISTED)
    assert enrolment.page_waitlist_positions([first, waiting, last]) == {waiting.id: 1, last.id: 2}
    with pytest.raises(RuleViolation, match="每人只能报名一次"):
        enrolment.enrol(world.worker_a, programme, world.worker_a)
    moved = enrolment.withdraw(world.worker_a, first)
    assert moved.id == waiting.id and waiting.status == CONFIRMED and waiting.promoted_at == NOW
    assert first.status == WITHDRAWN and programme.seats_taken == 1
    assert enrolment.waitlist_position(last) == 1
    told = db.session.scalars(select(Message.recipient_id).where(Message.kind == "training.promoted")).all()
    assert told == [second.id]
    assert db.session.scalars(select(Message.recipient_id).where(Message.kind == "training.enrolled")).all() \
        == [third.id]  # HR enrolled them: they hear it
    with pytest.raises(RuleViolation, match="已报名过"):  # withdrawn: not started again
        enrolment.enrol(world.worker_a, programme, world.worker_a)
    enrolment.withdraw(world.hr_a, waiting)  # HR withdraws its worker: the last one moves up
    assert last.status == CONFIRMED
    enrolment.withdraw(third, last)
    assert programme.seats_taken == 0  # nobody left to move up: the counter goes down
    assert programme_page.page_parts(programme, with_counts=True).counts == {WITHDRAWN: 3}


@pytest.mark.parametrize(("offset", "open_"), [
    (timedelta(days=-1, seconds=-1), False),
    (timedelta(days=-1), True),
    (timedelta(days=7, seconds=-1), True),
    (timedelta(days=7), False),
])
def test_enrolment_only_inside_the_window(world, offset, open_):
    with clock.frozen(NOW):
        programme = ProgrammeFactory()
    with clock.frozen(NOW + offset):
        if open_:
            assert enrolment.enrol(world.worker_a, programme, world.worker_a).status == CONFIRMED
        else:
            with pytest.raises(RuleViolation, match="报名"):
                enrolment.enrol(world.worker_a, programme, world.worker_a)


def test_without_a_closing_time_enrolment_runs_to_the_first_day(world, frozen_now):
    programme = ProgrammeFactory(enrol_opens_at=None, enrol_closes_at=None)
    day_after = datetime.combine(programme.starts_on + timedelta(days=1), datetime.min.time(), tzinfo=clock.SHANGHAI)
    assert enrolment.is_enrolment_open(programme, day_after - timedelta(seconds=1))
    assert not enrolment.is_enrolment_open(programme, day_after)
    programme.status = DRAFT
    assert not enrolment.is_enrolment_open(programme)


def test_self_enrolment_only_where_allowed_and_hr_only_for_its_own(world, frozen_now):
    programme = ProgrammeFactory(self_enrol=False)
    with pytest.raises(RuleViolation, match="单位统一报名"):
        enrolment.enrol(world.worker_a, programme, world.worker_a)
    with pytest.raises(NotFound):
        enrolment.enrol(world.hr_a, programme, world.worker_b)
    with pytest.raises(NotFound):
        enrolment.enrol(world.worker_b, programme, world.worker_a)
    assert enrolment.enrol(world.hr_a, programme, world.worker_a).enrolled_by_id == world.hr_a.id
    b_only = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id)
    with pytest.raises(NotFound):  # it does not exist for A's people
        enrolment.enrol(world.worker_a, b_only, world.worker_a)


def test_each_refusal_is_explained(world, frozen_now):
    town_b = ProgrammeFactory(owner_level="town", owner_town_id=world.enterprise_b.town_id,
                              trades=[TradeFactory(name="缝纫工")], min_skill_level=5, max_skill_level=6)
    problems = [str(p) for p in enrolment.enrolment_problems(town_b, world.worker_a)]
    assert any("其他镇" in p for p in problems)
    assert any("工种不符" in p and "缝纫工" in p for p in problems)
    assert any("等级低于" in p for p in problems)
    assert enrolment.enrolment_problems(town_b, world.hr_a) == [enrolment.enrolment_problems(town_b, world.admin)[0]]
    world.worker_a.skill_level = None
    assert any("没有登记" in str(p) for p in enrolment.enrolment_problems(town_b, world.worker_a))
    city = ProgrammeFactory(max_skill_level=1)
    world.worker_a.skill_level = 3
    with pytest.raises(RuleViolation, match="等级高于"):
        enrolment.enrol(world.worker_a, city, world.worker_a)
    assert enrolment.entry_of(world.worker_a, city) is None  # refused: nothing written


def test_withdrawal_ends_with_the_first_day(world, frozen_now):
    programme = ProgrammeFactory()
    made = EnrolmentFactory(programme=programme, worker=world.worker_a)
    with pytest.raises(NotFound):
        enrolment.withdraw(world.hr_b, made)
    first_day = datetime.combine(programme.starts_on, datetime.min.time(), tzinfo=clock.SHANGHAI)
    with clock.frozen(first_day), pytest.raises(RuleViolation, match="已开始"):
        enrolment.withdraw(world.worker_a, made)


def test_who_sees_which_enrolments(world, frozen_now):
    programme = ProgrammeFactory(capacity=5)
    a = EnrolmentFactory(programme=programme, worker=world.worker_a)
    b = EnrolmentFactory(programme=programme, worker=world.worker_b)

    def seen(actor):
        return {row.id for row in db.session.execute(enrolment.enrolments_query(actor, programme))}

    assert seen(world.admin) == {a.id, b.id}
    assert seen(world.hr_a) == {a.id}
    assert seen(world.town_b) == {b.id}
    assert enrolment.get_enrolment(world.worker_a, a.id) is a
    with pytest.raises(NotFound):
        enrolment.get_enrolment(world.hr_a, b.id)
    assert {e.id for e in db.session.scalars(enrolment.my_enrolments_query(world.worker_a)).unique()} == {a.id}


def _xlsx(rows) -> FileStorage:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return FileStorage(data, filename="名单.xlsx")


def test_a_list_from_excel_gives_a_report_per_row(world, frozen_now):
    programme = ProgrammeFactory(capacity=1)
    second = WorkerFactory(enterprise=world.enterprise_a, employee_no="A0002", name="李二")
    world.worker_a.employee_no = "A0001"
    outcomes = enrol_bulk.hr_enrol_upload(world.hr_a, programme, _xlsx([
        ["工号", "姓名"], ["A0001", world.worker_a.name], ["A0002", "李二"], [None, None], ["A0009", ""],
        ["A0002", "王五"]]))
    assert [o.outcome for o in outcomes] == ["registered", "waitlisted", "skipped", "refused", "refused"]
    assert "本企业没有工号" in outcomes[3].message and "姓名与工号不符" in outcomes[4].message
    assert enrolment.entry_of(second, programme).status == WAITLISTED


def test_a_long_list_runs_as_a_job_with_the_report_as_a_file(world, frozen_now, monkeypatch):
    monkeypatch.setattr(enrol_bulk, "INLINE_ROWS", 1)
    programme = ProgrammeFactory(capacity=5)
    world.worker_a.employee_no = "A0001"
    WorkerFactory(enterprise=world.enterprise_a, employee_no="A0002")
    job = enrol_bulk.hr_enrol_upload(world.hr_a, programme, _xlsx([["工号"], ["A0001"], ["A0002"]]))
    db.session.commit()
    assert isinstance(job, Job)
    queue.run_job(job.id)
    job = db.session.get(Job, job.id)
    assert job.status == JOB_DONE
    _job, data = queue.job_file(world.hr_a, job.id)
    cells = [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2)]
    assert [row[3] for row in cells] == ["已报名", "已报名"]
    assert programme.seats_taken == 2 or db.session.get(TrainingProgramme, programme.id).seats_taken == 2
