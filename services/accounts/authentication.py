"""Logging in and out, sessions and passwords.

Rules:
- Login by username or phone; one generic message for an unknown account or a wrong password (no
  user enumeration); deactivated accounts and accounts of deactivated enterprises cannot log in.
  Failed and refused logins are audited too (the view keeps that record although it refuses).
- A session is `user id:session token`; logout, a password change, a password reset, activation and
  deactivation rotate the token, which ends every other session and remember-me cookie of the user.
- An account not activated yet (services.accounts.activation) cannot log in, with a message saying
  how to activate it.
- A password change needs the current password; a reset (services.accounts.activation.reset_password)
  issues a new activation code. Passwords follow services.common.passwords.check_policy.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import joinedload, with_expression

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import User, db
from models.accounts import new_session_token
from services.common import audit, passwords
from services.common.validators import normalize_login, normalize_phone
from services.errors import RuleViolation
from services.messages.inbox import unread_count_of

BAD_LOGIN = _l("账号或密码不正确。")


def find_by_login(identifier: str) -> User | None:
    """The account whose username (any case) or phone number is `identifier`, or None. What was
    typed is normalised first (normalize_login: full-width characters from a Chinese input method,
    spaces), so "１３８ ０００ ０００１１" finds 13800000011."""
    identifier = normalize_login(identifier)
    if not identifier:
        return None
    return db.session.scalar(login_statement(identifier))


def login_statement(identifier: str):
    """The SELECT of find_by_login for a normalised `identifier`: lower(username) and the phone are
    each an index lookup (uq_user_username_lower, uq_user_phone)."""
    phone = normalize_phone(identifier)
    return db.select(User).where(or_(func.lower(User.username) == identifier.lower(), User.phone == phone))


def can_log_in(user: User) -> bool:
    """Active account, and its enterprise (if any) active too."""
    if not user.is_active:
        return False
    return user.enterprise is None or user.enterprise.is_active


def authenticate(identifier: str, password: str) -> User:
    """The user for a correct login (last login time recorded), else RuleViolation: one generic
    message for an unknown account or a wrong password, another for an account that cannot log in.
    Every attempt is audited (the caller commits also on failure to keep that record)."""
    user = find_by_login(identifier)
    if user is None:
        passwords.burn_time(password)
        audit.record("auth.login_failed", identifier=(identifier or "")[:64])
        raise RuleViolation(BAD_LOGIN)
    if not user.is_activated:
        passwords.burn_time(password)
        audit.record("auth.login_refused_not_activated", actor=user, obj=user)
        raise RuleViolation(_l("账号尚未开通，请用开通通知单上的开通码开通。"))
    if not passwords.verify(user.password_hash, password):
        audit.record("auth.login_failed", actor=user, obj=user, identifier=(identifier or "")[:64])
        raise RuleViolation(BAD_LOGIN)
    if not can_log_in(user):
        audit.record("auth.login_refused_inactive", actor=user, obj=user)
        raise RuleViolation(_l("该账号已停用，请联系管理员。"))
    user.last_login_at = clock.now()
    audit.record("auth.login", actor=user, obj=user)
    return user


def _session_user_statement():
    return (select(User).where(User.id == bindparam("user_id"))
            .options(joinedload(User.role_rows), joinedload(User.enterprise),
                     with_expression(User.unread_at_load, unread_count_of(User.id))))


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: `id:token`; a rotated token or an inactive account ends the session."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    # One statement with the roles and the enterprise joined (every page asks for the roles, and
    # can_log_in for the enterprise) instead of the user, a select-in of the roles and a lazy load.
    # The navigation's unread count comes in the same statement (User.unread_at_load). The statement is
    # kept (core.statements): every page sends it, and building it and its cache key cost more than
    # running it.
    stmt = shared_statement(("session_user",), _session_user_statement)
    user = db.session.execute(stmt, {"user_id": int(user_id)}).unique().scalar_one_or_none()
    if user is None or user.session_token != token or not can_log_in(user):
        return None
    return user


def end_all_sessions(user: User) -> None:
    """Rotate the user's session token: every session and remember-me cookie of theirs ends."""
    user.session_token = new_session_token()


def logout(user: User) -> None:
    """End this and every other session of the user."""
    end_all_sessions(user)
    audit.record("auth.logout", actor=user, obj=user)


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password is required and the new one differs and follows
    the password policy (RuleViolation otherwise); other sessions end."""
    if not passwords.verify(user.password_hash, current or ""):
        raise RuleViolation(_l("当前密码不正确。"), field="current_password")
    if current == new:
        raise RuleViolation(_l("新密码不能与当前密码相同。"), field="new_password")
    passwords.check_policy(new, personal=(user.username, user.phone))
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    end_all_sessions(user)
    audit.record("account.password_changed", actor=user, obj=user)

