"""Pairing (师徒结对): HR creates a pair, both people confirm the agreement, and a pair ends.

Rules enforced here (docs/domain.md, "Mentoring"; defaults are MentorshipSettings):
- Only HR creates pairs, and only between people of their own enterprise (anyone else: NotFound).
- A mentor is at least 高级工 (rank 3) or holds a craftsman title, and at least one level above the
  apprentice; where the mentoring settings set a training rule (hours within some years, a
  completed programme of a kind: services.training.evidence), the mentor meets it; nobody mentors
  themself; a mentor has at most `max_active_apprentices` open pairs (proposed or active: a
  proposed pair holds its place; services.mentorship.places); an apprentice has one open pair per
  trade (a partial unique index is the last word).
- The agreement runs 12 to 36 months (default 12) with monthly or quarterly check-ins.
- The pair becomes active when mentor and apprentice have both confirmed the agreement; either of
  them may dissolve an active pair within its first `dissolution_months`, with a reason; a proposed
  pair may be withdrawn by HR or declined by either side.
- HR may end an active pair early (with a reason) and extend it once (up to 36 months in all).
Every status change goes through services.mentorship.lifecycle (allowed moves, history, audit).
Pairs are visible to their two people, their enterprise's HR and union admins only
(services.mentorship.policy); to everyone else they do not exist (NotFound).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Trade, User, db
from models.mentorship import (
    ACTIVE,
    DEFAULT_TERM_MONTHS,
    DISSOLVED,
    END_REASON_LABELS,
    ENDED_EARLY,
    FREQUENCY_MONTHS,
    MAX_TERM_MONTHS,
    MIN_TERM_MONTHS,
    MONTHLY,
    OPEN_STATUSES,
    PROPOSED,
    REASON_BOTH_CONFIRMED,
    REASON_EXTENDED,
    REASON_PAIR_CREATED,
    MentorPair,
)
from models.skills import MAX_RANK, SENIOR_WORKER, level
from services import policy
from services.accounts import policy as accounts_policy
from services.common import audit
from services.errors import NotAllowed, RuleViolation
from services.mentorship import checks, events, lifecycle, places
from services.mentorship import policy as mentorship_policy
from services.mentorship.settings import get_settings
from services.mentorship.terms import add_months, credit_window_end, dissolution_deadline
from services.training import evidence as training_evidence

# --- finding pairs and people -----------------------------------------------------------------------


def get_pair(actor, pair_id: int) -> MentorPair:
    """A pair within the actor's sight (policy.scope_pairs), people (their roles only when read), trade,
    enterprise and assessment loaded; else NotFound (404 for other enterprises and strangers). A kept
    statement per kind of reader (core.statements.shared_statement; the pair, the reader's scope and the
    reader bind parameters: mentorship_policy.pairs_condition)."""
    pair = None
    if actor is not None and actor.is_authenticated:
        scope = policy.management_scope(actor)
        stmt = shared_statement(("mentorship.get_pair", scope.kind), lambda: _pair_statement(scope.kind))
        pair = db.session.scalar(stmt, {_PAIR.key: pair_id, _SCOPE.key: scope.id, _READER.key: actor.id})
    if pair is None:
        mentorship_policy.pair_not_found()
    return pair


_PAIR, _SCOPE, _READER = bindparam("get_pair_id"), bindparam("get_pair_scope"), bindparam("get_pair_reader")


def _pair_statement(kind: str):
    """get_pair's statement for readers whose management scope is of `kind`."""
    stmt = (db.select(MentorPair).where(MentorPair.id == _PAIR)
            .options(db.joinedload(MentorPair.mentor).lazyload(User.role_rows),
                     db.joinedload(MentorPair.apprentice).lazyload(User.role_rows),
                     db.joinedload(MentorPair.trade), db.joinedload(MentorPair.enterprise),
                     db.joinedload(MentorPair.assessment)))
    condition = mentorship_policy.pairs_condition(kind, _SCOPE, _READER)
    return stmt if condition is None else stmt.where(condition)


def pairs_of(user: User) -> list[MentorPair]:
    """The user's own pairs, as mentor or apprentice, newest first (people, trade and outcome loaded). A
    kept statement (core.statements.shared_statement, the user's id a bind parameter)."""
    person = bindparam("pairs_of_user")
    stmt = shared_statement(("mentorship.pairs_of",), lambda: (
        db.select(MentorPair).where((MentorPair.mentor_id == person) | (MentorPair.apprentice_id == person))
        .options(db.joinedload(MentorPair.mentor).lazyload(User.role_rows),
                 db.joinedload(MentorPair.apprentice).lazyload(User.role_rows),
                 db.joinedload(MentorPair.trade), db.joinedload(MentorPair.assessment))
        .order_by(MentorPair.id.desc())))
    return list(db.session.scalars(stmt, {person.key: user.id}).unique())


