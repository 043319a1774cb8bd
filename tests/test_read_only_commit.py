"""core/read_only_commit.py: a transaction that only read ends with COMMIT on PostgreSQL (psycopg keeps its
prepared statements); one that wrote, or failed, is still rolled back, on every database."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core import read_only_commit
from models import Trade, db
from tests.factories import WorkerFactory

PROBE = "SELECT count(*) FROM trade WHERE id > :floor"  # a statement no other code sends


@pytest.mark.postgres_only
def test_a_statement_stays_prepared_across_read_only_transactions():
    """One connection, seven read-only transactions each ended by a rollback (as Session.close ends a
    request): psycopg prepares the statement at its fifth run and it is still there at the end."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are psycopg's (PostgreSQL)")
    with db.engine.connect() as connection:
        for _ in range(7):
            connection.execute(text(PROBE), {"floor": 0}).scalar()
            connection.rollback()
        prepared = connection.execute(text(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT count(*) FROM trade WHERE id > %'"
        )).scalar()
        assert prepared == 1  # a real rollback between the runs would have dropped it
        assert connection.connection.dbapi_connection.prepared_max == read_only_commit.PREPARED_MAX
        connection.rollback()


def test_what_a_failed_request_flushed_is_still_rolled_back():
    """A transaction that wrote (a flushed INSERT) and is closed without commit leaves nothing behind."""
    before = db.session.scalar(db.select(db.func.count(Trade.id)))
    db.session.add(Trade(name="未提交的工种"))
    db.session.flush()
    db.session.close()
    assert db.session.scalar(db.select(db.func.count(Trade.id))) == before
    worker = WorkerFactory()
    db.session.commit()
    worker.name = "改了没提交"
    db.session.flush()
    db.session.close()
    assert db.session.get(type(worker), worker.id).name != "改了没提交"


def test_a_failed_statement_leaves_the_connection_usable():
    with pytest.raises(DBAPIError):
        db.session.execute(text("SELECT no_such_column FROM trade")).all()
    db.session.rollback()
    assert db.session.execute(text("SELECT 1")).scalar() == 1


def test_a_select_after_a_write_in_one_transaction_still_rolls_the_write_back():
    db.session.add(Trade(name="先写后读"))
    db.session.flush()
    db.session.execute(text(PROBE), {"floor": 0}).scalar()
    db.session.rollback()
    assert db.session.scalar(db.select(Trade.id).where(Trade.name == "先写后读")) is None
