"""Results from levels above the city (上级成绩): recommendations the city union makes to the prefecture,
the province, the nation or international contests (e.g. the provincial Five Small contest, national
invention exhibitions, provincial skills contests), and the results that come back as records of honour.

A record is about one proposal (its entry the city recommended) or one competitor (a person). It counts
in the growth record, as title evidence and in the yearly figures. Rules: services/honours/.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.l10n import lazy_gettext as _l
from models import db
from models.files import StoredFile
from models.types import UTCDateTime, utcnow
from models.vocabulary import LEVEL_LABELS, PRIZE_LABELS

# The levels above the city a result can come from, lowest first.
HIGHER_LEVELS = ("prefecture", "province", "national", "international")
# Prizes of higher-level contests, best first within each family; "none": took part without a prize.
HIGHER_PRIZE_LABELS = {
    **PRIZE_LABELS,
    "gold": _l("金奖"),
    "silver": _l("银奖"),
    "bronze": _l("铜奖"),
    "none": _l("未获奖"),
}
SUBJECT_PROPOSAL = "proposal"
SUBJECT_COMPETITOR = "competitor"


class HigherResultLabels:
    """The level's and the prize's labels of a higher-level result: for the model and for plain rows
    of it (services.honours.results.RecordRow), which carry `level` and `prize`."""

    __slots__ = ()

    @property
    def level_label(self):
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def prize_label(self):
        return HIGHER_PRIZE_LABELS.get(self.prize, self.prize) if self.prize else ""


class HigherResult(HigherResultLabels, db.Model):
    """One recommendation to a higher-level contest and, once entered, its result."""

    __tablename__ = "higher_result"
    __table_args__ = (
        CheckConstraint("level IN ('prefecture', 'province', 'national', 'international')", name="level_known"),
        CheckConstraint("(proposal_id IS NOT NULL AND person_id IS NULL)"
                        " OR (proposal_id IS NULL AND person_id IS NOT NULL)", name="one_subject"),
        CheckConstraint("prize IS NULL OR (result_on IS NOT NULL AND evidence_file_id IS NOT NULL)",
                        name="result_with_evidence"),
        # The admin's list, newest first (keyset pages by id).
        Index("ix_higher_result_by_enterprise", "enterprise_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    contest: Mapped[str] = mapped_column(String(100))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # The enterprise the proposal or the competitor belonged to when recommended (HR sees its own).
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    recommended_on: Mapped[date] = mapped_column(Date)
    prize: Mapped[str | None] = mapped_column(String(16))
    result_on: Mapped[date | None] = mapped_column(Date)
    evidence_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    result_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    proposal = relationship("Proposal")
    person = relationship("User", foreign_keys=[person_id])
    enterprise = relationship("Enterprise")
    evidence_file: Mapped[StoredFile | None] = relationship()

    @property
    def subject_kind(self) -> str:
        return SUBJECT_PROPOSAL if self.proposal_id else SUBJECT_COMPETITOR
