"""Owners of competitions (issue 14, first part): every competition has an owner (existing ones: the
city); an enterprise's own competition (选拔赛) exists only for its people and the levels above, and
only its own workers may enter it. Running it by its owner is not switched on yet (see
services.competitions.policy.can_run_competition)."""

from __future__ import annotations

import pytest

from models import db
from services.competitions import eligibility, setup
from services.competitions import policy as competitions_policy
from services.errors import NotFound
from tests.factories_competitions import CompetitionFactory


def own_competition(enterprise, **kw):
    return CompetitionFactory(owner_level="enterprise", owner_enterprise_id=enterprise.id, level="enterprise", **kw)


def test_existing_competitions_are_the_citys(world):
    competition = CompetitionFactory()
    assert competition.owner_level == "city"
    assert competitions_policy.can_run_competition(world.admin, competition)
    assert not competitions_policy.can_run_competition(world.hr_a, competition)


def test_an_enterprise_competition_belongs_to_its_hr_and_is_overseen_by_the_city(world):
    competition = own_competition(world.enterprise_b, status="open")
    assert competitions_policy.can_run_competition(world.hr_b, competition)
    for persona in ("hr_a", "admin", "worker_b"):
        assert not competitions_policy.can_run_competition(world.persona(persona), competition), persona
    assert competitions_policy.can_see_competition(world.admin, competition)
    assert competitions_policy.can_see_competition(world.worker_b, competition)
    with pytest.raises(NotFound):
        setup.get_competition(world.hr_a, competition.id)
    with pytest.raises(NotFound):
        setup.get_competition(world.worker_a, competition.id)


def test_lists_show_an_enterprise_competition_to_its_people_only(world):
    city = CompetitionFactory(status="open")
    of_b = own_competition(world.enterprise_b, status="open")

    def listed(actor):
        return {c.id for c in db.session.scalars(setup.competitions_query(actor))}

    assert listed(world.worker_b) == listed(world.hr_b) == {city.id, of_b.id}
    assert listed(world.worker_a) == listed(world.hr_a) == {city.id}
    assert listed(world.admin) == {city.id, of_b.id}


def test_only_its_own_workers_may_enter_an_enterprise_competition(world):
    competition = own_competition(world.enterprise_b, status="open", eligible_trades=[])
    problems_a = [str(p) for p in eligibility.eligibility_problems(competition, world.worker_a)]
    problems_b = [str(p) for p in eligibility.eligibility_problems(competition, world.worker_b)]
    assert any("其他企业内部的选拔赛" in p for p in problems_a)
    assert not any("选拔赛" in p for p in problems_b)
