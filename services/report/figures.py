"""The shape of a report's figures and the one way they are counted (issue 16).

A `Figure` is one number per year of the span (and the year before it, for the change), with its total
over the span, its unit (counts of things, person-times 人次, distinct people 人, yuan) and its
definition as shown on the page. A `Section` is one part of the report (Five Small, competitions, ...):
its figures, breakdowns (e.g. prizes by level and grade) and charts.

`tally` counts one figure in ONE aggregate query grouped by year (services.report.periods.year_of);
for distinct counts the span's total is one more query (distinct over the whole span, never the sum of
years, so a person counted in two years is one person over the span).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from models import db
from services.report.periods import Span, within, year_of

COUNT, PERSON_TIMES, PEOPLE, YUAN, HOURS = "count", "person_times", "people", "yuan", "hours"
ENTERPRISES = "enterprises"


@dataclass
class Figure:
    """One figure: `values` per year (the span and the year before), `total` over the span."""

    key: str
    label: object
    definition: object
    unit: str
    values: dict[int, int | Decimal]
    total: int | Decimal

    def value(self, year: int) -> int | Decimal:
        return self.values.get(year, 0)

    def over(self, span: Span) -> int | Decimal:
        """The figure of `span` as its list counts it: one year's value, or the span's total."""
        return self.value(span.first) if span.first == span.last else self.total

    def change(self, year: int) -> Decimal | None:
        """The change against the year before, as a percentage (None when the year before had none)."""
        before = self.value(year - 1)
        if not before:
            return None
        return (Decimal(self.value(year) - before) * 100 / Decimal(before)).quantize(Decimal("0.1"))


@dataclass
class Breakdown:
    """Counts of one thing by category (e.g. prizes by level and grade) for each year: rows of
    (category label, Figure)."""

    key: str
    label: object
    definition: object
    rows: list[tuple[object, Figure]] = field(default_factory=list)


@dataclass
class Series:
    """Values of one figure across categories of the last year of the span (e.g. by month, by town):
    `points` are (label, value) in display order. A series whose bars link to the list behind them names
    the figure of its part they count (`drill`) and each point's scope as the list's arguments (`scopes`,
    e.g. {"town": 3}), in the points' order."""

    key: str
    title: object
    unit: str
    points: list[tuple[object, int | Decimal]] = field(default_factory=list)
    drill: str | None = None
    scopes: list[dict] = field(default_factory=list)


@dataclass
class Listing:
    """A short list of records shown under a part's figures (e.g. the last year's top ten innovation
    achievements): a title, a definition, column labels and rows of cell values (text, numbers, money)."""

    key: str
    title: object
    definition: object
    columns: list[object]
    rows: list[tuple] = field(default_factory=list)


@dataclass
class Section:
    """One part of the report."""

    key: str
    title: object
    figures: list[Figure] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    note: object = ""
    items: list[Listing] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def tally(span: Span, when, measure, where=(), source: Callable | None = None, dates: bool = False,
          distinct_total=None) -> tuple[dict[int, int | Decimal], int | Decimal]:
    """({year: value}, total over the span) of `measure` (an aggregate, e.g. func.count()) over the rows
    `where` selects, by the year of `when` (a timestamp column, or a date column with `dates`).

    `source(stmt)` adds the joins the condition needs. `distinct_total`, for a distinct count, is the
    aggregate counted once more over the whole span; otherwise the total is the sum of the years."""
    wide = span.with_previous
    bucket = year_of(when, wide, dates)
    stmt = select(bucket, measure).where(within(when, wide, dates), *where).group_by(bucket)
    if source is not None:
        stmt = source(stmt)
    values = {year: number(value) for year, value in db.session.execute(stmt) if year is not None}
    if distinct_total is None:
        return values, sum(values.get(year, 0) for year in span.years)
    if span.first == span.last:  # one year: its distinct count is the span's
        return values, values.get(span.first, 0)
    stmt = select(distinct_total).where(within(when, span, dates), *where)
    if source is not None:
        stmt = source(stmt)
    return values, number(db.session.scalar(stmt))


def tally_by(span: Span, when, keys, measure, where=(), source: Callable | None = None,
             dates: bool = False) -> dict[tuple, dict[int, int | Decimal]]:
    """{(key values...): {year: value}}: `tally` grouped by `keys` as well (one query)."""
    wide = span.with_previous
    bucket = year_of(when, wide, dates)
    stmt = select(bucket, *keys, measure).where(within(when, wide, dates), *where).group_by(bucket, *keys)
    if source is not None:
        stmt = source(stmt)
    result: dict[tuple, dict[int, int | Decimal]] = {}
    for row in db.session.execute(stmt):
        year, *key, value = row
        if year is not None:
            result.setdefault(tuple(key), {})[year] = number(value)
    return result


def figure(key, label, definition, unit, counted) -> Figure:
    """A Figure from `tally`'s answer."""
    values, total = counted
    return Figure(key, label, definition, unit, values, total)


def figure_from(key, label, definition, unit, values: dict[int, int | Decimal], span: Span) -> Figure:
    """A Figure of an additive count from its values per year."""
    return Figure(key, label, definition, unit, values, sum(values.get(y, 0) for y in span.years))


def distinct(column):
    return func.count(func.distinct(column))


def number(value):
    if value is None:
        return 0
    if isinstance(value, Decimal | int):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return value
