"""Accounts: logging in and out, passwords, people and their roles.

Rules enforced here:
- Login by username or phone; one generic message for an unknown account or a wrong password (no
  user enumeration); deactivated accounts and accounts of deactivated enterprises cannot log in.
- Logout, a password change, a password reset and deactivation rotate the user's session token,
  which ends every other session and remember-me cookie of that user.
- Union admins manage every account and grant or revoke roles; HR creates and edits people of their
  own enterprise only (workers, never admins); people of another enterprise are NotFound.
- A worker or HR account belongs to an active enterprise; a worker has a phone number, an employee
  number (unique within the enterprise), a trade and a skill level.
- An admin cannot revoke their own admin role or deactivate themself (no lock-out).
Every change is written to the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_

from core import clock
from models import Enterprise, Role, Trade, User, UserRole, db
from models.accounts import new_session_token
from models.skills import MAX_RANK, MIN_RANK, REASON_CORRECTION, REASON_INITIAL
from services import policy
from services.common import audit, passwords, skills
from services.common.validators import is_valid_mobile, normalize_phone
from services.errors import NotAllowed, NotFound, RuleViolation

_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,31}$")
BAD_LOGIN = _l("账号或密码不正确。")


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


# --- logging in and out -------------------------------------------------------------------


def find_by_login(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    phone = normalize_phone(identifier)
    return db.session.scalar(
        db.select(User).where(or_(func.lower(User.username) == identifier.lower(), User.phone == phone))
    )


def can_log_in(user: User) -> bool:
    """Active account, and its enterprise (if any) active too."""
    if not user.is_active:
        return False
    return user.enterprise is None or user.enterprise.is_active


def authenticate(identifier: str, password: str) -> User:
    """Return the user for a correct login, else raise RuleViolation with one generic message."""
    user = find_by_login(identifier)
    if user is None:
        passwords.burn_time(password)
        audit.record("auth.login_failed", identifier=(identifier or "")[:64])
        raise RuleViolation(BAD_LOGIN)
    if not passwords.verify(user.password_hash, password):
        audit.record("auth.login_failed", actor=user, obj=user, identifier=(identifier or "")[:64])
        raise RuleViolation(BAD_LOGIN)
    if not can_log_in(user):
        audit.record("auth.login_refused_inactive", actor=user, obj=user)
        raise RuleViolation(_l("该账号已停用，请联系管理员。"))
    user.last_login_at = clock.now()
    audit.record("auth.login", actor=user, obj=user)
    return user


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: `id:token`; a rotated token or an inactive account ends the session."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or not can_log_in(user):
        return None
    return user


def end_all_sessions(user: User) -> None:
    user.session_token = new_session_token()


def logout(user: User) -> None:
    """End this and every other session of the user."""
    end_all_sessions(user)
    audit.record("auth.logout", actor=user, obj=user)


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password is required; other sessions end."""
    if not passwords.verify(user.password_hash, current or ""):
        raise RuleViolation(_l("当前密码不正确。"), field="current_password")
    if current == new:
        raise RuleViolation(_l("新密码不能与当前密码相同。"), field="new_password")
    passwords.check_policy(new, personal=(user.username, user.phone))
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    end_all_sessions(user)
    audit.record("account.password_changed", actor=user, obj=user)


def reset_password(actor: User, user: User, new: str) -> None:
    """An admin sets a temporary password; the user must change it at next login."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以重置密码。"))
    passwords.check_policy(new, personal=(user.username, user.phone))
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = True
    end_all_sessions(user)
    audit.record("account.password_reset", actor=actor, obj=user)


# --- finding people -------------------------------------------------------------------------


def get_person(actor: User, user_id: int) -> User:
    """A person within the actor's management reach, else NotFound (404 for other enterprises)."""
    stmt = policy.scope_people(db.select(User).where(User.id == user_id), actor)
    person = db.session.scalar(stmt)
    if person is None:
        raise NotFound(_l("找不到这个人员。"))
    return person


def people_query(
    actor: User,
    *,
    search: str | None = None,
    enterprise_id: int | None = None,
    role: str | None = None,
    active: bool | None = None,
    trade_id: int | None = None,
    skill_level: int | None = None,
):
    """People the actor may manage, filtered; newest first. Paginated by the caller."""
    stmt = policy.scope_people(db.select(User), actor).options(
        db.joinedload(User.enterprise), db.joinedload(User.trade)
    )
    if search:
        like = f"%{search.strip()}%"
        stmt = stmt.where(
            or_(User.name.like(like), User.phone.like(like), User.username.like(like),
                User.employee_no.like(like))
        )
    if enterprise_id:
        stmt = stmt.where(User.enterprise_id == enterprise_id)
    if role:
        stmt = stmt.where(User.id.in_(db.select(UserRole.user_id).where(UserRole.role == role)))
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    if trade_id:
        stmt = stmt.where(User.trade_id == trade_id)
    if skill_level is not None:
        stmt = stmt.where(User.skill_level == skill_level)
    return stmt.order_by(User.id.desc())


# --- creating and editing ---------------------------------------------------------------------


def create_account(actor: User, profile: Profile, password: str) -> User:
    """Admin: any account with any roles. HR: a worker of the HR's own enterprise."""
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
    _apply_profile(user, profile, roles)
    passwords.check_policy(password, personal=(user.username, user.phone))
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = True
    user.role_rows = [UserRole(role=str(role)) for role in sorted(roles)]
    level = user.skill_level
    user.skill_level = None
    db.session.add(user)
    db.session.flush()
    audit.record("account.created", actor=actor, obj=user, roles=sorted(roles))
    if level is not None:
        skills.change_skill_level(actor, user, level, reason=REASON_INITIAL)
    return user


