"""Public notice (公示) of results and honours, and the objections filed during it.

A notice belongs to one subject (a campaign's results, a competition's results, a title award...),
named by `subject_type` and `subject_id`; the area that owns the subject decides what an upheld
objection changes. Objections are filed under the objector's real name (their account).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import db
from models.types import UTCDateTime, utcnow

NOTICE_OPEN = "open"
NOTICE_FINAL = "final"
OBJECTION_PENDING = "pending"
OBJECTION_UPHELD = "upheld"
OBJECTION_DISMISSED = "dismissed"


class PublicNotice(db.Model):
    __tablename__ = "public_notice"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=NOTICE_OPEN, index=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    objections: Mapped[list[Objection]] = relationship(
        back_populates="notice", order_by="Objection.id", cascade="all, delete-orphan"
    )


class Objection(db.Model):
    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("public_notice.id"), index=True)
    objector_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=OBJECTION_PENDING, index=True)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    notice: Mapped[PublicNotice] = relationship(back_populates="objections")
    objector = relationship("User", foreign_keys=[objector_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])
