"""People and organisations: enterprises, towns, trades, user accounts and their roles.

One `user` row per person. A person may hold several roles (worker, judge, HR, union admin);
HR and workers belong to one enterprise, union admins and outside judges to none.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import db
from models.skills import MAX_RANK, level
from models.types import UTCDateTime, utcnow


class Role(enum.StrEnum):
    WORKER = "worker"
    JUDGE = "judge"
    HR = "hr"
    ADMIN = "admin"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.WORKER: _l("职工"),
    Role.JUDGE: _l("评委"),
    Role.HR: _l("企业人力资源"),
    Role.ADMIN: _l("总工会管理员"),
}

INDUSTRIES = {
    "footwear": _l("鞋服制造"),
    "textile": _l("纺织化纤"),
    "food": _l("食品饮料"),
    "ceramics": _l("建材陶瓷"),
    "machinery": _l("机械装备"),
    "paper": _l("纸制品"),
    "electronics": _l("电子信息"),
    "chemicals": _l("化工"),
    "logistics": _l("物流运输"),
    "construction": _l("建筑"),
    "services": _l("商贸服务"),
    "other": _l("其他"),
}


class Town(db.Model):
    """A town (镇) or street (街道) of the city; enterprises are filtered by it."""

    __tablename__ = "town"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def __str__(self) -> str:
        return self.name


class Trade(db.Model):
    """A trade (工种), e.g. 制鞋工 or 电工."""

    __tablename__ = "trade"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return self.name


class Enterprise(db.Model):
    """A member enterprise, identified by its unified social credit code (统一社会信用代码)."""

    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("town.id"), index=True)
    industry: Mapped[str] = mapped_column(String(32), index=True)
    is_member: Mapped[bool] = mapped_column(Boolean, default=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    town: Mapped[Town] = relationship()

    @property
    def industry_label(self):
        return INDUSTRIES.get(self.industry, self.industry)

    def __str__(self) -> str:
        return self.name


class UserRole(db.Model):
    """One role held by one user; a user may hold several."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """A person's account and, for workers, their profile."""

    __tablename__ = "user"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "employee_no"),
        CheckConstraint(
            f"skill_level IS NULL OR (skill_level >= 0 AND skill_level <= {MAX_RANK})",
            name="skill_level_on_ladder",
        ),
        CheckConstraint("username IS NOT NULL OR phone IS NOT NULL", name="has_login"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str | None] = mapped_column(String(32), unique=True)
    phone: Mapped[str | None] = mapped_column(String(11), unique=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    employee_no: Mapped[str | None] = mapped_column(String(32))
    trade_id: Mapped[int | None] = mapped_column(ForeignKey("trade.id"), index=True)
    skill_level: Mapped[int | None] = mapped_column(SmallInteger, index=True)
    hire_date: Mapped[date | None] = mapped_column(Date)
    # Since when the person works in this trade (years in the trade count for titles); defaults
    # to the hire date when not given.
    trade_since: Mapped[date | None] = mapped_column(Date)
    birth_date: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # Rotated at logout, password change and deactivation: every other session and
    # remember-me cookie of this user then stops working (see get_id / the user loader).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optional, for notifications by e-mail (the person sets it in their profile).
    email: Mapped[str | None] = mapped_column(String(120))

    enterprise: Mapped[Enterprise | None] = relationship()
    trade: Mapped[Trade | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by=UserRole.id
    )

    # Flask-Login: the id kept in the session names the token too, so rotating the token
    # ends every session opened before.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def roles(self) -> set[Role]:
        return {Role(row.role) for row in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    @property
    def skill(self):
        return level(self.skill_level)

    @property
    def in_trade_since(self) -> date | None:
        return self.trade_since or self.hire_date

    @property
    def login_name(self) -> str:
        return self.username or self.phone or ""

    def __str__(self) -> str:
        return self.name
