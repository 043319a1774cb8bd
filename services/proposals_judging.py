"""Five Small proposals: judge assignment, blind marking, results, ranking, prizes and public notice.

Rules enforced here (domain.md, "Proposals"):
- Only union admins assign judges, to valid proposals (or ones already under review) of an active campaign
  before its judging window closes. A judge is never assigned to a proposal of their own enterprise nor to
  one they (co-)authored (conflict of interest); the unique (proposal, judge) constraint is the last word.
  Automatic assignment tops every proposal up to the campaign's minimum number of judges, always picking
  the eligible judge with the lightest load in the campaign (ties: lowest id).
- A judge sees and marks only proposals assigned to them and free of conflict (checked in the SQL of
  every judge query, so a crafted request for another proposal is NotFound). Marks are integers 0-10 on
  every criterion; a judge saves and revises until they submit; marks are frozen after the judging window
  closes, when the admin locks the campaign, or once results are published. Every change of a mark is kept
  (MarkChange: old, new, who, when) and audited.
- A judge's total is services.common.scoring.weighted_total(marks x weights, scale 10) (0-100). A proposal's
  aggregate is services.common.scoring.trimmed_mean of its judges' submitted totals (drop one highest and one
  lowest with 5+ judges); the spread is flagged when above SPREAD_FLAG points. When every assigned judge
  (and at least the minimum) has submitted, the proposal is scored.
- Ranking: one SQL query with RANK() over the aggregate, best first; equal aggregates share a rank
  ("1224"), the listing then orders by proposal id. Prizes follow the rank: rank <= first quota -> first
  prize, <= first+second -> second, <= first+second+third -> third (so proposals tied at a boundary all get
  the better prize), then honourable mention for an aggregate at or above the pass mark.
- Publishing (admin, once judging is frozen and nothing is still under review) stores ranks and prizes
  and opens the public notice (公示) through services.common.notices; anyone logged in objects under their
  real name; the admin resolves each objection; finalising makes results final and prize winners awarded.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from core import clock
from models import Role, User, UserRole, db
from models.notices import Objection
from models.proposals import (
    AWARDED,
    CAMPAIGN_ACTIVE,
    CAMPAIGN_FINAL,
    CAMPAIGN_PUBLISHED,
    NOTICE_SUBJECT,
    RANKED_STATUSES,
    SCORED,
    UNDER_REVIEW,
    VALID,
    Campaign,
    JudgeAssignment,
    Mark,
    MarkChange,
    Proposal,
    ProposalAuthor,
    RubricCriterion,
)
from services import policy
from services.common import audit, notices, scoring
from services.errors import NotAllowed, NotFound, RuleViolation
from services.proposals import (
    _require_admin,
    judging_frozen,
    not_conflicted_clause,
    transition,
)

SPREAD_FLAG = Decimal("20")
ASSIGNABLE = (VALID, UNDER_REVIEW)


class RowPagination(SelectPagination):
    """db.paginate for selects of several columns: items are rows, not scalars."""

    def _query_items(self):
        stmt = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(stmt).unique().all())


def paginate_rows(stmt, page: int, per_page: int = 20) -> RowPagination:
    return RowPagination(select=stmt, session=db.session, page=page, per_page=per_page, error_out=False)


def _flush_or_refuse(message, field: str | None = None) -> None:
    """Flush; a unique constraint hit by a concurrent request becomes a RuleViolation (the view rolls back)."""
    try:
        db.session.flush()
    except IntegrityError:
        raise RuleViolation(message, field=field) from None


# --- judges and conflicts -------------------------------------------------------------------


def _judges_stmt():
    return select(User).where(User.is_active, exists().where(UserRole.user_id == User.id,
                                                              UserRole.role == Role.JUDGE.value))


def judges_with_load(campaign: Campaign) -> list[tuple[User, int]]:
    """Active judges and their number of assignments in the campaign (one query)."""
    load = (select(JudgeAssignment.judge_id, func.count(JudgeAssignment.id).label("n"))
            .where(JudgeAssignment.campaign_id == campaign.id).group_by(JudgeAssignment.judge_id).subquery())
    rows = db.session.execute(
        _judges_stmt().add_columns(func.coalesce(load.c.n, 0))
        .outerjoin(load, load.c.judge_id == User.id).options(db.joinedload(User.enterprise))
        .order_by(User.name, User.id)
    ).unique().all()
    return [(row[0], row[1]) for row in rows]


def has_conflict(judge: User, proposal: Proposal, author_ids) -> bool:
    """A judge may not judge a proposal of their own enterprise or one they (co-)authored."""
    return judge.id in author_ids or (judge.enterprise_id is not None and judge.enterprise_id == proposal.enterprise_id)


def _author_ids(proposal_ids) -> dict[int, set[int]]:
    authors: dict[int, set[int]] = defaultdict(set)
    if proposal_ids:
        for pid, uid in db.session.execute(select(ProposalAuthor.proposal_id, ProposalAuthor.user_id)
                                           .where(ProposalAuthor.proposal_id.in_(proposal_ids))):
            authors[pid].add(uid)
    return authors


def _check_can_assign(actor, campaign: Campaign) -> None:
    _require_admin(actor, _l("只有总工会管理员可以分配评委。"))
    if judging_frozen(campaign):
        raise RuleViolation(_l("评审已截止或已锁定，不能再分配评委。"))


def _add_assignment(actor, proposal: Proposal, judge: User) -> JudgeAssignment:
    assignment = JudgeAssignment(proposal=proposal, judge_id=judge.id, campaign_id=proposal.campaign_id,
                                 assigned_by_id=actor.id, assigned_at=clock.now())
    db.session.add(assignment)
    if proposal.status == VALID:
        transition(proposal, UNDER_REVIEW, actor, "system", note=str(_l("开始评审")))
    audit.record("proposals.judge_assigned", actor=actor, obj=proposal, judge_id=judge.id)
    return assignment


def assign_judge(actor, campaign: Campaign, proposal_id: int, judge_id: int) -> JudgeAssignment:
    """Admin assigns one judge to one proposal, refusing any conflict of interest."""
    _check_can_assign(actor, campaign)
    proposal = db.session.scalar(select(Proposal).where(Proposal.id == proposal_id,
                                                        Proposal.campaign_id == campaign.id))
    if proposal is None:
        raise NotFound(_l("找不到这个提案。"))
    if proposal.status not in ASSIGNABLE:
        raise RuleViolation(_l("只有有效提案才能分配评委。"))
    judge = db.session.scalar(_judges_stmt().where(User.id == judge_id))
    if judge is None:
        raise RuleViolation(_l("请选择一位在职的评委。"), field="judge_id")
    if has_conflict(judge, proposal, _author_ids([proposal.id])[proposal.id]):
        raise RuleViolation(_l("利益冲突：评委不能评审本企业或本人参与的提案。"), field="judge_id")
    already = db.session.scalar(select(JudgeAssignment.id).where(JudgeAssignment.proposal_id == proposal.id,
                                                                 JudgeAssignment.judge_id == judge.id))
    if already:
        raise RuleViolation(_l("这位评委已经分配给这件提案。"), field="judge_id")
    assignment = _add_assignment(actor, proposal, judge)
    _flush_or_refuse(_l("这位评委已经分配给这件提案。"), field="judge_id")
    return assignment


def auto_assign(actor, campaign: Campaign) -> tuple[int, int]:
    """Top every assignable proposal up to the minimum number of judges, lightest load first.

    Returns (assignments made, proposals still short of judges). A constant number of queries.
    """
    _check_can_assign(actor, campaign)
    proposals = list(db.session.scalars(select(Proposal).where(
        Proposal.campaign_id == campaign.id, Proposal.status.in_(ASSIGNABLE)).order_by(Proposal.id)))
    with_load = judges_with_load(campaign)
    judges = [judge for judge, _n in with_load]
    load = {judge.id: n for judge, n in with_load}
    ids = [p.id for p in proposals]
    authors = _author_ids(ids)
    assigned: dict[int, set[int]] = defaultdict(set)
    if ids:
        for pid, jid in db.session.execute(select(JudgeAssignment.proposal_id, JudgeAssignment.judge_id)
                                           .where(JudgeAssignment.campaign_id == campaign.id)):
            assigned[pid].add(jid)
    made = short = 0
    for proposal in proposals:
        needed = campaign.min_judges - len(assigned[proposal.id])
        if needed <= 0:
            continue
        taken, mine = assigned[proposal.id], authors[proposal.id]
        candidates = sorted((j for j in judges if j.id not in taken and not has_conflict(j, proposal, mine)),
                            key=lambda j: (load[j.id], j.id))
        for judge in candidates[:needed]:
            _add_assignment(actor, proposal, judge)
            assigned[proposal.id].add(judge.id)
            load[judge.id] += 1
            made += 1
        if len(candidates) < needed:
            short += 1
    db.session.flush()
    audit.record("proposals.auto_assigned", actor=actor, obj=campaign, made=made, short=short)
    return made, short


def remove_assignment(actor, campaign: Campaign, assignment_id: int) -> None:
    """Admin removes an assignment that has no marks yet."""
    _check_can_assign(actor, campaign)
    assignment = db.session.scalar(select(JudgeAssignment).where(JudgeAssignment.id == assignment_id,
                                                                 JudgeAssignment.campaign_id == campaign.id))
    if assignment is None:
        raise NotFound(_l("找不到这个分配。"))
    if assignment.marks:
        raise RuleViolation(_l("这位评委已经打分，不能取消分配。"))
    db.session.delete(assignment)
    audit.record("proposals.judge_unassigned", actor=actor, obj=assignment.proposal, judge_id=assignment.judge_id)


def assignment_overview(campaign: Campaign, page: int, per_page: int = 20):
    """Assignable proposals of a campaign, paginated, with their judges (two queries per page)."""
    stmt = (select(Proposal).where(Proposal.campaign_id == campaign.id, Proposal.status.in_(ASSIGNABLE))
            .order_by(Proposal.id).options(db.joinedload(Proposal.enterprise)))
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    ids = [p.id for p in pagination.items]
    by_proposal: dict[int, list[JudgeAssignment]] = defaultdict(list)
    if ids:
        for a in db.session.scalars(select(JudgeAssignment).where(JudgeAssignment.proposal_id.in_(ids))
                                    .options(db.joinedload(JudgeAssignment.judge)).order_by(JudgeAssignment.id)):
            by_proposal[a.proposal_id].append(a)
    return pagination, by_proposal


# --- the judge's queue and marks ------------------------------------------------------------


def queue_query(judge, campaign_id: int | None = None, pending_only: bool = False):
    """The judge's assignments free of conflict, newest campaign first."""
    stmt = (select(JudgeAssignment).join(Proposal, Proposal.id == JudgeAssignment.proposal_id)
            .where(JudgeAssignment.judge_id == judge.id, not_conflicted_clause(judge))
            .options(db.joinedload(JudgeAssignment.proposal).joinedload(Proposal.campaign))
            .order_by(JudgeAssignment.campaign_id.desc(), JudgeAssignment.id))
    if campaign_id:
        stmt = stmt.where(JudgeAssignment.campaign_id == campaign_id)
    if pending_only:
        stmt = stmt.where(JudgeAssignment.submitted_at.is_(None))
    return stmt


