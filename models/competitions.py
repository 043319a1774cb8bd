"""Skills competitions (技能竞赛): the competition and its rules, registrations with seats and a
waitlist, judges, theory and practical marks with their change history, results, certificates and
skill-promotion recommendations.

Invariants kept by the database: one registration per worker per competition, one competitor number
per competition, one mark per (registration, judge, sub-item), seats_taken never above capacity,
theory + practical weights = 100, certificate codes unique.
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
from models.rewards import RewardsMixin, rewards_check
from models.skills import level
from models.types import UTCDateTime, utcnow
from models.vocabulary import HONOUR_LABELS, LEVEL_LABELS, prize_label, reference_label

Mark = Numeric(5, 2, asdecimal=True)

# Life cycle: draft -> open (visible, registration within its window) -> scoring (registration closed,
# marks entered) -> signed_off (marks frozen, ranked) -> noticed (公示 running) -> final.
DRAFT, OPEN, SCORING, SIGNED_OFF, NOTICED, FINAL = "draft", "open", "scoring", "signed_off", "noticed", "final"
STATUSES = {
    DRAFT: _l("草稿"),
    OPEN: _l("报名中"),
    SCORING: _l("评分中"),
    SIGNED_OFF: _l("成绩已确认"),
    NOTICED: _l("公示中"),
    FINAL: _l("结果已公布"),
}

CONFIRMED, WAITLISTED, WITHDRAWN, REJECTED = "confirmed", "waitlisted", "withdrawn", "rejected"
PASSED_OVER = "passed_over"  # skipped by the waitlist: no standing when its turn came (reason kept)
REGISTRATION_STATUSES = {
    CONFIRMED: _l("已确认"),
    WAITLISTED: _l("候补"),
    WITHDRAWN: _l("已退赛"),
    REJECTED: _l("未通过审核"),
    PASSED_OVER: _l("递补时已跳过"),
}

ACTIVE_STATUSES = (CONFIRMED, WAITLISTED)  # an entry that holds a seat or waits for one

# The subject of the results' public notice (公示) in models.notices, and the source of promotions.
NOTICE_SUBJECT = "competition"


class EntryNumber:
    """`number_label` of an entry, or of a plain row of one, that has a `competitor_no`: the number in
    three digits ("007"), "" without one."""

    __slots__ = ()

    @property
    def number_label(self) -> str:
        return f"{self.competitor_no:03d}" if self.competitor_no else ""


class PrizeLabels:
    """`prize_label` and `honour_label` of anything with `prize` and `honour` codes (a prize tier, a
    result, a plain row of the ranking): the prize and the recommended honour in the reader's language (a
    default honour translated, a typed one as typed)."""

    __slots__ = ()

    @property
    def prize_label(self):
        return prize_label(self.prize)

    @property
    def honour_label(self):
        return reference_label(HONOUR_LABELS, self.honour)


competition_trade = Table(
    "competition_trade",
    db.metadata,
    Column("competition_id", ForeignKey("competition.id", ondelete="CASCADE"), primary_key=True),
    Column("trade_id", ForeignKey("trade.id"), primary_key=True, index=True),
)


class Competition(Owned, RewardsMixin, db.Model):
    """One competition and its rules (eligibility, capacity, scoring scheme, prizes, promotion)."""

    __tablename__ = "competition"
    __table_args__ = (
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("theory_weight + practical_weight = 100", name="weights_sum_100"),
        CheckConstraint("min_age <= max_age", name="age_range"),
        CheckConstraint("min_judges >= 1", name="min_judges_positive"),
        CheckConstraint("team_min <= team_max", name="team_range"),
        # One owner per competition (issue 14): the city (no node), a town, or an enterprise.
        owner_check(),
        rewards_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    # The owner (docs/domain.md, "Owners and levels"; models.owners.Owned: owner_level, owner_enterprise_id,
    # owner_town_id, owner_name): existing competitions are the city's. An enterprise's or a town's own
    # competition is a selection contest (选拔赛) for the people under it.
    trade_id: Mapped[int] = mapped_column(ForeignKey("trade.id"), index=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[date] = mapped_column(Date, index=True)
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    numbers_issued: Mapped[int] = mapped_column(Integer, default=0)
    # eligibility
    min_skill_level: Mapped[int | None] = mapped_column(SmallInteger)
    max_skill_level: Mapped[int | None] = mapped_column(SmallInteger)
    min_age: Mapped[int] = mapped_column(SmallInteger, default=16)
    max_age: Mapped[int] = mapped_column(SmallInteger, default=60)
    members_only: Mapped[bool] = mapped_column(Boolean, default=True)
    per_enterprise_cap: Mapped[int | None] = mapped_column(Integer)
    is_team: Mapped[bool] = mapped_column(Boolean, default=False)
    team_min: Mapped[int] = mapped_column(SmallInteger, default=1)
    team_max: Mapped[int] = mapped_column(SmallInteger, default=1)
    # scoring
    theory_weight: Mapped[int] = mapped_column(SmallInteger, default=30)
    practical_weight: Mapped[int] = mapped_column(SmallInteger, default=70)
    min_judges: Mapped[int] = mapped_column(SmallInteger, default=3)
    judge_min_level: Mapped[int] = mapped_column(SmallInteger, default=4)
    promote_top_n: Mapped[int] = mapped_column(SmallInteger, default=0)
    # Reward (奖金, yuan) per prize where the owner pays one: reward_first .. reward_honourable
    # (models.rewards.RewardsMixin).
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    trade: Mapped[Trade] = relationship()
    eligible_trades: Mapped[list[Trade]] = relationship(secondary=competition_trade, order_by=Trade.name)
    items: Mapped[list[CompetitionItem]] = relationship(
        back_populates="competition", order_by="CompetitionItem.position", cascade="all, delete-orphan"
    )
    prize_tiers: Mapped[list[CompetitionPrizeTier]] = relationship(
        back_populates="competition", order_by="CompetitionPrizeTier.rank_from", cascade="all, delete-orphan"
    )

    @property
    def level_label(self):
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def year(self) -> int:
        return self.held_on.year

    def __str__(self) -> str:
        return self.name


class CompetitionItem(db.Model):
    """A sub-item of the practical part (e.g. 裁断, 针车, 成型, 整理) with its weight (sum 100)."""

    __tablename__ = "competition_item"
    __table_args__ = (CheckConstraint("weight > 0 AND weight <= 100", name="weight_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    weight: Mapped[int] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    competition: Mapped[Competition] = relationship(back_populates="items")


class CompetitionPrizeTier(PrizeLabels, db.Model):
    """Ranks rank_from..rank_to receive `prize` (a code of models.vocabulary.PRIZES), optionally
    recommended for `honour` (free text, e.g. 五一劳动奖章)."""

    __tablename__ = "competition_prize_tier"
    __table_args__ = (CheckConstraint("rank_from >= 1 AND rank_from <= rank_to", name="rank_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    rank_from: Mapped[int] = mapped_column(Integer)
    rank_to: Mapped[int] = mapped_column(Integer)
    prize: Mapped[str] = mapped_column(String(20))
    honour: Mapped[str | None] = mapped_column(String(100))

    competition: Mapped[Competition] = relationship(back_populates="prize_tiers")


class CompetitionRegistration(EntryNumber, db.Model):
    """A worker's entry (报名). Confirmed entries hold a seat and a competitor number; waitlisted ones
    queue in creation order (id)."""

    __tablename__ = "competition_registration"
    __table_args__ = (
        UniqueConstraint("competition_id", "worker_id", name="one_per_worker"),
        UniqueConstraint("competition_id", "competitor_no", name="one_number"),
        Index("ix_competition_registration_queue", "competition_id", "status", "id"),
        Index("ix_competition_registration_enterprise", "competition_id", "enterprise_id", "status"),
        # keyset pages of the registrations list (all, and HR's own enterprise) in registration order
        Index("ix_competition_registration_order", "competition_id", "id"),
        Index("ix_competition_registration_enterprise_order", "competition_id", "enterprise_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # active_history on the columns the stored entry tallies count (models.competition_tallies): their
    # committed value is known at flush time even when the row was expired
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id"), index=True, active_history=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, active_history=True)
    competitor_no: Mapped[int | None] = mapped_column(Integer)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # moved up from the waitlist
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, active_history=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # withdrawn or rejected
    reason: Mapped[str | None] = mapped_column(String(500))
    team_name: Mapped[str | None] = mapped_column(String(50))  # team competitions: worker_id is the captain

    competition: Mapped[Competition] = relationship()
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    enterprise: Mapped[Enterprise] = relationship()
    theory: Mapped[CompetitionTheoryMark | None] = relationship(back_populates="registration", uselist=False)
    result: Mapped[CompetitionResult | None] = relationship(back_populates="registration", uselist=False)
    members: Mapped[list[CompetitionTeamMember]] = relationship(
        back_populates="registration", order_by="CompetitionTeamMember.id", cascade="all, delete-orphan")

    @property
    def status_label(self):
        return REGISTRATION_STATUSES.get(self.status, self.status)

    @property
    def entrant_name(self) -> str:
        """The team's name for a team entry, else the worker's (needs `worker` loaded)."""
        return self.team_name or self.worker.name

    @property
    def theory_mark(self) -> Decimal | None:
        """The theory mark, or None before it is entered (services.competitions.standings reads it)."""
        return self.theory.mark if self.theory else None


class CompetitionTeamMember(db.Model):
    """A member of a team entry (the captain included). A worker is in at most one entry per competition."""

    __tablename__ = "competition_team_member"
    __table_args__ = (UniqueConstraint("competition_id", "worker_id", name="one_team_per_worker"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("competition_registration.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)

    registration: Mapped[CompetitionRegistration] = relationship(back_populates="members")
    worker: Mapped[User] = relationship()


class CompetitionJudge(db.Model):
    """A judge on the practical panel of a competition; never marks their own enterprise's entries."""

    __tablename__ = "competition_judge"
    __table_args__ = (UniqueConstraint("competition_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    judge: Mapped[User] = relationship(foreign_keys=[judge_id])


class CompetitionPracticalMark(db.Model):
    """One judge's mark (0-100) for one sub-item of one competitor."""

    __tablename__ = "competition_practical_mark"
    __table_args__ = (
        UniqueConstraint("registration_id", "judge_id", "item_id"),
        CheckConstraint("mark >= 0 AND mark <= 100", name="mark_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("competition_registration.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("competition_item.id"), index=True)
    mark: Mapped[Decimal] = mapped_column(Mark)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CompetitionTheoryMark(db.Model):
    """The theory exam mark (0-100) of one competitor."""

    __tablename__ = "competition_theory_mark"
    __table_args__ = (CheckConstraint("mark >= 0 AND mark <= 100", name="mark_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("competition_registration.id"), unique=True)
    mark: Mapped[Decimal] = mapped_column(Mark)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    registration: Mapped[CompetitionRegistration] = relationship(back_populates="theory")


class CompetitionMarkChange(db.Model):
    """History of every mark entered or corrected (theory or practical), shown to the admin."""

    __tablename__ = "competition_mark_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("competition_registration.id"), index=True)
    part: Mapped[str] = mapped_column(String(16))  # theory / practical
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("competition_item.id"))
    old_mark: Mapped[Decimal | None] = mapped_column(Mark)
    new_mark: Mapped[Decimal] = mapped_column(Mark)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changed_by = relationship("User", foreign_keys=[changed_by_id])
    item = relationship(CompetitionItem)


class CompetitionResult(PrizeLabels, db.Model):
    """A competitor's final marks, rank and prize (a code of models.vocabulary.PRIZES, copied from the
    prize tier at sign-off), written at sign-off. `rank` is the shared place ("1224"), `position` the
    dense order 1..n of the ranking (rank, then competitor number): a page of the ranking is a range
    of positions (services.competitions.standings). Both are kept current when a mark is corrected
    after the results were withdrawn (reopened), in the same transaction."""

    __tablename__ = "competition_result"
    __table_args__ = (
        Index("ix_competition_result_ranking", "competition_id", "total", "practical"),
        Index("ix_competition_result_position", "competition_id", "position"),
        Index("ix_competition_result_prize_position", "competition_id", "prize", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("competition_registration.id"), unique=True)
    theory: Mapped[Decimal] = mapped_column(Mark)
    practical: Mapped[Decimal] = mapped_column(Mark)
    total: Mapped[Decimal] = mapped_column(Mark)
    judges: Mapped[int] = mapped_column(SmallInteger)
    rank: Mapped[int | None] = mapped_column(Integer, index=True)
    position: Mapped[int | None] = mapped_column(Integer)
    prize: Mapped[str | None] = mapped_column(String(20), index=True)
    honour: Mapped[str | None] = mapped_column(String(100))

    registration: Mapped[CompetitionRegistration] = relationship(back_populates="result")


class CompetitionCertificate(db.Model):
    """A prize or participation certificate of one holder (each member of a team gets one); its random
    code is checked on a public page."""

    __tablename__ = "competition_certificate"
    __table_args__ = (UniqueConstraint("registration_id", "worker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("competition_registration.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # prize / participation
    code: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(String(500))

    registration: Mapped[CompetitionRegistration] = relationship()
    holder: Mapped[User] = relationship()


PROMOTION_RECOMMENDED, PROMOTION_CERTIFIED = "recommended", "certified"
PROMOTION_PASSED_OVER = "passed_over"  # no standing when results became final (reason kept)
PROMOTION_STATUSES = {
    PROMOTION_RECOMMENDED: _l("待取证"),
    PROMOTION_CERTIFIED: _l("已取证"),
    PROMOTION_PASSED_OVER: _l("未推荐"),
}


class CompetitionPromotion(db.Model):
    """A top-N competitor recommended for one skill level up (never above 技师 by this route)."""

    __tablename__ = "competition_promotion"
    __table_args__ = (UniqueConstraint("registration_id", "worker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("competition_registration.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    from_level: Mapped[int | None] = mapped_column(SmallInteger)
    to_level: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(16), default=PROMOTION_RECOMMENDED, index=True)
    certificate_no: Mapped[str | None] = mapped_column(String(22))
    issuing_body: Mapped[str | None] = mapped_column(String(100))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(200))  # why it was passed over

    registration: Mapped[CompetitionRegistration] = relationship()
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])

    @property
    def status_label(self):
        """The status as the list and its export show it (待取证, 已取证, 未推荐)."""
        return PROMOTION_STATUSES.get(self.status, self.status)

    @property
    def to_step(self):
        return level(self.to_level)

    @property
    def from_step(self):
        return level(self.from_level)

