"""The job queue: record a job in the request, run it after the commit, report progress, keep its file.

Rules:
- A job belongs to the person who asked for it: only they see its page and download its file
  (anyone else gets 404). The job re-checks the person's rights when it runs (through the services
  it calls), and refuses if the account was deactivated meanwhile.
- A job starts only once the request that asked for it has committed (a refused request starts
  nothing), and runs at most once: the runner claims it with a guarded update (queued -> running).
- A job either finishes completely (its writes and its "done" state in one transaction) or writes
  nothing but its "failed" state and a message; the traceback goes to the log and the row, never to
  the page.
- The produced file is kept for JOB_FILE_HOURS (default 24) and then deleted by the scheduler.
- Jobs left queued (a worker or thread that died, Redis briefly down) are dispatched again by the
  scheduler; jobs running longer than JOB_TIMEOUT_SECONDS are marked failed.
"""

from __future__ import annotations

import importlib
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.jobs import JOB_DONE, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, Job, JobFile
from services.common.i18n import Deferred, as_deferred, deferred
from services.errors import DomainError, NotAllowed, NotFound
from services.jobs import connection, progress
from services.jobs.scheduler import periodic

# Modules that register job kinds (imported before a job runs, e.g. in a fresh worker process).
JOB_MODULES: tuple[str, ...] = ("services.proposals.export", "services.mentorship.export",
                                 "services.competitions.export", "services.accounts.slips",
                                 "services.imports.batches", "services.accounts.roster_export",
                                 "services.report.export", "services.training.enrol_bulk",
                                 "services.report.pdf", "services.competitions.list_export",
                                 "services.titles.listing", "services.honours.export",
                                 "services.training.report_export")
PENDING_KEY = "jiangxin_jobs_to_dispatch"
TASKS_KEY = "jiangxin_tasks_to_dispatch"


@dataclass
class JobResult:
    """What a job function gives back: a message for the person and, optionally, a file."""

    message: Deferred
    file_name: str | None = None
    content_type: str | None = None
    data: bytes | None = None


@dataclass
class JobKind:
    name: str
    label: object  # lazy label shown in the person's job list, e.g. _l("导出提案")
    func: Callable[..., JobResult]


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, label):
    """Register `func(actor, params: dict, report: Progress) -> JobResult` as the job kind `name`."""

    def decorator(func):
        KINDS[name] = JobKind(name, label, func)
        return func

    return decorator


class Progress:
    """Handed to a job function: `report(done, total)` as the work advances (throttled to 4 a second)."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.done = 0
        self.total: int | None = None
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done, self.total = done, total if total is not None else self.total
        now = time.monotonic()
        if now - self._last >= 0.25 or (self.total is not None and done >= self.total):
            self._last = now
            progress.report(self.job_id, self.done, self.total)


def enqueue(actor, kind: str, **params) -> Job:
    """Record a job of `kind` for `actor` with JSON-able `params`; it is dispatched after the commit."""
    if kind not in KINDS:
        _import_job_modules()
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, requested_by_id=actor.id, params=params, status=JOB_QUEUED)
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).append(job.id)
    return job


def run_later(func_path: str, *args) -> None:
    """Run the system task `func_path(*args)` (e.g. "services.messages.delivery.send_delivery") in the
    background once the current transaction commits; nothing runs if it rolls back. Unlike a job it
    belongs to nobody and has no page: its outcome is recorded by the task itself."""
    db.session.info.setdefault(TASKS_KEY, []).append((func_path, args))


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session) -> None:
    for job_id in session.info.pop(PENDING_KEY, []):
        dispatch(job_id)
    for func_path, args in session.info.pop(TASKS_KEY, []):
        dispatch_task(func_path, args)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session) -> None:
    session.info.pop(PENDING_KEY, None)
    session.info.pop(TASKS_KEY, None)


def dispatch_task(func_path: str, args: tuple) -> None:
    """Hand a system task to the configured runner, like `dispatch` does for jobs."""
    app = current_app._get_current_object()
    backend = app.config["JOBS_BACKEND"]
    if backend == "rq":
        _rq_queue().enqueue_call("services.jobs.queue.run_task_in_worker", args=(func_path, *args), result_ttl=0,
                                 timeout=app.config["JOB_TIMEOUT_SECONDS"], failure_ttl=86400)
    elif backend == "thread":
        _executor(app).submit(_run_task_in_app, app, func_path, args)
    else:
        worker = threading.Thread(target=_run_task_in_app, args=(app, func_path, args))
        worker.start()
        worker.join()


def _call(func_path: str, args: tuple) -> None:
    module, _, name = func_path.rpartition(".")
    getattr(importlib.import_module(module), name)(*args)


def _run_task_in_app(app, func_path: str, args: tuple) -> None:
    with app.app_context():
        try:
            _call(func_path, args)
        except Exception:
            db.session.rollback()
            app.logger.exception("task %s%r failed", func_path, args)
        finally:
            db.session.remove()


def run_task_in_worker(func_path: str, *args) -> None:
    """What the RQ worker runs for a system task (inside `flask jobs-worker`'s app context)."""
    try:
        _call(func_path, args)
    finally:
        db.session.remove()


def dispatch(job_id: int) -> None:
    """Hand job `job_id` to the configured runner (JOBS_BACKEND: rq, thread or inline)."""
    app = current_app._get_current_object()
    backend = app.config["JOBS_BACKEND"]
    if backend == "rq":
        _rq_queue().enqueue_call("services.jobs.queue.run_in_worker", args=(job_id,), result_ttl=0,
                                 timeout=app.config["JOB_TIMEOUT_SECONDS"], failure_ttl=86400)
    elif backend == "thread":
        _executor(app).submit(_run_in_app, app, job_id)
    else:  # inline: to the end before the request returns (tests)
        worker = threading.Thread(target=_run_in_app, args=(app, job_id))
        worker.start()
        worker.join()


_executors: dict[int, ThreadPoolExecutor] = {}
_executors_lock = threading.Lock()


def _executor(app) -> ThreadPoolExecutor:
    with _executors_lock:
        if id(app) not in _executors:
            _executors[id(app)] = ThreadPoolExecutor(max_workers=app.config["JOB_THREADS"],
                                                     thread_name_prefix="job")
        return _executors[id(app)]


def _run_in_app(app, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


def _rq_queue():
    from rq import Queue

    return Queue(connection.queue_name(), connection=connection.redis_client())


def run_in_worker(job_id: int) -> None:
    """What the RQ worker (`flask jobs-worker`, inside the app context) runs for one job."""
    try:
        run_job(job_id)
    finally:
        db.session.remove()


def _import_job_modules() -> None:
    for name in JOB_MODULES:
        importlib.import_module(name)


def run_job(job_id: int) -> bool:
    """Claim job `job_id` and run it to the end; False when another runner had claimed it."""
    claimed = db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == JOB_QUEUED)
        .values(status=JOB_RUNNING, started_at=clock.now())
    ).rowcount
    db.session.commit()
    if not claimed:
        return False
    _import_job_modules()
    job = db.session.get(Job, job_id)
    report = Progress(job_id)
    try:
        actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
        if actor is None or not actor.is_active:
            raise NotAllowed(_l("账号已停用，任务未执行。"))
        result = KINDS[job.kind].func(actor, dict(job.params or {}), report)
    except DomainError as error:
        db.session.rollback()
        _finish(job_id, JOB_FAILED, report, as_deferred(error.message))
    except Exception:
        db.session.rollback()
        current_app.logger.exception("job %s (%s) failed", job_id, job.kind)
        _finish(job_id, JOB_FAILED, report, deferred("处理时出错，已记录。请稍后重试，或联系管理员。"),
                error=traceback.format_exc())
    else:
        _finish(job_id, JOB_DONE, report, result.message, result=result)
    return True


