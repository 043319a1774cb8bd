"""The city's people: 2,500 enterprises in the reference towns, 250,000 workers across the skill ladder
(one HR officer per enterprise), the judges, and everyone's skill history; each worker and HR officer
has one open employment (任职记录) at their enterprise.

The demo enterprise A grows to a ~400-person enterprise and B to an average one; the demo accounts keep
their data. One worker in NOT_ACTIVATED (every 40th generated id, not drawn from the random source) is a
new hire who has not activated the account yet, so HR's activation page has its share. Every generated
account shares ONE scrypt hash of the demo password (hashing 250,000 times would take hours and prove
nothing).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bench.seed import people
from bench.seed.context import Company, Context, Person, SkillEvent
from demo.accounts import DEMO_PASSWORD, ENTERPRISES, demo_credit_code
from models import Employment, Enterprise, EnterpriseTownSpan, Role, Town, Trade, User, UserRole, db
from models.accounts import EARLIEST
from models.skills import REASON_CERTIFICATE, REASON_INITIAL, SkillLevelChange
from services.common import passwords

# Share of enterprises per industry (Jinjiang: shoes and textiles first).
INDUSTRY_WEIGHTS = {
    "footwear": 30, "textile": 22, "food": 8, "ceramics": 8, "machinery": 8, "paper": 5, "electronics": 5,
    "chemicals": 4, "logistics": 4, "construction": 3, "services": 2, "other": 1,
}
INDUSTRY_TRADES = {
    "footwear": ("制鞋工", "运动鞋制作工", "缝纫工", "质检员", "机修工"),
    "textile": ("纺织纺纱工", "织布工", "印染工", "缝纫工", "服装制版师"),
    "food": ("食品检验工", "叉车司机", "质检员", "电工"),
    "ceramics": ("陶瓷成型工", "机修工", "叉车司机", "质检员"),
    "machinery": ("数控车工", "钳工", "焊工", "模具工", "电工"),
    "paper": ("机修工", "叉车司机", "质检员", "电工"),
    "electronics": ("电工", "质检员", "钳工"),
    "chemicals": ("化学检验员", "电工", "机修工"),
    "logistics": ("叉车司机", "电工"),
    "construction": ("焊工", "电工", "钳工"),
    "services": ("质检员", "电工"),
    "other": ("电工", "机修工", "叉车司机"),
}
# Share of workers per ladder step, 学徒工 .. 首席技师.
LEVEL_WEIGHTS = (8, 20, 30, 22, 11, 6, 2, 1)
ISSUERS = ("晋江市职业技能鉴定中心", "泉州市职业技能评价中心", "福建省鞋服行业职业技能等级认定站")

WORKERS = 250_000
ENTERPRISES_FULL = 2_500
NOT_ACTIVATED = 40  # one generated worker in 40 has not activated the account (no login yet)
JUDGES = 600
OUTSIDE_JUDGES = 40


def generate(ctx: Context) -> None:
    """Enterprises, HR officers, workers, judges (roles) and their skill history (kept in ctx.history)."""
    _load_existing(ctx)
    phones = people.Phones(ctx.rng, set(db.session.scalars(db.select(User.phone).where(User.phone.is_not(None)))))
    hashed = passwords.hash_password(DEMO_PASSWORD)
    total_workers = ctx.n(WORKERS, 200)
    generated = ctx.n(ENTERPRISES_FULL, 3) - 2
    a_size = max(40, min(400, total_workers // 5))
    b_size = max(20, min(100, total_workers // 10))
    companies = _new_enterprises(ctx, generated)
    sizes = _sizes(ctx, len(companies), total_workers - a_size - b_size)
    users, roles = [], []
    for company, size in zip(companies, sizes, strict=True):
        company.hr_id = _person_rows(ctx, users, roles, phones, hashed, company, 1, hr=True)[0].id
        _person_rows(ctx, users, roles, phones, hashed, company, size)
    for key, size in (("A", a_size), ("B", b_size)):
        company = ctx.companies[ctx.demo_enterprises[key]]
        have = sum(1 for p in ctx.people.values() if p.enterprise_id == company.id)
        _person_rows(ctx, users, roles, phones, hashed, company, max(0, size - have))
    roles.extend(_judges(ctx, users, phones, hashed))
    ctx.writer.insert(User.__table__, users)
    ctx.writer.insert(UserRole.__table__, roles)
    ctx.writer.insert(Employment.__table__, _employments(ctx, users))
    ctx.manifest["counts"]["enterprises"] = len(ctx.companies)
    ctx.manifest["counts"]["workers"] = sum(len(v) for v in ctx.staff.values())


def _load_existing(ctx: Context) -> None:
    ctx.towns = list(db.session.scalars(db.select(Town.id).order_by(Town.sort_order, Town.id)))
    ctx.trades = {name: tid for tid, name in db.session.execute(db.select(Trade.id, Trade.name))}
    named = db.select(User.id, User.username).where(User.username.is_not(None))
    ctx.demo = {username: user_id for user_id, username in db.session.execute(named)}
    industries = {key: industry for key, _n, _t, industry, _trade in ENTERPRISES}
    for serial, key in ((1, "A"), (2, "B")):
        enterprise = db.session.scalar(db.select(Enterprise).where(Enterprise.credit_code == demo_credit_code(serial)))
        ctx.demo_enterprises[key] = enterprise.id
        hr = ctx.demo["hr_a" if key == "A" else "hr_b"]
        ctx.companies[enterprise.id] = Company(enterprise.id, industries[key], enterprise.town_id, True, hr)
        ctx.staff[enterprise.id] = []
    judge_ids = set(db.session.scalars(db.select(UserRole.user_id).where(UserRole.role == Role.JUDGE.value)))
    for user in db.session.scalars(db.select(User).order_by(User.id)):
        person = Person(user.id, user.enterprise_id, user.trade_id, user.skill_level, user.birth_date,
                        user.hire_date, user.is_active, user.name)
        ctx.people[user.id] = person
        if user.id in judge_ids:
            ctx.judges.append(person)
        if user.enterprise_id and Role.WORKER in user.roles and user.is_active:
            ctx.staff[user.enterprise_id].append(person)
    ctx.demo_ids = set(ctx.people)


def _new_enterprises(ctx: Context, count: int) -> list[Company]:
    rng = ctx.rng
    town_names = dict(db.session.execute(db.select(Town.id, Town.name)).all())
    taken = set(db.session.scalars(db.select(Enterprise.name)))
    industries = list(INDUSTRY_WEIGHTS)
    weights = list(INDUSTRY_WEIGHTS.values())
    ids = ctx.writer.ids(Enterprise.__table__, count)
    rows, companies = [], []
    for serial, enterprise_id in enumerate(ids, start=1):
        industry = rng.choices(industries, weights)[0]
        town_id = rng.choice(ctx.towns)
        active = rng.random() >= 0.02
        created = ctx.moment(ctx.now - timedelta(days=4 * 365), ctx.now - timedelta(days=400))
        rows.append({
            "id": enterprise_id, "name": people.enterprise_name(rng, town_names[town_id], industry, taken),
            "credit_code": people.credit_code(serial), "town_id": town_id, "industry": industry,
            "is_member": rng.random() >= 0.03, "is_active": active, "created_at": created, "updated_at": created,
        })
        company = Company(enterprise_id, industry, town_id, active)
        ctx.companies[enterprise_id] = company
        ctx.staff[enterprise_id] = []
        companies.append(company)
    ctx.writer.insert(Enterprise.__table__, rows)
    # bulk rows bypass the ORM's hook (models.accounts): each enterprise's one open town span
    ctx.writer.insert(EnterpriseTownSpan.__table__, [
        {"enterprise_id": row["id"], "town_id": row["town_id"], "valid_from": EARLIEST,
         "valid_to": None} for row in rows])
    return companies


def _sizes(ctx: Context, count: int, total: int) -> list[int]:
    """Enterprise head counts: a few large, many small (Pareto), summing to `total`, at least 5 each."""
    weights = [min(ctx.rng.paretovariate(1.2), 60.0) for _ in range(count)]
    scale = max(total - 5 * count, 0) / sum(weights)
    sizes = [5 + int(w * scale) for w in weights]
    for i in range(total - sum(sizes)):
        sizes[i % count] += 1
    return sizes


def _person_rows(ctx, users, roles, phones, hashed, company: Company, count: int, hr: bool = False) -> list[Person]:
    """`count` people of `company` (workers, or its HR officer) as user and role rows."""
    rng = ctx.rng
    today = ctx.today
    trades = INDUSTRY_TRADES[company.industry]
    start = ctx.issued.get((company.id, hr), 0)
    ctx.issued[(company.id, hr)] = start + count
    made = []
    for offset, user_id in enumerate(ctx.writer.ids(User.__table__, count)):
        age = rng.randint(18, 58) if rng.random() < 0.3 else rng.randint(23, 45)
        birth = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        latest = today - timedelta(days=30)
        earliest = min(max(date(birth.year + 18, birth.month, birth.day), today - timedelta(days=25 * 365)), latest)
        hired = ctx.day_between(earliest, latest)
        level = None if hr else rng.choices(range(8), LEVEL_WEIGHTS)[0]
        trade_id = None if hr else ctx.trades[rng.choice(trades)]
        active = company.active and (hr or rng.random() >= 0.02)
        created = datetime.combine(max(hired, today - timedelta(days=3 * 365)), time(1, 30), tzinfo=UTC)
        since = None
        if not hr and rng.random() < 0.3:
            since = max(hired - timedelta(days=rng.randint(365, 3650)), date(birth.year + 16, 1, 1))
        name = people.person_name(rng)
        users.append({
            "id": user_id, "username": None, "phone": phones.next(), "name": name, "password_hash": hashed,
            "enterprise_id": company.id, "employee_no": f"{'H' if hr else 'G'}{start + offset + 1:05d}",
            "trade_id": trade_id, "skill_level": level, "hire_date": hired, "trade_since": since,
            "birth_date": birth, "is_active": active, "session_token": people.token(rng, 18),
            "must_change_password": False, "activated_at": created, "created_at": created, "updated_at": created,
            "last_login_at": ctx.moment(ctx.now - timedelta(days=90), ctx.now) if rng.random() < 0.6 else None,
        })
        if not hr and user_id % NOT_ACTIVATED == 0:
            users[-1].update(activated_at=None, last_login_at=None)
        roles.append({"user_id": user_id, "role": Role.HR.value if hr else Role.WORKER.value, "granted_at": created})
        person = Person(user_id, company.id, trade_id, level, birth, hired, active, name)
        ctx.people[user_id] = person
        if not hr:
            _initial_history(ctx, person)
            if active:
                ctx.staff[company.id].append(person)
        ctx.remember("user", user_id, company.id)
        made.append(person)
    return made


def _employments(ctx: Context, users: list[dict]) -> list[dict]:
    """One open employment (任职记录) per generated worker and HR officer at their enterprise, from the
    hire date, as people.create_account would have opened it (judges without an enterprise: none)."""
    people_at = [u for u in users if u["enterprise_id"] is not None]
    ids = ctx.writer.ids(Employment.__table__, len(people_at))
    return [{"id": employment_id, "user_id": u["id"], "enterprise_id": u["enterprise_id"],
             "employee_no": u["employee_no"], "trade_id": u["trade_id"], "started_on": u["hire_date"],
             "ended_on": None, "end_reason": None, "closed_at": None, "created_at": u["created_at"]}
            for employment_id, u in zip(ids, people_at, strict=True)]


def _initial_history(ctx: Context, person: Person) -> None:
    """The level HR entered at creation; a third of the skilled reached it later by certificate."""
    if person.level >= 2 and ctx.rng.random() < 0.35:
        day = ctx.day_between(person.hired + timedelta(days=200), ctx.today - timedelta(days=10))
        ctx.history[person.id] = [SkillEvent(person.hired, person.level - 1, REASON_INITIAL),
                                  SkillEvent(day, person.level, REASON_CERTIFICATE, previous=person.level - 1)]
    else:
        ctx.history[person.id] = [SkillEvent(person.hired, person.level, REASON_INITIAL)]


def _judges(ctx: Context, users, phones, hashed) -> list[dict]:
    """Judge roles for skilled workers of active enterprises, and a few outside judges (no enterprise)."""
    rng = ctx.rng
    skilled = [p for p in ctx.participants() if (p.level or 0) >= 4 and p.id not in ctx.demo_ids]
    chosen = rng.sample(skilled, min(len(skilled), ctx.n(JUDGES, 6)))
    granted = ctx.moment(ctx.now - timedelta(days=700), ctx.now - timedelta(days=200))
    roles = [{"user_id": p.id, "role": Role.JUDGE.value, "granted_at": granted} for p in chosen]
    ctx.judges.extend(chosen)
    for user_id in ctx.writer.ids(User.__table__, ctx.n(OUTSIDE_JUDGES, 2)):
        name = people.person_name(rng)
        level = rng.choice((5, 5, 6, 7))
        users.append({
            "id": user_id, "username": None, "phone": phones.next(), "name": name, "password_hash": hashed,
            "enterprise_id": None, "employee_no": None, "trade_id": None, "skill_level": level,
            "hire_date": None, "trade_since": None, "birth_date": None, "is_active": True,
            "session_token": people.token(rng, 18), "must_change_password": False,
            "activated_at": granted, "created_at": granted,
            "updated_at": granted, "last_login_at": None,
        })
        roles.append({"user_id": user_id, "role": Role.JUDGE.value, "granted_at": granted})
        person = Person(user_id, None, None, level, None, None, True, name)
        ctx.people[user_id] = person
        ctx.history[user_id] = [SkillEvent(granted.date(), level, REASON_INITIAL)]
        ctx.judges.append(person)
    return roles


def write_history(ctx: Context, user_ids=None) -> None:
    """The skill history (the latest entry is the current level) of `user_ids`, or of everyone left;
    written late so that other areas can add their own steps first (a mentor's assessment)."""
    rows = []
    for user_id in list(ctx.history if user_ids is None else user_ids):
        person = ctx.people[user_id]
        hr_id = ctx.companies[person.enterprise_id].hr_id if person.enterprise_id else None
        for event in ctx.history.pop(user_id):
            certificate = event.reason == REASON_CERTIFICATE
            rows.append({
                "id": event.row_id, "user_id": user_id, "level": event.level, "previous_level": event.previous,
                "reason": event.reason, "effective_date": event.day,
                "certificate_no": people.skill_certificate_no(ctx.rng) if certificate else None,
                "issuing_body": ctx.rng.choice(ISSUERS) if certificate else None,
                "source_type": event.source[0] if event.source else None,
                "source_id": event.source[1] if event.source else None, "note": event.note,
                "recorded_by_id": hr_id, "recorded_at": datetime.combine(event.day, time(2, 0), tzinfo=UTC),
            })
    table = SkillLevelChange.__table__
    fresh = iter(ctx.writer.ids(table, sum(1 for r in rows if r["id"] is None)))
    for row in rows:
        if row["id"] is None:
            row["id"] = next(fresh)
    ctx.writer.insert(table, rows)
