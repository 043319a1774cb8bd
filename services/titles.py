"""Craftsman titles: title types, nomination rounds, eligibility, review, awards, notice, revocation.

Rules:
- Title types are data (admin-managed); the three of domain.md are created by default.
- Eligibility is computed from the platform's own records (services.evidence), never typed in:
  (skill level >= minimum OR a top-N place in a competition of at least a level within N years)
  AND years in the trade >= minimum AND, where configured, adopted proposals with verified savings
  and completed mentor pairs; the prerequisite title must be held (final, not revoked).
- HR nominates workers of their own enterprise (admins anyone) while the round is open and before
  its deadline; an ineligible nomination is refused with the unmet rules listed; one nomination
  per worker and round; the same title is never awarded twice to one person.
- The admin reviews (approve/reject with reasons) and awards approved nominations up to the
  round's quota; the quota is a guarded counter so concurrent awards cannot exceed it.
- Awards go to public notice (services.common.notices); when the notice is finalised they become final.
  An award can be revoked with a reason (kept, shown as revoked); revoking during the notice frees
  its quota place. Every status change is audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update

from core import clock
from models import Role, User, UserRole, db
from models.skills import MAX_RANK, level
from models.titles import (
    AWARD_FINAL,
    AWARD_NOTICE,
    AWARD_REVOKED,
    NOMINATION_APPROVED,
    NOMINATION_AWARDED,
    NOMINATION_REJECTED,
    NOMINATION_SUBMITTED,
    NOMINATION_WITHDRAWN,
    ROUND_CLOSED,
    ROUND_FINAL,
    ROUND_NOTICE,
    ROUND_OPEN,
    TITLE_LEVELS,
    Nomination,
    TitleAward,
    TitleRound,
    TitleType,
)
from models.vocabulary import COMPETITION_LEVELS, LEVEL_LABELS
from services import evidence, policy
from services.common import audit, notices
from services.errors import NotAllowed, NotFound, RuleViolation

NOTICE_SUBJECT = "title_round"


# --- title types ---------------------------------------------------------------------------------


@dataclass
class TitleTypeData:
    name: str = ""
    level: str = "city"
    yearly_quota: int | None = None
    prerequisite_id: int | None = None
    description: str | None = None
    min_skill_level: int | None = None
    competition_top_n: int | None = None
    competition_min_level: str | None = None
    competition_within_years: int | None = None
    min_years_in_trade: int | None = None
    min_adopted_proposals: int | None = None
    min_verified_savings: Decimal | None = None
    min_completed_pairs: int | None = None
    validity_years: int | None = None
    is_active: bool = True


DEFAULT_TITLES = (
    TitleTypeData(name="晋江工匠", level="city", yearly_quota=20, min_skill_level=4, competition_top_n=3,
                  competition_min_level="city", competition_within_years=3, min_years_in_trade=5,
                  description="晋江市总工会评选的市级工匠。"),
    TitleTypeData(name="泉州工匠", level="prefecture", yearly_quota=3, min_skill_level=5, competition_top_n=3,
                  competition_min_level="prefecture", competition_within_years=3, min_years_in_trade=8,
                  description="泉州市总工会评选的地市级工匠，须已获得晋江工匠称号。"),
    TitleTypeData(name="福建省金牌工人", level="province", yearly_quota=4, min_skill_level=5,
                  competition_top_n=3, competition_min_level="province", competition_within_years=3,
                  min_years_in_trade=10, description="福建省总工会评选的省级称号，须已获得泉州工匠称号。"),
)
DEFAULT_PREREQUISITES = {"泉州工匠": "晋江工匠", "福建省金牌工人": "泉州工匠"}


def ensure_default_titles() -> None:
    """Create the three default titles of domain.md where missing (idempotent)."""
    existing = {t.name: t for t in db.session.scalars(db.select(TitleType))}
    for data in DEFAULT_TITLES:
        if data.name not in existing:
            existing[data.name] = TitleType(**{k: v for k, v in data.__dict__.items() if k != "prerequisite_id"})
            db.session.add(existing[data.name])
    db.session.flush()
    for name, prerequisite in DEFAULT_PREREQUISITES.items():
        if existing[name].prerequisite_id is None:
            existing[name].prerequisite_id = existing[prerequisite].id
    db.session.flush()


def title_types(active_only: bool = False) -> list[TitleType]:
    stmt = db.select(TitleType).order_by(TitleType.id)
    if active_only:
        stmt = stmt.where(TitleType.is_active)
    return list(db.session.scalars(stmt))


def get_title_type(title_type_id: int) -> TitleType:
    title_type = db.session.get(TitleType, title_type_id)
    if title_type is None:
        raise NotFound(_l("找不到这个称号。"))
    return title_type


def save_title_type(actor, title_type: TitleType | None, data: TitleTypeData) -> TitleType:
    """Create or edit a title type; the rules must be complete and the prerequisite chain acyclic."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以管理称号。"))
    name = (data.name or "").strip()
    if not name or len(name) > 50:
        raise RuleViolation(_l("请填写称号名称（不超过 50 个字）。"), field="name")
    clash = db.session.scalar(db.select(TitleType.id).where(TitleType.name == name,
                                                           TitleType.id != getattr(title_type, "id", None)))
    if clash:
        raise RuleViolation(_l("已有同名称号。"), field="name")
    if data.level not in TITLE_LEVELS:
        raise RuleViolation(_l("请选择称号级别。"), field="level")
    if not data.yearly_quota or data.yearly_quota < 1 or data.yearly_quota > 10000:
        raise RuleViolation(_l("每年名额应为 1 到 10000。"), field="yearly_quota")
    if data.min_skill_level is not None and not 0 <= data.min_skill_level <= MAX_RANK:
        raise RuleViolation(_l("请选择职业技能等级。"), field="min_skill_level")
    competition_fields = (data.competition_top_n, data.competition_min_level, data.competition_within_years)
    if any(v not in (None, "") for v in competition_fields):
        if not data.competition_top_n or data.competition_top_n < 1:
            raise RuleViolation(_l("竞赛名次条件需要填写前几名（至少为 1）。"), field="competition_top_n")
        if data.competition_min_level not in COMPETITION_LEVELS:
            raise RuleViolation(_l("竞赛名次条件需要选择最低竞赛级别。"), field="competition_min_level")
        if not data.competition_within_years or data.competition_within_years < 1:
            raise RuleViolation(_l("竞赛名次条件需要填写年限（至少 1 年）。"), field="competition_within_years")
    else:
        data.competition_min_level = None
    if data.min_skill_level is None and not data.competition_top_n:
        raise RuleViolation(_l("请至少设置技能等级或竞赛名次中的一项条件。"), field="min_skill_level")
    for field_name in ("min_years_in_trade", "min_adopted_proposals", "min_completed_pairs", "validity_years"):
        value = getattr(data, field_name)
        if value is not None and value < 0:
            raise RuleViolation(_l("不能为负数。"), field=field_name)
    if data.min_verified_savings is not None and data.min_verified_savings < 0:
        raise RuleViolation(_l("不能为负数。"), field="min_verified_savings")
    if data.prerequisite_id:
        prerequisite = db.session.get(TitleType, data.prerequisite_id)
        if prerequisite is None:
            raise RuleViolation(_l("请选择前置称号。"), field="prerequisite_id")
        cursor = prerequisite
        while cursor is not None:
            if title_type is not None and cursor.id == title_type.id:
                raise RuleViolation(_l("前置称号不能形成循环。"), field="prerequisite_id")
            cursor = cursor.prerequisite
    created = title_type is None
    title_type = title_type or TitleType()
    for key, value in data.__dict__.items():
        setattr(title_type, key, value.strip() if isinstance(value, str) else value)
    title_type.name = name
    db.session.add(title_type)
    db.session.flush()
    audit.record("title_type.created" if created else "title_type.updated", actor=actor, obj=title_type,
                 name=name)
    return title_type


