"""Skills competitions: setting a competition up, eligibility, registration with capacity and a
waitlist, withdrawal, review by the union, and the lists.

Rules enforced here (defaults from the domain brief, changeable per competition):
- Only union admins create, edit, open and close competitions. The scoring scheme (theory + practical
  weights = 100, sub-item weights = 100, prize ranges without overlap) is fixed once scoring starts.
- A worker registers once per competition (unique constraint as the last word), only while the
  registration window is open, and only when eligible: trade, skill level range, age range on the day
  of the competition, in-post worker of an active (member) enterprise, the enterprise's cap not reached.
- A registration takes a seat with a guarded counter (`seats_taken < capacity` in the UPDATE itself,
  in the same transaction as the insert), so capacity holds under concurrency on SQLite and PostgreSQL;
  with no seat left it joins the waitlist, ordered by creation (id).
- Withdrawal (by the worker or their HR) only before the window closes; a confirmed competitor's
  withdrawal or rejection hands the seat to the first on the waitlist, who is told on their pages.
- HR registers workers of their own enterprise only (others are simply not found).
- Team competitions: HR enters a named team of team_min..team_max eligible workers of their own
  enterprise; the team takes one seat and one competitor number; a worker is in one entry per
  competition (unique constraint); workers do not enter team competitions on their own.
Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from core import clock
from models import Enterprise, Role, Trade, User, db
from models.competitions import (
    CONFIRMED,
    DRAFT,
    OPEN,
    REJECTED,
    SCORING,
    STATUSES,
    WAITLISTED,
    WITHDRAWN,
    Competition,
    PracticalItem,
    PracticalMark,
    PrizeTier,
    Registration,
    TeamMember,
)
from models.skills import MAX_RANK, MIN_RANK, level
from models.vocabulary import COMPETITION_LEVELS
from services import policy
from services.common import audit
from services.errors import NotAllowed, NotFound, RuleViolation

ACTIVE = (CONFIRMED, WAITLISTED)


class DuplicateRegistration(RuleViolation):
    """The unique constraint caught a second entry of the same worker (the session must roll back)."""


# --- setting up -------------------------------------------------------------------------------


@dataclass
class CompetitionData:
    """The editable settings of a competition; the view fills it from the form."""

    name: str = ""
    trade_id: int | None = None
    level: str = "city"
    description: str = ""
    venue: str = ""
    held_on: date | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    capacity: int | None = None
    eligible_trade_ids: list[int] = field(default_factory=list)
    min_skill_level: int | None = None
    max_skill_level: int | None = None
    min_age: int = 16
    max_age: int = 60
    members_only: bool = True
    per_enterprise_cap: int | None = None
    is_team: bool = False
    team_min: int = 1
    team_max: int = 1
    theory_weight: int = 30
    practical_weight: int = 70
    items: list[tuple[str, int]] = field(default_factory=list)
    min_judges: int = 3
    judge_min_level: int = 4
    prize_tiers: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    promote_top_n: int = 0


def _require_admin(actor) -> None:
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以管理竞赛。"))


def _validate(data: CompetitionData, competition: Competition | None) -> None:
    def bad(message, field_name):
        raise RuleViolation(message, field=field_name)

    data.name = (data.name or "").strip()
    if not data.name:
        bad(_l("请填写竞赛名称。"), "name")
    if data.trade_id is None or db.session.get(Trade, data.trade_id) is None:
        bad(_l("请选择工种。"), "trade_id")
    if data.level not in COMPETITION_LEVELS:
        bad(_l("请选择竞赛级别。"), "level")
    if data.held_on is None:
        bad(_l("请填写比赛日期。"), "held_on")
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if opens is None or closes is None:
        bad(_l("请填写报名起止时间。"), "registration_closes_at")
    if opens >= closes:
        bad(_l("报名截止时间应晚于开始时间。"), "registration_closes_at")
    day_end = datetime.combine(data.held_on + timedelta(days=1), time(0), tzinfo=clock.SHANGHAI)
    if closes > day_end:
        bad(_l("报名应在比赛日之前截止。"), "registration_closes_at")
    if not data.capacity or data.capacity < 1:
        bad(_l("名额至少为 1。"), "capacity")
    if competition is not None and data.capacity < competition.seats_taken:
        bad(_l("已有 %(n)d 人确认参赛，名额不能少于这个数。", n=competition.seats_taken), "capacity")
    for rank in (data.min_skill_level, data.max_skill_level, data.judge_min_level):
        if rank is not None and not MIN_RANK <= rank <= MAX_RANK:
            bad(_l("请选择职业技能等级。"), "min_skill_level")
    if (data.min_skill_level is not None and data.max_skill_level is not None
            and data.min_skill_level > data.max_skill_level):
        bad(_l("最低等级不能高于最高等级。"), "max_skill_level")
    if not 16 <= data.min_age <= data.max_age <= 70:
        bad(_l("年龄范围应在 16 到 70 岁之间，且下限不高于上限。"), "max_age")
    if data.per_enterprise_cap is not None and data.per_enterprise_cap < 1:
        bad(_l("每家企业限报人数至少为 1。"), "per_enterprise_cap")
    if data.is_team:
        if not 2 <= data.team_min <= data.team_max <= 10:
            bad(_l("团体赛每队 2 到 10 人，且下限不高于上限。"), "team_max")
    else:
        data.team_min = data.team_max = 1
    if not (0 <= data.theory_weight <= 100 and 0 <= data.practical_weight <= 100
            and data.theory_weight + data.practical_weight == 100):
        bad(_l("理论与实操权重之和应为 100%。"), "practical_weight")
    items = [((name or "").strip(), weight) for name, weight in data.items if (name or "").strip()]
    if not items:
        bad(_l("请至少设置一个实操评分项目。"), "items")
    if any(not weight or weight <= 0 for _name, weight in items):
        bad(_l("每个实操项目的权重应大于 0。"), "items")
    if sum(weight for _name, weight in items) != 100:
        bad(_l("实操各项目权重之和应为 100%%（现为 %(n)d%%）。", n=sum(w for _n, w in items)), "items")
    if len({name for name, _w in items}) != len(items):
        bad(_l("实操项目名称不能重复。"), "items")
    data.items = items
    if not 1 <= data.min_judges <= 15:
        bad(_l("实操评委人数应为 1 到 15 人。"), "min_judges")
    tiers = sorted((t for t in data.prize_tiers if t[2]), key=lambda t: t[0])
    previous_to = 0
    for rank_from, rank_to, _prize, _honour in tiers:
        if not rank_from or not rank_to or rank_from < 1 or rank_from > rank_to:
            bad(_l("奖项的名次范围不正确。"), "prize_tiers")
        if rank_from <= previous_to:
            bad(_l("奖项的名次范围不能重叠。"), "prize_tiers")
        previous_to = rank_to
    data.prize_tiers = tiers
    if data.promote_top_n is None or not 0 <= data.promote_top_n <= 100:
        bad(_l("推荐晋升人数应为 0 到 100。"), "promote_top_n")


def _apply(competition: Competition, data: CompetitionData) -> None:
    for name in ("name", "trade_id", "level", "description", "venue", "held_on", "registration_opens_at",
                 "registration_closes_at", "capacity", "min_skill_level", "max_skill_level", "min_age",
                 "max_age", "members_only", "per_enterprise_cap", "is_team", "team_min", "team_max",
                 "theory_weight", "practical_weight", "min_judges", "judge_min_level", "promote_top_n"):
        setattr(competition, name, getattr(data, name))
    competition.description = (data.description or "").strip()
    competition.venue = (data.venue or "").strip()
    trade_ids = set(data.eligible_trade_ids or [])
    competition.eligible_trades = list(
        db.session.scalars(select(Trade).where(Trade.id.in_(trade_ids)))) if trade_ids else []
    competition.items = [PracticalItem(name=name, weight=weight, position=i)
                         for i, (name, weight) in enumerate(data.items)]
    competition.prize_tiers = [PrizeTier(rank_from=a, rank_to=b, prize=p, honour=(h or "").strip() or None)
                               for a, b, p, h in data.prize_tiers]


def _snapshot(competition: Competition) -> dict:
    return {
        "name": competition.name, "capacity": competition.capacity, "status": competition.status,
        "window": [str(competition.registration_opens_at), str(competition.registration_closes_at)],
        "weights": [competition.theory_weight, competition.practical_weight],
        "items": [[i.name, i.weight] for i in competition.items],
        "prizes": [[t.rank_from, t.rank_to, t.prize, t.honour] for t in competition.prize_tiers],
    }


def create_competition(actor, data: CompetitionData) -> Competition:
    """A union admin sets up a competition (as a draft until opened)."""
    _require_admin(actor)
    _validate(data, None)
    competition = Competition(status=DRAFT, seats_taken=0, numbers_issued=0, created_by_id=actor.id)
    _apply(competition, data)
    db.session.add(competition)
    db.session.flush()
    audit.record("competition.created", actor=actor, obj=competition, new=_snapshot(competition))
    return competition


def update_competition(actor, competition: Competition, data: CompetitionData) -> Competition:
    """Edit settings while the competition is a draft or open for registration."""
    _require_admin(actor)
    if competition.status not in (DRAFT, OPEN):
        raise RuleViolation(_l("评分开始后不能再修改竞赛设置。"))
    _validate(data, competition)
    old = _snapshot(competition)
    _apply(competition, data)
    db.session.flush()
    audit.record("competition.updated", actor=actor, obj=competition, old=old, new=_snapshot(competition))
    return competition


def open_competition(actor, competition: Competition) -> None:
    """Publish a draft: workers see it and may register within its window."""
    _require_admin(actor)
    if competition.status != DRAFT:
        raise RuleViolation(_l("只有草稿状态的竞赛可以发布报名。"))
    competition.status = OPEN
    audit.record("competition.status", actor=actor, obj=competition, old=DRAFT, new=OPEN)


def start_scoring(actor, competition: Competition) -> None:
    """Close registration (after the window) and open marking."""
    _require_admin(actor)
    if competition.status != OPEN:
        raise RuleViolation(_l("只有报名中的竞赛可以开始评分。"))
    if clock.now() < competition.registration_closes_at:
        raise RuleViolation(_l("报名尚未截止，不能开始评分。"))
    if not competition.seats_taken:
        raise RuleViolation(_l("没有确认参赛的选手。"))
    competition.status = SCORING
    audit.record("competition.status", actor=actor, obj=competition, old=OPEN, new=SCORING)


# --- finding and listing ---------------------------------------------------------------------


def get_competition(actor, competition_id: int) -> Competition:
    """Drafts are visible to admins only."""
    competition = db.session.get(Competition, competition_id)
    if competition is None or (competition.status == DRAFT and not policy.is_admin(actor)):
        raise NotFound(_l("找不到这个竞赛。"))
    return competition


def competitions_query(actor, *, year=None, level_code=None, trade_id=None, status=None, open_only=False):
    """Competitions newest first, filtered; drafts only for admins. Indexed filter columns."""
    stmt = select(Competition).options(db.selectinload(Competition.trade),
                                       db.selectinload(Competition.eligible_trades))
    if not policy.is_admin(actor):
        stmt = stmt.where(Competition.status != DRAFT)
    if year:
        stmt = stmt.where(Competition.held_on >= date(year, 1, 1), Competition.held_on < date(year + 1, 1, 1))
    if level_code in COMPETITION_LEVELS:
        stmt = stmt.where(Competition.level == level_code)
    if trade_id:
        stmt = stmt.where(Competition.trade_id == trade_id)
    if status in STATUSES:
        stmt = stmt.where(Competition.status == status)
    if open_only:
        now = clock.now()
        stmt = stmt.where(Competition.status == OPEN, Competition.registration_opens_at <= now,
                          Competition.registration_closes_at > now)
    return stmt.order_by(Competition.held_on.desc(), Competition.id.desc())


def competition_years() -> list[int]:
    """Years that have competitions, newest first (for the list filter)."""
    years = db.session.scalars(select(func.distinct(func.extract("year", Competition.held_on))))
    return sorted((int(y) for y in years if y is not None), reverse=True)


def is_registration_open(competition: Competition) -> bool:
    """Open for registration: published (open) and now within [opens, closes)."""
    now = clock.now()
    return (competition.status == OPEN
            and competition.registration_opens_at <= now < competition.registration_closes_at)


# --- eligibility -------------------------------------------------------------------------------


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def enterprise_counts(competition_ids, enterprise_id) -> dict[int, int]:
    """Active entries of one enterprise per competition, in one grouped query."""
    if not enterprise_id or not competition_ids:
        return {}
    rows = db.session.execute(
        select(Registration.competition_id, func.count(Registration.id))
        .where(Registration.competition_id.in_(list(competition_ids)),
               Registration.enterprise_id == enterprise_id, Registration.status.in_(ACTIVE))
        .group_by(Registration.competition_id))
    return dict(rows.all())


def eligibility_problems(competition: Competition, worker: User, *, enterprise_count: int | None = None) -> list:
    """Why `worker` may not enter `competition` (empty when eligible). The window is checked apart."""
    problems = []
    enterprise = worker.enterprise
    if not worker.has_role(Role.WORKER) or enterprise is None:
        return [_l("只有企业在岗职工可以报名。")]
    if not worker.is_active or not enterprise.is_active:
        problems.append(_l("账号或所在企业已停用。"))
    if competition.members_only and not enterprise.is_member:
        problems.append(_l("仅限工会会员企业的职工参赛。"))
    allowed = competition.eligible_trades
    if allowed and worker.trade_id not in {t.id for t in allowed}:
        problems.append(_l("工种不符（限 %(trades)s）。", trades="、".join(t.name for t in allowed)))
    rank = worker.skill_level
    low, high = competition.min_skill_level, competition.max_skill_level
    if (low is not None or high is not None) and rank is None:
        problems.append(_l("没有登记职业技能等级。"))
    elif low is not None and rank < low:
        problems.append(_l("职业技能等级低于 %(level)s。", level=level(low)))
    elif high is not None and rank > high:
        problems.append(_l("职业技能等级高于 %(level)s。", level=level(high)))
    if worker.birth_date is None:
        problems.append(_l("没有登记出生日期，无法核对年龄。"))
    else:
        age = age_on(worker.birth_date, competition.held_on)
        if not competition.min_age <= age <= competition.max_age:
            problems.append(_l("比赛当日年龄 %(age)d 岁，不在 %(low)d-%(high)d 岁范围内。", age=age,
                               low=competition.min_age, high=competition.max_age))
    if competition.per_enterprise_cap:
        if enterprise_count is None:
            enterprise_count = enterprise_counts([competition.id], enterprise.id).get(competition.id, 0)
        if enterprise_count >= competition.per_enterprise_cap:
            problems.append(_l("本企业报名人数已达上限（%(n)d 人）。", n=competition.per_enterprise_cap))
    return problems


@dataclass
class OpenCompetition:
    competition: Competition
    problems: list
    registration: Registration | None


def open_for_worker(worker: User, page: int, per_page: int = 20):
    """Open competitions with the worker's eligibility and own entry: a constant number of queries."""
    pagination = db.paginate(competitions_query(worker, open_only=True), page=page, per_page=per_page,
                             error_out=False)
    ids = [c.id for c in pagination.items]
    counts = enterprise_counts(ids, worker.enterprise_id)
    mine = {r.competition_id: r for r in db.session.scalars(
        select(Registration).where(_own_entry_condition(worker), Registration.competition_id.in_(ids)))}
    rows = []
    for competition in pagination.items:
        own = mine.get(competition.id)
        problems = [] if own else eligibility_problems(competition, worker,
                                                       enterprise_count=counts.get(competition.id, 0))
        rows.append(OpenCompetition(competition, problems, own))
    return pagination, rows


