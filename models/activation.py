"""Activation codes (开通码): one per person not yet activated, printed on an activation slip.

Only the code's keyed hash is stored (HMAC-SHA256 with the app's secret key,
services.accounts.activation): the code itself exists only on the printed slip. Issuing again
replaces the row's hash and expiry (one row per person); activation marks it used.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import db
from models.types import UTCDateTime, utcnow


class ActivationCode(db.Model):
    """The current activation code of one person (one row per person, replaced on reissue)."""

    __tablename__ = "activation_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64))  # hex HMAC-SHA256 of the compact code
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
