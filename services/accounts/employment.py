"""Employment history (任职记录) and leaving an enterprise (离职).

Rules:
- Every period of a person at an enterprise is an Employment row (enterprise, employee number, trade,
  from, to, how it ended); `user.enterprise_id` is the current employer. A person added to an enterprise
  (people.create_account, a completed transfer) gets an open employment.
- HR of the person's current employer (or a union admin) records the leave date (离职): not before the
  employment began, at most 90 days ahead (RuleViolation otherwise), once (RuleViolation when already
  recorded). The employment's `ended_on` is the leave date.
- The leave takes effect ON the leave date: at once when the date is today or past, otherwise by the
  periodic task `accounts.leaves` (services.jobs.scheduler, `flask tick`) on that day; until then the
  person is still the enterprise's. A scheduled step, not an on-read rule: what it ends (roles,
  commitments) must also tell the HR concerned, which a read cannot do.
- When a leave takes effect (`leave_effective`): user.enterprise_id moves to the new employer (a
  transfer) or to none; the employee number and trade follow; the HR role ends (it is tied to the
  enterprise); city-wide roles (union admin, judge: judges are appointed by the union, not by an
  enterprise, in this platform) and the worker role stay, so the person keeps a login and their growth
  record. Open commitments at the old enterprise end: an open mentor pair is dissolved (proposed) or
  ended early (active) with the reason 离职, unless the other side now works at the same new enterprise;
  the person's own open competition entries are withdrawn through the registration service (its
  waitlist promotion follows; an entry whose window has closed stays, the person competed for that
  enterprise); nominations not yet reviewed are withdrawn; the person leaves the judging panels of the
  enterprise's own campaigns and selection contests still being judged (their unmarked assignments go
  back to the owner; marks given stay). Each tells the HR concerned (accounts.events).
Records keep their enterprise_id: what was done at A stays A's.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Employment, Role, User, db
from models.competitions import ACTIVE_STATUSES, CompetitionRegistration
from models.employment import ENDED_LEFT, ENDED_TRANSFERRED
from models.mentorship import ACTIVE, DISSOLVED, ENDED_EARLY, PROPOSED, MentorPair
from models.titles import NOMINATION_SUBMITTED, NOMINATION_WITHDRAWN, Nomination
from services import policy
from services.common import audit
from services.errors import NotFound, RuleViolation

LEAVE_REASON = "离职"
MAX_DAYS_AHEAD = 90


def open_employment(user: User, *, started_on: date | None = None) -> Employment:
    """Open the employment of `user` at their current enterprise (employee number and trade as on the
    account; `started_on` defaults to the hire date). Flushed."""
    employment = Employment(user_id=user.id, enterprise_id=user.enterprise_id, employee_no=user.employee_no,
                            trade_id=user.trade_id, started_on=started_on or user.hire_date)
    db.session.add(employment)
    db.session.flush()
    return employment


def current_employment(user: User) -> Employment | None:
    """The open employment at the person's current enterprise (None without one)."""
    if user.enterprise_id is None:
        return None
    return db.session.scalar(select(Employment).where(
        Employment.user_id == user.id, Employment.enterprise_id == user.enterprise_id,
        Employment.closed_at.is_(None)).order_by(Employment.id.desc()).limit(1))


def history(user: User) -> list[Employment]:
    """Every employment of the person, newest first (one query)."""
    return list(db.session.scalars(select(Employment).options(db.joinedload(Employment.enterprise),
                                                               db.joinedload(Employment.trade))
                                   .where(Employment.user_id == user.id).order_by(Employment.id.desc())))


def leave_dates(user_ids) -> dict[int, date]:
    """{user id: leave date (离职日期)} for a page of people, in one query: the `ended_on` of each
    person's latest employment when it has one (a leave recorded, in effect or still to come); people
    employed without a recorded leave, or without any employment, are absent."""
    ids = list({i for i in user_ids if i is not None})
    if not ids:
        return {}
    latest = (select(func.max(Employment.id)).where(Employment.user_id.in_(ids))
              .group_by(Employment.user_id).scalar_subquery())
    rows = db.session.execute(select(Employment.user_id, Employment.ended_on).where(
        Employment.id.in_(latest), Employment.ended_on.is_not(None)))
    return dict(rows.all())


