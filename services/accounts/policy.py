"""Who may see or manage people and enterprises (per-object rules of the accounts domain).

Built on the union's tree of services.policy: a manager (union admin: the city; HR: one enterprise)
sees and edits the people in their scope, everyone sees themself, and people out of reach are
answered with 404 (NotFound), never 403, so nobody learns who works elsewhere (docs/domain.md,
"Who uses it": HR of one enterprise never sees another enterprise's data).
"""

from __future__ import annotations

from core.l10n import lazy_gettext as _l
from models import Role, User
from services import policy
from services.common.validators import mask_id_card
from services.errors import NotAllowed, NotFound


def can_view_worker(actor, worker: User) -> bool:
    """Everyone sees themself; managers see the people in their scope."""
    return actor.id == worker.id or policy.in_scope(actor, worker.enterprise_id)


def can_manage_worker(actor, worker: User) -> bool:
    """Managers edit people in their scope (a town officer's is read-only: never); only admins edit
    union administrators."""
    if policy.is_admin(actor):
        return True
    return policy.can_act_in(actor, worker.enterprise_id) and not worker.has_role(Role.ADMIN)


def require_manageable(actor, person: User | None) -> User:
    """`person` when `actor` may manage them (`can_manage_worker`); NotFound for a missing person or
    one out of reach (404, also for another enterprise)."""
    if person is None or not can_manage_worker(actor, person):
        raise NotFound(_l("找不到这个人员。"))
    return person


def can_manage_enterprises(actor) -> bool:
    """Only union administrators create, edit and (de)activate enterprises."""
    return policy.is_admin(actor)


def require_enterprise_manager(actor) -> None:
    """NotAllowed (403) unless `actor` may manage enterprises (`can_manage_enterprises`)."""
    if not can_manage_enterprises(actor):
        raise NotAllowed(_l("只有总工会管理员可以管理企业。"))


def shown_id_card(actor, person: User) -> str:
    """The person's ID-card number as `actor` may see it: whole for the person and the HR of their
    current employer, masked (first 6 and last 4) for everyone else; "" when none is recorded."""
    if not person.id_card_no:
        return ""
    if actor.id == person.id or (policy.is_hr(actor) and actor.enterprise_id == person.enterprise_id):
        return person.id_card_no
    return mask_id_card(person.id_card_no)
