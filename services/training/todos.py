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

from sqlalchemy import and_, bindparam, case, func, or_, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Role
from models.owners import OWNER_CITY, OWNER_ENTERPRISE, OWNER_TOWN
from models.training import CONFIRMED, PUBLISHED, TrainingClass, TrainingEnrolment, TrainingProgramme
from services.common import owners
from services.messages.inbox import link_to
from services.messages.todos import (
    ENTERPRISE,
    NOW,
    PERSON,
    TODAY,
    TOWN,
    Tally,
    Todo,
    city_counter,
    enterprise_counter,
    person_params,
    todo_provider,
    town_counter,
)
from services.training.programmes import TO_FINISH, to_finish_clause

FRESH_DAYS = 30
SIGNIN_OWNER = (bindparam("training_owner_enterprise_id"), bindparam("training_owner_town_id"))


def _day_start(day) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.SHANGHAI)


def _day_params(prefix: str, day) -> dict:
    """`{prefix}_start` and `{prefix}_end`: the bounds of `day` (Asia/Shanghai), for `_day_bounds`."""
    start = _day_start(day)
    return {f"training_{prefix}_start": start, f"training_{prefix}_end": start + timedelta(days=1)}


def _day_bounds(prefix: str):
    """SQL: the class starts within the day whose bounds `_day_params(prefix, ...)` gives."""
    return and_(TrainingClass.starts_at >= bindparam(f"training_{prefix}_start"),
                TrainingClass.starts_at < bindparam(f"training_{prefix}_end"))


def _today_classes(condition) -> tuple:
    """Two scalar subqueries: how many classes of published programmes start today (Asia/Shanghai)
    under `condition`, and the id of the first one still running (else the first of the day); with the
    bind parameters of `_day_params("today", ...)` and NOW."""
    stmt = (select(TrainingClass.id).join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id)
            .where(condition, TrainingProgramme.status == PUBLISHED, _day_bounds("today")))
    count = select(func.count()).select_from(stmt.subquery()).scalar_subquery()
    first = stmt.order_by(case((TrainingClass.ends_at <= NOW, 1), else_=0),
                          TrainingClass.starts_at, TrainingClass.id).limit(1).scalar_subquery()
    return count, first


@todo_provider("training.worker")
def worker_todos(person) -> list[Tally]:
    """Workers: promotions from the waitlist (programme still to come), classes today and tomorrow."""
    if not person.has_role(Role.WORKER):
        return []
    today = clock.today()

    def build():
        promoted = (select(func.count(TrainingEnrolment.id)).join(TrainingProgramme)
                    .where(TrainingEnrolment.worker_id == PERSON, TrainingEnrolment.status == CONFIRMED,
                           TrainingEnrolment.promoted_at >= bindparam("training_fresh_since"),
                           TrainingProgramme.status == PUBLISHED, TrainingProgramme.ends_on >= TODAY))
        enrolled = TrainingClass.programme_id.in_(select(TrainingEnrolment.programme_id).where(
            TrainingEnrolment.worker_id == PERSON, TrainingEnrolment.status == CONFIRMED))
        tomorrow = (select(func.count(TrainingClass.id))
                    .join(TrainingEnrolment, TrainingEnrolment.programme_id == TrainingClass.programme_id)
                    .join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id)
                    .where(TrainingEnrolment.worker_id == PERSON, TrainingEnrolment.status == CONFIRMED,
                           TrainingProgramme.status == PUBLISHED, _day_bounds("tomorrow")))
        return select(promoted.scalar_subquery(), *_today_classes(enrolled), tomorrow.scalar_subquery())

    def make(promoted, count_today, first, tomorrow) -> list[Todo]:
        mine = link_to("training.mine")
        class_page = link_to("training.my_attendance", class_id=first) if count_today == 1 else mine
        return [Todo(_l("已从候补转为正式学员的培训"), promoted or 0, mine),
                Todo(_l("今天的培训班次"), count_today or 0, class_page, deadline=today, urgent=True),
                Todo(_l("明天要上的培训课"), tomorrow or 0, mine, deadline=today + timedelta(days=1), urgent=True)]

    params = person_params(person, training_fresh_since=clock.now() - timedelta(days=FRESH_DAYS),
                           **_day_params("today", today), **_day_params("tomorrow", today + timedelta(days=1)))
    return [Tally(("training.worker",), build, params, make)]


@todo_provider("training.signin")
def signin_todos(person) -> list[Tally]:
    """Those who run sign-in: today's classes of the programmes they own or assist, to the sign-in board
    of the first one still running."""
    owner = owners.owner_for(person)
    level = owner[0] if owner is not None else None

    def build():
        condition = TrainingClass.assistant_id == PERSON
        if level is not None:
            condition = or_(condition, owners.owned_by_clause(TrainingProgramme, level, *SIGNIN_OWNER))
        return select(*_today_classes(condition))

    def make(count, first) -> list[Todo]:
        return [Todo(_l("今天的培训班次（签到）"), count or 0, link_to("training.signin_board", class_id=first),
                     deadline=clock.today(), urgent=True)]

    params = person_params(person, **_day_params("today", clock.today()))
    if owner is not None:
        params.update({SIGNIN_OWNER[0].key: owner[1], SIGNIN_OWNER[1].key: owner[2]})
    return [Tally(("training.signin", level), build, params, make)]


def _owner_params(enterprise_id: int | None, town_id: int | None) -> dict:
    """ENTERPRISE or TOWN where given: the counters' own, the same in one to-do list."""
    params = {"enterprise_id": enterprise_id, "town_id": town_id}
    return {name: value for name, value in params.items() if value is not None}


def _to_finish(level: str, enterprise_id: int | None = None, town_id: int | None = None) -> list[Tally]:
    return [Tally(("training.to_finish", level),
                  lambda: select(func.count(TrainingProgramme.id)).where(
                      owners.owned_by_clause(TrainingProgramme, level, ENTERPRISE, TOWN), to_finish_clause(TODAY)),
                  _owner_params(enterprise_id, town_id),
                  lambda count: [Todo(_l("已结束待结业的培训项目"), count or 0,
                                      link_to("training.manage", status=TO_FINISH))])]


@enterprise_counter("training.to_finish")
def enterprise_to_finish(enterprise_id: int) -> list[Tally]:
    """HR: the enterprise's published programmes whose last day has passed (待结业)."""
    return _to_finish(OWNER_ENTERPRISE, enterprise_id=enterprise_id)


@town_counter("training.to_finish")
def town_to_finish(town_id: int) -> list[Tally]:
    """Town officers: the town's published programmes whose last day has passed (待结业)."""
    return _to_finish(OWNER_TOWN, town_id=town_id)


@city_counter("training.to_finish")
def city_to_finish() -> list[Tally]:
    """Union administrators: the city's published programmes whose last day has passed (待结业)."""
    return _to_finish(OWNER_CITY)
