"""Entering a competition: the seat counter, registering, the waitlist, withdrawal, the union's
review (approve, reject), and the entries a worker or a manager sees.

Rules (docs/domain.md, Skills competitions):
- A worker registers once per competition (unique constraint as the last word), only while the
  registration window is open, and only when eligible (services.competitions.eligibility).
- A registration takes a seat with a guarded counter (`seats_taken < capacity` in the UPDATE itself,
  in the same transaction as the insert), so capacity holds under concurrency on SQLite and
  PostgreSQL; with no seat left it joins the waitlist, ordered by creation (id).
- Withdrawal (by the worker or their HR) only before the window closes; a confirmed competitor's
  withdrawal or rejection hands the seat to the first on the waitlist, who is told on their pages.
- Moving up re-checks standing at that moment (services.common.standing: account, enterprise, still
  employed there), not qualifications (checked as of the competition day when entering): an entry
  without standing is passed over (PASSED_OVER, with the reason) and its worker and HR are told.
Every change is audited.
"""

from __future__ import annotations

from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.competition_tallies import EntryTally
from models.competitions import (
    ACTIVE_STATUSES,
    CONFIRMED,
    OPEN,
    PASSED_OVER,
    REJECTED,
    SCORING,
    WAITLISTED,
    WITHDRAWN,
    Competition,
    CompetitionPracticalMark,
    CompetitionRegistration,
    CompetitionTeamMember,
)
from services import policy
from services.accounts.search import add_people_search
from services.common import audit, seats, standing
from services.competitions import events
from services.competitions import policy as competitions_policy
from services.competitions.eligibility import eligibility_problems
from services.competitions.entry_filters import entries_enterprises, entries_scope, entries_status_filter, entries_where
from services.competitions.policy import (
    can_register_for,
    can_see_registration,
    can_withdraw,
    own_entry_condition,
)
from services.competitions.setup import is_registration_open, require_registration_open
from services.errors import NotFound, RuleViolation
from services.messages import inbox

# Competition states in which a seat can still free (withdrawal while open, rejection until scoring ends).
WAITLIST_MOVES = (OPEN, SCORING)


class DuplicateRegistration(RuleViolation):
    """The unique constraint caught a second entry of the same worker (the session must roll back)."""


# --- the seat counter ----------------------------------------------------------------------------


def queue_entries(competition: Competition) -> None:
    """Take the competition's row lock before counting entries (services.common.seats.queue_on):
    concurrent entries of one competition then queue up, so the per-enterprise cap, counted next, cannot
    be overrun."""
    seats.queue_on(competition)


def take_seat(competition: Competition) -> int | None:
    """The guarded counter (services.common.seats.take_seat): the next competitor number when a seat was
    free (the seat is taken in the same UPDATE), else None (no seat left: the entry waits)."""
    return seats.take_seat(competition, also={"numbers_issued": Competition.numbers_issued + 1},
                           returning=Competition.numbers_issued)


def _next_number(competition: Competition) -> int:
    number = db.session.execute(
        update(Competition).where(Competition.id == competition.id)
        .values(numbers_issued=Competition.numbers_issued + 1)
        .returning(Competition.numbers_issued).execution_options(synchronize_session=False)
    ).scalar_one()
    db.session.expire(competition, ["numbers_issued"])
    return number


def _first_in_standing(actor, competition: Competition) -> CompetitionRegistration | None:
    """The first waitlisted entry whose entrant still has standing now (services.common.standing); each
    one passed over on the way is marked PASSED_OVER with the reason, audited, and its worker and HR told.
    Qualifications are not re-checked: they were checked as of the competition day at registration."""
    while True:
        first = db.session.scalar(
            select(CompetitionRegistration).where(CompetitionRegistration.competition_id == competition.id,
                                                  CompetitionRegistration.status == WAITLISTED)
            .order_by(CompetitionRegistration.id).limit(1).with_for_update())
        if first is None:
            return None
        problem = standing.standing_problem(first.worker, first.enterprise_id)
        if problem is None:
            return first
        first.status = PASSED_OVER
        first.ended_at = clock.now()
        first.reason = problem.text
        db.session.flush()
        audit.record("competition.passed_over", actor=actor, obj=first, competition_id=competition.id,
                     reason=problem.text)
        standing.tell_passed_over(first.worker, first.enterprise_id, "competition.passed_over", competition.name,
                                  problem, link=inbox.link_to("competitions.show", competition_id=competition.id))


