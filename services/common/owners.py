"""Who runs, oversees and sees an owned event (models/owners.py: a training programme, and the same rules
as campaigns and competitions have; docs/domain.md, "Owners and levels").

- The owner runs it: union admins the city's, HR of the owning enterprise an enterprise's, the officers
  of the owning town a town's (`can_run`). `owner_for(actor)` is the owner an actor creates events as.
- The levels above oversee it read-only (`can_oversee`): the city everything, a town its own and its
  enterprises' events.
- It exists (`can_see`, `visible_clause` in SQL) for the levels above and for the people under its
  owner: everyone for the city's, the workers of the town's enterprises for a town's, the enterprise's
  own workers for an enterprise's. Drafts are left to the caller.
- Who may take part follows the owner (`may_take_part`): the same people, by their current employer.

Objects outside this reach are answered with NotFound by the services (404, never 403).
"""

from __future__ import annotations

from sqlalchemy import and_, false, or_, select, true

from models import Enterprise, db
from models.owners import OWNER_CITY, OWNER_ENTERPRISE, OWNER_TOWN
from services import policy


def owner_for(actor) -> tuple[str, int | None, int | None] | None:
    """(owner_level, owner_enterprise_id, owner_town_id) of what `actor` creates: the city for an admin,
    their enterprise for HR, their town for a town officer; None for anyone else."""
    scope = policy.management_scope(actor)
    return owner_of(scope.kind, scope.id)


def owner_of(scope_kind: str, scope_id) -> tuple | None:
    """owner_for of a reader whose management scope is of `scope_kind` with node `scope_id` (a value or a
    bind parameter: a statement kept per kind of reader)."""
    if scope_kind == policy.CITY:
        return OWNER_CITY, None, None
    if scope_kind == policy.ENTERPRISE:
        return OWNER_ENTERPRISE, scope_id, None
    if scope_kind == policy.TOWN:
        return OWNER_TOWN, None, scope_id
    return None


def can_run(actor, owned) -> bool:
    """`actor` is the owner of `owned` (see the module rules)."""
    if actor is None or not actor.is_authenticated:
        return False
    if owned.owner_level == OWNER_CITY:
        return policy.is_admin(actor)
    scope = policy.management_scope(actor)
    if owned.owner_level == OWNER_ENTERPRISE:
        return scope.kind == policy.ENTERPRISE and scope.id == owned.owner_enterprise_id
    if owned.owner_level == OWNER_TOWN:
        return scope.kind == policy.TOWN and scope.id == owned.owner_town_id
    return False


def can_oversee(actor, owned) -> bool:
    """The owner or a level above it (sees the management pages and figures; only the owner acts)."""
    if can_run(actor, owned):
        return True
    if actor is None or not actor.is_authenticated:
        return False
    scope = policy.management_scope(actor)
    if scope.kind == policy.CITY:
        return True
    return (scope.kind == policy.TOWN and owned.owner_level == OWNER_ENTERPRISE
            and policy.in_scope(actor, owned.owner_enterprise_id))


def _town_of(enterprise_id: int | None) -> int | None:
    if enterprise_id is None:
        return None
    return db.session.scalar(select(Enterprise.town_id).where(Enterprise.id == enterprise_id))


def may_take_part(worker, owned) -> bool:
    """`worker` is among the people an event of this owner is for, by their current employer."""
    if owned.owner_level == OWNER_CITY:
        return True
    if worker.enterprise_id is None:
        return False
    if owned.owner_level == OWNER_ENTERPRISE:
        return worker.enterprise_id == owned.owner_enterprise_id
    return owned.owner_level == OWNER_TOWN and _town_of(worker.enterprise_id) == owned.owner_town_id


def can_see(actor, owned) -> bool:
    """`owned` exists for `actor`: the levels above and the people under its owner (drafts: the caller)."""
    if actor is None or not actor.is_authenticated:
        return False
    return owned.owner_level == OWNER_CITY or can_oversee(actor, owned) or may_take_part(actor, owned)


def visible_clause(actor, model):
    """SQL condition on `model` (an Owned model): the rows `can_see` allows, for lists."""
    if actor is None or not actor.is_authenticated:
        return false()
    scope = policy.management_scope(actor)
    return visible_clause_of(model, scope.kind, scope.id, actor.enterprise_id)


def visible_clause_of(model, scope_kind: str, scope_id, enterprise_id):
    """visible_clause for a reader whose management scope is of `scope_kind` with node `scope_id` and whose
    enterprise is `enterprise_id` (None: none); the ids values or bind parameters (a statement kept per
    kind of reader)."""
    if scope_kind == policy.CITY:
        return true()
    options = [model.owner_level == OWNER_CITY]
    if scope_kind == policy.TOWN:
        options.append(and_(model.owner_level == OWNER_TOWN, model.owner_town_id == scope_id))
        options.append(and_(model.owner_level == OWNER_ENTERPRISE,
                            policy.scope_condition_of(scope_kind, scope_id, model.owner_enterprise_id)))
    if enterprise_id is not None:
        options.append(and_(model.owner_level == OWNER_ENTERPRISE, model.owner_enterprise_id == enterprise_id))
        town_of_mine = select(Enterprise.town_id).where(Enterprise.id == enterprise_id).scalar_subquery()
        options.append(and_(model.owner_level == OWNER_TOWN, model.owner_town_id == town_of_mine))
    return or_(*options)


def owned_by_clause(model, level: str, enterprise_id: int | None = None, town_id: int | None = None,
                    roll_up: bool = False):
    """SQL condition on `model`: the events of one owner; with `roll_up`, a town's also include its
    enterprises' (current town) and the city's everything (figures roll up, docs/domain.md)."""
    if level == OWNER_CITY:
        return true() if roll_up else model.owner_level == OWNER_CITY
    if level == OWNER_ENTERPRISE:
        return and_(model.owner_level == OWNER_ENTERPRISE, model.owner_enterprise_id == enterprise_id)
    own = and_(model.owner_level == OWNER_TOWN, model.owner_town_id == town_id)
    if not roll_up:
        return own
    return or_(own, and_(model.owner_level == OWNER_ENTERPRISE, model.owner_enterprise_id.in_(
        select(Enterprise.id).where(Enterprise.town_id == town_id))))