# --- eligibility ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    met: bool
    detail: str


def evaluate(title_type: TitleType, worker_evidence: evidence.Evidence) -> list[RuleResult]:
    """Every configured rule of `title_type` with whether the evidence meets it and why."""
    ev = worker_evidence
    results: list[RuleResult] = []
    if title_type.min_skill_level is not None or title_type.competition_top_n:
        parts, met = [], False
        current = level(ev.skill_level)
        if title_type.min_skill_level is not None:
            met = ev.skill_level is not None and ev.skill_level >= title_type.min_skill_level
            parts.append(str(_l("职业技能等级 %(need)s 及以上（现为 %(now)s）",
                                need=level(title_type.min_skill_level), now=current or "—")))
        if title_type.competition_top_n:
            best = ev.best_placing(title_type.competition_top_n, title_type.competition_min_level,
                                   title_type.competition_within_years)
            met = met or best is not None
            found = (str(_l("%(name)s 第 %(rank)d 名", name=best.name, rank=best.rank)) if best
                     else str(_l("无")))
            parts.append(str(_l("近 %(years)d 年%(level)s及以上竞赛前 %(n)d 名（%(found)s）",
                                years=title_type.competition_within_years,
                                level=LEVEL_LABELS[title_type.competition_min_level],
                                n=title_type.competition_top_n, found=found)))
        results.append(RuleResult("skill_or_competition", str(_l("技能等级或竞赛名次")), met,
                                  str(_l("或")).join(parts) if len(parts) > 1 else parts[0]))
    if title_type.min_years_in_trade:
        results.append(RuleResult(
            "years_in_trade", str(_l("工种年限")), ev.years_in_trade >= title_type.min_years_in_trade,
            str(_l("从事本工种满 %(need)d 年（现为 %(now)d 年）", need=title_type.min_years_in_trade,
                   now=ev.years_in_trade))))
    if title_type.min_adopted_proposals:
        need_savings = title_type.min_verified_savings or Decimal(0)
        met = (ev.adopted_proposals >= title_type.min_adopted_proposals and ev.verified_savings >= need_savings)
        results.append(RuleResult(
            "proposals", str(_l("五小创新成果")), met,
            str(_l("采纳并核实节约的提案至少 %(n)d 项、核实节约至少 %(s)s 元（现为 %(have)d 项、%(saved)s 元）",
                   n=title_type.min_adopted_proposals, s=need_savings, have=ev.adopted_proposals,
                   saved=ev.verified_savings))))
    if title_type.min_completed_pairs:
        results.append(RuleResult(
            "mentoring", str(_l("带徒成果")), ev.completed_pairs >= title_type.min_completed_pairs,
            str(_l("作为师傅完成带徒至少 %(n)d 对（现为 %(have)d 对）", n=title_type.min_completed_pairs,
                   have=ev.completed_pairs))))
    if title_type.prerequisite_id:
        held = ev.titles.get(title_type.prerequisite_id) == AWARD_FINAL
        results.append(RuleResult("prerequisite", str(_l("前置称号")), held,
                                  str(_l("须已获得“%(name)s”称号", name=title_type.prerequisite.name))))
    return results


