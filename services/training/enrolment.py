"""Enrolment in a training programme (报名): eligibility, seats and the waitlist, withdrawal, and the
enrolments a worker, HR or the owner sees.

Rules (docs/domain.md, Skills training, "Programmes, classes and enrolment"):
- A worker enrols themself where the programme allows it (self_enrol); HR enrols the workers of its own
  enterprise (one by one, by search, or from a list: services.training.enrol_bulk). Nobody else enrols.
- Only a published programme, and only within its enrolment window (is_enrolment_open: from its opening
  time, if any, until its closing time, or without one until the first day of the programme).
- Eligibility (enrolment_problems), each refusal in words: an in-post worker of an active enterprise and
  account; among the people the programme is for (services.common.owners.may_take_part: the owner's
  enterprise, the owner town's enterprises, anyone for the city's); one of the target trades (if any);
  a skill level within the range (if any).
- One enrolment per worker and programme (unique constraint as the last word); one that ended (withdrawn,
  rejected) is not started again.
- Seats: the same guarded counter as competitions (services.common.seats) in the same transaction as
  the insert: confirmed while a seat is free, else waitlisted, in order of enrolment (id).
- Withdrawal (the worker or their enterprise's HR) of an active enrolment before the programme's first
  day; a confirmed one hands its seat to the first on the waitlist, who is told (enrolment_events.promoted).
Every change is audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from core import clock
from core.l10n import lazy_gettext as _l
from models import Enterprise, Role, User, db
from models.owners import OWNER_ENTERPRISE, OWNER_TOWN
from models.skills import level
from models.training import (
    ACTIVE_ENROLMENTS,
    CONFIRMED,
    ENROLMENT_STATUSES,
    PUBLISHED,
    WAITLISTED,
    WITHDRAWN,
    TrainingEnrolment,
    TrainingProgramme,
)
from services import policy
from services.accounts.search import add_people_search
from services.common import audit, owners, seats
from services.errors import NotAllowed, NotFound, RuleViolation
from services.training import enrolment_events
from services.training import policy as training_policy


class DuplicateEnrolment(RuleViolation):
    """The unique constraint caught a second enrolment of the same worker (the session must roll back)."""


def _unknown_worker() -> NotFound:
    return NotFound(_l("找不到这名职工，或您不能为其报名。"))


def _unknown_enrolment() -> NotFound:
    return NotFound(_l("找不到这条培训报名。"))


def is_enrolment_open(programme: TrainingProgramme, at: datetime | None = None) -> bool:
    """Published, and `at` (now) within the window: from enrol_opens_at (if set) until enrol_closes_at,
    or without a closing time until the programme's first day (inclusive, Asia/Shanghai)."""
    at = at or clock.now()
    if programme.status != PUBLISHED:
        return False
    if programme.enrol_opens_at is not None and at < programme.enrol_opens_at:
        return False
    if programme.enrol_closes_at is not None:
        return at < programme.enrol_closes_at
    return at.astimezone(clock.SHANGHAI).date() <= programme.starts_on


def require_enrolment_open(programme: TrainingProgramme) -> None:
    """RuleViolation, saying why, unless enrolment is open now."""
    if programme.status != PUBLISHED:
        raise RuleViolation(_l("这个培训项目当前不接受报名。"))
    if programme.enrol_opens_at is not None and clock.now() < programme.enrol_opens_at:
        raise RuleViolation(_l("报名尚未开始。"))
    if not is_enrolment_open(programme):
        raise RuleViolation(_l("报名已截止。"))


