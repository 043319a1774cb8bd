"""Town union officers (镇街工会干部): union admins assign and remove them, one town each.

Rules (docs/domain.md, "Who uses it"; issue 13, "The union's tree"):
- only union administrators assign or remove town officers (NotAllowed otherwise);
- an officer belongs to exactly one town: the `town_officer` role row carries it (UserRole.town_id);
  assigning an officer of one town to another moves them;
- the person is an active account, neither a union admin nor an enterprise's HR (whose own office
  comes first in services.policy.management_scope), chosen through the people search
  (services.accounts.search, purpose "town_officers"); RuleViolation otherwise;
- the town officer's role is changed here only, never by people.set_roles (which keeps it as it is);
- every assignment, move and removal is audited.
What a town officer may see is services.policy (management_scope -> Scope(TOWN, town_id)).
"""

from __future__ import annotations

from core.l10n import lazy_gettext as _l
from models import Role, Town, User, UserRole, db
from services import policy
from services.common import audit
from services.errors import RuleViolation

MANAGE_TOWN_OFFICERS = _l("只有总工会管理员可以任免镇街工会干部。")


def assign_town_officer(actor: User, person: User, town_id: int | None) -> UserRole:
    """Make `person` (an active account) the town union officer of town `town_id`, or move them there
    from their present town. Union admins only (NotAllowed); RuleViolation on `town_id` for an unknown
    town, on `person` for an inactive account, an admin or HR. Audited (account.town_officer_assigned, with the town
    before and after). Returns the role row."""
    policy.require_admin(actor, MANAGE_TOWN_OFFICERS)
    town = db.session.get(Town, town_id) if town_id else None
    if town is None:
        raise RuleViolation(_l("请选择这位镇街工会干部所属的镇（街道）。"), field="town_id")
    if not person.is_active:
        raise RuleViolation(_l("这个账号已停用，不能任命为镇街工会干部。"), field="person")
    if person.has_role(Role.ADMIN, Role.HR):  # their own office would hide the town's (policy.management_scope)
        raise RuleViolation(_l("总工会管理员和企业人力资源不能兼任镇街工会干部。"), field="person")
    row = next((r for r in person.role_rows if r.role == Role.TOWN.value), None)
    before = row.town_id if row is not None else None
    if row is None:
        row = UserRole(role=Role.TOWN.value, town_id=town.id)
        person.role_rows.append(row)
    elif row.town_id == town.id:
        return row
    else:
        row.town_id = town.id
    db.session.flush()
    audit.record("account.town_officer_assigned", actor=actor, obj=person, town_id=town.id, town=town.name,
                 previous_town_id=before)
    return row


def remove_town_officer(actor: User, person: User) -> None:
    """Take the town officer's role from `person` (nothing when they do not hold it). Union admins only
    (NotAllowed); a person keeps at least one role (RuleViolation). Audited (account.role_revoked)."""
    policy.require_admin(actor, MANAGE_TOWN_OFFICERS)
    row = next((r for r in person.role_rows if r.role == Role.TOWN.value), None)
    if row is None:
        return
    if len(person.role_rows) == 1:
        raise RuleViolation(_l("请至少保留一个角色：先为该账号授予其他角色，再撤销镇街工会干部。"), field="person")
    person.role_rows.remove(row)
    db.session.flush()
    audit.record("account.role_revoked", actor=actor, obj=person, role=Role.TOWN.value, town_id=row.town_id)


def town_officers_query(town_id: int | None = None):
    """Select of the town officers (User; of one town when given), to page by User.id
    (blueprints.common.keyset_page): one officer row per person, an index lookup by role."""
    condition = (UserRole.user_id == User.id) & (UserRole.role == Role.TOWN.value)
    if town_id:
        condition = condition & (UserRole.town_id == town_id)
    return db.select(User).where(db.exists().where(condition))
