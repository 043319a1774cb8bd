"""Kept statements: a SELECT built once per process and run again with new bind parameters.

Why: building a SQLAlchemy statement (select(), joins, options) and computing its cache key costs a few
hundred Python calls each time; a page that sends the same statement on every request (the session
user, a dashboard's counts) pays that for nothing. A kept statement is built on first use under a key and
reused; its per-call values are bind parameters (`bindparam("name")`), passed at execution.

Rules: a key names the statement's shape (a module, a purpose, shape flags), never a value, so the store
stays bounded; the statement may not read the clock or any per-request value while it is built
(`core.clock.not_read` raises if it does): such a value would be frozen into every later run.

Inputs: `key` a hashable tuple; `build` a callable returning a Select. Raises what `build` raises.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import Select

from core import clock

_KEPT: dict[tuple, Select] = {}
_lock = threading.Lock()


def shared_statement(key: tuple, build: Callable[[], Select]) -> Select:
    """`build()` made once per process under `key` and reused (the rules above)."""
    found = _KEPT.get(key)
    if found is None:
        with clock.not_read():
            found = build()
        with _lock:
            _KEPT[key] = found
    return found
