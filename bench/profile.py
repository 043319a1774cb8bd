"""The in-process measurement of docs/performance.md: every page of bench/pages.py through the Flask test
client, logged in as the bench's roles, on the seed-scale database (no gunicorn, no wrk).

For each page: one warm-up request, REPEAT requests (default 5) timed in CPU seconds of this process,
then REPEAT more under cProfile, whose overhead stays out of the time. It prints a table: page | status
| queries | Python calls per request | CPU ms per request. The count of Python function calls is
deterministic (the same code on the same database gives the same count), so it compares two versions of
the app even on a shared, busy machine; CPU time per request is noisy there. A measurement, not a test:
nothing asserts.

    DATABASE_URL=sqlite:///$PWD/instance/bench-0.1.sqlite3 .venv/bin/python -m bench.profile [filter] > out.md

`filter` keeps pages whose label contains it. BENCH_REPEAT sets the number of profiled requests.
"""

from __future__ import annotations

import cProfile
import logging
import os
import pstats
import sys
import time

from sqlalchemy import event

from bench.pages import ROLES, pages
from bench.seed import manifest as manifest_file

PASSWORD = "Jiangxin@2026"  # demo/accounts.py DEMO_PASSWORD


def main() -> None:
    from app import create_app
    from models import db

    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    wanted = sys.argv[1] if len(sys.argv) > 1 else ""
    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    logging.disable(logging.INFO)  # the request log line of every request (logs.py) stays out of the table
    with app.app_context():
        url = str(db.engine.url)
        found = manifest_file.read(manifest_file.manifest_path(url, app.instance_path))
        if found is None:
            sys.exit(f"no manifest for {url}: run `flask seed-scale` first")
        counter = {"n": 0}

        def count(*_args) -> None:
            counter["n"] += 1

        event.listen(db.engine, "before_cursor_execute", count)
    clients = {}
    for role, username in ROLES.items():
        client = app.test_client()
        answer = client.post("/login", data={"identifier": username, "password": PASSWORD, "next": ""})
        if answer.status_code != 302:
            sys.exit(f"login as {username} answered {answer.status_code}")
        clients[role] = client
    clients["public"] = app.test_client()
    print("| page | status | queries | Python calls per request | CPU ms per request |")
    print("|---|---:|---:|---:|---:|")
    for page in pages(found):
        if wanted not in page.label:
            continue
        client = clients[page.role]
        status = client.get(page.url).status_code  # warm-up (first use of templates, catalogs, caches)
        counter["n"] = 0
        cpu = time.process_time()
        for _ in range(repeat):
            client.get(page.url)
        cpu = time.process_time() - cpu
        queries = counter["n"] // repeat
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(repeat):
            client.get(page.url)
        profile.disable()
        calls = pstats.Stats(profile).total_calls
        mark = "" if status in page.expect else " (!)"
        print(f"| {page.label} `{page.url}` | {status}{mark} | {queries} | "
              f"{calls // repeat:,} | {cpu / repeat * 1000:.1f} |", flush=True)


if __name__ == "__main__":
    main()