def _finish(job_id: int, status: str, report: Progress, message: Deferred, *, result: JobResult | None = None,
            error: str | None = None) -> None:
    job = db.session.get(Job, job_id)
    now = clock.now()
    job.status, job.message, job.error = status, message.as_json(), error
    job.done, job.total = report.done, report.total
    job.finished_at = now
    job.expires_at = now + timedelta(hours=current_app.config["JOB_FILE_HOURS"])
    if result is not None and result.data is not None:
        db.session.add(JobFile(job_id=job.id, data=result.data))
        job.result_name, job.result_type, job.result_size = result.file_name, result.content_type, len(result.data)
    db.session.commit()
    progress.clear(job_id)


def get_job(actor, job_id: int) -> Job:
    """Job `job_id` if `actor` asked for it; NotFound otherwise (also for other people's jobs)."""
    job = db.session.get(Job, job_id)
    if job is None or job.requested_by_id != actor.id:
        raise NotFound(_l("找不到这个任务。"))
    return job


def job_file(actor, job_id: int) -> tuple[Job, bytes]:
    """The file of a finished job of `actor`'s; NotFound when there is none or it has expired."""
    job = get_job(actor, job_id)
    data = db.session.scalar(select(JobFile.data).where(JobFile.job_id == job.id))
    if job.status != JOB_DONE or data is None or (job.expires_at and job.expires_at <= clock.now()):
        raise NotFound(_l("文件不存在或已过期，请重新生成。"))
    return job, data


def progress_of(job: Job) -> tuple[int, int | None]:
    """(done, total) of a job: live while it runs, final from its row once it ended."""
    if job.is_open:
        return progress.read(job.id) or (job.done, job.total)
    return job.done, job.total


def kind_label(job: Job):
    """The label of a job's kind, for lists."""
    _import_job_modules()
    kind = KINDS.get(job.kind)
    return kind.label if kind else job.kind


def message_of(job: Job) -> Deferred | None:
    """The job's outcome message, translated when shown."""
    return Deferred.from_json(job.message)


def recent_jobs(actor, limit: int = 20) -> list[Job]:
    """The person's latest jobs, newest first."""
    return list(db.session.scalars(select(Job).where(Job.requested_by_id == actor.id)
                                   .order_by(Job.id.desc()).limit(limit)))


@periodic("jobs.purge_expired_files", every=timedelta(minutes=10))
def purge_expired_files(now) -> str:
    """Delete job files whose time is up, and job rows older than 30 days."""
    expired = select(Job.id).where(Job.expires_at <= now)
    files = db.session.execute(delete(JobFile).where(JobFile.job_id.in_(expired))).rowcount
    rows = db.session.execute(delete(Job).where(Job.created_at <= now - timedelta(days=30))).rowcount
    return f"{files} files, {rows} jobs deleted"


@periodic("jobs.recover_stalled", every=timedelta(minutes=5))
def recover_stalled(now) -> str:
    """Dispatch again jobs queued for over 5 minutes; fail jobs running longer than the timeout."""
    timeout = timedelta(seconds=current_app.config["JOB_TIMEOUT_SECONDS"])
    stale = list(db.session.scalars(select(Job.id).where(Job.status == JOB_QUEUED,
                                                         Job.created_at <= now - timedelta(minutes=5))))
    failed = db.session.execute(
        update(Job).where(Job.status == JOB_RUNNING, Job.started_at <= now - timeout)
        .values(status=JOB_FAILED, finished_at=now,
                message=deferred("任务超时未完成，请重新提交。").as_json())
    ).rowcount
    db.session.commit()
    for job_id in stale:
        dispatch(job_id)
    return f"{len(stale)} dispatched again, {failed} timed out"
