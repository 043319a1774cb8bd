"""The stored entry tallies (models.competition_tallies) move with every change they count, in the same
transaction: registering, the waitlist, approving, rejecting, withdrawing, a rolled-back change and a
deleted entry; after each step they equal a recount, and the union's to-do and the status counts read
them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core import clock
from models import db
from models.competition_tallies import EntryTally, rebuild
from models.competitions import CONFIRMED, WAITLISTED, CompetitionRegistration
from services.competitions import registration, todos
from services.messages.todos import resolve
from tests.factories import WorkerFactory
from tests.factories_competitions import CompetitionFactory

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


def stored() -> dict[tuple, tuple[int, int]]:
    return {(t.competition_id, t.status): (t.entries, t.unchecked)
            for t in db.session.scalars(select(EntryTally)) if t.entries or t.unchecked}


def recount() -> dict[tuple, tuple[int, int]]:
    r = CompetitionRegistration
    return {(cid, status): (n, unchecked) for cid, status, n, unchecked in db.session.execute(
        select(r.competition_id, r.status, func.count(), func.count() - func.count(r.approved_at))
        .group_by(r.competition_id, r.status))}


def test_tallies_follow_every_change_of_the_entries(world, frozen_now):
    competition = CompetitionFactory(capacity=2)
    other = CompetitionFactory(capacity=5)
    people = [WorkerFactory(enterprise=world.enterprise_a) for _ in range(4)]
    entries = [registration.register(p, competition, p) for p in people]
    registration.register(people[0], other, people[0])
    db.session.commit()
    assert stored() == recount() == {(competition.id, CONFIRMED): (2, 2), (competition.id, WAITLISTED): (2, 2),
                                     (other.id, CONFIRMED): (1, 1)}
    assert registration.status_counts(competition.id) == {CONFIRMED: 2, WAITLISTED: 2}

    registration.approve(world.admin, entries[0])
    db.session.commit()
    assert stored() == recount()
    assert stored()[(competition.id, CONFIRMED)] == (2, 1)
    unapproved = resolve(todos.unapproved_todos())  # a Listing: its rows read by services.messages.todos
    assert {todo.count for todo in unapproved} == {1}  # one per competition with unchecked entries

    registration.withdraw(people[1], entries[1])  # the first on the waitlist moves up
    db.session.commit()
    assert stored() == recount()
    registration.reject(world.admin, entries[3], "不符合报名条件")
    db.session.commit()
    assert stored() == recount()

    # a rolled-back change leaves the tallies as they were
    before = stored()
    db.session.expire_all()
    entries[2] = db.session.get(CompetitionRegistration, entries[2].id)
    registration.approve(world.admin, entries[2])
    db.session.flush()
    db.session.rollback()
    assert stored() == before == recount()

    # an entry deleted through the ORM (the demo's reset, factories) leaves no count behind
    db.session.delete(db.session.get(CompetitionRegistration, entries[3].id))
    db.session.commit()
    assert stored() == recount()


def test_rebuild_recounts_after_a_bulk_insert(world, frozen_now):
    competition = CompetitionFactory(capacity=10)
    workers = [WorkerFactory(enterprise=world.enterprise_a) for _ in range(3)]
    db.session.execute(CompetitionRegistration.__table__.insert(), [
        {"competition_id": competition.id, "worker_id": w.id, "enterprise_id": w.enterprise_id, "status": CONFIRMED,
         "created_at": NOW, "approved_at": NOW if i == 0 else None} for i, w in enumerate(workers)])
    assert stored() == {}  # a Core insert passes the flush hooks by
    rebuild(db.session)
    db.session.commit()
    assert stored() == recount() == {(competition.id, CONFIRMED): (3, 2)}
