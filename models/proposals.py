"""Five Small innovation proposals (五小提案): campaigns, rubrics, proposals, judging, savings.

Invariants the database keeps as the last word: one mark per (proposal, judge, criterion), marks 0-10,
one assignment per (proposal, judge), one author row per (proposal, person) with a share in 1-100,
rubric weights in 1-100, windows in order. The rules around them live in services/proposals/.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
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
from models.files import StoredFile
from models.owners import OWNER_CITY, OWNER_ENTERPRISE, OWNER_LEVEL_LABELS, OWNER_TOWN, Owned, owner_check  # noqa: F401
from models.rewards import RewardsMixin, rewards_check
from models.types import Money, UTCDateTime, utcnow
from models.vocabulary import CRITERION_LABELS, PRIZE_LABELS, prize_label, reference_label

# --- vocabularies ---------------------------------------------------------------------------

KIND_LABELS = {
    "improvement": _l("小革新"),
    "invention": _l("小发明"),
    "creation": _l("小创造"),
    "design": _l("小设计"),
    "suggestion": _l("小建议"),
}

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
VALID = "valid"
UNDER_REVIEW = "under_review"
SCORED = "scored"
AWARDED = "awarded"
ADOPTED = "adopted"
IMPLEMENTED = "implemented"

PROPOSAL_STATUS_LABELS = {
    DRAFT: _l("草稿"),
    SUBMITTED: _l("已提交"),
    RETURNED: _l("退回修改"),
    REJECTED: _l("未通过"),
    WITHDRAWN: _l("已撤回"),
    VALID: _l("有效提案"),
    UNDER_REVIEW: _l("评审中"),
    SCORED: _l("已评分"),
    AWARDED: _l("已获奖"),
    ADOPTED: _l("已采纳"),
    IMPLEMENTED: _l("已实施"),
}



def kind_label(kind: str):
    """The label of a proposal's kind (the code itself for an unknown one), as Proposal.kind_label."""
    return KIND_LABELS.get(kind, kind)


def status_label(status: str):
    """The label of a proposal's status (the code itself for an unknown one), as Proposal.status_label."""
    return PROPOSAL_STATUS_LABELS.get(status, status)


# Statuses in which a proposal has been judged and takes part in the ranking.
RANKED_STATUSES = (SCORED, AWARDED, ADOPTED, IMPLEMENTED)
# Statuses counted by the union as valid proposals (passed screening).
VALID_STATUSES = (VALID, UNDER_REVIEW, *RANKED_STATUSES)

SCREENING_REASON_LABELS = {
    "own_duty": _l("属于提案人本职工作"),
    "no_measures": _l("没有具体措施"),
    "in_progress": _l("问题已在解决中"),
    "duplicate": _l("重复提案或已获奖励"),
    "ip_dispute": _l("存在知识产权争议"),
    "other": _l("其他"),
}

CAMPAIGN_ACTIVE = "active"
CAMPAIGN_PUBLISHED = "published"
CAMPAIGN_FINAL = "final"
CAMPAIGN_STATUS_LABELS = {
    CAMPAIGN_ACTIVE: _l("进行中"),
    CAMPAIGN_PUBLISHED: _l("结果公示中"),
    CAMPAIGN_FINAL: _l("结果已确定"),
}

# Notes the platform itself writes on a proposal's timeline. The stored note is the Chinese source text
# (as rows written before this table hold it too); the timeline shows its label in the reader's language.
NOTE_REVIEW_STARTED = "开始评审"
NOTE_ALL_SCORED = "评委已全部提交评分"
NOTE_JUDGE_ADDED = "追加评委，待其提交后重新计算得分"
NOTE_RECOMMENDED = "推荐上报"
PRIZE_NOTES = {"first": "一等奖", "second": "二等奖", "third": "三等奖", "honourable": "优秀奖"}
SYSTEM_NOTE_LABELS = {
    NOTE_REVIEW_STARTED: _l("开始评审"),
    NOTE_ALL_SCORED: _l("评委已全部提交评分"),
    NOTE_JUDGE_ADDED: _l("追加评委，待其提交后重新计算得分"),
    NOTE_RECOMMENDED: _l("推荐上报"),
    **{PRIZE_NOTES[code]: PRIZE_LABELS[code] for code in PRIZE_NOTES},
}

