"""Competition judging and results: the judges' panel, theory and practical marks, sign-off,
ranking, public notice, certificates and skill-promotion recommendations.

Rules enforced here:
- Practical judges hold the judge role and at least the competition's minimum skill level. A judge
  never sees or marks a competitor of their own enterprise (or themself): such entries are simply
  not found, whatever is posted. Judges see competitor numbers only (blind marking).
- Marks are 0-100 with two decimals, entered and corrected only while the competition is in scoring;
  after the admin signs off they are frozen. Every entry and correction is kept (MarkChange) and audited.
- A judge's practical score = sum(item weight x mark / 100); the final practical mark is the trimmed
  mean over judges (5 or more: drop one highest and one lowest); total = theory x theory weight / 100 +
  practical x practical weight / 100 (services.common.scoring). Sign-off needs a theory mark and at least the
  minimum number of complete judges for every confirmed competitor; a spread between judges above
  DISAGREEMENT_SPREAD points is flagged and must be acknowledged.
- Ranking is one SQL query: total descending, ties broken by the practical mark, still equal = shared
  rank (RANK(), "1224"). Prizes follow the prize table by rank.
- Results are published for public notice (公示, services.common.notices). An upheld objection lets the admin
  reopen scoring; the corrected results are then noticed again for a full period (same notice, its
  objections kept). Results become final when the notice is finalised: then every competitor (each
  team member) gets a certificate with a random verification code, and the top N are recommended for
  one level up (never above 技师). HR records the issued certificate and the level changes.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from core import clock
from models import Role, User, UserRole, db
from models.competitions import (
    CONFIRMED,
    DRAFT,
    FINAL,
    NOTICED,
    OPEN,
    PROMOTION_CERTIFIED,
    PROMOTION_RECOMMENDED,
    SCORING,
    SIGNED_OFF,
    Certificate,
    Competition,
    JudgeAssignment,
    MarkChange,
    PracticalMark,
    PromotionRecommendation,
    Registration,
    Result,
    TeamMember,
    TheoryMark,
)
from models.notices import OBJECTION_UPHELD
from models.skills import REASON_COMPETITION, TECHNICIAN, level
from services import policy
from services.common import audit, notices, scoring, skills
from services.common.validators import normalize_certificate_no
from services.errors import NotAllowed, NotFound, RuleViolation

DISAGREEMENT_SPREAD = Decimal("15")
NOTICE_SUBJECT = "competition"


def _require_admin(actor) -> None:
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以管理竞赛。"))


def parse_mark(raw, field_name: str = "mark") -> Decimal:
    """A mark 0-100 with at most two decimals."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise RuleViolation(_l("成绩应为 0 到 100 之间的数字。"), field=field_name) from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100) or value != value.quantize(Decimal("0.01")):
        raise RuleViolation(_l("成绩应为 0 到 100 之间、最多两位小数的数字。"), field=field_name)
    return value.quantize(Decimal("0.01"))


# --- judges -------------------------------------------------------------------------------