# --- registering -------------------------------------------------------------------------------


def _can_register_for(actor, worker: User) -> bool:
    return actor.id == worker.id or (policy.is_hr(actor) and actor.enterprise_id == worker.enterprise_id)


def _queue_entries(competition: Competition) -> None:
    """Take the competition's row lock (a no-op UPDATE) before counting entries: concurrent entries of one
    competition then queue up, so the per-enterprise cap, counted next, cannot be overrun. Works on
    PostgreSQL (row lock) and SQLite (the write lock), unlike SELECT ... FOR UPDATE."""
    db.session.execute(
        update(Competition).where(Competition.id == competition.id)
        .values(seats_taken=Competition.seats_taken).execution_options(synchronize_session=False)
    )


def _take_seat(competition: Competition) -> int | None:
    """The guarded counter: a competitor number when a seat was free, else None."""
    number = db.session.execute(
        update(Competition)
        .where(Competition.id == competition.id, Competition.seats_taken < Competition.capacity)
        .values(seats_taken=Competition.seats_taken + 1, numbers_issued=Competition.numbers_issued + 1)
        .returning(Competition.numbers_issued)
        .execution_options(synchronize_session=False)
    ).scalar()
    db.session.expire(competition, ["seats_taken", "numbers_issued"])
    return number