def enrolment_problems(programme: TrainingProgramme, worker: User) -> list:
    """Why `worker` may not enrol in `programme`, as lazy messages (empty: eligible). Window and seats
    are apart (is_enrolment_open; a full programme waitlists)."""
    enterprise = worker.enterprise
    if not worker.has_role(Role.WORKER) or enterprise is None:
        return [_l("只有企业在岗职工可以报名培训。")]
    problems = []
    if not worker.is_active or not enterprise.is_active:
        problems.append(_l("账号或所在企业已停用。"))
    if not owners.may_take_part(worker, programme):
        if programme.owner_level == OWNER_ENTERPRISE:
            problems.append(_l("这是其他企业的内部培训，只限该企业职工参加。"))
        elif programme.owner_level == OWNER_TOWN:
            problems.append(_l("这是其他镇（街道）的培训，只限该镇（街道）企业的职工参加。"))
    if programme.trades and worker.trade_id not in {t.id for t in programme.trades}:
        problems.append(_l("工种不符（限 %(trades)s）。", trades="、".join(str(t.label) for t in programme.trades)))
    low, high = programme.min_skill_level, programme.max_skill_level
    if (low is not None or high is not None) and worker.skill_level is None:
        problems.append(_l("没有登记职业技能等级。"))
    elif low is not None and worker.skill_level < low:
        problems.append(_l("职业技能等级低于 %(level)s。", level=level(low).label))
    elif high is not None and worker.skill_level > high:
        problems.append(_l("职业技能等级高于 %(level)s。", level=level(high).label))
    return problems


def _is_hr_of(actor, enterprise_id: int | None) -> bool:
    return enterprise_id is not None and policy.is_hr(actor) and actor.enterprise_id == enterprise_id


def enrol(actor, programme: TrainingProgramme, worker: User) -> TrainingEnrolment:
    """Enrol `worker` (the actor themself, or by their HR): confirmed while seats last, else waitlisted.
    Every check comes before any write.

    Raises NotFound (the programme does not exist for the actor, or the actor may not enrol this worker),
    RuleViolation (not open, self-enrolment not allowed, enrolled before, not eligible: the problems
    joined by "；"), DuplicateEnrolment (a concurrent second enrolment: the view rolls back).
    """
    if not training_policy.can_see_programme(actor, programme):
        training_policy.programme_not_found()
    by_self = actor.id == worker.id
    if not by_self and not _is_hr_of(actor, worker.enterprise_id):
        raise _unknown_worker()
    require_enrolment_open(programme)
    if by_self and not programme.self_enrol:
        raise RuleViolation(_l("这个培训由单位统一报名，请联系本企业人力资源。"))
    seats.queue_on(programme)
    existing = db.session.scalar(select(TrainingEnrolment).where(
        TrainingEnrolment.programme_id == programme.id, TrainingEnrolment.worker_id == worker.id))
    if existing is not None:
        raise RuleViolation(_l("%(name)s 已报名过这个培训（%(status)s），每人只能报名一次。",
                               name=worker.name, status=existing.status_label))
    problems = enrolment_problems(programme, worker)
    if problems:
        raise RuleViolation("；".join(str(p) for p in problems))
    taken = seats.take_seat(programme)
    now = clock.now()
    enrolment = TrainingEnrolment(programme_id=programme.id, worker_id=worker.id, enterprise_id=worker.enterprise_id,
                                  status=CONFIRMED if taken else WAITLISTED, enrolled_by_id=actor.id, created_at=now,
                                  confirmed_at=now if taken else None)
    db.session.add(enrolment)
    try:
        db.session.flush()
    except IntegrityError:
        raise DuplicateEnrolment(_l("%(name)s 已报名过这个培训，每人只能报名一次。", name=worker.name)) from None
    audit.record("training.enrolled", actor=actor, obj=enrolment, programme_id=programme.id, worker_id=worker.id,
                 status=enrolment.status)
    if not by_self:
        enrolment_events.enrolled_by_hr(enrolment)
    return enrolment


def can_see_enrolment(actor, enrolment: TrainingEnrolment) -> bool:
    """The worker's own, their enterprise's HR's, and every one of a programme the actor oversees."""
    return (enrolment.worker_id == actor.id or _is_hr_of(actor, enrolment.enterprise_id)
            or training_policy.can_oversee(actor, enrolment.programme))


def get_enrolment(actor, enrolment_id: int) -> TrainingEnrolment:
    """The enrolment as `actor` may see it (can_see_enrolment); NotFound otherwise."""
    enrolment = db.session.get(TrainingEnrolment, enrolment_id)
    if enrolment is None or not can_see_enrolment(actor, enrolment):
        raise _unknown_enrolment()
    return enrolment


