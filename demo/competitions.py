"""Demo data of the competitions area (`flask seed-demo`): idempotent, relative to clock.now().

One competition in every state: a draft; one open for registration (the demo worker may still
register; its waitlist passed over a worker whose account was deactivated and moved the next one up)
next to an open team competition (HR enters teams); one in scoring, a town-level competition run by the
demo town officer's town (陈埭镇: it is the town's, so it counts in the town's report and rolls up into the
city's; only the town's enterprises' workers may enter, and the demo judge has competitors to mark); one in
public notice; one final with results, certificates (one of them revoked) and promotion recommendations
(the demo worker took part in the last two). Built through the real services.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core import clock
from models import Role, Trade, User, UserRole, db
from models.competitions import CONFIRMED, Competition, CompetitionCertificate, CompetitionRegistration
from services.competitions import certificates, eligibility, judging, registration, results, setup
from services.competitions.setup import CompetitionData

EXTRA_JUDGES = (("judge2", "郑国栋", "13800000032"), ("judge3", "许丽华", "13800000033"),
                ("judge4", "庄建成", "13800000034"))
ITEMS = [("裁断", 25), ("针车", 35), ("成型", 25), ("整理", 15)]
TIERS = [(1, 1, "first", "晋江市五一劳动奖章"), (2, 3, "second", "晋江市技术能手"), (4, 6, "third", None)]


def _judges() -> tuple[User | None, list[User]]:
    """The demo judge (enterprise B) and three outside judges (no enterprise)."""
    from demo.accounts import password_hash

    for username, name, phone in EXTRA_JUDGES:
        if db.session.scalar(db.select(User.id).where(User.username == username)) is None:
            judge = User(username=username, name=name, phone=phone, password_hash=password_hash(), skill_level=5,
                         activated_at=clock.now())
            judge.role_rows = [UserRole(role=Role.JUDGE.value)]
            db.session.add(judge)
    db.session.flush()
    outside = list(db.session.scalars(db.select(User).where(User.username.in_([j[0] for j in EXTRA_JUDGES]))
                                      .order_by(User.username)))
    return db.session.scalar(db.select(User).where(User.username == "judge")), outside


def _data(name, trade, level_code, start, *, capacity=12, held_in_days=10, promote=0) -> CompetitionData:
    held_on = (start + timedelta(days=held_in_days)).astimezone(clock.SHANGHAI).date()
    return CompetitionData(
        name=f"{held_on.year}年{name}", trade_id=trade.id, level=level_code,
        description="按照国家职业技能标准命题，理论占30%，实操占70%。",
        venue="晋江市职工技能实训基地", held_on=held_on,
        registration_opens_at=start - timedelta(days=5), registration_closes_at=start + timedelta(days=5),
        capacity=capacity, items=list(ITEMS), prize_tiers=list(TIERS), per_enterprise_cap=8, promote_top_n=promote,
    )


def _workers(limit: int) -> list[User]:
    """Demo workers of both enterprises (not the named demo worker, who registers by hand)."""
    return list(db.session.scalars(
        db.select(User).join(UserRole).where(UserRole.role == Role.WORKER.value, User.username.is_(None),
                                             User.enterprise_id.is_not(None))
        .order_by(User.id).limit(limit)))


def _build(owner, data: CompetitionData, entrants: list[User]) -> Competition:
    """Create and open the competition as its owner (the city's admin, or a town officer for the town's:
    services.competitions.setup.create_competition sets the owner from who creates it), then register the
    eligible ones of `entrants`."""
    competition = setup.create_competition(owner, data)
    setup.open_competition(owner, competition)
    with clock.frozen(data.registration_opens_at + timedelta(hours=1)):
        for worker in entrants:
            if not eligibility.eligibility_problems(competition, worker):
                registration.register(worker, competition, worker)
    return competition


def _score(owner, competition: Competition, judges: list[User], *, complete: bool) -> None:
    with clock.frozen(competition.registration_closes_at + timedelta(hours=1)):
        setup.start_scoring(owner, competition)
        for judge in judges:
            judging.assign_judge(owner, competition, judge)
        lines = results.score_lines(competition)
        for n, line in enumerate(lines):
            if not complete and n >= len(lines) // 2:
                break
            base = 92 - n * 3
            judging.enter_theory_mark(owner, line.registration, Decimal(base - 4))
            for k, judge in enumerate(judges):
                if line.registration.enterprise_id == judge.enterprise_id:
                    continue
                marks = {item.id: Decimal(base - k) for item in competition.items}
                judging.enter_practical_marks(judge, line.registration, marks)


def _waitlisted_leaver(admin, like: User) -> User:
    """A worker like `like` (trade, level, age, enterprise: so they are eligible) who will leave."""
    from services.accounts import people

    return people.create_account(admin, people.Profile(
        name="蔡明辉", phone="13901000199", enterprise_id=like.enterprise_id, employee_no="DEMO-WL1",
        trade_id=like.trade_id, skill_level=like.skill_level, hire_date=like.hire_date,
        birth_date=like.birth_date, trade_since=like.trade_since, roles={Role.WORKER}), password="Jiangxin@2026")


def _pass_over(admin, competition: Competition, leaver: User) -> None:
    """The waitlist re-checks standing when a seat frees: the first waitlisted, whose account was
    deactivated since, is passed over (递补时已跳过, with the reason; they and HR get a message) and the
    next one moves up."""
    from services.accounts import people

    people.set_active(admin, leaver, False)
    first = db.session.scalar(db.select(CompetitionRegistration).where(
        CompetitionRegistration.competition_id == competition.id, CompetitionRegistration.status == CONFIRMED)
        .order_by(CompetitionRegistration.id).limit(1))
    with clock.frozen(competition.registration_opens_at + timedelta(hours=2)):
        registration.withdraw(first.worker, first)


def seed() -> None:
    if db.session.scalar(db.select(Competition.id).limit(1)) is not None:
        return
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    if admin is None:
        return
    trades = {t.name: t for t in db.session.scalars(db.select(Trade))}
    sports, shoes = trades["运动鞋制作工"], trades["制鞋工"]
    demo_judge, outside = _judges()
    everyone = ([demo_judge] if demo_judge else []) + outside
    now = clock.now()
    workers = _workers(24)
    demo_worker = db.session.scalar(db.select(User).where(User.username == "worker"))
    with_demo_worker = ([demo_worker] if demo_worker else []) + workers  # they see their own marks and rank

    draft = _data("晋江市缝纫工技能竞赛（筹备）", trades["缝纫工"], "city", now + timedelta(days=30))
    setup.create_competition(admin, draft)

    team = _data("晋江市鞋服行业班组技能团体赛", sports, "city", now, capacity=6, held_in_days=25)
    team.is_team, team.team_min, team.team_max = True, 3, 5
    _build(admin, team, [])

    # capacity 3: three confirmed, then a waitlist whose first has left by the time a seat frees
    leaver = _waitlisted_leaver(admin, workers[0])
    open_one = _build(admin, _data("晋江市运动鞋制作工技能竞赛", sports, "city", now, capacity=3, held_in_days=20),
                      workers[:3] + [leaver] + workers[3:5])
    _pass_over(admin, open_one, leaver)

    # scoring: the town's own competition (its officer creates and runs it, so it is the town's, not the
    # city's), entered by the town's enterprises' workers; the demo judge and three outside judges of the
    # city's pool mark (a judge never marks a competitor of their own enterprise)
    officer = db.session.scalar(db.select(User).where(User.username == "town"))
    town_owner = officer if officer is not None and officer.town_id else admin
    in_scoring = _build(town_owner, _data("陈埭镇制鞋工职业技能竞赛", shoes, "town", now - timedelta(days=12),
                                          held_in_days=6), workers)
    _score(town_owner, in_scoring, everyone, complete=False)

    noticed = _build(admin, _data("晋江市鞋服行业职工技能竞赛", sports, "city", now - timedelta(days=20),
                                  held_in_days=8, promote=3), with_demo_worker)
    _score(admin, noticed, outside, complete=True)
    results.sign_off(admin, noticed, acknowledge_flags=True)
    results.publish_results(admin, noticed)

    final = _build(admin, _data("晋江市制鞋工职业技能竞赛", shoes, "city", now - timedelta(days=90),
                                held_in_days=8, promote=3), with_demo_worker)
    with clock.frozen(now - timedelta(days=70)):
        _score(admin, final, outside, complete=True)
        results.sign_off(admin, final, acknowledge_flags=True)
        results.publish_results(admin, final)
    with clock.frozen(now - timedelta(days=50)):
        results.finalise_results(admin, final)
    db.session.flush()
    # One certificate revoked with a reason (not the demo worker's): its PDF is stamped 已撤销, the public
    # check says when, and its holder no longer sees a download link.
    revoked = db.session.scalar(db.select(CompetitionCertificate).join(CompetitionCertificate.registration)
                                .where(CompetitionRegistration.competition_id == final.id,
                                       CompetitionCertificate.worker_id != (demo_worker.id if demo_worker else 0))
                                .order_by(CompetitionCertificate.id.desc()).limit(1))
    if revoked is not None:
        with clock.frozen(now - timedelta(days=20)):
            certificates.revoke_certificate(admin, revoked, "赛后复核发现实操作品系他人代做，取消成绩及证书。")
