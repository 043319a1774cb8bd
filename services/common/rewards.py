"""Prize rewards (奖金) of an event, the same rules wherever an owner pays them (Five Small campaigns and
competitions; docs/domain.md, "Owners and levels").

Rules:
- A reward is optional per prize (一等奖 .. 优秀奖): an amount in yuan from 0 to 1,000,000 with at most two
  decimals (read by services.common.validators.read_decimal: never rounded); blank means no reward.
- Setting or changing any reward is audited with the amounts before and after (`<area>.rewards_set`).
- A reward counts as paid once the event's results are final: the reward of the prize at the event that
  awarded it (`reward_of_prize`, one SQL expression for the figures' single aggregate).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import case

from core.l10n import lazy_gettext as _l
from models.rewards import REWARD_FIELDS
from services.common import audit, validators
from services.errors import RuleViolation

MAX_REWARD = Decimal("1000000")


def check_rewards(data) -> None:
    """Read the four reward fields of a form's data object (`reward_first` .. `reward_honourable`, text or
    Decimal or None) in place as Decimals (None when blank). Raises RuleViolation on the field for an
    amount that is not a number, has more than two decimals, or is outside 0-1,000,000."""
    for attr in REWARD_FIELDS.values():
        value = validators.read_decimal(getattr(data, attr), places=2, field=attr, thousands=True)
        if value is not None and not Decimal(0) <= value <= MAX_REWARD:
            raise RuleViolation(_l("奖金应为 0 到 1000000 元。"), field=attr)
        setattr(data, attr, value)


def rewards_of(event) -> dict[str, str | None]:
    """The event's rewards as {prize code: amount as text, or None} (for audit records)."""
    return {code: None if getattr(event, attr, None) is None else f"{getattr(event, attr):.2f}"
            for code, attr in REWARD_FIELDS.items()}


def audit_change(action: str, actor, event, old: dict[str, str | None] | None) -> None:
    """Record `action` (e.g. "competition.rewards_set") when the event's rewards differ from `old` (the
    `rewards_of` taken before the change; None for a new event, recorded only when it pays any)."""
    new = rewards_of(event)
    if new == (old or dict.fromkeys(REWARD_FIELDS)):
        return
    audit.record(action, actor=actor, obj=event, old=old, new=new)


def reward_of_prize(event_model, prize_column):
    """SQL: the reward of the prize in `prize_column` at an event row of `event_model` (NULL without one)."""
    return case(*((prize_column == code, getattr(event_model, attr)) for code, attr in REWARD_FIELDS.items()),
                else_=None)
