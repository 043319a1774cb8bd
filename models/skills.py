"""The national vocational skill ladder (职业技能等级) as ordered data.

A worker's level is stored as the ladder rank (0 = 学徒工 ... 7 = 首席技师), so "at least 高级工"
or "one level above" is an integer comparison in SQL and in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


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