def _colleague(actor, user_id: int | None, field: str, missing) -> User:
    """An active person of the actor's enterprise; RuleViolation `missing` on `field` when none was
    chosen; another enterprise's id is tampering: NotFound."""
    if not user_id:
        raise RuleViolation(missing, field=field)
    person = db.session.scalar(policy.scope_people(
        db.select(User).where(User.id == user_id, User.is_active), actor))
    return accounts_policy.require_manageable(actor, person)


def holds_craftsman_title(user: User) -> bool:
    """Whether `user` holds a craftsman title (晋江工匠 or higher: a final, unrevoked award), which lets
    a worker below 高级工 mentor."""
    from services.titles.awards import holds_any_title

    return holds_any_title(user.id)


def rank_label(rank: int | None):
    """The label of a skill level, or 未评定 (not assessed) for none."""
    return level(rank).label if rank is not None else _l("未评定")


# --- HR creates a pair ------------------------------------------------------------------------------


@dataclass
class PairPlan:
    """What HR enters for a new pair (the view fills it from the form): people and trade by id,
    the goal as a skill rank (1-8), free-text goals, dates, and MONTHLY or QUARTERLY check-ins."""

    mentor_id: int | None = None
    apprentice_id: int | None = None
    trade_id: int | None = None
    goal_level: int | None = None
    goals: str = ""
    start_date: date | None = None
    planned_end: date | None = None
    checkin_frequency: str = MONTHLY


def _check_levels(mentor: User, apprentice: User, goal_level: int | None) -> None:
    """The mentor is 高级工 or above (or a craftsman) and above the apprentice; the goal is above
    the apprentice's level."""
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
    if goal_level is None or not apprentice_rank < goal_level <= MAX_RANK:
        raise RuleViolation(_l("目标等级须高于徒弟现在的等级（%(level)s）。",
                               level=rank_label(apprentice.skill_level)), field="goal_level")


def _check_mentor_training(mentor: User, settings) -> None:
    """The training the mentor rule asks for (the settings' TrainingRequirement), each unmet rule named."""
    verdicts = training_evidence.check(settings, training_evidence.evidence_for(mentor.id))
    unmet = [v for v in verdicts if not v.met]
    if unmet:
        raise RuleViolation(_l("%(name)s 不满足师傅的培训条件：%(detail)s",
                               name=mentor.name, detail=str(unmet[0].detail)), field="mentor_id")


def _checked_agreement(plan: PairPlan) -> tuple[str, date]:
    """The agreement's goals (stripped) and planned end (default: 12 months after the start)."""
    goals = (plan.goals or "").strip()
    if not goals:
        raise RuleViolation(_l("请写明带徒目标。"), field="goals")
    if len(goals) > 2000:
        raise RuleViolation(_l("带徒目标不能超过 2000 字。"), field="goals")
    if plan.start_date is None:
        raise RuleViolation(_l("请填写开始日期。"), field="start_date")
    planned_end = plan.planned_end or add_months(plan.start_date, DEFAULT_TERM_MONTHS)
    if not (add_months(plan.start_date, MIN_TERM_MONTHS) <= planned_end
            <= add_months(plan.start_date, MAX_TERM_MONTHS)):
        raise RuleViolation(_l("协议期限须为 12 至 36 个月（自开始日期起）。"), field="planned_end")
    if plan.checkin_frequency not in FREQUENCY_MONTHS:
        raise RuleViolation(_l("请选择带徒记录频率。"), field="checkin_frequency")
    return goals, planned_end


def _refuse_second_mentor(apprentice: User, trade: Trade) -> None:
    """An apprentice has one open pair per trade (checked first for a message naming the mentor)."""
    existing = db.session.scalar(db.select(MentorPair).where(
        MentorPair.apprentice_id == apprentice.id, MentorPair.trade_id == trade.id,
        MentorPair.status.in_(OPEN_STATUSES)).options(db.joinedload(MentorPair.mentor)))
    if existing is not None:
        raise RuleViolation(_l("%(name)s 在“%(trade)s”工种已有师傅（%(mentor)s），一个工种只能有一位在带师傅。",
                               name=apprentice.name, trade=trade.label, mentor=existing.mentor.name),
                            field="apprentice_id")


def create_pair(actor, plan: PairPlan) -> MentorPair:
    """HR pairs a mentor and an apprentice of their enterprise (every rule in the module docstring).

    Raises NotAllowed for anyone but HR, NotFound for a person out of the enterprise, RuleViolation
    (on the PairPlan field concerned) for any broken rule, including a mentor without a free place.
    """
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
    _check_levels(mentor, apprentice, plan.goal_level)
    _check_mentor_training(mentor, settings)
    goals, planned_end = _checked_agreement(plan)
    _refuse_second_mentor(apprentice, trade)
    if not places.take_place(mentor.id, settings.max_active_apprentices):
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
               name=apprentice.name, trade=trade.label)
    try:
        db.session.flush()
    except IntegrityError as error:  # a concurrent pair for the same apprentice and trade won
        raise RuleViolation(taken, field="apprentice_id") from error
    lifecycle.record_change(actor, pair, None, PROPOSED, REASON_PAIR_CREATED)
    audit.record("mentorship.pair_created", actor=actor, obj=pair, mentor=mentor.id,
                 apprentice=apprentice.id, trade=trade.id)
    events.pair_created(pair)
    return pair


