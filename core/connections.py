"""How the app uses its PostgreSQL connections: a transaction begins at the first statement that writes or
locks, a pooled connection is checked only after it sat idle, psycopg keeps its prepared statements.

Why: a page that only reads sent, besides its own statements, three round trips to PostgreSQL on every
request: the pool's ping (`pool_pre_ping`), psycopg's BEGIN before the first statement and the COMMIT or
ROLLBACK at the end. On `make bench`'s two cores a sync worker waited on those for a quarter of a cheap
page's time (py-spy on gunicorn, 2026-11-30: BEGIN and COMMIT 17-25 % of the judge's competitions page).

Rules:
- Reads outside a transaction. A psycopg connection starts in autocommit; a statement that is a plain
  read (SELECT, or WITH ... SELECT without INSERT/UPDATE/DELETE) runs as it is, and PostgreSQL gives it
  the snapshot of its own start, which is what READ COMMITTED (PostgreSQL's default, the app's level)
  gives each statement inside a transaction too: what a page reads is unchanged.
- Anything else begins the transaction first: INSERT, UPDATE, DELETE, DDL, SET, SAVEPOINT, a SELECT that
  locks (FOR UPDATE / FOR SHARE / FOR NO KEY UPDATE / FOR KEY SHARE) or takes an advisory transaction lock,
  a read through a server-side cursor (yield_per: the exports read in batches; PostgreSQL keeps such a
  cursor only inside a transaction), and every executemany. From there on the request's statements run in
  that transaction, reads included, and it ends as before: commit() commits, and a request that fails is
  rolled back, so "a failed request writes nothing" is untouched. When the transaction has ended, the next
  plain read runs outside again.
- A connection for which SQLAlchemy was asked for isolation_level="AUTOCOMMIT" is left as asked: every
  statement on its own (VACUUM and CREATE INDEX CONCURRENTLY cannot run in a transaction).
- A connection that sat in the pool longer than PING_AFTER_IDLE seconds is pinged (SELECT 1) before it is
  handed out, and replaced when the ping fails (SQLAlchemy's pessimistic disconnect recipe, applied where a
  dropped connection is likely); a busy connection is not. If PostgreSQL restarts between two requests on a
  busy connection, that request fails and SQLAlchemy renews the whole pool (its optimistic disconnect
  handling), so at most one request per app process sees the restart.
- psycopg prepares a statement on the server once it ran `prepare_threshold` (5) times on a connection and
  forgets all of them at a rollback; with reads outside transactions only a failed writing request rolls
  back. Each connection keeps PREPARED_MAX statements (a process serving every page sends a few hundred).

Inputs: SQLAlchemy pool and engine events on every engine; only connections of the psycopg driver are
touched (SQLite's driver already begins its transactions at the first write). Installed once by
`install()` (app.create_app). Raises sqlalchemy.exc.DisconnectionError from the pool's checkout when an
idle connection's ping fails (the pool then connects anew); nothing else of its own.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from core.memo import keep

PREPARED_MAX = 1000
QUERY_TEXT_MAX = 65536  # characters of a statement whose placeholders' conversion psycopg keeps
QUERY_PARAMS_MAX = 1000  # ... and parameters
QUERY_TEXTS_KEPT = 1024  # statement texts psycopg keeps converted (psycopg's own default: 128)
PING_AFTER_IDLE = 10.0  # seconds in the pool after which a connection is pinged before use
_IDLE_SINCE = "jiangxin_idle_since"  # in the pool record's info: time.monotonic() of the last checkin
_LOCKS = re.compile(r"\bFOR (?:NO KEY )?(?:UPDATE|SHARE|KEY SHARE)\b|advisory_xact_lock")
_WRITES = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b")
STATEMENTS_KEPT = 5000  # statement texts whose answer is_plain_read remembers
_READS: dict[str, bool] = {}
_installed = False


def _psycopg(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.split(".")[0] == "psycopg"


def is_plain_read(statement: str) -> bool:
    """Whether `statement` (SQL text as SQLAlchemy sends it: keywords in capitals) only reads and locks
    nothing: a SELECT, or a WITH whose parts are SELECTs, without a locking clause. Answers are
    remembered per statement text (SQLAlchemy sends the same compiled strings again and again)."""
    known = _READS.get(statement)
    if known is None:
        head = statement.lstrip()[:6].upper()
        known = (head == "SELECT" or (head[:4] == "WITH" and _WRITES.search(statement) is None)) and (
            _LOCKS.search(statement) is None)
        keep(_READS, statement, known, STATEMENTS_KEPT)
    return known


def _on_connect(dbapi_connection, record) -> None:
    record.info[_IDLE_SINCE] = time.monotonic()
    if _psycopg(dbapi_connection):
        dbapi_connection.prepared_max = PREPARED_MAX
        dbapi_connection.autocommit = True


def _on_checkin(_dbapi_connection, record) -> None:
    record.info[_IDLE_SINCE] = time.monotonic()


def _on_checkout(dbapi_connection, record, _proxy) -> None:
    if time.monotonic() - record.info.get(_IDLE_SINCE, 0.0) <= PING_AFTER_IDLE:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
    except Exception as error:  # noqa: BLE001 (any failure: the pool replaces the connection)
        raise exc.DisconnectionError() from error


def _autocommit_asked(conn) -> bool:
    """Whether the caller asked SQLAlchemy for AUTOCOMMIT (on the connection, or for the whole engine):
    then every statement runs on its own, as asked (VACUUM, CREATE INDEX CONCURRENTLY refuse a transaction)."""
    asked = conn.get_execution_options().get("isolation_level")
    if asked is None:  # the engine's own level (create_engine(isolation_level=...)), as SQLAlchemy reads it
        asked = getattr(conn.dialect, "_on_connect_isolation_level", None)
    return asked == "AUTOCOMMIT"


def _on_statement(conn, cursor, statement, _parameters, _context, executemany) -> None:
    dbapi_connection = conn.connection.dbapi_connection
    if not _psycopg(dbapi_connection) or _autocommit_asked(conn):
        return
    server_side = getattr(cursor, "name", None) is not None  # psycopg's ServerCursor (DECLARE ... CURSOR)
    if executemany or server_side or not is_plain_read(statement):
        if dbapi_connection.autocommit:  # idle: psycopg sends BEGIN before this statement
            dbapi_connection.autocommit = False
    elif not dbapi_connection.autocommit:
        from psycopg.pq import TransactionStatus

        if dbapi_connection.pgconn.transaction_status == TransactionStatus.IDLE:  # the transaction ended
            dbapi_connection.autocommit = True


def widen_psycopg_query_cache() -> bool:
    """Let psycopg keep its conversion of the app's long statements. psycopg turns each statement's
    %(name)s placeholders into $1, $2... with a regular expression and keeps the result (an lru_cache
    of 128 statement texts), but only for statements of at most 4,096 characters and 50 parameters
    (psycopg._queries' MAX_CACHED_STATEMENT_LENGTH and MAX_CACHED_STATEMENT_PARAMS). The app's kept
    statements are often longer (the home page's to-dos: 7,103 characters, 77 parameters) and a process
    serving every page sends a few hundred texts: each run of such a statement was parsed again (~1,300
    Python calls on the HR's home). Here the limits become QUERY_TEXT_MAX characters and
    QUERY_PARAMS_MAX parameters, and the cache keeps QUERY_TEXTS_KEPT texts; the conversion is the
    same function. Those names are psycopg's module internals, not its documented API: when they are
    missing (another psycopg), nothing changes and this answers False."""
    try:
        from psycopg import _queries
    except ImportError:
        return False
    names = ("MAX_CACHED_STATEMENT_LENGTH", "MAX_CACHED_STATEMENT_PARAMS", "_query2pg", "_query2pg_nocache")
    if not all(hasattr(_queries, name) for name in names):
        return False
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, QUERY_TEXT_MAX)
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, QUERY_PARAMS_MAX)
    if getattr(_queries._query2pg, "cache_parameters", dict)().get("maxsize") != QUERY_TEXTS_KEPT:
        _queries._query2pg = lru_cache(maxsize=QUERY_TEXTS_KEPT)(_queries._query2pg_nocache)
    return True


def install() -> None:
    """Listen on every pool and engine, and widen psycopg's statement cache (idempotent)."""
    global _installed
    if _installed:
        return
    widen_psycopg_query_cache()
    event.listen(Pool, "connect", _on_connect)
    event.listen(Pool, "checkin", _on_checkin)
    event.listen(Pool, "checkout", _on_checkout)
    event.listen(Engine, "before_cursor_execute", _on_statement)
    _installed = True
