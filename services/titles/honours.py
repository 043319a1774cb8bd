"""The public honour roll (荣誉榜): current title holders and titles on notice, no login needed.

Revoked titles are left out; titles on notice are shown as such (docs/domain.md, "Titles": an
honour is published for objections before it is final).
"""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import func

from models import Enterprise, Trade, User, db
from models.titles import AWARD_FINAL, AWARD_NOTICE, TitleAward, TitleType
from models.vocabulary import TITLE_LABELS, reference_label


def honour_roll_query(title_type_id: int | None = None, year: int | None = None):
    """Final and on-notice awards, of one title type and award year when given, newest first, as plain rows
    of what the roll shows: id, worker_name, title_name, trade_name (the worker's; None without one),
    enterprise_name (None without one), award_date, status, round_id, citation; and first_award and
    last_award, the two ends of every award's date (award_years), the same on each row, so a page that has
    rows needs no statement of its own for the year filter. The names are scalar subqueries: PostgreSQL
    reads them for the page's rows only, after the sort and its LIMIT (a join read them for every award)."""
    stmt = db.select(*_roll_columns()).where(TitleAward.status.in_((AWARD_FINAL, AWARD_NOTICE)))
    if title_type_id:
        stmt = stmt.where(TitleAward.title_type_id == title_type_id)
    if year:  # a range of the indexed award date, not a function of it
        stmt = stmt.where(TitleAward.award_date.between(date(year, 1, 1), date(year, 12, 31)))
    return stmt.order_by(TitleAward.award_date.desc(), TitleAward.title_type_id, TitleAward.id)


@cache
def _roll_columns() -> tuple:
    """honour_roll_query's columns, built once per process (constant expressions, correlated when selected)."""

    def named(column, *where):  # one value of the award's row, read for the page's rows only
        return db.select(column).where(*where).scalar_subquery()

    first, last = (db.select(end(TitleAward.award_date)).scalar_subquery() for end in (func.min, func.max))
    return (TitleAward.id, named(User.name, User.id == TitleAward.worker_id).label("worker_name"),
            named(TitleType.name, TitleType.id == TitleAward.title_type_id).label("title_name"),
            named(Trade.name, Trade.id == User.trade_id, User.id == TitleAward.worker_id).label("trade_name"),
            named(Enterprise.name, Enterprise.id == TitleAward.enterprise_id).label("enterprise_name"),
            TitleAward.award_date, TitleAward.status, TitleAward.round_id, TitleAward.citation,
            first.label("first_award"), last.label("last_award"))


def award_years(rows=()) -> list[int]:
    """The years from the first title awarded to the last, newest first (the honour roll's year filter):
    the two ends of the award-date index, not a scan of every award; read from the roll's `rows`
    (honour_roll_query's first_award and last_award) when there are any."""
    if rows:
        first, last = rows[0].first_award, rows[0].last_award
    else:
        first, last = db.session.execute(db.select(func.min(TitleAward.award_date),
                                                   func.max(TitleAward.award_date))).one()
    return list(range(last.year, first.year - 1, -1)) if first and last else []


def title_label(name: str) -> str:
    """A title type's name in the reader's language (TitleType.label of a type named `name`)."""
    return reference_label(TITLE_LABELS, name)
