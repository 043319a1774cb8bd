"""The classes (班次) of a training programme: the owner adds, edits and removes them.

Rules (docs/domain.md, Skills training, "Programmes, classes and enrolment"):
- Only the programme's owner (services.training.policy.require_runner), while the programme is a draft
  or published.
- A class has a title, one day with a start and an end time (typed and shown in Asia/Shanghai, stored in
  UTC), a place, its hours (Decimal, more than 0 and at most 24, and not more than the time between
  start and end), a trainer, an optional room capacity, and an optional class assistant (班级助理): one
  active person the owner may see (services.policy.scope_people; picked with the "class_assistant"
  purpose of services.accounts.search), who may then run the class's sign-in.
- The class lies within the programme's days.
- A class with attendance recorded is not removed (its hours count).
Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.training import DRAFT, PUBLISHED, TrainingAttendance, TrainingClass, TrainingProgramme
from services import policy
from services.common import audit
from services.errors import RuleViolation
from services.training import policy as training_policy
from services.training.programmes import local_day

MAX_HOURS = Decimal(24)


@dataclass
class ClassData:
    """A class as typed: the day and the Asia/Shanghai times, hours as Decimal, the assistant's id."""

    title: str = ""
    day: date | None = None
    starts: time | None = None
    ends: time | None = None
    place: str = ""
    hours: Decimal | None = None
    trainer: str = ""
    capacity: int | None = None
    assistant_id: int | None = None


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=clock.SHANGHAI).astimezone(UTC)


def _check(actor, programme: TrainingProgramme, data: ClassData) -> tuple[datetime, datetime, User | None]:
    """Every rule on a class's settings (RuleViolation on the field); returns its UTC times and assistant."""
    data.title = (data.title or "").strip()
    if not data.title or len(data.title) > 100:
        raise RuleViolation(_l("请填写班次名称（不超过 100 字）。"), field="title")
    if data.day is None:
        raise RuleViolation(_l("请填写上课日期。"), field="day")
    if data.starts is None or data.ends is None:
        raise RuleViolation(_l("请填写开始和结束时间。"), field="starts")
    if data.ends <= data.starts:
        raise RuleViolation(_l("结束时间应晚于开始时间。"), field="ends")
    if not programme.starts_on <= data.day <= programme.ends_on:
        raise RuleViolation(_l("上课日期应在培训起止日期（%(a)s 至 %(b)s）之内。", a=programme.starts_on.isoformat(),
                               b=programme.ends_on.isoformat()), field="day")
    starts_at, ends_at = _at(data.day, data.starts), _at(data.day, data.ends)
    span = Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)
    if data.hours is None or not Decimal(0) < data.hours <= MAX_HOURS:
        raise RuleViolation(_l("学时应大于 0 且不超过 24。"), field="hours")
    if data.hours > span:
        raise RuleViolation(_l("学时不能超过上课时长（%(h)s 小时）。", h=f"{span.normalize():f}"), field="hours")
    if data.hours != data.hours.quantize(Decimal("0.1")):
        raise RuleViolation(_l("学时最多保留一位小数。"), field="hours")
    if data.capacity is not None and data.capacity <= 0:
        raise RuleViolation(_l("教室容量应为正整数。"), field="capacity")
    if len(data.place or "") > 200:
        raise RuleViolation(_l("地点不超过 200 字。"), field="place")
    if len(data.trainer or "") > 100:
        raise RuleViolation(_l("授课老师不超过 100 字。"), field="trainer")
    assistant = None
    if data.assistant_id is not None:
        assistant = db.session.scalar(policy.scope_people(select(User), actor).where(
            User.id == data.assistant_id, User.is_active))
        if assistant is None:
            raise RuleViolation(_l("班级助理须是您管理范围内的在用账号。"), field="assistant_id")
    return starts_at, ends_at, assistant