def assign_judge(actor, competition: Competition, judge: User) -> JudgeAssignment:
    """Put a qualified judge on the practical panel."""
    _require_admin(actor)
    if competition.status not in (DRAFT, OPEN, SCORING):
        raise RuleViolation(_l("评分结束后不能再调整评委。"))
    if not judge.is_active or not judge.has_role(Role.JUDGE):
        raise RuleViolation(_l("%(name)s 不是在册评委。", name=judge.name), field="judge_id")
    if judge.skill_level is None or judge.skill_level < competition.judge_min_level:
        raise RuleViolation(_l("%(name)s 的职业技能等级低于本竞赛要求的 %(level)s。", name=judge.name,
                               level=level(competition.judge_min_level)), field="judge_id")
    if db.session.scalar(select(JudgeAssignment.id).where(JudgeAssignment.competition_id == competition.id,
                                                         JudgeAssignment.judge_id == judge.id)):
        raise RuleViolation(_l("%(name)s 已在评委名单中。", name=judge.name), field="judge_id")
    assignment = JudgeAssignment(competition_id=competition.id, judge_id=judge.id, assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record("competition.judge_assigned", actor=actor, obj=competition, judge_id=judge.id)
    return assignment


def remove_judge(actor, competition: Competition, assignment_id: int) -> None:
    """Take a judge off the panel while they have entered no marks."""
    _require_admin(actor)
    assignment = db.session.scalar(select(JudgeAssignment).where(
        JudgeAssignment.id == assignment_id, JudgeAssignment.competition_id == competition.id))
    if assignment is None:
        raise NotFound(_l("找不到这位评委。"))
    marked = db.session.scalar(select(func.count(PracticalMark.id)).join(Registration).where(
        Registration.competition_id == competition.id, PracticalMark.judge_id == assignment.judge_id))
    if marked:
        raise RuleViolation(_l("这位评委已经打分，不能移出。"))
    db.session.delete(assignment)
    audit.record("competition.judge_removed", actor=actor, obj=competition, judge_id=assignment.judge_id)


def panel(competition: Competition) -> list[JudgeAssignment]:
    """The practical judges of a competition, with their enterprise (one query)."""
    return list(db.session.scalars(
        select(JudgeAssignment).where(JudgeAssignment.competition_id == competition.id)
        .options(db.joinedload(JudgeAssignment.judge).joinedload(User.enterprise))
        .order_by(JudgeAssignment.id)))


def candidate_judges(competition: Competition) -> list[User]:
    """Active judges at the competition's minimum level who are not on the panel yet."""
    on_panel = select(JudgeAssignment.judge_id).where(JudgeAssignment.competition_id == competition.id)
    return list(db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.JUDGE.value, User.is_active,
                                          User.skill_level >= competition.judge_min_level,
                                          User.id.not_in(on_panel))
        .options(db.joinedload(User.enterprise)).order_by(User.name)))


def _marking_scope(judge: User):
    """Entries a judge may mark: on the panel, confirmed, not their enterprise, not themself."""
    conditions = [
        Registration.status == CONFIRMED,
        Registration.worker_id != judge.id,
        Registration.competition_id.in_(select(JudgeAssignment.competition_id)
                                        .where(JudgeAssignment.judge_id == judge.id)),
    ]
    if judge.enterprise_id:
        conditions.append(Registration.enterprise_id != judge.enterprise_id)
    return conditions


def judge_competitions(judge: User) -> list[Competition]:
    """Competitions on whose panel the judge sits."""
    return list(db.session.scalars(
        select(Competition).where(Competition.id.in_(
            select(JudgeAssignment.competition_id).where(JudgeAssignment.judge_id == judge.id)))
        .order_by(Competition.held_on.desc())))


def judge_competition(judge: User, competition_id: int) -> Competition:
    """A competition of the judge's panels, else NotFound."""
    competition = db.session.scalar(select(Competition).where(
        Competition.id == competition_id,
        Competition.id.in_(select(JudgeAssignment.competition_id).where(JudgeAssignment.judge_id == judge.id))))
    if competition is None:
        raise NotFound(_l("您不是这个竞赛的评委。"))
    return competition


@dataclass
class QueueRow:
    registration_id: int
    number: str
    marked: int


def judge_queue(judge: User, competition: Competition) -> list[QueueRow]:
    """The competitor numbers a judge marks, with how many items they marked (one query)."""
    marked = (select(func.count(PracticalMark.id)).where(PracticalMark.registration_id == Registration.id,
                                                         PracticalMark.judge_id == judge.id)
              .correlate(Registration).scalar_subquery())
    rows = db.session.execute(
        select(Registration.id, Registration.competitor_no, marked)
        .where(Registration.competition_id == competition.id, *_marking_scope(judge))
        .order_by(Registration.competitor_no))
    return [QueueRow(rid, f"{no:03d}", count) for rid, no, count in rows]


def registration_for_judge(judge: User, competition: Competition, registration_id: int) -> Registration:
    """Conflict of interest: another enterprise's competitor on this judge's panel, else NotFound."""
    registration = db.session.scalar(select(Registration).where(
        Registration.id == registration_id, Registration.competition_id == competition.id,
        *_marking_scope(judge)))
    if registration is None:
        raise NotFound(_l("找不到这名选手。"))
    return registration