def update_account(actor: User, user: User, profile: Profile) -> User:
    """Edit a person's profile within the actor's reach; roles are changed by set_roles only."""
    if not policy.can_manage_worker(actor, user):
        raise NotFound(_l("找不到这个人员。"))
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
    changes = {k: [before[k], v] for k, v in _snapshot(user).items() if before[k] != v}
    if changes:
        audit.record("account.updated", actor=actor, obj=user, changes=changes)
    return user


def set_roles(actor: User, user: User, roles: set[Role]) -> None:
    """Admin grants and revokes roles; each grant and revocation is audited."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以授予或撤销角色。"))
    roles = {Role(r) for r in roles}
    if user.id == actor.id and Role.ADMIN not in roles:
        raise RuleViolation(_l("不能撤销自己的管理员角色。"), field="roles")
    if not roles:
        raise RuleViolation(_l("请至少保留一个角色。"), field="roles")
    if roles & {Role.WORKER, Role.HR} and user.enterprise_id is None:
        raise RuleViolation(_l("职工和企业人力资源角色需要先为该账号设置所属企业。"), field="roles")
    if Role.WORKER in roles:
        _require_worker_fields(user)
    current = user.roles
    for role in sorted(roles - current):
        user.role_rows.append(UserRole(role=str(role)))
        audit.record("account.role_granted", actor=actor, obj=user, role=str(role))
    for row in list(user.role_rows):
        if Role(row.role) not in roles:
            user.role_rows.remove(row)
            audit.record("account.role_revoked", actor=actor, obj=user, role=row.role)
    db.session.flush()


def set_active(actor: User, user: User, active: bool) -> None:
    """Admin deactivates or reactivates an account; deactivation ends its sessions."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以停用账号。"))
    if user.id == actor.id and not active:
        raise RuleViolation(_l("不能停用自己的账号。"))
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        end_all_sessions(user)
    audit.record("account.activated" if active else "account.deactivated", actor=actor, obj=user)


# --- helpers ------------------------------------------------------------------------------------


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
    }


def _require_worker_fields(user: User) -> None:
    if not user.phone:
        raise RuleViolation(_l("职工账号需要手机号。"), field="phone")
    if not user.employee_no:
        raise RuleViolation(_l("职工账号需要工号。"), field="employee_no")
    if user.trade_id is None:
        raise RuleViolation(_l("请选择工种。"), field="trade_id")
    if user.skill_level is None:
        raise RuleViolation(_l("请选择职业技能等级。"), field="skill_level")


def _apply_profile(user: User, profile: Profile, roles: set[Role]) -> None:
    """Validate `profile` against the rules above and copy it onto `user` (not flushed)."""
    name = (profile.name or "").strip()
    if not name:
        raise RuleViolation(_l("请填写姓名。"), field="name")
    if len(name) > 50:
        raise RuleViolation(_l("姓名不能超过 50 个字符。"), field="name")
    username = (profile.username or "").strip() or None
    if username is not None:
        if not _USERNAME.match(username):
            raise RuleViolation(
                _l("用户名以字母开头，3-32 位字母、数字、下划线、点或连字符。"), field="username"
            )
        clash = db.session.scalar(
            db.select(User.id).where(func.lower(User.username) == username.lower(), User.id != user.id)
        )
        if clash:
            raise RuleViolation(_l("这个用户名已被使用。"), field="username")
    phone = normalize_phone(profile.phone) or None
    if phone is not None:
        if not is_valid_mobile(phone):
            raise RuleViolation(_l("请输入有效的 11 位大陆手机号码。"), field="phone")
        clash = db.session.scalar(db.select(User.id).where(User.phone == phone, User.id != user.id))
        if clash:
            raise RuleViolation(_l("这个手机号已被其他账号使用。"), field="phone")
    if username is None and phone is None:
        raise RuleViolation(_l("用户名和手机号至少填写一项，用于登录。"), field="phone")

    enterprise = None
    if profile.enterprise_id:
        enterprise = db.session.get(Enterprise, profile.enterprise_id)
        if enterprise is None:
            raise RuleViolation(_l("请选择企业。"), field="enterprise_id")
        if not enterprise.is_active and enterprise.id != user.enterprise_id:
            raise RuleViolation(_l("该企业已停用。"), field="enterprise_id")
    if roles & {Role.WORKER, Role.HR} and enterprise is None:
        raise RuleViolation(_l("职工和企业人力资源账号必须属于一个企业。"), field="enterprise_id")

    employee_no = (profile.employee_no or "").strip() or None
    if employee_no and enterprise is not None:
        clash = db.session.scalar(
            db.select(User.id).where(
                User.enterprise_id == enterprise.id, User.employee_no == employee_no, User.id != user.id
            )
        )
        if clash:
            raise RuleViolation(_l("本企业已有这个工号。"), field="employee_no")

    if profile.trade_id and db.session.get(Trade, profile.trade_id) is None:
        raise RuleViolation(_l("请选择工种。"), field="trade_id")
    if profile.skill_level is not None and not MIN_RANK <= profile.skill_level <= MAX_RANK:
        raise RuleViolation(_l("请选择职业技能等级。"), field="skill_level")

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
    if Role.WORKER in roles:
        _require_worker_fields(user)


def create_admin(profile: Profile, password: str) -> User:
    """Bootstrap a union administrator from the command line (no acting user)."""
    user = User(password_hash="")
    _apply_profile(user, profile, {Role.ADMIN})
    passwords.check_policy(password, personal=(user.username, user.phone))
    user.password_hash = passwords.hash_password(password)
    user.role_rows = [UserRole(role=str(Role.ADMIN))]
    db.session.add(user)
    db.session.flush()
    audit.record("account.created", obj=user, roles=[str(Role.ADMIN)], via="cli")
    return user
