"""The public honour roll (荣誉榜): current title holders and titles on notice, no login needed.

Revoked titles are left out; titles on notice are shown as such (docs/domain.md, "Titles": an
honour is published for objections before it is final).
"""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import bindparam, func

from models import Enterprise, Trade, User, db
from models.titles import AWARD_FINAL, AWARD_NOTICE, TitleAward, TitleType
from models.vocabulary import TITLE_LABELS, reference_label
from services.common.rows import LIMIT, OFFSET, kept_rows_page


def honour_roll_page(title_type_id: int | None, year: int | None, page: int, per_page: int):
    """Page `page` (of `per_page`) of the final and on-notice awards, of one title type and award year when
    given, newest first, with their total (a KeptRowsPagination: a kept statement per combination of the
    two filters, services.common.rows.kept_rows_page). Each row holds what the roll shows: id, worker_name,
    title_name, trade_name (the worker's; None without one), enterprise_name (None without one),
    award_date, status, round_id, citation; and first_award and last_award, the two ends of every award's
    date (award_years), the same on each row, so a page that has rows needs no statement of its own for
    the year filter. The names are scalar subqueries: PostgreSQL reads them for the page's rows only, after
    the sort and its LIMIT (a join read them for every award)."""
    shape = (bool(title_type_id), bool(year))
    params = {_TITLE.key: title_type_id} if title_type_id else {}
    if year:  # a range of the indexed award date, not a function of it
        params.update({_FROM.key: date(year, 1, 1), _TO.key: date(year, 12, 31)})
    return kept_rows_page(("titles.honour_roll", *shape), lambda counted: _roll_statement(*shape, counted),
                          params, page, per_page)


_TITLE, _FROM, _TO = bindparam("roll_title"), bindparam("roll_from"), bindparam("roll_to")


def _roll_statement(by_title: bool, by_year: bool, counted: bool):
    """honour_roll_page's statement: the matching awards' count, or a page of its rows."""
    condition = [TitleAward.status.in_((AWARD_FINAL, AWARD_NOTICE))]
    if by_title:
        condition.append(TitleAward.title_type_id == _TITLE)
    if by_year:
        condition.append(TitleAward.award_date.between(_FROM, _TO))
    if counted:
        return db.select(func.count(TitleAward.id)).where(*condition)
    return (db.select(*_roll_columns(), func.count().over()).where(*condition)
            .order_by(TitleAward.award_date.desc(), TitleAward.title_type_id, TitleAward.id)
            .limit(LIMIT).offset(OFFSET))


@cache
def _roll_columns() -> tuple:
    """honour_roll_page's columns, built once per process (constant expressions, correlated when selected)."""

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
    (honour_roll_page's first_award and last_award) when there are any."""
    if rows:
        first, last = rows[0].first_award, rows[0].last_award
    else:
        first, last = db.session.execute(db.select(func.min(TitleAward.award_date),
                                                   func.max(TitleAward.award_date))).one()
    return list(range(last.year, first.year - 1, -1)) if first and last else []


def title_label(name: str) -> str:
    """A title type's name in the reader's language (TitleType.label of a type named `name`)."""
    return reference_label(TITLE_LABELS, name)