def _next_number(competition: Competition) -> int:
    number = db.session.execute(
        update(Competition).where(Competition.id == competition.id)
        .values(numbers_issued=Competition.numbers_issued + 1)
        .returning(Competition.numbers_issued).execution_options(synchronize_session=False)
    ).scalar_one()
    db.session.expire(competition, ["numbers_issued"])
    return number


def register(actor, competition: Competition, worker: User) -> Registration:
    """Enter `worker` (the actor themself, or by their HR): confirmed with a number while seats last,
    else waitlisted. All checks come before any write."""
    if not _can_register_for(actor, worker):
        raise NotFound(_l("找不到这名职工。"))
    if not is_registration_open(competition):
        raise RuleViolation(_l("不在报名时间内。"))
    if competition.is_team:
        raise RuleViolation(_l("团体赛由企业人力资源组队报名。"))
    _queue_entries(competition)
    existing = db.session.scalar(select(Registration).where(
        Registration.competition_id == competition.id, Registration.worker_id == worker.id))
    if existing is not None:
        raise RuleViolation(_l("%(name)s 已报名过这个竞赛（%(status)s），每人只能报名一次。",
                               name=worker.name, status=existing.status_label))
    problems = eligibility_problems(competition, worker)
    if problems:
        raise RuleViolation("；".join(str(p) for p in problems))
    number = _take_seat(competition)
    now = clock.now()
    registration = Registration(
        competition_id=competition.id, worker_id=worker.id, enterprise_id=worker.enterprise_id,
        status=CONFIRMED if number else WAITLISTED, competitor_no=number, registered_by_id=actor.id,
        created_at=now, confirmed_at=now if number else None,
    )
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        # A concurrent request entered the same worker first; the view rolls the request back.
        raise DuplicateRegistration(_l("%(name)s 已报名过这个竞赛，每人只能报名一次。", name=worker.name)) from None
    audit.record("competition.registered", actor=actor, obj=registration, competition_id=competition.id,
                 worker_id=worker.id, status=registration.status, number=number)
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """Place on the waitlist (1 = next to move up), or None when not waitlisted."""
    if registration.status != WAITLISTED:
        return None
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.competition_id == registration.competition_id, Registration.status == WAITLISTED,
        Registration.id <= registration.id))


