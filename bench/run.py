"""`make bench`: measure every page of bench/pages.py on the seed-scale database under gunicorn.

Environment: BENCH_DB=sqlite|postgresql (default sqlite), BENCH_SCALE (default 0.1 on SQLite, 1.0 on
PostgreSQL), BENCH_SECONDS per measurement (default 5), BENCH_PORT (default 8101; hello on the next).
SQLite uses instance/bench-<scale>.sqlite3, PostgreSQL postgresql+psycopg://postgres@127.0.0.1:5432/bench
(BENCH_DATABASE_URL overrides either). The app servers share a Redis as in production
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/0 when one answers; `none` to measure without).
It runs `flask db upgrade` and, missing the manifest, `flask seed-scale --scale <scale>` first.

It starts the app (`gunicorn -w 2 -k sync`, port 8101, X-Query-Count on, login limits out of the way)
and the bare hello app under the same command (port 8102), logs in as each demo role over HTTP, and for
each page: one probing request (status, queries per request, time), then `wrk -t2 -c8 -d<s>s`; pages
slower than a second per request get `-t1 -c2` and a longer run (marked †) so that a few complete.
After each run it waits until the app has finished what wrk left queued. Hello is measured for 3 s
before every page and at the end (BENCH_HELLO_EVERY, BENCH_HELLO_SECONDS); each page's ratio is over the
faster of the two hello measurements around it. The list is measured twice over (BENCH_PASSES) and each
page keeps its pass with the higher ratio. The table
(page | req/s | p50 | p99 | ratio to hello | each pass: ratio, p99 | queries), headed by how many pages
meet issue 10's target in their kept pass and in every pass, is printed and written to
bench-results-<db>-<scale>.md at the repository root. A benchmark, not a test: nothing here asserts.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import wrk
from bench.pages import ROLES, Page, pages
from bench.seed import manifest as manifest_file

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
APP_PORT = int(os.environ.get("BENCH_PORT", "8101"))  # hello on the next port
HELLO_PORT = APP_PORT + 1
PASSWORD = "Jiangxin@2026"  # demo/accounts.py DEMO_PASSWORD (not imported: this module runs outside the app)
SLOW_SECONDS = 1.0
# Hello is measured before every page and once at the end, for HELLO_SECONDS each; a page's ratio is
# over the faster of the two measurements around it. This machine's speed drifts by a fifth within
# minutes (hello 3,600-6,100 req/s in one run of 2026-12-01 measured every fifth page), and a page
# compared with a measurement half a minute away carried that drift into its ratio; the faster of
# the two, not their mean, so that a moment's dip in hello (1,348 req/s once, between 4,968 and 5,325)
# never flatters the pages next to it.
HELLO_EVERY = int(os.environ.get("BENCH_HELLO_EVERY", "1"))
# The list is measured PASSES times over (BENCH_PASSES) and each page keeps its best pass, the one with
# the highest ratio (as timeit keeps the best of its repeats): a 5 s measurement on this shared machine
# moves by a quarter from one run to the next for the same code (the public results list: 426, then 310
# req/s), and what disturbs it only ever slows it. The table shows every pass's ratio.
PASSES = int(os.environ.get("BENCH_PASSES", "2"))
HELLO_SECONDS = int(os.environ.get("BENCH_HELLO_SECONDS", "3"))


@dataclass
class Settings:
    db: str
    scale: float
    seconds: int
    url: str
    redis_url: str | None = None  # what app servers share, as in production (None: no Redis answered)

    @property
    def redis_prefix(self) -> str:
        return f"jiangxin-bench-{self.db}-{self.scale:g}"

    @property
    def manifest(self) -> Path:
        return manifest_file.manifest_path(self.url, ROOT / "instance")

    @property
    def results(self) -> Path:
        return ROOT / f"bench-results-{self.db}-{self.scale:g}.md"


def settings() -> Settings:
    """The run's settings from BENCH_DB, BENCH_SCALE, BENCH_SECONDS and BENCH_DATABASE_URL."""
    db = os.environ.get("BENCH_DB", "sqlite")
    if db not in ("sqlite", "postgresql"):
        sys.exit("BENCH_DB is sqlite or postgresql")
    scale = float(os.environ.get("BENCH_SCALE") or (1.0 if db == "postgresql" else 0.1))
    url = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{ROOT / 'instance' / f'bench-{scale:g}.sqlite3'}" if db == "sqlite"
        else "postgresql+psycopg://postgres@127.0.0.1:5432/bench")
    return Settings(db, scale, int(os.environ.get("BENCH_SECONDS", "5")), url, _redis())


