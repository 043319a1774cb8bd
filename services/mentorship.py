"""Mentor-apprentice pairs (名师带徒): creating a pair, the agreement, check-ins, assessment, ending.

Rules enforced here (domain.md, "Mentoring"; defaults are MentorshipSettings):
- Only HR creates pairs, and only between people of their own enterprise (anyone else: NotFound).
- A mentor is at least 高级工 (rank 3) or holds a craftsman title, and at least one level above the
  apprentice; nobody mentors themself; a mentor has at most `max_active_apprentices` open pairs
  (proposed or active: a proposed pair holds its place), guarded by MentorLoad's counter
  (UPDATE ... WHERE open_pairs < max) in the same transaction as the insert; an apprentice has one
  open pair per trade (a partial unique index is the last word).
- The agreement runs 12 to 36 months (default 12) with monthly or quarterly check-ins.
- The pair becomes active when mentor and apprentice have both confirmed the agreement; either of
  them may dissolve an active pair within its first `dissolution_months`, with a reason; a proposed
  pair may be withdrawn by HR or declined by either side.
- Only the mentor records check-ins, only the apprentice confirms or disputes them (a dispute needs
  a note). A pair is overdue when no confirmed check-in falls within its frequency plus `grace_days`.
- The final assessment (出师考核) is recorded by HR at or after the planned end; passing with a
  higher level changes the apprentice's skill level (services.common.skills, reason "assessment").
- HR may end an active pair early (with a reason) and extend it once (up to 36 months in all).
- Illegal transitions are refused and change nothing; every transition is a PairStatusChange row
  (who, when, from, to, why) and an audit entry.
Check-ins and pairs are visible to the two people of the pair, their enterprise's HR and union
admins only; to everyone else they do not exist (NotFound).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, or_, update
from sqlalchemy.exc import IntegrityError

from core import clock
from models import Trade, User, db
from models.mentorship import (
    ACTIVE,
    CHECKIN_CONFIRMED,
    CHECKIN_DISPUTED,
    CHECKIN_PENDING,
    COMPLETED,
    CREDIT_YEARS_AFTER,
    DEFAULT_TERM_MONTHS,
    DISSOLVED,
    END_REASONS,
    ENDED_EARLY,
    FREQUENCY_MONTHS,
    GRADE_LABELS,
    MAX_TERM_MONTHS,
    MIN_TERM_MONTHS,
    MONTHLY,
    OPEN_STATUSES,
    PASSING_GRADES,
    PROPOSED,
    STATUS_LABELS,
    Assessment,
    CheckIn,
    MentorLoad,
    MentorPair,
    MentorshipSettings,
    PairStatusChange,
)
from models.skills import MAX_RANK, REASON_ASSESSMENT, SENIOR_WORKER, level
from services import policy
from services.common import audit, skills, uploads
from services.errors import NotAllowed, NotFound, RuleViolation

# --- settings -------------------------------------------------------------------------------------

SETTING_DEFAULTS = {
    "max_active_apprentices": 3,
    "grace_days": 7,
    "dissolution_months": 1,
    "excellent_quota": 100,
}


def get_settings() -> MentorshipSettings:
    """The settings row, or an unsaved one holding the defaults when none was saved yet."""
    row = db.session.get(MentorshipSettings, 1)
    return row if row is not None else MentorshipSettings(id=1, **SETTING_DEFAULTS)


def update_settings(actor, **values) -> MentorshipSettings:
    """Union admins change the mentoring settings; each value within its range; audited."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以修改带徒设置。"))
    ranges = {
        "max_active_apprentices": (1, 20, _l("每位师傅同时带徒人数须在 1 到 20 之间。")),
        "grace_days": (0, 90, _l("宽限天数须在 0 到 90 之间。")),
        "dissolution_months": (0, 6, _l("可解除期限须在 0 到 6 个月之间。")),
        "excellent_quota": (1, 10000, _l("优秀师徒名额须在 1 到 10000 之间。")),
    }
    row = db.session.get(MentorshipSettings, 1)
    if row is None:
        row = MentorshipSettings(id=1, **SETTING_DEFAULTS)
        db.session.add(row)
    before = {name: getattr(row, name) for name in ranges}
    for name, value in values.items():
        low, high, message = ranges[name]
        if value is None or not low <= value <= high:
            raise RuleViolation(message, field=name)
        setattr(row, name, value)
    row.updated_by_id = actor.id
    db.session.flush()
    audit.record("mentorship.settings_changed", actor=actor, before=before,
                 after={name: getattr(row, name) for name in ranges})
    return row


