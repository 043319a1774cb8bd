"""Who may see or touch which competition object: every per-object rule of the competitions domain.

Built on services.policy (the union's tree: admins manage the city, HR their enterprise). Objects
outside the actor's reach are answered with NotFound by the services that use these rules, so that
nobody learns what exists in another enterprise (docs/domain.md, Skills competitions; conventions: answer
404, not 403).
"""

from __future__ import annotations

from functools import cache
from typing import NoReturn

from sqlalchemy import and_, or_, select, true, union_all
from sqlalchemy.orm import aliased

from core.l10n import lazy_gettext as _l
from models import Enterprise, User, db
from models.competitions import (
    CONFIRMED,
    DRAFT,
    Competition,
    CompetitionCertificate,
    CompetitionJudge,
    CompetitionPromotion,
    CompetitionRegistration,
    CompetitionTeamMember,
)
from services import policy
from services.common import owners
from services.errors import NotAllowed, NotFound

# The refusal when someone other than a union admin manages a competition (NotAllowed, 403).
MANAGE_COMPETITIONS = _l("只有总工会管理员可以管理竞赛。")
# The refusal when someone other than its owner runs an enterprise's or a town's competition.
RUN_OWN_COMPETITION = _l("只有竞赛的主办方可以管理这个竞赛。")


def _is_hr_of(actor, enterprise_id: int | None) -> bool:
    """HR of that very enterprise (an admin is not, unless they are also its HR)."""
    return policy.is_hr(actor) and actor.enterprise_id == enterprise_id


def can_run_competition(actor, competition: Competition) -> bool:
    """The competition's owner (issue 14): union admins for the city's, HR of the owning enterprise for an
    enterprise's own (选拔赛), the officers of the owning town for a town's (the town scope of
    services.policy; the one rule of every owned event, services.common.owners.can_run). Every act of
    running a competition checks it through require_runner."""
    return owners.can_run(actor, competition)


def can_oversee_competition(actor, competition: Competition) -> bool:
    """A level above the owner (issue 14: "the one above can see it, read-only, and its figures"): union
    admins for an enterprise's or a town's competition, the officers of the enterprise's town for an
    enterprise's selection contest. They see its entry counts and ranking, never its owner's buttons."""
    return owners.can_oversee(actor, competition) and not can_run_competition(actor, competition)


def competition_not_found() -> NoReturn:
    """The one refusal for a competition out of the actor's reach: NotFound (404)."""
    raise NotFound(_l("找不到这个竞赛。"))


def require_runner(actor, competition: Competition) -> None:
    """NotFound when the competition does not exist for `actor`; NotAllowed unless `actor` owns it (sets
    it up, appoints its panel, marks theory, signs off, publishes and finalises)."""
    if not can_see_competition(actor, competition):
        competition_not_found()
    if not can_run_competition(actor, competition):
        raise NotAllowed(MANAGE_COMPETITIONS if competition.owner_level == "city" else RUN_OWN_COMPETITION)


def _in_owners_reach(actor, competition: Competition) -> bool:
    """An enterprise's or a town's competition exists for the people under its owner and the levels above."""
    if policy.management_scope(actor).kind == policy.CITY or can_run_competition(actor, competition):
        return True
    if competition.owner_level == "enterprise":
        return policy.in_scope(actor, competition.owner_enterprise_id) or (
            actor.enterprise_id is not None and actor.enterprise_id == competition.owner_enterprise_id)
    if competition.owner_level == "town" and actor.enterprise_id is not None:
        return db.session.scalar(select(Enterprise.town_id).where(Enterprise.id == actor.enterprise_id)) \
            == competition.owner_town_id
    return False


def can_see_competition(actor, competition: Competition) -> bool:
    """Drafts are visible to their owner and union admins only; every other state of a city competition
    to every logged-in user, of an enterprise's or a town's to the people under its owner, its panel and
    the levels above (anyone else: NotFound)."""
    if competition.status == DRAFT:
        return policy.is_admin(actor) or can_run_competition(actor, competition)
    if competition.owner_level == "city":
        return True
    return _in_owners_reach(actor, competition) or bool(db.session.scalar(
        select(CompetitionJudge.id).where(CompetitionJudge.competition_id == competition.id,
                                          CompetitionJudge.judge_id == actor.id)))


def visible_condition(actor):
    """SQL condition on Competition: the competitions that exist for `actor` in lists (see
    can_see_competition; drafts left to the caller)."""
    scope = policy.management_scope(actor)
    return visible_condition_of(scope.kind, actor.id, scope.id, actor.enterprise_id)