def unmet(results: list[RuleResult]) -> list[RuleResult]:
    return [r for r in results if not r.met]


# --- rounds ----------------------------------------------------------------------------------------


def get_round(round_id: int) -> TitleRound:
    title_round = db.session.get(TitleRound, round_id)
    if title_round is None:
        raise NotFound(_l("找不到这个评选。"))
    return title_round


def rounds(open_only: bool = False) -> list[TitleRound]:
    stmt = db.select(TitleRound).options(db.joinedload(TitleRound.title_type)).order_by(
        TitleRound.year.desc(), TitleRound.title_type_id)
    if open_only:
        stmt = stmt.where(TitleRound.status == ROUND_OPEN, TitleRound.deadline > clock.now())
    return list(db.session.scalars(stmt))


def open_round(actor, title_type: TitleType, year: int, deadline: datetime, quota: int | None = None) -> TitleRound:
    """Open one year's nominations for a title (once per title and year)."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以发起评选。"))
    if not title_type.is_active:
        raise RuleViolation(_l("该称号已停用。"), field="title_type_id")
    if not 2000 <= year <= 2100:
        raise RuleViolation(_l("请填写正确的年度。"), field="year")
    if deadline is None or deadline <= clock.now():
        raise RuleViolation(_l("推荐截止时间应晚于现在。"), field="deadline")
    quota = quota or title_type.yearly_quota
    if quota < 1:
        raise RuleViolation(_l("名额至少为 1。"), field="quota")
    if db.session.scalar(db.select(TitleRound.id).where(TitleRound.title_type_id == title_type.id,
                                                       TitleRound.year == year)):
        raise RuleViolation(_l("这个称号本年度已经发起过评选。"), field="year")
    title_round = TitleRound(title_type_id=title_type.id, title_type=title_type, year=year, deadline=deadline,
                             quota=quota, status=ROUND_OPEN, opened_by_id=actor.id, awarded_count=0)
    db.session.add(title_round)
    db.session.flush()
    audit.record("title_round.opened", actor=actor, obj=title_round, title=title_type.name, year=year)
    return title_round


def accepts_nominations(title_round: TitleRound) -> bool:
    return title_round.status == ROUND_OPEN and clock.now() < title_round.deadline


# --- nominations -----------------------------------------------------------------------------------


def nominee_choices(actor, title_round: TitleRound) -> list[User]:
    """Workers the actor may nominate (HR: own enterprise; admins: everyone), active, not yet nominated."""
    nominated = db.select(Nomination.worker_id).where(Nomination.round_id == title_round.id,
                                                      Nomination.status != NOMINATION_WITHDRAWN)
    stmt = (policy.scope_people(db.select(User), actor)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.WORKER, User.is_active, User.id.not_in(nominated))
            .order_by(User.name))
    return list(db.session.scalars(stmt))


def worker_for_nomination(actor, worker_id: int) -> User:
    """A worker the actor may nominate; others are NotFound (404 for another enterprise)."""
    stmt = policy.scope_people(db.select(User).where(User.id == worker_id), actor)
    worker = db.session.scalar(stmt)
    if worker is None or not worker.has_role(Role.WORKER):
        raise NotFound(_l("找不到这个职工。"))
    return worker


def nominate(actor, title_round: TitleRound, worker: User, citation: str, attachments=()) -> Nomination:
    """HR nominates a worker of their enterprise; eligibility is computed and enforced here."""
    if not (policy.is_hr(actor) or policy.is_admin(actor)):
        raise NotAllowed(_l("只有企业人力资源或总工会管理员可以推荐。"))
    worker = worker_for_nomination(actor, worker.id)
    if not accepts_nominations(title_round):
        raise RuleViolation(_l("这次评选的推荐已经截止。"))
    if not worker.is_active:
        raise RuleViolation(_l("该职工账号已停用。"), field="worker_id")
    citation = (citation or "").strip()
    if len(citation) < 20:
        raise RuleViolation(_l("请填写推荐事迹（至少 20 个字）。"), field="citation")
    if len(citation) > 3000:
        raise RuleViolation(_l("推荐事迹不能超过 3000 字。"), field="citation")
    ev = evidence.evidence_for(worker.id)
    if title_round.title_type_id in ev.titles:
        raise RuleViolation(_l("该职工已获得这个称号，同一称号不能重复授予。"), field="worker_id")
    existing = db.session.scalar(db.select(Nomination).where(Nomination.round_id == title_round.id,
                                                             Nomination.worker_id == worker.id))
    if existing is not None and existing.status != NOMINATION_WITHDRAWN:
        raise RuleViolation(_l("该职工已被推荐参加这次评选。"), field="worker_id")
    results = evaluate(title_round.title_type, ev)
    missing = unmet(results)
    if missing:
        raise RuleViolation(
            _l("不符合申报条件：%(rules)s", rules="；".join(f"{r.label}（{r.detail}）" for r in missing)),
            field="worker_id")
    snapshot = {"rules": [r.__dict__ for r in results], "skill_level": ev.skill_level,
                "years_in_trade": ev.years_in_trade, "adopted_proposals": ev.adopted_proposals,
                "verified_savings": str(ev.verified_savings), "completed_pairs": ev.completed_pairs,
                "placings": [{"name": p.name, "level": p.level, "held_on": p.held_on.isoformat(), "rank": p.rank,
                              "prize": p.prize} for p in ev.placings]}
    if existing is None:
        nomination = Nomination(round_id=title_round.id, worker_id=worker.id)
        db.session.add(nomination)
    else:
        nomination = existing  # a withdrawn nomination is submitted again
    nomination.enterprise_id = worker.enterprise_id
    nomination.nominated_by_id = actor.id
    nomination.citation = citation
    nomination.status = NOMINATION_SUBMITTED
    nomination.evidence = snapshot
    nomination.evidence_score = ev.score()
    nomination.attachments = list(attachments)
    db.session.flush()
    audit.record("nomination.submitted", actor=actor, obj=nomination, worker_id=worker.id,
                 round_id=title_round.id)
    return nomination


def nominations_query(actor, title_round: TitleRound | None = None, sort: str = "evidence"):
    """Nominations the actor may see (HR: own enterprise), sortable by evidence, name or date."""
    stmt = db.select(Nomination).options(
        db.joinedload(Nomination.worker).joinedload(User.trade), db.joinedload(Nomination.enterprise),
        db.joinedload(Nomination.round).joinedload(TitleRound.title_type))
    if title_round is not None:
        stmt = stmt.where(Nomination.round_id == title_round.id)
    if not policy.is_admin(actor):
        if not policy.is_hr(actor):
            return stmt.where(False)
        stmt = stmt.where(Nomination.enterprise_id == actor.enterprise_id)
    order = {
        "evidence": (Nomination.evidence_score.desc(), Nomination.id),
        "date": (Nomination.created_at.desc(),),
        "enterprise": (Nomination.enterprise_id, Nomination.id),
        "status": (Nomination.status, Nomination.id),
    }.get(sort, (Nomination.evidence_score.desc(), Nomination.id))
    return stmt.order_by(*order)


def get_nomination(actor, nomination_id: int) -> Nomination:
    nomination = db.session.scalar(nominations_query(actor).where(Nomination.id == nomination_id))
    if nomination is None:
        raise NotFound(_l("找不到这个推荐。"))
    return nomination


def withdraw_nomination(actor, nomination: Nomination) -> None:
    if nomination.status != NOMINATION_SUBMITTED or not accepts_nominations(nomination.round):
        raise RuleViolation(_l("只有评审前、截止前的推荐可以撤回。"))
    nomination.status = NOMINATION_WITHDRAWN
    audit.record("nomination.withdrawn", actor=actor, obj=nomination)


def review_nomination(actor, nomination: Nomination, approve: bool, note: str) -> None:
    """The admin's review decision with reasons (required when rejecting)."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以评审推荐。"))
    if nomination.status not in (NOMINATION_SUBMITTED, NOMINATION_APPROVED, NOMINATION_REJECTED):
        raise RuleViolation(_l("这个推荐当前不能评审。"))
    if nomination.round.status not in (ROUND_OPEN, ROUND_CLOSED):
        raise RuleViolation(_l("评选结果已公示，不能再改变评审意见。"))
    note = (note or "").strip()
    if not approve and not note:
        raise RuleViolation(_l("不通过时请写明理由。"), field="note")
    old = nomination.status
    nomination.status = NOMINATION_APPROVED if approve else NOMINATION_REJECTED
    nomination.review_note = note or None
    nomination.reviewed_by_id = actor.id
    nomination.reviewed_at = clock.now()
    audit.record("nomination.reviewed", actor=actor, obj=nomination, old=old, new=nomination.status, note=note)


