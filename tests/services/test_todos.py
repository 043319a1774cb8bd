"""The to-do list's machinery (services/messages/todos.py, issue 10): a list's counts are one statement,
built once per process with bind parameters, and still right for each person and at each moment; a
statement kept for later cannot hold the time it was built at; tallies that disagree are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core import clock, statements
from models import User, db
from services.messages import todos
from tests.factories_proposals import ProposalFactory
from tests.factories_titles import default_titles, open_round
from tests.querycount import count_queries

NOW = datetime(2026, 3, 2, 2, tzinfo=UTC)


def labels(person) -> dict[str, int]:
    return {str(t.label): t.count for t in todos.todos_for(person)}


def test_a_workers_list_is_one_statement_and_each_worker_gets_their_own_counts(world):
    ProposalFactory(proposer=world.worker_a, status="returned")
    ProposalFactory(proposer=world.worker_a, status="returned")
    ProposalFactory(proposer=world.worker_b, status="returned")
    db.session.commit()
    todos.todos_for(world.worker_a)  # the roles are loaded, the statement built
    with count_queries() as counter:
        mine = labels(world.worker_a)
    assert counter.count == 1, counter.statements
    assert mine["被退回修改的五小提案"] == 2
    assert labels(world.worker_b)["被退回修改的五小提案"] == 1  # the same statement, another person


def test_a_statement_built_earlier_counts_at_the_time_it_runs(world):
    """HR's "rounds open for nominations" and the union's "rounds past their deadline" compare with the
    time of each call, not the time the kept statement was built."""
    with clock.frozen(NOW):
        open_round(world.admin, default_titles()["晋江工匠"], days=3)
        assert labels(world.hr_a)["可推荐工匠称号的评选"] == 1
        assert "推荐已截止、待公示的评选" not in labels(world.admin)
    with clock.frozen(NOW + timedelta(days=4)):
        assert "可推荐工匠称号的评选" not in labels(world.hr_a)
        assert labels(world.admin)["推荐已截止、待公示的评选"] == 1


def test_building_a_kept_statement_cannot_read_the_clock(app):
    with clock.not_read(), pytest.raises(RuntimeError):
        clock.now()
    clock.now()  # readable again
    key = ("test.reads_the_clock",)
    with pytest.raises(RuntimeError):
        statements.shared_statement(key, lambda: select(User.id).where(User.created_at < clock.now()))
    assert key not in statements._KEPT


def test_tallies_that_disagree_on_a_parameter_are_refused(app):
    def tally(name, person_id):
        return todos.Tally((name,), lambda: select(func.count(User.id)).where(User.id == todos.PERSON),
                           {"person_id": person_id}, lambda n: [])

    with pytest.raises(ValueError):
        todos.resolve([tally("test.one", 1), tally("test.two", 2)])


def test_listings_are_one_statement_their_rows_by_id_in_the_parts_order(world):
    """todos.Listing: a list's listings are read by one statement (a UNION ALL; one listing alone too),
    each listing's rows by id, its to-dos where the listing stands among the parts."""
    def listing(name, condition, params):
        return todos.Listing((name,), lambda: select(User.id, User.name, func.length(User.name)).where(condition),
                             params, lambda rows: [todos.Todo(f"{name}:{user_id}:{user}", n, {})
                                                   for user_id, user, n in rows])

    staff = listing("test.staff", User.enterprise_id == todos.ENTERPRISE, {"enterprise_id": world.enterprise_a.id})
    me = listing("test.me", User.id == todos.PERSON, {"person_id": world.worker_b.id})
    first, last = todos.Todo("first", 1, {}), todos.Todo("last", 1, {})
    db.session.commit()
    colleagues = db.session.execute(select(User.id, User.name).where(
        User.enterprise_id == world.enterprise_a.id).order_by(User.id)).all()
    assert len(colleagues) > 1
    expected = ["first", *(f"test.staff:{i}:{name}" for i, name in colleagues), "last",
                f"test.me:{world.worker_b.id}:{world.worker_b.name}"]
    for _again in range(2):  # built, then kept
        with count_queries() as counter:
            found = [str(t.label) for t in todos.resolve([first, staff, last, me])]
        assert counter.count == 1 and found == expected, counter.statements
    with count_queries() as counter:
        alone = [str(t.label) for t in todos.resolve([me])]
    assert counter.count == 1 and alone == expected[-1:]
