"""Live progress of running jobs, readable from every app server.

With REDIS_URL configured the numbers live in Redis (one small hash per job, expiring after a day),
so that the app server answering the progress page need not be the one running the job. Without Redis
(`make run`, tests) jobs run in the app process itself and a dictionary in memory is enough.
"""

from __future__ import annotations

import threading

from services.jobs.connection import prefixed, redis_client

_memory: dict[int, tuple[int, int | None]] = {}
_lock = threading.Lock()


def _key(job_id: int) -> str:
    return prefixed("job-progress", job_id)


def report(job_id: int, done: int, total: int | None) -> None:
    """Record that `done` of `total` (None: unknown) units of job `job_id` are finished."""
    redis = redis_client()
    if redis is None:
        with _lock:
            _memory[job_id] = (done, total)
        return
    key = _key(job_id)
    redis.hset(key, mapping={"done": done, "total": -1 if total is None else total})
    redis.expire(key, 86400)


def read(job_id: int) -> tuple[int, int | None] | None:
    """(done, total) as last reported, or None when nothing was reported (or the job ended)."""
    redis = redis_client()
    if redis is None:
        with _lock:
            return _memory.get(job_id)
    values = redis.hgetall(_key(job_id))
    if not values:
        return None
    total = int(values[b"total"])
    return int(values[b"done"]), None if total < 0 else total


def clear(job_id: int) -> None:
    """Forget the live numbers once the job row holds the final ones."""
    redis = redis_client()
    if redis is None:
        with _lock:
            _memory.pop(job_id, None)
        return
    redis.delete(_key(job_id))
