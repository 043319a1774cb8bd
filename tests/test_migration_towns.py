"""Migration 0018: every existing enterprise gets one open town span in its present town, from
EARLIEST; the downgrade drops the history and user_role.town_id."""

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import MIGRATIONS_DIR, create_app
from models import db
from tests.test_migrations import empty_database  # noqa: F401 - the fixture

REVISION = "0018_towns"


def _before() -> str:
    config = Config(str(Path(MIGRATIONS_DIR) / "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def test_existing_enterprises_get_their_first_town_span(empty_database, tmp_path):  # noqa: F811 - the fixture
    url, engine_options = empty_database
    migrated = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "UPLOAD_FOLDER": str(tmp_path),
                           "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    with migrated.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=_before())
        with db.engine.begin() as conn:
            towns = conn.execute(text("SELECT id FROM town ORDER BY id")).scalars().all()[:2]
            for n, town_id in enumerate(towns):
                conn.execute(text(
                    "INSERT INTO enterprise (name, credit_code, town_id, industry, is_member, is_active, created_at,"
                    " updated_at) VALUES (:name, :code, :town, 'footwear', :yes, :yes, :at, :at)"),
                    {"name": f"企业{n}", "code": f"91350582MA{n:07d}X", "town": town_id, "yes": True,
                     "at": "2024-01-01 00:00:00"})
        upgrade(directory=MIGRATIONS_DIR, revision=REVISION)
        with db.engine.connect() as conn:
            spans = conn.execute(text(
                "SELECT s.town_id, e.town_id, s.valid_from, s.valid_to FROM enterprise_town_span s"
                " JOIN enterprise e ON e.id = s.enterprise_id ORDER BY s.enterprise_id")).all()
            assert [(span[0], span[3]) for span in spans] == [(town_id, None) for town_id in towns]
            assert all(span[0] == span[1] and str(span[2]).startswith("2000-01-01") for span in spans)
            assert "town_id" in {c["name"] for c in inspect(conn).get_columns("user_role")}
        downgrade(directory=MIGRATIONS_DIR, revision=_before())
        with db.engine.connect() as conn:
            assert not inspect(conn).has_table("enterprise_town_span")
            assert "town_id" not in {c["name"] for c in inspect(conn).get_columns("user_role")}
        db.engine.dispose()
