"""Column types shared by all models: UTC timestamps and money.

Times are stored as naive UTC (the same on SQLite and PostgreSQL) and come back as aware UTC
datetimes; templates convert them to Asia/Shanghai for display.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Numeric
from sqlalchemy.types import TypeDecorator

from core import clock


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC without zone, returned as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use core.clock.now()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Column default: the current time, from the controllable clock so tests can control it."""
    return clock.now()


Money = Numeric(14, 2, asdecimal=True)
ZERO = Decimal("0.00")
