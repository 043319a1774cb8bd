"""Skills training at the city's scale (issue 15 in the seed, issue 16's "180,000 training attendances"):
about 600 programmes of the city, the towns and the enterprises (a few team-leader programmes among them)
over the last fourteen months and the next six weeks, about 6,000 classes, 60,000 enrolments and 180,000
attendance rows; completions, certificates, costs, education and skill upgrades with subsidies are
written by training_records.py.

Every row is a state the app's services produce (models/training.py, services/training/*.py):
- a programme is a draft (no classes held, nobody enrolled), published (enrolment within its window,
  classes held), finished (after its last class: completions decided) or cancelled before its start (its
  active enrolments left as they were, as cancel_programme does);
- its classes lie within its days, one Shanghai day each, hours not above their length;
- enrolments are replayed in time order within the window against the seats (services.common.seats):
  confirmed while a seat is free, else waitlisted; a withdrawal before the first day hands the seat to
  the first waiting (promoted), so `seats_taken` is the number of confirmed enrolments;
- only the people the programme is for enrol (the owner's enterprise, the owner town's enterprises,
  anyone for the city's; the trade and the skill range of a skills upgrade), by themselves or their HR.

The demo accounts keep a realistic share: enterprise A (`hr_a`) owns a dozen programmes, the officer's
town (`town`) about fifteen, and the demo `worker` is enrolled in a few of them with attendances. The
part draws from its own random source, so every row of the other parts stays as it was.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from bench.seed import training_records
from bench.seed.context import Context, Person
from demo.accounts import OFFICER_TOWN
from models import Town, db
from models.owners import OWNER_CITY, OWNER_ENTERPRISE, OWNER_TOWN
from models.training import (
    CANCELLED,
    CONFIRMED,
    DRAFT,
    EDUCATION,
    ENTERPRISE_FUNDS,
    FINISHED,
    GOVERNMENT_SUBSIDY,
    NEW_EMPLOYEE,
    OTHER,
    PUBLISHED,
    SAFETY,
    SKILLS_UPGRADE,
    TEAM_LEADER,
    UNION_FUNDS,
    WAITLISTED,
    WITHDRAWN,
    TrainingClass,
    TrainingEnrolment,
    TrainingProgramme,
    training_programme_trade,
)

PROGRAMMES = 600
SHANGHAI = timedelta(hours=8)  # Asia/Shanghai keeps no daylight saving time
# kind: (weight, seats (low, high), classes (low, high), days per class (low, high), name)
KINDS = {
    SAFETY: (22, (200, 600), (1, 2), (1, 3), "安全生产培训"),
    NEW_EMPLOYEE: (13, (40, 150), (2, 4), (1, 2), "新员工入职培训"),
    SKILLS_UPGRADE: (35, (25, 50), (12, 22), (2, 4), "技能提升培训"),
    TEAM_LEADER: (7, (30, 50), (8, 14), (3, 6), "班组长能力提升培训班"),
    EDUCATION: (6, (30, 60), (16, 30), (5, 8), "学历提升班"),
    OTHER: (17, (60, 200), (2, 6), (1, 4), "职工素质提升培训"),
}
SLOTS = ((time(9), time(12), "3"), (time(14), time(17), "3"), (time(9), time(17), "7"), (time(19), time(21), "2"))
OWNER_WEIGHTS = {OWNER_ENTERPRISE: 45, OWNER_TOWN: 30, OWNER_CITY: 25}
FUNDS = {OWNER_ENTERPRISE: ((ENTERPRISE_FUNDS, 60), (UNION_FUNDS, 30), (GOVERNMENT_SUBSIDY, 10)),
         OWNER_TOWN: ((UNION_FUNDS, 70), (GOVERNMENT_SUBSIDY, 30)),
         OWNER_CITY: ((UNION_FUNDS, 55), (GOVERNMENT_SUBSIDY, 45))}
A_PROGRAMMES, TOWN_PROGRAMMES = 12, 15
PLACES = ("职工服务中心培训室", "职工技能实训基地", "企业会议室", "实训车间", "职业技术学校")
TRAINERS = ("晋江市职业技术学校 王老师", "泉州轻工职业学院 陈老师", "林秀梅（高级技师）", "安全工程师 李工",
            "人力资源部 张经理", "黄志强（技师）")


@dataclass(slots=True)
class Klass:
    """One class of a programme (times aware UTC)."""

    id: int
    starts_at: datetime
    ends_at: datetime
    hours: Decimal
    title: str
    closed_at: datetime | None = None
    signin_opened_at: datetime | None = None
    signin_closed_at: datetime | None = None


@dataclass
class Plan:
    """One generated programme before it is written."""

    id: int
    kind: str
    owner: tuple[str, int | None, int | None]  # (level, enterprise id, town id)
    runner: int | None  # the owner's officer (HR, town officer, admin) who runs it
    name: str
    capacity: int
    starts_on: date
    ends_on: date
    status: str
    created: datetime
    opens: datetime
    closes: datetime | None
    funding: str
    budget: Decimal
    self_enrol: bool = True
    trades: list[int] = field(default_factory=list)
    min_level: int | None = None
    max_level: int | None = None
    target_level: int | None = None
    assessment_required: bool = True
    percent: int = 80
    demand: int = 0
    with_worker: bool = False
    finished_at: datetime | None = None
    classes: list[Klass] = field(default_factory=list)
    enrolments: list[dict] = field(default_factory=list)
    seats: int = 0


def generate(ctx: Context) -> None:
    """The programmes, classes and enrolments here, then the records of training_records.py; ids for
    the manifest."""
    shared, ctx.rng = ctx.rng, random.Random(f"training-{ctx.manifest.get('seed', 0)}")
    try:
        pools = _pools(ctx)
        plans = _plans(ctx, pools)
        for plan in plans:
            _schedule(ctx, plan)
            _enrol(ctx, plan, pools)
        rows = training_records.attendance(ctx, plans)
        training_records.complete(ctx, plans, rows)
        _write(ctx, plans)
        training_records.write(ctx, plans, rows)
        _manifest(ctx, plans)
    finally:
        ctx.rng = shared


# --- programmes -----------------------------------------------------------------------------------------

def _pools(ctx: Context) -> dict:
    """Who may take part, per owner: an enterprise's workers, a town's enterprises' workers, everyone."""
    everyone = [p for p in ctx.participants() if p.id not in ctx.demo_ids or p.id == ctx.demo["worker"]]
    by_enterprise: dict[int, list[Person]] = {}
    by_town: dict[int, list[Person]] = {}
    for person in everyone:
        by_enterprise.setdefault(person.enterprise_id, []).append(person)
        by_town.setdefault(ctx.companies[person.enterprise_id].town_id, []).append(person)
    return {OWNER_CITY: {None: everyone}, OWNER_ENTERPRISE: by_enterprise, OWNER_TOWN: by_town}


