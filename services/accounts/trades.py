"""The trades (工种) a person can be given or a list filtered by: the active ones, by name.

Rule (docs/domain.md, people): a trade is chosen from the platform's list; a retired one (is_active off)
stays on the people who hold it but is no longer offered. The list is read with one kept statement
(core.statements) as plain (id, label) pairs: every list page with a trade filter shows it.
"""

from __future__ import annotations

from sqlalchemy import select

from core.statements import shared_statement
from models import Trade, db
from models.vocabulary import TRADE_LABELS, reference_label


def _active_trades_statement():
    return select(Trade.id, Trade.name).where(Trade.is_active).order_by(Trade.name)


def active_trade_choices() -> list[tuple[int, str]]:
    """[(id, label)] of the active trades in name order; a platform default name shows in the reader's
    language (models.vocabulary.TRADE_LABELS), a typed one as typed. Raises nothing."""
    rows = db.session.execute(shared_statement(("active_trades",), _active_trades_statement))
    return [(trade_id, reference_label(TRADE_LABELS, name)) for trade_id, name in rows]
