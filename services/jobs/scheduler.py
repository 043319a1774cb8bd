"""Periodic tasks: time-driven work (reminders, notice periods that end, transfers that time out,
expired activation codes, job files to delete) run by one idempotent command, `flask tick`.

Rules:
- `tick()` runs every registered task that is due: one whose last start is at least its period ago.
- Several copies may run at once (two servers' timers, a slow run overlapping the next): each task is
  claimed with a guarded update of its PeriodicRun row (`last_started_at` moved forward only if it is
  still old enough), so exactly one copy runs it per period. The tasks are idempotent too, so a task
  that fails half-way is simply run again next time.
- Production runs `flask tick` every few minutes from cron or a systemd timer; `make run` runs it in a
  thread of the app (RUN_SCHEDULER=1).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from core import clock
from models import db
from models.jobs import PeriodicRun

# Modules that register periodic tasks (imported by tick()).
TASK_MODULES: tuple[str, ...] = ("services.jobs.queue", "services.messages.delivery", "services.messages.reminders",
                                 "services.messages.digest", "services.common.once", "services.common.uploads",
                                 "services.accounts.transfers", "services.common.statistics")


@dataclass
class PeriodicTask:
    name: str
    every: timedelta
    func: Callable[[datetime], str | None]


TASKS: dict[str, PeriodicTask] = {}


def periodic(name: str, every: timedelta):
    """Register `func(now) -> short outcome text` to run at most once per `every`."""

    def decorator(func):
        TASKS[name] = PeriodicTask(name, every, func)
        return func

    return decorator


def _claim(task: PeriodicTask, now: datetime) -> bool:
    if db.session.get(PeriodicRun, task.name) is None:
        try:
            with db.session.begin_nested():
                db.session.add(PeriodicRun(name=task.name))
        except IntegrityError:
            pass  # another copy inserted it first
    claimed = db.session.execute(
        update(PeriodicRun)
        .where(PeriodicRun.name == task.name,
               or_(PeriodicRun.last_started_at.is_(None), PeriodicRun.last_started_at <= now - task.every))
        .values(last_started_at=now)
    ).rowcount
    db.session.commit()
    return bool(claimed)


def tick(now: datetime | None = None) -> dict[str, str]:
    """Run every due task once; returns {task name: outcome} of those this call ran."""
    for module in TASK_MODULES:
        importlib.import_module(module)
    now = now or clock.now()
    ran = {}
    for task in list(TASKS.values()):
        if not _claim(task, now):
            continue
        try:
            outcome = task.func(now) or "ok"
            db.session.commit()
        except Exception as error:  # one failing task must not stop the others
            db.session.rollback()
            current_app.logger.exception("periodic task %s failed", task.name)
            outcome = f"failed: {type(error).__name__}"
        db.session.execute(update(PeriodicRun).where(PeriodicRun.name == task.name)
                           .values(last_finished_at=clock.now(), last_outcome=outcome[:200]))
        db.session.commit()
        ran[task.name] = outcome
    return ran


def last_runs() -> list[PeriodicRun]:
    """Every task's last run, for the admin's system page."""
    return list(db.session.scalars(select(PeriodicRun).order_by(PeriodicRun.name)))


def start_thread(app, interval_seconds: int) -> threading.Thread:
    """Run `tick()` every `interval_seconds` in a daemon thread of this process (`make run`)."""
    stop = threading.Event()

    def loop():
        while True:
            with app.app_context():
                try:
                    tick()
                except Exception:
                    app.logger.exception("scheduler tick failed")
                finally:
                    db.session.remove()
            if stop.wait(interval_seconds):
                return

    thread = threading.Thread(target=loop, name="scheduler", daemon=True)
    thread.stop = stop
    thread.start()
    return thread
