"""What craftsman titles put on people's to-do lists (services.messages.todos): the rounds an
enterprise's HR can still nominate for, with the nearest deadline; the union's nominations to review
and rounds whose nomination deadline passed (to close with the awards' public notice). Each is one
indexed count query; each links to the titles page that lists them.
"""

from __future__ import annotations

from sqlalchemy import func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models.titles import NOMINATION_SUBMITTED, ROUND_CLOSED, ROUND_OPEN, Nomination, TitleRound
from services.messages.inbox import link_to
from services.messages.todos import NOW, Tally, Todo, city_counter, enterprise_counter

TITLES = "titles.index"


@enterprise_counter("titles.rounds")
def nomination_todos(enterprise_id: int) -> list[Tally]:
    """HR: title rounds open for nominations, with the nearest deadline."""

    def make(count, deadline) -> list[Todo]:
        day = deadline.astimezone(clock.SHANGHAI).date() if deadline else None
        return [Todo(_l("可推荐工匠称号的评选"), count or 0, link_to(TITLES), deadline=day)]

    return [Tally(("titles.rounds",), lambda: select(func.count(TitleRound.id), func.min(TitleRound.deadline)).where(
        TitleRound.status == ROUND_OPEN, TitleRound.deadline > NOW), {}, make)]


@city_counter("titles.review")
def review_todos() -> list[Tally]:
    """The union: nominations waiting for review; rounds past their nomination deadline, not yet on notice."""

    def build():
        waiting = select(func.count(Nomination.id)).join(TitleRound).where(
            Nomination.status == NOMINATION_SUBMITTED, TitleRound.status.in_((ROUND_OPEN, ROUND_CLOSED)))
        to_close = select(func.count(TitleRound.id)).where(
            TitleRound.status.in_((ROUND_OPEN, ROUND_CLOSED)), TitleRound.deadline <= NOW)
        return select(waiting.scalar_subquery(), to_close.scalar_subquery())

    def make(waiting, to_close) -> list[Todo]:
        return [Todo(_l("待评审的称号推荐"), waiting or 0, link_to(TITLES)),
                Todo(_l("推荐已截止、待公示的评选"), to_close or 0, link_to(TITLES))]

    return [Tally(("titles.review",), build, {}, make)]
