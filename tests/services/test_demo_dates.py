"""Demo data is never dated after clock.now(): whatever the demo records as having happened (messages,
audit, check-ins, nominations...) is at or before the moment `flask seed-demo` ran, also in the early
morning in Shanghai, when 10:00 of "today" is still to come (tryout: a message dated 10:00 at 04:55)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import DateTime, func, select

from core import clock
from models import db

# Columns that name a moment still to come: deadlines, windows, expiries, retries.
FUTURE_BY_DESIGN = {"expires_at", "registration_opens_at", "registration_closes_at", "submission_opens_at",
                    "submission_closes_at", "judging_opens_at", "judging_closes_at", "ends_at", "deadline",
                    "answer_due_at", "next_attempt_at", "due_at",
                    "starts_at", "enrol_closes_at"}  # a training class still to come; its enrolment's end


def _moment_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            is_moment = isinstance(column.type, DateTime) or type(column.type).__name__ == "UTCDateTime"
            if is_moment and column.name not in FUTURE_BY_DESIGN:
                yield table, column


@pytest.mark.parametrize("now", [datetime(2026, 11, 29, 20, 55, tzinfo=UTC),  # 04:55 in Shanghai
                                 datetime(2026, 3, 2, 15, 30, tzinfo=UTC)])    # 23:30 in Shanghai
def test_demo_data_is_never_dated_after_now(app, now):
    from demo import seed_demo

    with clock.frozen(now):
        seed_demo()
    later = {f"{table.name}.{column.name}": db.session.scalar(select(func.max(column)).where(column > now))
             for table, column in _moment_columns()}
    assert {name: value for name, value in later.items() if value is not None} == {}
