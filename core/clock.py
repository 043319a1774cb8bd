"""The one clock every service reads, so that time-dependent rules can be tested.

`now()` is the current UTC time unless a test froze it with `frozen(...)` / `set_now(...)`.
A module-level override (not a context variable) so the live-server thread in browser tests sees it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_override: datetime | None = None
_unread = threading.local()


def now() -> datetime:
    """The current time, aware, in UTC. Raises RuntimeError inside `not_read()`."""
    if getattr(_unread, "active", False):
        raise RuntimeError("the clock was read while building a statement kept for later requests: "
                           "pass the time as a bind parameter")
    return _override if _override is not None else datetime.now(UTC)


def today() -> date:
    """Today's date in Asia/Shanghai, the date users see."""
    return now().astimezone(SHANGHAI).date()


def set_now(moment: datetime | None) -> None:
    global _override
    if moment is not None and moment.tzinfo is None:
        raise ValueError("set_now needs an aware datetime")
    _override = moment.astimezone(UTC) if moment is not None else None


@contextmanager
def not_read() -> Iterator[None]:
    """Within (this thread): `now()` and `today()` raise, so that something built once and reused (a
    prebuilt SQL statement) cannot hold the time of its first use."""
    previous = getattr(_unread, "active", False)
    _unread.active = True
    try:
        yield
    finally:
        _unread.active = previous


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    previous = _override
    set_now(moment)
    try:
        yield
    finally:
        set_now(previous)