def judge_marks(judge: User, registration: Registration) -> dict[int, Decimal]:
    """The judge's own marks (item id -> mark) of one entry."""
    return dict(db.session.execute(select(PracticalMark.item_id, PracticalMark.mark).where(
        PracticalMark.registration_id == registration.id, PracticalMark.judge_id == judge.id)).all())


def _require_scoring(competition: Competition) -> None:
    if competition.status != SCORING:
        raise RuleViolation(_l("成绩已确认或尚未开始评分，不能录入或修改成绩。"))


def enter_practical_marks(judge: User, registration: Registration, marks: dict[int, object]) -> int:
    """A judge enters or corrects marks per sub-item; returns the number of changed marks."""
    competition = registration.competition
    registration = registration_for_judge(judge, competition, registration.id)
    _require_scoring(competition)
    items = {item.id: item for item in competition.items}
    parsed = {}
    for item_id, raw in marks.items():
        if item_id not in items:
            raise NotFound(_l("找不到这个评分项目。"))
        if raw in (None, ""):
            continue
        parsed[item_id] = parse_mark(raw, field_name=f"item_{item_id}")
    if not parsed:
        raise RuleViolation(_l("请至少填写一项成绩。"))
    existing = {m.item_id: m for m in db.session.scalars(select(PracticalMark).where(
        PracticalMark.registration_id == registration.id, PracticalMark.judge_id == judge.id))}
    changed = 0
    for item_id, value in parsed.items():
        row = existing.get(item_id)
        old = row.mark if row else None
        if old == value:
            continue
        if row is None:
            db.session.add(PracticalMark(registration_id=registration.id, judge_id=judge.id, item_id=item_id,
                                         mark=value))
        else:
            row.mark = value
        db.session.add(MarkChange(registration_id=registration.id, part="practical", judge_id=judge.id,
                                  item_id=item_id, old_mark=old, new_mark=value, changed_by_id=judge.id))
        audit.record("competition.practical_mark", actor=judge, obj=registration, item_id=item_id,
                     old=old, new=value)
        changed += 1
    db.session.flush()
    return changed


def enter_theory_mark(actor, registration: Registration, raw) -> bool:
    """The admin enters or corrects a theory mark; returns whether it changed."""
    _require_admin(actor)
    _require_scoring(registration.competition)
    if registration.status != CONFIRMED:
        raise RuleViolation(_l("只有确认参赛的选手有成绩。"))
    value = parse_mark(raw)
    row = registration.theory
    old = row.mark if row else None
    if old == value:
        return False
    if row is None:
        db.session.add(TheoryMark(registration=registration, mark=value, entered_by_id=actor.id))
    else:
        row.mark = value
        row.entered_by_id = actor.id
    db.session.add(MarkChange(registration_id=registration.id, part="theory", old_mark=old, new_mark=value,
                              changed_by_id=actor.id))
    audit.record("competition.theory_mark", actor=actor, obj=registration, old=old, new=value)
    db.session.flush()
    return True


@dataclass
class TheoryRow:
    row: int
    number: str
    outcome: str  # saved / unchanged / refused
    message: str


def import_theory_marks(actor, competition: Competition, rows: list[tuple[int, str, str]]) -> list[TheoryRow]:
    """Theory marks from a spreadsheet: (row, competitor number, mark); every row gets an outcome."""
    _require_admin(actor)
    _require_scoring(competition)
    if not rows:
        raise RuleViolation(_l("文件里没有找到成绩。"), field="file")
    by_number = {r.competitor_no: r for r in db.session.scalars(
        select(Registration).where(Registration.competition_id == competition.id, Registration.status == CONFIRMED)
        .options(db.selectinload(Registration.theory)))}
    outcomes = []
    for row, number, raw in rows:
        number = (number or "").strip()
        try:
            registration = by_number.get(int(number)) if number.isdigit() else None
            if registration is None:
                raise RuleViolation(_l("没有参赛号为“%(no)s”的选手。", no=number))
            changed = enter_theory_mark(actor, registration, raw)
        except RuleViolation as error:
            outcomes.append(TheoryRow(row, number, "refused", str(error.message)))
            continue
        outcomes.append(TheoryRow(row, number, "saved" if changed else "unchanged",
                                  str(_l("已保存") if changed else _l("与原成绩相同"))))
    return outcomes


