"""Background jobs: dispatched only after the commit, run once, progress, files kept for their owner,
failures recorded; the RQ backend on Redis and the thread backend behave like the inline one."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from core import clock
from core.l10n import lazy_gettext as _l
from models import Job, JobFile, db
from models.jobs import JOB_DONE, JOB_FAILED, JOB_QUEUED
from services.common.i18n import deferred
from services.errors import NotFound, RuleViolation
from services.jobs import connection as jobs_connection
from services.jobs import progress, queue

seen_progress: list[tuple[int, int | None]] = []


@queue.job_kind("test.count", label=_l("测试"))
def count_job(actor, params, report):
    for done in range(params["n"] + 1):
        report(done, params["n"])
        seen_progress.append(progress.read(report.job_id))
    text = "\n".join(f"{actor.name},{i}" for i in range(params["n"])).encode()
    return queue.JobResult(deferred("已导出 %(n)d 条。", n=params["n"]), "rows.csv", "text/csv", text)


@queue.job_kind("test.refuse", label=_l("测试"))
def refusing_job(actor, params, report):
    raise RuleViolation(_l("请先登录。"))


@queue.job_kind("test.crash", label=_l("测试"))
def crashing_job(actor, params, report):
    db.session.add(JobFile(job_id=params["job_id"], data=b"half-written"))  # must not survive the failure
    db.session.flush()
    raise ZeroDivisionError("boom")


def test_a_job_starts_after_the_commit_and_keeps_its_file_for_its_owner(world):
    job = queue.enqueue(world.hr_a, "test.count", n=3)
    assert job.status == JOB_QUEUED  # nothing runs before the request commits
    db.session.commit()
    db.session.expire_all()
    assert job.status == JOB_DONE and job.done == 3 and job.total == 3
    assert str(queue.message_of(job)) == "已导出 3 条。"
    found, data = queue.job_file(world.hr_a, job.id)
    assert data.decode().splitlines() == ["甲企人事,0", "甲企人事,1", "甲企人事,2"]
    assert found.result_name == "rows.csv" and found.result_size == len(data)
    assert found.expires_at - found.finished_at == timedelta(hours=24)
    with pytest.raises(NotFound):
        queue.get_job(world.hr_b, job.id)
    with pytest.raises(NotFound):
        queue.job_file(world.admin, job.id)


def test_progress_is_visible_while_the_job_runs(world):
    seen_progress.clear()
    queue.enqueue(world.hr_a, "test.count", n=2)
    db.session.commit()
    assert (0, 2) in seen_progress  # the first report is always written
    assert seen_progress[-1] == (2, 2)


def test_a_rolled_back_request_starts_nothing(world):
    queue.enqueue(world.hr_a, "test.count", n=1)
    db.session.rollback()
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 0


def test_a_refused_job_says_why_and_a_crashed_one_keeps_nothing(world):
    refused = queue.enqueue(world.hr_a, "test.refuse")
    crashed = queue.enqueue(world.hr_a, "test.crash", job_id=0)
    crashed.params = {"job_id": crashed.id}
    db.session.commit()
    db.session.expire_all()
    assert refused.status == JOB_FAILED and str(queue.message_of(refused)) == "请先登录。"
    assert crashed.status == JOB_FAILED and "ZeroDivisionError" in crashed.error
    assert "已记录" in str(queue.message_of(crashed))
    assert db.session.get(JobFile, crashed.id) is None
    with pytest.raises(NotFound):
        queue.job_file(world.hr_a, crashed.id)


def test_a_job_runs_at_most_once(world):
    job = queue.enqueue(world.hr_a, "test.count", n=1)
    db.session.commit()
    assert queue.run_job(job.id) is False


def test_a_deactivated_owner_gets_nothing(world):
    world.hr_a.is_active = False
    job = queue.enqueue(world.hr_a, "test.count", n=1)
    db.session.commit()
    db.session.expire_all()
    assert job.status == JOB_FAILED and "停用" in str(queue.message_of(job))
    assert db.session.get(JobFile, job.id) is None


def test_expired_files_are_deleted_by_the_scheduler(world):
    from services.jobs.scheduler import tick

    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    with clock.frozen(start):
        job = queue.enqueue(world.hr_a, "test.count", n=1)
        db.session.commit()
    with clock.frozen(start + timedelta(hours=23)):
        tick()
        assert db.session.get(JobFile, job.id) is not None
    with clock.frozen(start + timedelta(hours=25)):
        with pytest.raises(NotFound):
            queue.job_file(world.hr_a, job.id)
        assert "1 files" in tick()["jobs.purge_expired_files"]
        assert db.session.get(JobFile, job.id) is None


def test_the_thread_backend_runs_the_job_in_the_background(app, world):
    app.config["JOBS_BACKEND"] = "thread"
    try:
        job = queue.enqueue(world.hr_a, "test.count", n=2)
        db.session.commit()
        job_id = job.id
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            db.session.expire_all()
            if db.session.get(Job, job_id).status == JOB_DONE:
                break
            time.sleep(0.05)
        assert db.session.get(Job, job_id).status == JOB_DONE
    finally:
        app.config["JOBS_BACKEND"] = "inline"


@pytest.fixture
def redis_url(app):
    """REDIS_URL with a queue and keys of this test's own (REDIS_PREFIX): two test runs may share one Redis
    (CI runs SQLite and PostgreSQL at once), so nothing here empties the whole database."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"jx-test-jobs-{uuid.uuid4().hex}"
    before = app.config["REDIS_PREFIX"]
    app.config.update(REDIS_URL=url, JOBS_BACKEND="rq", REDIS_PREFIX=prefix)
    yield url
    app.config.update(REDIS_URL=None, JOBS_BACKEND="inline", REDIS_PREFIX=before)
    connection = redis.Redis.from_url(url)
    for name in [*connection.scan_iter(f"{prefix}:*"), *connection.scan_iter(f"rq:*{prefix}*")]:
        connection.delete(name)


