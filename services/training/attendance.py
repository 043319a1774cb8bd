"""Attendance of a training class besides the QR scan (services/training/signin.py): sign-out and hours,
the printed list ticked into the system, closing the class's attendance with its absences, and the
owner's corrections afterwards (docs/domain.md "Skills training: attendance"; issue 15).

Hours rule (one rule, everywhere):
- A worker present or late earns the class's full hours when they stay to the end: a sign-out no earlier
  than FULL_HOURS_BEFORE_END (15 minutes) before the class ends, or no sign-out at all by the time the
  class's attendance is closed (closing stands for "everyone still in the room stayed to the end"; sign-out
  is only needed to leave early).
- A worker who signs out earlier earns the class's hours pro rata by the time present (from the later of
  sign-in and start to the sign-out, over the class's length), rounded down to 0.5 h.
- Absent and excused earn 0. Hours are never above the class's hours.

Closing (close_attendance, the owner or the class assistant, once the class has started): every confirmed
enrolment of the programme without a row for the class gets an ABSENT row (hours 0), rows still without
hours are finalised by the rule above, sign-in closes. Audited. After closing, only the programme's
owner may change a row (correct_attendance / a list entry with a reason); each change is audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, User, db
from models.training import (
    ABSENT,
    ATTENDANCE_STATUSES,
    ATTENDED,
    BY_LIST,
    CONFIRMED,
    EXCUSED,
    LATE,
    PRESENT,
    TrainingAttendance,
    TrainingClass,
    TrainingEnrolment,
)
from services.common import audit
from services.errors import NotAllowed, NotFound, RuleViolation
from services.training import policy, signin

FULL_HOURS_BEFORE_END = timedelta(minutes=15)
HALF_HOUR = Decimal("0.5")
LIST_STATUSES = (PRESENT, LATE, EXCUSED)  # what the printed list ticks before closing
CORRECTION_STATUSES = (PRESENT, LATE, EXCUSED, ABSENT)  # and the owner afterwards


# --- hours ------------------------------------------------------------------------------------------------------

def hours_for(training_class: TrainingClass, status: str, signed_in_at: datetime | None,
              signed_out_at: datetime | None) -> Decimal:
    """The hours one attendance earns (the module's hours rule)."""
    hours = Decimal(training_class.hours)
    if status not in ATTENDED:
        return Decimal("0.0")
    if signed_out_at is None or signed_out_at >= training_class.ends_at - FULL_HOURS_BEFORE_END:
        return hours
    start = max(signed_in_at or training_class.starts_at, training_class.starts_at)
    length = (training_class.ends_at - training_class.starts_at).total_seconds()
    present = max((signed_out_at - start).total_seconds(), 0)
    share = hours * Decimal(present) / Decimal(length)
    rounded = (share / HALF_HOUR).to_integral_value(rounding=ROUND_FLOOR) * HALF_HOUR
    return min(max(rounded, Decimal("0.0")), hours)


def sign_out(worker, training_class: TrainingClass) -> TrainingAttendance:
    """The worker signs out of a class they signed in to (present or late), once, before its attendance is
    closed; the hours are computed now (hours_for). RuleViolation otherwise."""
    if training_class.closed_at is not None:
        raise RuleViolation(signin.ATTENDANCE_CLOSED)
    row = signin.attendance_of(worker, training_class)
    if row is None or row.status not in ATTENDED:
        raise RuleViolation(_l("您还没有签到，不能签退。"))
    if row.signed_out_at is not None:
        raise RuleViolation(_l("您已经签退过了。"))
    now = clock.now()
    if row.signed_in_at is not None and now < row.signed_in_at:
        raise RuleViolation(_l("您还没有签到，不能签退。"))
    row.signed_out_at = min(now, training_class.ends_at)
    row.hours = hours_for(training_class, row.status, row.signed_in_at, row.signed_out_at)
    db.session.flush()
    return row


# --- the list -----------------------------------------------------------------------------------------------

def _roster(programme_id):
    """roster_query's select for the programme `programme_id` (a value or a bind parameter)."""
    return (select(TrainingEnrolment.id, User.name.label("worker_name"), Enterprise.name.label("enterprise_name"))
            .join(User, User.id == TrainingEnrolment.worker_id)
            .outerjoin(Enterprise, Enterprise.id == TrainingEnrolment.enterprise_id)
            .where(TrainingEnrolment.programme_id == programme_id, TrainingEnrolment.status == CONFIRMED)
            .order_by(Enterprise.id.is_(None), Enterprise.name, Enterprise.id, User.employee_no.is_(None),
                      User.employee_no, User.name, TrainingEnrolment.id))


def roster_query(training_class: TrainingClass):
    """The confirmed enrolments of the class's programme in the order of a printed roster (the attendance
    list and the sign-in sheet): by enterprise (its name, then id; workers without one last), then
    employee number (工号, as stored; none last), then name, then enrolment. One query: the rows are found
    by the (programme_id, status) enrolment index and sorted by the database. Plain rows of the columns
    shown (id: the enrolment's, worker_name, enterprise_name or None), no ORM objects."""
    return _roster(training_class.programme_id)


_CLASS, _PROGRAMME = bindparam("attendance_class"), bindparam("attendance_programme")


def _counted(status: str):
    """The class's attendance rows of `status`, _CLASS bound: a scalar subquery run once per statement."""
    row = aliased(TrainingAttendance)
    return (select(func.count()).where(row.class_id == _CLASS, row.status == status).scalar_subquery()
            .label(f"count_{status}"))


def _roster_page_statement():
    """RosterPage's statement: roster_query's rows with each enrolment's attendance of the class joined
    (at most one: an attendance row is unique per class and worker, an enrolment is one worker's), the
    roster's size (COUNT(*) OVER (), before the limit) and the class's attendance rows per status (counts,
    one column each); _CLASS, _PROGRAMME, "limit" and "offset" bound."""
    return _roster(_PROGRAMME).add_columns(
        TrainingAttendance.id.label("attendance_id"), TrainingAttendance.status, TrainingAttendance.method,
        TrainingAttendance.signed_in_at, TrainingAttendance.signed_out_at, TrainingAttendance.hours,
        func.count().over().label("total"), *map(_counted, ATTENDANCE_STATUSES)).outerjoin(
        TrainingAttendance, (TrainingAttendance.class_id == _CLASS)
        & (TrainingAttendance.enrolment_id == TrainingEnrolment.id)).limit(bindparam("limit")).offset(
        bindparam("offset"))


class RosterPage(Pagination):
    """A page of the attendance list (roster_page) in one statement, the roster and the attendance counts
    read in it; only a page past the end (no rows) counts them in statements of their own."""

    def _query_items(self):
        training_class = self._query_args["training_class"]
        rows = db.session.execute(shared_statement(("training.attendance_roster_page",), _roster_page_statement), {
            _CLASS.key: training_class.id, _PROGRAMME.key: training_class.programme_id,
            "limit": self.per_page, "offset": self._query_offset}).all()
        self._total = rows[0].total if rows else None
        self.counts = ({code: getattr(rows[0], f"count_{code}") for code in ATTENDANCE_STATUSES} if rows
                       else counts(training_class))
        return rows

    def _query_count(self):
        if self._total is None:
            self._total = db.session.scalar(shared_statement(
                ("training.attendance_roster_count",),
                lambda: select(func.count()).select_from(_roster(_PROGRAMME).order_by(None).subquery())),
                {_PROGRAMME.key: self._query_args["training_class"].programme_id})
        return self._total


def roster_page(training_class: TrainingClass, page: int, per_page: int) -> Pagination:
    """Page `page` (from 1; past the end: empty) of the class's attendance list: roster_query's rows in its
    order, each with its attendance of the class joined as plain columns: besides id, worker_name and
    enterprise_name, attendance_id (None without an attendance row; status, method, signed_in_at,
    signed_out_at and hours are None then), status, method, signed_in_at, signed_out_at, hours. Also the
    page's `counts` (as counts() gives them). One query (a kept statement:
    core.statements.shared_statement), whatever the number of rows."""
    return RosterPage(page=page, per_page=per_page, max_per_page=None, error_out=False,
                      training_class=training_class)


def counts(training_class: TrainingClass) -> dict[str, int]:
    """Attendance rows of the class per status (one GROUP BY, a kept statement), every status present."""
    result = dict.fromkeys(ATTENDANCE_STATUSES, 0)
    result.update(db.session.execute(shared_statement(("training.attendance_counts",), lambda: select(
        TrainingAttendance.status, func.count()).where(TrainingAttendance.class_id == _CLASS).group_by(
        TrainingAttendance.status)), {_CLASS.key: training_class.id}).all())
    return result


def record_list(actor, training_class: TrainingClass, marks: dict[int, str], reason: str = "") -> int:
    """Tick the printed sign-in list into the system: `marks` maps enrolment ids to PRESENT, LATE or
    EXCUSED (ABSENT too after closing); enrolments not named are left as they are, and a mark equal to the
    row's status changes nothing. Before closing: the owner or the class assistant, rows method=list,
    present and late ones with the class's start as sign-in time unless scanned earlier (full hours: no
    sign-out). After closing: the owner only, with a reason, each change audited (correct_attendance).
    Enrolments that are not confirmed enrolments of the programme: NotFound.
    Returns the number of rows written."""
    policy.require_signin_runner(actor, training_class)
    if training_class.closed_at is not None:
        changed = 0
        for enrolment_id, status in marks.items():
            row = _row_for(training_class, enrolment_id)
            if row is None or row.status != status:
                correct_attendance(actor, training_class, enrolment_id, status, reason)
                changed += 1
        return changed
    enrolments = _enrolments(training_class, marks)
    changed: dict[int, str] = {}
    for enrolment_id, status in marks.items():
        if status not in LIST_STATUSES:
            raise RuleViolation(_l("请选择出勤、迟到或请假。"))
        enrolment = enrolments[enrolment_id]
        row = _row_for(training_class, enrolment_id)
        if row is not None and row.status == status:
            continue
        if row is None:
            row = _new_row(training_class, enrolment, actor)
        row.status, row.method, row.recorded_by_id, row.recorded_at = status, BY_LIST, actor.id, clock.now()
        row.signed_in_at = (row.signed_in_at or training_class.starts_at) if status in ATTENDED else None
        row.signed_out_at = None
        row.hours = hours_for(training_class, status, row.signed_in_at, None)
        changed[enrolment.worker_id] = status
    if changed:  # one record per list entry: each worker's new status
        audit.record("training.attendance_list", actor, training_class, statuses=changed)
    db.session.flush()
    return len(changed)


def _enrolments(training_class: TrainingClass, ids) -> dict[int, TrainingEnrolment]:
    ids = list(ids)
    found = {e.id: e for e in db.session.scalars(select(TrainingEnrolment).where(
        TrainingEnrolment.id.in_(ids), TrainingEnrolment.programme_id == training_class.programme_id,
        TrainingEnrolment.status == CONFIRMED))} if ids else {}
    if len(found) != len(set(ids)):
        raise NotFound(_l("找不到这个报名记录。"))
    return found


def _row_for(training_class: TrainingClass, enrolment_id: int) -> TrainingAttendance | None:
    return db.session.scalar(select(TrainingAttendance).where(
        TrainingAttendance.class_id == training_class.id, TrainingAttendance.enrolment_id == enrolment_id))


def _new_row(training_class: TrainingClass, enrolment: TrainingEnrolment, actor) -> TrainingAttendance:
    row = TrainingAttendance(class_id=training_class.id, programme_id=training_class.programme_id,
                             enrolment_id=enrolment.id, worker_id=enrolment.worker_id,
                             enterprise_id=enrolment.enterprise_id, status=ABSENT, method=BY_LIST,
                             recorded_by_id=getattr(actor, "id", None), recorded_at=clock.now(),
                             hours=Decimal("0.0"))
    db.session.add(row)
    return row


# --- closing and corrections ---------------------------------------------------------------------------------

def close_attendance(actor, training_class: TrainingClass) -> int:
    """Close the class's attendance (module docstring): owner or class assistant; RuleViolation before the
    class starts or when already closed. Returns the number of absences recorded."""
    policy.require_signin_runner(actor, training_class)
    if training_class.closed_at is not None:
        raise RuleViolation(signin.ATTENDANCE_CLOSED)
    now = clock.now()
    if now < training_class.starts_at:
        raise RuleViolation(_l("班次开始后才能结束考勤。"))
    for row in db.session.scalars(select(TrainingAttendance).where(
            TrainingAttendance.class_id == training_class.id, TrainingAttendance.signed_out_at.is_(None))):
        row.hours = hours_for(training_class, row.status, row.signed_in_at, None)
    recorded = db.session.scalars(select(TrainingAttendance.enrolment_id).where(
        TrainingAttendance.class_id == training_class.id)).all()
    missing = db.session.execute(select(TrainingEnrolment.id, TrainingEnrolment.worker_id,
                                        TrainingEnrolment.enterprise_id).where(
        TrainingEnrolment.programme_id == training_class.programme_id, TrainingEnrolment.status == CONFIRMED,
        TrainingEnrolment.id.not_in(recorded) if recorded else db.true())).all()
    if missing:
        db.session.execute(db.insert(TrainingAttendance), [
            {"class_id": training_class.id, "programme_id": training_class.programme_id, "enrolment_id": e.id,
             "worker_id": e.worker_id, "enterprise_id": e.enterprise_id, "status": ABSENT, "method": BY_LIST,
             "hours": Decimal("0.0"), "recorded_by_id": actor.id, "recorded_at": now, "updated_at": now}
            for e in missing])
    training_class.closed_at = now
    if training_class.signin_opened_at is not None and training_class.signin_closed_at is None:
        training_class.signin_closed_at = now
    audit.record("training.attendance_closed", actor, training_class, absent=len(missing))
    db.session.flush()
    return len(missing)


def correct_attendance(actor, training_class: TrainingClass, enrolment_id: int, status: str,
                       reason: str) -> TrainingAttendance:
    """After closing, the programme's owner changes one worker's status (hours follow the hours rule, the
    recorded sign-out kept); a reason is required; audited with the old and new status and hours.
    NotAllowed for the class assistant and others; RuleViolation before closing (tick the list instead)."""
    policy.require_signin_runner(actor, training_class)
    if not policy.can_run(actor, training_class.programme):
        raise NotAllowed(_l("考勤结束后只有主办方可以更正。"))
    if training_class.closed_at is None:
        raise RuleViolation(_l("考勤结束前请直接在签到表中勾选。"))
    if status not in CORRECTION_STATUSES:
        raise RuleViolation(_l("请选择出勤、迟到、请假或缺勤。"))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("考勤结束后更正须填写原因。"), field="reason")
    enrolment = _enrolments(training_class, [enrolment_id])[enrolment_id]
    row = _row_for(training_class, enrolment_id) or _new_row(training_class, enrolment, actor)
    before = (row.status, row.hours)
    row.status, row.recorded_by_id, row.recorded_at = status, actor.id, clock.now()
    if status in ATTENDED and row.signed_in_at is None:
        row.signed_in_at = training_class.starts_at
    row.hours = hours_for(training_class, status, row.signed_in_at, row.signed_out_at)
    db.session.flush()
    audit.record("training.attendance_corrected", actor, row, status_before=before[0], hours_before=before[1],
                 status=status, hours=row.hours, reason=reason)
    return row


def my_attendance(worker, class_id: int) -> tuple[TrainingClass, TrainingAttendance | None]:
    """A worker's own view of a class: the class (NotFound unless they hold a confirmed enrolment in its
    programme or the class is theirs to see) and their row."""
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None or signin.confirmed_enrolment(worker, training_class) is None:
        policy.class_not_found()
    return training_class, signin.attendance_of(worker, training_class)
