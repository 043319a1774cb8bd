"""Who may see or touch which training object (docs/domain.md, Skills training; issue 15).

Built on the shared owner rules (services/common/owners.py): a programme's owner (an enterprise's HR, a
town's officers, the city's admins) runs it; the levels above oversee it read-only; it exists for the
people under its owner. Drafts exist for the owner and union admins only. Objects outside the actor's
reach are answered with NotFound (404), never 403, so nobody learns what another enterprise runs.

A class's sign-in is run by the programme's owner or by the class assistant (班级助理) named on that
class: a person, not a global role.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import and_, bindparam, false, or_, select

from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import db
from models.training import DRAFT, TrainingClass, TrainingProgramme
from services import policy
from services.common import owners
from services.errors import NotAllowed, NotFound

# The refusal when someone other than its owner runs a programme (NotAllowed, 403).
RUN_OWN_PROGRAMME = _l("只有培训项目的主办方可以管理这个项目。")


def programme_not_found() -> NoReturn:
    """The one refusal for a programme out of the actor's reach: NotFound (404)."""
    raise NotFound(_l("找不到这个培训项目。"))


def class_not_found() -> NoReturn:
    raise NotFound(_l("找不到这个培训班次。"))


def can_see_programme(actor, programme: TrainingProgramme) -> bool:
    """Drafts: the owner and union admins; otherwise services.common.owners.can_see, plus a class
    assistant named on one of its classes."""
    if actor is None or not actor.is_authenticated:
        return False
    if programme.status == DRAFT:
        return policy.is_admin(actor) or owners.can_run(actor, programme)
    return owners.can_see(actor, programme) or is_assistant_in(actor, programme)


def is_assistant_in(actor, programme: TrainingProgramme) -> bool:
    """`actor` is the class assistant of at least one class of `programme`."""
    return bool(db.session.scalar(select(TrainingClass.id).where(
        TrainingClass.programme_id == programme.id, TrainingClass.assistant_id == actor.id).limit(1)))


def visible_clause(actor):
    """SQL condition on TrainingProgramme: the programmes that exist for `actor` in lists (drafts only
    for the owner and admins)."""
    if actor is None or not actor.is_authenticated:
        return false()
    scope = policy.management_scope(actor)
    return visible_clause_of(scope.kind, scope.id, actor.enterprise_id, actor.id)


def visible_clause_of(scope_kind: str, scope_id, enterprise_id, actor_id):
    """visible_clause for the reader `actor_id` whose management scope is of `scope_kind` with node
    `scope_id` and whose enterprise is `enterprise_id` (None: none); the ids values or bind parameters (a
    statement kept per kind of reader: services.training.programmes.programme_lines)."""
    seen = owners.visible_clause_of(TrainingProgramme, scope_kind, scope_id, enterprise_id)
    if scope_kind == policy.CITY:  # an admin (policy.management_scope)
        return seen
    assisted = TrainingProgramme.id.in_(
        select(TrainingClass.programme_id).where(TrainingClass.assistant_id == actor_id))
    not_draft = TrainingProgramme.status != DRAFT
    mine = owners.owner_of(scope_kind, scope_id)
    if mine is not None:
        not_draft = or_(not_draft, owners.owned_by_clause(TrainingProgramme, *mine))
    return and_(or_(seen, assisted), not_draft)


def can_run(actor, programme: TrainingProgramme) -> bool:
    """The programme's owner (services.common.owners.can_run)."""
    return owners.can_run(actor, programme)


def can_oversee(actor, programme: TrainingProgramme) -> bool:
    """The owner or a level above (management pages and figures, read-only above)."""
    return owners.can_oversee(actor, programme)


def can_run_signin(actor, training_class: TrainingClass) -> bool:
    """The owner's officers or the class assistant named on this class open, show and close its sign-in
    and tick the printed list."""
    if actor is None or not actor.is_authenticated:
        return False
    return (training_class.assistant_id is not None and training_class.assistant_id == actor.id) or \
        owners.can_run(actor, training_class.programme)


def signin_class_ids(actor, programme: TrainingProgramme, classes, *, runs: bool | None = None) -> set[int]:
    """The ids of those of `programme`'s `classes` (objects or plain rows with id and assistant_id) whose
    sign-in `actor` runs (can_run_signin): every class for the programme's owner, otherwise the classes
    naming `actor` as their assistant. The owner rule is checked once, not per class (`runs`: its answer,
    can_run(actor, programme), when the caller has it already)."""
    if actor is None or not actor.is_authenticated:
        return set()
    if runs if runs is not None else owners.can_run(actor, programme):
        return {c.id for c in classes}
    return {c.id for c in classes if c.assistant_id is not None and c.assistant_id == actor.id}


def get_programme(actor, programme_id: int) -> TrainingProgramme:
    """The programme `programme_id` as `actor` may see it; NotFound otherwise."""
    programme = db.session.get(TrainingProgramme, programme_id)
    if programme is None or not can_see_programme(actor, programme):
        programme_not_found()
    return programme


_CLASS = bindparam("training_policy_class")


def _class_statement():
    """get_class's statement (kept): the class and its programme, whose object then stands in the session
    for the class's `programme` (a many-to-one found by its key, no statement of its own)."""
    return (select(TrainingClass, TrainingProgramme).join(TrainingProgramme, TrainingProgramme.id ==
                                                         TrainingClass.programme_id)
            .where(TrainingClass.id == _CLASS))


def get_class(actor, class_id: int) -> TrainingClass:
    """The class `class_id` of a programme `actor` may see; NotFound otherwise. The class and its
    programme come in one query (every class page reads both)."""
    found = db.session.execute(shared_statement(("training.policy.class", ), _class_statement),
                               {_CLASS.key: class_id}).first()
    training_class = found[0] if found is not None else None
    if training_class is None or not can_see_programme(actor, training_class.programme):
        class_not_found()
    return training_class


def require_runner(actor, programme: TrainingProgramme) -> None:
    """NotFound when the programme does not exist for `actor`; NotAllowed unless `actor` owns it."""
    if not can_see_programme(actor, programme):
        programme_not_found()
    if not can_run(actor, programme):
        raise NotAllowed(RUN_OWN_PROGRAMME)


def require_signin_runner(actor, training_class: TrainingClass) -> None:
    """NotFound when the class does not exist for `actor`; NotAllowed unless `actor` runs its sign-in."""
    if not can_see_programme(actor, training_class.programme):
        class_not_found()
    if not can_run_signin(actor, training_class):
        raise NotAllowed(_l("只有主办方或本班次的班级助理可以管理签到。"))
