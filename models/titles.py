"""Craftsman titles (工匠): title types as data, yearly nomination rounds, nominations, awards.

A title type names its level, yearly quota, prerequisite title and eligibility rules; a round opens
nominations for one title in one year; an award has a certificate number, an unguessable
verification code, an optional validity end, and goes through public notice before it is final.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.l10n import lazy_gettext as _l
from models import db
from models.training import TrainingRequirement
from models.types import Money, UTCDateTime, utcnow
from models.vocabulary import TITLE_LABELS, reference_label

TITLE_LEVELS = {
    "city": _l("市级"),
    "prefecture": _l("地市级"),
    "province": _l("省级"),
}

ROUND_OPEN = "open"
ROUND_CLOSED = "closed"  # nominations closed, under review
ROUND_NOTICE = "notice"  # awards on public notice
ROUND_FINAL = "final"
ROUND_STATUS_LABELS = {
    ROUND_OPEN: _l("推荐中"),
    ROUND_CLOSED: _l("评审中"),
    ROUND_NOTICE: _l("公示中"),
    ROUND_FINAL: _l("已确认"),
}

NOMINATION_SUBMITTED = "submitted"
NOMINATION_APPROVED = "approved"
NOMINATION_REJECTED = "rejected"
NOMINATION_AWARDED = "awarded"
NOMINATION_WITHDRAWN = "withdrawn"
NOMINATION_STATUS_LABELS = {
    NOMINATION_SUBMITTED: _l("待评审"),
    NOMINATION_APPROVED: _l("评审通过"),
    NOMINATION_REJECTED: _l("未通过"),
    NOMINATION_AWARDED: _l("已授予"),  # shown by stage: see award_stage_label
    NOMINATION_WITHDRAWN: _l("已撤回"),
}

# The subject type of a round's public notice (models.notices.PublicNotice.subject_type).
TITLE_NOTICE_SUBJECT = "title_round"

AWARD_NOTICE = "notice"
AWARD_FINAL = "final"
AWARD_REVOKED = "revoked"
AWARD_STATUS_LABELS = {
    AWARD_NOTICE: _l("公示中"),
    AWARD_FINAL: _l("已授予"),
    AWARD_REVOKED: _l("已撤销"),
}
AWARD_PROPOSED_LABEL = _l("拟授予")


def award_stage_label(award_status: str, round_status: str | None):
    """What an award (or an awarded nomination) reads: 拟授予 (proposed) until its round's notice is
    published, 公示中 (on notice) while it runs, 已授予 (awarded) only once final; 已撤销 when revoked."""
    if award_status == AWARD_NOTICE and round_status in (None, ROUND_OPEN, ROUND_CLOSED):
        return AWARD_PROPOSED_LABEL
    return AWARD_STATUS_LABELS.get(award_status, award_status)


def nomination_status_label(status: str, round_status: str | None):
    """What a nomination's status reads in a round of `round_status`: an awarded one by the round's stage
    (award_stage_label; an award's own revocation aside), the others by NOMINATION_STATUS_LABELS."""
    if status == NOMINATION_AWARDED:
        stage = {ROUND_NOTICE: AWARD_NOTICE, ROUND_FINAL: AWARD_FINAL}.get(round_status, AWARD_NOTICE)
        return award_stage_label(stage, round_status)
    return NOMINATION_STATUS_LABELS.get(status, status)


class TitleType(TrainingRequirement, db.Model):
    """A title such as 晋江工匠, with its eligibility rules (each configured rule must be met), training
    among them (models.training.TrainingRequirement)."""

    __tablename__ = "title_type"
    __table_args__ = (
        CheckConstraint("yearly_quota > 0", name="quota_positive"),
        CheckConstraint("id <> prerequisite_id", name="not_own_prerequisite"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    yearly_quota: Mapped[int] = mapped_column(Integer)
    prerequisite_id: Mapped[int | None] = mapped_column(ForeignKey("title_type.id"))
    description: Mapped[str | None] = mapped_column(Text)
    # Rule 1: skill level at least min_skill_level, OR a place within competition_top_n in a
    # competition of at least competition_min_level during the last competition_within_years.
    min_skill_level: Mapped[int | None] = mapped_column(SmallInteger)
    competition_top_n: Mapped[int | None] = mapped_column(SmallInteger)
    competition_min_level: Mapped[str | None] = mapped_column(String(16))
    competition_within_years: Mapped[int | None] = mapped_column(SmallInteger)
    # Rule 2: years in the trade.
    min_years_in_trade: Mapped[int | None] = mapped_column(SmallInteger)
    # Optional rules 3 and 4: adopted proposals with verified savings; completed mentor pairs.
    min_adopted_proposals: Mapped[int | None] = mapped_column(SmallInteger)
    min_verified_savings: Mapped[Decimal | None] = mapped_column(Money)
    min_completed_pairs: Mapped[int | None] = mapped_column(SmallInteger)
    validity_years: Mapped[int | None] = mapped_column(SmallInteger)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    prerequisite: Mapped[TitleType | None] = relationship(remote_side="TitleType.id")

    @property
    def level_label(self):
        return TITLE_LEVELS.get(self.level, self.level)

    @property
    def label(self):
        """The name in the reader's language (a default title's translated label, a typed one as typed)."""
        return reference_label(TITLE_LABELS, self.name)

    def __str__(self) -> str:
        return self.name


class TitleRound(db.Model):
    """One year's nominations for one title; awarded_count is the guarded quota counter."""

    __tablename__ = "title_round"
    __table_args__ = (
        UniqueConstraint("title_type_id", "year"),
        CheckConstraint("awarded_count >= 0 AND awarded_count <= quota", name="within_quota"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_type_id: Mapped[int] = mapped_column(ForeignKey("title_type.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    quota: Mapped[int] = mapped_column(Integer)
    awarded_count: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default=ROUND_OPEN, index=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    title_type: Mapped[TitleType] = relationship()

    @property
    def status_label(self):
        return ROUND_STATUS_LABELS.get(self.status, self.status)


nomination_attachment = db.Table(
    "nomination_attachment",
    db.Column("nomination_id", ForeignKey("nomination.id", ondelete="CASCADE"), primary_key=True),
    db.Column("stored_file_id", ForeignKey("stored_file.id"), primary_key=True),
)


class Nomination(db.Model):
    """HR's (or the union's) nomination of one worker in one round, with the evidence at that time."""

    __tablename__ = "nomination"
    __table_args__ = (
        UniqueConstraint("round_id", "worker_id"),
        # A round's review table, strongest evidence first or newest first, is an index walk
        # (services.titles.nominations.NOMINATION_ORDER).
        Index("ix_nomination_round_evidence", "round_id", "evidence_score", "id"),
        Index("ix_nomination_round_created", "round_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("title_round.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    nominated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    citation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=NOMINATION_SUBMITTED, index=True)
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    evidence_score: Mapped[int] = mapped_column(Integer, default=0)  # for sorting the review table
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    round: Mapped[TitleRound] = relationship()
    worker = relationship("User", foreign_keys=[worker_id])
    enterprise = relationship("Enterprise")
    nominated_by = relationship("User", foreign_keys=[nominated_by_id])
    attachments = relationship("StoredFile", secondary=nomination_attachment, order_by="StoredFile.id")

    @property
    def status_label(self):
        return nomination_status_label(self.status, self.round.status)


class TitleAward(db.Model):
    """A title held by a worker; never the same title twice to one person."""

    __tablename__ = "title_award"
    __table_args__ = (UniqueConstraint("title_type_id", "worker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title_type_id: Mapped[int] = mapped_column(ForeignKey("title_type.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("title_round.id"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    certificate_no: Mapped[str] = mapped_column(String(40), unique=True)
    verification_code: Mapped[str] = mapped_column(String(40), unique=True)
    award_date: Mapped[date] = mapped_column(Date, index=True)
    valid_until: Mapped[date | None] = mapped_column(Date)
    citation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=AWARD_NOTICE, index=True)
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    title_type: Mapped[TitleType] = relationship()
    worker = relationship("User", foreign_keys=[worker_id])
    enterprise = relationship("Enterprise")
    round: Mapped[TitleRound | None] = relationship()

    @property
    def status_label(self):
        return award_stage_label(self.status, self.round.status if self.round is not None else None)
