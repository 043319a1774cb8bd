"""Team competitions: HR enters a team of its own enterprise's eligible workers; one seat and one
number per team; a worker is in one entry per competition; every member gets results and a certificate."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import clock
from models import Role, db
from models.competitions import CONFIRMED, WAITLISTED, CompetitionCertificate, CompetitionTeamMember
from services.competitions import bulk, certificates, judging, registration, results, setup
from services.errors import NotAllowed, RuleViolation
from tests.factories import EnterpriseFactory, UserFactory, WorkerFactory
from tests.factories_competitions import CompetitionFactory, reload

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def team_competition():
    return CompetitionFactory(is_team=True, team_min=2, team_max=3, capacity=1)


def _crew(world, n, **kw):
    return [WorkerFactory(enterprise=world.enterprise_a, **kw) for _ in range(n)]


def test_a_team_takes_one_seat_and_one_number(world, team_competition):
    crew = _crew(world, 3)
    entry = bulk.register_team(world.hr_a, team_competition, "恒信一队", [w.employee_no for w in crew])
    assert (entry.status, entry.competitor_no, entry.worker_id, entry.team_name) == (CONFIRMED, 1, crew[0].id,
                                                                                       "恒信一队")
    assert [m.worker_id for m in entry.members] == [w.id for w in crew]
    assert reload(team_competition).seats_taken == 1
    second = bulk.register_team(world.hr_a, team_competition, "恒信二队", [w.employee_no for w in _crew(world, 2)])
    assert second.status == WAITLISTED


@pytest.mark.parametrize("size", [1, 4])
def test_team_size_is_enforced(world, team_competition, size):
    with pytest.raises(RuleViolation, match="每队 2-3 人") as error:
        bulk.register_team(world.hr_a, team_competition, "队", [w.employee_no for w in _crew(world, size)])
    assert error.value.field == "employee_nos"


def test_members_come_from_hr_own_enterprise_and_are_eligible(world, team_competition):
    crew = _crew(world, 1)
    with pytest.raises(RuleViolation, match="本企业没有工号"):
        bulk.register_team(world.hr_a, team_competition, "队", [crew[0].employee_no, world.worker_b.employee_no])
    old = WorkerFactory(enterprise=world.enterprise_a, birth_date=date(1950, 1, 1))
    with pytest.raises(RuleViolation, match=f"{old.name}：比赛当日年龄"):
        bulk.register_team(world.hr_a, team_competition, "队", [crew[0].employee_no, old.employee_no])
    with pytest.raises(NotAllowed):
        bulk.register_team(world.worker_a, team_competition, "队", [crew[0].employee_no, old.employee_no])
    assert db.session.scalar(select(func.count(CompetitionTeamMember.id))) == 0


def test_a_worker_is_in_one_team_only(world, team_competition):
    crew = _crew(world, 3)
    bulk.register_team(world.hr_a, team_competition, "一队", [w.employee_no for w in crew[:2]])
    with pytest.raises(RuleViolation, match="已在本竞赛的其他队伍中"):
        bulk.register_team(world.hr_a, team_competition, "二队", [crew[1].employee_no, crew[2].employee_no])
    db.session.add(CompetitionTeamMember(competition_id=team_competition.id, registration_id=1, worker_id=crew[0].id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_workers_do_not_enter_team_competitions_alone(world, team_competition):
    with pytest.raises(RuleViolation, match="团体赛由企业人力资源组队报名"):
        registration.register(world.worker_a, team_competition, world.worker_a)
    individual = CompetitionFactory()
    with pytest.raises(RuleViolation, match="个人赛"):
        bulk.register_team(world.hr_a, individual, "队", [world.worker_a.employee_no])


def test_team_members_see_the_entry_and_each_gets_a_certificate(world, team_competition):
    crew = _crew(world, 2)
    entry = bulk.register_team(world.hr_a, team_competition, "恒信一队", [w.employee_no for w in crew])
    db.session.commit()
    assert registration.entry_of(crew[1], team_competition).id == entry.id
    assert [r.id for r in registration.my_registrations(crew[1])] == [entry.id]
    with pytest.raises(RuleViolation, match="人力资源办理退赛"):
        registration.withdraw(crew[0], entry)

    judges = [UserFactory(roles=(Role.JUDGE,), enterprise=EnterpriseFactory(), skill_level=5) for _ in range(3)]
    with clock.frozen(team_competition.registration_closes_at + timedelta(hours=1)):
        setup.start_scoring(world.admin, team_competition)
        for judge in judges:
            judging.assign_judge(world.admin, team_competition, judge)
            judging.enter_practical_marks(judge, entry, {i.id: "90" for i in team_competition.items})
        judging.enter_theory_mark(world.admin, entry, "80")
        results.sign_off(world.admin, team_competition)
        results.publish_results(world.admin, team_competition)
    with clock.frozen(team_competition.registration_closes_at + timedelta(days=20)):
        results.finalise_results(world.admin, team_competition)
    db.session.commit()
    issued = db.session.scalars(select(CompetitionCertificate).order_by(CompetitionCertificate.id)).all()
    assert [c.worker_id for c in issued] == [w.id for w in crew]
    assert certificates.certificate_for(entry, crew[1]).kind == "prize"
    assert reload(entry).result.total == Decimal("87.00")


def test_enterprise_cap_counts_teams(world):
    competition = CompetitionFactory(is_team=True, team_min=2, team_max=2, per_enterprise_cap=1)
    bulk.register_team(world.hr_a, competition, "一队", [w.employee_no for w in _crew(world, 2)])
    with pytest.raises(RuleViolation, match="报名队数已达上限（1 队）"):
        bulk.register_team(world.hr_a, competition, "二队", [w.employee_no for w in _crew(world, 2)])
