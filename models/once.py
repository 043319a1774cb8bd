"""One-time form tokens (防重复提交): each create form carries a random token; the request that uses
it records it here, in the same transaction as the record it creates. The primary key makes a second
use (a double click, the same form sent from two tabs, a resent request) fail at the database, on
SQLite and PostgreSQL alike; `kind` and `object_id` name what the first use created, so the second
answer can lead to it (services.common.once)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models import db
from models.types import UTCDateTime, utcnow


class FormToken(db.Model):
    __tablename__ = "form_token"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str | None] = mapped_column(String(40))  # the created object's table, e.g. "proposal"
    object_id: Mapped[int | None] = mapped_column(Integer)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
