"""The query planner's statistics on SQLite, refreshed by a periodic task (issue 10).

Rule: SQLite keeps no statistics about how values spread until ANALYZE runs, and without them it may
pick an index on a column that nearly every row shares (docs/performance.md: the home pages' counters
took 7-8 ms each at scale 0.1 through a 98 %-shared status index, 0.1 ms with statistics). Rows grow
through the day (registrations, imports of thousands of people), so every STATISTICS_EVERY the
periodic task `database.statistics` (services.jobs.scheduler, `flask tick`) runs ANALYZE with
`PRAGMA analysis_limit` (SQLite samples about that many rows per index instead of reading every one,
so the run stays short at any size and the database is locked only briefly), then PRAGMA optimize.

Idempotent: a second run in a row writes the same statistics again. On PostgreSQL it does nothing:
autovacuum analyzes tables as they change (a bulk load like `flask seed-scale` runs ANALYZE itself).
Raises nothing of its own; a database error fails this run of the task (the scheduler logs it and
runs it again next period).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from models import db
from services.jobs.scheduler import periodic

STATISTICS_EVERY = timedelta(hours=6)
ANALYSIS_LIMIT = 1000  # rows sampled per index (SQLite's own suggestion for a quick ANALYZE: 100-1000)


@periodic("database.statistics", STATISTICS_EVERY)
def refresh_statistics(now: datetime | None = None) -> str:
    """Refresh the planner's statistics of every table (SQLite); returns what was done."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return f"nothing to do on {connection.dialect.name} (autovacuum analyzes)"
    connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    try:
        connection.exec_driver_sql("ANALYZE")
        connection.exec_driver_sql("PRAGMA optimize")
    finally:
        connection.exec_driver_sql("PRAGMA analysis_limit=0")  # the pooled connection as it was
    analyzed = connection.exec_driver_sql("SELECT count(DISTINCT tbl) FROM sqlite_stat1").scalar() or 0
    return f"statistics of {analyzed} tables refreshed"
