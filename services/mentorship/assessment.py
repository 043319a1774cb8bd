"""The final assessment (出师考核) that completes a pair.

Rules (docs/domain.md, "Mentoring": a final assessment graded 优秀 / 合格 / 不合格 with the level
reached):
- HR of the pair's enterprise records it for an active pair, on or after the planned end, dated
  between the planned end and today; a score of 0-100 and the assessor are required.
- Passing needs the level reached; failing never raises the apprentice's level.
- Passing with a level above the apprentice's current one records the new level (services.common.skills,
  reason "assessment"); the pair is completed and the mentor's credit window runs 3 years from the
  assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.mentorship import ACTIVE, COMPLETED, GRADE_LABELS, PASSING_GRADES, Assessment, MentorPair
from models.skills import MAX_RANK, REASON_ASSESSMENT
from services.common import audit, skills, validators
from services.errors import NotAllowed, RuleViolation
from services.mentorship import events, lifecycle
from services.mentorship import policy as mentorship_policy
from services.mentorship.terms import credit_window_end


@dataclass
class AssessmentData:
    """What HR enters: a grade of GRADE_LABELS, the skill rank reached (0-8, or None), a score of
    0-100, the assessor's name, notes, and the date (default today)."""

    grade: str = ""
    level_reached: int | None = None
    score: Decimal | None = None
    assessor: str = ""
    notes: str = ""
    assessed_on: date | None = None


def _check_dates(pair: MentorPair, assessed_on: date) -> None:
    """Assessed on or after the planned end, and not in the future."""
    if clock.today() < pair.planned_end:
        raise RuleViolation(_l("出师考核须在协议结束日期（%(day)s）当天或之后进行。",
                               day=pair.planned_end.isoformat()), field="assessed_on")
    validators.refuse_future_date(assessed_on, "assessed_on")
    if assessed_on < pair.planned_end:
        raise RuleViolation(_l("考核日期不能早于协议结束日期（%(day)s）。", day=pair.planned_end.isoformat()),
                            field="assessed_on")


def _check_result(pair: MentorPair, data: AssessmentData) -> str:
    """The grade, level, score and assessor are consistent; returns the assessor's name, stripped."""
    if data.grade not in GRADE_LABELS:
        raise RuleViolation(_l("请选择考核结果。"), field="grade")
    current = pair.apprentice.skill_level
    if data.level_reached is not None and not 0 <= data.level_reached <= MAX_RANK:
        raise RuleViolation(_l("请选择达到的技能等级。"), field="level_reached")
    passed = data.grade in PASSING_GRADES
    if passed and data.level_reached is None:
        raise RuleViolation(_l("考核通过时请选择徒弟达到的技能等级。"), field="level_reached")
    if not passed and data.level_reached is not None and data.level_reached > (current or 0):
        raise RuleViolation(_l("考核不合格时不能晋升技能等级。"), field="level_reached")
    data.score = validators.read_decimal(data.score, places=2, field="score")
    if data.score is None or not Decimal("0") <= data.score <= Decimal("100"):
        raise RuleViolation(_l("考核分数须在 0 到 100 之间。"), field="score")
    assessor = (data.assessor or "").strip()
    if not assessor:
        raise RuleViolation(_l("请填写考核人。"), field="assessor")
    if len(assessor) > 100:
        raise RuleViolation(_l("考核人不能超过 100 字。"), field="assessor")
    return assessor


def assess(actor, pair: MentorPair, data: AssessmentData) -> Assessment:
    """HR records the final assessment at or after the planned end; the pair is completed. Passing
    with a level above the apprentice's current one records the new level (reason "assessment").

    Raises NotAllowed for anyone but the enterprise's HR, RuleViolation (on the AssessmentData field
    concerned) for a pair not active or any rule of the module docstring.
    """
    if not mentorship_policy.can_manage(actor, pair):
        raise NotAllowed(_l("只有本企业人力资源可以录入出师考核。"))
    if pair.status != ACTIVE:
        raise RuleViolation(_l("只有带徒中的结对可以进行出师考核。"))
    assessed_on = data.assessed_on or clock.today()
    _check_dates(pair, assessed_on)
    assessor = _check_result(pair, data)
    current = pair.apprentice.skill_level
    assessment = Assessment(pair_id=pair.id, assessed_on=assessed_on, grade=data.grade,
                            level_reached=data.level_reached, score=data.score.quantize(Decimal("0.01")),
                            assessor=assessor, notes=(data.notes or "").strip() or None,
                            recorded_by_id=actor.id, recorded_at=clock.now())
    outcome = str(_l("出师考核：%(grade)s", grade=GRADE_LABELS[data.grade]))
    if (data.grade in PASSING_GRADES and data.level_reached is not None
            and data.level_reached > (current if current is not None else -1)):
        change = skills.change_skill_level(actor, pair.apprentice, data.level_reached, reason=REASON_ASSESSMENT,
                                           effective_date=assessed_on, source=("mentor_pair", pair.id),
                                           note=outcome)
        assessment.skill_change_id = change.id
    db.session.add(assessment)
    lifecycle.transition(actor, pair, COMPLETED, outcome)
    pair.ended_on = assessed_on
    pair.credit_until = credit_window_end(assessed_on)
    db.session.flush()
    audit.record("mentorship.assessed", actor=actor, obj=pair, grade=data.grade, level=data.level_reached,
                 score=str(assessment.score))
    events.assessed(pair, assessment)
    return assessment
