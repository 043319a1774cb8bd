"""Two app servers on one PostgreSQL and one Redis behave as one (issue 10, "Background jobs").

Starts what production runs, as separate processes: two gunicorn servers ("A" and "B") on free ports
with one SECRET_KEY, a `flask jobs-worker`, and `flask tick`'s scheduler twice at once, all on a
PostgreSQL database of their own (created, migrated and seeded with the demo data here, dropped at the
end) and one Redis under a key prefix of their own (REDIS_PREFIX). Then proves over HTTP, with one
browser's cookies sent to either server as a load balancer would: a session made on A is valid on B and
ended there for both; failed logins are counted across both; an export asked for on A is run by the
worker and its progress and file are seen through B, by the person who asked only; the stored home
counts changed through A are read fresh through B; the periodic tasks run once when two servers tick at
the same moment. Skipped, saying why, when PostgreSQL or Redis at 127.0.0.1 does not answer (CI has both).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URI", "redis://127.0.0.1:6379/14")


def _postgres_admin_url() -> str:
    """The maintenance database of TEST_DATABASE_URL's server when that is PostgreSQL, else 127.0.0.1's."""
    configured = os.environ.get("TEST_DATABASE_URL", "")
    if configured.startswith("postgres"):
        url = make_url(configured).set(drivername="postgresql", database="postgres")
        return url.render_as_string(hide_password=False)
    return "postgresql://postgres@127.0.0.1:5432/postgres"


PG_ADMIN_URL = _postgres_admin_url()


def _unavailable() -> str | None:
    import psycopg
    from redis import Redis

    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=2).close()
    except Exception as error:  # noqa: BLE001 - any failure means "not here"
        return f"needs PostgreSQL at {make_url(PG_ADMIN_URL).host} to create a database: {error}"
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:  # noqa: BLE001
        return f"needs Redis at {REDIS_URL}: {error}"
    return None


REASON = _unavailable()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")

SETUP = """
import demo
from flask_migrate import upgrade
from app import create_app
from models import db
app = create_app()
with app.app_context():
    upgrade()
    demo.seed_demo()
    db.session.commit()
"""

# `flask tick`'s work, started on a signal so that both copies really run at the same moment: round r
# ticks at base + 2r hours (every task is due again each round) in both processes.
TICK = """
import importlib, json, sys, time
from datetime import datetime, timedelta
from pathlib import Path
from app import create_app
from models import db
from services.jobs import scheduler
app = create_app()
ready, go, base, rounds = Path(sys.argv[1]), Path(sys.argv[2]), datetime.fromisoformat(sys.argv[3]), int(sys.argv[4])
with app.app_context():
    for module in scheduler.TASK_MODULES:
        importlib.import_module(module)
    db.session.execute(db.text("SELECT 1"))
    db.session.rollback()
    ready.touch()
    while not go.exists():
        time.sleep(0.005)
    start = float(go.read_text())
    ran = []
    for r in range(rounds):
        time.sleep(max(0.0, start + r * 0.5 - time.time()))
        ran.append(scheduler.tick(base + timedelta(hours=2 * r)))
print(json.dumps(ran))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def csrf(self) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.text).group(1)


class Browser:
    """One person's browser: its cookies go to whichever server answers, as behind one load balancer."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, server, method: str, path: str, form: dict | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body, headers["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.msg, answer.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        return response

    def get(self, server, path: str) -> Response:
        return self.request(server, "GET", path)

    def post(self, server, path: str, data: dict, *, token_from=None) -> Response:
        """Post a form to `server` with the session's CSRF token, read from the home page of `token_from`
        (default: the same server)."""
        token = self.get(token_from or server, "/").csrf()
        return self.request(server, "POST", path, {**data, "csrf_token": token})

    def log_in(self, server, identifier: str, password: str = DEMO_PASSWORD) -> Response:
        token = self.get(server, "/login").csrf()
        return self.request(server, "POST", "/login", {"identifier": identifier, "password": password,
                                                      "csrf_token": token})


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path


class Cluster:
    """The processes of one production set-up, and a connection to its database for the test's own looks."""

    def __init__(self, env: dict, tmp: Path, database_url: str):
        self.env, self.tmp, self.processes, self.logs = env, tmp, [], []
        self.engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))

    def spawn(self, name: str, *args: str) -> tuple[subprocess.Popen, Path]:
        log = self.tmp / f"{name}.log"
        self.logs.append(log.open("wb"))
        process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=self.env, stdout=self.logs[-1],
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process, log

    def server(self, name: str) -> Server:
        port = free_port()
        process, log = self.spawn(name, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                                  "--timeout", "60", "app:app")
        return Server(name, port, process, log)

    def start_worker(self) -> None:
        self.spawn("worker", "-m", "flask", "--app", "app", "jobs-worker")

    def scalar(self, sql: str, **params):
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for handle in self.logs:
            handle.close()
        self.engine.dispose()


