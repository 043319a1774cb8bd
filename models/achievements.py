"""The city's "top ten" innovation achievements (全市十大创新成果, issue 16): the union admin designates up
to ten ORIGINAL Five Small proposals of a year, each at a position 1-10, with an optional citation (评语).

A proposal is a top-ten achievement once (unique proposal); a year's positions are unique, and with the
check on the position the database itself holds a year to ten. Rules: services/proposals/achievements.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import db
from models.types import UTCDateTime, utcnow

TOP_TEN_SIZE = 10
CITATION_MAX = 200


class TopAchievement(db.Model):
    """One designation: the original proposal, the year it is a top-ten achievement of, its position."""

    __tablename__ = "top_achievement"
    __table_args__ = (
        CheckConstraint("position >= 1 AND position <= 10", name="position_in_ten"),
        # the year's list in order; also the year index of the report's tally
        UniqueConstraint("year", "position"),
        Index("ix_top_achievement_proposal_id", "proposal_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(SmallInteger)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"))
    citation: Mapped[str | None] = mapped_column(String(CITATION_MAX))
    designated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    designated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal = relationship("Proposal")
    designated_by = relationship("User")