# --- awards ------------------------------------------------------------------------------------------


def new_verification_code() -> str:
    return secrets.token_urlsafe(18)


def award(actor, nomination: Nomination, award_date: date | None = None) -> TitleAward:
    """Award the title to an approved nomination, within the round's quota (guarded counter)."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以授予称号。"))
    title_round = nomination.round
    if nomination.status != NOMINATION_APPROVED:
        raise RuleViolation(_l("只有评审通过的推荐可以授予称号。"))
    if title_round.status not in (ROUND_OPEN, ROUND_CLOSED):
        raise RuleViolation(_l("评选结果已公示，不能再授予。"))
    if db.session.scalar(db.select(TitleAward.id).where(TitleAward.title_type_id == title_round.title_type_id,
                                                       TitleAward.worker_id == nomination.worker_id)):
        raise RuleViolation(_l("该职工已获得这个称号，同一称号不能重复授予。"))
    taken = db.session.execute(
        update(TitleRound).where(TitleRound.id == title_round.id, TitleRound.awarded_count < TitleRound.quota)
        .values(awarded_count=TitleRound.awarded_count + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise RuleViolation(_l("本次评选的名额（%(n)d 名）已用完。", n=title_round.quota))
    db.session.refresh(title_round, ["awarded_count"])
    award_date = award_date or clock.today()
    title_type = title_round.title_type
    valid_until = None
    if title_type.validity_years:
        valid_until = award_date.replace(year=award_date.year + title_type.validity_years)
    granted = TitleAward(
        title_type_id=title_type.id, worker_id=nomination.worker_id, round_id=title_round.id,
        nomination_id=nomination.id, enterprise_id=nomination.enterprise_id,
        certificate_no=f"JX-{title_round.year}-{title_type.id:02d}-{title_round.awarded_count:04d}",
        verification_code=new_verification_code(), award_date=award_date, valid_until=valid_until,
        citation=nomination.citation, status=AWARD_NOTICE, awarded_by_id=actor.id,
    )
    db.session.add(granted)
    nomination.status = NOMINATION_AWARDED
    if title_round.status == ROUND_OPEN and clock.now() >= title_round.deadline:
        title_round.status = ROUND_CLOSED
    db.session.flush()
    audit.record("title.awarded", actor=actor, obj=granted, worker_id=granted.worker_id, title=title_type.name,
                 certificate_no=granted.certificate_no)
    return granted


def publish_awards(actor, title_round: TitleRound, working_days: int = notices.DEFAULT_WORKING_DAYS):
    """Put the round's awards on public notice (after the nomination deadline)."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以发布公示。"))
    if title_round.status not in (ROUND_OPEN, ROUND_CLOSED):
        raise RuleViolation(_l("这次评选已经公示过了。"))
    if clock.now() < title_round.deadline:
        raise RuleViolation(_l("推荐截止后才能公示结果。"))
    if not title_round.awarded_count:
        raise RuleViolation(_l("还没有授予任何人，无需公示。"))
    notice = notices.publish(actor, NOTICE_SUBJECT, title_round.id,
                             f"{title_round.year}年度“{title_round.title_type.name}”拟授予名单公示", working_days)
    title_round.status = ROUND_NOTICE
    audit.record("title_round.noticed", actor=actor, obj=title_round, notice_id=notice.id)
    return notice