def test_the_rq_backend_queues_on_redis_and_a_worker_runs_it(redis_url, world):
    from redis import Redis
    from rq import Queue, SimpleWorker

    seen_progress.clear()
    job_id = queue.enqueue(world.hr_a, "test.count", n=2).id
    db.session.commit()
    connection = Redis.from_url(redis_url)
    rq_queue = Queue(jobs_connection.queue_name(), connection=connection)
    assert rq_queue.count == 1 and db.session.get(Job, job_id).status == JOB_QUEUED
    SimpleWorker([rq_queue], connection=connection).work(burst=True)
    assert db.session.get(Job, job_id).status == JOB_DONE
    assert seen_progress[-1] == (2, 2)  # read back through Redis
    assert progress.read(job_id) is None  # cleared once the row holds the numbers


def test_stalled_jobs_are_dispatched_again(world):
    """A job recorded but never run (its worker died, Redis was down) is run by the scheduler."""
    from services.jobs.scheduler import tick

    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    job = Job(kind="test.count", requested_by_id=world.hr_a.id, params={"n": 1}, status=JOB_QUEUED,
              created_at=start)
    db.session.add(job)
    db.session.commit()  # added directly: not dispatched
    with clock.frozen(start + timedelta(minutes=4)):
        assert "0 dispatched again" in tick()["jobs.recover_stalled"]
    with clock.frozen(start + timedelta(minutes=10)):
        assert "1 dispatched again" in tick()["jobs.recover_stalled"]
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JOB_DONE


def test_two_ticks_at_once_run_each_task_once(app):
    from services.jobs import scheduler

    calls = []

    @scheduler.periodic("test.once", every=timedelta(minutes=5))
    def once(now):
        calls.append(now)
        time.sleep(0.2)
        return "ran"

    try:
        results = []

        def run():
            with app.app_context():
                results.append(scheduler.tick(datetime(2026, 3, 2, 1, 0, tzinfo=UTC)))
                db.session.remove()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(calls) == 1
        assert sum("test.once" in r for r in results) == 1
        assert "test.once" not in scheduler.tick(datetime(2026, 3, 2, 1, 4, tzinfo=UTC))
        assert scheduler.tick(datetime(2026, 3, 2, 1, 5, tzinfo=UTC))["test.once"] == "ran"
    finally:
        scheduler.TASKS.pop("test.once")