def _plans(ctx: Context, pools: dict) -> list[Plan]:
    rng = ctx.rng
    a_id = ctx.demo_enterprises["A"]
    town_id = db.session.scalar(db.select(Town.id).where(Town.name == OFFICER_TOWN))
    town_names = dict(db.session.execute(db.select(Town.id, Town.name)).all())
    enterprises = [e for e, staff in pools[OWNER_ENTERPRISE].items() if len(staff) >= 30 and e != a_id]
    sizes = [len(pools[OWNER_ENTERPRISE][e]) for e in enterprises]  # the bigger the firm, the more it trains
    towns = [t for t in pools[OWNER_TOWN] if t != town_id]
    count = ctx.n(PROGRAMMES, 12)
    fixed = [(OWNER_ENTERPRISE, a_id, None)] * ctx.n(A_PROGRAMMES, 3) + [(OWNER_TOWN, None, town_id)] * ctx.n(
        TOWN_PROGRAMMES, 3)
    owners = list(fixed)
    while len(owners) < count:
        level = rng.choices(list(OWNER_WEIGHTS), list(OWNER_WEIGHTS.values()))[0]
        if level == OWNER_ENTERPRISE and enterprises:
            owners.append((level, rng.choices(enterprises, sizes)[0], None))
        elif level == OWNER_TOWN and towns:
            owners.append((level, None, rng.choice(towns)))
        else:
            owners.append((OWNER_CITY, None, None))
    ids = ctx.writer.ids(TrainingProgramme.__table__, len(owners))
    bag = [kind for kind, spec in KINDS.items() for _ in range(round(spec[0] * len(owners) / 100))]
    bag = (bag + [OTHER] * len(owners))[:len(owners)]
    rng.shuffle(bag)  # each kind's share exact at any scale
    plans = []
    for index, (programme_id, owner) in enumerate(zip(ids, owners, strict=True)):
        # the demo's own: A's first two and the town's first, each with the demo worker (no trade or level rule)
        demo_fixed = index in (0, 1, len(fixed) - ctx.n(TOWN_PROGRAMMES, 3))
        plans.append(_plan(ctx, programme_id, owner, bag[index], index, demo_fixed, pools, town_names))
    return plans


