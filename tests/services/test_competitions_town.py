"""The town path (issue 14, "Done means"): a town officer sets up a town selection contest (镇街级), runs it
to final results with the real services, and recommends its top 2 into a city competition, whose
eligibility and per-enterprise cap still hold. Prize rewards (奖金) of competitions: set by the owner,
checked, audited, shown in the figures and rolled up."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import clock
from models import AuditLog, Role, db
from models.competitions import CONFIRMED, FINAL, CompetitionRegistration
from models.messages import Message
from services.competitions import catalogue, figures, judging, recommendation, registration, results, setup
from services.competitions import policy as competitions_policy
from services.errors import NotAllowed, NotFound, RuleViolation
from tests.factories import EnterpriseFactory, UserFactory, WorkerFactory
from tests.factories_competitions import CompetitionFactory, reload


def town_data(world, **kw):
    opens = clock.now()
    data = setup.CompetitionData(
        name="陈埭镇针车工选拔赛", trade_id=world.worker_a.trade_id, held_on=(opens + timedelta(days=20)).date(),
        registration_opens_at=opens - timedelta(hours=1), registration_closes_at=opens + timedelta(days=5),
        capacity=10, items=[("针车", 100)], min_judges=1, judge_min_level=1, level="city",
        prize_tiers=[(1, 1, "first", None), (2, 3, "second", None)], reward_first="1,500", reward_second="600.50")
    for key, value in kw.items():
        setattr(data, key, value)
    return data


def town_workers(world, n):
    """`n` workers of enterprises in A's town (A itself and another one), eligible for the contest."""
    neighbour = EnterpriseFactory(town=world.enterprise_a.town)
    return [WorkerFactory(enterprise=world.enterprise_a if i % 2 == 0 else neighbour, trade=world.worker_a.trade,
                          birth_date=world.worker_a.birth_date, skill_level=3) for i in range(n)]


def run_to_final(world, competition, workers):
    """Register `workers` (each themself), close, judge (the city's judge), sign off, publish, finalise;
    the first worker best."""
    for worker in workers:
        registration.register(worker, competition, worker)
    db.session.commit()
    with clock.frozen(clock.now() + timedelta(days=6)):
        setup.start_scoring(world.town_a, competition)
        judge = UserFactory(roles=(Role.JUDGE,), enterprise=world.enterprise_b, skill_level=5)
        judging.assign_judge(world.town_a, competition, judge)
        db.session.commit()
        entries = db.session.scalars(select(CompetitionRegistration).where(
            CompetitionRegistration.competition_id == competition.id).order_by(CompetitionRegistration.id)).all()
        for n, entry in enumerate(entries):
            judging.enter_theory_mark(world.town_a, entry, str(95 - n * 5))
            judging.enter_practical_marks(judge, entry, {competition.items[0].id: str(95 - n * 5)})
        results.sign_off(world.town_a, competition)
        results.publish_results(world.town_a, competition)
        db.session.commit()
    with clock.frozen(clock.now() + timedelta(days=25)):
        results.finalise_results(world.town_a, competition)
    db.session.commit()
    return entries


def test_a_town_officer_runs_a_town_selection_contest_and_recommends_its_top_two(world):
    contest = setup.create_competition(world.town_a, town_data(world))
    assert (contest.owner_level, contest.owner_town_id, contest.level) == ("town", world.enterprise_a.town_id, "town")
    assert contest.id in {c.id for c in db.session.scalars(catalogue.competitions_query(world.town_a))}  # its draft
    with pytest.raises(NotAllowed):
        setup.open_competition(world.admin, contest)  # the city oversees, the town runs
    with pytest.raises(NotFound):
        setup.open_competition(world.town_b, contest)
    setup.open_competition(world.town_a, contest)
    db.session.commit()
    with pytest.raises(RuleViolation, match="其他镇"):  # only workers of the town's enterprises
        registration.register(world.worker_b, contest, world.worker_b)
    db.session.rollback()
    workers = town_workers(world, 3)
    run_to_final(world, reload(contest), workers)
    contest = reload(contest)
    assert contest.status == FINAL

    city = CompetitionFactory(trade=world.worker_a.trade, capacity=10)
    assert recommendation.targets_for(world.town_a, contest) == [city]
    outcomes = recommendation.recommend_top(world.town_a, contest, city, 2)
    db.session.commit()
    assert [(o.worker.id, o.entry is not None) for o in outcomes] == [(workers[0].id, True), (workers[1].id, True)]
    entered = db.session.scalars(select(CompetitionRegistration).where(
        CompetitionRegistration.competition_id == city.id)).all()
    assert {(e.worker_id, e.status, e.registered_by_id) for e in entered} == {
        (workers[0].id, CONFIRMED, world.town_a.id), (workers[1].id, CONFIRMED, world.town_a.id)}
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "competition.registered",
                                                      AuditLog.object_type == "competition_registration")
                               .order_by(AuditLog.id.desc()).limit(1)).one()
    assert audit.detail["recommended_from"] == contest.id
    told = db.session.scalars(select(Message).where(Message.kind == "competition.recommended")).all()
    assert sorted(m.recipient_id for m in told) == sorted([workers[0].id, workers[1].id])  # each one is told


