"""The Redis connection of background jobs, live job progress and (by default) rate limits.

One client per process and URL (redis-py keeps a pool of connections in it and opens a new pool in
a forked process by itself), instead of a new connection pool per call. Every key the app writes
starts with the REDIS_PREFIX setting (default "jiangxin"; the job queue is named after it too), so
that several installations, e.g. staging and production, or parallel test runs, can share one Redis.
Nothing that app servers must agree on is kept in process memory: only the connection is.
"""

from __future__ import annotations

import threading

from flask import current_app

_clients: dict[str, object] = {}
_lock = threading.Lock()


def redis_client():
    """The shared `redis.Redis` client of REDIS_URL, or None when no Redis is configured."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    with _lock:
        client = _clients.get(url)
        if client is None:
            from redis import Redis

            client = _clients[url] = Redis.from_url(url)
        return client


def prefixed(*parts) -> str:
    """A Redis key under this installation's prefix, e.g. prefixed("job-progress", 7)."""
    return ":".join((current_app.config["REDIS_PREFIX"], *(str(part) for part in parts)))


def queue_name() -> str:
    """The name of this installation's RQ queue (`flask jobs-worker` listens on it)."""
    return current_app.config["REDIS_PREFIX"]