def _runner(ctx: Context, owner) -> int | None:
    level, enterprise_id, town_id = owner
    if level == OWNER_ENTERPRISE:
        return ctx.companies[enterprise_id].hr_id
    if level == OWNER_TOWN:  # the seed has one town officer, the demo's
        return ctx.demo["town"] if town_id == ctx.companies[ctx.demo_enterprises["A"]].town_id else None
    return ctx.admin_id


def _plan(ctx: Context, programme_id: int, owner, kind: str, index: int, demo_fixed: bool, pools,
          town_names) -> Plan:
    rng = ctx.rng
    level, enterprise_id, town_id = owner
    pool = pools[level][enterprise_id if level == OWNER_ENTERPRISE else town_id]
    if demo_fixed:  # A's skills upgrade under way and its safety training of last year, the town's team leaders
        kind = TEAM_LEADER if level == OWNER_TOWN else (SKILLS_UPGRADE, SAFETY)[index]
    _weight, seats, _classes, _days, label = KINDS[kind]
    today = ctx.today
    if demo_fixed and level == OWNER_ENTERPRISE:
        starts_on = today - timedelta(days=10 if index == 0 else 200)
    elif demo_fixed:
        starts_on = today - timedelta(days=60)
    else:
        starts_on = today + timedelta(days=rng.randint(-420, 45))
    created = min(datetime.combine(starts_on - timedelta(days=rng.randint(20, 40)), time(2), tzinfo=UTC),
                  ctx.now - timedelta(days=rng.randint(2, 10)))
    roll = rng.random()
    status = PUBLISHED
    if starts_on > today and roll < 0.15 and not demo_fixed:
        status = DRAFT
    elif roll > 0.97 and not demo_fixed:
        status = CANCELLED
    capacity = rng.randint(*seats)
    if level == OWNER_ENTERPRISE:
        capacity = max(10, min(capacity, round(len(pool) * (0.8 if kind == SAFETY else 0.5))))
    funding = rng.choices(*zip(*FUNDS[level], strict=True))[0]
    node = town_names.get(town_id, "") if level == OWNER_TOWN else ("晋江市" if level == OWNER_CITY else "")
    plan = Plan(programme_id, kind, owner, _runner(ctx, owner), f"{starts_on.year}年{node}{label}（第{index + 1}期）",
                capacity, starts_on, starts_on, status, created, created + timedelta(days=1), None, funding,
                Decimal(capacity * rng.choice((300, 500, 800, 1200))).quantize(Decimal("0.01")),
                self_enrol=rng.random() < 0.8 or kind == EDUCATION, with_worker=demo_fixed,
                assessment_required=kind not in (SAFETY, NEW_EMPLOYEE) or rng.random() < 0.3,
                percent=rng.choice((80, 80, 80, 70, 90, 100)))
    if kind == SKILLS_UPGRADE and not demo_fixed:
        trade = rng.choice(pool).trade_id  # a trade drawn by its number of workers
        plan.trades = [trade] if trade else []
        plan.target_level = rng.choices((2, 3, 4, 5), (30, 40, 22, 8))[0]
        plan.min_level, plan.max_level = plan.target_level - 2, plan.target_level - 1
    fill = rng.uniform(1.0, 1.3) if rng.random() < 0.2 else rng.uniform(0.55, 1.0)
    plan.demand = 0 if status == DRAFT else round(capacity * fill)
    return plan


def _shanghai(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=UTC) - SHANGHAI