# --- overview, sign-off and ranking ---------------------------------------------------------


@dataclass
class ScoreLine:
    registration: Registration
    theory: Decimal | None
    judge_scores: dict[int, Decimal] = field(default_factory=dict)  # judge id -> weighted score
    incomplete_judges: int = 0
    practical: Decimal | None = None
    total: Decimal | None = None
    spread: Decimal | None = None
    problems: list = field(default_factory=list)
    flagged: bool = False


def judge_score(marks: dict[int, Decimal], items) -> Decimal | None:
    """A judge's weighted practical score, or None until every sub-item is marked."""
    if any(item.id not in marks for item in items):
        return None
    return scoring.weighted_total([(marks[item.id], item.weight) for item in items], 100)


def combine(theory, practical, competition: Competition) -> Decimal:
    """Total = theory x theory weight / 100 + practical x practical weight / 100, two decimals."""
    return scoring.weighted_total([(theory, competition.theory_weight), (practical, competition.practical_weight)],
                                  100)


def score_lines(competition: Competition) -> list[ScoreLine]:
    """Every confirmed competitor's marks, aggregates and problems; three queries in all."""
    registrations = list(db.session.scalars(
        select(Registration).where(Registration.competition_id == competition.id, Registration.status == CONFIRMED)
        .options(db.selectinload(Registration.theory), db.joinedload(Registration.worker),
                 db.joinedload(Registration.enterprise))
        .order_by(Registration.competitor_no)))
    marks: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for reg_id, judge_id, item_id, mark in db.session.execute(
            select(PracticalMark.registration_id, PracticalMark.judge_id, PracticalMark.item_id, PracticalMark.mark)
            .join(Registration).where(Registration.competition_id == competition.id)):
        marks[reg_id][judge_id][item_id] = mark
    items = competition.items
    lines = []
    for registration in registrations:
        line = ScoreLine(registration, registration.theory.mark if registration.theory else None)
        for judge_id, judge_marks_ in marks[registration.id].items():
            score = judge_score(judge_marks_, items)
            if score is None:
                line.incomplete_judges += 1
            else:
                line.judge_scores[judge_id] = score
        if line.theory is None:
            line.problems.append(_l("缺理论成绩"))
        if len(line.judge_scores) < competition.min_judges:
            line.problems.append(_l("实操评分评委不足 %(n)d 人（现 %(m)d 人）", n=competition.min_judges,
                                    m=len(line.judge_scores)))
        if line.judge_scores:
            line.practical = scoring.trimmed_mean(line.judge_scores.values())
            line.spread = scoring.spread(line.judge_scores.values())
            line.flagged = line.spread > DISAGREEMENT_SPREAD
        if line.theory is not None and line.practical is not None:
            line.total = combine(line.theory, line.practical, competition)
        lines.append(line)
    return lines


def sign_off(actor, competition: Competition, acknowledge_flags: bool = False) -> None:
    """Freeze the marks, write results, rank them and give prizes."""
    _require_admin(actor)
    _require_scoring(competition)
    lines = score_lines(competition)
    incomplete = [ln for ln in lines if ln.problems]
    if incomplete:
        numbers = "、".join(ln.registration.number_label for ln in incomplete[:20])
        raise RuleViolation(_l("以下选手的成绩还不完整：%(numbers)s。", numbers=numbers))
    flagged = [ln for ln in lines if ln.flagged]
    if flagged and not acknowledge_flags:
        numbers = "、".join(ln.registration.number_label for ln in flagged[:20])
        raise RuleViolation(_l("以下选手的评委打分差异较大（超过 %(spread)s 分）：%(numbers)s。请核实后勾选确认。",
                               spread=DISAGREEMENT_SPREAD, numbers=numbers), field="acknowledge_flags")
    db.session.execute(delete(Result).where(Result.competition_id == competition.id))
    for line in lines:
        db.session.add(Result(competition_id=competition.id, registration_id=line.registration.id,
                              theory=line.theory, practical=line.practical, total=line.total,
                              judges=len(line.judge_scores)))
    db.session.flush()
    tiers = competition.prize_tiers
    for result, rank in ranking(competition):
        result.rank = rank
        tier = next((t for t in tiers if t.rank_from <= rank <= t.rank_to), None)
        result.prize = tier.prize if tier else None
        result.honour = tier.honour if tier else None
    competition.status = SIGNED_OFF
    competition.signed_off_at = clock.now()
    db.session.flush()
    audit.record("competition.status", actor=actor, obj=competition, old=SCORING, new=SIGNED_OFF,
                 results=len(lines), flagged=[ln.registration.competitor_no for ln in flagged])


