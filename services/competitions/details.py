"""What a competition's page shows of its set-up besides its own columns: the eligible trades (in name
order), the practical items (in their order) and the prize tiers (by first rank), as plain rows.

Why: read through the competition's relationships they were three lazy loads (three statements) and ORM
entities on every view of the page; here they are one kept statement (core.statements.shared_statement, the
competition a bind parameter), a UNION ALL of the three lists in columns they share, so no list multiplies
another's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, String, bindparam, cast, literal, null, select, union_all

from core.statements import shared_statement
from models import Trade, db
from models.competitions import CompetitionItem, CompetitionPrizeTier, PrizeLabels, competition_trade
from services.common.rows import PlainRow
from services.competitions.eligibility import OpenTrade

_COMPETITION = bindparam("details_competition")


class ItemRow(PlainRow):
    """A practical item: its name and weight (per cent)."""

    __slots__ = ("name", "weight")


class TierRow(PlainRow, PrizeLabels):
    """A prize tier: ranks from and to, prize and honour codes (their labels as CompetitionPrizeTier's)."""

    __slots__ = ("rank_from", "rank_to", "prize", "honour")


@dataclass
class CompetitionDetails:
    """A competition's eligible trades (OpenTrade: id, name, label), items (ItemRow), prize tiers (TierRow)."""

    eligible_trades: list = field(default_factory=list)
    items: list = field(default_factory=list)
    prize_tiers: list = field(default_factory=list)


def _statement():
    """(kind, order, number, text, text) of the three lists, in the page's order within each."""
    i, t = CompetitionItem, CompetitionPrizeTier
    trades = (select(literal("t"), literal(0, Integer), Trade.id, Trade.name, cast(null(), String))
              .join(competition_trade, competition_trade.c.trade_id == Trade.id)
              .where(competition_trade.c.competition_id == _COMPETITION))
    items = (select(literal("i"), cast(i.position, Integer), cast(i.weight, Integer), i.name, cast(null(), String))
             .where(i.competition_id == _COMPETITION))
    tiers = (select(literal("p"), t.rank_from, t.rank_to, t.prize, t.honour)
             .where(t.competition_id == _COMPETITION))
    both = union_all(trades, items, tiers).subquery()
    kind, order, _number, text, _other = both.c
    return select(*both.c).order_by(kind, order, text)


def details_of(competition_id: int) -> CompetitionDetails:
    """The competition's eligible trades, items and prize tiers (the module's rules): one statement."""
    details = CompetitionDetails()
    for kind, order, number, text, other in db.session.execute(
            shared_statement(("competitions.details",), _statement), {_COMPETITION.key: competition_id}):
        if kind == "t":
            details.eligible_trades.append(OpenTrade(number, text))
        elif kind == "i":
            details.items.append(ItemRow(text, number))
        else:
            details.prize_tiers.append(TierRow(order, number, text, other))
    return details
