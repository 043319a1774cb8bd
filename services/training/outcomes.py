"""What a worker's enrolment has come to, as the worker sees it: one answer for "我的培训" and the growth
record (services/growth/timeline.py), so the two never contradict "我的培训结业" (my_certificates).

Rule (docs/domain.md, "Completion and certificates"): a confirmed enrolment is
- 已结业 (COMPLETED) once it completed (completed_at; a revoked certificate still says so, with its date);
- 未结业 (NOT_COMPLETED) when its programme finished without it, with the reason kept at finishing
  (services.training.completion.not_completed_reason);
- 未开始 (NOT_STARTED) before its programme's first class starts (without classes: before its first day);
- 培训中 (IN_PROGRESS) otherwise.
Any other enrolment (候补, 已退出, 未通过审核) or one in a cancelled programme has no outcome (None): its own
status says it. The first class of each programme comes from one grouped query over the class index.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.training import CANCELLED, CONFIRMED, FINISHED, TrainingClass, TrainingEnrolment

COMPLETED, NOT_COMPLETED, NOT_STARTED, IN_PROGRESS = "completed", "not_completed", "not_started", "in_progress"
OUTCOME_LABELS = {
    COMPLETED: _l("已结业"),
    NOT_COMPLETED: _l("未结业"),
    NOT_STARTED: _l("未开始"),
    IN_PROGRESS: _l("培训中"),
}


def first_class_starts(programme_ids) -> dict[int, datetime]:
    """Programme id -> the start of its first class (UTC), for programmes with classes (one query)."""
    ids = set(programme_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(TrainingClass.programme_id, func.min(TrainingClass.starts_at))
                                   .where(TrainingClass.programme_id.in_(ids))
                                   .group_by(TrainingClass.programme_id)).all())


def first_class_start_of(enrolment_column):
    """A correlated scalar subquery: the first class start of the programme of `enrolment_column`'s row."""
    return (select(func.min(TrainingClass.starts_at)).where(TrainingClass.programme_id == enrolment_column)
            .correlate(TrainingEnrolment).scalar_subquery())


def outcome(enrolment: TrainingEnrolment, first_class_start: datetime | None) -> str | None:
    """The outcome key of `enrolment` (see the module rule), None when it has none; `first_class_start`
    is its programme's first class start (first_class_starts), None without classes."""
    programme = enrolment.programme
    return outcome_of(enrolment.status, enrolment.completed_at, programme.status, programme.starts_on,
                      first_class_start)


def outcome_of(status: str, completed_at: datetime | None, programme_status: str, starts_on,
               first_class_start: datetime | None) -> str | None:
    """`outcome` from plain columns: the enrolment's status and completion time, its programme's status
    and first day, the programme's first class start (None without classes)."""
    if status != CONFIRMED or programme_status == CANCELLED:
        return None
    if completed_at is not None:
        return COMPLETED
    if programme_status == FINISHED:
        return NOT_COMPLETED
    if first_class_start is None:
        return NOT_STARTED if clock.today() < starts_on else IN_PROGRESS
    return NOT_STARTED if clock.now() < first_class_start else IN_PROGRESS


def outcomes_of(enrolments) -> dict[int, str | None]:
    """Enrolment id -> its outcome key, for a page of enrolments with their programmes (one query)."""
    firsts = first_class_starts(e.programme_id for e in enrolments)
    return {e.id: outcome(e, firsts.get(e.programme_id)) for e in enrolments}