def ranking(competition: Competition, *, prize_winners_only: bool = False):
    """(Result, rank) best first, in ONE query: total desc, then practical desc; equal on both = shared
    rank. Registration, worker and enterprise come along (joined), so rendering needs no more queries."""
    if prize_winners_only:  # ranks were stored at sign-off; filtering before RANK() would renumber
        rank = Result.rank
    else:
        rank = func.rank().over(order_by=(Result.total.desc(), Result.practical.desc())).label("standing")
    stmt = (select(Result, rank).join(Result.registration)
            .where(Result.competition_id == competition.id)
            .options(db.contains_eager(Result.registration).joinedload(Registration.worker),
                     db.contains_eager(Result.registration).joinedload(Registration.enterprise))
            .order_by(rank, Registration.competitor_no))
    if prize_winners_only:
        stmt = stmt.where(Result.prize.is_not(None))
    return db.session.execute(stmt).all()


def own_result(worker: User, competition: Competition) -> Registration | None:
    """The worker's entry (with result) in a competition, individual or as a team member."""
    from services.competitions import entry_of

    return entry_of(worker, competition)


def mark_history(competition: Competition, limit: int = 200) -> list[tuple[MarkChange, Registration]]:
    """The latest mark entries and corrections of a competition, newest first."""
    return db.session.execute(
        select(MarkChange, Registration).join(Registration, Registration.id == MarkChange.registration_id)
        .where(Registration.competition_id == competition.id)
        .options(db.joinedload(MarkChange.changed_by), db.joinedload(MarkChange.item))
        .order_by(MarkChange.id.desc()).limit(limit)).all()


# --- notice, final results, certificates, promotion -------------------------------------------


def publish_results(actor, competition: Competition, working_days: int = notices.DEFAULT_WORKING_DAYS):
    """Publish the signed-off ranking for public notice (公示)."""
    _require_admin(actor)
    if competition.status != SIGNED_OFF:
        raise RuleViolation(_l("成绩确认后才能公示。"))
    notice = notice_of(competition)
    if notice is None:
        notice = notices.publish(actor, NOTICE_SUBJECT, competition.id, f"{competition.name} 成绩公示", working_days)
    else:  # corrected results after an upheld objection: the same notice (and its objections) runs again
        old_end = notice.ends_at
        notice.published_at = clock.now()
        notice.ends_at = notices.notice_end(notice.published_at, working_days)
        audit.record("notice.republished", actor=actor, obj=notice, old_end=old_end.isoformat(),
                     ends_at=notice.ends_at.isoformat())
    competition.status = NOTICED
    audit.record("competition.status", actor=actor, obj=competition, old=SIGNED_OFF, new=NOTICED)
    return notice


def reopen_scoring(actor, competition: Competition, reason: str) -> None:
    """An upheld objection during the notice: results are withdrawn and marks can be corrected; the
    corrected results are published again for a full notice period."""
    _require_admin(actor)
    if competition.status != NOTICED:
        raise RuleViolation(_l("只有公示中的成绩可以重新评分。"))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请填写重新评分的理由。"), field="reason")
    notice = notice_of(competition)
    if not any(o.status == OBJECTION_UPHELD for o in notice.objections):
        raise RuleViolation(_l("只有异议成立时才能重新评分。"))
    db.session.execute(delete(Result).where(Result.competition_id == competition.id))
    competition.status = SCORING
    competition.signed_off_at = None
    audit.record("competition.status", actor=actor, obj=competition, old=NOTICED, new=SCORING, reason=reason)


