"""Figures for the role home pages: the admin's city totals and HR's enterprise.

Neither counts accounts per view (docs/domain.md, "Scale the platform is built for"): active accounts
in total and per role, and an enterprise's active workers per skill level, are models.counts rows kept
in the same transaction as every account or role change; enterprises are counted on their own small
table (2,500 rows).
"""

from __future__ import annotations

from sqlalchemy import func

from models import AccountCount, Enterprise, Role, db
from models.counts import ALL_ACCOUNTS, CITY, NO_LEVEL


def admin_summary() -> dict:
    """Active enterprises, active accounts, and active accounts per role (`per_role`: Role -> count)."""
    enterprises = db.session.scalar(db.select(func.count(Enterprise.id)).where(Enterprise.is_active))
    counts = _counts(CITY)
    return {
        "enterprises": enterprises,
        "accounts": counts.get(ALL_ACCOUNTS, 0),
        "per_role": {role: counts.get(str(role), 0) for role in Role},
    }


def enterprise_summary(enterprise_id: int) -> dict:
    """Active workers of one enterprise and how many stand at each skill level (`per_level`: rank or
    None -> count)."""
    per_level = {None if key == NO_LEVEL else int(key.removeprefix("level:")): n
                 for key, n in _counts(enterprise_id).items() if n}
    return {"workers": sum(per_level.values()), "per_level": per_level}


def _counts(enterprise_id: int) -> dict[str, int]:
    return dict(db.session.execute(db.select(AccountCount.key, AccountCount.n)
                                   .where(AccountCount.enterprise_id == enterprise_id)).all())
