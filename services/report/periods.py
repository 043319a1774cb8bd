"""Years of the union's report (issue 16): a span of calendar years in Asia/Shanghai, and the SQL that
puts a row into its year.

A row's year is decided by one date or timestamp of it (each figure names which). Timestamps are stored
in UTC, so a year's bounds are its Shanghai new year's midnights in UTC; the bucket is a CASE over those
bounds (the same SQL on SQLite and PostgreSQL, and the WHERE on the same bounds uses the column's index).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case

from core import clock
from core.l10n import lazy_gettext as _l
from services.errors import RuleViolation

# The report shows at most this many years at once (the source article reports five).
MAX_YEARS = 5


@dataclass(frozen=True)
class Span:
    """The calendar years first..last (inclusive)."""

    first: int
    last: int

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    @property
    def with_previous(self) -> Span:
        """The span and the year before it (for the year-over-year change of its first year)."""
        return Span(self.first - 1, self.last)

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def span_of(first: int | None, last: int | None) -> Span:
    """The span a request asks for: one year (`first` alone, or neither: this year), or first..last,
    at most MAX_YEARS long; RuleViolation (on "first") when last < first or the span is longer."""
    this_year = clock.today().year
    first = first or last or this_year
    last = last or first
    if last < first or last - first + 1 > MAX_YEARS:
        raise RuleViolation(_l("年份范围不对：结束年份不能早于开始年份，且最多 %(n)d 年。", n=MAX_YEARS), field="first")
    return Span(first, last)


def requested_span(first: int | None, last: int | None) -> tuple[Span, object | None]:
    """The span a page asks for, or this year with the reason when it asks for a wrong one (a page shows
    the reason beside its year field rather than refusing the whole page)."""
    try:
        return span_of(first, last), None
    except RuleViolation as refusal:
        return span_of(None, None), refusal.message


def start_of(year: int, dates: bool = False):
    """The first moment of `year` in Shanghai: a date for date columns, an aware datetime otherwise."""
    return date(year, 1, 1) if dates else datetime(year, 1, 1, tzinfo=clock.SHANGHAI)


def within(column, span: Span, dates: bool = False):
    """SQL: `column` falls within the span's years."""
    return and_(column >= start_of(span.first, dates), column < start_of(span.last + 1, dates))


def year_of(column, span: Span, dates: bool = False):
    """SQL: the year of `column` within the span (NULL outside it)."""
    return case(*((and_(column >= start_of(year, dates), column < start_of(year + 1, dates)), year)
                  for year in span.years), else_=None)


def month_start(year: int, month: int, dates: bool = False):
    """The first moment of a month in Shanghai (a date for date columns)."""
    if month == 13:
        return start_of(year + 1, dates)
    return date(year, month, 1) if dates else datetime(year, month, 1, tzinfo=clock.SHANGHAI)


def month_of(column, year: int, dates: bool = False):
    """SQL: the month (1-12) of `column` within `year` (NULL outside it)."""
    return case(*((and_(column >= month_start(year, m, dates), column < month_start(year, m + 1, dates)), m)
                  for m in range(1, 13)), else_=None)
