"""Demo data of training attendance (`flask seed-demo`): idempotent, relative to clock.now().

On the town's team-leader programme (the one demo/training.py seeds, when it is there: the demo town
officer's team-leader programme; else a small one of this module's own, with enterprise A's demo worker
and a dozen colleagues enrolled), three classes within the programme's days, each in one state, all
through the services (the classes through services.training.classes.add_class, which keeps a class within
its programme's days):
- a past class, closed: present (QR, one who left early with pro-rata hours), late, excused (ticked
  from the printed list) and absent (recorded at closing);
- a class under way (started 20 minutes before seeding, on the same Shanghai day: late in the evening it
  is shorter, just after midnight it starts at 00:00) with sign-in open (the organiser's board shows
  the QR code), a few already signed in, the demo worker not yet; a colleague of the demo worker is its
  class assistant;
- a class next week (sign-in cannot open yet).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from core import clock
from models import Role, User, UserRole, db
from models.owners import OWNER_TOWN
from models.training import (
    CONFIRMED,
    EXCUSED,
    PUBLISHED,
    TEAM_LEADER,
    TrainingClass,
    TrainingEnrolment,
    TrainingProgramme,
)
from services.common import owners
from services.training import attendance, classes, signin
from services.training.classes import ClassData

OWN_PROGRAMME = "班组长现场管理能力提升培训班（考勤演示）"
PAST, TODAY, NEXT = "班组长的角色与职责", "现场安全与 5S 管理", "班组沟通与激励"
PLACE = "陈埭镇职工服务中心三楼培训室"


def _officer() -> User | None:
    return db.session.scalar(db.select(User).where(User.username == "town"))


def _shanghai(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.SHANGHAI).astimezone(UTC)


def _programme(officer: User) -> TrainingProgramme:
    """The town's team-leader programme: demo/training.py's when seeded, else this module's own."""
    _level, _enterprise, town_id = owners.owner_for(officer)
    found = db.session.scalar(db.select(TrainingProgramme).where(
        TrainingProgramme.owner_level == OWNER_TOWN, TrainingProgramme.owner_town_id == town_id,
        TrainingProgramme.kind == TEAM_LEADER, TrainingProgramme.status == PUBLISHED)
        .order_by(TrainingProgramme.name != OWN_PROGRAMME, TrainingProgramme.id))
    if found is not None:
        return found
    today = clock.today()
    programme = TrainingProgramme(
        name=OWN_PROGRAMME, kind=TEAM_LEADER, description="面向镇内企业一线班组长：现场管理、安全生产与班组沟通。",
        owner_level=OWNER_TOWN, owner_town_id=town_id, capacity=30, seats_taken=0,
        enrol_opens_at=clock.now() - timedelta(days=30), enrol_closes_at=clock.now() - timedelta(days=10),
        starts_on=today - timedelta(days=7), ends_on=today + timedelta(days=14), budget=Decimal("12000.00"),
        funding_source="union", completion_percent=80, assessment_required=True, status=PUBLISHED,
        created_by_id=officer.id)
    db.session.add(programme)
    db.session.flush()
    worker = db.session.scalar(db.select(User).where(User.username == "worker"))
    colleagues = list(db.session.scalars(
        db.select(User).join(UserRole).where(UserRole.role == Role.WORKER.value, User.username.is_(None),
                                             User.enterprise_id == worker.enterprise_id)
        .order_by(User.id).limit(12)))
    for person in [worker, *colleagues]:
        db.session.add(TrainingEnrolment(programme_id=programme.id, worker_id=person.id,
                                         enterprise_id=person.enterprise_id, status=CONFIRMED,
                                         confirmed_at=programme.enrol_opens_at + timedelta(days=1)))
    programme.seats_taken = 1 + len(colleagues)
    db.session.flush()
    return programme


