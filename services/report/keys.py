"""The key figures of an officer's home page (issue 16): this year against last year for the officer's own
scope (the city for union admins, their town for a town officer, their enterprise for HR), each the same
figure as the yearly report's (the same functions of its parts, so home and report never disagree).

The figures: proposals collected and valid, Five Small participants (distinct authors), competitions
held, entrants (person-times), mentor pairs formed, titles awarded. Seven aggregate queries over indexed
dates, whatever the number of records (each covers this year and the last in one GROUP BY), memoised per
data version (services.common.figures_cache): with nothing changed, the home page reads one row.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import clock
from services.common import figures_cache
from services.errors import NotAllowed
from services.report import competitions, five_small, mentoring, titles
from services.report.figures import Figure
from services.report.periods import Span
from services.report.scope import ReportScope, own_scope

# (part of the report, figure function): in the order the home page shows them
KEY_FIGURES = (("five_small", five_small.collected), ("five_small", five_small.valid),
               ("five_small", five_small.people), ("competitions", competitions.held_figure),
               ("competitions", competitions.entrants), ("mentoring", mentoring.formed),
               ("titles", titles.awarded_figure))


@dataclass
class KeyFigures:
    scope: ReportScope
    year: int
    figures: list[tuple[str, Figure]]  # (part of the report, figure)


def key_figures(actor, year: int | None = None, town: dict | None = None) -> KeyFigures | None:
    """The key figures of `actor`'s own scope for `year` (default this year, Asia/Shanghai) and the year
    before; None for someone without an office (no report to read). `town`: the actor's town as the
    caller read it (services.report.scope.own_scope)."""
    try:
        scope = own_scope(actor, town)
    except NotAllowed:  # no office
        return None
    year = year or clock.today().year
    span = Span(year, year)
    figures = figures_cache.memoised(("key_figures", scope.key, year),
                                     lambda: [(part, make(scope, span)) for part, make in KEY_FIGURES])
    return KeyFigures(scope, year, figures)
