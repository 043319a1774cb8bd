"""Authorisation in one place: who may see or change what, across every domain.

The union is a tree: the city union -> town unions -> enterprise unions. An actor manages one node
of it (their *scope*): a union administrator the whole city, a town union officer (镇街工会干部) one
town, HR (the enterprise union's officer) one enterprise; a person without an office manages
nothing. Everything an actor may manage is what lies under their node, so the same two helpers
answer every question of the kind "which rows may this person see in a management list" and "may
this person touch this object":

- `scope_to(stmt, actor, enterprise_column)` restricts a select to the actor's part of the tree,
  inside the SQL (never by filtering rows in Python); `scope_condition` is its condition alone;
- `in_scope(actor, enterprise_id)` is the same rule for one object.

A town officer's scope is for reading only: they see their town's enterprises, people and records
but change none of them (write rules ask `can_act_in`, or HR's own enterprise, never `in_scope` alone).

Role checks for whole views live in blueprints.access (`roles_required`); per-object rules of each
domain (`can_score`, `can_manage_pair`, ...) live in the `policy` module of that domain's package and
build on these helpers.

Records (proposals, registrations, pairs, nominations) belong to the town their enterprise belonged
to when they were made: pass the record's `created_at` column as `at` (or its value to `in_scope`),
and a town's condition joins the enterprise's town history (models.EnterpriseTownSpan) on the span
that holds that moment. People and enterprises themselves belong to the current town.

Objects outside the actor's scope are answered with 404, not 403 (services raise NotFound), so that
nobody learns what exists in another enterprise or town.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, false, literal, or_, true

from core.l10n import lazy_gettext as _l
from models import Enterprise, EnterpriseTownSpan, Role, User, db
from services.errors import NotAllowed

CITY = "city"
TOWN = "town"
ENTERPRISE = "enterprise"
NOBODY = "none"


@dataclass(frozen=True)
class Scope:
    """A node of the union's tree: `kind` is city, town, enterprise or none; `id` names the node."""

    kind: str
    id: int | None = None


def is_admin(user) -> bool:
    """A union administrator (总工会管理员): manages the whole city."""
    return bool(user and user.is_authenticated and user.has_role(Role.ADMIN))


def is_hr(user) -> bool:
    """HR of an enterprise (企业人力资源 / 企业工会): manages that one enterprise."""
    return bool(user and user.is_authenticated and user.has_role(Role.HR) and user.enterprise_id)


def is_town_officer(user) -> bool:
    """A town union officer (镇街工会干部): sees one town, read-only."""
    return bool(user and user.is_authenticated and user.has_role(Role.TOWN) and user.town_id)


def management_scope(actor) -> Scope:
    """The node of the tree `actor` manages: the city for admins, their enterprise for HR, their town
    for a town officer, else none (an admin's or HR's own office comes first)."""
    if is_admin(actor):
        return Scope(CITY)
    if is_hr(actor):
        return Scope(ENTERPRISE, actor.enterprise_id)
    if is_town_officer(actor):
        return Scope(TOWN, actor.town_id)
    return Scope(NOBODY)


def oversees_enterprises(actor) -> bool:
    """Sees several enterprises (the city or a town): lists show and filter by enterprise."""
    return management_scope(actor).kind in (CITY, TOWN)


def can_act_in(actor, enterprise_id: int | None, at=None) -> bool:
    """True when `actor` may change objects attributed to `enterprise_id`: `in_scope` for the city and
    an enterprise, never for a town officer (their scope is read-only)."""
    return management_scope(actor).kind != TOWN and in_scope(actor, enterprise_id, at)


def town_condition(town_id: int, enterprise_column, at=None):
    """SQL: `enterprise_column` names an enterprise of town `town_id`: now (`at` None), or at the
    moment `at` (a column, e.g. `Proposal.created_at`, or a datetime) through the town history, an
    indexed lookup of the span (ix_enterprise_town_span_town) that holds that moment."""
    if at is None:
        return enterprise_column.in_(db.select(Enterprise.id).where(Enterprise.town_id == town_id))
    span = EnterpriseTownSpan
    return exists().where(
        span.town_id == town_id, span.enterprise_id == enterprise_column, span.valid_from <= at,
        or_(span.valid_to.is_(None), span.valid_to > at))


def ever_in_town(town_id: int, enterprise_column):
    """SQL: `enterprise_column` names an enterprise that was in town `town_id` at some time (any span of
    its town history). Implied by town_condition(at=...): put before it, the per-row span lookup runs
    only for those rows (a set read once through ix_enterprise_town_span_town, not a lookup per row)."""
    span = EnterpriseTownSpan
    return enterprise_column.in_(db.select(span.enterprise_id).where(span.town_id == town_id))


def scope_to(stmt, actor, enterprise_column, at=None):
    """Restrict `stmt` to rows whose `enterprise_column` lies in the part of the tree `actor` manages.

    `enterprise_column` is the column that attributes a row to an enterprise (e.g.
    `Proposal.enterprise_id`, `User.enterprise_id`). The city sees every row; a town the rows of its
    enterprises (of the time `at`, a record's `created_at` column, when given); an enterprise its own
    rows; anyone else none.
    """
    if management_scope(actor).kind == CITY:
        return stmt
    return stmt.where(scope_condition(actor, enterprise_column, at))


def scope_condition(actor, enterprise_column, at=None):
    """The condition `scope_to` adds, on its own, to combine with others (e.g. "or the person's own
    rows"): true for the city, the town's enterprises, the enterprise's own rows, else false. An
    enterprise's condition is a plain comparison, so an index on `enterprise_column` serves it."""
    scope = management_scope(actor)
    return scope_condition_of(scope.kind, scope.id, enterprise_column, at)


def scope_condition_of(kind: str, scope_id, enterprise_column, at=None):
    """scope_condition for a management scope of `kind` whose node is `scope_id`, a value or a bind
    parameter (a statement kept per kind: services.titles.round_page)."""
    if kind == CITY:
        return true()
    if kind == TOWN:
        return town_condition(scope_id, enterprise_column, at)
    if kind == ENTERPRISE:
        return enterprise_column == scope_id
    return false()


def in_scope(actor, enterprise_id: int | None, at=None) -> bool:
    """True when an object attributed to `enterprise_id` lies in the part of the tree `actor` manages;
    for a town officer, with `at` (a record's `created_at`), the town the enterprise was in then."""
    scope = management_scope(actor)
    if scope.kind == CITY:
        return True
    if enterprise_id is None:
        return False
    if scope.kind == TOWN:
        if at is None:
            return db.session.scalar(
                db.select(Enterprise.town_id).where(Enterprise.id == enterprise_id)) == scope.id
        return bool(db.session.scalar(db.select(town_condition(scope.id, literal(enterprise_id), at))))
    if scope.kind == ENTERPRISE:
        return enterprise_id == scope.id
    return False


def require_admin(actor, message=None) -> None:
    """Refuse (NotAllowed, answered with 403) unless `actor` is a union administrator.

    `message` names what was refused, e.g. "只有总工会管理员可以管理竞赛。"; the default is general.
    """
    if not is_admin(actor):
        raise NotAllowed(message or _l("只有总工会管理员可以这样做。"))


def scope_people(stmt, actor):
    """Restrict a select over User to the people `actor` may see in management lists."""
    return scope_to(stmt, actor, User.enterprise_id)
