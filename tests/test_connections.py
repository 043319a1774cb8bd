"""core/connections.py: on PostgreSQL a plain read runs outside a transaction, the first statement that writes
or locks begins one (so a failed request still writes nothing and locks hold to the end), prepared
statements outlive requests, and a pooled connection is pinged only after it sat idle."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, exc, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from core import connections
from models import Trade, db
from tests.factories import WorkerFactory

PROBE = "SELECT count(*) FROM trade WHERE id > :floor"  # a statement no other code sends


def _transaction_status():
    from psycopg.pq import TransactionStatus

    status = db.session.connection().connection.dbapi_connection.pgconn.transaction_status
    return TransactionStatus(status).name


def _postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's transactions (PostgreSQL)")


@pytest.mark.parametrize(("statement", "plain"), [
    ("SELECT user.id FROM user WHERE user.id = %(id)s", True),
    ("  select 1", True),
    ("WITH ranked AS (SELECT id FROM proposal) SELECT id FROM ranked", True),
    ("SELECT seat.id FROM seat WHERE seat.id = %(id)s FOR UPDATE", False),
    ("SELECT seat.id FROM seat FOR NO KEY UPDATE SKIP LOCKED", False),
    ("SELECT seat.id FROM seat FOR SHARE", False),
    ("SELECT pg_advisory_xact_lock(%(a)s, %(b)s) AS pg_advisory_xact_lock_1", False),
    ("WITH gone AS (DELETE FROM job_file RETURNING id) SELECT count(*) FROM gone", False),
    ("WITH moved AS (UPDATE proposal SET status = 'x' RETURNING id) SELECT id FROM moved", False),
    ("SELECT proposal.updated_at, proposal.deleted FROM proposal", True),  # column names are not keywords
    ("INSERT INTO trade (name) VALUES (%(name)s)", False),
    ("UPDATE trade SET name = %(name)s", False),
    ("SAVEPOINT sa_savepoint_1", False),
    ("SET LOCAL statement_timeout = 1000", False),
    ("SHOW standard_conforming_strings", False),
])
def test_which_statements_are_plain_reads(statement, plain):
    assert connections.is_plain_read(statement) is plain


def test_a_read_runs_outside_a_transaction_and_a_write_begins_one():
    _postgresql_only()
    db.session.execute(text(PROBE), {"floor": 0}).scalar()
    assert _transaction_status() == "IDLE"  # no BEGIN was sent for the read
    db.session.add(Trade(name="开始事务"))
    db.session.flush()
    assert _transaction_status() == "INTRANS"
    db.session.execute(text(PROBE), {"floor": 0}).scalar()  # reads after a write stay in the transaction
    assert _transaction_status() == "INTRANS"
    db.session.commit()
    db.session.execute(text(PROBE), {"floor": 0}).scalar()
    assert _transaction_status() == "IDLE"  # the next read is outside again
    assert db.session.scalar(select(Trade.id).where(Trade.name == "开始事务")) is not None


def test_a_locking_read_begins_a_transaction_and_holds_its_lock_to_the_end():
    _postgresql_only()
    trade = Trade(name="上锁")
    db.session.add(trade)
    db.session.commit()
    db.session.execute(select(Trade.id).where(Trade.id == trade.id).with_for_update()).all()
    assert _transaction_status() == "INTRANS"
    db.session.rollback()
    db.session.execute(select(func.pg_advisory_xact_lock(424242, 7))).all()
    assert _transaction_status() == "INTRANS"
    with db.engine.connect() as other:  # another connection sees the advisory lock held
        held = other.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7 "
                                  "AND classid = 424242 AND granted")).scalar()
    assert held == 1
    db.session.rollback()


def test_a_read_in_batches_runs_in_a_transaction():
    """yield_per reads through a server-side cursor, which PostgreSQL keeps only inside a transaction."""
    _postgresql_only()
    db.session.add_all([Trade(name=f"分批{n}") for n in range(5)])
    db.session.commit()
    names = [trade.name for trade in db.session.scalars(
        select(Trade).where(Trade.name.like("分批%")).order_by(Trade.id).execution_options(yield_per=2))]
    assert names == [f"分批{n}" for n in range(5)]
    assert _transaction_status() == "INTRANS"
    db.session.rollback()


def test_a_statement_stays_prepared_across_requests():
    """One connection, seven request-like rounds (a read, then the rollback Session.close sends): psycopg
    prepares the statement at its fifth run and it is still there at the end."""
    _postgresql_only()
    with db.engine.connect() as connection:
        for _ in range(7):
            connection.execute(text(PROBE), {"floor": 0}).scalar()
            connection.rollback()
        prepared = connection.execute(text(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT count(*) FROM trade WHERE id > %'"
        )).scalar()
        assert prepared == 1  # a rollback of a real transaction between the runs would have dropped it
        assert connection.connection.dbapi_connection.prepared_max == connections.PREPARED_MAX
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


def test_a_failed_write_leaves_the_connection_usable_and_writes_nothing():
    db.session.add(Trade(name="先写"))
    db.session.flush()
    with pytest.raises(DBAPIError):
        db.session.execute(text("SELECT no_such_column FROM trade")).all()
    db.session.rollback()
    assert db.session.scalar(select(Trade.id).where(Trade.name == "先写")) is None
    assert db.session.execute(text("SELECT 1")).scalar() == 1


class _Cursor:
    def __init__(self, connection):
        self.connection = connection

    def execute(self, sql):
        self.connection.pings.append(sql)
        if self.connection.broken:
            raise OSError("server closed the connection unexpectedly")

    def close(self):
        pass


class _Connection:
    def __init__(self, broken=False):
        self.broken, self.pings = broken, []

    def cursor(self):
        return _Cursor(self)


class _Record:
    def __init__(self, idle_for):
        self.info = {connections._IDLE_SINCE: time.monotonic() - idle_for}


def test_a_busy_connection_is_handed_out_without_a_ping():
    connection = _Connection()
    connections._on_checkout(connection, _Record(idle_for=1.0), None)
    assert connection.pings == []


def test_an_idle_connection_is_pinged_and_replaced_when_the_ping_fails():
    alive = _Connection()
    connections._on_checkout(alive, _Record(idle_for=connections.PING_AFTER_IDLE + 1), None)
    assert alive.pings == ["SELECT 1"]
    dead = _Connection(broken=True)
    with pytest.raises(exc.DisconnectionError):
        connections._on_checkout(dead, _Record(idle_for=connections.PING_AFTER_IDLE + 1), None)


def test_the_pool_replaces_a_connection_that_died_while_idle():
    """A real pool: the connection's server side is ended while it sits idle; the next checkout pings it,
    the pool connects anew, and the request's statement runs."""
    _postgresql_only()
    db.session.close()
    with db.engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        record = connection.connection._connection_record
    outside = create_engine(db.engine.url, poolclass=NullPool)  # not one of the pool's connections
    with outside.connect() as killer:
        assert killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar() is True
    outside.dispose()
    record.info[connections._IDLE_SINCE] -= connections.PING_AFTER_IDLE + 1
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != pid


