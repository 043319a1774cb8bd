"""The competitions part of the yearly report (services/report/competitions.py): held competitions by
owner and level, entrants as person-times (team members each) and distinct people, prizes of final
results, promotions; known totals and the roll-up enterprise -> town -> city."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from models import db
from models.competitions import (
    CompetitionPromotion,
    CompetitionRegistration,
    CompetitionResult,
    CompetitionTeamMember,
)
from services.report import competitions
from services.report.periods import Span
from services.report.scope import CITY, ENTERPRISE, TOWN, ReportScope
from tests.factories import WorkerFactory
from tests.factories_competitions import CompetitionFactory

MAY = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)


def entry(competition, worker, status="confirmed", prize=None, number=None):
    registration = CompetitionRegistration(competition_id=competition.id, worker_id=worker.id,
                                           enterprise_id=worker.enterprise_id, status=status, created_at=MAY,
                                           competitor_no=number)
    db.session.add(registration)
    db.session.flush()
    if prize is not None:
        db.session.add(CompetitionResult(competition_id=competition.id, registration_id=registration.id,
                                         theory=Decimal(90), practical=Decimal(90), total=Decimal(90), judges=3,
                                         rank=1, position=1, prize=prize))
    return registration


def build(world):
    city = CompetitionFactory(held_on=date(2026, 6, 1), status="final")
    own = CompetitionFactory(held_on=date(2026, 6, 2), status="final", level="enterprise",
                             owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    team = CompetitionFactory(held_on=date(2026, 6, 3), status="open", is_team=True, team_min=2, team_max=3)
    CompetitionFactory(held_on=date(2026, 6, 4), status="draft")  # not counted
    CompetitionFactory(held_on=date(2025, 6, 4), status="final")  # last year
    entry(city, world.worker_a, prize="first", number=1)
    entry(city, world.worker_b, number=2)
    entry(city, WorkerFactory(enterprise=world.enterprise_b), status="withdrawn")  # not counted
    entry(own, world.worker_a, prize="second", number=1)
    captain = entry(team, world.worker_b, number=1)
    mate = WorkerFactory(enterprise=world.enterprise_b)
    for member in (world.worker_b, mate):
        db.session.add(CompetitionTeamMember(competition_id=team.id, registration_id=captain.id, worker_id=member.id))
    registration = db.session.get(CompetitionRegistration, captain.id)
    db.session.add(CompetitionPromotion(registration_id=registration.id, worker_id=world.worker_b.id,
                                        enterprise_id=world.enterprise_b.id, to_level=4, created_at=MAY,
                                        status="certified", recorded_at=MAY))
    db.session.commit()


def test_known_totals_and_roll_up(world):
    build(world)
    span = Span(2026, 2026)
    sections = {
        "city": competitions.section(ReportScope(CITY, None, "全市"), span),
        "town_a": competitions.section(ReportScope(TOWN, world.enterprise_a.town_id, "甲镇"), span),
        "a": competitions.section(ReportScope(ENTERPRISE, world.enterprise_a.id, "甲"), span),
        "b": competitions.section(ReportScope(ENTERPRISE, world.enterprise_b.id, "乙"), span),
    }

    def value(name, key, year=2026):
        return sections[name].figure(key).value(year)

    assert value("city", "held") == 3 and value("city", "held", 2025) == 1
    assert value("a", "held") == 1 and value("town_a", "held") == 1 and value("b", "held") == 0
    assert value("city", "person_times") == 5  # A twice, B once, the team's two members
    assert value("city", "people") == 3  # worker A, worker B, B's team mate
    assert value("a", "person_times") == 2 and value("a", "people") == 1
    assert value("b", "person_times") == 3 and value("b", "people") == 2
    assert value("city", "prizes") == 2 and value("a", "prizes") == 2 and value("b", "prizes") == 0
    assert value("city", "promotions_recommended") == 1 and value("city", "promotions_certified") == 1
    assert value("a", "promotions_certified") == 0
    levels = {str(labels[0]): fig.value(2026) for labels, fig in sections["city"].breakdowns[0].rows}
    assert levels == {"市级": 2, "企业级": 1}
