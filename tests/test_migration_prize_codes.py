"""Migration 0007: competitions' Chinese prize text becomes prize codes, and back on downgrade."""

from datetime import UTC, date, datetime
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, Table, select, text

from app import MIGRATIONS_DIR, create_app
from models import db
from models.competitions import CompetitionPrizeTier
from tests.test_migrations import empty_database  # noqa: F401 - the fixture

REVISION = "0007_competition_prizes"


def _before() -> str:
    """The revision just before the prize-code migration."""
    config = Config(str(Path(MIGRATIONS_DIR) / "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def _tiers(conn) -> list[str]:
    table = CompetitionPrizeTier.__table__
    return list(conn.execute(select(table.c.prize).order_by(table.c.rank_from)).scalars())


def test_prize_text_becomes_codes_and_back(empty_database, tmp_path):  # noqa: F811 - the fixture
    url, engine_options = empty_database
    migrated = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "UPLOAD_FOLDER": str(tmp_path),
                           "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    with migrated.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=_before())
        with db.engine.begin() as conn:
            trade_id = conn.execute(text("SELECT min(id) FROM trade")).scalar()
            opens = datetime(2025, 5, 1, tzinfo=UTC)
            # The table as it was at that revision (the model's has columns added since, e.g. owner_level).
            competition = Table("competition", MetaData(), autoload_with=conn)
            competition_id = conn.execute(competition.insert().values(
                name="旧竞赛", trade_id=trade_id, level="city", description="", venue="", held_on=date(2025, 6, 1),
                registration_opens_at=opens, registration_closes_at=opens.replace(day=20), capacity=10,
                seats_taken=0, numbers_issued=0, min_age=16, max_age=60, members_only=True, is_team=False,
                team_min=1, team_max=1, theory_weight=30, practical_weight=70, min_judges=3, judge_min_level=4,
                promote_top_n=0, status="final", created_at=opens, updated_at=opens)).inserted_primary_key[0]
            conn.execute(CompetitionPrizeTier.__table__.insert(), [
                {"competition_id": competition_id, "rank_from": n, "rank_to": n, "prize": prize}
                for n, prize in enumerate(["一等奖", "二等奖", "三等奖", "优秀奖", "特等奖"], start=1)])
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            assert _tiers(conn) == ["first", "second", "third", "honourable", "特等奖"]  # unknown text kept
        downgrade(directory=MIGRATIONS_DIR, revision=_before())
        with db.engine.connect() as conn:
            assert _tiers(conn) == ["一等奖", "二等奖", "三等奖", "优秀奖", "特等奖"]
        db.engine.dispose()