def _release_seat(actor, competition: Competition) -> CompetitionRegistration | None:
    """A confirmed seat became free: the first on the waitlist still in standing takes it (the ones
    passed over are marked), else the counter goes down."""
    first = _first_in_standing(actor, competition)
    if first is None:
        seats.give_back_seat(competition)
        return None
    now = clock.now()
    first.status = CONFIRMED
    first.competitor_no = _next_number(competition)
    first.confirmed_at = first.promoted_at = now
    db.session.flush()
    audit.record("competition.promoted_from_waitlist", actor=actor, obj=first, competition_id=competition.id,
                 number=first.competitor_no)
    events.promoted(first)
    return first


def add_entry(actor, competition: Competition, entry: CompetitionRegistration, duplicate_message) -> int | None:
    """Take a seat for `entry` (or leave it waitlisted), add and flush it. The caller has queued on
    the competition (queue_entries) and checked every rule. A concurrent duplicate caught by the
    unique constraints raises DuplicateRegistration(`duplicate_message`); the view rolls back."""
    number = take_seat(competition)
    now = clock.now()
    entry.competition_id = competition.id
    entry.status = CONFIRMED if number else WAITLISTED
    entry.competitor_no = number
    entry.registered_by_id = actor.id
    entry.created_at = now
    entry.confirmed_at = now if number else None
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        raise DuplicateRegistration(duplicate_message) from None
    return number


# --- registering -------------------------------------------------------------------------------


def register(actor, competition: Competition, worker: User) -> CompetitionRegistration:
    """Enter `worker` (the actor themself, or by their HR) in an individual competition: confirmed with
    a competitor number while seats last, else waitlisted. All checks come before any write.

    Raises NotFound (the actor may not enter this worker), RuleViolation (window closed, a team
    competition, already entered, not eligible: the problems joined by "；"), DuplicateRegistration
    (a concurrent second entry).
    """
    if not can_register_for(actor, worker):
        raise NotFound(_l("找不到这名职工。"))
    return enter_worker(actor, competition, worker)


def enter_worker(actor, competition: Competition, worker: User, **detail) -> CompetitionRegistration:
    """The rules of every individual entry, whoever makes it (register above; a selection contest's
    owner recommending its top N, services.competitions.recommendation): window, team or not, one entry per
    worker, eligibility with the per-enterprise cap, the seat counter. The caller has checked that
    `actor` may enter `worker`; `detail` goes into the audit record. Raises as register does."""
    require_registration_open(competition)
    if competition.is_team:
        raise RuleViolation(_l("团体赛由企业人力资源组队报名。"))
    queue_entries(competition)
    existing = db.session.scalar(select(CompetitionRegistration).where(
        CompetitionRegistration.competition_id == competition.id, CompetitionRegistration.worker_id == worker.id))
    if existing is not None:
        raise RuleViolation(_l("%(name)s 已报名过这个竞赛（%(status)s），每人只能报名一次。",
                               name=worker.name, status=existing.status_label))
    problems = eligibility_problems(competition, worker)
    if problems:
        raise RuleViolation("；".join(str(p) for p in problems))
    registration = CompetitionRegistration(worker_id=worker.id, enterprise_id=worker.enterprise_id)
    number = add_entry(actor, competition, registration,
                       _l("%(name)s 已报名过这个竞赛，每人只能报名一次。", name=worker.name))
    audit.record("competition.registered", actor=actor, obj=registration, competition_id=competition.id,
                 worker_id=worker.id, status=registration.status, number=number, **detail)
    return registration


def waitlist_position(registration: CompetitionRegistration) -> int | None:
    """Place on the waitlist (1 = next to move up), or None when not waitlisted or when the waitlist no
    longer moves (the competition is past scoring: no seat can free any more)."""
    if registration.status != WAITLISTED or registration.competition.status not in WAITLIST_MOVES:
        return None
    return db.session.scalar(select(func.count(CompetitionRegistration.id)).where(
        CompetitionRegistration.competition_id == registration.competition_id,
        CompetitionRegistration.status == WAITLISTED, CompetitionRegistration.id <= registration.id))