def get_assignment(judge, proposal_id: int) -> JudgeAssignment:
    """The judge's own, conflict-free assignment for a proposal, else NotFound."""
    if judge is None or not judge.has_role(Role.JUDGE):
        raise NotFound(_l("找不到这个评审任务。"))
    assignment = db.session.scalar(
        queue_query(judge).where(JudgeAssignment.proposal_id == proposal_id)
        .options(db.selectinload(JudgeAssignment.marks))
    )
    if assignment is None:
        raise NotFound(_l("找不到这个评审任务。"))
    return assignment


def judge_total(criteria, marks_by_criterion: dict[int, int]) -> Decimal | None:
    """The judge's weighted total (0-100), or None until every criterion is marked."""
    if any(marks_by_criterion.get(c.id) is None for c in criteria):
        return None
    return scoring.weighted_total(((marks_by_criterion[c.id], c.weight) for c in criteria), 10)


def save_marks(judge, proposal_id: int, marks: dict[int, int | None], final: bool = False) -> JudgeAssignment:
    """Save (and with `final`, submit) the judge's marks on a proposal; see the module rules."""
    assignment = get_assignment(judge, proposal_id)
    proposal = assignment.proposal
    campaign = proposal.campaign
    if judging_frozen(campaign):
        raise RuleViolation(_l("评审已截止或已锁定，分数不能再修改。"))
    if clock.now() < campaign.judging_opens_at:
        raise RuleViolation(_l("评审尚未开始。"))
    if assignment.submitted_at is not None:
        raise RuleViolation(_l("您已提交这件提案的评分，不能再修改。"))
    criteria = campaign.criteria
    known = {c.id for c in criteria}
    if set(marks) - known:
        raise NotFound(_l("找不到这个评分标准。"))
    for cid, value in marks.items():
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10):
            raise RuleViolation(_l("每项分数应为 0 到 10 的整数。"), field=f"c{cid}")
    existing = {m.criterion_id: m for m in assignment.marks}
    now = clock.now()
    for cid, value in marks.items():
        mark = existing.get(cid)
        if value is None:
            continue
        if mark is None:
            mark = Mark(assignment=assignment, proposal_id=proposal.id, judge_id=judge.id, criterion_id=cid,
                        mark=value, updated_at=now)
            db.session.add(mark)
            _flush_or_refuse(_l("这项分数刚刚被另一次提交保存过，请刷新页面后再试。"))
            old = None
        elif mark.mark != value:
            old = mark.mark
            mark.mark = value
        else:
            continue
        db.session.add(MarkChange(mark_id=mark.id, proposal_id=proposal.id, criterion_id=cid, old_mark=old,
                                  new_mark=value, changed_by_id=judge.id, changed_at=now))
        audit.record("proposals.mark", actor=judge, obj=proposal, criterion_id=cid, old=old, new=value)
        existing[cid] = mark
    if final:
        current = {cid: m.mark for cid, m in existing.items()}
        total = judge_total(criteria, current)
        if total is None:
            raise RuleViolation(_l("请为每一项打分后再提交。"))
        assignment.total = total
        assignment.submitted_at = now
        audit.record("proposals.marks_submitted", actor=judge, obj=proposal, total=total)
        db.session.flush()
        refresh_aggregate(judge, proposal)
    db.session.flush()
    return assignment


