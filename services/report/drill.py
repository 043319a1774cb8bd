"""What a list behind a report figure is asked for (docs/domain.md, "The yearly report", drill-down): the
years (`year`, or `first` and `last` for the span's total) and the report's scope (`town` or `enterprise`,
none for the reader's own node), checked exactly as the report checks them (services.report.scope.resolve).

Rules:
- No `year` and no `first`: the list is not a drill-down (None), it keeps its own filters.
- The years are a span of at most periods.MAX_YEARS calendar years in Asia/Shanghai (periods.span_of); a
  wrong span is NotFound (an address no report page makes).
- The scope is the report's: NotAllowed for a reader who reads no report, NotFound for a town or an
  enterprise outside the reader's reach; a list behind a figure never shows more than the report may.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from services.errors import NotFound, RuleViolation
from services.report import periods
from services.report import scope as scopes


def unknown_figure() -> NotFound:
    """The refusal of a list asked for a figure it does not stand behind (an address no report page makes)."""
    return NotFound(_l("没有这个统计项。"))


@dataclass(frozen=True)
class Drilled:
    """The years and the scope of one drill-down."""

    span: periods.Span
    scope: scopes.ReportScope

    @property
    def args(self) -> dict:
        """The address arguments that ask for this drill-down again (exports, paging)."""
        when = ({"year": self.span.first} if self.span.first == self.span.last
                else {"first": self.span.first, "last": self.span.last})
        return {**when, **self.scope_args}

    @property
    def scope_args(self) -> dict:
        return {self.scope.kind: self.scope.id} if self.scope.kind in (scopes.TOWN, scopes.ENTERPRISE) else {}

    @property
    def report_args(self) -> dict:
        """The address arguments of the report page this drill-down came from."""
        return {"first": self.span.first, "last": self.span.last, **self.scope_args}


def requested(actor, year: int | None, first: int | None, last: int | None, town_id: int | None,
              enterprise_id: int | None) -> Drilled | None:
    """The drill-down `actor` asks for (see the module rules), or None without a year."""
    if not year and not first:
        return None
    try:
        span = periods.span_of(year, year) if year else periods.span_of(first, last)
    except RuleViolation as refusal:
        raise NotFound(refusal.message) from refusal
    return Drilled(span, scopes.resolve(actor, town_id=town_id, enterprise_id=enterprise_id))
