"""Completion of a training programme (结业): the assessment (考核), each enrolment's progress, and finishing.

Rules (docs/domain.md, "Completion and certificates"):
- Assessment: where the programme's `assessment_required` is set, its owner records for each confirmed
  enrolment passed or failed and an optional score (0-100, two places); it may be corrected until the
  programme is finished, never after. Audited (training.assessment_recorded).
- Progress: the hours attended are the sum of the worker's TrainingAttendance.hours over the programme's
  classes; the hours required are `completion_percent`% of the programme's total class hours. A confirmed
  enrolment is complete when hours attended >= hours required (compared exactly, hours attended * 100 >=
  total * percent) AND, when the programme requires it, the assessment is passed. A programme without
  classes completes nobody.
- Finishing (status finished, finished_at): the owner finishes a published programme once its last class
  has ended (by the controllable clock). Every complete confirmed enrolment gets completed_at and a
  certificate code (services.common.verification.new_code); every other confirmed enrolment is recorded
  as not completed, its reason kept in `reason` (hours short, assessment failed or missing; stored as a
  Deferred's JSON and shown in the reader's language by `not_completed_reason`). Each worker
  gets a message (completed, with the certificate; or not completed, with the reason). Audited
  (training.programme_finished, with the counts).
Every refusal is a RuleViolation or NotAllowed with a Chinese message; nothing is written on a refusal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal

from sqlalchemy import bindparam, func, select, update

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, User, db
from models.training import (
    CONFIRMED,
    FINISHED,
    PUBLISHED,
    TrainingAttendance,
    TrainingClass,
    TrainingEnrolment,
    TrainingProgramme,
)
from services.common import audit, validators, verification
from services.common.i18n import Deferred, deferred
from services.errors import NotAllowed, RuleViolation
from services.messages import inbox
from services.training import classes, policy

# Assessment states of an enrolment.
NOT_REQUIRED, PENDING, PASSED, FAILED = "not_required", "pending", "passed", "failed"
ASSESSMENT_STATES = {
    NOT_REQUIRED: _l("无需考核"),
    PENDING: _l("待考核"),
    PASSED: _l("考核通过"),
    FAILED: _l("考核未通过"),
}
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Progress:
    """One enrolment's way to completion: hours attended and required (Decimal, one place), the
    programme's total hours, the assessment state (one of ASSESSMENT_STATES) and whether it is complete."""

    enrolment_id: int
    hours_attended: Decimal
    hours_required: Decimal
    total_hours: Decimal
    assessment: str
    complete: bool

    @property
    def assessment_label(self):
        return ASSESSMENT_STATES[self.assessment]

    @property
    def hours_short(self) -> bool:
        return not self._hours_met

    @property
    def _hours_met(self) -> bool:
        return self.total_hours > 0 and self.hours_attended * 100 >= self.total_hours * self._percent

    _percent: int = 80

    def reason(self):
        """Why it is not complete (a Deferred), None when it is."""
        if self.complete:
            return None
        if not self._hours_met:
            return deferred("学时不足：已完成 %(have)s 学时，须达到 %(need)s 学时。", have=str(self.hours_attended),
                            need=str(self.hours_required))
        return deferred("考核未通过。") if self.assessment == FAILED else deferred("未参加考核。")


def total_hours(programme) -> Decimal:
    """The sum of the programme's class hours (services.training.classes.total_hours), to one decimal."""
    return Decimal(classes.total_hours(programme.id)).quantize(ONE_PLACE)


def completion_page(programme, enrolments, *, finishing: bool):
    """The completion list's figures for one page of `enrolments` (as progress_of takes them): (progress by
    enrolment id as progress_of gives it, the programme's total hours as total_hours gives it, and with
    `finishing` finish_refusal's answer, else None). One query (a kept statement: core.statements.
    shared_statement, the programme and the page's workers bind parameters): the page's attended hours with
    the programme's total hours and its last class's end; without a row of them, one query of those two."""
    enrolments = list(enrolments)
    class_filter = TrainingClass.programme_id == programme.id
    rows = []
    if enrolments:
        rows = db.session.execute(shared_statement(("training.completion_page",), _page_hours_statement),
                                  {"completion_programme": programme.id,
                                   "completion_workers": [e.worker_id for e in enrolments]}).all()
    if rows:
        total, last = Decimal(rows[0][2]), rows[0][3]
    else:
        hours, last = db.session.execute(select(func.coalesce(func.sum(TrainingClass.hours), 0),
                                                func.max(TrainingClass.ends_at)).where(class_filter)).one()
        total = Decimal(hours or Decimal(0)).quantize(ONE_PLACE)
    attended = {worker_id: Decimal(hours or 0) for worker_id, hours, _total, _last in rows}
    progress = {e.id: _progress(programme, e, attended.get(e.worker_id, Decimal(0)), total) for e in enrolments}
    shown_total = next(iter(progress.values())).total_hours if progress else total
    return progress, shown_total, finish_refusal(programme, last_end=last) if finishing else None