def round_notice(title_round: TitleRound):
    return notices.notice_for(NOTICE_SUBJECT, title_round.id)


def finalise_round(actor, title_round: TitleRound) -> None:
    """After the notice (and every objection resolved) the awards become final."""
    notice = round_notice(title_round)
    if notice is None or title_round.status != ROUND_NOTICE:
        raise RuleViolation(_l("这次评选还没有公示。"))
    notices.finalise(actor, notice)
    for granted in db.session.scalars(db.select(TitleAward).where(TitleAward.round_id == title_round.id,
                                                                  TitleAward.status == AWARD_NOTICE)):
        granted.status = AWARD_FINAL
        audit.record("title.final", actor=actor, obj=granted, old=AWARD_NOTICE, new=AWARD_FINAL)
    title_round.status = ROUND_FINAL
    audit.record("title_round.final", actor=actor, obj=title_round)


def revoke_award(actor, granted: TitleAward, reason: str) -> None:
    """Revoke with a reason; kept and shown as revoked. During the notice the quota place is freed."""
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以撤销称号。"))
    if granted.status == AWARD_REVOKED:
        raise RuleViolation(_l("这个称号已经撤销。"))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise RuleViolation(_l("请写明撤销理由。"), field="reason")
    old = granted.status
    if old == AWARD_NOTICE and granted.round_id:
        db.session.execute(update(TitleRound).where(TitleRound.id == granted.round_id)
                           .values(awarded_count=TitleRound.awarded_count - 1)
                           .execution_options(synchronize_session=False))
        db.session.refresh(granted.round, ["awarded_count"])
    granted.status = AWARD_REVOKED
    granted.revoked_at = clock.now()
    granted.revoked_reason = reason
    granted.revoked_by_id = actor.id
    audit.record("title.revoked", actor=actor, obj=granted, old=old, new=AWARD_REVOKED, reason=reason)