def waitlist_positions(competition_id: int) -> dict[int, int]:
    """Registration id -> place on the waitlist (1 = next in), one query."""
    ids = db.session.scalars(select(Registration.id).where(
        Registration.competition_id == competition_id, Registration.status == WAITLISTED)
        .order_by(Registration.id))
    return {rid: place for place, rid in enumerate(ids, start=1)}


def _release_seat(actor, competition: Competition) -> Registration | None:
    """A confirmed seat became free: the first on the waitlist takes it, else the counter goes down."""
    first = db.session.scalar(
        select(Registration).where(Registration.competition_id == competition.id,
                                   Registration.status == WAITLISTED)
        .order_by(Registration.id).limit(1).with_for_update())
    if first is None:
        db.session.execute(update(Competition).where(Competition.id == competition.id)
                           .values(seats_taken=Competition.seats_taken - 1)
                           .execution_options(synchronize_session=False))
        db.session.expire(competition, ["seats_taken"])
        return None
    now = clock.now()
    first.status = CONFIRMED
    first.competitor_no = _next_number(competition)
    first.confirmed_at = first.promoted_at = now
    db.session.flush()
    audit.record("competition.promoted_from_waitlist", actor=actor, obj=first, competition_id=competition.id,
                 number=first.competitor_no)
    return first