def refresh_aggregate(actor, proposal: Proposal) -> None:
    """Recompute a proposal's aggregate and spread from submitted totals; score it when all are in."""
    rows = db.session.execute(select(JudgeAssignment.total, JudgeAssignment.submitted_at)
                              .where(JudgeAssignment.proposal_id == proposal.id)).all()
    totals = [r.total for r in rows if r.submitted_at is not None]
    old = proposal.score
    proposal.score = scoring.trimmed_mean(totals)
    proposal.score_spread = scoring.spread(totals)
    proposal.judge_count = len(totals)
    if old != proposal.score:
        audit.record("proposals.score", actor=actor, obj=proposal, old=old, new=proposal.score)
    if (proposal.status == UNDER_REVIEW and len(totals) == len(rows)
            and len(totals) >= proposal.campaign.min_judges):
        transition(proposal, SCORED, actor, "system", note=str(_l("评委已全部提交评分")))


def lock_campaign(actor, campaign: Campaign, locked: bool) -> None:
    """Admin locks (freezes all marks) or unlocks a campaign that is still active."""
    _require_admin(actor, _l("只有总工会管理员可以锁定评审。"))
    if campaign.status != CAMPAIGN_ACTIVE:
        raise RuleViolation(_l("结果已公示，不能再修改锁定状态。"))
    if campaign.locked == locked:
        return
    audit.record("proposals.campaign_locked", actor=actor, obj=campaign, old=campaign.locked, new=locked)
    campaign.locked = locked


