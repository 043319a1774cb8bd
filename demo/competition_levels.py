"""Demo competitions below the city (issue 14), seeded after demo.competitions, each once by name:

- the town officer's (`town`, 陈埭镇) selection contest (镇街级选拔赛), final, with prize money, whose top 2
  were recommended into a city final open for registration now (entered there by the town officer; the
  union pays prize money in it);
- enterprise A's own selection contest (`hr_a`), final, with prize money (奖金) per prize: the demo worker
  took part and sees the reward of their prize; the figures count what was paid.
Built through the real services, dated before clock.now().
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core import clock
from models import Role, Trade, User, UserRole, db
from models.competitions import Competition
from services.competitions import judging, recommendation, registration, results, setup
from services.competitions.setup import CompetitionData

TOWN_CONTEST = "陈埭镇运动鞋制作工选拔赛"
CITY_FINAL = "晋江市运动鞋制作工技能竞赛（决赛）"
OWN_CONTEST = "恒信鞋业针车工选拔赛"


def _data(name: str, trade: Trade, opens, *, level="city", capacity=12, cap=None, min_judges=3,
          rewards=(None, None, None)) -> CompetitionData:
    held_on = (opens + timedelta(days=12)).astimezone(clock.SHANGHAI).date()
    return CompetitionData(
        name=f"{held_on.year}年{name}", trade_id=trade.id, level=level, description="理论占30%，实操占70%。",
        venue="晋江市职工技能实训基地", held_on=held_on, registration_opens_at=opens,
        registration_closes_at=opens + timedelta(days=10), capacity=capacity, per_enterprise_cap=cap,
        items=[("裁断", 40), ("针车", 60)], min_judges=min_judges,
        prize_tiers=[(1, 1, "first", None), (2, 3, "second", None), (4, 5, "third", None)],
        reward_first=rewards[0], reward_second=rewards[1], reward_third=rewards[2])


def _run_to_final(owner: User, data: CompetitionData, entrants: list[User], judges: list[User]) -> Competition:
    """Create, open, register `entrants` (each themself), score (judges never mark their own entry), sign
    off, publish and finalise, all dated inside the past window of `data`. The first entrant ranks first."""
    opens = data.registration_opens_at
    with clock.frozen(opens):
        competition = setup.create_competition(owner, data)
        setup.open_competition(owner, competition)
    with clock.frozen(opens + timedelta(hours=1)):
        for worker in entrants:
            registration.register(worker, competition, worker)
    with clock.frozen(data.registration_closes_at + timedelta(hours=1)):
        setup.start_scoring(owner, competition)
        for judge in judges:
            judging.assign_judge(owner, competition, judge)
        for n, line in enumerate(results.score_lines(competition)):
            base = Decimal(93 - n * 3)
            judging.enter_theory_mark(owner, line.registration, base - 4)
            for k, judge in enumerate(judges):
                if judge.id != line.registration.worker_id:
                    judging.enter_practical_marks(judge, line.registration,
                                                  {item.id: base - k for item in competition.items})
        results.sign_off(owner, competition, acknowledge_flags=True)
        results.publish_results(owner, competition)
    with clock.frozen(data.registration_closes_at + timedelta(days=20)):
        results.finalise_results(owner, competition)
    db.session.flush()
    return competition


def _staff(enterprise_id: int, *, min_level=0, max_level=7, limit=8) -> list[User]:
    """Enterprise workers (the dozen demo workers, not the named accounts) within a skill-level range."""
    return list(db.session.scalars(
        db.select(User).join(UserRole).where(UserRole.role == Role.WORKER.value, User.username.is_(None),
                                             User.enterprise_id == enterprise_id, User.is_active,
                                             User.skill_level >= min_level, User.skill_level <= max_level)
        .order_by(User.id).limit(limit)))


def _exists(name_part: str) -> bool:
    return db.session.scalar(db.select(Competition.id).where(Competition.name.like(f"%{name_part}")).limit(1)) \
        is not None


def seed() -> None:
    people = {u.username: u for u in db.session.scalars(
        db.select(User).where(User.username.in_(("admin", "town", "hr_a", "worker"))))}
    if len(people) < 4 or people["hr_a"].enterprise_id is None:
        return
    trades = {t.name: t for t in db.session.scalars(db.select(Trade))}
    sports = trades["运动鞋制作工"]
    now = clock.now()
    outside = list(db.session.scalars(db.select(User).where(User.username.in_(("judge2", "judge3", "judge4")))
                                      .order_by(User.username)))
    enterprise_id = people["hr_a"].enterprise_id

    if not _exists(OWN_CONTEST) and len(_staff(enterprise_id, min_level=4)) >= 2:
        judges = _staff(enterprise_id, min_level=4, limit=2)  # 技师 and above of its own staff
        entrants = [people["worker"], *_staff(enterprise_id, max_level=3, limit=4)]
        _run_to_final(people["hr_a"], _data(OWN_CONTEST, sports, now - timedelta(days=80), min_judges=2,
                                            rewards=(Decimal("2000"), Decimal("1000"), Decimal("500"))),
                      entrants, judges)

    if not _exists(TOWN_CONTEST) and len(outside) == 3:
        # a city final open now, taking at most 2 per enterprise
        final = db.session.scalar(db.select(Competition).where(Competition.name.like(f"%{CITY_FINAL}")))
        if final is None:
            final = setup.create_competition(people["admin"], _data(  # the union pays prize money here too
                CITY_FINAL, sports, now - timedelta(days=3), capacity=30, cap=2,
                rewards=(Decimal("5000"), Decimal("3000"), Decimal("1000"))))
            setup.open_competition(people["admin"], final)
        entrants = _staff(enterprise_id, limit=6)
        contest = _run_to_final(people["town"], _data(TOWN_CONTEST, sports, now - timedelta(days=60), level="town",
                                                      rewards=(Decimal("1000"), Decimal("600"), None)),
                                entrants, outside)
        recommendation.recommend_top(people["town"], contest, final, 2)
    db.session.flush()
