"""The national vocational skill ladder (职业技能等级) as ordered data.

A worker's level is stored as the ladder rank (0 = 学徒工 ... 7 = 首席技师), so "at least 高级工"
or "one level above" is an integer comparison in SQL and in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.l10n import lazy_gettext as _l


@dataclass(frozen=True)
class SkillLevel:
    rank: int
    code: str
    label: object  # lazy string, Chinese first

    def __str__(self) -> str:
        return str(self.label)


SKILL_LEVELS: tuple[SkillLevel, ...] = (
    SkillLevel(0, "apprentice", _l("学徒工")),
    SkillLevel(1, "junior", _l("初级工（五级）")),
    SkillLevel(2, "intermediate", _l("中级工（四级）")),
    SkillLevel(3, "senior", _l("高级工（三级）")),
    SkillLevel(4, "technician", _l("技师（二级）")),
    SkillLevel(5, "senior_technician", _l("高级技师（一级）")),
    SkillLevel(6, "special_technician", _l("特级技师")),
    SkillLevel(7, "chief_technician", _l("首席技师")),
)

MIN_RANK = SKILL_LEVELS[0].rank
MAX_RANK = SKILL_LEVELS[-1].rank
SENIOR_WORKER = 3  # 高级工
TECHNICIAN = 4  # 技师


def level(rank: int | None) -> SkillLevel | None:
    """The ladder step of a rank, or None for no level recorded."""
    if rank is None:
        return None
    return SKILL_LEVELS[rank]


def choices() -> list[tuple[int, str]]:
    return [(step.rank, str(step.label)) for step in SKILL_LEVELS]


# --- history ---------------------------------------------------------------------------------

from datetime import date, datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

from sqlalchemy import ForeignKey, Integer, SmallInteger, String  # noqa: E402
from sqlalchemy.orm import Mapped, mapped_column, relationship  # noqa: E402

from models import db  # noqa: E402
from models.types import Money, UTCDateTime, utcnow  # noqa: E402

REASON_INITIAL = "initial"  # the level HR entered when creating the account
REASON_CERTIFICATE = "certificate"  # a certificate recorded by HR (issuing body, number)
REASON_ASSESSMENT = "assessment"  # a mentoring final assessment (出师考核)
REASON_COMPETITION = "competition"  # promotion recommended by a competition, certificate issued
REASON_CORRECTION = "correction"  # HR corrected a wrongly entered level

REASON_LABELS = {
    REASON_INITIAL: _l("建档"),
    REASON_CERTIFICATE: _l("取得等级证书"),
    REASON_ASSESSMENT: _l("出师考核"),
    REASON_COMPETITION: _l("竞赛晋升"),
    REASON_CORRECTION: _l("更正"),
}


class SkillLevelChange(db.Model):
    """One entry of a worker's skill-level history; the latest entry is the current level."""

    __tablename__ = "skill_level_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    previous_level: Mapped[int | None] = mapped_column(SmallInteger)
    reason: Mapped[str] = mapped_column(String(16), index=True)
    effective_date: Mapped[date] = mapped_column(index=True)
    certificate_no: Mapped[str | None] = mapped_column(String(22))
    issuing_body: Mapped[str | None] = mapped_column(String(100))
    # What caused it, e.g. ("competition", 12), ("mentor_pair", 7) or ("training_programme", 3).
    source_type: Mapped[str | None] = mapped_column(String(32))
    source_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))
    # The union's subsidy (元) for this upgrade, where it paid one (技能提升补贴; issue 15).
    subsidy: Mapped[Decimal | None] = mapped_column(Money)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    @property
    def step(self):
        return level(self.level)

    @property
    def reason_label(self):
        return REASON_LABELS.get(self.reason, self.reason)