def wait_until_serving(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            if Browser().get(server, "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"server {server.name} did not start:\n{server.log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import psycopg
    from redis import Redis

    tmp = tmp_path_factory.mktemp("two-servers")
    name = f"test_two_servers_{os.getpid()}"
    prefix = f"jx-two-servers-{os.getpid()}-{secrets.token_hex(4)}"
    database_url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    env = {key: value for key, value in os.environ.items()
           if key not in {"JOBS_BACKEND", "RATELIMIT_STORAGE_URI", "RUN_SCHEDULER", "TEST_DATABASE_URL"}}
    env.update(DATABASE_URL=database_url, REDIS_URL=REDIS_URL, REDIS_PREFIX=prefix, SECRET_KEY=secrets.token_hex(32),
               UPLOAD_FOLDER=str(tmp / "uploads"),  # one shared folder, as an NFS mount in production
               LOGIN_LIMIT_PER_ACCOUNT="4 per 15 minutes", LOG_LEVEL="WARNING")
    cluster = Cluster(env, tmp, database_url)
    try:
        setup, setup_log = cluster.spawn("setup", "-c", SETUP)
        cluster.a, cluster.b = cluster.server("A"), cluster.server("B")  # they boot while the database is made
        assert setup.wait(timeout=120) == 0, setup_log.read_text()[-3000:]
        deadline = time.monotonic() + 60
        wait_until_serving(cluster.a, deadline)
        wait_until_serving(cluster.b, deadline)
        yield cluster
    finally:
        cluster.stop()
        redis = Redis.from_url(REDIS_URL)
        for key in redis.scan_iter(match=f"*{prefix}*"):
            redis.delete(key)
        redis.srem("rq:queues", f"rq:queue:{prefix}")
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def home_counts(response: Response) -> dict[str, int]:
    """The admin home's figures by their label, e.g. {"有效账号": 29, "职工": 27, ...}."""
    assert response.status == 200
    cards = re.findall(r'<div class="fs-\d">([\d,]+)</div><div class="text-muted[^"]*">([^<]+)</div>', response.text)
    return {label: int(number.replace(",", "")) for number, label in cards}


def test_a_session_made_on_one_server_is_valid_on_the_other_and_ends_on_both(cluster):
    admin = Browser()
    assert admin.log_in(cluster.a, "admin").status == 302
    home = admin.get(cluster.b, "/")
    assert home.status == 200 and "您好" in home.text and 'data-testid="home-admin"' in home.text
    assert Browser().get(cluster.b, "/").status == 302  # without the cookie: the login page
    old_cookies = dict(admin.cookies)
    # A form served by A is accepted by B (the CSRF token lives in the shared session), and logging out
    # on B ends the session that A would still accept from an old copy of the cookie.
    logout = admin.post(cluster.b, "/logout", {}, token_from=cluster.a)
    assert logout.status == 302 and logout.headers["Location"].endswith("/login")
    stale = Browser()
    stale.cookies = old_cookies
    assert stale.get(cluster.a, "/").status == 302


def test_failed_logins_are_counted_across_both_servers(cluster):
    attacker = Browser()
    codes = [attacker.log_in(server, "judge", "wrong-password").status
             for server in (cluster.a, cluster.a, cluster.b, cluster.b)]
    assert codes == [200] * 4  # the form again, with the message; 2 + 2 reach the limit of 4
    assert attacker.log_in(cluster.a, "judge", "wrong-password").status == 429
    assert attacker.log_in(cluster.b, "judge").status == 429  # locked on both, even with the right password
    assert Browser().log_in(cluster.a, "hr_b").status == 302  # another account is not affected


def test_an_export_asked_for_on_a_is_run_by_the_worker_and_handed_out_by_b_to_its_owner_only(cluster):
    from openpyxl import load_workbook

    with cluster.engine.connect() as connection:
        campaign_id, proposals = connection.execute(text(
            "SELECT campaign_id, count(*) FROM proposal GROUP BY campaign_id ORDER BY 2 DESC, 1 LIMIT 1")).one()
    assert proposals > 0
    admin, hr = Browser(), Browser()
    assert admin.log_in(cluster.a, "admin").status == 302 and hr.log_in(cluster.b, "hr_a").status == 302
    asked = admin.post(cluster.a, f"/proposals/campaigns/{campaign_id}/export.xlsx", {})
    assert asked.status == 302
    job_path = re.search(r"/jobs/\d+$", asked.headers["Location"]).group(0)
    # No worker yet: the job waits in Redis, and B sees it queued (A runs nothing itself).
    assert json.loads(admin.get(cluster.b, job_path + "/progress").body)["status"] == "queued"
    cluster.start_worker()
    deadline, state = time.monotonic() + 40, {}
    while time.monotonic() < deadline:
        state = json.loads(admin.get(cluster.b, job_path + "/progress").body)
        if state["status"] in {"done", "failed"}:
            break
        time.sleep(0.3)
    assert state == {"status": "done", "done": proposals, "total": proposals}, state
    page = admin.get(cluster.b, job_path)
    assert page.status == 200 and f"{job_path}/download" in page.text
    download = admin.get(cluster.b, job_path + "/download")
    assert download.status == 200 and download.body.startswith(b"PK")
    assert len(list(load_workbook(BytesIO(download.body)).active.iter_rows())) == proposals + 1  # + header
    for server in (cluster.a, cluster.b):
        for path in (job_path, job_path + "/progress", job_path + "/download"):
            assert hr.get(server, path).status == 404, (server.name, path)
    assert Browser().get(cluster.b, job_path + "/download").status == 302  # anonymous: the login page


def test_stored_counts_changed_through_a_are_read_fresh_through_b(cluster):
    admin, worker = Browser(), Browser()
    person = cluster.scalar("SELECT id FROM \"user\" WHERE phone = '13901000105'")
    assert admin.log_in(cluster.a, "admin").status == 302
    assert worker.log_in(cluster.b, "13901000105").status == 302
    before = home_counts(admin.get(cluster.b, "/"))
    active_path = f"/admin/users/{person}/active"
    assert admin.post(cluster.a, active_path, {"active": "0"}).status == 302
    after = home_counts(admin.get(cluster.b, "/"))
    assert after == {**before, "有效账号": before["有效账号"] - 1, "职工": before["职工"] - 1}
    assert worker.get(cluster.b, "/").status == 302  # deactivated through A: B ends the session at once
    assert admin.post(cluster.b, active_path, {"active": "1"}).status == 302
    assert home_counts(admin.get(cluster.a, "/")) == before


def test_the_periodic_tasks_run_once_when_both_servers_tick_at_the_same_moment(cluster):
    from services.jobs import scheduler

    for module in scheduler.TASK_MODULES:
        __import__(module)
    tasks = set(scheduler.TASKS)
    base = datetime.now(UTC).replace(microsecond=0)
    with cluster.engine.begin() as connection:  # one job file past its time: work for the purge task
        job = connection.execute(text(
            "INSERT INTO job (kind, requested_by_id, status, params, done, created_at, finished_at, expires_at) "
            "SELECT 'proposals.export', id, 'done', '{}', 0, :old, :old, :old FROM \"user\" WHERE username = 'admin' "
            "RETURNING id"), {"old": base - timedelta(days=2)}).scalar()
        connection.execute(text("INSERT INTO job_file (job_id, data) VALUES (:job, :data)"),
                           {"job": job, "data": b"old"})
    go, rounds = cluster.tmp / "go", 3
    ticks = [cluster.spawn(f"tick-{i}", "-c", TICK, str(cluster.tmp / f"ready-{i}"), str(go), base.isoformat(),
                           str(rounds)) for i in (0, 1)]
    deadline = time.monotonic() + 60
    while not all((cluster.tmp / f"ready-{i}").exists() for i in (0, 1)):
        assert time.monotonic() < deadline and all(p.poll() is None for p, _ in ticks), \
            [log.read_text()[-2000:] for _, log in ticks]
        time.sleep(0.05)
    go.write_text(str(time.time() + 0.2))
    outputs = []
    for process, log in ticks:
        assert process.wait(timeout=60) == 0, log.read_text()[-3000:]
        outputs.append(json.loads(log.read_text().strip().splitlines()[-1]))
    last_run: dict[str, datetime] = {}
    for r in range(rounds):
        now = base + timedelta(hours=2 * r)
        due = {name for name in tasks
               if name not in last_run or now - last_run[name] >= scheduler.TASKS[name].every}
        first, second = set(outputs[0][r]), set(outputs[1][r])
        assert not first & second, (r, outputs)  # no task ran on both servers
        assert first | second == due, (r, outputs)  # and every due task ran on one of them
        last_run.update(dict.fromkeys(due, now))
    purges = [{**outputs[0][r], **outputs[1][r]}["jobs.purge_expired_files"] for r in range(rounds)]
    assert purges[0].startswith("1 files") and all(p.startswith("0 files") for p in purges[1:]), purges
    assert cluster.scalar("SELECT count(*) FROM job_file WHERE job_id = :job", job=job) == 0
    for name, started in last_run.items():  # each task's claim records the round that last ran it
        last = cluster.scalar("SELECT last_started_at FROM periodic_run WHERE name = :name", name=name)
        assert last.replace(tzinfo=last.tzinfo or UTC) == started, name