def test_the_city_competition_keeps_its_cap_and_eligibility_for_a_town_recommendation(world):
    contest = setup.create_competition(world.town_a, town_data(world))
    setup.open_competition(world.town_a, contest)
    db.session.commit()
    workers = town_workers(world, 3)  # workers 0 and 2 of enterprise A, 1 of its neighbour
    run_to_final(world, reload(contest), workers)
    workers[1].skill_level = 1  # below the city competition's minimum
    city = CompetitionFactory(trade=world.worker_a.trade, per_enterprise_cap=1, min_skill_level=2)
    db.session.commit()
    outcomes = recommendation.recommend_top(world.town_a, reload(contest), city, 3)
    db.session.commit()
    assert [o.entry is not None for o in outcomes] == [True, False, False]
    assert "职业技能等级低于" in outcomes[1].reason
    assert "上限" in outcomes[2].reason
    assert reload(city).seats_taken == 1


def test_a_town_officer_enters_only_the_competitors_of_its_own_contest(world):
    city = CompetitionFactory(trade=world.worker_a.trade)
    with pytest.raises(NotFound):  # nobody's HR: no entering people by hand
        registration.register(world.town_a, city, world.worker_a)
    other_town = CompetitionFactory(owner_level="town", owner_town_id=world.enterprise_b.town_id, level="town",
                                    status=FINAL)
    with pytest.raises(NotFound):
        recommendation.recommend_top(world.town_a, other_town, city, 1)
    assert recommendation.targets_for(world.town_b, other_town) == [city]
    assert recommendation.targets_for(world.hr_b, other_town) == []


def test_a_town_panel_holds_the_citys_judges_and_the_towns_own_people(world):
    contest = CompetitionFactory(owner_level="town", owner_town_id=world.enterprise_a.town_id, level="town",
                                 judge_min_level=1)
    judging.assign_judge(world.town_a, contest, WorkerFactory(enterprise=world.enterprise_a, skill_level=3))
    with pytest.raises(RuleViolation) as refused:  # a worker of another town without the judge role
        judging.assign_judge(world.town_a, contest, WorkerFactory(enterprise=world.enterprise_b, skill_level=3))
    assert refused.value.field == "judge_id"
    judging.assign_judge(world.town_a, contest, world.judge)  # the city's pool, of another town
    assert len(judging.panel(contest)) == 2


def test_the_levels_above_oversee_and_never_run(world):
    of_a = CompetitionFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id, level="enterprise")
    of_town = CompetitionFactory(owner_level="town", owner_town_id=world.enterprise_a.town_id, level="town")
    city = CompetitionFactory()
    oversee = competitions_policy.can_oversee_competition
    assert oversee(world.admin, of_a) and oversee(world.admin, of_town) and oversee(world.town_a, of_a)
    assert not oversee(world.town_b, of_a) and not oversee(world.town_a, of_town)  # its own: it runs it
    assert not oversee(world.hr_a, of_a) and not oversee(world.admin, city) and not oversee(world.worker_a, of_a)


# --- prize rewards (奖金) -------------------------------------------------------------------------------


def test_rewards_are_checked_and_every_change_is_audited(world):
    contest = setup.create_competition(world.town_a, town_data(world))
    db.session.commit()
    assert (contest.reward_first, contest.reward_second, contest.reward_third) == (
        Decimal("1500.00"), Decimal("600.50"), None)
    assert contest.reward_for("second") == Decimal("600.50") and contest.reward_for(None) is None
    for bad, field in (("-1", "reward_first"), ("1000000.01", "reward_first"), ("12.345", "reward_first")):
        with pytest.raises(RuleViolation) as refused:
            setup.update_competition(world.town_a, contest, town_data(world, **{field: bad}))
        assert refused.value.field == field
        db.session.rollback()
    contest = reload(contest)
    setup.update_competition(world.town_a, contest, town_data(world, reward_third="200"))
    db.session.commit()
    records = db.session.scalars(select(AuditLog).where(AuditLog.action == "competition.rewards_set")
                                 .order_by(AuditLog.id)).all()
    assert [r.detail["new"]["third"] for r in records] == [None, "200.00"]
    assert records[1].detail["old"]["first"] == "1500.00"
    setup.update_competition(world.town_a, reload(contest), town_data(world, reward_third="200"))
    db.session.commit()
    assert db.session.scalar(select(db.func.count(AuditLog.id)).where(
        AuditLog.action == "competition.rewards_set")) == 2  # unchanged rewards: no new record


def test_rewards_paid_count_final_prizes_per_owner_and_roll_up(world):
    contest = setup.create_competition(world.town_a, town_data(world))
    setup.open_competition(world.town_a, contest)
    db.session.commit()
    run_to_final(world, reload(contest), town_workers(world, 4))  # 1st 1,500, 2nd-3rd 600.50 each, 4th nothing
    assert figures.figures(world.town_a, own_only=True).rewards_paid == Decimal("2701.00")
    assert figures.figures(world.town_a).rewards_paid == Decimal("2701.00")
    assert figures.figures(world.admin).rewards_paid == Decimal("2701.00")  # rolled up to the city
    assert figures.figures(world.admin, own_only=True).rewards_paid == Decimal(0)
    assert figures.figures(world.town_b).rewards_paid == Decimal(0)