# --- results, ranking, prizes ---------------------------------------------------------------


def ranking_query(campaign: Campaign):
    """One SQL query: judged proposals with RANK() over the aggregate (shared ranks for equal scores)."""
    place = func.rank().over(order_by=Proposal.score.desc()).label("place")
    return (select(Proposal, place)
            .where(Proposal.campaign_id == campaign.id, Proposal.status.in_(RANKED_STATUSES),
                   Proposal.score.is_not(None))
            .order_by(Proposal.score.desc(), Proposal.id)
            .options(db.joinedload(Proposal.enterprise), db.joinedload(Proposal.proposer)))


def judges_totals(proposal_ids) -> dict[int, list[JudgeAssignment]]:
    """Each proposal's assignments (judge and total), one query for a page."""
    result: dict[int, list[JudgeAssignment]] = defaultdict(list)
    if proposal_ids:
        for a in db.session.scalars(select(JudgeAssignment).where(JudgeAssignment.proposal_id.in_(proposal_ids))
                                    .options(db.joinedload(JudgeAssignment.judge)).order_by(JudgeAssignment.id)):
            result[a.proposal_id].append(a)
    return result


def prize_for(place: int, score: Decimal, campaign: Campaign) -> str | None:
    """The prize of a rank (see the module rules)."""
    if place <= campaign.quota_first:
        return "first"
    if place <= campaign.quota_first + campaign.quota_second:
        return "second"
    if place <= campaign.quota_first + campaign.quota_second + campaign.quota_third:
        return "third"
    if score is not None and score >= campaign.pass_mark:
        return "honourable"
    return None