def _class(officer, programme, title, starts_at, ends_at, hours, assistant_id=None) -> tuple[TrainingClass, bool]:
    """The class called `title`, added by the programme's owner through the classes service when missing
    (as of four days before seeding, when the programme was being prepared)."""
    found = db.session.scalar(db.select(TrainingClass).where(TrainingClass.programme_id == programme.id,
                                                             TrainingClass.title == title))
    if found is not None:
        return found, False
    start, end = starts_at.astimezone(clock.SHANGHAI), ends_at.astimezone(clock.SHANGHAI)
    with clock.frozen(min(clock.now(), starts_at) - timedelta(days=4)):
        training_class = classes.add_class(officer, programme, ClassData(
            title=title, day=start.date(), starts=start.time().replace(tzinfo=None),
            ends=end.time().replace(tzinfo=None), place=PLACE, hours=Decimal(hours), trainer="林秀梅（高级技师）",
            capacity=40, assistant_id=assistant_id))
    return training_class, True


def _under_way(now: datetime) -> tuple[datetime, datetime, str]:
    """Start, end and hours of the class under way at `now`: from 20 minutes before (not before 00:00) for
    three hours, ending by 23:59:59 of the same Shanghai day (a class lies within one day)."""
    local = now.astimezone(clock.SHANGHAI)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max((local - timedelta(minutes=20)).replace(second=0, microsecond=0), midnight)
    end = min(start + timedelta(hours=3), midnight.replace(hour=23, minute=59, second=59))
    tenths = int((end - start).total_seconds() // 360)
    return start.astimezone(UTC), end.astimezone(UTC), str(Decimal(min(tenths, 30)) / 10)


def _enrolled(programme) -> list[TrainingEnrolment]:
    return list(db.session.scalars(db.select(TrainingEnrolment).where(
        TrainingEnrolment.programme_id == programme.id, TrainingEnrolment.status == CONFIRMED)
        .order_by(TrainingEnrolment.id)))


def seed() -> int:
    """Create the three classes where missing; returns how many were added."""
    officer = _officer()
    if officer is None or owners.owner_for(officer) is None:
        return 0
    programme = _programme(officer)
    enrolled = _enrolled(programme)
    if len(enrolled) < 6:
        return 0
    people = {e.worker_id: db.session.get(User, e.worker_id) for e in enrolled}
    demo_worker = db.session.scalar(db.select(User.id).where(User.username == "worker"))
    others = [e for e in enrolled if e.worker_id != demo_worker]
    today = clock.today()
    added = 0

    # A past class, closed, in every attendance state.
    past_day = today - timedelta(days=3)
    past, new = _class(officer, programme, PAST, _shanghai(past_day, 9), _shanghai(past_day, 12), "3")
    if new:
        added += 1
        with clock.frozen(past.starts_at - timedelta(minutes=10)):
            signin.open_signin(officer, past)
        on_time = [e for e in enrolled if e not in others[-4:]]
        for index, enrolment in enumerate(on_time):
            signin.sign_in_at(people[enrolment.worker_id], past, past.starts_at - timedelta(minutes=8 - index % 8))
        for minutes, enrolment in ((17, others[-4]), (25, others[-3])):
            signin.sign_in_at(people[enrolment.worker_id], past, past.starts_at + timedelta(minutes=minutes))
        with clock.frozen(past.starts_at + timedelta(hours=1, minutes=50)):
            attendance.sign_out(people[on_time[-1].worker_id], past)  # left early: pro rata
            attendance.record_list(officer, past, {others[-2].id: EXCUSED})
        with clock.frozen(past.ends_at + timedelta(minutes=5)):
            attendance.close_attendance(officer, past)  # others[-1] absent

    # Today's class, sign-in open; the assistant is a colleague of the demo worker.
    now = clock.now()
    current, new = _class(officer, programme, TODAY, *_under_way(now), assistant_id=others[0].worker_id)
    if new:
        added += 1
        signin.open_signin(officer, current)
        for minutes, enrolment in ((-18, others[1]), (-15, others[2]), (-12, others[3])):
            signin.sign_in_at(people[enrolment.worker_id], current, now + timedelta(minutes=minutes))

    # Next week's class.
    next_day = today + timedelta(days=7)
    _future, new = _class(officer, programme, NEXT, _shanghai(next_day, 14), _shanghai(next_day, 17), "3")
    added += new
    db.session.commit()
    return added