def get_registration(actor, registration_id: int) -> Registration:
    """The worker's own entry, their HR's, or any for admins; otherwise NotFound."""
    stmt = select(Registration).where(Registration.id == registration_id)
    if not policy.is_admin(actor):
        conditions = [_own_entry_condition(actor)]
        if policy.is_hr(actor):
            conditions.append(Registration.enterprise_id == actor.enterprise_id)
        stmt = stmt.where(db.or_(*conditions))
    registration = db.session.scalar(stmt)
    if registration is None:
        raise NotFound(_l("找不到这条报名。"))
    return registration


def withdraw(actor, registration: Registration) -> Registration | None:
    """Withdraw before the window closes; returns whoever moved up from the waitlist."""
    if not (actor.id == registration.worker_id
            or (policy.is_hr(actor) and actor.enterprise_id == registration.enterprise_id)):
        raise NotFound(_l("找不到这条报名。"))
    competition = registration.competition
    if registration.team_name and not policy.is_hr(actor):
        raise RuleViolation(_l("团体赛的队伍由企业人力资源办理退赛。"))
    if registration.status not in ACTIVE:
        raise RuleViolation(_l("这条报名已经结束。"))
    if not is_registration_open(competition):
        raise RuleViolation(_l("报名已截止，不能再退赛；如有特殊情况请联系总工会。"))
    return _end(actor, registration, WITHDRAWN, None)


