"""The yearly report's filter of a list behind one of its figures (issue 16, the drill-down): the span of
years and the report's scope, as a list reads them from its address.

Rules (docs/domain.md, "The yearly report"; blueprints/report DRILL_DOWN builds the addresses):
- No `year` and no `first`: the list is not a drill-down (None), it keeps its own filters.
- `year` asks for one calendar year (Asia/Shanghai); `first` and `last` for the span's total (inclusive);
  a wrong span (last before first, longer than periods.MAX_YEARS) is NotFound with the report's reason
  (an address no report page makes).
- The scope is the report's: `enterprise`, else `town`, else the reader's own node, checked exactly as the
  report checks it (services.report.scope.resolve: NotAllowed without an office, NotFound outside the
  reader's reach), so a list never shows more than the report it stands behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.l10n import lazy_gettext as _l
from services.errors import NotFound, RuleViolation
from services.report import periods
from services.report import scope as scopes


def unknown_figure() -> NotFound:
    """The refusal of a list asked for a figure it does not stand behind (an address no report page makes)."""
    return NotFound(_l("没有这个统计项。"))


@dataclass(frozen=True)
class ReportFilter:
    """The span and the scope a drilled list applies (see the module's rules)."""

    span: periods.Span
    scope: scopes.ReportScope

    @property
    def scope_args(self) -> dict:
        return {self.scope.kind: self.scope.id} if self.scope.kind in (scopes.TOWN, scopes.ENTERPRISE) else {}

    @property
    def params(self) -> dict:
        """The address arguments (and a job's parameters) that ask for this filter again (exports, paging)."""
        when = ({"year": self.span.first} if self.span.first == self.span.last
                else {"first": self.span.first, "last": self.span.last})
        return when | self.scope_args

    @property
    def label(self) -> str:
        """E.g. "2026 · 池店镇" as the list's filter status shows it."""
        return f"{self.span.label} · {self.scope.name}"


def report_filter(actor, *, year=None, first=None, last=None, town_id=None, enterprise_id=None):
    """The report's filter a list's address asks for, or None when it names no year (a list not drilled
    into). Raises NotFound for a wrong span, NotAllowed / NotFound as services.report.scope.resolve."""
    if not (year or first):
        return None
    try:
        span = periods.span_of(year, year) if year else periods.span_of(first, last)
    except RuleViolation as refusal:
        raise NotFound(refusal.message) from None
    return ReportFilter(span, scopes.resolve(actor, town_id=town_id, enterprise_id=enterprise_id))


def from_params(actor, params: dict | None):
    """`report_filter` from a job's stored parameters (ReportFilter.params)."""
    params = params or {}
    return report_filter(actor, year=params.get("year"), first=params.get("first"), last=params.get("last"),
                         town_id=params.get("town"), enterprise_id=params.get("enterprise"))