# --- dates ------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def credit_window_end(end: date) -> date:
    return add_months(end, 12 * CREDIT_YEARS_AFTER)


# --- hooks for other areas -----------------------------------------------------------------------


def holds_craftsman_title(user: User) -> bool:
    """Whether `user` holds a craftsman title (晋江工匠 or higher: a final, unrevoked award), which lets
    a worker below 高级工 mentor."""
    from services.titles.awards import holds_any_title

    return holds_any_title(user.id)


# --- who sees what ------------------------------------------------------------------------------


def scope_pairs(stmt, actor):
    """Restrict a select over MentorPair to what `actor` may see: admins all, HR their enterprise,
    everybody their own pairs (as mentor or apprentice)."""
    if policy.is_admin(actor):
        return stmt
    own = or_(MentorPair.mentor_id == actor.id, MentorPair.apprentice_id == actor.id)
    if policy.is_hr(actor):
        return stmt.where(or_(MentorPair.enterprise_id == actor.enterprise_id, own))
    if actor is None or not actor.is_authenticated:
        return stmt.where(false())
    return stmt.where(own)


def get_pair(actor, pair_id: int) -> MentorPair:
    """A pair within the actor's sight, else NotFound (404 for other enterprises and strangers)."""
    pair = db.session.scalar(scope_pairs(db.select(MentorPair).where(MentorPair.id == pair_id), actor)
                             .options(db.joinedload(MentorPair.mentor), db.joinedload(MentorPair.apprentice),
                                      db.joinedload(MentorPair.trade), db.joinedload(MentorPair.enterprise),
                                      db.joinedload(MentorPair.assessment)))
    if pair is None:
        raise NotFound(_l("找不到这个师徒结对。"))
    return pair


def get_checkin(actor, checkin_id: int) -> CheckIn:
    """A check-in whose pair the actor may see, else NotFound."""
    stmt = scope_pairs(db.select(CheckIn).join(MentorPair, MentorPair.id == CheckIn.pair_id)
                       .where(CheckIn.id == checkin_id), actor)
    checkin = db.session.scalar(stmt)
    if checkin is None:
        raise NotFound(_l("找不到这条带徒记录。"))
    return checkin


def is_enterprise_hr(actor, pair: MentorPair) -> bool:
    return policy.is_hr(actor) and actor.enterprise_id == pair.enterprise_id


def can_manage(actor, pair: MentorPair) -> bool:
    """HR of the pair's enterprise records assessments, ends early, extends and prints."""
    return is_enterprise_hr(actor, pair)


def can_confirm(actor, pair: MentorPair) -> bool:
    if pair.status != PROPOSED:
        return False
    side = pair.party(actor)
    return (side == "mentor" and pair.mentor_confirmed_at is None) or (
        side == "apprentice" and pair.apprentice_confirmed_at is None)


def dissolution_deadline(pair: MentorPair, settings: MentorshipSettings | None = None) -> date | None:
    """Last day either side may dissolve an active pair: its first month (setting) after activation."""
    if pair.activated_on is None:
        return None
    settings = settings or get_settings()
    return add_months(pair.activated_on, settings.dissolution_months)


def can_dissolve(actor, pair: MentorPair) -> bool:
    if pair.status == PROPOSED:
        return pair.party(actor) is not None or is_enterprise_hr(actor, pair)
    if pair.status == ACTIVE and pair.party(actor) is not None:
        deadline = dissolution_deadline(pair)
        return deadline is not None and clock.today() <= deadline
    return False


def can_record_checkin(actor, pair: MentorPair) -> bool:
    return pair.status == ACTIVE and pair.party(actor) == "mentor"