def test_sqlite_keeps_enough_prepared_statements(tmp_path):
    from config import SQLITE_STATEMENTS_KEPT, load_config

    sqlite = load_config(tmp_path, {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "x.sqlite3")})
    assert sqlite["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"cached_statements": SQLITE_STATEMENTS_KEPT}
    postgresql = load_config(tmp_path, {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1/x"})
    assert "connect_args" not in postgresql["SQLALCHEMY_ENGINE_OPTIONS"]


@pytest.mark.parametrize("where", ["connection", "engine"])
def test_a_connection_asked_for_autocommit_runs_each_statement_on_its_own(where):
    """VACUUM cannot run in a transaction: with isolation_level="AUTOCOMMIT" (bench/seed's VACUUM ANALYZE)
    no statement may begin one, a write included."""
    _postgresql_only()
    if where == "engine":
        engine = create_engine(db.engine.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        connection = engine.connect()
    else:
        engine = None
        connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        connection.exec_driver_sql("CREATE TEMPORARY TABLE autocommit_probe (n integer)")
        connection.exec_driver_sql("INSERT INTO autocommit_probe VALUES (1)")
        assert connection.connection.dbapi_connection.autocommit is True
        connection.exec_driver_sql("VACUUM ANALYZE autocommit_probe")
    finally:
        connection.close()
        if engine is not None:
            engine.dispose()


def test_psycopg_keeps_the_conversion_of_a_long_statement(app):
    """A statement over psycopg's own limits (4,096 characters, 50 parameters) is converted once and then
    found in its cache, as a short one is (connections.widen_psycopg_query_cache, run by create_app)."""
    from psycopg import _queries
    from psycopg.adapt import Transformer

    assert connections.widen_psycopg_query_cache()  # idempotent: create_app ran it already
    names = [f"p{index}" for index in range(80)]
    query = "SELECT " + ", ".join(f"%({name})s" for name in names) + " -- " + "x" * 5000
    before = _queries._query2pg.cache_info()
    for _ in range(3):
        converted = _queries.PostgresQuery(Transformer())
        converted.convert(query, dict.fromkeys(names, 1))
    after = _queries._query2pg.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 2)
    assert after.maxsize == connections.QUERY_TEXTS_KEPT
    assert converted.query.startswith(b"SELECT $1, $2")