def notice_of(competition: Competition):
    """The public notice (公示) of the competition's results, if published."""
    return notices.notice_for(NOTICE_SUBJECT, competition.id)


def finalise_results(actor, competition: Competition) -> None:
    """After the notice: results final, certificates issued, top N recommended for promotion."""
    _require_admin(actor)
    if competition.status != NOTICED:
        raise RuleViolation(_l("成绩公示后才能确认最终结果。"))
    notices.finalise(actor, notice_of(competition))
    competition.status = FINAL
    team_members = defaultdict(list)
    for member in db.session.scalars(select(TeamMember).where(TeamMember.competition_id == competition.id)
                                     .options(db.joinedload(TeamMember.worker)).order_by(TeamMember.id)):
        team_members[member.registration_id].append(member.worker)
    for result, _rank in ranking(competition):
        registration = result.registration
        for holder in team_members.get(registration.id) or [registration.worker]:
            db.session.add(Certificate(registration_id=registration.id, worker_id=holder.id,
                                       kind="prize" if result.prize else "participation", code=new_certificate_code()))
            current = holder.skill_level
            if competition.promote_top_n and result.rank <= competition.promote_top_n and (current or 0) < TECHNICIAN:
                db.session.add(PromotionRecommendation(
                    registration_id=registration.id, worker_id=holder.id, enterprise_id=registration.enterprise_id,
                    from_level=current, to_level=current + 1 if current is not None else 1))
    db.session.flush()
    audit.record("competition.status", actor=actor, obj=competition, old=NOTICED, new=FINAL)


def new_certificate_code() -> str:
    """Random, unguessable (96 bits), URL-safe."""
    return secrets.token_urlsafe(12)


def verify_certificate(code: str) -> Certificate | None:
    """The certificate with this code (valid or revoked), or None for an unknown code."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code).options(
        db.joinedload(Certificate.holder),
        db.joinedload(Certificate.registration).joinedload(Registration.result),
        db.joinedload(Certificate.registration).joinedload(Registration.worker),
        db.joinedload(Certificate.registration).joinedload(Registration.competition)))


def get_certificate(actor, certificate_id: int) -> Certificate:
    """The holder, their HR, or an admin; otherwise NotFound."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(_l("找不到这张证书。"))
    registration = certificate.registration
    if not (policy.is_admin(actor) or actor.id == certificate.worker_id
            or (policy.is_hr(actor) and actor.enterprise_id == registration.enterprise_id)):
        raise NotFound(_l("找不到这张证书。"))
    return certificate


def certificate_for(registration: Registration, worker: User) -> Certificate | None:
    """The worker's own certificate of an entry (each team member has one)."""
    return db.session.scalar(select(Certificate).where(Certificate.registration_id == registration.id,
                                                       Certificate.worker_id == worker.id))


def revoke_certificate(actor, certificate: Certificate, reason: str) -> None:
    """An admin revokes a certificate with a reason; the public check then says so."""
    _require_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请填写撤销理由。"), field="reason")
    if certificate.revoked_at:
        raise RuleViolation(_l("这张证书已经撤销。"))
    certificate.revoked_at = clock.now()
    certificate.revoke_reason = reason
    audit.record("competition.certificate_revoked", actor=actor, obj=certificate, reason=reason)


def promotions_query(actor, status: str | None = None):
    """Recommendations: HR of the worker's enterprise sees theirs, admins all."""
    stmt = select(PromotionRecommendation).options(
        db.joinedload(PromotionRecommendation.worker),
        db.joinedload(PromotionRecommendation.registration).joinedload(Registration.competition))
    if not policy.is_admin(actor):
        if not policy.is_hr(actor):
            raise NotAllowed(_l("没有权限查看晋升推荐。"))
        stmt = stmt.where(PromotionRecommendation.enterprise_id == actor.enterprise_id)
    if status in (PROMOTION_RECOMMENDED, PROMOTION_CERTIFIED):
        stmt = stmt.where(PromotionRecommendation.status == status)
    return stmt.order_by(PromotionRecommendation.status.desc(), PromotionRecommendation.id.desc())


