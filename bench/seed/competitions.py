"""Skills competitions at the city's scale: 100,000 registrations a year, among them one city
competition of 10,000 ranked entrants (final: results, certificates, promotion recommendations),
one in scoring where the demo judge has practical marks to enter, a few open for registration, and
town and city competitions of this year and last in every later state.

Registrations are replayed in time order exactly as the competitions service takes them: a seat and
the next competitor number while seats last, else the waitlist; a confirmed entrant's withdrawal (or
rejection) frees the number and hands the seat to the first on the waitlist. So seats_taken equals
the confirmed rows and numbers_issued every number ever given.

Two competitions belong to a lower owner (docs/domain.md, "Owners and levels"), both open for
registration: enterprise A's own selection contest (选拔赛, its workers only; HR_a runs it) and a
contest of the town union officer's town (workers of that town's enterprises). They draw from their own
random source, so adding them left every other generated row as it was.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from bench.seed import competition_marks
from bench.seed.context import Context, Person
from demo.accounts import OFFICER_TOWN
from models import Town, competition_tallies, db
from models.competitions import (
    CONFIRMED,
    DRAFT,
    FINAL,
    NOTICED,
    OPEN,
    REJECTED,
    SCORING,
    SIGNED_OFF,
    WAITLISTED,
    WITHDRAWN,
    Competition,
    CompetitionItem,
    CompetitionPrizeTier,
    CompetitionRegistration,
    competition_trade,
)

REGISTRATIONS = 100_000
BIG = 10_000
SCORING_SIZE = 300
MAX_COMPETITIONS = 150
TOWNS = ("陈埭镇", "池店镇", "安海镇", "磁灶镇", "内坑镇", "东石镇", "英林镇", "金井镇", "龙湖镇", "深沪镇")
SHOE_ITEMS = (("裁断", 25), ("针车", 35), ("成型", 25), ("整理", 15))
GENERIC_ITEMS = (("工艺操作", 40), ("质量检验", 35), ("安全文明生产", 25))
# (rank from, rank to, prize code of models.vocabulary.PRIZES, honour)
BIG_TIERS = ((1, 3, "first", "晋江市五一劳动奖章"), (4, 20, "second", "晋江市技术能手"), (21, 100, "third", None),
             (101, 500, "honourable", None))
SMALL_TIERS = ((1, 1, "first", "晋江市技术能手"), (2, 3, "second", None), (4, 6, "third", None))


@dataclass
class Spec:
    """One competition to generate."""

    name: str
    trade: str
    eligible: tuple[str, ...]
    level: str
    held_on: date
    status: str
    capacity: int
    demand: int
    per_enterprise_cap: int | None = 8
    promote_top_n: int = 0
    items: tuple = GENERIC_ITEMS
    tiers: tuple = SMALL_TIERS
    panel: int = 5
    with_demo_worker: bool = False
    owner: tuple[str, int | None, int | None] = ("city", None, None)  # (level, enterprise id, town id)
    enterprises: frozenset[int] | None = None  # entrants only from these enterprises (a lower owner's)
    id: int = 0
    seats: int = 0
    issued: int = 0
    item_ids: list[int] = field(default_factory=list)
    opens: datetime | None = None
    closes: datetime | None = None
    entrants: list[Person] = field(default_factory=list)


def _shanghai_noon(day: date) -> datetime:
    return datetime.combine(day, time(4, 0), tzinfo=UTC)


def generate(ctx: Context) -> None:
    """All competitions, their registrations, and (through competition_marks) panels, marks and results.
    Town and city competitions are added until the year's registrations reach the target."""
    by_trade: dict[int, list[Person]] = {}
    for person in ctx.participants():
        by_trade.setdefault(person.trade_id, []).append(person)
    target = ctx.n(REGISTRATIONS, 200)
    specs, registrations = [], []
    for spec in _fixed(ctx):
        registrations.extend(_add(ctx, spec, by_trade))
        specs.append(spec)
    while len(registrations) < target and len(specs) < MAX_COMPETITIONS:
        spec = _other(ctx, len(specs) - 2, target - len(registrations), by_trade)
        registrations.extend(_add(ctx, spec, by_trade))
        specs.append(spec)
    owned = _owned(ctx, specs, registrations, by_trade)
    ctx.writer.insert(CompetitionRegistration.__table__, registrations)
    competition_marks.generate(ctx, specs, registrations)
    competition_tallies.rebuild(db.session)  # the entries went in by bulk insert, past the flush hooks
    big, scoring = specs[0], specs[1]
    confirmed = sum(1 for r in registrations if r["competition_id"] == big.id and r["status"] == CONFIRMED)
    listed = sum(1 for r in registrations if r["competition_id"] == big.id)
    own = next(r["id"] for r in registrations if r["competition_id"] == big.id and r["worker_id"] == ctx.demo["worker"])
    big_ids = sorted(r["id"] for r in registrations if r["competition_id"] == big.id)
    numbers = sorted(r["competitor_no"] for r in registrations if r["competition_id"] == big.id
                     and r["status"] == CONFIRMED)
    scored = next(r["id"] for r in registrations if r["competition_id"] == big.id and r["status"] == CONFIRMED)
    winners = min(confirmed, max(t[1] for t in big.tiers))
    queue = sorted(r["competitor_no"] for r in registrations if r["competition_id"] == scoring.id
                   and r["status"] == CONFIRMED)
    ctx.manifest.update({
        "competition_id": big.id, "competition_entrants": confirmed,
        "results_pages": max(1, -(-confirmed // 50)), "results_deep_page": max(1, round(confirmed / 50 * 0.6)),
        "winners_deep_page": max(1, round(winners / 50 * 0.6)),
        "registrations_pages": max(1, -(-listed // 50)),
        "registrations_deep_page": max(1, round(listed / 50 * 0.6)),
        # keyset pages ("after" the key of the row before the page), 60% of the way down
        "registrations_after": big_ids[int(len(big_ids) * 0.6)],
        "scores_after": numbers[int(len(numbers) * 0.6)] if numbers else 0,
        "scored_registration_id": scored,
        "queue_after": queue[int(len(queue) * 0.6)] if queue else 0,
        "scoring_competition_id": scoring.id, "registration_id": own,
        "open_competition_id": next(s.id for s in specs if s.status == OPEN),
        "enterprise_competition_id": owned["enterprise"], "town_competition_id": owned["town"],
    })
    ctx.manifest["counts"]["registrations"] = len(registrations)
    ctx.manifest["counts"]["competitions"] = len(specs)


def _owned(ctx: Context, specs: list[Spec], registrations: list[dict], by_trade) -> dict[str, int]:
    """Enterprise A's selection contest and the officer's town contest (see the module docstring), added
    to `specs` and `registrations`; returns their ids by owner level. Their own random source keeps the
    shared one's sequence (and so every other area's rows) unchanged."""
    shared, ctx.rng = ctx.rng, random.Random(f"owned-{ctx.manifest.get('seed', 0)}")
    try:
        a_id = ctx.demo_enterprises["A"]
        town_id = db.session.scalar(db.select(Town.id).where(Town.name == OFFICER_TOWN))
        in_town = frozenset(c.id for c in ctx.companies.values() if c.town_id == town_id and c.active)
        held = ctx.today + timedelta(days=30)
        shoes = ("制鞋工", "运动鞋制作工", "缝纫工", "质检员", "机修工")
        a_staff = len(ctx.staff.get(a_id, []))
        town_staff = sum(len(ctx.staff.get(c, [])) for c in in_town)
        owned = {
            "enterprise": Spec(f"{held.year}年恒信鞋业职工技能选拔赛", "运动鞋制作工", shoes, "enterprise", held, OPEN,
                               max(8, a_staff // 2), max(8, a_staff // 3), None, 0, SHOE_ITEMS,
                               owner=("enterprise", a_id, None), enterprises=frozenset({a_id})),
            "town": Spec(f"{held.year}年{OFFICER_TOWN}鞋业职工技能竞赛", "制鞋工", shoes, "town", held, OPEN,
                         max(8, town_staff // 8), max(8, town_staff // 12), 8, 0, SHOE_ITEMS,
                         owner=("town", None, town_id), enterprises=in_town),
        }
        for spec in owned.values():
            registrations.extend(_add(ctx, spec, by_trade))
            specs.append(spec)
        return {level: spec.id for level, spec in owned.items()}
    finally:
        ctx.rng = shared


def _add(ctx: Context, spec: Spec, by_trade) -> list[dict]:
    _schedule(ctx, spec)
    rows = _register(ctx, spec, by_trade)
    _write_competition(ctx, spec)
    return rows


def _fixed(ctx: Context) -> list[Spec]:
    """The big final competition and the judge's competition in scoring."""
    today, year = ctx.today, ctx.today.year
    big = Spec(f"{year}年晋江市职工职业技能大赛（鞋服类）", "运动鞋制作工", ("制鞋工", "运动鞋制作工", "缝纫工"),
               "city", today - timedelta(days=60), FINAL, ctx.n(BIG, 12), 0, None, 10, SHOE_ITEMS, BIG_TIERS,
               max(5, round(30 * min(1.0, 10 * ctx.scale))), with_demo_worker=True)
    big.demand = round(big.capacity * 1.05)
    scoring = Spec(f"{year}年晋江市缝纫工职业技能竞赛", "缝纫工", ("缝纫工", "服装制版师"), "city",
                   today - timedelta(days=4), SCORING, ctx.n(SCORING_SIZE, 10), ctx.n(SCORING_SIZE, 10), None)
    return [big, scoring]


def _other(ctx: Context, index: int, left: int, by_trade) -> Spec:
    """The index-th town or city competition: two open for registration, a draft, one on notice, one
    signed off, then final ones of this year and last; trades drawn by their number of workers."""
    rng = ctx.rng
    today = ctx.today
    plan = (OPEN, OPEN, DRAFT, NOTICED, SIGNED_OFF)
    status = plan[index] if index < len(plan) else FINAL
    names = [name for name in ctx.trades if by_trade.get(ctx.trades[name])]
    trade = rng.choices(names, [len(by_trade[ctx.trades[name]]) for name in names])[0]
    level = rng.choices(("town", "city", "prefecture"), (50, 40, 10))[0]
    demand = 0 if status == DRAFT else max(8, min(left, round(rng.lognormvariate(7.3, 0.8) * min(1.0, 10 * ctx.scale))))
    if status in (OPEN, DRAFT):
        held = today + timedelta(days=rng.randint(20, 60))
    elif status in (NOTICED, SIGNED_OFF):
        held = today - timedelta(days=10)
    elif index % 2:
        held = today - timedelta(days=rng.randint(30, 200))
    else:
        held = today - timedelta(days=rng.randint(366, 600))
    place = "晋江市" if level != "town" else rng.choice(TOWNS)
    name = f"{held.year}年{place}{trade}职业技能竞赛（第{index + 1}赛区）"
    capacity = demand if status != OPEN else max(demand + 5, round(demand * 1.4))
    return Spec(name, trade, (trade,), level, held, status, max(capacity, 8), demand,
                8 if level != "town" else None, 3 if level != "town" else 0,
                SHOE_ITEMS if trade in ("制鞋工", "运动鞋制作工") else GENERIC_ITEMS)


def _schedule(ctx: Context, spec: Spec) -> None:
    """The competition's id and registration window (open ones: open now, closing a week before the day)."""
    spec.id = ctx.writer.next_id(Competition.__table__)
    if spec.status in (OPEN, DRAFT):
        spec.opens = ctx.now - timedelta(days=10)
        spec.closes = _shanghai_noon(spec.held_on - timedelta(days=7))
    else:
        spec.opens = _shanghai_noon(spec.held_on - timedelta(days=50))
        spec.closes = _shanghai_noon(spec.held_on - timedelta(days=5))


def _write_competition(ctx: Context, spec: Spec) -> None:
    created = spec.opens - timedelta(days=15)
    ctx.writer.insert(Competition.__table__, [{
        "id": spec.id, "name": spec.name, "trade_id": ctx.trades[spec.trade], "level": spec.level,
        "description": "按照国家职业技能标准命题，理论占30%，实操占70%。", "venue": "晋江市职工技能实训基地",
        "held_on": spec.held_on, "registration_opens_at": spec.opens, "registration_closes_at": spec.closes,
        "capacity": spec.capacity, "seats_taken": spec.seats, "numbers_issued": spec.issued, "min_skill_level": None,
        "max_skill_level": None, "min_age": 16, "max_age": 60, "members_only": True,
        "per_enterprise_cap": spec.per_enterprise_cap, "is_team": False, "team_min": 1, "team_max": 1,
        "theory_weight": 30, "practical_weight": 70, "min_judges": 3, "judge_min_level": 4,
        "promote_top_n": spec.promote_top_n, "status": spec.status, "owner_level": spec.owner[0],
        "owner_enterprise_id": spec.owner[1], "owner_town_id": spec.owner[2],
        "signed_off_at": _shanghai_noon(spec.held_on + timedelta(days=7))
        if spec.status in (SIGNED_OFF, NOTICED, FINAL) else None,
        "created_by_id": ctx.admin_id, "created_at": created, "updated_at": created,
    }])
    ctx.writer.insert(competition_trade, [{"competition_id": spec.id, "trade_id": ctx.trades[name]}
                                          for name in dict.fromkeys(spec.eligible)])
    spec.item_ids = list(ctx.writer.ids(CompetitionItem.__table__, len(spec.items)))
    ctx.writer.insert(CompetitionItem.__table__, [
        {"id": item_id, "competition_id": spec.id, "name": name, "weight": weight, "position": position}
        for position, (item_id, (name, weight)) in enumerate(zip(spec.item_ids, spec.items, strict=True))])
    ctx.writer.insert(CompetitionPrizeTier.__table__, [
        {"competition_id": spec.id, "rank_from": a, "rank_to": b, "prize": prize, "honour": honour}
        for a, b, prize, honour in spec.tiers])


def _eligible(ctx: Context, spec: Spec, by_trade: dict[int, list[Person]]) -> list[Person]:
    """Workers of the eligible trades aged 16-60 on the day, at most `per_enterprise_cap` per enterprise."""
    pool = [p for name in spec.eligible for p in by_trade.get(ctx.trades[name], [])
            if p.birth is not None and 16 <= spec.held_on.year - p.birth.year - 1 < 60
            and (spec.enterprises is None or p.enterprise_id in spec.enterprises)]
    chosen = ctx.rng.sample(pool, min(len(pool), spec.demand))
    if spec.per_enterprise_cap:
        per: dict[int, int] = {}
        capped = []
        for person in chosen:
            if per.get(person.enterprise_id, 0) < spec.per_enterprise_cap:
                per[person.enterprise_id] = per.get(person.enterprise_id, 0) + 1
                capped.append(person)
        chosen = capped
    return chosen


def _register(ctx: Context, spec: Spec, by_trade: dict[int, list[Person]]) -> list[dict]:
    """Registrations replayed in time order (see the module docstring); updates the seat counters."""
    rng = ctx.rng
    entrants = _eligible(ctx, spec, by_trade)
    worker = ctx.people[ctx.demo["worker"]]
    if spec.with_demo_worker and all(p.id != worker.id for p in entrants):
        entrants[len(entrants) // 2:len(entrants) // 2 + 1] = [worker]
    end = min(spec.closes, ctx.now) - timedelta(hours=1)
    events = sorted(((ctx.moment(spec.opens, end), person) for person in entrants), key=lambda e: e[0])
    ids = ctx.writer.ids(CompetitionRegistration.__table__, len(events))
    rows = []
    for reg_id, (created, person) in zip(ids, events, strict=True):
        hr = ctx.companies[person.enterprise_id].hr_id
        rows.append({
            "id": reg_id, "competition_id": spec.id, "worker_id": person.id, "enterprise_id": person.enterprise_id,
            "status": WAITLISTED, "competitor_no": None,
            "registered_by_id": hr if rng.random() < 0.3 else person.id, "created_at": created,
            "confirmed_at": None, "promoted_at": None, "approved_at": None, "approved_by_id": None,
            "ended_at": None, "reason": None, "team_name": None,
        })
    ended = [i for i in rng.sample(range(len(rows)), k=round(len(rows) * (0.02 if spec.status != OPEN else 0.01)))
             if rows[i]["worker_id"] != worker.id]
    timeline = [(row["created_at"], 0, i) for i, row in enumerate(rows)]
    timeline += [(ctx.moment(rows[i]["created_at"], end + timedelta(minutes=30)), 1, i) for i in ended]
    timeline.sort(key=lambda e: (e[0], e[1]))
    seats = issued = 0
    waiting: list[int] = []
    for at, kind, i in timeline:
        row = rows[i]
        if kind == 0:
            if seats < spec.capacity:
                seats += 1
                issued += 1
                row.update(status=CONFIRMED, competitor_no=issued, confirmed_at=at)
            else:
                row["status"] = WAITLISTED
                waiting.append(i)
            continue
        was = row["status"]
        rejected = was == CONFIRMED and rng.random() < 0.15
        row.update(status=REJECTED if rejected else WITHDRAWN, competitor_no=None, ended_at=at,
                   reason="经审核不符合参赛条件" if rejected else None)
        if was == WAITLISTED:
            waiting.remove(i)
        elif waiting:
            first = rows[waiting.pop(0)]
            issued += 1
            first.update(status=CONFIRMED, competitor_no=issued, confirmed_at=at, promoted_at=at)
        else:
            seats -= 1
    if spec.status in (FINAL, NOTICED, SIGNED_OFF):
        for row in rows:
            if row["status"] == CONFIRMED and rng.random() < 0.5:
                row.update(approved_at=row["confirmed_at"] + timedelta(days=1), approved_by_id=ctx.admin_id)
    spec.entrants = [ctx.people[row["worker_id"]] for row in rows if row["status"] == CONFIRMED]
    spec.seats, spec.issued = seats, issued
    for row in rows:
        ctx.remember("registration", row["id"], row["enterprise_id"])
    return rows