def leave_date(user: User) -> date | None:
    """The person's leave date as `leave_dates` reads it (one query)."""
    return leave_dates([user.id]).get(user.id)


def can_record_leave(actor, person: User) -> bool:
    """HR of the person's current employer (not for a union admin's account), or a union admin, for a
    person with an employer."""
    if person.enterprise_id is None:
        return False
    if policy.is_admin(actor):
        return True
    return (policy.is_hr(actor) and actor.enterprise_id == person.enterprise_id
            and not person.has_role(Role.ADMIN))


def record_leave(actor, person: User, leave_date: date | None) -> Employment:
    """Record that `person` leaves their current employer on `leave_date` (rules in the module
    docstring). NotFound unless `can_record_leave`; RuleViolation(field="leave_date") for a missing,
    too early or too distant date, or a leave already recorded. Audited; takes effect at once when the
    date is today or past."""
    if not can_record_leave(actor, person):
        raise NotFound(_l("找不到这个在职人员。"))
    if leave_date is None:
        raise RuleViolation(_l("请填写离职日期。"), field="leave_date")
    employment = current_employment(person) or open_employment(person)
    if employment.ended_on is not None:
        raise RuleViolation(_l("已登记离职日期 %(day)s。", day=employment.ended_on.isoformat()), field="leave_date")
    if employment.started_on and leave_date < employment.started_on:
        raise RuleViolation(_l("离职日期不能早于入职日期。"), field="leave_date")
    if leave_date > clock.today() + timedelta(days=MAX_DAYS_AHEAD):
        raise RuleViolation(_l("离职日期最多可提前 90 天登记。"), field="leave_date")
    employment.ended_on = leave_date
    employment.end_reason = ENDED_LEFT
    audit.record("account.leave_recorded", actor=actor, obj=person, enterprise_id=employment.enterprise_id,
                 leave_date=leave_date.isoformat())
    if leave_date <= clock.today():
        from services.accounts import transfers

        transfers.continue_after_leave(actor, person)  # a confirmed transfer completes (and closes this)
        leave_effective(actor, person, employment)
    db.session.flush()
    return employment


def leave_effective(actor, person: User, employment: Employment, *, new_enterprise_id: int | None = None) -> None:
    """The leave of `employment` takes effect (rules in the module docstring): the person moves to
    `new_enterprise_id` (None: no employer), the HR role ends, open commitments at the old enterprise
    end and the HR concerned are told. Idempotent: an employment already closed changes nothing."""
    from services.accounts import events

    if employment.closed_at is not None:
        return
    old = employment.enterprise_id
    employment.closed_at = clock.now()
    if employment.ended_on is None:
        employment.ended_on = clock.today()
        employment.end_reason = ENDED_LEFT
    if person.enterprise_id == old:
        person.enterprise_id = new_enterprise_id
        person.employee_no = None
    for row in list(person.role_rows):
        if row.role == Role.HR.value:
            person.role_rows.remove(row)
            audit.record("account.role_revoked", actor=actor, obj=person, enterprise_id=old, role=row.role,
                         reason=LEAVE_REASON)
    db.session.flush()
    ended = _end_pairs(actor, person, old, new_enterprise_id)
    ended += _withdraw_registrations(person, old)
    ended += _withdraw_nominations(actor, person, old)
    ended += _leave_panels(actor, person, old)
    audit.record("account.left", actor=actor, obj=person, enterprise_id=old,
                 leave_date=employment.ended_on.isoformat(), to_enterprise_id=new_enterprise_id)
    events.person_left(person, old, ended)