def _schedule(ctx: Context, plan: Plan) -> None:
    """Classes from the first day to the last, the enrolment window, and the programme's state."""
    rng = ctx.rng
    _w, _seats, (low, high), (gap_low, gap_high), _label = KINDS[plan.kind]
    count = rng.randint(low, high)
    day, days = plan.starts_on, []
    for _ in range(count):
        days.append(day)
        day += timedelta(days=rng.randint(gap_low, gap_high))
    plan.ends_on = days[-1]
    ids = ctx.writer.ids(TrainingClass.__table__, count)
    for number, (class_id, on) in enumerate(zip(ids, days, strict=True), start=1):
        starts, ends, hours = rng.choice(SLOTS)
        plan.classes.append(Klass(class_id, _shanghai(on, starts), _shanghai(on, ends), Decimal(hours),
                                  f"第{number}讲"))
    now, today = ctx.now, ctx.today
    if rng.random() < 0.7:  # else enrolment stays open until the first day
        plan.closes = _shanghai(plan.starts_on - timedelta(days=rng.randint(1, 3)), time(18))
    last_end = plan.classes[-1].ends_at
    if plan.status == CANCELLED and plan.starts_on <= today:
        plan.status = PUBLISHED  # a programme is cancelled before it starts: this one went ahead
    if plan.status == PUBLISHED and last_end < now - timedelta(days=3) and rng.random() < 0.9:
        plan.status = FINISHED
        plan.finished_at = min(last_end + timedelta(days=rng.randint(3, 12), hours=2), now - timedelta(hours=1))
    for klass in plan.classes:
        if klass.ends_at < now and plan.status != CANCELLED:
            if plan.status == FINISHED or klass.ends_at < now - timedelta(days=2) or rng.random() < 0.7:
                klass.closed_at = klass.ends_at + timedelta(minutes=rng.randint(5, 90))
            if rng.random() < 0.85:
                klass.signin_opened_at = klass.starts_at - timedelta(minutes=rng.randint(5, 30))
                klass.signin_closed_at = klass.closed_at
        elif klass.starts_at <= now <= klass.ends_at and plan.status == PUBLISHED:
            klass.signin_opened_at = max(klass.starts_at - timedelta(minutes=20), klass.starts_at - timedelta(hours=1))


def _eligible(plan: Plan, pools: dict) -> list[Person]:
    level, enterprise_id, town_id = plan.owner
    pool = pools[level][enterprise_id if level == OWNER_ENTERPRISE else town_id]
    if plan.trades or plan.max_level is not None:
        pool = [p for p in pool if (not plan.trades or p.trade_id in plan.trades)
                and (plan.max_level is None or (p.level is not None and plan.min_level <= p.level <= plan.max_level))]
    return pool


