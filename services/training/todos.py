"""What training programmes put on people's to-do lists (services.messages.todos), each one indexed count:
- a worker: enrolments moved up from the waitlist in the last FRESH_DAYS days for a programme still to
  come; their classes today (linked to the class's page, training.my_attendance, when there is one) and
  tomorrow (Asia/Shanghai; urgent);
- whoever runs sign-in (the programme's owner, or the class assistant named on a class): today's classes
  of published programmes, linked to the sign-in board (training.signin_board) of the first one still
  running (urgent);
- each owner (an enterprise's HR, a town's officers, the union administrators): their published
  programmes whose last day has passed, waiting to be finished (待结业), linked to the owner's list
  filtered by programmes.TO_FINISH.
Enrolments need no confirmation (they are confirmed or waitlisted on the spot), so there is no
"to confirm" count; the enterprise's enrolments in coming programmes are not a to-do (nothing to act on).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select

from core import clock
from models import Role, db
from models.owners import OWNER_CITY, OWNER_ENTERPRISE, OWNER_TOWN
from models.training import CONFIRMED, PUBLISHED, TrainingClass, TrainingEnrolment, TrainingProgramme
from services.common import owners
from services.messages.inbox import link_to
from services.messages.todos import Todo, city_counter, enterprise_counter, todo_provider, town_counter
from services.training.programmes import TO_FINISH, to_finish_clause

FRESH_DAYS = 30


def _day_start(day) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.SHANGHAI)


def _today_classes(condition) -> tuple[int, int | None]:
    """How many classes of published programmes start today (Asia/Shanghai) under `condition`, and the
    id of the first one still running (else the first of the day): two indexed queries."""
    start = _day_start(clock.today())
    stmt = (select(TrainingClass.id).join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id)
            .where(condition, TrainingProgramme.status == PUBLISHED, TrainingClass.starts_at >= start,
                   TrainingClass.starts_at < start + timedelta(days=1)))
    count = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    if not count:
        return 0, None
    first = db.session.scalar(stmt.order_by(case((TrainingClass.ends_at <= clock.now(), 1), else_=0),
                                            TrainingClass.starts_at, TrainingClass.id).limit(1))
    return count, first


@todo_provider("training.worker")
def worker_todos(person) -> list[Todo]:
    """Workers: promotions from the waitlist (programme still to come), classes today and tomorrow."""
    if not person.has_role(Role.WORKER):
        return []
    today = clock.today()
    promoted = db.session.scalar(
        select(func.count(TrainingEnrolment.id)).join(TrainingProgramme)
        .where(TrainingEnrolment.worker_id == person.id, TrainingEnrolment.status == CONFIRMED,
               TrainingEnrolment.promoted_at >= clock.now() - timedelta(days=FRESH_DAYS),
               TrainingProgramme.status == PUBLISHED, TrainingProgramme.ends_on >= today)) or 0
    enrolled = TrainingClass.programme_id.in_(select(TrainingEnrolment.programme_id).where(
        TrainingEnrolment.worker_id == person.id, TrainingEnrolment.status == CONFIRMED))
    count_today, first = _today_classes(enrolled)
    start = _day_start(today + timedelta(days=1))
    tomorrow = db.session.scalar(
        select(func.count(TrainingClass.id))
        .join(TrainingEnrolment, TrainingEnrolment.programme_id == TrainingClass.programme_id)
        .join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id)
        .where(TrainingEnrolment.worker_id == person.id, TrainingEnrolment.status == CONFIRMED,
               TrainingProgramme.status == PUBLISHED, TrainingClass.starts_at >= start,
               TrainingClass.starts_at < start + timedelta(days=1))) or 0
    mine = link_to("training.mine")
    class_page = link_to("training.my_attendance", class_id=first) if count_today == 1 else mine
    return [Todo(_l("已从候补转为正式学员的培训"), promoted, mine),
            Todo(_l("今天的培训班次"), count_today, class_page, deadline=today, urgent=True),
            Todo(_l("明天要上的培训课"), tomorrow, mine, deadline=today + timedelta(days=1), urgent=True)]


@todo_provider("training.signin")
def signin_todos(person) -> list[Todo]:
    """Those who run sign-in: today's classes of the programmes they own or assist, to the sign-in board
    of the first one still running."""
    condition = TrainingClass.assistant_id == person.id
    owner = owners.owner_for(person)
    if owner is not None:
        condition = or_(condition, owners.owned_by_clause(TrainingProgramme, *owner))
    count, first = _today_classes(condition)
    if not count:
        return []
    return [Todo(_l("今天的培训班次（签到）"), count, link_to("training.signin_board", class_id=first),
                 deadline=clock.today(), urgent=True)]


def _to_finish(level: str, enterprise_id: int | None = None, town_id: int | None = None) -> list[Todo]:
    count = db.session.scalar(select(func.count(TrainingProgramme.id)).where(
        owners.owned_by_clause(TrainingProgramme, level, enterprise_id, town_id), to_finish_clause())) or 0
    return [Todo(_l("已结束待结业的培训项目"), count, link_to("training.manage", status=TO_FINISH))]


@enterprise_counter("training.to_finish")
def enterprise_to_finish(enterprise_id: int) -> list[Todo]:
    """HR: the enterprise's published programmes whose last day has passed (待结业)."""
    return _to_finish(OWNER_ENTERPRISE, enterprise_id=enterprise_id)


@town_counter("training.to_finish")
def town_to_finish(town_id: int) -> list[Todo]:
    """Town officers: the town's published programmes whose last day has passed (待结业)."""
    return _to_finish(OWNER_TOWN, town_id=town_id)


@city_counter("training.to_finish")
def city_to_finish() -> list[Todo]:
    """Union administrators: the city's published programmes whose last day has passed (待结业)."""
    return _to_finish(OWNER_CITY)
