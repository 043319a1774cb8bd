"""The public honour roll (荣誉榜): current title holders and titles on notice, no login needed.

Revoked titles are left out; titles on notice are shown as such (docs/domain.md, "Titles": an
honour is published for objections before it is final).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func

from models import User, db
from models.titles import AWARD_FINAL, AWARD_NOTICE, TitleAward


def honour_roll_query(title_type_id: int | None = None, year: int | None = None):
    """Final and on-notice awards, of one title type and award year when given, newest first."""
    stmt = (db.select(TitleAward)
            .options(db.joinedload(TitleAward.title_type),
                     db.joinedload(TitleAward.worker).options(db.joinedload(User.trade), db.lazyload(User.role_rows)),
                     db.joinedload(TitleAward.enterprise))
            .where(TitleAward.status.in_((AWARD_FINAL, AWARD_NOTICE))))
    if title_type_id:
        stmt = stmt.where(TitleAward.title_type_id == title_type_id)
    if year:  # a range of the indexed award date, not a function of it
        stmt = stmt.where(TitleAward.award_date.between(date(year, 1, 1), date(year, 12, 31)))
    return stmt.order_by(TitleAward.award_date.desc(), TitleAward.title_type_id, TitleAward.id)


def award_years() -> list[int]:
    """The years from the first title awarded to the last, newest first (the honour roll's year filter):
    the two ends of the award-date index, not a scan of every award."""
    first, last = db.session.execute(db.select(func.min(TitleAward.award_date), func.max(TitleAward.award_date))).one()
    return list(range(last.year, first.year - 1, -1)) if first and last else []
