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
- Results are shared between requests, threads and app servers: they must be picklable and must not hold
  ORM instances or anything tied to a session or a request (lazy strings `_l` are fine: they translate
  when rendered), and nobody may change them.
- Bounded: the newest MAX_ENTRIES results per database engine (LRU); older versions simply age out.

Shared between app servers: with REDIS_URL set, a result is also kept in Redis (pickled, as RQ keeps its
jobs: Redis is trusted like the database) under the same (version, key) and the database's identity, for
SHARED_SECONDS. The first process to miss computes it while holding a short lock (`SET NX`,
LOCK_SECONDS); the others wait for its result instead of computing the same figures at the same time, so
one change costs one computation for every app server, not one per process (the city's report takes
about 2 s to count at the city's scale, the admin's key figures about 0.5 s). Without Redis (`make run`,
tests) it is the per-process memo above; when Redis fails, the result is computed here (the page is
slower, never wrong or missing).
After restoring a database backup (the version may go back), restart the app servers and empty the
Redis keys under REDIS_PREFIX + ":figures".
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_request_context
from sqlalchemy import func, select

from models import data_version, db
from services.jobs.connection import prefixed, redis_client

MAX_ENTRIES = 256
SHARED_SECONDS = 24 * 3600  # how long Redis keeps a shared text (a newer version asks for a new key anyway)
LOCK_SECONDS = 30  # the longest one process may hold the right to compute a shared text
WAIT_STEP = 0.05  # seconds between two looks for the text another process is computing
T = TypeVar("T")
_MISSING = object()
log = logging.getLogger(__name__)


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


def version_query():
    """The data version as a one-row query (COALESCE 0 while the row is missing), for a page that reads it
    within a statement it sends anyway; it hands the value to `use_version`."""
    table = data_version.DataVersion.__table__
    value = select(table.c.value).where(table.c.id == data_version.ROW_ID).scalar_subquery()
    return select(func.coalesce(value, 0))


def use_version(version: int) -> None:
    """Take `version`, read by this request just now (`version_query`), as the data version its figures are
    read under, as `current_version` would have read it (outside a request: ignored)."""
    if has_request_context():
        g._figures_version = (db.session.info.get(data_version.COMMITS, 0), int(version))


def memoised(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """compute(), or the result it gave under the same data version and `key` in this process, or in any
    app server sharing this Redis (see the module's rule; not cached while the session holds uncommitted
    changes of counted data). At most one process computes it per version and key when Redis is set."""
    if data_version.pending(db.session()):
        return compute()
    full_key = (current_version(), *key)
    cache = _cache()
    value = cache.get(full_key)
    if value is _MISSING:
        value = _shared(full_key, compute)
        cache.put(full_key, value)
    return value


def _shared(full_key: tuple, compute: Callable[[], T]) -> T:
    """The result of `full_key` from Redis, else computed here (or by the process holding the lock) and
    stored there (pickled); computed here without Redis or when Redis fails."""
    client = redis_client()
    if client is None:
        return compute()
    name = _shared_name(full_key)
    lock = f"{name}:computing"
    try:
        found = client.get(name)
        if found is None and not client.set(lock, 1, nx=True, ex=LOCK_SECONDS):
            deadline = time.monotonic() + LOCK_SECONDS
            while found is None and time.monotonic() < deadline and client.exists(lock):
                time.sleep(WAIT_STEP)
                found = client.get(name)
        if found is not None:
            return pickle.loads(found)
    except Exception:  # Redis down or refusing: compute here rather than fail the page
        log.warning("shared figures: Redis unavailable, computing %s here", full_key[:2], exc_info=True)
        return compute()
    try:
        value = compute()
    except BaseException:
        _forget(client, lock)
        raise
    try:
        client.set(name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ex=SHARED_SECONDS)
    except Exception:
        log.warning("shared figures: could not keep %s in Redis", full_key[:2], exc_info=True)
    _forget(client, lock)
    return value


def _shared_name(full_key: tuple) -> str:
    """The Redis key of a result: this installation's prefix, the database and the (version, key)."""
    database = db.engine.url.render_as_string(hide_password=True)
    return prefixed("figures", hashlib.sha256(repr((database, full_key)).encode()).hexdigest())


def _forget(client, lock: str) -> None:
    try:
        client.delete(lock)
    except Exception:
        log.warning("shared figures: could not release %s", lock, exc_info=True)
def peek(key: tuple[Hashable, ...]):
    """What `memoised` holds for `key` under the current data version, or None when nothing is held in
    this process or in Redis (nothing is computed, nobody waits; None as well while the session holds
    uncommitted changes of counted data). A list behind a figure reads the memoised figure this way when
    it is there, and counts for itself when it is not, rather than computing a whole report for one
    number."""
    if data_version.pending(db.session()):
        return None
    full_key = (current_version(), *key)
    cache = _cache()
    value = cache.get(full_key)
    if value is _MISSING:
        value = _shared_peek(full_key)
        if value is _MISSING:
            return None
        cache.put(full_key, value)
    return value


def _shared_peek(full_key: tuple):
    """What another app server left in Redis for `full_key` (no waiting, no computing), else _MISSING."""
    client = redis_client()
    if client is None:
        return _MISSING
    try:
        found = client.get(_shared_name(full_key))
    except Exception:
        log.warning("shared figures: Redis unavailable, not peeking at %s", full_key[:2], exc_info=True)
        return _MISSING
    return _MISSING if found is None else pickle.loads(found)


def clear() -> None:
    """Forget every memoised figure of this process (tests start each from nothing)."""
    for cache in list(_caches.values()):
        with cache.lock:
            cache.entries.clear()