def _redis() -> str | None:
    """BENCH_REDIS_URL (default redis://127.0.0.1:6379/0) when a Redis answers there, as production runs
    (shared rate limits and figures); BENCH_REDIS_URL=none measures without."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    if url == "none":
        return None
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except RedisError:
        print(f"no Redis at {url}: measuring without (each app process keeps its own figures)", flush=True)
        return None
    return url


def forget_shared_figures(s: Settings) -> None:
    """Drop what an earlier run left in Redis under the bench's prefix: a reseeded database starts its data
    version again, and a text shared under an old (version, key) must not be served for the new data."""
    if s.redis_url is None:
        return
    from redis import Redis

    connection = Redis.from_url(s.redis_url)
    for name in connection.scan_iter(f"{s.redis_prefix}:*"):
        connection.delete(name)


def _env(s: Settings, **extra) -> dict:
    env = dict(os.environ, DATABASE_URL=s.url, SECRET_KEY="jiangxin-bench-secret", BENCH_QUERY_COUNT="1",
               LOGIN_LIMIT_PER_IP="100000 per minute", LOGIN_LIMIT_PER_ACCOUNT="100000 per minute",
               VERIFY_LIMIT_PER_IP="100000 per minute",
               UPLOAD_FOLDER=str(ROOT / "instance" / f"bench-uploads-{s.db}-{s.scale:g}"), PYTHONPATH=str(ROOT))
    env.pop("RUN_SCHEDULER", None)
    if s.redis_url is not None:  # jobs stay in threads of the app: the bench runs no job worker
        env.update(REDIS_URL=s.redis_url, REDIS_PREFIX=s.redis_prefix, JOBS_BACKEND="thread")
    env.update(extra)
    return env


def ensure_seeded(s: Settings) -> dict:
    """The manifest, seeding the database first when it has none."""
    found = manifest_file.read(s.manifest)
    (ROOT / "instance").mkdir(exist_ok=True)
    flask = [str(BIN / "flask"), "--app", "app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=_env(s), check=True, stdout=subprocess.DEVNULL)
    if found is None:
        print(f"seeding {s.url} at scale {s.scale:g} (no manifest at {s.manifest})", flush=True)
        subprocess.run([*flask, "seed-scale", "--scale", str(s.scale)], cwd=ROOT, env=_env(s), check=True)
        found = manifest_file.read(s.manifest)
    if found is None or abs(found["scale"] - s.scale) > 1e-9:
        sys.exit(f"{s.manifest} is for scale {found and found['scale']}, not {s.scale:g}: drop the database to reseed")
    return found


class Server:
    """`gunicorn -w 2 -k sync` serving `target` on `port`, stopped (its process group) on exit."""

    def __init__(self, s: Settings, target: str, port: int, log: Path):
        self.command = [str(BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
                        "--timeout", "900", target]
        self.env, self.port, self.log = _env(s), port, log
        self.process = None

    def __enter__(self):
        with socket.socket() as probe:  # never measure somebody else's server on a shared machine
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"port {self.port} is taken: stop that server or set BENCH_PORT")
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.handle,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                wrk.probe(f"http://127.0.0.1:{self.port}/", None, timeout=5)
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited, see {self.log}") from None
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer on port {self.port}, see {self.log}")

    def __exit__(self, *_exc):
        os.killpg(self.process.pid, 15)
        self.process.wait(timeout=60)
        self.handle.close()


@dataclass
class Row:
    page: Page
    rps: float | None = None
    p50: float | None = None
    p99: float | None = None
    queries: int | None = None
    hello: float | None = None  # the hello req/s its ratio is over (hello_around)
    error: str = ""
    slow: bool = False
    ratios: tuple = ()  # every pass's ratio, in the order measured
    p99s: tuple = ()  # every pass's p99 (ms), in the same order

    @property
    def ratio(self) -> float:
        return (self.rps or 0.0) / self.hello if self.hello else 0.0


def measure_page(s: Settings, page: Page, cookie: str | None) -> Row:
    """Probe `page` (status, queries), then run wrk on it unless it answered what it should not."""
    url = f"http://127.0.0.1:{APP_PORT}{page.url}"
    row = Row(page)
    first = wrk.probe(url, cookie)
    row.queries = first.queries
    if first.status not in page.expect:
        row.error = f"HTTP {first.status}" + (f" → {first.location}" if first.location else "")
        return row
    if first.seconds > SLOW_SECONDS:  # the first answer may be a cold one: ask once more
        first = wrk.probe(url, cookie)
    row.slow = first.seconds > SLOW_SECONDS
    if row.slow:
        seconds = max(s.seconds, min(120, math.ceil(first.seconds * 4)))
        result = wrk.run_wrk(url, cookie, seconds, connections=2, threads=1, timeout=max(30, int(first.seconds * 6)))
    else:
        result = wrk.run_wrk(url, cookie, s.seconds)
    wrk.probe(f"http://127.0.0.1:{APP_PORT}/healthz", None)  # waits for what wrk left queued
    row.rps, row.p50, row.p99 = result.rps, result.p50_ms, result.p99_ms
    if result.bad:
        row.error = f"{result.bad} of {result.requests + result.bad} answers bad or timed out"
    return row


def _rate(value: float) -> str:
    """req/s (and ratios) readable at both ends: 1234.5, 12.3, 0.42, 0.013."""
    return f"{value:.1f}" if value >= 10 else f"{value:.2g}"


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def hello_around(hellos: list[tuple[int, float]], index: int) -> float:
    """The reference for the page measured at `index`: the faster of the hello measurements just before
    and just after it (hellos are (position, req/s), a measurement at position i taken before page i;
    the last one after every page)."""
    before = [rate for position, rate in hellos if position <= index]
    after = [rate for position, rate in hellos if position > index]
    around = ([before[-1]] if before else []) + ([after[0]] if after else [])
    return max(around)


def best_pass(measured: list[tuple[Row, int]], hellos: list[tuple[int, float]]) -> Row:
    """Of one page's passes ((row, position in the run)), the one with the highest ratio to hello, each
    over the hello measurements around it (hello_around); `ratios` and `p99s` hold every pass's ratio and p99."""
    for row, position in measured:
        row.hello = hello_around(hellos, position)
    best = max((row for row, _position in measured), key=lambda row: row.ratio)
    best.ratios = tuple(row.ratio for row, _position in measured)
    best.p99s = tuple(row.p99 for row, _position in measured)
    return best