def visible_condition_of(kind: str, reader, scope_id, enterprise_id):
    """visible_condition for a reader whose management scope is of `kind` (its id `scope_id`), of id
    `reader`, belonging to enterprise `enterprise_id` (None: to none); each a value or a bind parameter
    (a kept statement: services.competitions.catalogue)."""
    if kind == policy.CITY:
        return true()
    options = [Competition.owner_level == "city", _on_panel(reader)]
    if kind == policy.TOWN:
        options.append(and_(Competition.owner_level == "town", Competition.owner_town_id == scope_id))
        options.append(and_(Competition.owner_level == "enterprise",
                            policy.town_condition(scope_id, Competition.owner_enterprise_id)))
    if enterprise_id is not None:
        options.append(and_(Competition.owner_level == "enterprise",
                            Competition.owner_enterprise_id == enterprise_id))
        town = select(Enterprise.town_id).where(Enterprise.id == enterprise_id).scalar_subquery()
        options.append(and_(Competition.owner_level == "town", Competition.owner_town_id == town))
    return or_(*options)


def can_register_for(actor, worker: User) -> bool:
    """A worker enters themself; HR enters workers of their own enterprise."""
    return actor.id == worker.id or _is_hr_of(actor, worker.enterprise_id)


def is_own_entry(actor, registration: CompetitionRegistration) -> bool:
    """The entry is the actor's: they entered it, or they are a member of the team."""
    return registration.worker_id == actor.id or any(m.worker_id == actor.id for m in registration.members)


def can_see_registration(actor, registration: CompetitionRegistration) -> bool:
    """The worker's own entry (as entrant or team member), any entry in the actor's management scope
    (HR: their enterprise's, admins: all)."""
    return (policy.in_scope(actor, registration.enterprise_id, at=registration.created_at)
            or is_own_entry(actor, registration))


def can_withdraw(actor, registration: CompetitionRegistration) -> bool:
    """The entrant (a team's captain) or HR of the entry's enterprise may withdraw it."""
    return actor.id == registration.worker_id or _is_hr_of(actor, registration.enterprise_id)


def can_see_certificate(actor, certificate: CompetitionCertificate) -> bool:
    """The holder, HR of the entry's enterprise, or an admin."""
    return actor.id == certificate.worker_id or policy.in_scope(
        actor, certificate.registration.enterprise_id, at=certificate.registration.created_at)


def can_record_promotion(actor, promotion: CompetitionPromotion) -> bool:
    """Only HR of the worker's enterprise records the issued skill certificate (admins only look)."""
    return _is_hr_of(actor, promotion.enterprise_id)


@cache
def _own_entries():
    """The alias of CompetitionRegistration inside own_entry_condition, made once (an alias costs about a
    millisecond to build, and the condition is part of every worker's competitions page)."""
    return aliased(CompetitionRegistration)


def own_entry_condition(worker: User, worker_id=None):
    """SQL condition: entries of `worker`, their own or a team's they are a member of (`worker_id`: a bind
    parameter standing for the worker's id, in a kept statement; then `worker` may be None).

    The ids of both come from one UNION ALL of two index lookups: `worker_id = ? OR id IN (team
    entries)` made PostgreSQL filter every registration (100,000 at the city's scale: 36 ms for a
    worker's "my registrations"; 0.2 ms this way)."""
    own = _own_entries()
    worker_id = worker.id if worker_id is None else worker_id
    return CompetitionRegistration.id.in_(union_all(
        select(own.id).where(own.worker_id == worker_id),
        select(CompetitionTeamMember.registration_id).where(CompetitionTeamMember.worker_id == worker_id)))


def markable_by(judge: User) -> list:
    """SQL conditions on CompetitionRegistration: the entries `judge` may mark. Confirmed entries of a
    competition on whose panel they sit, never their own, never one of their own enterprise outside an
    enterprise's own selection contest (conflict of interest, docs/domain.md, Rules shared by every part)."""
    conditions = [
        CompetitionRegistration.status == CONFIRMED,
        CompetitionRegistration.worker_id != judge.id,
        CompetitionRegistration.competition_id.in_(
            select(CompetitionJudge.competition_id).where(CompetitionJudge.judge_id == judge.id)),
    ]
    if judge.enterprise_id is not None:  # an enterprise's own selection contest is judged by its own staff
        own_contest = CompetitionRegistration.competition_id.in_(
            select(Competition.id).where(Competition.owner_level == "enterprise"))
        conditions.append(or_(CompetitionRegistration.enterprise_id != judge.enterprise_id, own_contest))
    return conditions


def on_panel_of(judge: User):
    """SQL condition on Competition: competitions on whose practical panel `judge` sits."""
    return _on_panel(judge.id)


def _on_panel(judge_id):
    return Competition.id.in_(select(CompetitionJudge.competition_id).where(CompetitionJudge.judge_id == judge_id))