def waitlist_positions(competition_id: int) -> dict[int, int]:
    """Registration id -> place on the waitlist (1 = next in), one query; empty once the waitlist no
    longer moves (see waitlist_position)."""
    if db.session.scalar(select(Competition.status).where(Competition.id == competition_id)) not in WAITLIST_MOVES:
        return {}
    ids = db.session.scalars(select(CompetitionRegistration.id).where(
        CompetitionRegistration.competition_id == competition_id, CompetitionRegistration.status == WAITLISTED)
        .order_by(CompetitionRegistration.id))
    return {rid: place for place, rid in enumerate(ids, start=1)}


def page_waitlist_positions(competition_id: int, registrations) -> dict[int, int]:
    """Registration id -> place on the waitlist for the waitlisted entries among `registrations` (a
    page of a list, filtered or not): one query, an indexed count per waitlisted entry of the page
    (on (competition_id, status, id)), whatever the length of the list."""
    waiting = [r.id for r in registrations if r.status == WAITLISTED]
    if not waiting:
        return {}
    earlier = aliased(CompetitionRegistration)
    place = (select(func.count(earlier.id)).where(
        earlier.competition_id == competition_id, earlier.status == WAITLISTED,
        earlier.id <= CompetitionRegistration.id).correlate(CompetitionRegistration).scalar_subquery())
    return dict(db.session.execute(select(CompetitionRegistration.id, place)
                                   .where(CompetitionRegistration.id.in_(waiting))).all())


def status_counts(competition_id: int) -> dict[str, int]:
    """Status -> number of entries of the competition: the stored tallies (models.competition_tallies,
    kept in the same transaction as every entry), one primary-key range read whatever the entries."""
    return {status: n for status, n in db.session.execute(
        select(EntryTally.status, EntryTally.entries).where(EntryTally.competition_id == competition_id)) if n}


def _unknown_registration() -> NotFound:
    return NotFound(_l("找不到这条报名。"))


def get_registration(actor, registration_id: int) -> CompetitionRegistration:
    """The worker's own entry (as entrant or team member), their HR's, or any for admins; otherwise
    NotFound."""
    registration = db.session.get(CompetitionRegistration, registration_id)
    if registration is None or not can_see_registration(actor, registration):
        raise _unknown_registration()
    return registration


def withdraw(actor, registration: CompetitionRegistration) -> CompetitionRegistration | None:
    """Withdraw an active entry before the window closes; returns whoever moved up from the waitlist.

    The entrant or HR of the entry's enterprise (others: NotFound); a team only by HR. Raises
    RuleViolation when the entry already ended or the window has closed.
    """
    if not can_withdraw(actor, registration):
        raise _unknown_registration()
    competition = registration.competition
    if registration.team_name and not policy.is_hr(actor):
        raise RuleViolation(_l("团体赛的队伍由企业人力资源办理退赛。"))
    if registration.status not in ACTIVE_STATUSES:
        raise RuleViolation(_l("这条报名已经结束。"))
    if not is_registration_open(competition):
        raise RuleViolation(_l("报名已截止，不能再退赛；如有特殊情况请联系总工会。"))
    return _end(actor, registration, WITHDRAWN, None)


def _end(actor, registration: CompetitionRegistration, status: str, reason: str | None):
    was = registration.status
    registration.status = status
    registration.ended_at = clock.now()
    registration.reason = reason
    number = registration.competitor_no
    registration.competitor_no = None
    db.session.flush()
    audit.record(f"competition.{status}", actor=actor, obj=registration, old=was, new=status, reason=reason,
                 number=number)
    if was == CONFIRMED:
        return _release_seat(actor, registration.competition)
    return None


# --- the union's review ----------------------------------------------------------------------------