def withdraw(actor, enrolment: TrainingEnrolment) -> TrainingEnrolment | None:
    """Withdraw an active enrolment (the worker or their enterprise's HR) before the programme's first
    day; returns whoever moved up from the waitlist. Raises NotFound (anyone else) or RuleViolation."""
    if not (enrolment.worker_id == actor.id or _is_hr_of(actor, enrolment.enterprise_id)):
        raise _unknown_enrolment()
    programme = enrolment.programme
    if enrolment.status not in ACTIVE_ENROLMENTS:
        raise RuleViolation(_l("这条培训报名已经结束。"))
    if programme.status != PUBLISHED or clock.today() >= programme.starts_on:
        raise RuleViolation(_l("培训已开始或已结束，不能再退出；如有特殊情况请联系主办方。"))
    seats.queue_on(programme)
    was = enrolment.status
    enrolment.status = WITHDRAWN
    enrolment.ended_at = clock.now()
    db.session.flush()
    audit.record("training.withdrawn", actor=actor, obj=enrolment, programme_id=programme.id, old=was, new=WITHDRAWN)
    return _release_seat(actor, programme) if was == CONFIRMED else None


def _first_waiting(programme: TrainingProgramme) -> TrainingEnrolment | None:
    return db.session.scalar(select(TrainingEnrolment).where(
        TrainingEnrolment.programme_id == programme.id, TrainingEnrolment.status == WAITLISTED)
        .order_by(TrainingEnrolment.id).limit(1).with_for_update())


def _promote(actor, enrolment: TrainingEnrolment) -> None:
    enrolment.status = CONFIRMED
    enrolment.confirmed_at = enrolment.promoted_at = clock.now()
    db.session.flush()
    audit.record("training.promoted_from_waitlist", actor=actor, obj=enrolment, programme_id=enrolment.programme_id)
    enrolment_events.promoted(enrolment)


def fill_freed_seats(actor, programme: TrainingProgramme) -> int:
    """After the owner raised the capacity of a published programme: the first waiting workers take the
    new seats (the guarded counter, in order), each told. Returns how many moved up."""
    moved = 0
    seats.queue_on(programme)
    while programme.status == PUBLISHED:
        first = _first_waiting(programme)
        if first is None or not seats.take_seat(programme):
            break
        _promote(actor, first)
        moved += 1
    return moved


def _release_seat(actor, programme: TrainingProgramme) -> TrainingEnrolment | None:
    """A confirmed seat became free: the first on the waitlist takes it and is told, else the counter
    goes down."""
    first = _first_waiting(programme)
    if first is None:
        seats.give_back_seat(programme)
        return None
    _promote(actor, first)
    return first


# --- lists -------------------------------------------------------------------------------------------


def entry_of(worker: User, programme: TrainingProgramme) -> TrainingEnrolment | None:
    return db.session.scalar(select(TrainingEnrolment).where(
        TrainingEnrolment.programme_id == programme.id, TrainingEnrolment.worker_id == worker.id))


def my_enrolments_query(worker: User):
    """The worker's enrolments, newest programme first, with their programmes (one query per page)."""
    return (select(TrainingEnrolment).join(TrainingProgramme, TrainingProgramme.id == TrainingEnrolment.programme_id)
            .where(TrainingEnrolment.worker_id == worker.id)
            .options(db.contains_eager(TrainingEnrolment.programme))
            .order_by(TrainingProgramme.starts_on.desc(), TrainingEnrolment.id.desc()))


def enrolments_query(actor, programme: TrainingProgramme, *, status: str | None = None, search: str | None = None):
    """The enrolments of `programme` `actor` may see, in order of enrolment, as plain rows of the columns
    the list shows (id, status, created_at, enterprise_id, worker_name, employee_no, enterprise_name; no
    ORM objects): all of them for those who oversee it (owner and above), the own enterprise's for HR, the
    town's enterprises' for a town officer. NotAllowed for anyone else."""
    scope = _list_scope(actor, programme)
    stmt = _list_select(programme.id)
    if scope is not None:
        stmt = stmt.where(policy.scope_condition_of(scope.kind, scope.id, TrainingEnrolment.enterprise_id))
    if status in ENROLMENT_STATUSES:
        stmt = stmt.where(TrainingEnrolment.status == status)
    if search:
        stmt = add_people_search(stmt, search)
    return stmt


