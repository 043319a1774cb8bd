"""Test fixtures: one application and a fresh schema per test session, truncation after each test.

The database is SQLite in a temporary file, or PostgreSQL when TEST_DATABASE_URL is set (CI runs
both). Requests from the test client run in their own application context (IsolatedClient), as in
production, so nothing cached on `g` or in the session leaks between the test and the views.
"""

from __future__ import annotations

import contextvars
import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from app import create_app
from config import normalize_database_url
from core import clock
from extensions import limiter
from models import db
from services.common import figures_cache

# Property tests check behaviour, not speed: a wall-clock deadline only measures how busy the machine is
# (CI and a shared 2-core box tripped the 200 ms default on a first example).
settings.register_profile("jiangxin", deadline=None)
settings.load_profile("jiangxin")

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


class IsolatedClient(FlaskClient):
    """Each request in a clean context: a new app context, `g`, and database session."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return normalize_database_url(TEST_DATABASE_URL)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@event.listens_for(Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, _record):
    """Tests need no durability: SQLite's commits skip the fsync (a fifth of the route walk's time was
    waiting for it), as PostgreSQL's skip the WAL flush (test_config). The app's own pragmas stay."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def test_config(url: str, tmp_path) -> dict:
    engine_options = {}  # as in production (config.py): core/connections.py pings idle connections
    if url.startswith("postgresql"):
        # Tests need no durability: not waiting for the WAL flush at each commit makes them much faster.
        engine_options["connect_args"] = {"options": "-c synchronous_commit=off"}
    return {
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "REDIS_URL": None,
        "JOBS_BACKEND": "inline",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SERVER_NAME": None,
    }


def reset_schema() -> None:
    """Drop everything (also tables of other code versions) and create the current schema."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
    db.create_all()


def truncate_all() -> None:
    """Empty every table, children first. DELETE beats TRUNCATE on PostgreSQL for tables this small, and
    sent as one query text it is one round trip instead of one per table.
    On SQLite, the statistics a test's ANALYZE gathered (seeding, the periodic statistics task) go too:
    they would steer the next test's query plans (tests/services/test_search_plans.py)."""
    analyzed = False
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # one round trip: the DELETEs as one query text, in order
            tables = reversed(db.metadata.sorted_tables)
            conn.exec_driver_sql(";".join(f'DELETE FROM "{table.name}"' for table in tables))
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        if conn.dialect.name == "sqlite":
            analyzed = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
            if analyzed:
                conn.execute(text("DROP TABLE sqlite_stat1"))
    if analyzed:  # connections keep the statistics they loaded: start new ones
        db.engine.dispose()


def compile_catalogs() -> None:
    """Build the .mo files from the .po catalogs when stale (`make` does this too)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).resolve().parents[1] / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    compile_catalogs()
    application = create_app(test_config(database_url(tmp_path_factory), tmp_path_factory.mktemp("files")))
    application.test_client_class = IsolatedClient
    with application.app_context():
        reset_schema()
    return application


@pytest.fixture(autouse=True)
def app_context(app):
    """Every test runs inside an app context, on empty tables, with the real clock and limits."""
    ctx = app.app_context()
    ctx.push()
    limiter.reset()
    figures_cache.clear()  # memoised figures of the last test's data (the version row went with it)
    try:
        yield
    finally:
        db.session.remove()
        truncate_all()
        clock.set_now(None)
        ctx.pop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(app):
    """Log a test client in as `user` without the form (the auth tests use the real form)."""

    def _login(client, user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session.permanent = True
        return client

    return _login


@pytest.fixture
def world():
    """Two enterprises with an HR officer and a worker each, a judge, an admin."""
    from tests.factories import build_world

    return build_world()