DEFAULT_RUBRIC = (
    (_l("创新性"), 25),
    (_l("可行性"), 25),
    (_l("经济效益"), 30),
    (_l("推广价值"), 20),
)

NOTICE_SUBJECT = "proposal_campaign"


# --- campaigns ------------------------------------------------------------------------------


class Campaign(Owned, RewardsMixin, db.Model):
    """A yearly Five Small campaign, e.g. "2026年五小·智慧杯"."""

    __tablename__ = "proposal_campaign"
    __table_args__ = (
        CheckConstraint("submission_opens_at < submission_closes_at", name="submission_window"),
        CheckConstraint("judging_opens_at < judging_closes_at", name="judging_window"),
        CheckConstraint("min_judges >= 1", name="min_judges_positive"),
        CheckConstraint("quota_first >= 0 AND quota_second >= 0 AND quota_third >= 0", name="quotas"),
        CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name="pass_mark_range"),
        # One owner per campaign: the city (no node), a town, or an enterprise.
        owner_check(),
        CheckConstraint("recommend_quota IS NULL OR recommend_quota >= 1", name="recommend_quota_positive"),
        rewards_check(),
        # A name is unique per owner (services.proposals.campaigns checks it); lists of one owner's campaigns.
        Index("ix_proposal_campaign_owner", "owner_level", "owner_enterprise_id", "owner_town_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # The owner (docs/domain.md, "Owners and levels"; models.owners.Owned: owner_level, owner_enterprise_id,
    # owner_town_id, owner_name): existing campaigns are the city's.
    # How many proposals each lower owner (enterprise or town) may recommend into this campaign;
    # None: the campaign takes no recommendations.
    recommend_quota: Mapped[int | None] = mapped_column(Integer)
    # Reward (奖金, yuan) paid per prize, where the owner pays one: reward_first .. reward_honourable
    # (models.rewards.RewardsMixin).
    description: Mapped[str | None] = mapped_column(Text)
    submission_opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submission_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    judging_opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    judging_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    min_judges: Mapped[int] = mapped_column(SmallInteger, default=3)
    blind_review: Mapped[bool] = mapped_column(Boolean, default=True)
    quota_first: Mapped[int] = mapped_column(Integer, default=2)
    quota_second: Mapped[int] = mapped_column(Integer, default=5)
    quota_third: Mapped[int] = mapped_column(Integer, default=52)
    pass_mark: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("60"))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=CAMPAIGN_ACTIVE, index=True)
    # Raised (in SQL, models.proposal_tallies) in the transaction of every change to a proposal's score
    # or ranked status; the stored ranking is fresh while ProposalRanking.version equals it.
    ranking_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    criteria: Mapped[list[RubricCriterion]] = relationship(
        back_populates="campaign", order_by="RubricCriterion.position", cascade="all, delete-orphan",
        lazy="selectin",
    )

    panel: Mapped[list[CampaignJudge]] = relationship(
        back_populates="campaign", order_by="CampaignJudge.id", cascade="all, delete-orphan")

    @property
    def status_label(self):
        return CAMPAIGN_STATUS_LABELS.get(self.status, self.status)

    @property
    def is_enterprise_level(self) -> bool:
        return self.owner_level == OWNER_ENTERPRISE

    def __str__(self) -> str:
        return self.name