def _enrol(ctx: Context, plan: Plan, pools: dict) -> None:
    """Enrolments replayed in time order against the seats (module docstring)."""
    rng = ctx.rng
    if plan.demand == 0:
        return
    pool = _eligible(plan, pools)
    people = rng.sample(pool, min(len(pool), plan.demand))
    worker = ctx.people[ctx.demo["worker"]]
    if plan.with_worker and worker not in people:
        people[len(people) // 2:len(people) // 2 + 1] = [worker]
    people = [p for p in people if p.id not in ctx.demo_ids or p.id == worker.id]
    end = min(plan.closes or _shanghai(plan.starts_on, time(0)), ctx.now) - timedelta(hours=1)
    events = sorted(((ctx.moment(plan.opens, end), person) for person in people), key=lambda e: e[0])
    ids = ctx.writer.ids(TrainingEnrolment.__table__, len(events))
    rows = []
    for enrolment_id, (at, person) in zip(ids, events, strict=True):
        hr = ctx.companies[person.enterprise_id].hr_id
        by_self = plan.self_enrol and rng.random() < 0.7
        rows.append({"id": enrolment_id, "programme_id": plan.id, "worker_id": person.id,
                     "enterprise_id": person.enterprise_id, "status": WAITLISTED, "enrolled_by_id": person.id
                     if by_self else hr, "created_at": at, "confirmed_at": None, "promoted_at": None,
                     "ended_at": None, "reason": None, "assessment_passed": None, "assessment_score": None,
                     "assessed_at": None, "assessed_by_id": None, "completed_at": None, "certificate_code": None,
                     "certificate_revoked_at": None, "revoke_reason": None})
    leaving = [i for i in range(len(rows)) if rng.random() < 0.03 and rows[i]["worker_id"] != worker.id]
    timeline = [(row["created_at"], 0, i) for i, row in enumerate(rows)]
    timeline += [(ctx.moment(rows[i]["created_at"], end + timedelta(minutes=50)), 1, i) for i in leaving]
    timeline.sort(key=lambda e: (e[0], e[1]))
    seats, waiting = 0, []
    for at, kind, i in timeline:
        row = rows[i]
        if kind == 0:
            if seats < plan.capacity:
                seats += 1
                row.update(status=CONFIRMED, confirmed_at=at)
            else:
                waiting.append(i)
            continue
        was = row["status"]
        row.update(status=WITHDRAWN, ended_at=at)
        if was == WAITLISTED:
            waiting.remove(i)
        elif waiting:
            first = rows[waiting.pop(0)]
            first.update(status=CONFIRMED, confirmed_at=at, promoted_at=at)
        else:
            seats -= 1
    plan.enrolments, plan.seats = rows, seats


def _write(ctx: Context, plans: list[Plan]) -> None:
    rng = ctx.rng
    ctx.writer.insert(TrainingProgramme.__table__, [{
        "id": p.id, "name": p.name[:100], "kind": p.kind, "description": f"{p.name}：理论讲授与现场实操相结合。",
        "min_skill_level": p.min_level, "max_skill_level": p.max_level, "target_level": p.target_level,
        "self_enrol": p.self_enrol, "capacity": p.capacity, "seats_taken": p.seats, "enrol_opens_at": p.opens,
        "enrol_closes_at": p.closes, "starts_on": p.starts_on, "ends_on": p.ends_on, "budget": p.budget,
        "funding_source": p.funding, "completion_percent": p.percent, "assessment_required": p.assessment_required,
        "status": p.status, "finished_at": p.finished_at, "created_by_id": p.runner, "created_at": p.created,
        "updated_at": p.finished_at or p.opens, "owner_level": p.owner[0], "owner_enterprise_id": p.owner[1],
        "owner_town_id": p.owner[2]} for p in plans])
    ctx.writer.insert(training_programme_trade,
                      [{"programme_id": p.id, "trade_id": t} for p in plans for t in p.trades])
    ctx.writer.insert(TrainingClass.__table__, ({
        "id": k.id, "programme_id": p.id, "title": k.title, "starts_at": k.starts_at, "ends_at": k.ends_at,
        "place": rng.choice(PLACES), "hours": k.hours, "trainer": rng.choice(TRAINERS), "capacity": None,
        "assistant_id": None, "signin_key": f"{rng.getrandbits(192):048x}" if k.signin_opened_at else None,
        "signin_opened_at": k.signin_opened_at, "signin_closed_at": k.signin_closed_at, "closed_at": k.closed_at,
        "created_at": p.created + timedelta(hours=1)} for p in plans for k in p.classes))
    ctx.writer.insert(TrainingEnrolment.__table__, (row for p in plans for row in p.enrolments))


def _manifest(ctx: Context, plans: list[Plan]) -> None:
    """The demo's programmes for the page list: A's under way (its latest closed class) and the town's."""
    worker = ctx.demo["worker"]
    mine = [p for p in plans if p.with_worker]
    a_plan = min((p for p in mine if p.owner[0] == OWNER_ENTERPRISE), key=lambda p: p.status != PUBLISHED)
    town_plan = next(p for p in mine if p.owner[0] == OWNER_TOWN)
    closed = [k for k in a_plan.classes if k.closed_at is not None]
    ctx.manifest.update({
        "training_programme_id": a_plan.id, "training_class_id": (closed or a_plan.classes)[-1].id,
        "town_programme_id": town_plan.id,
        "worker_programmes": sum(1 for p in plans for e in p.enrolments if e["worker_id"] == worker),
    })
    ctx.manifest["counts"].update(training_programmes=len(plans),
                                  training_classes=sum(len(p.classes) for p in plans),
                                  training_enrolments=sum(len(p.enrolments) for p in plans))