def get_award(award_id: int) -> TitleAward:
    granted = db.session.get(TitleAward, award_id)
    if granted is None:
        raise NotFound(_l("找不到这个称号记录。"))
    return granted


def can_see_award_certificate(user, granted: TitleAward) -> bool:
    if policy.is_admin(user) or user.id == granted.worker_id:
        return True
    return policy.is_hr(user) and user.enterprise_id == granted.enterprise_id


# --- public pages ------------------------------------------------------------------------------------


VERIFY_VALID, VERIFY_EXPIRED, VERIFY_REVOKED, VERIFY_NOTICE, VERIFY_UNKNOWN = (
    "valid", "expired", "revoked", "notice", "unknown")


def verify(code: str) -> tuple[str, TitleAward | None]:
    """What the public verification page says about a certificate code."""
    code = (code or "").strip()
    if not code or len(code) > 40:
        return VERIFY_UNKNOWN, None
    granted = db.session.scalar(db.select(TitleAward).options(
        db.joinedload(TitleAward.title_type), db.joinedload(TitleAward.worker), db.joinedload(TitleAward.enterprise))
        .where(TitleAward.verification_code == code))
    if granted is None:
        return VERIFY_UNKNOWN, None
    if granted.status == AWARD_REVOKED:
        return VERIFY_REVOKED, granted
    if granted.status == AWARD_NOTICE:
        return VERIFY_NOTICE, granted
    if granted.valid_until is not None and granted.valid_until < clock.today():
        return VERIFY_EXPIRED, granted
    return VERIFY_VALID, granted