def _list_scope(actor, programme: TrainingProgramme):
    """None for a reader who oversees `programme` (every enrolment), else the reader's management scope
    (the enrolments of its enterprises); NotAllowed for a reader with none."""
    if training_policy.can_oversee(actor, programme):
        return None
    scope = policy.management_scope(actor)
    if scope.kind == policy.NOBODY:
        raise NotAllowed(_l("只有主办方和企业人力资源可以查看报名名单。"))
    return scope


def _list_select(programme_id):
    """The enrolment list's columns for the programme `programme_id` (a value or a bind parameter)."""
    return (select(TrainingEnrolment.id, TrainingEnrolment.status, TrainingEnrolment.created_at,
                   TrainingEnrolment.enterprise_id, User.name.label("worker_name"), User.employee_no,
                   Enterprise.name.label("enterprise_name"))
            .join(User, User.id == TrainingEnrolment.worker_id)
            .outerjoin(Enterprise, Enterprise.id == TrainingEnrolment.enterprise_id)
            .where(TrainingEnrolment.programme_id == programme_id))


_PROGRAMME, _SCOPE, _STATUS = (bindparam("enrolments_programme"), bindparam("enrolments_scope"),
                                bindparam("enrolments_status"))


def kept_enrolments_query(actor, programme: TrainingProgramme, *, status: str | None = None):
    """enrolments_query without a search, as a kept statement (core.statements.shared_statement: built once
    per process for each kind of reader and status filter, the programme, the reader's scope node and the
    status bind parameters): (key, build, params) as blueprints.common.keyset_page's `kept`, `stmt` and
    `params` take them. The same rows, the same rule and the same NotAllowed as enrolments_query."""
    scope = _list_scope(actor, programme)
    kind, by_status = scope.kind if scope is not None else None, status in ENROLMENT_STATUSES

    def build():
        stmt = _list_select(_PROGRAMME)
        if kind is not None:
            stmt = stmt.where(policy.scope_condition_of(kind, _SCOPE, TrainingEnrolment.enterprise_id))
        return stmt.where(TrainingEnrolment.status == _STATUS) if by_status else stmt

    params = {_PROGRAMME.key: programme.id}
    if kind in (policy.TOWN, policy.ENTERPRISE):
        params[_SCOPE.key] = scope.id
    if by_status:
        params[_STATUS.key] = status
    return ("training.enrolments", kind, by_status), build, params


def waitlist_position(enrolment: TrainingEnrolment) -> int | None:
    """Place on the waitlist (1 = next to move up), or None when not waiting."""
    if enrolment.status != WAITLISTED or enrolment.programme.status != PUBLISHED:
        return None
    return db.session.scalar(select(func.count(TrainingEnrolment.id)).where(
        TrainingEnrolment.programme_id == enrolment.programme_id, TrainingEnrolment.status == WAITLISTED,
        TrainingEnrolment.id <= enrolment.id))


def page_waitlist_positions(enrolments) -> dict[int, int]:
    """Enrolment id -> place on its programme's waitlist for the waiting ones among `enrolments` (a page):
    one query, an indexed count per waiting enrolment, whatever the length of the list."""
    waiting = [e.id for e in enrolments if e.status == WAITLISTED]
    if not waiting:
        return {}
    earlier = aliased(TrainingEnrolment)
    place = (select(func.count(earlier.id)).where(
        earlier.programme_id == TrainingEnrolment.programme_id, earlier.status == WAITLISTED,
        earlier.id <= TrainingEnrolment.id).correlate(TrainingEnrolment).scalar_subquery())
    return dict(db.session.execute(select(TrainingEnrolment.id, place).where(TrainingEnrolment.id.in_(waiting))).all())
