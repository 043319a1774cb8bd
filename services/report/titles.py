"""The craftsman titles (工匠) part of the yearly report (issue 16).

Definitions (shown on the page; docs/domain.md, "The yearly report"). A title counts for the scope of the
enterprise recorded on it (the holder's employer when it was awarded, at the award's creation).
- Awarded: titles whose award date falls in the year and that were not revoked since, by title and by
  level (city, prefecture, province); titles still on public notice are not counted.
- Revoked: titles revoked in the year (by the day of revocation).
- Nominations: nominations made in the year (withdrawn ones excluded).
"""

from __future__ import annotations

from sqlalchemy import func

from core.l10n import lazy_gettext as _l
from models.titles import (
    AWARD_FINAL,
    AWARD_REVOKED,
    NOMINATION_WITHDRAWN,
    TITLE_LEVELS,
    Nomination,
    TitleAward,
    TitleType,
)
from models.vocabulary import TITLE_LABELS, reference_label
from services.report import scope as scopes
from services.report.figures import COUNT, Breakdown, Figure, Section, figure, figure_from, tally, tally_by
from services.report.periods import Span


def awarded_figure(scope, span: Span) -> Figure:
    """Titles awarded (one query)."""
    awarded = (scopes.records(scope, TitleAward.enterprise_id, at=TitleAward.created_at),
               TitleAward.status == AWARD_FINAL)
    return figure("awarded", _l("授予称号"), _l("当年授予且未被撤销的称号数（公示中的不计）。"), COUNT,
                  tally(span, TitleAward.award_date, func.count(), awarded, dates=True))


def section(scope, span: Span) -> Section:
    """The titles figures of `scope` over `span` (see the module's definitions)."""
    in_scope = scopes.records(scope, TitleAward.enterprise_id, at=TitleAward.created_at)
    awarded = (in_scope, TitleAward.status == AWARD_FINAL)
    result = Section("titles", _l("工匠荣誉"))
    result.figures.append(awarded_figure(scope, span))
    result.figures.append(figure("revoked", _l("撤销称号"), _l("当年撤销的称号数（按撤销的日期）。"), COUNT,
                                 tally(span, TitleAward.revoked_at, func.count(),
                                       (in_scope, TitleAward.status == AWARD_REVOKED))))
    result.figures.append(figure(
        "nominations", _l("推荐申报"), _l("当年提交的称号推荐（不含撤回的）。"), COUNT,
        tally(span, Nomination.created_at, func.count(),
              (Nomination.status != NOMINATION_WITHDRAWN,
               scopes.records(scope, Nomination.enterprise_id, at=Nomination.created_at)))))

    def with_type(stmt):
        return stmt.select_from(TitleAward).join(TitleType, TitleType.id == TitleAward.title_type_id)

    by_title = tally_by(span, TitleAward.award_date, (TitleType.level, TitleType.name), func.count(), awarded,
                        source=with_type, dates=True)
    breakdown = Breakdown("by_title", _l("授予称号（按级别和称号）"), _l("按称号的级别和名称统计当年授予的称号。"))
    order = list(TITLE_LEVELS)
    for (level, name), values in sorted(by_title.items(), key=lambda item: (
            -(order.index(item[0][0]) if item[0][0] in order else -1), item[0][1])):
        label = TITLE_LEVELS.get(level, level)
        shown = reference_label(TITLE_LABELS, name)
        breakdown.rows.append(((label, shown), figure_from(f"title.{level}.{name}", shown, "", COUNT, values, span)))
    result.breakdowns.append(breakdown)
    return result
