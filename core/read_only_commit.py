"""PostgreSQL: a transaction that only read ends with COMMIT, so the connection keeps its prepared statements.

Why: psycopg 3 prepares a statement on the server once it has run `prepare_threshold` (5) times on a
connection, so PostgreSQL plans it once instead of on every run. But psycopg forgets every prepared
statement when a transaction is rolled back (a rollback may undo DDL the plans depend on), and every
request ends with a rollback: Flask-SQLAlchemy closes the session, which rolls back what was not
committed, and a page that only reads commits nothing. So no statement ever stayed prepared: each page
planned all its statements again (the home page's to-do statement: 2.5-2.9 ms of planning for 1.2 ms of
work, measured on the bench database at scale 1.0).

Rule: when a transaction is about to be rolled back and every statement it sent was a SELECT (nothing
written, no savepoint, no SET, no DDL), it is committed instead; for such a transaction COMMIT and
ROLLBACK leave the database in the same state. psycopg then finds no transaction to roll back and keeps
its prepared statements. A transaction that wrote anything, or that failed (PostgreSQL's "in error"
state), is rolled back as before: "a failed request writes nothing" is untouched.

psycopg keeps at most `prepared_max` statements per connection (100 by default, least recently used
first out, each eviction a DEALLOCATE); a process serving every page sends a few hundred distinct
statements, so each connection keeps PREPARED_MAX.

Inputs: SQLAlchemy engine events (begin, before_cursor_execute, rollback) on every engine; only
connections of the psycopg driver are affected (SQLite and others keep their rollback). Installed once by
`install()` (app.create_app). Raises nothing of its own.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

PREPARED_MAX = 1000
_WROTE = "jiangxin_wrote"  # in the DBAPI connection's info: this transaction sent more than SELECTs
_installed = False


def _on_connect(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.split(".")[0] == "psycopg":
        dbapi_connection.prepared_max = PREPARED_MAX


def _on_begin(conn) -> None:
    conn.info[_WROTE] = False


def _on_statement(conn, _cursor, statement, _parameters, _context, executemany) -> None:
    if executemany or statement.lstrip()[:6].upper() != "SELECT":
        conn.info[_WROTE] = True


def _on_rollback(conn) -> None:
    if conn.dialect.driver != "psycopg" or conn.info.get(_WROTE, True):
        return
    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection is None:
        return
    from psycopg.pq import TransactionStatus

    if dbapi_connection.pgconn.transaction_status == TransactionStatus.INTRANS:
        try:
            dbapi_connection.commit()  # the rollback that follows finds no transaction: prepared plans stay
        except Exception:  # noqa: BLE001 (a broken connection: the rollback that follows deals with it)
            return


def install() -> None:
    """Listen on every engine (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Engine, "connect", _on_connect)
    event.listen(Engine, "begin", _on_begin)
    event.listen(Engine, "before_cursor_execute", _on_statement)
    event.listen(Engine, "rollback", _on_rollback)
    _installed = True
