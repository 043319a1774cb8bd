"""Figures for the role home pages (the admin's city totals, HR's enterprise), each a single aggregate query."""

from __future__ import annotations

from sqlalchemy import func

from models import Enterprise, Role, User, UserRole, db


def admin_summary() -> dict:
    """Counts of active enterprises, active accounts and accounts per role."""
    enterprises = db.session.scalar(
        db.select(func.count(Enterprise.id)).where(Enterprise.is_active)
    )
    accounts = db.session.scalar(db.select(func.count(User.id)).where(User.is_active))
    per_role = dict(
        db.session.execute(
            db.select(UserRole.role, func.count(UserRole.id))
            .join(User, User.id == UserRole.user_id)
            .where(User.is_active)
            .group_by(UserRole.role)
        ).all()
    )
    return {
        "enterprises": enterprises,
        "accounts": accounts,
        "per_role": {role: per_role.get(str(role), 0) for role in Role},
    }


def enterprise_summary(enterprise_id: int) -> dict:
    """Active workers of one enterprise and how many stand at each skill level."""
    rows = db.session.execute(
        db.select(User.skill_level, func.count(User.id))
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.enterprise_id == enterprise_id, User.is_active, UserRole.role == Role.WORKER)
        .group_by(User.skill_level)
    ).all()
    per_level = dict(rows)
    return {"workers": sum(per_level.values()), "per_level": per_level}