def results_summary(campaign: Campaign) -> dict:
    """Counts by status for the results page header (one GROUP BY query)."""
    rows = db.session.execute(select(Proposal.status, func.count(Proposal.id))
                              .where(Proposal.campaign_id == campaign.id).group_by(Proposal.status)).all()
    return dict(rows)


def publish_results(actor, campaign: Campaign, working_days: int = notices.DEFAULT_WORKING_DAYS):
    """Store ranks and prizes and open the public notice; judging must be over (closed or locked)."""
    _require_admin(actor, _l("只有总工会管理员可以发布结果。"))
    if campaign.status != CAMPAIGN_ACTIVE:
        raise RuleViolation(_l("结果已经发布过了。"))
    if not judging_frozen(campaign):
        raise RuleViolation(_l("评审还没有截止，请等评审截止或先锁定评审。"))
    pending = db.session.scalar(select(func.count(Proposal.id)).where(
        Proposal.campaign_id == campaign.id, Proposal.status.in_((VALID, UNDER_REVIEW))))
    if pending:
        raise RuleViolation(_l("还有 %(n)d 件提案没有完成评审。", n=pending))
    updates = []
    for row in db.session.execute(ranking_query(campaign)).unique():
        proposal, place = row
        updates.append({"id": proposal.id, "rank": place, "prize": prize_for(place, proposal.score, campaign)})
    if updates:
        db.session.execute(update(Proposal), updates)
    campaign.status = CAMPAIGN_PUBLISHED
    notice = notices.publish(actor, NOTICE_SUBJECT, campaign.id, str(_l("%(name)s 评审结果", name=campaign.name)),
                             working_days=working_days)
    audit.record("proposals.results_published", actor=actor, obj=campaign, ranked=len(updates))
    db.session.expire_all()
    return notice


def campaign_notice(campaign: Campaign):
    return notices.notice_for(NOTICE_SUBJECT, campaign.id)


def file_objection(user, campaign: Campaign, body: str) -> Objection:
    """Any logged-in user objects to published results, under their real name, during the notice."""
    notice = campaign_notice(campaign)
    if notice is None:
        raise NotFound(_l("这个活动还没有公示。"))
    return notices.file_objection(user, notice, body)


def resolve_objection(actor, campaign: Campaign, objection_id: int, upheld: bool, note: str) -> None:
    objection = notices.get_objection(objection_id, NOTICE_SUBJECT, campaign.id)
    notices.resolve_objection(actor, objection, upheld, note)


def finalise_results(actor, campaign: Campaign) -> None:
    """After the notice period with every objection resolved: results final, prize winners awarded."""
    _require_admin(actor, _l("只有总工会管理员可以确认结果。"))
    notice = campaign_notice(campaign)
    if notice is None or campaign.status != CAMPAIGN_PUBLISHED:
        raise RuleViolation(_l("结果还没有公示，或已经确认。"))
    notices.finalise(actor, notice)
    campaign.status = CAMPAIGN_FINAL
    for proposal in db.session.scalars(select(Proposal).where(
            Proposal.campaign_id == campaign.id, Proposal.status == SCORED, Proposal.prize.is_not(None))):
        transition(proposal, AWARDED, actor, "system", note=str(proposal.prize_label))
    audit.record("proposals.results_final", actor=actor, obj=campaign)


def objections(campaign: Campaign) -> list[Objection]:
    notice = campaign_notice(campaign)
    if notice is None:
        return []
    return list(db.session.scalars(select(Objection).where(Objection.notice_id == notice.id)
                                   .options(db.joinedload(Objection.objector)).order_by(Objection.id)))


def can_view_results(user, campaign: Campaign) -> bool:
    return policy.is_admin(user) or campaign.status in (CAMPAIGN_PUBLISHED, CAMPAIGN_FINAL)


def require_results_visible(user, campaign: Campaign) -> None:
    if not can_view_results(user, campaign):
        raise NotAllowed(_l("结果尚未公布。"))


def marks_of(assignment: JudgeAssignment) -> dict[int, int]:
    return {m.criterion_id: m.mark for m in assignment.marks}


def criteria_of(campaign: Campaign) -> list[RubricCriterion]:
    return list(campaign.criteria)
