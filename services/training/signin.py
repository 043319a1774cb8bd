"""QR sign-in of a training class (签到, docs/domain.md "Skills training: attendance"; issue 15).

Rules:
- Sign-in is opened, shown and closed by the programme's owner or the class assistant
  (services.training.policy.can_run_signin), only within the class's sign-in window: from
  SIGNIN_OPENS_BEFORE (30 minutes) before the class starts until it ends. Opening makes a fresh random
  `signin_key`; closing keeps it (so the codes stop) and stamps `signin_closed_at`. Once the class's
  attendance is closed (`closed_at`, services.training.attendance.close_attendance) sign-in cannot open.
- The QR code changes every WINDOW_SECONDS (30 s): the code of window w (w = seconds since the epoch // 30)
  is the first CODE_LENGTH characters of the URL-safe base64 of HMAC-SHA256(signin_key, "class_id:w").
- Tolerance: a code is accepted when scanned in its own window or in the next one; a code shown at any
  moment therefore stays valid for at least 30 s and at most 60 s, and is stale 60 s after it was shown
  at the latest. A code of an older window is refused as stale ("二维码已过期，请扫描屏幕上的最新二维码"),
  anything else as not a sign-in code.
- The code is checked when it is scanned. A worker who is not logged in gets a signed carry token
  (itsdangerous, with the class and the scan time from core.clock) that travels through the login page in
  the `next` address; the worker is signed in when the login completes within TRAINING_SCAN_CARRY_MINUTES
  (default 5) of the scan, even though the code rotated meanwhile, with the scan time as sign-in time.
  Later, the carry is refused with a request to scan again.
- A worker is signed in once per class: a confirmed enrolment in the programme is needed; a second scan
  answers "already signed in" and writes nothing. The scan time must fall in the sign-in window; a scan
  later than the class's start plus TRAINING_LATE_MINUTES (default 10) is late (LATE), else PRESENT.
  Hours are credited at sign-out or when the attendance is closed (services.training.attendance).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.training import (
    ABSENT,
    BY_QR,
    CONFIRMED,
    EXCUSED,
    LATE,
    PRESENT,
    TrainingAttendance,
    TrainingClass,
    TrainingEnrolment,
)
from services.common import audit
from services.errors import NotFound, RuleViolation
from services.training import policy

WINDOW_SECONDS = 30
CODE_LENGTH = 10
SIGNIN_OPENS_BEFORE = timedelta(minutes=30)

STALE_CODE = _l("二维码已过期，请扫描屏幕上的最新二维码。")
BAD_CODE = _l("这不是有效的签到二维码，请扫描屏幕上的最新二维码。")
NOT_OPEN = _l("这个班次的签到没有开放。")
CARRY_EXPIRED = _l("扫码后登录超过了 %(minutes)s 分钟，请重新扫描屏幕上的二维码。")
NOT_ENROLLED = _l("您没有报名这个培训项目（或报名尚未确认），不能签到。")
OUTSIDE_WINDOW = _l("现在不在这个班次的签到时间内（开课前 30 分钟至下课）。")
ATTENDANCE_CLOSED = _l("这个班次的考勤已经结束。")
NOT_ENROLLED_FIELD = "enrolment"  # the refusal's field: the page answers it with 403


# --- the window ---------------------------------------------------------------------------------------------

def signin_window(training_class: TrainingClass) -> tuple[datetime, datetime]:
    """The sign-in window of a class: from 30 minutes before its start to its end."""
    return training_class.starts_at - SIGNIN_OPENS_BEFORE, training_class.ends_at


def in_signin_window(training_class: TrainingClass, moment: datetime) -> bool:
    start, end = signin_window(training_class)
    return start <= moment <= end


def is_open(training_class: TrainingClass) -> bool:
    """Sign-in of the class is open now: opened, not closed, attendance not closed."""
    return bool(training_class.signin_key and training_class.signin_opened_at
                and training_class.signin_closed_at is None and training_class.closed_at is None)


def open_signin(actor, training_class: TrainingClass) -> TrainingClass:
    """Open the class's sign-in with a fresh key. Owner or class assistant only (NotAllowed / NotFound);
    RuleViolation outside the sign-in window or once the attendance is closed. Audited."""
    policy.require_signin_runner(actor, training_class)
    if training_class.closed_at is not None:
        raise RuleViolation(ATTENDANCE_CLOSED)
    now = clock.now()
    if not in_signin_window(training_class, now):
        raise RuleViolation(_l("只能在开课前 30 分钟至下课之间开启签到。"))
    training_class.signin_key = secrets.token_urlsafe(32)
    training_class.signin_opened_at = now
    training_class.signin_closed_at = None
    audit.record("training.signin_opened", actor, training_class)
    db.session.flush()
    return training_class


def close_signin(actor, training_class: TrainingClass) -> TrainingClass:
    """Stop the codes: later scans are refused (a carry already under way still completes). Owner or class
    assistant only. Audited."""
    policy.require_signin_runner(actor, training_class)
    if not is_open(training_class):
        raise RuleViolation(NOT_OPEN)
    training_class.signin_closed_at = clock.now()
    audit.record("training.signin_closed", actor, training_class)
    db.session.flush()
    return training_class


# --- codes ----------------------------------------------------------------------------------------------------

def window_of(moment: datetime) -> int:
    return int(moment.timestamp()) // WINDOW_SECONDS


def code_for(training_class: TrainingClass, window: int) -> str:
    """The code of `window` (HMAC-SHA256 of the class's key, short, URL-safe)."""
    digest = hmac.new(training_class.signin_key.encode(), f"{training_class.id}:{window}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:CODE_LENGTH]


def current_code(training_class: TrainingClass) -> str:
    """The code shown now (sign-in must be open)."""
    return code_for(training_class, window_of(clock.now()))


def seconds_left(moment: datetime | None = None) -> int:
    """Seconds until the code shown at `moment` (default now) is replaced (1..30)."""
    moment = moment or clock.now()
    return WINDOW_SECONDS - int(moment.timestamp()) % WINDOW_SECONDS


def check_code(training_class: TrainingClass, code: str, moment: datetime) -> None:
    """RuleViolation unless `code` is the code of the window of `moment` or of the window before it: the
    stale message for an older code of this opening, the bad-code message otherwise; NOT_OPEN when
    sign-in is not open."""
    if not is_open(training_class):
        raise RuleViolation(NOT_OPEN)
    window = window_of(moment)
    if any(hmac.compare_digest(code, code_for(training_class, w)) for w in (window, window - 1)):
        return
    first = window_of(training_class.signin_opened_at)
    if any(hmac.compare_digest(code, code_for(training_class, w)) for w in range(window - 2, first - 1, -1)):
        raise RuleViolation(STALE_CODE)
    raise RuleViolation(BAD_CODE)


# --- scans ------------------------------------------------------------------------------------------------------

@dataclass
class ScanResult:
    attendance: TrainingAttendance
    already: bool  # signed in before: nothing written


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="training-scan-carry")


def verify_scan(class_id: int, code: str) -> str:
    """A scan by someone not logged in: check the code now and answer a signed carry token holding the
    class and the scan time. NotFound for no such class; RuleViolation as check_code."""
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        policy.class_not_found()
    now = clock.now()
    check_code(training_class, code, now)
    return _serializer().dumps({"c": training_class.id, "t": int(now.timestamp())})


def read_carry(class_id: int, token: str) -> datetime:
    """The scan time a carry token proves for `class_id`; NotFound when forged or for another class,
    RuleViolation when older than TRAINING_SCAN_CARRY_MINUTES."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        raise NotFound(BAD_CODE) from None
    if not isinstance(data, dict) or data.get("c") != class_id or not isinstance(data.get("t"), int):
        raise NotFound(BAD_CODE)
    scanned_at = datetime.fromtimestamp(data["t"], UTC)
    minutes = current_app.config["TRAINING_SCAN_CARRY_MINUTES"]
    if clock.now() - scanned_at > timedelta(minutes=minutes) or scanned_at > clock.now():
        raise RuleViolation(CARRY_EXPIRED % {"minutes": minutes})
    return scanned_at


def scan(worker, class_id: int, code: str) -> ScanResult:
    """A logged-in worker scans the code: checked now (check_code), then signed in (sign_in_at)."""
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        policy.class_not_found()
    now = clock.now()
    check_code(training_class, code, now)
    return sign_in_at(worker, training_class, now)


def scan_carried(worker, class_id: int, token: str) -> ScanResult:
    """After the login: the scan proven by the carry token (read_carry) signs the worker in as of the scan
    time, though the code has rotated since."""
    scanned_at = read_carry(class_id, token)
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        policy.class_not_found()
    return sign_in_at(worker, training_class, scanned_at)


def confirmed_enrolment(worker, training_class: TrainingClass) -> TrainingEnrolment | None:
    return db.session.scalar(select(TrainingEnrolment).where(
        TrainingEnrolment.programme_id == training_class.programme_id, TrainingEnrolment.worker_id == worker.id,
        TrainingEnrolment.status == CONFIRMED))


def attendance_of(worker, training_class: TrainingClass) -> TrainingAttendance | None:
    return db.session.scalar(select(TrainingAttendance).where(
        TrainingAttendance.class_id == training_class.id, TrainingAttendance.worker_id == worker.id))


def status_at(training_class: TrainingClass, moment: datetime) -> str:
    """LATE when `moment` is later than the start plus TRAINING_LATE_MINUTES, else PRESENT."""
    grace = timedelta(minutes=current_app.config["TRAINING_LATE_MINUTES"])
    return LATE if moment > training_class.starts_at + grace else PRESENT


def sign_in_at(worker, training_class: TrainingClass, moment: datetime) -> ScanResult:
    """Sign `worker` in for the class as of `moment` (the scan time). Rules in the module docstring:
    RuleViolation when the attendance is closed or `moment` is outside the sign-in window, and without a
    confirmed enrolment (field NOT_ENROLLED_FIELD, so the scan page answers 403 with the message). A row
    the organiser ticked absent or excused on the list before the class closed is replaced by the scan.
    Once per class (the unique row is the last word)."""
    if training_class.closed_at is not None:
        raise RuleViolation(ATTENDANCE_CLOSED)
    if not in_signin_window(training_class, moment):
        raise RuleViolation(OUTSIDE_WINDOW)
    enrolment = confirmed_enrolment(worker, training_class)
    if enrolment is None:
        raise RuleViolation(NOT_ENROLLED, field=NOT_ENROLLED_FIELD)
    existing = attendance_of(worker, training_class)
    status = status_at(training_class, moment)
    if existing is not None:
        if existing.status not in (ABSENT, EXCUSED):
            return ScanResult(existing, already=True)
        existing.status, existing.method, existing.signed_in_at = status, BY_QR, moment
        existing.recorded_by_id = worker.id
        db.session.flush()
        return ScanResult(existing, already=False)
    row = TrainingAttendance(class_id=training_class.id, programme_id=training_class.programme_id,
                             enrolment_id=enrolment.id, worker_id=worker.id, enterprise_id=worker.enterprise_id,
                             status=status, method=BY_QR, signed_in_at=moment, recorded_by_id=worker.id,
                             recorded_at=clock.now())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # a second scan of the same worker at the same moment won
        return ScanResult(attendance_of(worker, training_class), already=True)
    return ScanResult(row, already=False)


# --- the QR image ---------------------------------------------------------------------------------------------

def qr_svg(data: str, size: int = 280) -> str:
    """A compact SVG of the QR code of `data` (one path; reportlab's encoder, as the PDFs use)."""
    from reportlab.graphics.barcode import qrencoder

    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(data)
    qr.make()
    count = qr.getModuleCount()
    quiet = 4
    total = count + 2 * quiet
    path = "".join(f"M{c + quiet} {r + quiet}h1v1h-1z" for r in range(count) for c in range(count)
                   if qr.isDark(r, c))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {total} {total}" '
            f'shape-rendering="crispEdges"><rect width="{total}" height="{total}" fill="#fff"/>'
            f'<path d="{path}" fill="#000"/></svg>')