def _end_pairs(actor, person: User, enterprise_id: int, new_enterprise_id: int | None) -> list[str]:
    from services.mentorship import lifecycle
    from services.mentorship.terms import credit_window_end

    pairs = db.session.scalars(select(MentorPair).where(
        MentorPair.enterprise_id == enterprise_id, MentorPair.status.in_((PROPOSED, ACTIVE)),
        (MentorPair.mentor_id == person.id) | (MentorPair.apprentice_id == person.id)))
    ended = []
    for pair in pairs:
        other_id = pair.apprentice_id if pair.mentor_id == person.id else pair.mentor_id
        other_enterprise = db.session.scalar(select(User.enterprise_id).where(User.id == other_id))
        if new_enterprise_id is not None and other_enterprise == new_enterprise_id:
            continue  # both sides are now at the same enterprise: the pair goes on
        today = clock.today()
        if pair.status == PROPOSED:
            lifecycle.transition(actor, pair, DISSOLVED, LEAVE_REASON)
            pair.end_reason = "dissolved"
            pair.credit_until = None
        else:
            lifecycle.transition(actor, pair, ENDED_EARLY, LEAVE_REASON)
            pair.end_reason = "left_company"
            pair.credit_until = credit_window_end(today)
        pair.ended_on = today
        pair.end_note = LEAVE_REASON
        ended.append("pair")
    db.session.flush()
    return ended


def _withdraw_registrations(person: User, enterprise_id: int) -> list[str]:
    from services.competitions import registration as registrations
    from services.competitions.setup import is_registration_open

    entries = list(db.session.scalars(select(CompetitionRegistration).where(
        CompetitionRegistration.worker_id == person.id, CompetitionRegistration.enterprise_id == enterprise_id,
        CompetitionRegistration.status.in_(ACTIVE_STATUSES), CompetitionRegistration.team_name.is_(None))))
    withdrawn = []
    for entry in entries:
        if not is_registration_open(entry.competition):
            continue  # the window closed: the person competed for the enterprise, the entry stays
        registrations.withdraw(person, entry)
        withdrawn.append("registration")
    return withdrawn


def _withdraw_nominations(actor, person: User, enterprise_id: int) -> list[str]:
    nominations = list(db.session.scalars(select(Nomination).where(
        Nomination.worker_id == person.id, Nomination.enterprise_id == enterprise_id,
        Nomination.status == NOMINATION_SUBMITTED)))
    for nomination in nominations:
        nomination.status = NOMINATION_WITHDRAWN
        audit.record("nomination.withdrawn", actor=actor, obj=nomination, reason=LEAVE_REASON)
    db.session.flush()
    return ["nomination"] * len(nominations)


def _leave_panels(actor, person: User, enterprise_id: int) -> list[str]:
    """The judging panels of the old enterprise's own events still being judged end for the person."""
    from services.competitions.leaving import end_enterprise_judging
    from services.proposals.assignment import end_enterprise_panels

    count = end_enterprise_panels(actor, person, enterprise_id) + end_enterprise_judging(actor, person, enterprise_id)
    return ["panel"] * count


def enterprise_changed(actor, person: User, old_enterprise_id: int | None) -> None:
    """A union admin moved the person to another enterprise (or to none) by editing the account: the
    employment at the old one ends today as a leave that takes effect at once (`leave_effective`), and
    one opens at the new one from today (or the hire date given, if later)."""
    if old_enterprise_id is not None:
        old = db.session.scalar(select(Employment).where(
            Employment.user_id == person.id, Employment.enterprise_id == old_enterprise_id,
            Employment.closed_at.is_(None)).order_by(Employment.id.desc()).limit(1))
        if old is not None:
            if old.ended_on is None or old.ended_on > clock.today():
                old.ended_on = clock.today()
            old.end_reason = ENDED_TRANSFERRED if person.enterprise_id else ENDED_LEFT
            leave_effective(actor, person, old, new_enterprise_id=person.enterprise_id)
    if person.enterprise_id is not None and person.has_role(Role.WORKER, Role.HR):
        today = clock.today()
        open_employment(person, started_on=person.hire_date if person.hire_date and person.hire_date > today
                        else today)


def apply_due_leaves(today: date | None = None) -> int:
    """Make every recorded leave whose date has come take effect (the periodic task); returns how many."""
    today = today or clock.today()
    due = list(db.session.scalars(select(Employment).where(
        Employment.ended_on <= today, Employment.closed_at.is_(None)).order_by(Employment.id)))
    for employment in due:
        person = db.session.get(User, employment.user_id)
        leave_effective(None, person, employment)
    return len(due)