def _page_hours_statement():
    """completion_page's statement: each of the workers' attended hours with the programme's total hours
    and its last class's end (bind parameters completion_programme and completion_workers, a list)."""
    programme, workers = bindparam("completion_programme"), bindparam("completion_workers", expanding=True)
    class_filter = TrainingClass.programme_id == programme
    class_total = select(func.coalesce(func.sum(TrainingClass.hours), 0)).where(class_filter).scalar_subquery()
    last_end = select(func.max(TrainingClass.ends_at)).where(class_filter).scalar_subquery()
    return (select(TrainingAttendance.worker_id, func.sum(TrainingAttendance.hours), class_total, last_end)
            .where(TrainingAttendance.programme_id == programme, TrainingAttendance.worker_id.in_(workers))
            .group_by(TrainingAttendance.worker_id))


def progress_of(programme, enrolments) -> dict[int, Progress]:
    """Progress of each of `enrolments` (of `programme`; objects or rows with id, worker_id, status and
    assessment_passed), by enrolment id, in one query whatever their number (the attended hours of all of
    them grouped by worker, with the programme's total hours)."""
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    class_total = (select(func.coalesce(func.sum(TrainingClass.hours), 0))
                   .where(TrainingClass.programme_id == programme.id).scalar_subquery())
    rows = db.session.execute(
        select(TrainingAttendance.worker_id, func.sum(TrainingAttendance.hours), class_total)
        .where(TrainingAttendance.programme_id == programme.id,
               TrainingAttendance.worker_id.in_([e.worker_id for e in enrolments]))
        .group_by(TrainingAttendance.worker_id)).all()
    attended = {worker_id: Decimal(hours or 0) for worker_id, hours, _total in rows}
    total = Decimal(rows[0][2]) if rows else total_hours(programme)
    return {e.id: _progress(programme, e, attended.get(e.worker_id, Decimal(0)), total) for e in enrolments}


def progress(enrolment: TrainingEnrolment) -> Progress:
    """One enrolment's progress (see progress_of)."""
    return progress_of(enrolment.programme, [enrolment])[enrolment.id]


def _progress(programme, enrolment, attended: Decimal, total: Decimal) -> Progress:
    total = total.quantize(ONE_PLACE)
    required = (total * programme.completion_percent / 100).quantize(ONE_PLACE, rounding=ROUND_UP)
    if not programme.assessment_required:
        state = NOT_REQUIRED
    elif enrolment.assessment_passed is None:
        state = PENDING
    else:
        state = PASSED if enrolment.assessment_passed else FAILED
    hours_met = total > 0 and attended * 100 >= total * programme.completion_percent
    complete = enrolment.status == CONFIRMED and hours_met and state in (NOT_REQUIRED, PASSED)
    return Progress(enrolment.id, attended.quantize(ONE_PLACE), required, total, state, complete,
                    _percent=programme.completion_percent)


def enrolments_query(actor, programme):
    """The confirmed enrolments of a programme for its completion page, by enrolment order, as plain rows
    of the columns the page and progress_of read (the enrolment's id, worker_id, status, assessment and
    completion columns, reason; worker_name, enterprise_name): no ORM objects. NotFound when the programme
    does not exist for `actor`; NotAllowed unless `actor` owns it or oversees it from a level above
    (read-only)."""
    require_overseer(actor, programme)
    return (select(TrainingEnrolment.id, TrainingEnrolment.worker_id, TrainingEnrolment.status,
                   TrainingEnrolment.assessment_passed, TrainingEnrolment.assessment_score,
                   TrainingEnrolment.completed_at, TrainingEnrolment.certificate_code,
                   TrainingEnrolment.certificate_revoked_at, TrainingEnrolment.reason,
                   User.name.label("worker_name"), Enterprise.name.label("enterprise_name"))
            .join(User, User.id == TrainingEnrolment.worker_id)
            .outerjoin(Enterprise, Enterprise.id == TrainingEnrolment.enterprise_id)
            .where(TrainingEnrolment.programme_id == programme.id, TrainingEnrolment.status == CONFIRMED)
            .order_by(TrainingEnrolment.id))


def require_overseer(actor, programme) -> None:
    """NotFound when the programme does not exist for `actor`; NotAllowed unless it is the owner or a
    level above."""
    if not policy.can_see_programme(actor, programme):
        policy.programme_not_found()
    if not policy.can_oversee(actor, programme):
        raise NotAllowed(policy.RUN_OWN_PROGRAMME)


def get_enrolment(actor, enrolment_id: int) -> TrainingEnrolment:
    """A confirmed or other enrolment of a programme `actor` may see; NotFound otherwise."""
    enrolment = db.session.get(TrainingEnrolment, enrolment_id)
    if enrolment is None or not policy.can_see_programme(actor, enrolment.programme):
        policy.programme_not_found()
    return enrolment