TARGET_SHARE = 25  # issue 10: every page at least 1/25 of hello ...
TARGET_RATIO = 1 / TARGET_SHARE
TARGET_P99_MS = 100.0  # ... with a p99 under 100 ms


def at_target(rows: list[Row]) -> tuple[int, int]:
    """How many pages meet issue 10's target (ratio to hello >= TARGET_RATIO and p99 < TARGET_P99_MS):
    (in their kept pass, in every pass). A page with an error meets it in neither."""
    def meets(ratio: float, p99: float | None) -> bool:
        # the tolerance: a ratio of exactly 1/25 computed as req/s over hello may land a rounding error below it
        return ratio >= TARGET_RATIO - 1e-12 and p99 is not None and p99 < TARGET_P99_MS

    measured = [row for row in rows if row.rps is not None and not row.error]
    kept = sum(meets(row.ratio, row.p99) for row in measured)
    every = sum(all(meets(ratio, p99) for ratio, p99 in zip(row.ratios, row.p99s, strict=True))
                for row in measured)
    return kept, every


def table(rows: list[Row]) -> str:
    """The Markdown table of each page's best pass (best_pass): its req/s, p50, p99 and ratio, and the
    ratio and p99 of every pass."""
    lines = ["| page | req/s | p50 | p99 | ratio to hello | each pass: ratio, p99 | queries |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        label = f"{row.page.label}{' †' if row.slow else ''} `{row.page.url}`"
        queries = row.queries if row.queries is not None else "—"
        if row.rps is None:
            lines.append(f"| {label} | error: {row.error} | | | | | {queries} |")
            continue
        note = f" ({row.error})" if row.error else ""
        each = " / ".join(f"{_rate(ratio)}, {_ms(p99)}" for ratio, p99 in zip(row.ratios, row.p99s, strict=True))
        lines.append(f"| {label} | {_rate(row.rps)}{note} | {_ms(row.p50)} | {_ms(row.p99)} | "
                     f"{_rate(row.ratio)} | {each} | {queries} |")
    return "\n".join(lines)


def main() -> None:
    """Seed if needed, serve, log in, measure every page with hello in between, report."""
    s = settings()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    m = ensure_seeded(s)
    forget_shared_figures(s)
    load_before = os.getloadavg()
    started = datetime.now(UTC)
    logs = ROOT / "instance"
    hellos: list[tuple[int, float]] = []
    # parts of labels, comma-separated: measure those pages only
    only = [part.strip() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()]
    listed = [page for page in pages(m) if not only or any(part in page.label for part in only)]
    with Server(s, "app:app", APP_PORT, logs / "bench-app.log"), \
            Server(s, "bench.hello:app", HELLO_PORT, logs / "bench-hello.log"):
        base = f"http://127.0.0.1:{APP_PORT}"
        cookies = {role: wrk.login(base, username, PASSWORD) for role, username in ROLES.items()}
        cookies["public"] = None
        hello_url = f"http://127.0.0.1:{HELLO_PORT}/"
        measured: list[list[tuple[Row, int]]] = [[] for _page in listed]
        for position in range(PASSES * len(listed)):
            index = position % len(listed)
            if position % HELLO_EVERY == 0:
                hellos.append((position, wrk.run_wrk(hello_url, None, HELLO_SECONDS).rps))
                print(f"hello: {hellos[-1][1]:.0f} req/s", flush=True)
            page = listed[index]
            row = measure_page(s, page, cookies[page.role])
            measured[index].append((row, position))
            print(f"{page.label}: {_rate(row.rps or 0)} req/s, p50 {_ms(row.p50)}, p99 {_ms(row.p99)}, "
                  f"{row.queries} queries"
                  f"{' ' + row.error if row.error else ''}", flush=True)
        hellos.append((PASSES * len(listed), wrk.run_wrk(hello_url, None, HELLO_SECONDS).rps))
    rows = [best_pass(passes, hellos) for passes in measured]
    report = _report(s, m, rows, hellos, started, load_before)
    s.results.write_text(report, encoding="utf-8")
    print(report)
    print(f"written to {s.results}")


def _report(s: Settings, m: dict, rows, hellos, started, load_before) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    counts = ", ".join(f"{k} {v:,}" for k, v in m.get("counts", {}).items())
    rates = [rate for _i, rate in hellos]
    kept, every = at_target(rows)
    return "\n".join([
        f"# Benchmark: {s.db}, scale {s.scale:g}", "",
        f"- when: {started:%Y-%m-%d %H:%M} UTC, commit {commit}, {os.cpu_count()} cores, load average "
        f"{load_before[0]:.1f} before and {os.getloadavg()[0]:.1f} after",
        f"- data: {counts} (seeded in {m.get('seconds')} s)",
        f"- Redis: {s.redis_url or 'none'} (what app servers share: rate limits, the report's rendered parts)",
        f"- app and hello: `gunicorn -w 2 -k sync`; {PASSES} passes over the list, each page's best kept; "
        f"wrk -t2 -c8 -d{s.seconds}s --latency "
        f"(† pages slower than {SLOW_SECONDS:g} s: -t1 -c2, longer)",
        f"- hello: {min(rates):.0f}-{max(rates):.0f} req/s over {len(rates)} measurements of {HELLO_SECONDS} s "
        f"(before every {'page' if HELLO_EVERY == 1 else f'{HELLO_EVERY}th page'} and at the end); ratio = the "
        "page's req/s over the faster of the hello measurements just before and after it",
        "- queries: SQL statements of one request until its answer starts (X-Query-Count; a streamed export "
        "sends more while it streams)",
        f"- at target (ratio to hello at least 1/{TARGET_SHARE} and p99 under {TARGET_P99_MS:g} ms): {kept} of "
        f"{len(rows)} pages in their kept pass, {every} in every pass", "",
        table(rows), "",
    ])


if __name__ == "__main__":
    main()
