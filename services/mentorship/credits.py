"""A mentor's credits (带徒成果): milestones their apprentices reached, evidence for the mentor's titles.

Rule (docs/domain.md, "Mentoring"): a mentor is credited when an apprentice reaches a milestone within
the agreement or 3 years after it (the pair's `credit_until`): a higher certified skill level or a
competition prize. Only pairs whose agreement ran count (active, completed, ended early; not
dissolved or never confirmed). Each kind of milestone is one SQL query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func

from core.l10n import lazy_gettext as _l
from models import User, db
from models.mentorship import CREDITED_STATUSES, MentorPair
from models.skills import REASON_CORRECTION, REASON_INITIAL, SkillLevelChange, level
from models.vocabulary import prize_label


@dataclass(frozen=True)
class Credit:
    """A milestone an apprentice reached within the agreement or 3 years after: evidence for the mentor."""

    pair_id: int
    apprentice_name: str
    kind: str  # "skill_level" or "competition_prize"
    on: date
    description: str


def skill_level_milestones(mentor_id: int) -> list[Credit]:
    """Higher certified levels of the mentor's apprentices between the pair's start and its credit
    window end (end of the agreement + 3 years), above the level the apprentice had at the start.
    One query; initial entries and corrections do not count."""
    rows = db.session.execute(
        db.select(MentorPair.id, User.name, SkillLevelChange.effective_date, SkillLevelChange.level,
                  SkillLevelChange.reason)
        .join(SkillLevelChange, SkillLevelChange.user_id == MentorPair.apprentice_id)
        .join(User, User.id == MentorPair.apprentice_id)
        .where(MentorPair.mentor_id == mentor_id, MentorPair.status.in_(CREDITED_STATUSES),
               SkillLevelChange.effective_date >= MentorPair.start_date,
               SkillLevelChange.effective_date <= func.coalesce(MentorPair.credit_until, MentorPair.planned_end),
               SkillLevelChange.level > func.coalesce(MentorPair.apprentice_level_at_start, -1),
               SkillLevelChange.reason.not_in((REASON_INITIAL, REASON_CORRECTION)))
        .order_by(SkillLevelChange.effective_date, SkillLevelChange.id)
    ).all()
    return [Credit(pair_id=r[0], apprentice_name=r[1], kind="skill_level", on=r[2],
                   description=str(_l("晋升为%(level)s", level=level(r[3]).label))) for r in rows]


def competition_prize_milestones(mentor_id: int) -> list[Credit]:
    """Prizes (一等奖 ... 优秀奖) won by the mentor's apprentices in final competition results held between
    a credited pair's start date and its credit window end. One query."""
    from services.competitions.results import final_placings_stmt

    apprentices = db.select(MentorPair.apprentice_id).where(MentorPair.mentor_id == mentor_id,
                                                             MentorPair.status.in_(CREDITED_STATUSES))
    placings = final_placings_stmt(apprentices).subquery()
    rows = db.session.execute(
        db.select(MentorPair.id, User.name, placings.c.held_on, placings.c.name, placings.c.prize)
        .join(placings, placings.c.worker_id == MentorPair.apprentice_id)
        .join(User, User.id == MentorPair.apprentice_id)
        .where(MentorPair.mentor_id == mentor_id, MentorPair.status.in_(CREDITED_STATUSES),
               placings.c.prize.is_not(None), placings.c.held_on >= MentorPair.start_date,
               placings.c.held_on <= func.coalesce(MentorPair.credit_until, MentorPair.planned_end))
        .order_by(placings.c.held_on)
    ).all()
    return [Credit(pair_id=r[0], apprentice_name=r[1], kind="competition_prize", on=r[2],
                   description=f"{r[3]} {prize_label(r[4])}") for r in rows]


def mentor_credits(mentor) -> list[Credit]:
    """All credits of a mentor (a User or a user id), by date: higher skill levels and competition
    prizes of their apprentices."""
    mentor_id = getattr(mentor, "id", mentor)
    credits = skill_level_milestones(mentor_id) + competition_prize_milestones(mentor_id)
    return sorted(credits, key=lambda c: (c.on, c.pair_id))
