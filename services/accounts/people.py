"""People: their accounts, profiles, roles and activation state.

Rules enforced here:
- Union admins manage every account and grant or revoke roles; HR creates and edits people of their
  own enterprise only (workers, never admins); people out of reach are NotFound (accounts.policy).
- The profile's own rules (enterprise, phone, employee number, trade, level, dates, education) are
  services.accounts.profiles'. A person added to an enterprise gets an open
  employment (services.accounts.employment); HR adding a phone already registered to the same person
  starts a transfer instead (services.accounts.transfers.add_person).
- The skill level has a history (services.common.skills): the first level is recorded as initial,
  an edit as a correction.
- An admin cannot revoke their own admin role or deactivate themself (no lock-out).
- A worker who left (离职) keeps the worker role without an employer or employee number; an admin
  moving a person to another enterprise by editing the account ends the old employment (with the
  leaving rules) and opens a new one (services.accounts.employment.enterprise_changed).
- Accounts HR and admins create have no password and are not activated (services.accounts.activation);
  only the command line's administrator and demo data start with a password.
Every change is written to the audit log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, exists

from core import clock
from core.l10n import lazy_gettext as _l
from models import Enterprise, Role, Trade, User, UserRole, db
from models.skills import REASON_CORRECTION
from services import policy
from services.accounts import employment
from services.accounts import policy as accounts_policy
from services.accounts.authentication import end_all_sessions
from services.accounts.profiles import (  # noqa: F401  (callers use people.Profile, people.check_dates)
    Profile,
    apply_profile,
    check_dates,
    require_worker_fields,
    snapshot,
)
from services.accounts.search import add_people_search
from services.common import audit, passwords, skills
from services.common.rows import PlainRow
from services.errors import NotAllowed, NotFound, RuleViolation

# --- finding people -------------------------------------------------------------------------


def get_person(actor: User, user_id: int) -> User:
    """A person the actor may manage (accounts.policy.can_manage_worker), else NotFound (404, also
    for another enterprise)."""
    person = db.session.scalar(policy.scope_people(db.select(User).where(User.id == user_id), actor))
    return accounts_policy.require_manageable(actor, person)


def get_worker(actor: User, worker_id: int, *, may_see=accounts_policy.can_view_worker,
               workers_only: bool = False) -> User:
    """A person whose records `actor` may see, else NotFound (404, also for another enterprise).

    `may_see(actor, person)` is the rule of the records asked for (by default
    accounts.policy.can_view_worker: themself or within the actor's scope); with `workers_only`
    the person must also hold the worker role.
    """
    worker = db.session.get(User, worker_id)
    if worker is None or not may_see(actor, worker) or (workers_only and not worker.has_role(Role.WORKER)):
        raise NotFound(_l("找不到这个职工。"))
    return worker


def people_query(
    actor: User,
    *,
    search: str | None = None,
    enterprise_id: int | None = None,
    enterprise_ids: list[int] | None = None,
    role: str | None = None,
    active: bool | None = None,
    activated: bool | None = None,
    trade_id: int | None = None,
    skill_level: int | None = None,
    roles: bool = True,
):
    """People the actor may manage, filtered; newest first (by id: keyset pages, blueprints.common).

    `search` is the people search (services.accounts.search: the start of a name, an employee-number
    or username prefix, the last 4+ digits of a phone); `enterprise_ids` the enterprises an enterprise
    picker's text matched (an empty list matches nobody); `activated` True / False: accounts
    activated or not yet (services.accounts.activation). `roles=False` leaves each person's roles
    unloaded, for a list that does not read them (the select-in of them is a statement and an object
    per role; a person whose roles are read after all loads them alone).
    """
    stmt = db.select(User).options(db.joinedload(User.enterprise), db.joinedload(User.trade))
    if not roles:
        stmt = stmt.options(db.lazyload(User.role_rows))
    return _filtered(stmt, actor, search=search, enterprise_id=enterprise_id, enterprise_ids=enterprise_ids,
                     role=role, active=active, activated=activated, trade_id=trade_id, skill_level=skill_level)


class RoleMark(NamedTuple):
    """A role a listed person holds (what the role badges read of a UserRole: `.role`, the stored name)."""

    role: str


_ROLE_MARKS = tuple(RoleMark(role.value) for role in Role)


class AccountRow(PlainRow):
    """One line of the union admin's account list as plain columns (account_rows_query): the person's id,
    name, login_name, enterprise_name (None without one), is_active, activated_at, and role_rows: their
    roles in the order they were granted (as User.role_rows: by the role row's id), each a RoleMark."""

    __slots__ = ("id", "name", "login_name", "enterprise_name", "is_active", "activated_at", "role_rows")

    def __init__(self, id, name, username, phone, enterprise_name, is_active, activated_at, *role_ids):  # noqa: A002
        self.id, self.name, self.login_name, self.enterprise_name = id, name, username or phone or "", enterprise_name
        self.is_active, self.activated_at = is_active, activated_at
        self.role_rows = tuple(_ROLE_MARKS[index] for _row_id, index in
                               sorted((row_id, index) for index, row_id in enumerate(role_ids) if row_id is not None))


def account_rows_query(actor: User, **filters):
    """people_query's people (the same filters and scope) as AccountRow's columns, in one statement: each
    role's row id (NULL where the person lacks it) is a scalar subquery, so a page of rows reads its roles
    itself, not in a statement of its own; the enterprise's name too (PostgreSQL runs such subqueries for
    the page's rows only, after its LIMIT, where a join hashed every enterprise). Page it with
    blueprints.common.keyset_page(rows=AccountRow)."""
    return _filtered(db.select(*_account_columns()), actor, **filters)


@cache
def _account_columns() -> tuple:
    """AccountRow's columns, built once per process (constant expressions, correlated when selected)."""
    role_ids = [db.select(UserRole.id).where(UserRole.user_id == User.id, UserRole.role == role.value)
                .scalar_subquery() for role in Role]
    enterprise_name = db.select(Enterprise.name).where(Enterprise.id == User.enterprise_id).scalar_subquery()
    return (User.id, User.name, User.username, User.phone, enterprise_name, User.is_active, User.activated_at,
            *role_ids)


class WorkerRow(PlainRow):
    """One line of the list of workers as plain columns (worker_rows_query): the person's id, name,
    employee_no, phone, trade_name (None without a trade), skill_level, enterprise_name (None without
    one), activated_at and is_active."""

    __slots__ = ("id", "name", "employee_no", "phone", "trade_name", "skill_level", "enterprise_name",
                 "activated_at", "is_active")


def worker_rows_query(actor: User, **filters):
    """people_query's people (the same filters and scope) as WorkerRow's columns, in one statement: the
    trade's and the enterprise's names are scalar subqueries, read for the page's rows only. Page it with
    blueprints.common.keyset_page(rows=WorkerRow)."""
    return _filtered(db.select(*_worker_columns()), actor, **filters)


@cache
def _worker_columns() -> tuple:
    """WorkerRow's columns, built once per process (constant expressions, correlated when selected)."""
    trade_name = db.select(Trade.name).where(Trade.id == User.trade_id).scalar_subquery()
    enterprise_name = db.select(Enterprise.name).where(Enterprise.id == User.enterprise_id).scalar_subquery()
    return (User.id, User.name, User.employee_no, User.phone, trade_name, User.skill_level, enterprise_name,
            User.activated_at, User.is_active)


def worker_rows_page(actor: User, *, search: str | None = None, enterprise_ids: list[int] | None = None,
                     role: str | None = None, activated: bool | None = None, trade_id: int | None = None,
                     skill_level: int | None = None) -> dict:
    """blueprints.common.keyset_page's `stmt`, `kept` and `params` for a page of worker_rows_query's rows (the
    same filters): without a search, a statement kept per kind of reader and filters, the scope's node, the
    enterprises (expanding), the trade and the level bind parameters; with one, worker_rows_query."""
    filters = {"enterprise_ids": enterprise_ids, "role": role, "activated": activated, "trade_id": trade_id or None,
               "skill_level": skill_level}
    if search:
        return {"stmt": worker_rows_query(actor, search=search, **filters)}
    scope = policy.management_scope(actor)
    bound = {name: None if filters[name] is None else bind for name, bind in _WORKER_BINDS.items()}
    shape = (scope.kind, role, activated, *(bind is not None for bind in bound.values()))

    def build():
        stmt = db.select(*_worker_columns())
        if scope.kind != policy.CITY:
            stmt = stmt.where(policy.scope_condition_of(scope.kind, _SCOPE_BIND, User.enterprise_id))
        return _narrowed(stmt, **{**filters, **bound})

    return {"stmt": build, "kept": ("accounts.worker_rows", *shape),
            "params": {_SCOPE_BIND.key: scope.id, **{bind.key: filters[name] if name != "enterprise_ids"
                                                     else filters[name] or [] for name, bind in _WORKER_BINDS.items()}}}


_SCOPE_BIND = bindparam("people_scope")
_WORKER_BINDS = {"enterprise_ids": bindparam("people_enterprises", expanding=True),
                 "trade_id": bindparam("people_trade"), "skill_level": bindparam("people_level")}


def _filtered(stmt, actor: User, *, search: str | None = None, enterprise_id: int | None = None,
              enterprise_ids: list[int] | None = None, role: str | None = None, active: bool | None = None,
              activated: bool | None = None, trade_id: int | None = None, skill_level: int | None = None):
    """`stmt` (a select over User) scoped to the people the actor may manage and filtered (people_query)."""
    stmt = add_people_search(policy.scope_people(stmt, actor), search)
    return _narrowed(stmt, enterprise_id=enterprise_id or None, enterprise_ids=enterprise_ids, role=role,
                     active=active, activated=activated, trade_id=trade_id or None, skill_level=skill_level)


def _narrowed(stmt, *, enterprise_id=None, enterprise_ids=None, role: str | None = None, active: bool | None = None,
              activated: bool | None = None, trade_id=None, skill_level=None):
    """`stmt` (a select over User) filtered as people_query says, newest first: each filter unless None (the
    ids and the level values or bind parameters)."""
    if enterprise_id is not None:
        stmt = stmt.where(User.enterprise_id == enterprise_id)
    if enterprise_ids is not None:
        stmt = stmt.where(User.enterprise_id.in_(enterprise_ids))
    if role == Role.WORKER:
        # Nearly every account is a worker: a check per row walked in id order (the unique (user_id,
        # role) index) stops after one page. `id IN (all worker ids)` made SQLite gather and look up
        # every worker id first (HR's list at scale 0.1: 14 ms -> 0.1 ms; PostgreSQL plans both alike).
        stmt = stmt.where(exists().where(UserRole.user_id == User.id, UserRole.role == role))
    elif role:
        # The other roles are held by a few hundred: their short list of ids is the faster way in.
        stmt = stmt.where(User.id.in_(db.select(UserRole.user_id).where(UserRole.role == role)))
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    if activated is not None:
        stmt = stmt.where(User.activated_at.is_not(None) if activated else User.activated_at.is_(None))
    if trade_id is not None:
        stmt = stmt.where(User.trade_id == trade_id)
    if skill_level is not None:
        stmt = stmt.where(User.skill_level == skill_level)
    return stmt.order_by(User.id.desc())


# --- creating and editing ---------------------------------------------------------------------


def create_account(actor: User, profile: Profile, *, password: str | None = None) -> User:
    """Admin: any account with any roles. HR: a worker of the HR's own enterprise. Others: NotAllowed.

    The profile follows the rules of this module (RuleViolation otherwise). Without `password` (every
    account HR and admins create, and imports) the account is not activated: no login until the person
    activates it with an activation code (services.accounts.activation). With one (demo data) it follows
    the password policy and the account is activated. Audited; the employment history starts.
    """
    pending = prepare_account(actor, profile, password)
    record_new_accounts(actor, [pending])
    return pending.user


@dataclass
class PendingAccount:
    """An account checked and added to the session, not yet flushed (prepare_account)."""

    user: User
    roles: set


def prepare_account(actor: User, profile: Profile, password: str | None = None, *,
                    identifiers_checked: bool = False) -> PendingAccount:
    """The first half of create_account: every check (raising before anything is added), then the
    account added unflushed; an import records many at once (record_new_accounts). With
    `identifiers_checked` the caller found the phone and employee number free itself (an import, for
    a whole chunk and its own duplicates); the unique constraints stay the last word."""
    if policy.is_admin(actor):
        roles = set(profile.roles)
    elif policy.is_hr(actor):
        profile.enterprise_id = actor.enterprise_id
        roles = {Role.WORKER}
    else:
        raise NotAllowed(_l("您没有创建账号的权限。"))
    if not roles:
        raise RuleViolation(_l("请至少选择一个角色。"), field="roles")
    user = User(password_hash="")
    apply_profile(user, profile, roles, identifiers_checked=identifiers_checked)
    if password is None:
        user.password_hash = unusable_password_hash()
    else:
        passwords.check_policy(password, personal=(user.username, user.phone))
        user.password_hash = passwords.hash_password(password)
        user.activated_at = clock.now()
    user.role_rows = [UserRole(role=str(role)) for role in sorted(roles)]
    db.session.add(user)  # with its first level: stored with the insert, its history entry recorded next
    return PendingAccount(user, roles)


def record_new_accounts(actor: User, pending: list[PendingAccount]) -> None:
    """The second half of create_account for one or many prepared accounts: one flush for the lot,
    then each account's audit record and initial skill level (its history), flushed once."""
    db.session.flush()
    for item in pending:
        audit.record("account.created", actor=actor, obj=item.user, roles=sorted(item.roles))
        if item.user.enterprise_id is not None and item.roles & {Role.WORKER, Role.HR}:
            employment.open_employment(item.user)  # the employment history (任职记录) starts
        if item.user.skill_level is not None:
            skills.record_initial_level(actor, item.user)
    db.session.flush()


def unusable_password_hash() -> str:
    """A hash no password matches ("!" is no Werkzeug hash prefix), random; fast for 5,000 imports."""
    return "!" + secrets.token_hex(16)


def update_account(actor: User, user: User, profile: Profile) -> User:
    """Edit a person's profile within the actor's reach (NotFound otherwise); HR cannot move a
    person to another enterprise. Roles are changed by set_roles only. Audited with the changes."""
    accounts_policy.require_manageable(actor, user)
    if not policy.is_admin(actor):
        profile.enterprise_id = actor.enterprise_id
    before = snapshot(user)
    apply_profile(user, profile, user.roles)
    new_level = user.skill_level
    if new_level != before["skill_level"] and new_level is not None:
        # The level has a history; an edit here is recorded as a correction.
        user.skill_level = before["skill_level"]
        skills.change_skill_level(actor, user, new_level, reason=REASON_CORRECTION)
    db.session.flush()
    if user.enterprise_id != before["enterprise_id"]:
        employment.enterprise_changed(actor, user, before["enterprise_id"])  # the history follows
    changes = {k: [before[k], v] for k, v in snapshot(user).items() if before[k] != v}
    if changes:
        audit.record("account.updated", actor=actor, obj=user, changes=changes)
    return user


def set_roles(actor: User, user: User, roles: set[Role]) -> None:
    """A union admin (NotAllowed for others) grants and revokes roles; each change is audited.

    At least one role stays; an admin keeps their own admin role; worker and HR roles need an
    enterprise, the worker role the worker's fields (RuleViolation otherwise).
    """
    policy.require_admin(actor, _l("只有总工会管理员可以授予或撤销角色。"))
    # The town officer's role carries a town: given and taken by services.accounts.towns only.
    roles = {Role(r) for r in roles} - {Role.TOWN} | (user.roles & {Role.TOWN})
    if user.id == actor.id and Role.ADMIN not in roles:
        raise RuleViolation(_l("不能撤销自己的管理员角色。"), field="roles")
    if not roles:
        raise RuleViolation(_l("请至少保留一个角色。"), field="roles")
    current = user.roles
    # A worker who left (离职) keeps the worker role without an employer; granting it needs one.
    needs_employer = (roles & {Role.HR}) | ((roles - current) & {Role.WORKER})
    if needs_employer and user.enterprise_id is None:
        raise RuleViolation(_l("职工和企业人力资源角色需要先为该账号设置所属企业。"), field="roles")
    if Role.WORKER in roles and user.enterprise_id is not None:
        require_worker_fields(user)
    for role in sorted(roles - current):
        user.role_rows.append(UserRole(role=str(role)))
        audit.record("account.role_granted", actor=actor, obj=user, role=str(role))
    for row in list(user.role_rows):
        if Role(row.role) not in roles:
            user.role_rows.remove(row)
            audit.record("account.role_revoked", actor=actor, obj=user, role=row.role)
    db.session.flush()


def set_active(actor: User, user: User, active: bool) -> None:
    """A union admin (NotAllowed for others) deactivates or reactivates an account; deactivation
    ends its sessions; nobody deactivates themself (RuleViolation). Audited."""
    policy.require_admin(actor, _l("只有总工会管理员可以停用账号。"))
    if user.id == actor.id and not active:
        raise RuleViolation(_l("不能停用自己的账号。"))
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        end_all_sessions(user)
    audit.record("account.activated" if active else "account.deactivated", actor=actor, obj=user)


def create_admin(profile: Profile, password: str) -> User:
    """Bootstrap a union administrator from the command line (no acting user); the profile and
    password rules of this module apply (RuleViolation). Audited."""
    user = User(password_hash="")
    apply_profile(user, profile, {Role.ADMIN})
    passwords.check_policy(password, personal=(user.username, user.phone))
    user.password_hash = passwords.hash_password(password)
    user.activated_at = clock.now()
    user.role_rows = [UserRole(role=str(Role.ADMIN))]
    db.session.add(user)
    db.session.flush()
    audit.record("account.created", obj=user, roles=[str(Role.ADMIN)], via="cli")
    return user


