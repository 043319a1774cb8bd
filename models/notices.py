"""Public notice (公示) of results and honours, and the objections filed during it.

A notice belongs to one subject (a campaign's results, a competition's results, a title award...),
named by `subject_type` and `subject_id`; the area that owns the subject decides what an upheld
objection changes. Objections are filed under the objector's real name (their account).

Working days follow the State Council's schedule (the chinese-calendar package) with the overrides the
administrator enters (WorkdayOverride) and the years whose schedule they confirmed (CalendarYear).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint
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
    working_days: Mapped[int] = mapped_column(SmallInteger, default=5)
    # The end runs into a year whose holiday schedule is not known yet: shown as 暂定 (provisional) and
    # recomputed when the administrator enters that year's schedule (services.common.workdays).
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
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


class WorkdayOverride(db.Model):
    """A day the administrator entered: a holiday (休) or a make-up workday (班), overriding the official
    schedule of the chinese-calendar package (or filling in a year it does not know yet)."""

    __tablename__ = "workday_override"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(100))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CalendarYear(db.Model):
    """A year whose holiday schedule the administrator has entered completely (its overrides are final)."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