def _end(actor, registration: Registration, status: str, reason: str | None) -> Registration | None:
    was = registration.status
    registration.status = status
    registration.ended_at = clock.now()
    registration.reason = reason
    number = registration.competitor_no
    registration.competitor_no = None
    db.session.flush()
    audit.record(f"competition.{status}", actor=actor, obj=registration, old=was, new=status, reason=reason,
                 number=number)
    if was == CONFIRMED:
        return _release_seat(actor, registration.competition)
    return None


def approve(actor, registration: Registration) -> None:
    """The union confirms it checked a confirmed entry."""
    _require_admin(actor)
    if registration.status != CONFIRMED or registration.competition.status not in (OPEN, SCORING):
        raise RuleViolation(_l("只能审核已确认且尚未评分结束的报名。"))
    registration.approved_at = clock.now()
    registration.approved_by_id = actor.id
    audit.record("competition.approved", actor=actor, obj=registration)


def reject(actor, registration: Registration, reason: str) -> Registration | None:
    """Reject an entry with a reason; a freed seat goes to the first on the waitlist."""
    _require_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请填写不通过的理由。"), field="reason")
    if registration.status not in ACTIVE or registration.competition.status not in (OPEN, SCORING):
        raise RuleViolation(_l("这条报名不能再审核。"))
    has_marks = registration.theory is not None or db.session.scalar(
        select(exists().where(PracticalMark.registration_id == registration.id)))
    if has_marks:
        raise RuleViolation(_l("这名选手已有成绩，不能再取消资格。"))
    return _end(actor, registration, REJECTED, reason)


