"""The filters of a competition's lists of entries (the registrations page, its kept page in entry_rows, the
exports): the reader's management scope, the enterprises picked, the status filter, and the conditions they
make, as values or as bind parameters of a statement kept per shape (services.competitions.entry_rows).
Rule: services.policy.scope_to; a reader who manages nothing gets NotAllowed."""

from __future__ import annotations

from core.l10n import lazy_gettext as _l
from models.competitions import CONFIRMED, PASSED_OVER, REJECTED, WAITLISTED, WITHDRAWN, CompetitionRegistration
from services import policy
from services.errors import NotAllowed


def entries_scope(actor):
    """The actor's management scope for the lists of entries; NotAllowed for an actor who manages nothing."""
    scope = policy.management_scope(actor)
    if scope.kind == policy.NOBODY:
        raise NotAllowed(_l("没有权限查看报名名单。"))
    return scope


def entries_enterprises(actor, enterprise_id) -> list | None:
    """The enterprises a list of entries is narrowed to (an id or a list of them; never for HR), or None."""
    if enterprise_id is None or policy.is_hr(actor):
        return None
    return enterprise_id if isinstance(enterprise_id, list) else [enterprise_id]


def entries_status_filter(status) -> str | None:
    """How a list of entries is filtered by `status`: "one" status, "unapproved", or None (no filter)."""
    if status in (CONFIRMED, WAITLISTED, WITHDRAWN, REJECTED, PASSED_OVER):
        return "one"
    return "unapproved" if status == "unapproved" else None


def entries_where(stmt, scope_kind: str, scope_id, competition_id, enterprise_ids, status_filter, status):
    """`stmt` narrowed to a competition's entries in a scope of `scope_kind` with node `scope_id` (a town's: its
    enterprises at the entry's date), of `enterprise_ids` unless None, by `status_filter`
    (entries_status_filter; "one": `status`); the ids and `status` values or bind parameters (a statement
    kept per shape: services.competitions.entry_rows)."""
    g = CompetitionRegistration
    stmt = stmt.where(g.competition_id == competition_id)
    if scope_kind != policy.CITY:
        stmt = stmt.where(policy.scope_condition_of(scope_kind, scope_id, g.enterprise_id, g.created_at))
    if enterprise_ids is not None:
        stmt = stmt.where(g.enterprise_id.in_(enterprise_ids))
    if status_filter == "one":
        stmt = stmt.where(g.status == status)
    elif status_filter == "unapproved":  # confirmed, not yet checked by the union (the administrators' to-do)
        stmt = stmt.where(g.status == CONFIRMED, g.approved_at.is_(None))
    return stmt
