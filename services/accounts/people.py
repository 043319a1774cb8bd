"""People: their accounts, profiles, roles and activation state.

Rules enforced here:
- Union admins manage every account and grant or revoke roles; HR creates and edits people of their
  own enterprise only (workers, never admins); people out of reach are NotFound (accounts.policy).
- A worker or HR account belongs to an active enterprise; a worker has a phone number, an employee
  number (unique within the enterprise, stored normalised: NFKC, trimmed, upper case), a trade and
  a skill level. Usernames and phone numbers are
  unique; at least one of them is set, to log in with. A person added to an enterprise gets an open
  employment (services.accounts.employment); HR adding a phone already registered to the same person
  starts a transfer instead (services.accounts.transfers.add_person).
- Dates: birth and hire dates and "in the trade since" are not in the future; a worker was at
  least 16 when hired and when starting the trade.
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

import re
import secrets
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func

from core import clock
from models import Enterprise, Role, Trade, User, UserRole, db
from models.skills import REASON_CORRECTION
from models.vocabulary import EDUCATION_LEVELS
from services import policy
from services.accounts import employment
from services.accounts import policy as accounts_policy
from services.accounts.authentication import end_all_sessions
from services.accounts.search import add_people_search
from services.common import audit, passwords, skills
from services.common.validators import is_valid_mobile, normalize_employee_no, normalize_phone
from services.errors import NotAllowed, NotFound, RuleViolation

USERNAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,31}$")


@dataclass
class Profile:
    """The editable fields of an account; the view fills it from the form."""

    name: str = ""
    username: str | None = None
    phone: str | None = None
    enterprise_id: int | None = None
    employee_no: str | None = None
    trade_id: int | None = None
    skill_level: int | None = None
    hire_date: date | None = None
    birth_date: date | None = None
    trade_since: date | None = None
    roles: set[Role] = field(default_factory=set)
    # Matched against an already registered phone's owner (services.accounts.transfers); optional.
    id_card_no: str | None = None
    # Education level (学历): a code of models.vocabulary.EDUCATION_LEVELS, or None.
    education: str | None = None


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
):
    """People the actor may manage, filtered; newest first (by id: keyset pages, blueprints.common).

    `search` is the people search (services.accounts.search: the start of a name, an employee-number
    or username prefix, the last 4+ digits of a phone); `enterprise_ids` the enterprises an enterprise
    picker's text matched (an empty list matches nobody); `activated` True / False: accounts
    activated or not yet (services.accounts.activation).
    """
    stmt = policy.scope_people(db.select(User), actor).options(
        db.joinedload(User.enterprise), db.joinedload(User.trade)
    )
    stmt = add_people_search(stmt, search)
    if enterprise_id:
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
    if trade_id:
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
    _apply_profile(user, profile, roles, identifiers_checked=identifiers_checked)
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
    before = _snapshot(user)
    _apply_profile(user, profile, user.roles)
    new_level = user.skill_level
    if new_level != before["skill_level"] and new_level is not None:
        # The level has a history; an edit here is recorded as a correction.
        user.skill_level = before["skill_level"]
        skills.change_skill_level(actor, user, new_level, reason=REASON_CORRECTION)
    db.session.flush()
    if user.enterprise_id != before["enterprise_id"]:
        employment.enterprise_changed(actor, user, before["enterprise_id"])  # the history follows
    changes = {k: [before[k], v] for k, v in _snapshot(user).items() if before[k] != v}
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
        _require_worker_fields(user)
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
    _apply_profile(user, profile, {Role.ADMIN})
    passwords.check_policy(password, personal=(user.username, user.phone))
    user.password_hash = passwords.hash_password(password)
    user.activated_at = clock.now()
    user.role_rows = [UserRole(role=str(Role.ADMIN))]
    db.session.add(user)
    db.session.flush()
    audit.record("account.created", obj=user, roles=[str(Role.ADMIN)], via="cli")
    return user


# --- the profile's rules ------------------------------------------------------------------------


def _snapshot(user: User) -> dict:
    return {
        "name": user.name,
        "username": user.username,
        "phone": user.phone,
        "enterprise_id": user.enterprise_id,
        "employee_no": user.employee_no,
        "trade_id": user.trade_id,
        "skill_level": user.skill_level,
        "hire_date": user.hire_date.isoformat() if user.hire_date else None,
        "birth_date": user.birth_date.isoformat() if user.birth_date else None,
        "trade_since": user.trade_since.isoformat() if user.trade_since else None,
        "education": user.education,
    }


def _require_worker_fields(user: User) -> None:
    if not user.phone:
        raise RuleViolation(_l("职工账号需要手机号。"), field="phone")
    if not user.employee_no:
        raise RuleViolation(_l("职工账号需要工号。"), field="employee_no")
    _check_trade(user.trade_id, required=True)
    skills.check_skill_level(user.skill_level)


def _check_trade(trade_id: int | None, *, required: bool = False) -> None:
    """A known trade; none at all only when not `required`."""
    if (not trade_id and required) or (trade_id and db.session.get(Trade, trade_id) is None):
        raise RuleViolation(_l("请选择工种。"), field="trade_id")


def _apply_profile(user: User, profile: Profile, roles: set[Role], *, identifiers_checked: bool = False) -> None:
    """Validate `profile` against the rules above and copy it onto `user` (not flushed)."""
    name = (profile.name or "").strip()
    if not name:
        raise RuleViolation(_l("请填写姓名。"), field="name")
    if len(name) > 50:
        raise RuleViolation(_l("姓名不能超过 50 个字符。"), field="name")
    username = _checked_username(user, profile.username)
    phone = _checked_phone(user, profile.phone, query=not identifiers_checked)
    if username is None and phone is None:
        raise RuleViolation(_l("用户名和手机号至少填写一项，用于登录。"), field="phone")
    enterprise = _checked_enterprise(user, profile.enterprise_id, roles)
    employee_no = _checked_employee_no(user, enterprise, profile.employee_no, query=not identifiers_checked)
    _check_trade(profile.trade_id)
    if profile.skill_level is not None:
        skills.check_skill_level(profile.skill_level)
    check_dates(profile)

    user.name = name
    user.username = username
    user.phone = phone
    user.enterprise_id = enterprise.id if enterprise else None
    user.enterprise = enterprise
    user.employee_no = employee_no
    user.trade_id = profile.trade_id or None
    user.skill_level = profile.skill_level
    user.hire_date = profile.hire_date
    user.birth_date = profile.birth_date
    user.trade_since = profile.trade_since
    if profile.education is not None and profile.education not in EDUCATION_LEVELS:
        raise RuleViolation(_l("请从列表中选择学历。"), field="education")
    user.education = profile.education or None
    if Role.WORKER in roles and not _left(user):
        _require_worker_fields(user)


def _left(user: User) -> bool:
    """A worker who left their employer (离职) and joined none: kept without enterprise or employee number."""
    return user.id is not None and user.enterprise_id is None and user.has_role(Role.WORKER)


def _checked_username(user: User, username: str | None) -> str | None:
    username = (username or "").strip() or None
    if username is None:
        return None
    if not USERNAME_PATTERN.match(username):
        raise RuleViolation(_l("用户名以字母开头，3-32 位字母、数字、下划线、点或连字符。"), field="username")
    clash = db.session.scalar(
        db.select(User.id).where(func.lower(User.username) == username.lower(), User.id != user.id)
    )
    if clash:
        raise RuleViolation(_l("这个用户名已被使用。"), field="username")
    return username


def _checked_phone(user: User, phone: str | None, *, query: bool = True) -> str | None:
    phone = normalize_phone(phone) or None
    if phone is None:
        return None
    if not is_valid_mobile(phone):
        raise RuleViolation(_l("请输入有效的 11 位大陆手机号码。"), field="phone")
    if query and db.session.scalar(db.select(User.id).where(User.phone == phone, User.id != user.id)):
        raise RuleViolation(_l("这个手机号已被其他账号使用。"), field="phone")
    return phone


def _checked_enterprise(user: User, enterprise_id: int | None, roles: set[Role]) -> Enterprise | None:
    enterprise = None
    if enterprise_id:
        enterprise = db.session.get(Enterprise, enterprise_id)
        if enterprise is None:
            raise RuleViolation(_l("请选择企业。"), field="enterprise_id")
        if not enterprise.is_active and enterprise.id != user.enterprise_id:
            raise RuleViolation(_l("该企业已停用。"), field="enterprise_id")
    left = user.id is not None and user.enterprise_id is None and Role.HR not in roles
    if roles & {Role.WORKER, Role.HR} and enterprise is None and not left:
        raise RuleViolation(_l("职工和企业人力资源账号必须属于一个企业。"), field="enterprise_id")
    return enterprise


def _checked_employee_no(user: User, enterprise: Enterprise | None, employee_no: str | None, *,
                         query: bool = True) -> str | None:
    employee_no = normalize_employee_no(employee_no) or None
    if query and employee_no and enterprise is not None:
        clash = db.session.scalar(
            db.select(User.id).where(
                User.enterprise_id == enterprise.id, User.employee_no == employee_no, User.id != user.id
            )
        )
        if clash:
            raise RuleViolation(_l("本企业已有这个工号。"), field="employee_no")
    return employee_no


def check_dates(profile: Profile) -> None:
    """Birth, hire and in-the-trade dates as this module's rules want them (RuleViolation on the field)."""
    today = clock.today()
    if profile.birth_date is not None:
        if profile.birth_date > today:
            raise RuleViolation(_l("出生日期不能晚于今天。"), field="birth_date")
        if profile.birth_date.year < today.year - 100:
            raise RuleViolation(_l("出生日期不合理。"), field="birth_date")
    if profile.hire_date is not None:
        if profile.hire_date > today:
            raise RuleViolation(_l("入职日期不能晚于今天。"), field="hire_date")
        if profile.birth_date is not None and profile.hire_date.year - profile.birth_date.year < 16:
            raise RuleViolation(_l("入职时应已年满 16 周岁。"), field="hire_date")
    if profile.trade_since is not None:
        if profile.trade_since > today:
            raise RuleViolation(_l("从事本工种起始日期不能晚于今天。"), field="trade_since")
        if profile.birth_date is not None and profile.trade_since.year - profile.birth_date.year < 16:
            raise RuleViolation(_l("从事本工种时应已年满 16 周岁。"), field="trade_since")