# --- the agreement, dissolution ----------------------------------------------------------------------


def confirm_agreement(actor, pair: MentorPair) -> MentorPair:
    """Mentor or apprentice confirms the agreement; the pair becomes active once both have, and the
    first check-in falls due one period (month or quarter) after the agreed start date, also when that
    date lies in the past (such a pair can be overdue at once: it is judged from its start).

    Raises NotAllowed for anyone but the two people, RuleViolation for a pair no longer proposed or
    a second confirmation by the same side.
    """
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
        # counted from the agreed start, also when it lies in the past: a pair entered late is judged
        # from the day it really started, not from its confirmation (issue 12, item 8)
        pair.next_checkin_due = add_months(pair.start_date, FREQUENCY_MONTHS[pair.checkin_frequency])
        lifecycle.transition(actor, pair, ACTIVE, REASON_BOTH_CONFIRMED)
    db.session.flush()
    events.agreement_confirmed(actor, pair)
    return pair


def dissolve(actor, pair: MentorPair, reason: str) -> MentorPair:
    """Dissolve a pair: a proposed one by HR or either side; an active one by either side within
    its first month (setting `dissolution_months` after activation). A reason (1-500 characters) is
    required. Raises NotAllowed for anyone else (and for HR on an active pair), RuleViolation past
    the deadline or without a reason."""
    reason = (reason or "").strip()
    if not mentorship_policy.is_party_or_hr(actor, pair):
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
    lifecycle.transition(actor, pair, DISSOLVED, reason)
    pair.ended_on = clock.today()
    pair.end_reason = "dissolved"
    pair.end_note = reason
    pair.credit_until = None
    db.session.flush()
    return pair


# --- HR ends early or extends ------------------------------------------------------------------------


def end_early(actor, pair: MentorPair, reason_code: str, note: str = "") -> MentorPair:
    """HR ends an active pair early with a reason code of END_REASON_LABELS (and a note, at most
    500 characters, required for "other"); the mentor's credit window runs from today. Raises
    NotAllowed for anyone but the enterprise's HR, RuleViolation otherwise."""
    if not mentorship_policy.can_manage(actor, pair):
        raise NotAllowed(_l("只有本企业人力资源可以提前结束结对。"))
    if reason_code not in END_REASON_LABELS:
        raise RuleViolation(_l("请选择提前结束的原因。"), field="reason")
    note = (note or "").strip()
    if reason_code == "other" and not note:
        raise RuleViolation(_l("选择“其他”时请写明原因。"), field="note")
    note = checks.clean_note(note)
    label = str(END_REASON_LABELS[reason_code])
    lifecycle.transition(actor, pair, ENDED_EARLY, f"{label}：{note}" if note else label)
    pair.ended_on = clock.today()
    pair.end_reason = reason_code
    pair.end_note = note or None
    pair.credit_until = credit_window_end(pair.ended_on)
    db.session.flush()
    return pair


def extend(actor, pair: MentorPair, new_end: date | None, reason: str = "") -> MentorPair:
    """HR extends an active pair once, to a later planned end within 36 months of the start, with a
    reason (1-400 characters). Raises NotAllowed for anyone but the enterprise's HR, RuleViolation
    otherwise."""
    if not mentorship_policy.can_manage(actor, pair):
        raise NotAllowed(_l("只有本企业人力资源可以延长结对。"))
    if pair.status != ACTIVE:
        raise RuleViolation(_l("只有带徒中的结对可以延期。"))
    if pair.extended:
        raise RuleViolation(_l("每个结对只能延期一次。"))
    if new_end is None or new_end <= pair.planned_end:
        raise RuleViolation(_l("新的结束日期须晚于现在的结束日期（%(day)s）。", day=pair.planned_end.isoformat()),
                            field="new_end")
    latest = add_months(pair.start_date, MAX_TERM_MONTHS)
    if new_end > latest:
        raise RuleViolation(_l("延期后协议期限不能超过 36 个月（最晚 %(day)s）。", day=latest.isoformat()),
                            field="new_end")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请说明延期原因。"), field="reason")
    if len(reason) > 400:
        raise RuleViolation(_l("原因不能超过 400 字。"), field="reason")
    old_end = pair.planned_end
    lifecycle.transition(actor, pair, ACTIVE, REASON_EXTENDED % {"old": old_end.isoformat(),
                                                                 "new": new_end.isoformat(), "why": reason})
    pair.extended = True
    pair.planned_end = new_end
    pair.credit_until = credit_window_end(new_end)
    db.session.flush()
    return pair
