"""Live progress of running jobs, readable from every app server.

With REDIS_URL configured the numbers live in Redis (one small hash per job, expiring after a day),
so that the app server answering the progress page need not be the one running the job. Without Redis
(`make run`, tests) jobs run in the app process itself and a dictionary in memory is enough.
"""

from __future__ import annotations

import threading

from flask import current_app

KEY = "jiangxin:job-progress:{}"
_memory: dict[int, tuple[int, int | None]] = {}
_lock = threading.Lock()


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis

    return Redis.from_url(url)


def report(job_id: int, done: int, total: int | None) -> None:
    """Record that `done` of `total` (None: unknown) units of job `job_id` are finished."""
    redis = _redis()
    if redis is None:
        with _lock:
            _memory[job_id] = (done, total)
        return
    key = KEY.format(job_id)
    redis.hset(key, mapping={"done": done, "total": -1 if total is None else total})
    redis.expire(key, 86400)


def read(job_id: int) -> tuple[int, int | None] | None:
    """(done, total) as last reported, or None when nothing was reported (or the job ended)."""
    redis = _redis()
    if redis is None:
        with _lock:
            return _memory.get(job_id)
    values = redis.hgetall(KEY.format(job_id))
    if not values:
        return None
    total = int(values[b"total"])
    return int(values[b"done"]), None if total < 0 else total


def clear(job_id: int) -> None:
    """Forget the live numbers once the job row holds the final ones."""
    redis = _redis()
    if redis is None:
        with _lock:
            _memory.pop(job_id, None)
        return
    redis.delete(KEY.format(job_id))
