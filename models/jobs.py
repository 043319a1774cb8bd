"""Background jobs (exports, imports, report PDFs, sending) and the runs of periodic tasks.

A Job row is the durable record every app server sees: who asked, what, its state and, once done,
the file it produced (JobFile, kept until `expires_at`). Live progress while a job runs is kept in
the progress store of services.jobs (Redis when configured), and written to the row when it ends.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.l10n import lazy_gettext as _l
from models import db
from models.types import UTCDateTime, utcnow

JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED = "queued", "running", "done", "failed"
JOB_STATUS_LABELS = {
    JOB_QUEUED: _l("排队中"),
    JOB_RUNNING: _l("进行中"),
    JOB_DONE: _l("已完成"),
    JOB_FAILED: _l("失败"),
}
JOB_OPEN_STATUSES = (JOB_QUEUED, JOB_RUNNING)


class Job(db.Model):
    """One piece of long work asked for by one person; only that person sees it and its file."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=JOB_QUEUED, index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    # What the person reads on the job page when it ends (e.g. "已导出 46,000 条"), or why it failed:
    # a source text and its arguments ({"text": ..., "args": {...}}), translated when shown.
    message: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)  # the traceback, for the operator's eyes only
    result_name: Mapped[str | None] = mapped_column(String(200))
    result_type: Mapped[str | None] = mapped_column(String(100))
    result_size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    file: Mapped[JobFile | None] = relationship(uselist=False, cascade="all, delete-orphan", lazy="raise")

    @property
    def status_label(self):
        return JOB_STATUS_LABELS.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status in JOB_OPEN_STATUSES


class JobFile(db.Model):
    """The file a job produced, in the database so that every app server can hand it out."""

    __tablename__ = "job_file"

    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PeriodicRun(db.Model):
    """When a periodic task was last claimed: the guarded update on this row lets exactly one of
    several concurrent `flask tick` runs take each task per period."""

    __tablename__ = "periodic_run"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_outcome: Mapped[str | None] = mapped_column(String(200))