def registrations_query(actor, competition: Competition, *, status=None, enterprise_id=None, search=None):
    """Entries of a competition: all for admins, own enterprise for HR. Eager-loaded, no per-row query."""
    stmt = (select(Registration).where(Registration.competition_id == competition.id)
            .options(db.joinedload(Registration.worker), db.joinedload(Registration.enterprise),
                     db.selectinload(Registration.members).joinedload(TeamMember.worker)))
    if policy.is_admin(actor):
        if enterprise_id:
            stmt = stmt.where(Registration.enterprise_id == enterprise_id)
    elif policy.is_hr(actor):
        stmt = stmt.where(Registration.enterprise_id == actor.enterprise_id)
    else:
        raise NotAllowed(_l("没有权限查看报名名单。"))
    if status in (CONFIRMED, WAITLISTED, WITHDRAWN, REJECTED):
        stmt = stmt.where(Registration.status == status)
    if search:
        stmt = stmt.join(User, User.id == Registration.worker_id).where(
            db.or_(User.name.contains(search), User.employee_no == search))
    return stmt.order_by(Registration.status, Registration.competitor_no, Registration.id)


def _own_entry_condition(worker: User):
    """The worker's entries: their own, or a team they are a member of."""
    return db.or_(Registration.worker_id == worker.id,
                  Registration.id.in_(select(TeamMember.registration_id).where(TeamMember.worker_id == worker.id)))


def my_registrations(worker: User) -> list[Registration]:
    """The worker's entries (own or as a team member), newest first."""
    return list(db.session.scalars(
        select(Registration).where(_own_entry_condition(worker))
        .options(db.joinedload(Registration.competition), db.joinedload(Registration.result))
        .order_by(Registration.id.desc())))


def entry_of(worker: User, competition: Competition) -> Registration | None:
    """The worker's entry in a competition (individual, or the team they belong to)."""
    return db.session.scalar(select(Registration).where(
        Registration.competition_id == competition.id, _own_entry_condition(worker))
        .options(db.joinedload(Registration.result), db.selectinload(Registration.theory)))


# --- HR: one by one and by list ------------------------------------------------------------


def find_own_worker(actor, employee_no: str) -> User:
    """A worker of the HR officer's own enterprise by employee number, else RuleViolation."""
    if not policy.is_hr(actor):
        raise NotAllowed(_l("只有企业人力资源可以为职工报名。"))
    employee_no = (employee_no or "").strip()
    worker = db.session.scalar(select(User).where(User.enterprise_id == actor.enterprise_id,
                                                  User.employee_no == employee_no))
    if worker is None:
        raise RuleViolation(_l("本企业没有工号为“%(no)s”的职工。", no=employee_no), field="employee_no")
    return worker


def hr_register(actor, competition: Competition, employee_no: str) -> Registration:
    """HR enters one worker of their own enterprise by employee number."""
    return register(actor, competition, find_own_worker(actor, employee_no))


@dataclass
class RowOutcome:
    row: int
    employee_no: str
    name: str
    outcome: str  # registered / waitlisted / refused
    message: str


def hr_register_many(actor, competition: Competition, employee_nos: list[tuple[int, str]]) -> list[RowOutcome]:
    """Register a list (row number, employee number) row by row; every row gets an outcome."""
    if not policy.is_hr(actor):
        raise NotAllowed(_l("只有企业人力资源可以为职工报名。"))
    if not employee_nos:
        raise RuleViolation(_l("文件里没有找到工号。"), field="file")
    outcomes = []
    for row, raw in employee_nos:
        employee_no = (raw or "").strip()
        name = ""
        try:
            if not employee_no:
                raise RuleViolation(_l("这一行没有工号。"))
            worker = find_own_worker(actor, employee_no)
            name = worker.name
            registration = register(actor, competition, worker)
        except DuplicateRegistration:
            raise
        except RuleViolation as error:
            outcomes.append(RowOutcome(row, employee_no, name, "refused", str(error.message)))
            continue
        if registration.status == CONFIRMED:
            message = _l("已确认，参赛号 %(no)s", no=registration.number_label)
            outcomes.append(RowOutcome(row, employee_no, name, "registered", str(message)))
        else:
            message = _l("名额已满，候补第 %(n)d 位", n=waitlist_position(registration))
            outcomes.append(RowOutcome(row, employee_no, name, "waitlisted", str(message)))
    audit.record("competition.bulk_registered", actor=actor, obj=competition, rows=len(outcomes),
                 refused=sum(o.outcome == "refused" for o in outcomes))
    return outcomes


