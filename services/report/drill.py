"""The yearly report's filter of a list behind one of its figures (issue 16, the drill-down): the span of
years and the report's scope, as a list reads them from its address.

Rules (docs/domain.md, "The yearly report"; blueprints/report DRILL_DOWN builds the addresses):
- `year` asks for one calendar year (Asia/Shanghai); `first` and `last` for the span's total (inclusive);
  a wrong span (last before first, longer than periods.MAX_YEARS) is NotFound with the report's reason.
- The scope is the report's: `enterprise`, else `town`, else the reader's own node, checked exactly as the
  report checks it (services.report.scope.resolve: NotAllowed without an office, NotFound outside the
  reader's reach), so a list never shows more than the report it stands behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.errors import NotFound, RuleViolation
from services.report import periods
from services.report import scope as scopes
from services.report.periods import Span


@dataclass(frozen=True)
class ReportFilter:
    """The span and the scope a drilled list applies (see the module's rules)."""

    span: Span
    scope: scopes.ReportScope

    @property
    def params(self) -> dict:
        """The address arguments (and a job's parameters) that give this filter back."""
        when = ({"year": self.span.first} if self.span.first == self.span.last
                else {"first": self.span.first, "last": self.span.last})
        where = {self.scope.kind: self.scope.id} if self.scope.kind in (scopes.TOWN, scopes.ENTERPRISE) else {}
        return when | where

    @property
    def label(self) -> str:
        """E.g. "2026 · 池店镇" as the list's filter status shows it."""
        return f"{self.span.label} · {self.scope.name}"


def report_filter(actor, *, year=None, first=None, last=None, town_id=None, enterprise_id=None):
    """The report's filter a list's address asks for, or None when it names no year (a list not drilled
    into). Raises NotFound for a wrong span, NotAllowed / NotFound as services.report.scope.resolve."""
    if not (year or first or last):
        return None
    try:
        span = Span(year, year) if year else periods.span_of(first, last)
    except RuleViolation as refusal:
        raise NotFound(refusal.message) from None
    return ReportFilter(span, scopes.resolve(actor, town_id=town_id, enterprise_id=enterprise_id))


def from_params(actor, params: dict | None):
    """`report_filter` from a job's stored parameters (ReportFilter.params)."""
    params = params or {}
    return report_filter(actor, year=params.get("year"), first=params.get("first"), last=params.get("last"),
                         town_id=params.get("town"), enterprise_id=params.get("enterprise"))
