"""The union's yearly report (年度统计报告, issue 16): the source article's figures for a year or a span of
years, for the city, a town or an enterprise, computed from the platform's own records (never typed in).

Modules:
- periods: the span of years and the SQL that puts a row into its year (Asia/Shanghai)
- scope: which scope a reader may ask for, and how records and events are attributed to it
- figures: Figure / Breakdown / Section, and `tally` (one aggregate query per figure)
- five_small, competitions, mentoring, training, titles, participation: the parts (each documents its
  definitions)
- charts: the server-drawn SVG charts (pygal)

The sections of a scope and span are memoised per data version (services.common.figures_cache: never
stale, one query when nothing changed); the scope and its permission check are resolved per request, and
the parts are only computed when something reads them (`Report.sections`): the page's rendered parts and
its charts are memoised too (and, with Redis, shared), computed once per change for every app server.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from services.common import figures_cache
from services.report import competitions, five_small, mentoring, participation, titles, training
from services.report.figures import Section
from services.report.periods import Span, span_of
from services.report.scope import ReportScope, resolve

# The parts in the order the report shows them: each is section(scope, span) -> Section.
SECTIONS = (five_small.section, competitions.section, mentoring.section, training.section, titles.section,
            participation.section)


@dataclass
class Report:
    """A reader's report: the resolved scope and span; its parts are computed (or taken from the memo) the
    first time they are read, so a page served from the rendered parts reads none."""

    scope: ReportScope
    span: Span

    @cached_property
    def sections(self) -> list[Section]:
        return sections(self.scope, self.span)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def build(actor, town_id: int | None = None, enterprise_id: int | None = None, first: int | None = None,
          last: int | None = None) -> Report:
    """The report `actor` asks for: the scope (services.report.scope.resolve: NotAllowed / NotFound) and
    the span (services.report.periods.span_of: RuleViolation for a span backwards or over five years)."""
    scope = resolve(actor, town_id=town_id, enterprise_id=enterprise_id)
    span = span_of(first, last)
    return Report(scope, span)


def _key(scope: ReportScope, span: Span) -> tuple:
    return ("report", scope.key, span.first, span.last)


def sections(scope: ReportScope, span: Span) -> list[Section]:
    """Every part of the report of `scope` over `span`, memoised per data version (figures_cache; the
    result is shared: read it, never change it)."""
    return figures_cache.memoised(_key(scope, span), lambda: [section(scope, span) for section in SECTIONS])


def memoised_section(scope: ReportScope, span: Span, key: str) -> Section | None:
    """The part `key` of the report of `scope` over `span` when `sections` holds it under the current data
    version (e.g. the reader has just opened the report), else None: nothing is computed (a list behind a
    figure then counts for itself; the whole report costs seconds at the city's scale). Shared: read it,
    never change it."""
    parts = figures_cache.peek(_key(scope, span))
    return next((part for part in parts if part.key == key), None) if parts is not None else None
