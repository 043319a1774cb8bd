"""Mentor-apprentice pairing (名师带徒): pairs and their agreement, status history, check-ins,
final assessments, the per-mentor load counter, settings and the yearly excellent-pair selection.

Life cycle of a pair (services/mentorship/ enforces it: lifecycle.TRANSITIONS):
    proposed --both confirm--> active --assessment--> completed
    proposed --withdrawn / declined--> dissolved
    active --either side, within the first month--> dissolved
    active --HR, with reason--> ended_early
    active --HR, once--> active (extended; recorded as a status change too)

Denormalised dates keep the dashboard to aggregate SQL without date arithmetic in the database:
`next_checkin_due` (last confirmed check-in, or the start, plus the frequency) and `credit_until`
(end of the agreement plus 3 years, the window of the mentor's credits). Each enterprise's pairs are
counted by status in MentorshipFigures, kept in the same transaction as every status change, so the
union's dashboard pages through enterprises without counting every pair.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.l10n import lazy_gettext as _l
from models import db
from models.skills import level
from models.training import TrainingRequirement
from models.types import UTCDateTime, utcnow

# --- vocabulary ---------------------------------------------------------------------------------

PROPOSED = "proposed"
ACTIVE = "active"
COMPLETED = "completed"
ENDED_EARLY = "ended_early"
DISSOLVED = "dissolved"

# Reasons the platform itself writes on a pair's history: stored as the Chinese source text (as older rows
# hold them too), shown as the label in the reader's language (PairStatusChange.reason_text).
REASON_PAIR_CREATED = "企业建立结对"
REASON_BOTH_CONFIRMED = "师徒双方均已确认协议"
SYSTEM_REASON_LABELS = {
    REASON_PAIR_CREATED: _l("企业建立结对"),
    REASON_BOTH_CONFIRMED: _l("师徒双方均已确认协议"),
}
# An extension: the dates and the reason typed by HR, in a stored sentence read back by its pattern.
REASON_EXTENDED = "延期：%(old)s → %(new)s；%(why)s"
_EXTENDED = re.compile(r"延期：(?P<old>\S+) → (?P<new>\S+)；(?P<why>.*)", re.S)

STATUS_LABELS = {
    PROPOSED: _l("待确认"),
    ACTIVE: _l("带徒中"),
    COMPLETED: _l("已出师"),
    ENDED_EARLY: _l("提前结束"),
    DISSOLVED: _l("已解除"),
}
OPEN_STATUSES = (PROPOSED, ACTIVE)  # a pair in these takes one of the mentor's places
CREDITED_STATUSES = (ACTIVE, COMPLETED, ENDED_EARLY)  # pairs whose agreement ran

MONTHLY = "monthly"
QUARTERLY = "quarterly"
FREQUENCY_MONTHS = {MONTHLY: 1, QUARTERLY: 3}
FREQUENCY_LABELS = {MONTHLY: _l("每月"), QUARTERLY: _l("每季度")}

END_REASON_LABELS = {  # why HR ended a pair early
    "left_company": _l("离职"),
    "changed_post": _l("调岗"),
    "health": _l("身体原因"),
    "mentor_unavailable": _l("师傅无法继续带徒"),
    "other": _l("其他"),
}

CHECKIN_PENDING = "pending"
CHECKIN_CONFIRMED = "confirmed"
CHECKIN_DISPUTED = "disputed"
CHECKIN_LABELS = {
    CHECKIN_PENDING: _l("待徒弟确认"),
    CHECKIN_CONFIRMED: _l("徒弟已确认"),
    CHECKIN_DISPUTED: _l("徒弟有异议"),
}

GRADE_EXCELLENT = "excellent"
GRADE_PASS = "pass"
GRADE_FAIL = "fail"
GRADE_LABELS = {GRADE_EXCELLENT: _l("优秀"), GRADE_PASS: _l("合格"), GRADE_FAIL: _l("不合格")}
PASSING_GRADES = (GRADE_EXCELLENT, GRADE_PASS)

MIN_TERM_MONTHS = 12
MAX_TERM_MONTHS = 36
DEFAULT_TERM_MONTHS = 12
CREDIT_YEARS_AFTER = 3

# The subject under which a year's excellent-pair selection is published for public notice (公示):
# PublicNotice.subject_type, with the ExcellentRound's id as subject_id.
EXCELLENT_NOTICE_SUBJECT = "excellent_pairs"


class MentorshipSettings(TrainingRequirement, db.Model):
    """The union's settings for mentoring: one row (id 1); defaults from the domain rules. The mentor
    rule may also ask for training (models.training.TrainingRequirement: hours or a completed programme
    kind within some years), checked when HR pairs (services/mentorship/pairing.py)."""

    __tablename__ = "mentorship_settings"
    __table_args__ = (
        CheckConstraint("max_active_apprentices BETWEEN 1 AND 20", name="max_active_range"),
        CheckConstraint("grace_days BETWEEN 0 AND 90", name="grace_range"),
        CheckConstraint("dissolution_months BETWEEN 0 AND 6", name="dissolution_range"),
        CheckConstraint("excellent_quota > 0", name="quota_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    max_active_apprentices: Mapped[int] = mapped_column(SmallInteger, default=3)
    grace_days: Mapped[int] = mapped_column(SmallInteger, default=7)
    dissolution_months: Mapped[int] = mapped_column(SmallInteger, default=1)
    excellent_quota: Mapped[int] = mapped_column(Integer, default=100)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class MentorLoad(db.Model):
    """How many open pairs (proposed or active) a mentor has: the guarded counter that keeps
    concurrent pair creations from going past the maximum (UPDATE ... WHERE open_pairs < max)."""

    __tablename__ = "mentor_load"
    __table_args__ = (CheckConstraint("open_pairs >= 0", name="open_pairs_not_negative"),)

    mentor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    open_pairs: Mapped[int] = mapped_column(Integer, default=0)


class MentorPair(db.Model):
    """A mentor-apprentice pair (师徒结对) and its agreement (带徒协议)."""

    __tablename__ = "mentor_pair"
    __table_args__ = (
        CheckConstraint("mentor_id <> apprentice_id", name="not_self"),
        CheckConstraint("planned_end > start_date", name="end_after_start"),
        CheckConstraint(
            "status IN ('proposed', 'active', 'completed', 'ended_early', 'dissolved')", name="status_known"
        ),
        CheckConstraint("checkin_frequency IN ('monthly', 'quarterly')", name="frequency_known"),
        # An apprentice has one open pair per trade; the last word under concurrency.
        Index(
            "uq_mentor_pair_open_apprentice_trade", "apprentice_id", "trade_id", unique=True,
            sqlite_where=text("status IN ('proposed', 'active')"),
            postgresql_where=text("status IN ('proposed', 'active')"),
        ),
        Index("ix_mentor_pair_enterprise_status", "enterprise_id", "status"),
        # The dashboard's date-relative figures are index ranges: overdue and due this week, assessment
        # due, completed this year (services.mentorship.reports.predicates).
        Index("ix_mentor_pair_status_due", "status", "next_checkin_due"),
        Index("ix_mentor_pair_status_planned_end", "status", "planned_end"),
        Index("ix_mentor_pair_status_ended_on", "status", "ended_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    trade_id: Mapped[int] = mapped_column(ForeignKey("trade.id"), index=True)
    goal_level: Mapped[int] = mapped_column(SmallInteger)
    goals: Mapped[str] = mapped_column(Text)
    mentor_level_at_start: Mapped[int | None] = mapped_column(SmallInteger)
    apprentice_level_at_start: Mapped[int | None] = mapped_column(SmallInteger)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    planned_end: Mapped[date] = mapped_column(Date, index=True)
    checkin_frequency: Mapped[str] = mapped_column(String(16), default=MONTHLY)
    status: Mapped[str] = mapped_column(String(16), default=PROPOSED, index=True)
    mentor_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    apprentice_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activated_on: Mapped[date | None] = mapped_column(Date)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    last_checkin_on: Mapped[date | None] = mapped_column(Date)
    next_checkin_due: Mapped[date | None] = mapped_column(Date, index=True)
    ended_on: Mapped[date | None] = mapped_column(Date, index=True)
    end_reason: Mapped[str | None] = mapped_column(String(32))
    end_note: Mapped[str | None] = mapped_column(String(500))
    credit_until: Mapped[date | None] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    enterprise = relationship("Enterprise")
    mentor = relationship("User", foreign_keys=[mentor_id])
    apprentice = relationship("User", foreign_keys=[apprentice_id])
    trade = relationship("Trade")
    created_by = relationship("User", foreign_keys=[created_by_id])
    assessment: Mapped[Assessment | None] = relationship(back_populates="pair", uselist=False)

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def frequency_label(self):
        return FREQUENCY_LABELS.get(self.checkin_frequency, self.checkin_frequency)

    @property
    def goal(self):
        return level(self.goal_level)

    @property
    def apprentice_start_level(self):
        return level(self.apprentice_level_at_start)

    @property
    def end_reason_label(self):
        return END_REASON_LABELS.get(self.end_reason, self.end_reason) if self.end_reason else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def party(self, user) -> str | None:
        """'mentor', 'apprentice' or None for `user`."""
        if user is None:
            return None
        if user.id == self.mentor_id:
            return "mentor"
        if user.id == self.apprentice_id:
            return "apprentice"
        return None


class MentorshipFigures(db.Model):
    """One enterprise's pairs counted by status (a row once it has a pair), changed in the same
    transaction as each pair's status (services.mentorship.figures): the union's dashboard reads a page
    of enterprises, most active pairs first, from here."""

    __tablename__ = "mentorship_figures"
    __table_args__ = (
        CheckConstraint("pairs >= 0 AND proposed >= 0 AND active >= 0 AND completed >= 0 AND ended_early >= 0 "
                        "AND dissolved >= 0", name="counts_not_negative"),
        Index("ix_mentorship_figures_active", "active", "enterprise_id"),
    )

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), primary_key=True)
    pairs: Mapped[int] = mapped_column(Integer, default=0)
    proposed: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    ended_early: Mapped[int] = mapped_column(Integer, default=0)
    dissolved: Mapped[int] = mapped_column(Integer, default=0)

    enterprise = relationship("Enterprise")


class PairStatusChange(db.Model):
    """Every transition of a pair: who, when, from, to, why."""

    __tablename__ = "pair_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentor_pair.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(500))

    actor = relationship("User")

    @property
    def from_label(self):
        return STATUS_LABELS.get(self.from_status, "") if self.from_status else "—"

    @property
    def to_label(self):
        return STATUS_LABELS.get(self.to_status, self.to_status)

    @property
    def reason_text(self):
        """The reason as the reader sees it: one the platform writes translated, one typed by a person as typed."""
        if not self.reason:
            return ""
        extended = _EXTENDED.fullmatch(self.reason)
        if extended:
            return _l("延期：%(old)s → %(new)s；%(why)s", **extended.groupdict())
        return SYSTEM_REASON_LABELS.get(self.reason, self.reason)


class CheckIn(db.Model):
    """A progress record (带徒记录) by the mentor, confirmed or disputed by the apprentice."""

    __tablename__ = "mentor_checkin"
    __table_args__ = (
        CheckConstraint("hours > 0 AND hours <= 300", name="hours_range"),
        CheckConstraint("status IN ('pending', 'confirmed', 'disputed')", name="status_known"),
        Index("ix_mentor_checkin_pair_date", "pair_id", "checkin_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentor_pair.id", ondelete="CASCADE"), index=True)
    checkin_date: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1, asdecimal=True))
    taught: Mapped[str] = mapped_column(Text)
    skill_points: Mapped[str] = mapped_column(String(500))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    status: Mapped[str] = mapped_column(String(16), default=CHECKIN_PENDING, index=True)
    apprentice_note: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    pair = relationship("MentorPair")
    photo = relationship("StoredFile")

    @property
    def status_label(self):
        return CHECKIN_LABELS.get(self.status, self.status)


class Assessment(db.Model):
    """The final assessment (出师考核) of a pair: one per pair."""

    __tablename__ = "mentor_assessment"
    __table_args__ = (
        CheckConstraint("grade IN ('excellent', 'pass', 'fail')", name="grade_known"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentor_pair.id", ondelete="CASCADE"), unique=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    grade: Mapped[str] = mapped_column(String(16), index=True)
    level_reached: Mapped[int | None] = mapped_column(SmallInteger)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2, asdecimal=True))
    assessor: Mapped[str] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    skill_change_id: Mapped[int | None] = mapped_column(ForeignKey("skill_level_change.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pair: Mapped[MentorPair] = relationship(back_populates="assessment")

    @property
    def grade_label(self):
        return GRADE_LABELS.get(self.grade, self.grade)

    @property
    def passed(self) -> bool:
        return self.grade in PASSING_GRADES

    @property
    def level(self):
        return level(self.level_reached)


class ExcellentRound(db.Model):
    """The yearly excellent-pair selection (优秀师徒评选): quota, guarded count of selections, publication."""

    __tablename__ = "excellent_round"
    __table_args__ = (CheckConstraint("selected_count >= 0 AND selected_count <= quota", name="within_quota"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    quota: Mapped[int] = mapped_column(Integer, default=100)
    selected_count: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class ExcellentNomination(db.Model):
    """HR's nomination of a completed pair for a year's excellent-pair selection, with a citation."""

    __tablename__ = "excellent_nomination"
    __table_args__ = (UniqueConstraint("pair_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("excellent_round.id"), index=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentor_pair.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    citation: Mapped[str] = mapped_column(String(500))
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    nominated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    selected: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    selected_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    selected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The verification code of the excellent-pair certificate, issued when the selection becomes final.
    certificate_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    # A final honour revoked by the union (services.mentorship.excellent.revoke): kept, shown 已撤销.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(500))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    round: Mapped[ExcellentRound] = relationship()
    pair: Mapped[MentorPair] = relationship()
    enterprise = relationship("Enterprise")