def can_respond(actor, checkin: CheckIn, pair: MentorPair) -> bool:
    return checkin.status == CHECKIN_PENDING and pair.party(actor) == "apprentice"


def can_assess(actor, pair: MentorPair) -> bool:
    return pair.status == ACTIVE and can_manage(actor, pair) and clock.today() >= pair.planned_end


# --- the state machine -------------------------------------------------------------------------

TRANSITIONS = {
    (PROPOSED, ACTIVE),
    (PROPOSED, DISSOLVED),
    (ACTIVE, DISSOLVED),
    (ACTIVE, COMPLETED),
    (ACTIVE, ENDED_EARLY),
    (ACTIVE, ACTIVE),  # the one extension
}


def _transition(actor, pair: MentorPair, to_status: str, reason: str | None) -> PairStatusChange:
    """Move `pair` to `to_status` if the machine allows it; record who, when, from, to, why."""
    from_status = pair.status
    if (from_status, to_status) not in TRANSITIONS:
        raise RuleViolation(_l("当前状态为“%(from)s”，不能变为“%(to)s”。",
                               **{"from": STATUS_LABELS.get(from_status, from_status),
                                  "to": STATUS_LABELS.get(to_status, to_status)}))
    if from_status in OPEN_STATUSES and to_status not in OPEN_STATUSES:
        _release_place(pair.mentor_id)
    pair.status = to_status
    return _record(actor, pair, from_status, to_status, reason)


def _record(actor, pair: MentorPair, from_status: str | None, to_status: str, reason: str | None):
    change = PairStatusChange(pair_id=pair.id, from_status=from_status, to_status=to_status,
                              actor_id=getattr(actor, "id", None), reason=reason, changed_at=clock.now())
    db.session.add(change)
    db.session.flush()
    audit.record("mentorship.status_changed", actor=actor, obj=pair, old=from_status, new=to_status,
                 reason=reason)
    return change


def history(pair: MentorPair) -> list[PairStatusChange]:
    return list(db.session.scalars(
        db.select(PairStatusChange).where(PairStatusChange.pair_id == pair.id)
        .options(db.joinedload(PairStatusChange.actor)).order_by(PairStatusChange.id)))


# --- the mentor's places (guarded counter) ----------------------------------------------------------


def _ensure_load_row(mentor_id: int) -> None:
    """Create the mentor's counter row, initialised from the open pairs, unless it exists (race-safe)."""
    open_now = (db.select(func.count(MentorPair.id))
                .where(MentorPair.mentor_id == mentor_id, MentorPair.status.in_(OPEN_STATUSES))
                .scalar_subquery())
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(MentorLoad).values(mentor_id=mentor_id, open_pairs=open_now)
                       .on_conflict_do_nothing(index_elements=["mentor_id"]))


