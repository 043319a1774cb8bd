"""Who may see and do what in mentoring: every per-object rule of the area, in one place.

Built on the union-wide helpers of services.policy (the union's tree and who manages which part of
it). The rules (docs/domain.md, "Mentoring"; conventions: objects out of reach answer 404):
- a pair, its check-ins and its history are visible to its two people, their enterprise's HR,
  union admins and (read-only) the officers of the town the enterprise was in when the pair was made;
  to everyone else they do not exist (the loaders raise NotFound);
- HR of the pair's enterprise manages it (assessment, ending early, extension, print, nomination);
  union admins see everything but manage no pair;
- only the two people confirm the agreement; a proposed pair may be withdrawn by HR or declined by
  either side, an active one dissolved by either side within its first month;
- only the mentor records check-ins, only the apprentice answers them;
- excellent-pair nominations: admins see all, HR their enterprise's, everybody the published
  selection.
The use cases re-check these rules (and raise the refusal) in the same transaction; the `can_*`
functions answer the same question for templates and views (show or hide a button).
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import and_, false, or_

from core import clock
from core.l10n import lazy_gettext as _l
from models import User
from models.mentorship import (
    ACTIVE,
    CHECKIN_PENDING,
    COMPLETED,
    PASSING_GRADES,
    PROPOSED,
    CheckIn,
    ExcellentNomination,
    ExcellentRound,
    MentorPair,
)
from services.accounts.policy import can_view_worker
from services.errors import NotFound
from services.mentorship.terms import dissolution_deadline
from services.policy import (
    CITY,
    ENTERPRISE,
    TOWN,
    ever_in_town,
    in_scope,
    is_admin,
    is_hr,
    is_town_officer,
    management_scope,
    scope_condition,
    scope_to,
    town_condition,
)

# --- who sees what ------------------------------------------------------------------------------


def pair_not_found() -> NoReturn:
    """The one refusal for a pair out of the actor's sight: NotFound (404), as if it did not exist."""
    raise NotFound(_l("找不到这个师徒结对。"))


def scope_pairs(stmt, actor):
    """Restrict a select over MentorPair to what `actor` may see: admins all, HR the pairs of the
    enterprises they manage, everybody their own pairs (as mentor or apprentice), strangers none."""
    if is_admin(actor):
        return stmt
    if actor is None or not actor.is_authenticated:
        return stmt.where(false())
    scope = management_scope(actor)
    return stmt.where(pairs_condition(scope.kind, scope.id, actor.id))


def pairs_condition(kind: str, scope_id, reader_id):
    """The condition scope_pairs adds for a signed-in reader `reader_id` whose management scope
    (services.policy.management_scope) is of `kind` with node `scope_id`; the ids are values or bind
    parameters (a statement kept per kind: services.mentorship.pairing.get_pair). None for the city (every
    pair). HR: the enterprise's pairs or their own, three indexed conditions (enterprise, mentor,
    apprentice: a bitmap OR, not a scan); a town officer: the town's pairs as of each pair's creation
    (read-only) or their own, the span looked up only for the pairs of enterprises ever in the town
    (services.policy.ever_in_town: the same rows, a tenth of the lookups); anyone else: their own pairs
    (as mentor or apprentice)."""
    if kind == CITY:
        return None
    own = or_(MentorPair.mentor_id == reader_id, MentorPair.apprentice_id == reader_id)
    if kind == ENTERPRISE:
        return or_(MentorPair.enterprise_id == scope_id, own)
    if kind == TOWN:  # the enterprises ever in the town first (one hashed set), then the span per candidate
        return or_(and_(ever_in_town(scope_id, MentorPair.enterprise_id),
                        town_condition(scope_id, MentorPair.enterprise_id, at=MentorPair.created_at)), own)
    return own


def scope_nominations(stmt, actor):
    """Restrict a select over ExcellentNomination (joined to its ExcellentRound) to what `actor` may
    see: admins all; everybody else the selected nominations of a published round, and HR also
    every nomination of the enterprises they manage."""
    if is_admin(actor):
        return stmt
    visible = ExcellentRound.published & ExcellentNomination.selected
    if is_hr(actor) or is_town_officer(actor):
        # a town officer: the town the enterprise was in when the nomination was made
        visible = visible | scope_condition(actor, ExcellentNomination.enterprise_id,
                                            at=ExcellentNomination.nominated_at)
    return stmt.where(visible)


def scope_managed_nominations(stmt, actor):
    """Restrict a select over ExcellentNomination to the nominations `actor` manages: admins all, HR
    their enterprise's, anybody else none."""
    return scope_to(stmt, actor, ExcellentNomination.enterprise_id, at=ExcellentNomination.nominated_at)


def can_view_record(actor, person: User) -> bool:
    """A person's mentoring record: everyone sees their own; HR of the person's enterprise and
    admins see it too."""
    return can_view_worker(actor, person)


# --- who acts on a pair -----------------------------------------------------------------------------


def is_enterprise_hr(actor, pair: MentorPair) -> bool:
    """HR of the pair's enterprise (union admins are not: they oversee, they do not manage pairs)."""
    return is_hr(actor) and in_scope(actor, pair.enterprise_id)


def is_party_or_hr(actor, pair: MentorPair) -> bool:
    """The mentor, the apprentice or HR of the pair's enterprise: those who may end a pair at all."""
    return pair.party(actor) is not None or is_enterprise_hr(actor, pair)


def can_manage(actor, pair: MentorPair) -> bool:
    """HR of the pair's enterprise records assessments, ends early, extends and prints."""
    return is_enterprise_hr(actor, pair)


def can_confirm(actor, pair: MentorPair) -> bool:
    """The mentor or the apprentice of a proposed pair who has not confirmed the agreement yet."""
    if pair.status != PROPOSED:
        return False
    side = pair.party(actor)
    return (side == "mentor" and pair.mentor_confirmed_at is None) or (
        side == "apprentice" and pair.apprentice_confirmed_at is None)


def can_dissolve(actor, pair: MentorPair) -> bool:
    """A proposed pair: either side or the enterprise's HR; an active one: either side, until the
    dissolution deadline (terms.dissolution_deadline)."""
    if pair.status == PROPOSED:
        return is_party_or_hr(actor, pair)
    if pair.status == ACTIVE and pair.party(actor) is not None:
        deadline = dissolution_deadline(pair)
        return deadline is not None and clock.today() <= deadline
    return False


def can_record_checkin(actor, pair: MentorPair) -> bool:
    """Only the mentor, and only while the pair is active."""
    return pair.status == ACTIVE and pair.party(actor) == "mentor"


def can_respond(actor, checkin: CheckIn, pair: MentorPair) -> bool:
    """Only the apprentice answers, and only a check-in still pending."""
    return checkin.status == CHECKIN_PENDING and pair.party(actor) == "apprentice"


def can_assess(actor, pair: MentorPair) -> bool:
    """The enterprise's HR, for an active pair, on or after its planned end."""
    return pair.status == ACTIVE and can_manage(actor, pair) and clock.today() >= pair.planned_end


def passed_final_assessment(pair: MentorPair) -> bool:
    """Completed with a passing grade (优秀 or 合格): the pairs that may be nominated as excellent."""
    assessment = pair.assessment
    return pair.status == COMPLETED and assessment is not None and assessment.grade in PASSING_GRADES


def can_nominate(actor, pair: MentorPair) -> bool:
    """The enterprise's HR nominates a pair that passed its final assessment."""
    return is_enterprise_hr(actor, pair) and passed_final_assessment(pair)
