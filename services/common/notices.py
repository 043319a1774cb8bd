"""Public notice (公示): publishing results or honours for objections before they become final.

Rules:
- A notice runs for N working days (default 5) counted from the day after publication, and ends at
  midnight Asia/Shanghai after the last of them. Working days follow the official calendar
  (services.common.workdays); an end in a year whose schedule is not known yet is provisional (暂定).
- While it runs, any logged-in user may object under their real name (10-2000 characters).
- Only union admins publish, resolve objections (upheld or dismissed, always with a note) and
  finalise; a notice becomes final only after its period is over and every objection is resolved.
Each step is audited. The owning area reacts to the outcome (e.g. revises a result when upheld).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from core import clock
from models import db
from models.notices import (
    NOTICE_FINAL,
    NOTICE_OPEN,
    OBJECTION_DISMISSED,
    OBJECTION_PENDING,
    OBJECTION_UPHELD,
    Objection,
    PublicNotice,
)
from services import policy
from services.common import audit, workdays
from services.errors import NotAllowed, NotFound, RuleViolation

DEFAULT_WORKING_DAYS = 5


def run_from_now(notice: PublicNotice, working_days: int) -> None:
    """(Re)start `notice` now for `working_days` working days (services.common.workdays counts them)."""
    notice.published_at = clock.now()
    notice.working_days = working_days
    notice.ends_at, notice.provisional = workdays.notice_end(notice.published_at, working_days)


def notice_for(subject_type: str, subject_id: int) -> PublicNotice | None:
    return db.session.scalar(
        db.select(PublicNotice).where(
            PublicNotice.subject_type == subject_type, PublicNotice.subject_id == subject_id
        )
    )


def get_notice(notice_id: int) -> PublicNotice:
    notice = db.session.get(PublicNotice, notice_id)
    if notice is None:
        raise NotFound(_l("找不到这个公示。"))
    return notice


def get_objection(objection_id: int, subject_type: str, subject_id: int | None = None) -> Objection:
    """An objection to a notice of `subject_type` (and of `subject_id` when given), else NotFound."""
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.notice.subject_type != subject_type or (
            subject_id is not None and objection.notice.subject_id != subject_id):
        raise NotFound(_l("找不到这条异议。"))
    return objection


def is_running(notice: PublicNotice) -> bool:
    return notice.status == NOTICE_OPEN and clock.now() < notice.ends_at


def require_publisher(actor) -> None:
    """Only union admins publish notices (NotAllowed otherwise); areas call it before their own checks."""
    policy.require_admin(actor, _l("只有总工会管理员可以发布公示。"))


def publish(actor, subject_type: str, subject_id: int, title: str,
            working_days: int = DEFAULT_WORKING_DAYS) -> PublicNotice:
    """Open the notice of a subject (once per subject)."""
    require_publisher(actor)
    if not 1 <= working_days <= 30:
        raise RuleViolation(_l("公示期应为 1 到 30 个工作日。"), field="working_days")
    if notice_for(subject_type, subject_id) is not None:
        raise RuleViolation(_l("已经发布过公示。"))
    notice = PublicNotice(subject_type=subject_type, subject_id=subject_id, title=title, status=NOTICE_OPEN,
                          published_by_id=actor.id)
    run_from_now(notice, working_days)
    db.session.add(notice)
    db.session.flush()
    audit.record("notice.published", actor=actor, obj=notice, subject=f"{subject_type}:{subject_id}",
                 ends_at=notice.ends_at.isoformat())
    return notice


def file_objection(user, notice: PublicNotice, body: str) -> Objection:
    """Any logged-in user objects under their real name while the notice runs."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_l("请先登录，再以实名提出异议。"))
    if not is_running(notice):
        raise RuleViolation(_l("公示期已结束，不能再提出异议。"), field="body")
    body = (body or "").strip()
    if len(body) < 10:
        raise RuleViolation(_l("请具体说明异议的理由（至少 10 个字）。"), field="body")
    if len(body) > 2000:
        raise RuleViolation(_l("异议内容不能超过 2000 字。"), field="body")
    objection = Objection(notice=notice, objector_id=user.id, body=body, status=OBJECTION_PENDING)
    db.session.add(objection)
    db.session.flush()
    audit.record("notice.objection_filed", actor=user, obj=objection, notice_id=notice.id)
    return objection


def resolve_objection(actor, objection: Objection, upheld: bool, note: str) -> None:
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以处理异议。"))
    if objection.status != OBJECTION_PENDING:
        raise RuleViolation(_l("这条异议已经处理过了。"))
    note = (note or "").strip()
    if not note:
        raise RuleViolation(_l("请填写处理意见。"), field="note")
    objection.status = OBJECTION_UPHELD if upheld else OBJECTION_DISMISSED
    objection.resolution_note = note
    objection.resolved_by_id = actor.id
    objection.resolved_at = clock.now()
    audit.record("notice.objection_resolved", actor=actor, obj=objection, status=objection.status)


def pending_objections(notice: PublicNotice) -> int:
    return db.session.scalar(
        db.select(func.count(Objection.id)).where(
            Objection.notice_id == notice.id, Objection.status == OBJECTION_PENDING
        )
    )


def finalise(actor, notice: PublicNotice) -> None:
    """Make the noticed result final: the period is over and no objection is pending."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以确认公示结果。"))
    if notice.status == NOTICE_FINAL:
        raise RuleViolation(_l("公示结果已经确认。"))
    if clock.now() < notice.ends_at:
        raise RuleViolation(_l("公示期尚未结束。"))
    if pending_objections(notice):
        raise RuleViolation(_l("还有未处理的异议，处理完毕后才能确认结果。"))
    notice.status = NOTICE_FINAL
    notice.finalised_at = clock.now()
    notice.finalised_by_id = actor.id
    audit.record("notice.finalised", actor=actor, obj=notice)