def record_assessment(actor, enrolment: TrainingEnrolment, passed: bool | None, score=None) -> None:
    """The owner records (or corrects) a confirmed enrolment's assessment: passed or failed, an optional
    score 0-100 (two places). Raises NotFound / NotAllowed (not the owner), RuleViolation when the
    programme asks no assessment, is not published (draft, cancelled, finished), the enrolment is not
    confirmed, the result is missing or the score out of range. Audited."""
    programme = enrolment.programme
    policy.require_runner(actor, programme)
    if not programme.assessment_required:
        raise RuleViolation(_l("这个培训项目不要求考核。"))
    if programme.status == FINISHED:
        raise RuleViolation(_l("培训项目已结业，考核结果不能再修改。"))
    if programme.status != PUBLISHED:
        raise RuleViolation(_l("培训项目尚未发布或已取消，不能登记考核。"))
    if enrolment.status != CONFIRMED:
        raise RuleViolation(_l("只能为已报名（非候补、未退出）的学员登记考核。"))
    if passed is None:
        raise RuleViolation(_l("请选择考核结果：通过或未通过。"), field="passed")
    score = validators.read_decimal(score, places=2, field="score") if score not in (None, "") else None
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        raise RuleViolation(_l("考核成绩应在 0 到 100 之间。"), field="score")
    before = {"passed": enrolment.assessment_passed, "score": enrolment.assessment_score}
    enrolment.assessment_passed = bool(passed)
    enrolment.assessment_score = score
    enrolment.assessed_at = clock.now()
    enrolment.assessed_by_id = actor.id
    audit.record("training.assessment_recorded", actor=actor, obj=enrolment, programme_id=programme.id,
                 passed=bool(passed), score=score, before=before)


def not_completed_reason(enrolment: TrainingEnrolment) -> str:
    """Why a finished programme's enrolment did not complete, in the reader's language ("" when none)."""
    if not enrolment.reason or enrolment.completed_at is not None:
        return ""
    try:
        return str(Deferred.from_json(json.loads(enrolment.reason)))
    except (ValueError, TypeError, KeyError):
        return enrolment.reason  # plain text


def last_class_end(programme):
    """When the programme's last class ends (UTC), None without classes."""
    return db.session.scalar(select(func.max(TrainingClass.ends_at)).where(TrainingClass.programme_id == programme.id))


_UNREAD = object()


def finish_refusal(programme, *, last_end=_UNREAD):
    """Why the programme cannot be finished now (a lazy Chinese message), None when it can; for the
    page's button and for `finish_programme`. `last_end`: last_class_end(programme) when already read."""
    if programme.status == FINISHED:
        return _l("培训项目已经结业。")
    if programme.status != PUBLISHED:
        return _l("只有已发布的培训项目可以结业。")
    last = last_class_end(programme) if last_end is _UNREAD else last_end
    if last is None:
        return _l("培训项目还没有班次，不能结业。")
    if last > clock.now():
        return _l("最后一个班次（%(end)s 结束）还没有结束，结束后才能结业。",
                  end=last.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M"))
    return None


def finish_programme(actor, programme) -> tuple[int, int]:
    """The owner finishes a programme (rules in the module docstring): status finished, finished_at;
    complete enrolments get completed_at and a certificate code, the others the reason they did not
    complete; every worker is told. Returns (completed, not completed). Raises NotFound / NotAllowed /
    RuleViolation (finish_refusal)."""
    policy.require_runner(actor, programme)
    refusal = finish_refusal(programme)
    if refusal is not None:
        raise RuleViolation(refusal)
    now = clock.now()
    # A guarded status change: of two owners finishing at once, one finishes and the other is refused.
    claimed = db.session.execute(update(TrainingProgramme).where(
        TrainingProgramme.id == programme.id, TrainingProgramme.status == PUBLISHED)
        .values(status=FINISHED, finished_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise RuleViolation(_l("培训项目已经结业。"))
    enrolments = list(db.session.scalars(select(TrainingEnrolment).where(
        TrainingEnrolment.programme_id == programme.id, TrainingEnrolment.status == CONFIRMED)
        .order_by(TrainingEnrolment.id)))
    progress = progress_of(programme, enrolments)
    notes, completed = [], 0
    link = inbox.link_to("training.my_certificates")
    for enrolment in enrolments:
        item = progress[enrolment.id]
        if item.complete:
            completed += 1
            enrolment.completed_at = now
            enrolment.certificate_code = verification.new_code()
            enrolment.reason = None
            notes.append(inbox.Note(enrolment.worker_id, "training.completed", deferred(
                "您已完成“%(name)s”，结业证书可以下载了。", name=programme.name), link=link))
        else:
            reason = item.reason()
            enrolment.reason = json.dumps(reason.as_json(), ensure_ascii=False)  # shown in the reader's language
            notes.append(inbox.Note(enrolment.worker_id, "training.not_completed", deferred(
                "您未达到“%(name)s”的结业要求。", name=programme.name), body=reason, link=link))
    db.session.refresh(programme, ["status", "finished_at"])
    db.session.flush()
    audit.record("training.programme_finished", actor=actor, obj=programme, completed=completed,
                 not_completed=len(enrolments) - completed)
    inbox.notify_each(notes)
    return completed, len(enrolments) - completed