def get_promotion(actor, promotion_id: int) -> PromotionRecommendation:
    """A recommendation of HR's own enterprise (admins: any), else NotFound."""
    stmt = select(PromotionRecommendation).where(PromotionRecommendation.id == promotion_id)
    if not policy.is_admin(actor):
        if not policy.is_hr(actor):
            raise NotFound(_l("找不到这条晋升推荐。"))
        stmt = stmt.where(PromotionRecommendation.enterprise_id == actor.enterprise_id)
    promotion = db.session.scalar(stmt)
    if promotion is None:
        raise NotFound(_l("找不到这条晋升推荐。"))
    return promotion


def record_promotion_certificate(actor, promotion: PromotionRecommendation, certificate_no: str,
                                 issuing_body: str, effective_date=None) -> None:
    """HR of the worker's enterprise records the issued skill certificate: the level goes up one step,
    with the competition as reason and source in the skill-level history."""
    if not (policy.is_hr(actor) and actor.enterprise_id == promotion.enterprise_id):
        raise NotFound(_l("找不到这条晋升推荐。"))
    if promotion.status != PROMOTION_RECOMMENDED:
        raise RuleViolation(_l("这条推荐已经登记过证书。"))
    worker = promotion.worker
    if worker.skill_level is not None and worker.skill_level >= promotion.to_level:
        raise RuleViolation(_l("%(name)s 已达到 %(level)s，无需再登记。", name=worker.name,
                               level=level(worker.skill_level)))
    skills.change_skill_level(actor, worker, promotion.to_level, reason=REASON_COMPETITION,
                              effective_date=effective_date, certificate_no=certificate_no,
                              issuing_body=issuing_body,
                              source=(NOTICE_SUBJECT, promotion.registration.competition_id),
                              note=promotion.registration.competition.name)
    promotion.status = PROMOTION_CERTIFIED
    promotion.certificate_no = normalize_certificate_no(certificate_no)
    promotion.issuing_body = (issuing_body or "").strip()
    promotion.recorded_by_id = actor.id
    promotion.recorded_at = clock.now()
    audit.record("competition.promotion_certified", actor=actor, obj=promotion, level=promotion.to_level)



def public_results(competition_id: int) -> tuple[Competition, list]:
    """Prize winners of a final (or noticed) competition, for the page without login."""
    competition = db.session.get(Competition, competition_id)
    if competition is None or competition.status not in (NOTICED, FINAL):
        raise NotFound(_l("找不到这个竞赛的公开结果。"))
    return competition, ranking(competition, prize_winners_only=True)


def public_competitions() -> list[Competition]:
    """Competitions whose results are public (in notice or final)."""
    return list(db.session.scalars(select(Competition).where(Competition.status.in_((NOTICED, FINAL)))
                                   .order_by(Competition.held_on.desc()).limit(50)))



# --- final results as evidence for other parts ----------------------------------------------------


def final_placings_stmt():
    """Final results per competitor, for titles, the growth record and mentor credits.

    One row per (worker, final result): worker_id, competition_id, name, level, held_on, rank, prize,
    total. A team's placing counts for every member of the team, not only the captain who entered it.
    Callers add their own WHERE (which workers, which dates).
    """
    from sqlalchemy import union

    entrants = union(
        select(Registration.id.label("registration_id"), Registration.worker_id.label("worker_id")),
        select(TeamMember.registration_id, TeamMember.worker_id),
    ).subquery("entrant")
    return (
        select(entrants.c.worker_id, Competition.id.label("competition_id"), Competition.name, Competition.level,
               Competition.held_on, Result.rank, Result.prize, Result.total)
        .select_from(entrants)
        .join(Result, Result.registration_id == entrants.c.registration_id)
        .join(Competition, Competition.id == Result.competition_id)
        .where(Competition.status == FINAL, Result.rank.is_not(None))
    )