def _require_editable(actor, programme: TrainingProgramme) -> None:
    training_policy.require_runner(actor, programme)
    if programme.status not in (DRAFT, PUBLISHED):
        raise RuleViolation(_l("已结业或已取消的培训项目不能再调整班次。"))


def _apply(training_class: TrainingClass, data: ClassData, starts_at, ends_at, assistant) -> None:
    training_class.title = data.title
    training_class.starts_at, training_class.ends_at = starts_at, ends_at
    training_class.place = (data.place or "").strip()
    training_class.hours = data.hours
    training_class.trainer = (data.trainer or "").strip()
    training_class.capacity = data.capacity
    training_class.assistant_id = assistant.id if assistant else None


def add_class(actor, programme: TrainingProgramme, data: ClassData) -> TrainingClass:
    """Add a class to a draft or published programme (its owner). Raises NotFound / NotAllowed (not the
    owner) or RuleViolation (a setting, on its field; the programme finished or cancelled)."""
    _require_editable(actor, programme)
    starts_at, ends_at, assistant = _check(actor, programme, data)
    training_class = TrainingClass(programme_id=programme.id, created_at=clock.now())
    _apply(training_class, data, starts_at, ends_at, assistant)
    db.session.add(training_class)
    db.session.flush()
    audit.record("training.class_added", actor=actor, obj=training_class, programme_id=programme.id,
                 starts_at=starts_at, hours=training_class.hours, assistant_id=training_class.assistant_id)
    return training_class


def update_class(actor, training_class: TrainingClass, data: ClassData) -> None:
    """Change a class (as add_class). Hours already credited stay as they were; the attendance part
    re-credits them when it closes the class."""
    programme = training_class.programme
    _require_editable(actor, programme)
    starts_at, ends_at, assistant = _check(actor, programme, data)
    old_hours, old_start = training_class.hours, training_class.starts_at
    _apply(training_class, data, starts_at, ends_at, assistant)
    db.session.flush()
    audit.record("training.class_updated", actor=actor, obj=training_class, programme_id=programme.id,
                 starts_at_old=old_start, starts_at=starts_at, hours_old=old_hours, hours=training_class.hours,
                 assistant_id=training_class.assistant_id)


def remove_class(actor, training_class: TrainingClass) -> None:
    """Remove a class without attendance (its owner). Raises NotFound / NotAllowed or RuleViolation
    (attendance recorded, or the programme finished or cancelled)."""
    programme = training_class.programme
    _require_editable(actor, programme)
    recorded = db.session.scalar(select(func.count(TrainingAttendance.id))
                                 .where(TrainingAttendance.class_id == training_class.id))
    if recorded:
        raise RuleViolation(_l("这个班次已有考勤记录，不能删除。"))
    audit.record("training.class_removed", actor=actor, obj=training_class, programme_id=programme.id,
                 title=training_class.title, starts_at=training_class.starts_at)
    programme.classes.remove(training_class)
    db.session.flush()


def class_form_data(training_class: TrainingClass) -> ClassData:
    """A class as its edit form shows it (Asia/Shanghai day and times)."""
    start = training_class.starts_at.astimezone(clock.SHANGHAI)
    return ClassData(title=training_class.title, day=start.date(), starts=start.time().replace(tzinfo=None),
                     ends=training_class.ends_at.astimezone(clock.SHANGHAI).time().replace(tzinfo=None),
                     place=training_class.place, hours=training_class.hours, trainer=training_class.trainer,
                     capacity=training_class.capacity, assistant_id=training_class.assistant_id)


def total_hours(programme_id: int) -> Decimal:
    """The programme's hours: the sum over its classes (one query)."""
    return db.session.scalar(select(func.coalesce(func.sum(TrainingClass.hours), 0))
                             .where(TrainingClass.programme_id == programme_id)) or Decimal(0)


def class_day(training_class: TrainingClass) -> date:
    return local_day(training_class.starts_at)
