"""Changing a person's phone number (the login most people use), so that their next employer finds the
same account instead of creating a second one.

Rules:
- The person themself, confirming with their password (RuleViolation on "password" otherwise); or the
  HR of their current employer; or a union admin (HR never changes an admin's phone). Anyone else:
  NotFound (404).
- The new number is a valid 11-digit mainland mobile, differs from the current one and is free
  (RuleViolation on "phone"); the old number is freed at once (one account per number).
- Audited with the old and the new number.
"""

from __future__ import annotations

from sqlalchemy import select

from core.l10n import lazy_gettext as _l
from models import Role, User, db
from services import policy
from services.common import audit, passwords
from services.common.validators import is_valid_mobile, normalize_phone
from services.errors import NotFound, RuleViolation


def can_change_phone(actor, person: User) -> bool:
    """The person, HR of their current employer (not for an admin's account) or a union admin."""
    if actor.id == person.id or policy.is_admin(actor):
        return True
    return (policy.is_hr(actor) and person.enterprise_id == actor.enterprise_id
            and not person.has_role(Role.ADMIN))


def change_phone(actor, person: User, new_phone: str | None, password: str | None = None) -> User:
    """Give `person` the phone `new_phone` (rules in the module docstring); `password` is the
    person's own password when they change it themself."""
    if not can_change_phone(actor, person):
        raise NotFound(_l("找不到这个账号。"))
    if actor.id == person.id and not passwords.verify(person.password_hash, password or ""):
        raise RuleViolation(_l("密码不正确，未更换手机号。"), field="password")
    phone = normalize_phone(new_phone)
    if not is_valid_mobile(phone):
        raise RuleViolation(_l("请输入新的 11 位大陆手机号码。"), field="phone")
    if phone == person.phone:
        raise RuleViolation(_l("新手机号与当前手机号相同。"), field="phone")
    if db.session.scalar(select(User.id).where(User.phone == phone, User.id != person.id)):
        raise RuleViolation(_l("这个手机号已登记在其他账号名下。"), field="phone")
    old = person.phone
    person.phone = phone
    db.session.flush()
    audit.record("account.phone_changed", actor=actor, obj=person, old=old, new=phone)
    return person
