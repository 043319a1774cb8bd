"""The planner's statistics (services.common.statistics): the periodic task analyzes SQLite's tables,
a second run changes nothing, the scheduler runs it once per period, and PostgreSQL is left to
autovacuum."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models import db
from services.common.statistics import STATISTICS_EVERY, refresh_statistics
from services.jobs import scheduler


def _sqlite() -> bool:
    return db.session.connection().dialect.name == "sqlite"


def _statistics() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(db.text(
        "SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx"))]


def test_the_task_writes_the_statistics_and_a_second_run_changes_nothing(world):
    if not _sqlite():
        assert "autovacuum" in refresh_statistics()
        return
    db.session.execute(db.text("ANALYZE"))  # makes sqlite_stat1 exist, then empty it: no statistics at all
    db.session.execute(db.text("DELETE FROM sqlite_stat1"))
    db.session.commit()
    outcome = refresh_statistics()
    db.session.commit()
    first = _statistics()
    assert "refreshed" in outcome
    tables = {table for table, _index, _stat in first}
    assert {"user", "user_role", "enterprise"} <= tables  # the world's rows are counted
    user_rows = next(stat for table, index, stat in first if table == "user" and index)
    assert int(user_rows.split()[0]) >= 6  # the world's accounts
    refresh_statistics()
    db.session.commit()
    assert _statistics() == first
    # the pooled connection is left without a sampling limit
    assert db.session.execute(db.text("PRAGMA analysis_limit")).scalar() == 0


def test_the_scheduler_runs_it_once_per_period(world):
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert "database.statistics" in scheduler.tick(start)
    assert "database.statistics" not in scheduler.tick(start + STATISTICS_EVERY - timedelta(minutes=1))
    ran = scheduler.tick(start + STATISTICS_EVERY)
    assert ("refreshed" if _sqlite() else "autovacuum") in ran["database.statistics"]