class CampaignJudge(db.Model):
    """A person the campaign's owner appointed to its judging panel (评委库 of one event).

    At enterprise level the panel is the only pool of judges (the enterprise's own staff); at city level
    the global judge role is the pool and the panel adds people the admin appointed for this campaign.
    """

    __tablename__ = "proposal_campaign_judge"
    __table_args__ = (UniqueConstraint("campaign_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("proposal_campaign.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    campaign: Mapped[Campaign] = relationship(back_populates="panel")
    user = relationship("User", foreign_keys=[user_id])


class RubricCriterion(db.Model):
    """One criterion of a campaign's rubric; the weights of a campaign sum to 100."""

    __tablename__ = "proposal_criterion"
    __table_args__ = (
        UniqueConstraint("campaign_id", "name"),
        CheckConstraint("weight >= 1 AND weight <= 100", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("proposal_campaign.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    weight: Mapped[int] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    campaign: Mapped[Campaign] = relationship(back_populates="criteria")

    @property
    def label(self):
        """The name in the reader's language (a default criterion's translated label)."""
        return reference_label(CRITERION_LABELS, self.name)


# --- proposals ------------------------------------------------------------------------------


class Proposal(db.Model):
    """A proposal of one enterprise's worker (and co-authors) in one campaign."""

    __tablename__ = "proposal"
    __table_args__ = (
        CheckConstraint("estimated_savings IS NULL OR estimated_savings >= 0", name="savings_not_negative"),
        Index("ix_proposal_by_campaign_status", "campaign_id", "status"),
        Index("ix_proposal_by_enterprise_campaign", "enterprise_id", "campaign_id"),
        # An enterprise's proposals newest first (HR's list: keyset pages by id, services.proposals.listing).
        Index("ix_proposal_by_enterprise_id", "enterprise_id", "id"),
        # A page of the ranking is a range of positions (services.proposals.ranking).
        Index("ix_proposal_by_campaign_position", "campaign_id", "position"),
        # The admin's list of proposals awaiting judges, in id order (keyset pages).
        Index("ix_proposal_assignable", "campaign_id", "id",
              postgresql_where=text("status IN ('valid', 'under_review')"),
              sqlite_where=text("status IN ('valid', 'under_review')")),
        # A proposal has at most one entry per campaign (services.proposals.recommendation).
        UniqueConstraint("origin_id", "campaign_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # active_history on the columns the stored tallies count (models.proposal_tallies): their old value
    # is known at flush even when the row was expired.
    campaign_id: Mapped[int] = mapped_column(ForeignKey("proposal_campaign.id"), index=True, active_history=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True, active_history=True)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(100))
    problem: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(Text, default="")
    expected_benefit: Mapped[str] = mapped_column(Text, default="")
    estimated_savings: Mapped[Decimal | None] = mapped_column(Money, active_history=True)
    # Optional savings calculator inputs (docs/domain.md): (before - after) x price x output - cost.
    calc_quantity_before: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    calc_quantity_after: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    calc_unit_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    calc_annual_output: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    calc_implementation_cost: Mapped[Decimal | None] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True, active_history=True)
    pledge_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    screening_reason: Mapped[str | None] = mapped_column(String(16))
    screening_note: Mapped[str | None] = mapped_column(Text)
    # Results: the aggregate of the judges' totals (services.common.scoring.trimmed_mean) and its spread.
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), index=True, active_history=True)
    score_spread: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    judge_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    # The live ranking (services.proposals.ranking): the shared rank ("1224") and the dense position
    # 1..n (score desc, id asc) of a judged proposal in its campaign; None outside the ranking.
    place: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int | None] = mapped_column(Integer)
    # The rank stored when the results were published (services.proposals.results.publish_results).
    rank: Mapped[int | None] = mapped_column(Integer)
    prize: Mapped[str | None] = mapped_column(String(16), index=True)
    # Recommendation upward (推荐上报): a row is one proposal's entry in one campaign. An entry recommended
    # from a lower level names the original entry (`origin_id`, the proposal's identity: the first
    # level's row) and the entry it came from; it has its own judges, score and prize.
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    recommended_from_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    recommended_from: Mapped[Proposal | None] = relationship(
        remote_side="Proposal.id", foreign_keys=[recommended_from_id])
    enterprise = relationship("Enterprise")
    proposer = relationship("User", foreign_keys=[proposer_id])
    authors: Mapped[list[ProposalAuthor]] = relationship(
        back_populates="proposal", order_by="ProposalAuthor.position", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[ProposalAttachment]] = relationship(
        back_populates="proposal", order_by="ProposalAttachment.id", cascade="all, delete-orphan"
    )
    changes: Mapped[list[ProposalStatusChange]] = relationship(
        back_populates="proposal", order_by="ProposalStatusChange.id", cascade="all, delete-orphan"
    )
    saving: Mapped[RealisedSaving | None] = relationship(back_populates="proposal", uselist=False)

    @property
    def kind_label(self):
        return kind_label(self.kind)

    @property
    def status_label(self):
        return status_label(self.status)

    @property
    def prize_label(self):
        return prize_label(self.prize)

    @property
    def identity_id(self) -> int:
        """The id of the proposal this row is an entry of (its own id for an original)."""
        return self.origin_id or self.id

    def __str__(self) -> str:
        return self.title


class ProposalAuthor(db.Model):
    """An author of a proposal (the proposer is one) and their contribution share in percent."""

    __tablename__ = "proposal_author"
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id"),
        CheckConstraint("share >= 1 AND share <= 100", name="share_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    share: Mapped[int] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    proposal: Mapped[Proposal] = relationship(back_populates="authors")
    user = relationship("User")


class ProposalAttachment(db.Model):
    """A photo, drawing or PDF attached to a proposal (the file itself is a StoredFile)."""

    __tablename__ = "proposal_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    # A recommended entry shows its original's files: one stored file, one attachment row per entry.
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), index=True)

    proposal: Mapped[Proposal] = relationship(back_populates="attachments")
    file: Mapped[StoredFile] = relationship(lazy="joined")


class ProposalStatusChange(db.Model):
    """One step of a proposal's timeline: from, to, who, when, why."""

    __tablename__ = "proposal_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

    proposal: Mapped[Proposal] = relationship(back_populates="changes")
    actor = relationship("User")

    @property
    def from_label(self):
        return PROPOSAL_STATUS_LABELS.get(self.from_status, "") if self.from_status else ""

    @property
    def to_label(self):
        return PROPOSAL_STATUS_LABELS.get(self.to_status, self.to_status)

    @property
    def reason_label(self):
        return SCREENING_REASON_LABELS.get(self.reason, "") if self.reason else ""

    @property
    def note_text(self):
        """The note as the reader sees it: a note of the platform translated, one typed by a person as typed."""
        return SYSTEM_NOTE_LABELS.get(self.note, self.note) if self.note else ""


# --- judging --------------------------------------------------------------------------------


class JudgeAssignment(db.Model):
    """A judge assigned to a proposal; `submitted_at` set when the judge submits final marks."""

    __tablename__ = "proposal_judge_assignment"
    __table_args__ = (
        UniqueConstraint("proposal_id", "judge_id"),
        # The judge's queue: newest campaign first, then in order of assignment.
        Index("ix_proposal_judge_assignment_queue", "judge_id", "campaign_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True, active_history=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("proposal_campaign.id"), index=True, active_history=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    total: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, active_history=True)

    proposal: Mapped[Proposal] = relationship()
    judge = relationship("User", foreign_keys=[judge_id])
    marks: Mapped[list[Mark]] = relationship(back_populates="assignment", cascade="all, delete-orphan")


class Mark(db.Model):
    """One judge's mark (0-10) on one criterion of one proposal."""

    __tablename__ = "proposal_mark"
    __table_args__ = (
        UniqueConstraint("proposal_id", "judge_id", "criterion_id"),
        CheckConstraint("mark >= 0 AND mark <= 10", name="mark_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("proposal_judge_assignment.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("proposal_criterion.id"), index=True)
    mark: Mapped[int] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assignment: Mapped[JudgeAssignment] = relationship(back_populates="marks")


class MarkChange(db.Model):
    """The audit trail of marks: every first entry and every revision (old, new, who, when)."""

    __tablename__ = "proposal_mark_change"
    __table_args__ = (
        CheckConstraint("new_mark >= 0 AND new_mark <= 10", name="new_mark_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("proposal_mark.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("proposal_criterion.id"))
    old_mark: Mapped[int | None] = mapped_column(SmallInteger)
    new_mark: Mapped[int] = mapped_column(SmallInteger)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- realised savings -----------------------------------------------------------------------


class RealisedSaving(db.Model):
    """The realised annual saving of an implemented proposal, with finance's confirmation file."""

    __tablename__ = "proposal_realised_saving"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), unique=True)
    amount: Mapped[Decimal] = mapped_column(Money, active_history=True)
    note: Mapped[str] = mapped_column(Text)
    finance_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, active_history=True)

    proposal: Mapped[Proposal] = relationship(back_populates="saving")
    finance_file: Mapped[StoredFile] = relationship()
    entered_by = relationship("User", foreign_keys=[entered_by_id])
    verified_by = relationship("User", foreign_keys=[verified_by_id])
