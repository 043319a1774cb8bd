"""Skills training (技能培训, issue 15): programmes run by an owner, their classes (班次), enrolments with
seats and a waitlist, attendance per class (QR sign-in, printed list, sign-out for hours), completion with
a verifiable certificate, spending by category, and education upgrades (学历提升).

Invariants kept by the database: one enrolment per worker per programme, one attendance per worker per
class, seats_taken never above capacity, hours and money never negative, certificate codes unique, the
owner's shape (models/owners.py). The rules themselves live in services/training/.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.l10n import lazy_gettext as _l
from models import db
from models.accounts import Enterprise, Trade, User
from models.owners import Owned, owner_check
from models.types import Money, UTCDateTime, utcnow
from models.vocabulary import education_label

Hours = Numeric(5, 1, asdecimal=True)

# Kinds of programme (培训类型).
SKILLS_UPGRADE, TEAM_LEADER, SAFETY, NEW_EMPLOYEE, EDUCATION, OTHER = (
    "skills_upgrade", "team_leader", "safety", "new_employee", "education", "other")
PROGRAMME_KINDS = {
    SKILLS_UPGRADE: _l("技能提升"),
    TEAM_LEADER: _l("班组长培训"),
    SAFETY: _l("安全生产"),
    NEW_EMPLOYEE: _l("新员工入职"),
    EDUCATION: _l("学历提升"),
    OTHER: _l("其他"),
}

# Who pays (经费来源): for a programme's budget and for each cost.
UNION_FUNDS, ENTERPRISE_FUNDS, GOVERNMENT_SUBSIDY = "union", "enterprise", "government"
FUNDING_SOURCES = {
    UNION_FUNDS: _l("工会经费"),
    ENTERPRISE_FUNDS: _l("企业自筹"),
    GOVERNMENT_SUBSIDY: _l("政府补贴"),
}

# Cost categories (支出类别).
COST_CATEGORIES = {
    "trainer_fee": _l("师资费"),
    "venue": _l("场地费"),
    "materials": _l("教材资料费"),
    "worker_subsidy": _l("学员补贴"),
    "other": _l("其他"),
}

# Life cycle of a programme: draft -> published (visible; enrolment within its window; classes held)
# -> finished (completions decided, certificates issued); a draft or published one may be cancelled.
DRAFT, PUBLISHED, FINISHED, CANCELLED = "draft", "published", "finished", "cancelled"
PROGRAMME_STATUSES = {
    DRAFT: _l("草稿"),
    PUBLISHED: _l("已发布"),
    FINISHED: _l("已结业"),
    CANCELLED: _l("已取消"),
}

# Enrolments: the same shape as competition registrations.
CONFIRMED, WAITLISTED, WITHDRAWN, REJECTED = "confirmed", "waitlisted", "withdrawn", "rejected"
ENROLMENT_STATUSES = {
    CONFIRMED: _l("已报名"),
    WAITLISTED: _l("候补"),
    WITHDRAWN: _l("已退出"),
    REJECTED: _l("未通过审核"),
}
ACTIVE_ENROLMENTS = (CONFIRMED, WAITLISTED)

# Attendance of one class (考勤).
PRESENT, LATE, ABSENT, EXCUSED = "present", "late", "absent", "excused"
ATTENDANCE_STATUSES = {
    PRESENT: _l("出勤"),
    LATE: _l("迟到"),
    ABSENT: _l("缺勤"),
    EXCUSED: _l("请假"),
}
ATTENDED = (PRESENT, LATE)  # statuses that credit hours
# How an attendance was recorded.
BY_QR, BY_LIST, BY_OFFICER = "qr", "list", "officer"
ATTENDANCE_METHODS = {BY_QR: _l("扫码签到"), BY_LIST: _l("纸质签到表录入"), BY_OFFICER: _l("管理员录入")}

# The kind under which completion certificates verify (services/common/verification.py).
CERTIFICATE_KIND = "training"


class TrainingRequirement:
    """Training asked of a person as data (services/training/evidence.py), mixed into a title type's
    eligibility rules (models/titles.py) and the mentoring settings' mentor rule (models/mentorship.py).
    Each rule applies only where set: at least `training_min_hours` hours attended within the last
    `training_hours_years` years; a completed programme of kind `training_programme_kind` (e.g.
    team_leader) within the last `training_programme_years` years."""

    training_min_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 1, asdecimal=True))
    training_hours_years: Mapped[int | None] = mapped_column(SmallInteger)
    training_programme_kind: Mapped[str | None] = mapped_column(String(24))
    training_programme_years: Mapped[int | None] = mapped_column(SmallInteger)


training_programme_trade = Table(
    "training_programme_trade",
    db.metadata,
    Column("programme_id", ForeignKey("training_programme.id", ondelete="CASCADE"), primary_key=True),
    Column("trade_id", ForeignKey("trade.id"), primary_key=True, index=True),
)


class TrainingProgramme(Owned, db.Model):
    """A training programme (培训项目) of one owner: who it is for, its seats, budget and completion rule."""

    __tablename__ = "training_programme"
    __table_args__ = (
        owner_check(),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
        CheckConstraint("completion_percent >= 1 AND completion_percent <= 100", name="completion_range"),
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
        Index("ix_training_programme_owner", "owner_level", "owner_enterprise_id", "owner_town_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # who it is for: trades (none = any), a skill-level range, and for a skills upgrade the target level
    min_skill_level: Mapped[int | None] = mapped_column(SmallInteger)
    max_skill_level: Mapped[int | None] = mapped_column(SmallInteger)
    target_level: Mapped[int | None] = mapped_column(SmallInteger)
    self_enrol: Mapped[bool] = mapped_column(Boolean, default=True)  # workers may enrol themselves
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    enrol_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enrol_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    budget: Mapped[Decimal | None] = mapped_column(Money)
    funding_source: Mapped[str] = mapped_column(String(16), default=UNION_FUNDS)
    # completion rule: this share of the programme's hours attended, and a passed assessment if required
    completion_percent: Mapped[int] = mapped_column(SmallInteger, default=80)
    assessment_required: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    trades: Mapped[list[Trade]] = relationship(secondary=training_programme_trade, order_by=Trade.name)
    classes: Mapped[list[TrainingClass]] = relationship(
        back_populates="programme", order_by="TrainingClass.starts_at", cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return PROGRAMME_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return PROGRAMME_STATUSES.get(self.status, self.status)

    @property
    def funding_label(self):
        return FUNDING_SOURCES.get(self.funding_source, self.funding_source)

    def __str__(self) -> str:
        return self.name


class TrainingClass(db.Model):
    """One class (班次 / 课次) of a programme: when and where, its hours, trainer, room capacity and the
    person (class assistant, 班级助理) who may run its sign-in besides the owner's officers. While sign-in is
    open, `signin_key` is the secret from which the rotating QR codes are derived."""

    __tablename__ = "training_class"
    __table_args__ = (
        CheckConstraint("hours > 0 AND hours <= 24", name="hours_range"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("starts_at < ends_at", name="time_order"),
        Index("ix_training_class_programme_start", "programme_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("training_programme.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    hours: Mapped[Decimal] = mapped_column(Hours)
    trainer: Mapped[str] = mapped_column(String(100), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    assistant_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    signin_key: Mapped[str | None] = mapped_column(String(64))
    signin_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signin_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # attendance finalised (absences recorded, hours credited)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[TrainingProgramme] = relationship(back_populates="classes")
    assistant: Mapped[User | None] = relationship(foreign_keys=[assistant_id])


class TrainingEnrolment(db.Model):
    """A worker's enrolment (报名) in a programme. Confirmed enrolments hold a seat; waitlisted ones queue in
    creation order (id). The assessment and the completion (with its certificate code) are kept here."""

    __tablename__ = "training_enrolment"
    __table_args__ = (
        UniqueConstraint("programme_id", "worker_id"),
        Index("ix_training_enrolment_queue", "programme_id", "status", "id"),
        Index("ix_training_enrolment_enterprise", "programme_id", "enterprise_id", "status"),
        CheckConstraint("assessment_score IS NULL OR (assessment_score >= 0 AND assessment_score <= 100)",
                        name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("training_programme.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # moved up from the waitlist
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # withdrawn or rejected
    reason: Mapped[str | None] = mapped_column(String(500))
    # assessment (考核)
    assessment_passed: Mapped[bool | None] = mapped_column(Boolean)
    assessment_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2, asdecimal=True))
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # completion (结业) and its certificate
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    certificate_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    certificate_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(String(500))

    programme: Mapped[TrainingProgramme] = relationship()
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    enterprise: Mapped[Enterprise | None] = relationship()

    @property
    def status_label(self):
        return ENROLMENT_STATUSES.get(self.status, self.status)


class TrainingAttendance(db.Model):
    """One worker's attendance of one class: when they signed in and out, how it was recorded, and the
    hours credited. `programme_id` and `enterprise_id` (the worker's employer at the class) are copied for
    the figures, which count attendances (人次) per owner and year by the class's start."""

    __tablename__ = "training_attendance"
    __table_args__ = (
        UniqueConstraint("class_id", "worker_id"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
        Index("ix_training_attendance_programme_worker", "programme_id", "worker_id"),
        # the figures and the report read attendances, people and hours from this index alone (0030_trainidx)
        Index("ix_training_attendance_class_status", "class_id", "status", "worker_id", "enterprise_id", "hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id", ondelete="CASCADE"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("training_programme.id"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolment.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16), default=BY_QR)
    signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hours: Mapped[Decimal] = mapped_column(Hours, default=Decimal("0"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    training_class: Mapped[TrainingClass] = relationship()
    enrolment: Mapped[TrainingEnrolment] = relationship()
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])

    @property
    def status_label(self):
        return ATTENDANCE_STATUSES.get(self.status, self.status)

    @property
    def method_label(self):
        return ATTENDANCE_METHODS.get(self.method, self.method)

    @property
    def hours_settled(self) -> bool:
        """Whether `hours` is what the row earns (services/training/attendance.py, hours rule): once the
        worker signed out or the class's attendance was closed. Before that (a class under way) a present
        row's hours are not credited yet (0 stored): lists show the state, not "0", as the roster does."""
        return self.signed_out_at is not None or self.training_class.closed_at is not None


class TrainingCost(db.Model):
    """One item of a programme's actual spending (实际支出), in yuan, with who paid it and the finance
    department's confirmation file."""

    __tablename__ = "training_cost"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("training_programme.id"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    amount: Mapped[Decimal] = mapped_column(Money)
    funding_source: Mapped[str] = mapped_column(String(16), index=True)
    spent_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    confirmation_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[TrainingProgramme] = relationship()

    @property
    def category_label(self):
        return COST_CATEGORIES.get(self.category, self.category)

    @property
    def funding_label(self):
        return FUNDING_SOURCES.get(self.funding_source, self.funding_source)


class EducationUpgrade(db.Model):
    """A worker's new education level (学历提升) recorded by HR: school, date, evidence, the programme that
    led to it (optional) and the union's subsidy (元). Skill-level upgrades are SkillLevelChange rows
    (models/skills.py), which carry the same optional programme and subsidy."""

    __tablename__ = "education_upgrade"
    __table_args__ = (CheckConstraint("subsidy IS NULL OR subsidy >= 0", name="subsidy_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    previous_education: Mapped[str | None] = mapped_column(String(24))
    education: Mapped[str] = mapped_column(String(24))
    school: Mapped[str] = mapped_column(String(100))
    graduated_on: Mapped[date] = mapped_column(Date, index=True)
    evidence_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("training_programme.id"), index=True)
    subsidy: Mapped[Decimal | None] = mapped_column(Money)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    programme: Mapped[TrainingProgramme | None] = relationship()

    @property
    def education_label(self):
        return education_label(self.education)

    @property
    def previous_education_label(self):
        return education_label(self.previous_education)
