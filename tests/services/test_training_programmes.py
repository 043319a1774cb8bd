"""Training programmes and classes (services/training/programmes.py, classes.py): owners, settings, life
cycle with audit and messages, visibility in lists, classes in Asia/Shanghai within the programme's days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import clock
from models import AuditLog, Message, db
from models.training import CANCELLED, DRAFT, FINISHED, PUBLISHED, SAFETY, SKILLS_UPGRADE, WAITLISTED
from services.errors import NotAllowed, NotFound, RuleViolation
from services.training import classes, enrolment, programmes
from services.training.classes import ClassData
from services.training.programmes import ProgrammeData
from tests.factories import TradeFactory, WorkerFactory
from tests.factories_training import AttendanceFactory, ClassFactory, EnrolmentFactory, ProgrammeFactory

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


def data(**kw) -> ProgrammeData:
    values = {"name": "安全生产培训", "kind": SAFETY, "capacity": 30, "starts_on": date(2026, 6, 1),
              "ends_on": date(2026, 6, 30), "enrol_opens_at": NOW, "enrol_closes_at": NOW + timedelta(days=10),
              "budget": Decimal("12000.50"), "funding_source": "enterprise", "completion_percent": 80}
    values.update(kw)
    return ProgrammeData(**values)


def _audit(action):
    return db.session.scalars(select(AuditLog).where(AuditLog.action == action)).all()


def test_each_owner_creates_as_its_own_level(world):
    hr = programmes.create_programme(world.hr_a, data())
    town = programmes.create_programme(world.town_a, data())
    city = programmes.create_programme(world.admin, data())
    assert (hr.owner_level, hr.owner_enterprise_id) == ("enterprise", world.enterprise_a.id)
    assert (town.owner_level, town.owner_town_id) == ("town", world.enterprise_a.town_id)
    assert city.owner_level == "city" and city.status == DRAFT and city.budget == Decimal("12000.50")
    assert len(_audit("training.programme_created")) == 3
    with pytest.raises(NotAllowed):
        programmes.create_programme(world.worker_a, data())


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": " "}, "name"),
    ({"kind": "nonsense"}, "kind"),
    ({"capacity": 0}, "capacity"),
    ({"ends_on": date(2026, 5, 31)}, "ends_on"),
    ({"enrol_closes_at": NOW - timedelta(hours=1)}, "enrol_closes_at"),
    ({"enrol_closes_at": datetime(2026, 7, 1, 1, tzinfo=UTC)}, "enrol_closes_at"),
    ({"kind": SKILLS_UPGRADE}, "target_level"),
    ({"kind": SKILLS_UPGRADE, "min_skill_level": 3, "target_level": 3}, "target_level"),
    ({"min_skill_level": 4, "max_skill_level": 2}, "max_skill_level"),
    ({"budget": Decimal("-1")}, "budget"),
    ({"completion_percent": 0}, "completion_percent"),
    ({"trade_ids": [999999]}, "trade_ids"),
])
def test_settings_are_checked_on_their_field(world, changes, field):
    with pytest.raises(RuleViolation) as refused:
        programmes.create_programme(world.hr_a, data(**changes))
    assert refused.value.field == field


def test_life_cycle_is_the_owners_and_audited(world):
    programme = programmes.create_programme(world.hr_a, data())
    with pytest.raises(NotFound):  # a draft of A does not exist for B's HR
        programmes.publish_programme(world.hr_b, programme)
    with pytest.raises(NotAllowed):  # the admin sees it but does not run an enterprise's programme
        programmes.publish_programme(world.admin, programme)
    programmes.publish_programme(world.hr_a, programme)
    assert programme.status == PUBLISHED
    with pytest.raises(RuleViolation):
        programmes.publish_programme(world.hr_a, programme)
    programme.status = FINISHED  # finishing (completions, certificates): services.training.completion
    with pytest.raises(RuleViolation):
        programmes.cancel_programme(world.hr_a, programme, "太晚了")
    assert [a.detail["new"] for a in _audit("training.programme_published")] == [PUBLISHED]


def test_cancel_needs_a_reason_and_tells_the_enrolled(world):
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    other = WorkerFactory(enterprise=world.enterprise_a)
    EnrolmentFactory(programme=programme, worker=world.worker_a)
    EnrolmentFactory(programme=programme, worker=other, status=WAITLISTED)
    with pytest.raises(RuleViolation) as refused:
        programmes.cancel_programme(world.hr_a, programme, "  ")
    assert refused.value.field == "reason"
    assert programmes.cancel_programme(world.hr_a, programme, "讲师临时有事") == 2
    assert programme.status == CANCELLED
    told = db.session.scalars(select(Message.recipient_id).where(Message.kind == "training.cancelled")).all()
    assert sorted(told) == sorted([world.worker_a.id, other.id])
    assert _audit("training.programme_cancelled")[0].detail["reason"] == "讲师临时有事"


def test_edit_keeps_capacity_above_seats_and_days_around_classes(world):
    programme = programmes.create_programme(world.admin, data())
    programme.seats_taken = 5
    classes.add_class(world.admin, programme, ClassData(title="第一讲", day=date(2026, 6, 10), starts=time(9),
                                                        ends=time(12), hours=Decimal(3)))
    with pytest.raises(RuleViolation) as refused:
        programmes.update_programme(world.admin, programme, data(capacity=4))
    assert refused.value.field == "capacity"
    with pytest.raises(RuleViolation, match="班次"):
        programmes.update_programme(world.admin, programme, data(starts_on=date(2026, 6, 11)))
    programmes.update_programme(world.admin, programme, data(capacity=5, name="安全生产培训（二期）"))
    assert programme.name == "安全生产培训（二期）" and programme.capacity == 5


def test_more_seats_move_the_waitlist_up(world):
    programme = ProgrammeFactory(capacity=1, seats_taken=1, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30))
    EnrolmentFactory(programme=programme, worker=world.worker_a)
    waiting = [EnrolmentFactory(programme=programme, worker=WorkerFactory(enterprise=world.enterprise_a),
                                status=WAITLISTED) for _ in range(3)]
    programmes.update_programme(world.admin, programme, data(capacity=3))
    assert [e.status for e in waiting] == ["confirmed", "confirmed", WAITLISTED]
    assert programme.seats_taken == 3
    assert len(db.session.scalars(select(Message).where(Message.kind == "training.promoted")).all()) == 2


def test_lists_show_what_exists_for_each_person(world):
    a_own = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id, kind=SAFETY)
    b_town = ProgrammeFactory(owner_level="town", owner_town_id=world.enterprise_b.town_id)
    city = ProgrammeFactory()
    draft = ProgrammeFactory(status=DRAFT)

    def ids(actor, **kw):
        return set(db.session.scalars(programmes.programmes_query(actor, **kw).with_only_columns(
            programmes.TrainingProgramme.id)))

    assert ids(world.worker_a) == {a_own.id, city.id}
    assert ids(world.worker_b) == {b_town.id, city.id}
    assert ids(world.town_b) == {b_town.id, city.id}
    assert ids(world.admin) == {a_own.id, b_town.id, city.id, draft.id}
    assert ids(world.worker_a, kind=SAFETY) == {a_own.id}
    assert ids(world.admin, level="town") == {b_town.id}
    assert ids(world.admin, status=DRAFT) == {draft.id}
    assert ids(world.hr_a, own=True) == {a_own.id}
    assert ids(world.worker_a, own=True) == set()
    names = programmes.owner_names([a_own, b_town, city])
    assert names[a_own.id] == world.enterprise_a.name and names[city.id] == "市总工会"
    # the list's rows carry their owners' names: the same names without a query
    rows = db.session.execute(programmes.programmes_query(world.admin)).all()
    assert programmes.owner_names(rows) == programmes.owner_names([a_own, b_town, city, draft])
    assert names[b_town.id] and programmes.owner_names(rows)[b_town.id] == names[b_town.id]


# --- classes -----------------------------------------------------------------------------------------


def test_a_class_is_typed_in_shanghai_and_stored_in_utc(world):
    programme = ProgrammeFactory(starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30))
    made = classes.add_class(world.admin, programme, ClassData(
        title="班组管理", day=date(2026, 6, 2), starts=time(8, 30), ends=time(11, 30), place="201 室",
        hours=Decimal("2.5"), trainer="王老师", capacity=40, assistant_id=world.worker_b.id))
    assert made.starts_at == datetime(2026, 6, 2, 0, 30, tzinfo=UTC)
    assert made.assistant_id == world.worker_b.id
    back = classes.class_form_data(made)
    assert (back.day, back.starts, back.ends) == (date(2026, 6, 2), time(8, 30), time(11, 30))
    assert classes.total_hours(programme.id) == Decimal("2.5")
    assert _audit("training.class_added")[0].detail["hours"] == "2.5"


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": ""}, "title"),
    ({"day": date(2026, 7, 1)}, "day"),
    ({"day": date(2026, 5, 31)}, "day"),
    ({"ends": time(8)}, "ends"),
    ({"hours": Decimal(0)}, "hours"),
    ({"hours": Decimal("3.5")}, "hours"),  # more than the 3 hours between start and end
    ({"hours": Decimal("1.25")}, "hours"),
    ({"capacity": 0}, "capacity"),
])
def test_class_settings_are_checked(world, changes, field):
    programme = ProgrammeFactory(starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30))
    values = {"title": "第一讲", "day": date(2026, 6, 2), "starts": time(9), "ends": time(12), "hours": Decimal(3)}
    values.update(changes)
    with pytest.raises(RuleViolation) as refused:
        classes.add_class(world.admin, programme, ClassData(**values))
    assert refused.value.field == field


def test_the_assistant_is_a_person_the_owner_may_see(world):
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    values = {"title": "第一讲", "day": programme.starts_on, "starts": time(9), "ends": time(12), "hours": Decimal(3)}
    with pytest.raises(RuleViolation) as refused:
        classes.add_class(world.hr_a, programme, ClassData(**values, assistant_id=world.worker_b.id))
    assert refused.value.field == "assistant_id"
    assert classes.add_class(world.hr_a, programme, ClassData(**values, assistant_id=world.worker_a.id)).assistant_id
    with pytest.raises(NotAllowed):
        classes.add_class(world.town_a, programme, ClassData(**values))


def test_a_class_with_attendance_stays(world):
    programme = ProgrammeFactory()
    held, empty = ClassFactory(programme=programme), ClassFactory(programme=programme)
    AttendanceFactory(training_class=held, enrolment=EnrolmentFactory(programme=programme, worker=world.worker_a))
    with pytest.raises(RuleViolation, match="考勤"):
        classes.remove_class(world.admin, held)
    classes.remove_class(world.admin, empty)
    db.session.flush()
    assert [c.id for c in programme.classes] == [held.id]


def test_finished_programmes_keep_their_classes(world):
    programme = ProgrammeFactory(status=FINISHED)
    with pytest.raises(RuleViolation):
        classes.add_class(world.admin, programme, ClassData(title="补课", day=programme.starts_on, starts=time(9),
                                                            ends=time(10), hours=Decimal(1)))


def test_trades_are_kept(world):
    trade = TradeFactory(name="缝纫工")
    programme = programmes.create_programme(world.admin, data(trade_ids=[trade.id]))
    assert [t.name for t in programme.trades] == ["缝纫工"]
    assert enrolment.enrolment_problems(programme, world.worker_a)  # 制鞋工 is not 缝纫工