def approve(actor, registration: CompetitionRegistration) -> None:
    """The union confirms it checked a confirmed entry of an open or scoring competition.
    Raises NotAllowed (not an admin) or RuleViolation."""
    competitions_policy.require_runner(actor, registration.competition)
    if registration.status != CONFIRMED or registration.competition.status not in (OPEN, SCORING):
        raise RuleViolation(_l("只能审核已确认且尚未评分结束的报名。"))
    registration.approved_at = clock.now()
    registration.approved_by_id = actor.id
    audit.record("competition.approved", actor=actor, obj=registration)
    events.registration_confirmed(registration)


def reject(actor, registration: CompetitionRegistration, reason: str) -> CompetitionRegistration | None:
    """Reject an active entry with a reason (text, required) while the competition is open or in
    scoring and the competitor has no marks yet; a freed seat goes to the first on the waitlist,
    who is returned. Raises NotAllowed (not an admin) or RuleViolation."""
    competitions_policy.require_runner(actor, registration.competition)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请填写不通过的理由。"), field="reason")
    if registration.status not in ACTIVE_STATUSES or registration.competition.status not in (OPEN, SCORING):
        raise RuleViolation(_l("这条报名不能再审核。"))
    has_marks = registration.theory is not None or db.session.scalar(
        select(exists().where(CompetitionPracticalMark.registration_id == registration.id)))
    if has_marks:
        raise RuleViolation(_l("这名选手已有成绩，不能再取消资格。"))
    moved_up = _end(actor, registration, REJECTED, reason)
    events.registration_rejected(registration)
    return moved_up


# --- lists ---------------------------------------------------------------------------------------


def narrowed_entries(stmt, actor, competition: Competition, status, enterprise_id, search, *,
                     user_joined: bool = False):
    """`stmt` (a select over CompetitionRegistration; `user_joined`: already joined to its worker) narrowed
    as registrations_query says, in its order; NotAllowed for an actor who manages nothing (registrations_query
    and entry_rows.registration_rows_query share it)."""
    scope = entries_scope(actor)
    ids = entries_enterprises(actor, enterprise_id)
    stmt = entries_where(stmt, scope.kind, scope.id, competition.id, ids, entries_status_filter(status), status)
    if search:  # the one people search (services.accounts.search): name start, employee number, phone tail
        if not user_joined:
            stmt = stmt.join(User, User.id == CompetitionRegistration.worker_id)
        stmt = add_people_search(stmt, search)
    return stmt.order_by(CompetitionRegistration.status, CompetitionRegistration.competitor_no,
                         CompetitionRegistration.id)


def registrations_query(actor, competition: Competition, *, status=None, enterprise_id=None, search=None):
    """Select of a competition's entries: all for admins (optionally of one enterprise), their own
    enterprise's for HR, their town's (at the entry's date) for a town officer
    (services.policy.scope_to); NotAllowed for anyone else. Filtered by status and
    by the people search (the start of the entrant's name, an employee-number prefix, a phone's last
    digits); ordered by status, number, id. `enterprise_id` may be a list (the enterprises an
    enterprise picker's text matched); status "unapproved": confirmed entries the union has not checked.
    Eager-loaded: no query per row."""
    stmt = (select(CompetitionRegistration)
            .options(db.joinedload(CompetitionRegistration.worker).lazyload(User.role_rows),  # roles not shown
                     db.joinedload(CompetitionRegistration.enterprise),
                     db.selectinload(CompetitionRegistration.members).joinedload(CompetitionTeamMember.worker)
                     .lazyload(User.role_rows)))
    return narrowed_entries(stmt, actor, competition, status, enterprise_id, search)


def my_registrations(worker: User) -> list[CompetitionRegistration]:
    """The worker's entries (own or as a team member) with competition and result, newest first."""
    return list(db.session.scalars(
        select(CompetitionRegistration).where(own_entry_condition(worker))
        .options(db.joinedload(CompetitionRegistration.competition), db.joinedload(CompetitionRegistration.result))
        .order_by(CompetitionRegistration.id.desc())))


def entry_of(worker: User, competition: Competition) -> CompetitionRegistration | None:
    """The worker's entry in a competition (individual, or the team they belong to), with its result
    (read in the same query), or None."""
    return db.session.scalar(select(CompetitionRegistration).where(
        CompetitionRegistration.competition_id == competition.id, own_entry_condition(worker))
        .options(db.joinedload(CompetitionRegistration.result)))
