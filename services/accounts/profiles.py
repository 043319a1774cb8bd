"""The profile of an account and its rules: what people.create_account / update_account apply.

Rules (the module services.accounts.people states them for accounts as a whole):
- A worker or HR account belongs to an active enterprise; a worker has a phone number, an employee
  number (unique within the enterprise, stored normalised: NFKC, trimmed, upper case), a trade and a
  skill level. Usernames and phone numbers are unique; at least one of them is set, to log in with.
- Dates: birth and hire dates and "in the trade since" are not in the future; a worker was at least
  16 when hired and when starting the trade (`check_dates`).
- Education (学历) is a code of models.vocabulary.EDUCATION_LEVELS.
Each refusal is a RuleViolation on the field concerned, in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func

from core import clock
from core.l10n import lazy_gettext as _l
from models import Enterprise, Role, Trade, User, db
from models.vocabulary import EDUCATION_LEVELS
from services.common import skills
from services.common.validators import is_valid_mobile, normalize_employee_no, normalize_phone
from services.errors import RuleViolation

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


def snapshot(user: User) -> dict:
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


def require_worker_fields(user: User) -> None:
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


def apply_profile(user: User, profile: Profile, roles: set[Role], *, identifiers_checked: bool = False) -> None:
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
        require_worker_fields(user)


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
