"""factory_boy factories of the competitions area, and helpers that walk a competition through
its states with the real services."""

from __future__ import annotations

from datetime import date, timedelta

import factory

from core import clock
from models import db
from models.competitions import OPEN, Competition, CompetitionItem, CompetitionPrizeTier
from tests.factories import BaseFactory, TradeFactory


class CompetitionFactory(BaseFactory):
    """An open city-level competition whose registration window runs around the current clock."""

    class Meta:
        model = Competition

    name = factory.Sequence(lambda n: f"运动鞋制作工技能竞赛{n}")
    trade = factory.SubFactory(TradeFactory)
    level = "city"
    description = "市级技能竞赛"
    venue = "晋江市职工技能实训基地"
    registration_opens_at = factory.LazyFunction(lambda: clock.now() - timedelta(days=1))
    registration_closes_at = factory.LazyFunction(lambda: clock.now() + timedelta(days=7))
    held_on = factory.LazyFunction(lambda: clock.today() + timedelta(days=14))
    capacity = 10
    seats_taken = 0
    numbers_issued = 0
    min_age = 16
    max_age = 60
    members_only = True
    theory_weight = 30
    practical_weight = 70
    min_judges = 3
    judge_min_level = 4
    promote_top_n = 0
    status = OPEN
    items = factory.LazyFunction(lambda: [CompetitionItem(name="裁断", weight=40, position=0),
                                          CompetitionItem(name="针车", weight=60, position=1)])
    prize_tiers = factory.LazyFunction(lambda: [
        CompetitionPrizeTier(rank_from=1, rank_to=1, prize="first", honour="五一劳动奖章"),
        CompetitionPrizeTier(rank_from=2, rank_to=3, prize="second", honour="技术能手"),
        CompetitionPrizeTier(rank_from=4, rank_to=5, prize="third"),
    ])


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def birth_for_age(age: int, on: date) -> date:
    return date(on.year - age, 1, 1)


# --- a world of competitions for the route walk and view tests ---------------------------------

def scenario(world):
    """Three competitions around the World personas (built once per world):
    - open: worker_b confirmed (enterprise B), a draft next to it;
    - scoring: worker_a and worker_b confirmed, the judge (enterprise B) on the panel;
    - final: worker_b first with a certificate, a promotion recommendation and an objection."""
    cached = getattr(world, "_competitions", None)
    if cached:
        return cached
    from decimal import Decimal

    from models.competitions import (
        CONFIRMED,
        FINAL,
        SCORING,
        CompetitionCertificate,
        CompetitionJudge,
        CompetitionPromotion,
        CompetitionRegistration,
        CompetitionResult,
    )
    from models.notices import Objection, PublicNotice

    now = clock.now()
    open_ = CompetitionFactory(name="报名中的竞赛", capacity=10, seats_taken=1, numbers_issued=1)
    draft = CompetitionFactory(name="草稿竞赛", status="draft")
    scoring = CompetitionFactory(name="评分中的竞赛", status=SCORING, seats_taken=2, numbers_issued=2,
                                 registration_opens_at=now - timedelta(days=20),
                                 registration_closes_at=now - timedelta(days=5), held_on=clock.today())
    final = CompetitionFactory(name="已结束的竞赛", status=FINAL, seats_taken=1, numbers_issued=1, promote_top_n=1,
                               registration_opens_at=now - timedelta(days=60),
                               registration_closes_at=now - timedelta(days=40),
                               held_on=clock.today() - timedelta(days=30))

    def entry(competition, worker, number):
        row = CompetitionRegistration(competition=competition, worker=worker, enterprise_id=worker.enterprise_id,
                           status=CONFIRMED, competitor_no=number, confirmed_at=now)
        db.session.add(row)
        return row

    open_b = entry(open_, world.worker_b, 1)
    scoring_a = entry(scoring, world.worker_a, 1)
    scoring_b = entry(scoring, world.worker_b, 2)
    final_b = entry(final, world.worker_b, 1)
    db.session.flush()
    assignment = CompetitionJudge(competition_id=scoring.id, judge_id=world.judge.id)
    db.session.add(assignment)
    db.session.add(CompetitionResult(competition_id=final.id, registration_id=final_b.id, theory=Decimal("90"),
                          practical=Decimal("88"), total=Decimal("88.60"), judges=3, rank=1, position=1, prize="first",
                          honour="五一劳动奖章"))
    certificate = CompetitionCertificate(registration_id=final_b.id, worker_id=world.worker_b.id, kind="prize",
                              code="route-walk-code-1")
    promotion = CompetitionPromotion(registration_id=final_b.id, worker_id=world.worker_b.id,
                                        enterprise_id=world.enterprise_b.id, from_level=2, to_level=3)
    notice = PublicNotice(subject_type="competition", subject_id=final.id, title="公示", status="final",
                          published_at=now - timedelta(days=20), ends_at=now - timedelta(days=10))
    db.session.add_all([certificate, promotion, notice])
    db.session.flush()
    objection = Objection(notice_id=notice.id, objector_id=world.worker_a.id, body="成绩计算可能有误，请核实。")
    db.session.add(objection)
    db.session.commit()
    world._competitions = {
        "open": open_, "draft": draft, "scoring": scoring, "final": final, "open_b": open_b,
        "scoring_a": scoring_a, "scoring_b": scoring_b, "final_b": final_b, "assignment": assignment,
        "certificate": certificate, "promotion": promotion, "objection": objection,
    }
    return world._competitions


def competition_in_scoring(*, competitors=3, judges=3, enterprise=None, **overrides):
    """A competition in scoring with `competitors` confirmed entries (numbers 1..n, enterprise A-like)
    and `judges` qualified judges of another enterprise on the panel. Returns (competition, entries, judges)."""
    from models import Role
    from models.competitions import CONFIRMED, SCORING, CompetitionJudge, CompetitionRegistration
    from tests.factories import EnterpriseFactory, UserFactory, WorkerFactory

    now = clock.now()
    enterprise = enterprise or EnterpriseFactory()
    judge_enterprise = EnterpriseFactory()
    competition = CompetitionFactory(status=SCORING, capacity=max(competitors, 1), seats_taken=competitors,
                                     numbers_issued=competitors, registration_opens_at=now - timedelta(days=20),
                                     registration_closes_at=now - timedelta(days=5), held_on=clock.today(),
                                     **overrides)
    entries = []
    for n in range(1, competitors + 1):
        worker = WorkerFactory(enterprise=enterprise)
        entries.append(CompetitionRegistration(competition=competition, worker=worker, enterprise_id=enterprise.id,
                                    status=CONFIRMED, competitor_no=n, confirmed_at=now))
    panel = [UserFactory(roles=(Role.JUDGE,), enterprise=judge_enterprise, skill_level=5) for _ in range(judges)]
    db.session.add_all(entries)
    db.session.flush()
    db.session.add_all([CompetitionJudge(competition_id=competition.id, judge_id=j.id) for j in panel])
    db.session.commit()
    return competition, entries, panel
