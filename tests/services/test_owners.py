"""The shared owner rules (services/common/owners.py) on an owned model: who runs, oversees, sees and may
take part in an enterprise's, a town's and the city's event (docs/domain.md, "Owners and levels")."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import db
from models.training import TrainingProgramme
from services.common import owners


def programme(level="city", enterprise=None, town=None, name="培训"):
    row = TrainingProgramme(name=name, kind="safety", capacity=10, starts_on=date(2026, 12, 1),
                            ends_on=date(2026, 12, 2), owner_level=level,
                            owner_enterprise_id=enterprise.id if enterprise else None,
                            owner_town_id=town.id if town else None)
    db.session.add(row)
    db.session.flush()
    return row


PERSONAS = ("admin", "hr_a", "hr_b", "worker_a", "worker_b", "town_a", "town_b", "judge")


@pytest.mark.parametrize("level", ["city", "town", "enterprise"])
def test_run_oversee_see_and_take_part_follow_the_owner(world, level):
    owned = {"city": lambda: programme(),
             "town": lambda: programme("town", town=world.enterprise_b.town),
             "enterprise": lambda: programme("enterprise", enterprise=world.enterprise_b)}[level]()
    runner = {"city": "admin", "town": "town_b", "enterprise": "hr_b"}[level]
    overseers = {"city": {"admin"}, "town": {"admin", "town_b"}, "enterprise": {"admin", "hr_b", "town_b"}}[level]
    # people under the owner: everyone for the city; enterprise B's people (judge works there) otherwise
    under = set(PERSONAS) if level == "city" else {"hr_b", "worker_b", "judge"}
    for name in PERSONAS:
        actor = world.persona(name)
        assert owners.can_run(actor, owned) == (name == runner), name
        assert owners.can_oversee(actor, owned) == (name in overseers), name
        assert owners.can_see(actor, owned) == (name in overseers | under), name
        listed = db.session.scalar(select(TrainingProgramme.id).where(
            TrainingProgramme.id == owned.id, owners.visible_clause(actor, TrainingProgramme)))
        assert (listed is not None) == owners.can_see(actor, owned), name


def test_owner_for_names_the_node_an_actor_creates_events_as(world):
    assert owners.owner_for(world.admin) == ("city", None, None)
    assert owners.owner_for(world.hr_a) == ("enterprise", world.enterprise_a.id, None)
    assert owners.owner_for(world.town_b) == ("town", None, world.enterprise_b.town_id)
    assert owners.owner_for(world.worker_a) is None


def test_a_towns_figures_roll_up_its_enterprises(world):
    town_b = world.enterprise_b.town_id
    own = programme("town", town=world.enterprise_b.town, name="镇")
    of_b = programme("enterprise", enterprise=world.enterprise_b, name="乙")
    of_a = programme("enterprise", enterprise=world.enterprise_a, name="甲")
    city = programme(name="市")

    def ids(**kw):
        return set(db.session.scalars(select(TrainingProgramme.id).where(
            owners.owned_by_clause(TrainingProgramme, **kw))))

    assert ids(level="town", town_id=town_b) == {own.id}
    assert ids(level="town", town_id=town_b, roll_up=True) == {own.id, of_b.id}
    assert ids(level="enterprise", enterprise_id=world.enterprise_a.id) == {of_a.id}
    assert ids(level="city") == {city.id}
    assert ids(level="city", roll_up=True) == {own.id, of_b.id, of_a.id, city.id}