def _take_place(mentor_id: int, maximum: int) -> bool:
    """Count one more open pair for the mentor unless already at `maximum` (one guarded UPDATE)."""
    _ensure_load_row(mentor_id)
    result = db.session.execute(
        update(MentorLoad).where(MentorLoad.mentor_id == mentor_id, MentorLoad.open_pairs < maximum)
        .values(open_pairs=MentorLoad.open_pairs + 1).execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_place(mentor_id: int) -> None:
    db.session.execute(
        update(MentorLoad).where(MentorLoad.mentor_id == mentor_id, MentorLoad.open_pairs > 0)
        .values(open_pairs=MentorLoad.open_pairs - 1).execution_options(synchronize_session=False)
    )


def open_pair_count(mentor_id: int) -> int:
    return db.session.scalar(db.select(func.count(MentorPair.id)).where(
        MentorPair.mentor_id == mentor_id, MentorPair.status.in_(OPEN_STATUSES))) or 0


# --- journey 1: HR creates a pair -----------------------------------------------------------------


@dataclass
class PairPlan:
    """What HR enters for a new pair (the view fills it from the form)."""

    mentor_id: int | None = None
    apprentice_id: int | None = None
    trade_id: int | None = None
    goal_level: int | None = None
    goals: str = ""
    start_date: date | None = None
    planned_end: date | None = None
    checkin_frequency: str = MONTHLY


def _colleague(actor, user_id: int | None, field: str, missing) -> User:
    """An active person of the actor's enterprise; another enterprise's id is tampering: NotFound."""
    if not user_id:
        raise RuleViolation(missing, field=field)
    person = db.session.scalar(db.select(User).where(
        User.id == user_id, User.enterprise_id == actor.enterprise_id, User.is_active))
    if person is None:
        raise NotFound(_l("找不到这个人员。"))
    return person


def rank_label(rank: int | None):
    return level(rank).label if rank is not None else _l("未评定")


def create_pair(actor, plan: PairPlan) -> MentorPair:
    """HR pairs a mentor and an apprentice of their enterprise (every rule in the module docstring)."""
    if not policy.is_hr(actor):
        raise NotAllowed(_l("只有企业人力资源可以建立师徒结对。"))
    settings = get_settings()
    mentor = _colleague(actor, plan.mentor_id, "mentor_id", _l("请选择师傅。"))
    apprentice = _colleague(actor, plan.apprentice_id, "apprentice_id", _l("请选择徒弟。"))
    if mentor.id == apprentice.id:
        raise RuleViolation(_l("师傅和徒弟不能是同一个人。"), field="apprentice_id")
    trade = db.session.get(Trade, plan.trade_id) if plan.trade_id else None
    if trade is None:
        raise RuleViolation(_l("请选择带徒工种。"), field="trade_id")
    mentor_rank = mentor.skill_level
    if (mentor_rank is None or mentor_rank < SENIOR_WORKER) and not holds_craftsman_title(mentor):
        raise RuleViolation(
            _l("师傅须达到高级工（三级）及以上，或持有工匠称号；%(name)s 现为%(level)s。",
               name=mentor.name, level=rank_label(mentor_rank)), field="mentor_id")
    apprentice_rank = apprentice.skill_level if apprentice.skill_level is not None else 0
    if mentor_rank is None or mentor_rank <= apprentice_rank:
        raise RuleViolation(
            _l("师傅的技能等级须至少比徒弟高一级：师傅为%(mentor)s，徒弟为%(apprentice)s。",
               mentor=rank_label(mentor_rank), apprentice=rank_label(apprentice.skill_level)),
            field="mentor_id")
    if plan.goal_level is None or not apprentice_rank < plan.goal_level <= MAX_RANK:
        raise RuleViolation(_l("目标等级须高于徒弟现在的等级（%(level)s）。",
                               level=rank_label(apprentice.skill_level)), field="goal_level")
    goals = (plan.goals or "").strip()
    if not goals:
        raise RuleViolation(_l("请写明带徒目标。"), field="goals")
    if len(goals) > 2000:
        raise RuleViolation(_l("带徒目标不能超过 2000 字。"), field="goals")
    if plan.start_date is None:
        raise RuleViolation(_l("请填写开始日期。"), field="start_date")
    planned_end = plan.planned_end or add_months(plan.start_date, DEFAULT_TERM_MONTHS)
    if not add_months(plan.start_date, MIN_TERM_MONTHS) <= planned_end <= add_months(plan.start_date,
                                                                                       MAX_TERM_MONTHS):
        raise RuleViolation(_l("协议期限须为 12 至 36 个月（自开始日期起）。"), field="planned_end")
    if plan.checkin_frequency not in FREQUENCY_MONTHS:
        raise RuleViolation(_l("请选择带徒记录频率。"), field="checkin_frequency")
    existing = db.session.scalar(db.select(MentorPair).where(
        MentorPair.apprentice_id == apprentice.id, MentorPair.trade_id == trade.id,
        MentorPair.status.in_(OPEN_STATUSES)).options(db.joinedload(MentorPair.mentor)))
    if existing is not None:
        raise RuleViolation(_l("%(name)s 在“%(trade)s”工种已有师傅（%(mentor)s），一个工种只能有一位在带师傅。",
                               name=apprentice.name, trade=trade.name, mentor=existing.mentor.name),
                            field="apprentice_id")
    if not _take_place(mentor.id, settings.max_active_apprentices):
        raise RuleViolation(_l("%(name)s 已有 %(n)d 名在带或待确认的徒弟，达到上限。",
                               name=mentor.name, n=settings.max_active_apprentices), field="mentor_id")
    pair = MentorPair(
        enterprise_id=actor.enterprise_id, mentor_id=mentor.id, apprentice_id=apprentice.id,
        trade_id=trade.id, goal_level=plan.goal_level, goals=goals, start_date=plan.start_date,
        planned_end=planned_end, checkin_frequency=plan.checkin_frequency, status=PROPOSED,
        mentor_level_at_start=mentor.skill_level, apprentice_level_at_start=apprentice.skill_level,
        credit_until=credit_window_end(planned_end), created_by_id=actor.id,
    )
    db.session.add(pair)
    taken = _l("%(name)s 在“%(trade)s”工种已有师傅，一个工种只能有一位在带师傅。",
               name=apprentice.name, trade=trade.name)
    try:
        db.session.flush()
    except IntegrityError as error:  # a concurrent pair for the same apprentice and trade won
        raise RuleViolation(taken, field="apprentice_id") from error
    _record(actor, pair, None, PROPOSED, str(_l("企业建立结对")))
    audit.record("mentorship.pair_created", actor=actor, obj=pair, mentor=mentor.id,
                 apprentice=apprentice.id, trade=trade.id)
    return pair


# --- journey 2: the agreement, dissolution ---------------------------------------------------------


def confirm_agreement(actor, pair: MentorPair) -> MentorPair:
    """Mentor or apprentice confirms the agreement; the pair becomes active once both have."""
    side = pair.party(actor)
    if side is None:
        raise NotAllowed(_l("只有师傅和徒弟本人可以确认带徒协议。"))
    if pair.status != PROPOSED:
        raise RuleViolation(_l("只有待确认的带徒协议可以确认。"))
    stamp = "mentor_confirmed_at" if side == "mentor" else "apprentice_confirmed_at"
    if getattr(pair, stamp) is not None:
        raise RuleViolation(_l("您已确认过这份带徒协议。"))
    setattr(pair, stamp, clock.now())
    audit.record("mentorship.agreement_confirmed", actor=actor, obj=pair, side=side)
    if pair.mentor_confirmed_at and pair.apprentice_confirmed_at:
        today = clock.today()
        pair.activated_on = today
        pair.next_checkin_due = add_months(max(pair.start_date, today),
                                           FREQUENCY_MONTHS[pair.checkin_frequency])
        _transition(actor, pair, ACTIVE, str(_l("师徒双方均已确认协议")))
    db.session.flush()
    return pair


def dissolve(actor, pair: MentorPair, reason: str) -> MentorPair:
    """Dissolve a pair: a proposed one by HR or either side; an active one by either side within
    its first month (setting `dissolution_months` after activation). A reason is required."""
    reason = (reason or "").strip()
    if pair.party(actor) is None and not is_enterprise_hr(actor, pair):
        raise NotAllowed(_l("只有师徒双方或本企业人力资源可以解除结对。"))
    if pair.status == ACTIVE:
        if pair.party(actor) is None:
            raise NotAllowed(_l("带徒中的结对只能由师傅或徒弟本人解除；企业可办理提前结束。"))
        deadline = dissolution_deadline(pair)
        if deadline is None or clock.today() > deadline:
            raise RuleViolation(_l("结对生效满一个月后不能再解除（截止日为 %(day)s），请由企业办理提前结束。",
                                   day=deadline.isoformat() if deadline else "—"))
    if not reason:
        raise RuleViolation(_l("请说明解除原因。"), field="reason")
    if len(reason) > 500:
        raise RuleViolation(_l("原因不能超过 500 字。"), field="reason")
    _transition(actor, pair, DISSOLVED, reason)
    pair.ended_on = clock.today()
    pair.end_reason = "dissolved"
    pair.end_note = reason
    pair.credit_until = None
    db.session.flush()
    return pair


# --- journey 3: check-ins ----------------------------------------------------------------------------


def parse_hours(value) -> Decimal | None:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        return None
    return hours


def record_checkin(actor, pair: MentorPair, *, checkin_date: date | None, hours, taught: str,
                   skill_points: str, photo=None) -> CheckIn:
    """The mentor records a progress check-in of an active pair (date within the agreement and not
    in the future, 0.1-300 hours, what was taught, skill points, optional photo)."""
    if pair.party(actor) != "mentor":
        raise NotAllowed(_l("只有师傅本人可以填写带徒记录。"))
    if pair.status != ACTIVE:
        raise RuleViolation(_l("只有带徒中的结对可以填写带徒记录。"))
    if checkin_date is None:
        raise RuleViolation(_l("请填写带徒日期。"), field="checkin_date")
    if checkin_date > clock.today():
        raise RuleViolation(_l("日期不能晚于今天。"), field="checkin_date")
    if checkin_date < pair.start_date:
        raise RuleViolation(_l("日期不能早于结对开始日期（%(day)s）。", day=pair.start_date.isoformat()),
                            field="checkin_date")
    amount = parse_hours(hours) if hours is not None else None
    if amount is None or not Decimal("0") < amount <= Decimal("300"):
        raise RuleViolation(_l("带徒时长须在 0.1 到 300 小时之间。"), field="hours")
    taught = (taught or "").strip()
    if not taught:
        raise RuleViolation(_l("请写明传授的内容。"), field="taught")
    skill_points = (skill_points or "").strip()
    if not skill_points:
        raise RuleViolation(_l("请填写练习的技能要点。"), field="skill_points")
    if len(skill_points) > 500:
        raise RuleViolation(_l("技能要点不能超过 500 字。"), field="skill_points")
    stored = None
    if photo is not None and getattr(photo, "filename", None):
        stored = uploads.save_upload(actor, photo, allowed=("image",), field="photo")
    checkin = CheckIn(pair_id=pair.id, checkin_date=checkin_date, hours=amount, taught=taught,
                      skill_points=skill_points, photo_id=stored.id if stored else None,
                      status=CHECKIN_PENDING, recorded_by_id=actor.id, recorded_at=clock.now())
    db.session.add(checkin)
    db.session.flush()
    audit.record("mentorship.checkin_recorded", actor=actor, obj=pair, checkin=checkin.id,
                 hours=str(amount), date=checkin_date.isoformat())
    return checkin


def respond_checkin(actor, checkin: CheckIn, *, confirm: bool, note: str = "") -> CheckIn:
    """The apprentice confirms or disputes a pending check-in; a dispute needs a note. A confirmed
    check-in moves the pair's next due date to its date plus the frequency."""
    pair = checkin.pair
    if pair.party(actor) != "apprentice":
        raise NotAllowed(_l("只有徒弟本人可以确认带徒记录。"))
    if checkin.status != CHECKIN_PENDING:
        raise RuleViolation(_l("这条带徒记录已经确认或提出异议，不能再次操作。"))
    note = (note or "").strip()
    if not confirm and not note:
        raise RuleViolation(_l("提出异议时请写明原因。"), field="note")
    if len(note) > 500:
        raise RuleViolation(_l("说明不能超过 500 字。"), field="note")
    old = checkin.status
    checkin.status = CHECKIN_CONFIRMED if confirm else CHECKIN_DISPUTED
    checkin.apprentice_note = note or None
    checkin.responded_at = clock.now()
    if confirm and (pair.last_checkin_on is None or checkin.checkin_date > pair.last_checkin_on):
        pair.last_checkin_on = checkin.checkin_date
        pair.next_checkin_due = add_months(checkin.checkin_date, FREQUENCY_MONTHS[pair.checkin_frequency])
    db.session.flush()
    audit.record("mentorship.checkin_answered", actor=actor, obj=pair, checkin=checkin.id, old=old,
                 new=checkin.status, note=note)
    return checkin


def checkins(pair: MentorPair) -> list[CheckIn]:
    """The pair's check-ins, newest first (a pair has at most a few dozen)."""
    return list(db.session.scalars(db.select(CheckIn).where(CheckIn.pair_id == pair.id)
                                   .options(db.joinedload(CheckIn.photo))
                                   .order_by(CheckIn.checkin_date.desc(), CheckIn.id.desc())))


def checkin_state(pair: MentorPair, today: date | None = None,
                  settings: MentorshipSettings | None = None) -> str | None:
    """'overdue' (no confirmed check-in within the frequency plus the grace days), 'due' (due by the
    end of this week) or 'ok'; None for a pair that is not active. Same rule as the dashboard's SQL."""
    if pair.status != ACTIVE or pair.next_checkin_due is None:
        return None
    today = today or clock.today()
    settings = settings or get_settings()
    if pair.next_checkin_due < overdue_before(today, settings):
        return "overdue"
    if pair.next_checkin_due <= week_end(today):
        return "due"
    return "ok"


def overdue_before(today: date, settings: MentorshipSettings) -> date:
    """A pair whose next check-in was due before this day is overdue."""
    return today - timedelta(days=settings.grace_days)


def week_end(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


# --- journey 4: assessment, ending early, extension --------------------------------------------------


@dataclass
class AssessmentData:
    grade: str = ""
    level_reached: int | None = None
    score: Decimal | None = None
    assessor: str = ""
    notes: str = ""
    assessed_on: date | None = None


def assess(actor, pair: MentorPair, data: AssessmentData) -> Assessment:
    """HR records the final assessment at or after the planned end; the pair is completed. Passing
    with a level above the apprentice's current one records the new level (reason "assessment")."""
    if not can_manage(actor, pair):
        raise NotAllowed(_l("只有本企业人力资源可以录入出师考核。"))
    if pair.status != ACTIVE:
        raise RuleViolation(_l("只有带徒中的结对可以进行出师考核。"))
    today = clock.today()
    assessed_on = data.assessed_on or today
    if today < pair.planned_end:
        raise RuleViolation(_l("出师考核须在协议结束日期（%(day)s）当天或之后进行。",
                               day=pair.planned_end.isoformat()), field="assessed_on")
    if assessed_on > today:
        raise RuleViolation(_l("日期不能晚于今天。"), field="assessed_on")
    if assessed_on < pair.planned_end:
        raise RuleViolation(_l("考核日期不能早于协议结束日期（%(day)s）。", day=pair.planned_end.isoformat()),
                            field="assessed_on")
    if data.grade not in GRADE_LABELS:
        raise RuleViolation(_l("请选择考核结果。"), field="grade")
    current = pair.apprentice.skill_level
    if data.level_reached is not None and not 0 <= data.level_reached <= MAX_RANK:
        raise RuleViolation(_l("请选择达到的技能等级。"), field="level_reached")
    passed = data.grade in PASSING_GRADES
    if passed and data.level_reached is None:
        raise RuleViolation(_l("考核通过时请选择徒弟达到的技能等级。"), field="level_reached")
    if not passed and data.level_reached is not None and data.level_reached > (current or 0):
        raise RuleViolation(_l("考核不合格时不能晋升技能等级。"), field="level_reached")
    if data.score is None or not Decimal("0") <= data.score <= Decimal("100"):
        raise RuleViolation(_l("考核分数须在 0 到 100 之间。"), field="score")
    assessor = (data.assessor or "").strip()
    if not assessor:
        raise RuleViolation(_l("请填写考核人。"), field="assessor")
    if len(assessor) > 100:
        raise RuleViolation(_l("考核人不能超过 100 字。"), field="assessor")
    assessment = Assessment(pair_id=pair.id, assessed_on=assessed_on, grade=data.grade,
                            level_reached=data.level_reached, score=data.score.quantize(Decimal("0.01")),
                            assessor=assessor, notes=(data.notes or "").strip() or None,
                            recorded_by_id=actor.id, recorded_at=clock.now())
    if passed and data.level_reached is not None and data.level_reached > (current if current is not None else -1):
        change = skills.change_skill_level(actor, pair.apprentice, data.level_reached, reason=REASON_ASSESSMENT,
                                           effective_date=assessed_on, source=("mentor_pair", pair.id),
                                           note=str(_l("出师考核：%(grade)s", grade=GRADE_LABELS[data.grade])))
        assessment.skill_change_id = change.id
    db.session.add(assessment)
    _transition(actor, pair, COMPLETED, str(_l("出师考核：%(grade)s", grade=GRADE_LABELS[data.grade])))
    pair.ended_on = assessed_on
    pair.credit_until = credit_window_end(assessed_on)
    db.session.flush()
    audit.record("mentorship.assessed", actor=actor, obj=pair, grade=data.grade, level=data.level_reached,
                 score=str(assessment.score))
    return assessment


def end_early(actor, pair: MentorPair, reason_code: str, note: str = "") -> MentorPair:
    """HR ends an active pair early with a reason from the list (and a note for "other")."""
    if not can_manage(actor, pair):
        raise NotAllowed(_l("只有本企业人力资源可以提前结束结对。"))
    if reason_code not in END_REASONS:
        raise RuleViolation(_l("请选择提前结束的原因。"), field="reason")
    note = (note or "").strip()
    if reason_code == "other" and not note:
        raise RuleViolation(_l("选择“其他”时请写明原因。"), field="note")
    if len(note) > 500:
        raise RuleViolation(_l("说明不能超过 500 字。"), field="note")
    label = str(END_REASONS[reason_code])
    _transition(actor, pair, ENDED_EARLY, f"{label}：{note}" if note else label)
    pair.ended_on = clock.today()
    pair.end_reason = reason_code
    pair.end_note = note or None
    pair.credit_until = credit_window_end(pair.ended_on)
    db.session.flush()
    return pair


def extend(actor, pair: MentorPair, new_end: date | None, reason: str = "") -> MentorPair:
    """HR extends an active pair once, to a later planned end within 36 months of the start."""
    if not can_manage(actor, pair):
        raise NotAllowed(_l("只有本企业人力资源可以延长结对。"))
    if pair.status != ACTIVE:
        raise RuleViolation(_l("只有带徒中的结对可以延期。"))
    if pair.extended:
        raise RuleViolation(_l("每个结对只能延期一次。"))
    if new_end is None or new_end <= pair.planned_end:
        raise RuleViolation(_l("新的结束日期须晚于现在的结束日期（%(day)s）。", day=pair.planned_end.isoformat()),
                            field="new_end")
    if new_end > add_months(pair.start_date, MAX_TERM_MONTHS):
        raise RuleViolation(_l("延期后协议期限不能超过 36 个月（最晚 %(day)s）。",
                               day=add_months(pair.start_date, MAX_TERM_MONTHS).isoformat()), field="new_end")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请说明延期原因。"), field="reason")
    if len(reason) > 400:
        raise RuleViolation(_l("原因不能超过 400 字。"), field="reason")
    old_end = pair.planned_end
    _transition(actor, pair, ACTIVE, str(_l("延期：%(old)s → %(new)s；%(why)s", old=old_end.isoformat(),
                                            new=new_end.isoformat(), why=reason)))
    pair.extended = True
    pair.planned_end = new_end
    pair.credit_until = credit_window_end(new_end)
    db.session.flush()
    return pair


def colleagues_for_pairing(actor) -> list[User]:
    """Active people of the HR's enterprise who could be mentor or apprentice, by name."""
    if not policy.is_hr(actor):
        return []
    from models import Role, UserRole

    return list(db.session.scalars(
        db.select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.enterprise_id == actor.enterprise_id, User.is_active, UserRole.role == str(Role.WORKER))
        .options(db.joinedload(User.trade)).order_by(User.name, User.id)))


def pairs_of(user: User) -> list[MentorPair]:
    """The user's own pairs, as mentor or apprentice, newest first (people, trade and outcome loaded)."""
    return list(db.session.scalars(
        db.select(MentorPair).where((MentorPair.mentor_id == user.id) | (MentorPair.apprentice_id == user.id))
        .options(db.joinedload(MentorPair.mentor), db.joinedload(MentorPair.apprentice),
                 db.joinedload(MentorPair.trade), db.joinedload(MentorPair.assessment))
        .order_by(MentorPair.id.desc())).unique())
