"""Check-ins (带徒记录): the mentor records progress, the apprentice confirms or disputes it, and a
pair without a confirmed check-in in time is overdue.

Rules (docs/domain.md, "Mentoring": monthly progress records confirmed by the apprentice, overdue
records flagged to HR):
- Only the mentor records check-ins, and only for an active pair: a date from the pair's start to
  today, 0.1-300 hours, what was taught, the skill points practised, an optional photo.
- Only the apprentice confirms or disputes a pending check-in; a dispute needs a note.
- A confirmed check-in moves the pair's next due date to its date plus the frequency (a month or a
  quarter); a pair is overdue when that date is more than `grace_days` ago.
Check-ins are visible to whoever may see their pair (services.mentorship.policy.scope_pairs).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.mentorship import (
    ACTIVE,
    CHECKIN_CONFIRMED,
    CHECKIN_DISPUTED,
    CHECKIN_PENDING,
    FREQUENCY_MONTHS,
    CheckIn,
    MentorPair,
    MentorshipSettings,
)
from services.common import audit, uploads, validators
from services.errors import NotAllowed, NotFound, RuleViolation
from services.mentorship import checks, events
from services.mentorship import policy as mentorship_policy
from services.mentorship.settings import get_settings
from services.mentorship.terms import add_months, overdue_before, week_end

PHOTO_KINDS = ("image",)  # a check-in's site photo: JPG or PNG


def get_checkin(actor, checkin_id: int) -> CheckIn:
    """A check-in whose pair the actor may see, else NotFound."""
    stmt = mentorship_policy.scope_pairs(
        db.select(CheckIn).join(MentorPair, MentorPair.id == CheckIn.pair_id).where(CheckIn.id == checkin_id),
        actor)
    checkin = db.session.scalar(stmt)
    if checkin is None:
        raise NotFound(_l("找不到这条带徒记录。"))
    return checkin


def get_photo(actor, checkin_id: int):
    """The photo (a StoredFile) of a check-in the actor may see; NotFound when there is none."""
    checkin = get_checkin(actor, checkin_id)
    if checkin.photo is None:
        raise NotFound(_l("这条记录没有照片。"))
    return checkin.photo


def parse_hours(value) -> Decimal | None:
    """Hours as a Decimal with one decimal place (None when blank); RuleViolation on `hours` for
    anything else, more decimal places included (services.common.validators.read_decimal: refused,
    never rounded)."""
    return validators.read_decimal(value, places=1, field="hours")


def refuse_unless_recordable(actor, pair: MentorPair) -> None:
    """Only the mentor records check-ins (else NotAllowed), and only for an active pair (else
    RuleViolation)."""
    if pair.party(actor) != "mentor":
        raise NotAllowed(_l("只有师傅本人可以填写带徒记录。"))
    if pair.status != ACTIVE:
        raise RuleViolation(_l("只有带徒中的结对可以填写带徒记录。"))


def _check_date(pair: MentorPair, checkin_date: date | None) -> None:
    """A check-in's date is given, not in the future and not before the pair's start."""
    if checkin_date is None:
        raise RuleViolation(_l("请填写带徒日期。"), field="checkin_date")
    validators.refuse_future_date(checkin_date, "checkin_date")
    if checkin_date < pair.start_date:
        raise RuleViolation(_l("日期不能早于结对开始日期（%(day)s）。", day=pair.start_date.isoformat()),
                            field="checkin_date")


def record_checkin(actor, pair: MentorPair, *, checkin_date: date | None, hours, taught: str,
                   skill_points: str, photo=None) -> CheckIn:
    """The mentor records a progress check-in of an active pair, pending the apprentice's answer.

    `checkin_date` within the agreement and not in the future; `hours` a number of 0.1-300 hours
    (rounded to 0.1); `taught` required; `skill_points` required, at most 500 characters; `photo` an
    optional uploaded image. Raises NotAllowed for anyone but the mentor, RuleViolation (on the
    field concerned) otherwise.
    """
    refuse_unless_recordable(actor, pair)
    _check_date(pair, checkin_date)
    amount = parse_hours(hours) if hours is not None else None
    if amount is None or not Decimal("0") < amount <= Decimal("300"):
        raise RuleViolation(_l("带徒时长须在 0.1 到 300 小时之间。"), field="hours")
    taught = (taught or "").strip()
    if not taught:
        raise RuleViolation(_l("请写明传授的内容。"), field="taught")
    skill_points = (skill_points or "").strip()
    if not skill_points:
        raise RuleViolation(_l("请填写练习的技能要点。"), field="skill_points")
    if len(skill_points) > 500:
        raise RuleViolation(_l("技能要点不能超过 500 字。"), field="skill_points")
    stored = None
    if photo is not None and getattr(photo, "filename", None):
        stored = uploads.save_upload(actor, photo, allowed=PHOTO_KINDS, field="photo")
    checkin = CheckIn(pair_id=pair.id, checkin_date=checkin_date, hours=amount, taught=taught,
                      skill_points=skill_points, photo_id=stored.id if stored else None,
                      status=CHECKIN_PENDING, recorded_by_id=actor.id, recorded_at=clock.now())
    db.session.add(checkin)
    db.session.flush()
    audit.record("mentorship.checkin_recorded", actor=actor, obj=pair, checkin=checkin.id,
                 hours=str(amount), date=checkin_date.isoformat())
    events.checkin_recorded(checkin)
    return checkin


def respond_checkin(actor, checkin: CheckIn, *, confirm: bool, note: str = "") -> CheckIn:
    """The apprentice confirms (`confirm` True) or disputes a pending check-in; a dispute needs a
    note (at most 500 characters). A confirmed check-in later than the last one moves the pair's
    next due date to its date plus the frequency. Raises NotAllowed for anyone but the apprentice,
    RuleViolation for a check-in already answered or a dispute without a note."""
    pair = checkin.pair
    if pair.party(actor) != "apprentice":
        raise NotAllowed(_l("只有徒弟本人可以确认带徒记录。"))
    if checkin.status != CHECKIN_PENDING:
        raise RuleViolation(_l("这条带徒记录已经确认或提出异议，不能再次操作。"))
    note = (note or "").strip()
    if not confirm and not note:
        raise RuleViolation(_l("提出异议时请写明原因。"), field="note")
    note = checks.clean_note(note)
    old = checkin.status
    checkin.status = CHECKIN_CONFIRMED if confirm else CHECKIN_DISPUTED
    checkin.apprentice_note = note or None
    checkin.responded_at = clock.now()
    if confirm and (pair.last_checkin_on is None or checkin.checkin_date > pair.last_checkin_on):
        pair.last_checkin_on = checkin.checkin_date
        pair.next_checkin_due = add_months(checkin.checkin_date, FREQUENCY_MONTHS[pair.checkin_frequency])
    db.session.flush()
    audit.record("mentorship.checkin_answered", actor=actor, obj=pair, checkin=checkin.id, old=old,
                 new=checkin.status, note=note)
    events.checkin_answered(actor, pair)
    return checkin


def checkin_state(pair: MentorPair, today: date | None = None,
                  settings: MentorshipSettings | None = None) -> str | None:
    """'overdue' (no confirmed check-in within the frequency plus the grace days), 'due' (due by the
    end of this week) or 'ok'; None for a pair that is not active. Same rule as the dashboard's SQL
    (services.mentorship.reports.predicates)."""
    return checkin_states(today, settings)(pair)


def checkin_states(today: date | None = None, settings: MentorshipSettings | None = None):
    """checkin_state for the pairs of one list (ORM pairs or plain rows with status and
    next_checkin_due): a function of the pair alone, the rule's two days worked out once for `today`
    (default today) and the settings (default read)."""
    today = today or clock.today()
    settings = settings or get_settings()
    overdue, week = overdue_before(today, settings), week_end(today)

    def state(pair) -> str | None:
        due = pair.next_checkin_due
        if pair.status != ACTIVE or due is None:
            return None
        return "overdue" if due < overdue else "due" if due <= week else "ok"

    return state
