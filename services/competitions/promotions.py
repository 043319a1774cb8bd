"""Skill promotion after a competition (技能晋升): the top N of a final result are recommended for one
skill level up, never above 技师 by this route; HR of the worker's enterprise records the issued
skill certificate, and only then does the worker's level change (docs/domain.md, Skills competitions).
"""

from __future__ import annotations

from sqlalchemy import select

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.competitions import (
    NOTICE_SUBJECT,
    PROMOTION_CERTIFIED,
    PROMOTION_PASSED_OVER,
    PROMOTION_RECOMMENDED,
    Competition,
    CompetitionPromotion,
    CompetitionRegistration,
    CompetitionResult,
)
from models.skills import REASON_COMPETITION, TECHNICIAN, level
from services import policy
from services.common import audit, skills, standing
from services.common.validators import normalize_certificate_no
from services.competitions.policy import can_record_promotion
from services.errors import NotAllowed, NotFound, RuleViolation
from services.messages import inbox


def recommend(actor, competition: Competition, result: CompetitionResult, holder: User) -> CompetitionPromotion | None:
    """Recommend `holder` (the competitor or a team member) one level up when the result ranks within
    the competition's promote_top_n and they are below 技师 (no level: 1). Called by
    results.finalise_results; returns the recommendation, or None.

    Standing is checked at this moment (services.common.standing: account, enterprise, still employed
    there): without it the recommendation is made PASSED_OVER with the reason (HR cannot record a
    certificate on it), audited, and the worker and the enterprise's HR are told."""
    current = holder.skill_level
    if not (competition.promote_top_n and result.rank <= competition.promote_top_n and (current or 0) < TECHNICIAN):
        return None
    registration = result.registration
    promotion = CompetitionPromotion(
        registration_id=registration.id, worker_id=holder.id, enterprise_id=registration.enterprise_id,
        from_level=current, to_level=current + 1 if current is not None else 1)
    problem = standing.standing_problem(holder, registration.enterprise_id)
    if problem is not None:
        promotion.status, promotion.reason = PROMOTION_PASSED_OVER, problem.text
    db.session.add(promotion)
    if problem is not None:
        db.session.flush()
        audit.record("competition.promotion_passed_over", actor=actor, obj=promotion, worker_id=holder.id,
                     reason=problem.text)
        standing.tell_passed_over(holder, registration.enterprise_id, "competition.promotion_passed_over",
                                  competition.name, problem,
                                  link=inbox.link_to("competitions.show", competition_id=competition.id))
    return promotion


def promotions_query(actor, status: str | None = None):
    """Select of recommendations, open ones first then newest: HR sees their enterprise's
    (services.policy.scope_to), admins all; NotAllowed for anyone else. `status`: recommended or
    certified."""
    if not (policy.is_admin(actor) or policy.is_hr(actor)):
        raise NotAllowed(_l("没有权限查看晋升推荐。"))
    stmt = select(CompetitionPromotion).options(
        db.joinedload(CompetitionPromotion.worker),
        db.joinedload(CompetitionPromotion.registration).joinedload(CompetitionRegistration.competition))
    stmt = policy.scope_to(stmt, actor, CompetitionPromotion.enterprise_id)
    if status in (PROMOTION_RECOMMENDED, PROMOTION_CERTIFIED, PROMOTION_PASSED_OVER):
        stmt = stmt.where(CompetitionPromotion.status == status)
    return stmt.order_by(CompetitionPromotion.status.desc(), CompetitionPromotion.id.desc())


def _unknown_promotion() -> NotFound:
    return NotFound(_l("找不到这条晋升推荐。"))


def get_promotion(actor, promotion_id: int) -> CompetitionPromotion:
    """A recommendation in the actor's scope (HR: their enterprise's; admins: any), else NotFound."""
    stmt = policy.scope_to(select(CompetitionPromotion).where(CompetitionPromotion.id == promotion_id),
                           actor, CompetitionPromotion.enterprise_id)
    promotion = db.session.scalar(stmt)
    if promotion is None:
        raise _unknown_promotion()
    return promotion


def record_promotion_certificate(actor, promotion: CompetitionPromotion, certificate_no: str,
                                 issuing_body: str, effective_date=None) -> None:
    """HR of the worker's enterprise records the issued skill certificate (number of 22 characters,
    assessing body, date, checked by services.common.skills): the level goes up one step, with the
    competition as reason and source in the skill-level history.

    Raises NotFound (not HR of the worker's enterprise), RuleViolation (already recorded, the worker
    already reached the level, or the certificate's own checks).
    """
    if not can_record_promotion(actor, promotion):
        raise _unknown_promotion()
    if promotion.status == PROMOTION_PASSED_OVER:
        raise RuleViolation(_l("结果确认时这名职工已不符合推荐条件，不能登记证书。"))
    if promotion.status != PROMOTION_RECOMMENDED:
        raise RuleViolation(_l("这条推荐已经登记过证书。"))
    worker = promotion.worker
    if worker.skill_level is not None and worker.skill_level >= promotion.to_level:
        raise RuleViolation(_l("%(name)s 已达到 %(level)s，无需再登记。", name=worker.name,
                               level=level(worker.skill_level)))
    competition = promotion.registration.competition
    skills.change_skill_level(actor, worker, promotion.to_level, reason=REASON_COMPETITION,
                              effective_date=effective_date, certificate_no=certificate_no,
                              issuing_body=issuing_body, source=(NOTICE_SUBJECT, competition.id),
                              note=competition.name)
    promotion.status = PROMOTION_CERTIFIED
    promotion.certificate_no = normalize_certificate_no(certificate_no)
    promotion.issuing_body = (issuing_body or "").strip()
    promotion.recorded_by_id = actor.id
    promotion.recorded_at = clock.now()
    audit.record("competition.promotion_certified", actor=actor, obj=promotion, level=promotion.to_level)
