"""Prize rewards (奖金, Decimal yuan) of an event: one optional amount per prize code, the same columns on
every kind of event that pays them (Five Small campaigns, competitions; issue 14).

The rules around them (range, two decimals, who sets them, what the figures count) live in
services/common/rewards.py.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.types import Money

# The prizes that may carry a reward amount (奖金), and the event's column holding it.
REWARD_FIELDS = {"first": "reward_first", "second": "reward_second", "third": "reward_third",
                 "honourable": "reward_honourable"}


def rewards_check() -> CheckConstraint:
    """The database's last word on rewards: none is negative (named `rewards_not_negative` per table)."""
    return CheckConstraint(
        "(reward_first IS NULL OR reward_first >= 0) AND (reward_second IS NULL OR reward_second >= 0)"
        " AND (reward_third IS NULL OR reward_third >= 0)"
        " AND (reward_honourable IS NULL OR reward_honourable >= 0)", name="rewards_not_negative")


class RewardsMixin:
    """Reward (奖金, yuan) paid per prize, where the event's owner pays one; None: no reward."""

    reward_first: Mapped[Decimal | None] = mapped_column(Money)
    reward_second: Mapped[Decimal | None] = mapped_column(Money)
    reward_third: Mapped[Decimal | None] = mapped_column(Money)
    reward_honourable: Mapped[Decimal | None] = mapped_column(Money)

    def reward_for(self, prize: str | None) -> Decimal | None:
        """The reward (yuan) of a prize code in this event, or None."""
        return getattr(self, REWARD_FIELDS[prize]) if prize in REWARD_FIELDS else None

    @property
    def has_rewards(self) -> bool:
        """Any prize of this event carries a reward."""
        return any(getattr(self, column) is not None for column in REWARD_FIELDS.values())
