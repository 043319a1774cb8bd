"""Figures memoised per data version (issues 10 and 16): never stale, one query when nothing changed.

Rule: a figure (the yearly report, the officers' key figures, the Five Small, competition and training
figures pages) is computed once per process for each (data version, key) and served from memory while the
database's version (models/data_version.py) stays the same. The version moves in the very transaction
that changes a counted row, so the next read after that commit, on any app server, asks for a new key and
recomputes: never stale, and no nightly job. Distinct counts stay queries; they are just not re-run while
nothing changed. Two app servers stay correct because the version lives in the database; each keeps its
own memory.

- Inputs: `key`, a tuple naming the computation and everything its result depends on (a name first, then
  the resolved scope, years; never the reader: scope resolution and permission checks stay outside, per
  request). Anything clock-dependent ("this year") must be made explicit in the key by the caller.
- The version is read once per request (kept on flask.g, re-read after this request's own commit moved
  it); outside a request (jobs, the shell, tests) at every call.
- Not cached: a computation while the session holds uncommitted changes of counted data (it may see
  rows that will be rolled back), anything not passed through `memoised`, scope resolution, permission
  checks, lists and pages of records.
- Results are shared between requests and threads: they must not hold ORM instances or anything tied to
  a session or a request (lazy strings `_l` are fine: they translate when rendered), and nobody may
  change them.
- Bounded: the newest MAX_ENTRIES results per database engine (LRU); older versions simply age out.
After restoring a database backup (the version may go back), restart the app servers.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_request_context

from models import data_version, db

MAX_ENTRIES = 256
T = TypeVar("T")
_MISSING = object()


class _LRU:
    """A bounded least-recently-used map, safe across threads (job threads share the process)."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key, _MISSING)
            if value is not _MISSING:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> _LRU (one per database)
_caches_lock = threading.Lock()


def _cache() -> _LRU:
    engine = db.engine
    cache = _caches.get(engine)
    if cache is None:
        with _caches_lock:
            cache = _caches.setdefault(engine, _LRU(MAX_ENTRIES))
    return cache


def current_version() -> int:
    """The data version this request reads its figures under (one query per request)."""
    session = db.session
    commits = session.info.get(data_version.COMMITS, 0)
    if has_request_context():
        seen = g.get("_figures_version")
        if seen is not None and seen[0] == commits:
            return seen[1]
    version = data_version.read(session)
    if has_request_context():
        g._figures_version = (commits, version)
    return version


def memoised(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """compute(), or the result it gave under the same data version and `key` in this process (see the
    module's rule; not cached while the session holds uncommitted changes of counted data)."""
    if data_version.pending(db.session()):
        return compute()
    full_key = (current_version(), *key)
    cache = _cache()
    value = cache.get(full_key)
    if value is _MISSING:
        value = compute()
        cache.put(full_key, value)
    return value


def peek(key: tuple[Hashable, ...]):
    """What `memoised` holds for `key` under the current data version, or None when nothing is held
    (nothing is computed; None as well while the session holds uncommitted changes of counted data). A
    list behind a figure reads the memoised figure this way when it is there, and counts for itself when
    it is not, rather than computing a whole report for one number."""
    if data_version.pending(db.session()):
        return None
    value = _cache().get((current_version(), *key))
    return None if value is _MISSING else value


def clear() -> None:
    """Forget every memoised figure of this process (tests start each from nothing)."""
    for cache in list(_caches.values()):
        with cache.lock:
            cache.entries.clear()
