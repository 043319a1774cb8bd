"""Migrations: one head, upgrade from an empty database works and matches the models exactly."""

import os
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import MIGRATIONS_DIR, create_app
from models import db, for_dialect


def test_exactly_one_head():
    config = Config(str(Path(MIGRATIONS_DIR) / "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS_DIR)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.fixture
def empty_database(app, tmp_path):
    """A fresh SQLite file, or a fresh PostgreSQL schema beside the test schema."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}", {}
        return
    schema = f"migr_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def test_upgrade_from_empty_matches_the_models(empty_database, tmp_path):
    url, engine_options = empty_database
    migrated = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "UPLOAD_FOLDER": str(tmp_path),
                           "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    with migrated.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": for_dialect(conn.dialect.name)})
            differences = compare_metadata(context, db.metadata)
            towns = conn.execute(text("SELECT count(*) FROM town")).scalar()
            titles = dict(conn.execute(text(
                "SELECT t.name, p.name FROM title_type t LEFT JOIN title_type p ON p.id = t.prerequisite_id")).all())
        db.engine.dispose()
    assert differences == [], differences
    assert towns > 0  # reference data came with the first migration
    assert titles == {"晋江工匠": None, "泉州工匠": "晋江工匠", "福建省金牌工人": "泉州工匠"}


def test_no_create_all_outside_tests():
    root = Path(__file__).resolve().parents[1]
    # The project's own files only: installed packages (.venv) need not even be UTF-8.
    ours = [p for p in root.rglob("*.py") if not str(p.relative_to(root)).startswith(("tests", ".venv", ".git"))]
    offenders = [str(p) for p in ours if "create_all" in p.read_text(encoding="utf-8")]
    assert offenders == []
    assert os.path.isdir(MIGRATIONS_DIR)