def register_team(actor, competition: Competition, team_name: str, employee_nos: list[str]) -> Registration:
    """HR enters a team of their own enterprise's eligible workers (team_min..team_max, the first is
    the captain): one seat and one competitor number for the team, or the waitlist."""
    if not policy.is_hr(actor):
        raise NotAllowed(_l("只有企业人力资源可以组队报名。"))
    if not competition.is_team:
        raise RuleViolation(_l("这是个人赛，请逐个为职工报名。"))
    if not is_registration_open(competition):
        raise RuleViolation(_l("不在报名时间内。"))
    team_name = (team_name or "").strip()
    if not team_name or len(team_name) > 50:
        raise RuleViolation(_l("请填写队名（不超过 50 字）。"), field="team_name")
    numbers = list(dict.fromkeys(n.strip() for n in employee_nos if n and n.strip()))
    if not competition.team_min <= len(numbers) <= competition.team_max:
        raise RuleViolation(_l("每队 %(a)d-%(b)d 人，现填写了 %(n)d 人。", a=competition.team_min,
                               b=competition.team_max, n=len(numbers)), field="employee_nos")
    members = []
    for number in numbers:
        try:
            members.append(find_own_worker(actor, number))
        except RuleViolation as error:
            raise RuleViolation(error.message, field="employee_nos") from None
    _queue_entries(competition)
    taken = set(db.session.scalars(select(TeamMember.worker_id).where(
        TeamMember.competition_id == competition.id, TeamMember.worker_id.in_([m.id for m in members]))))
    if taken:
        names = "、".join(m.name for m in members if m.id in taken)
        raise RuleViolation(_l("%(names)s 已在本竞赛的其他队伍中，每人只能报名一次。", names=names),
                            field="employee_nos")
    entered = enterprise_counts([competition.id], actor.enterprise_id).get(competition.id, 0)
    if competition.per_enterprise_cap and entered >= competition.per_enterprise_cap:
        raise RuleViolation(_l("本企业报名队数已达上限（%(n)d 队）。", n=competition.per_enterprise_cap))
    problems = []
    for member in members:  # the cap counts teams, checked above
        for problem in eligibility_problems(competition, member, enterprise_count=0):
            problems.append(f"{member.name}：{problem}")
    if problems:
        raise RuleViolation("；".join(problems), field="employee_nos")
    number = _take_seat(competition)
    now = clock.now()
    registration = Registration(
        competition_id=competition.id, worker_id=members[0].id, enterprise_id=actor.enterprise_id,
        status=CONFIRMED if number else WAITLISTED, competitor_no=number, registered_by_id=actor.id,
        created_at=now, confirmed_at=now if number else None, team_name=team_name,
        members=[TeamMember(competition_id=competition.id, worker_id=m.id) for m in members],
    )
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        raise DuplicateRegistration(_l("队员已在本竞赛的其他队伍中，每人只能报名一次。")) from None
    audit.record("competition.team_registered", actor=actor, obj=registration, competition_id=competition.id,
                 team=team_name, members=[m.id for m in members], status=registration.status, number=number)
    return registration


def enterprises_with_entries(competition: Competition) -> list[Enterprise]:
    """Enterprises with at least one entry, for the admin's filter."""
    return list(db.session.scalars(
        select(Enterprise).where(Enterprise.id.in_(
            select(Registration.enterprise_id).where(Registration.competition_id == competition.id)))
        .order_by(Enterprise.name)))