def honour_roll_query(title_type_id: int | None = None, year: int | None = None):
    """Current holders (final) and awards on notice, newest first; revoked ones are left out."""
    stmt = (db.select(TitleAward)
            .options(db.joinedload(TitleAward.title_type), db.joinedload(TitleAward.worker).joinedload(User.trade),
                     db.joinedload(TitleAward.enterprise))
            .where(TitleAward.status.in_((AWARD_FINAL, AWARD_NOTICE))))
    if title_type_id:
        stmt = stmt.where(TitleAward.title_type_id == title_type_id)
    if year:
        stmt = stmt.where(func.extract("year", TitleAward.award_date) == year)
    return stmt.order_by(TitleAward.award_date.desc(), TitleAward.title_type_id, TitleAward.id)


def award_years() -> list[int]:
    years = db.session.scalars(db.select(func.extract("year", TitleAward.award_date)).distinct())
    return sorted({int(y) for y in years if y is not None}, reverse=True)


def round_awards(title_round: TitleRound) -> list[TitleAward]:
    """Every award of a round, revoked ones included, for the admin's round page."""
    return list(db.session.scalars(
        db.select(TitleAward).options(db.joinedload(TitleAward.worker), db.joinedload(TitleAward.enterprise))
        .where(TitleAward.round_id == title_round.id).order_by(TitleAward.id)))


def holds_any_title(worker_id: int) -> bool:
    """A final (after public notice), unrevoked title of any type."""
    return db.session.scalar(db.select(TitleAward.id).where(TitleAward.worker_id == worker_id,
                                                           TitleAward.status == AWARD_FINAL).limit(1)) is not None


def awards_of(worker_id: int) -> list[TitleAward]:
    return list(db.session.scalars(db.select(TitleAward).options(db.joinedload(TitleAward.title_type))
                                   .where(TitleAward.worker_id == worker_id).order_by(TitleAward.award_date)))
