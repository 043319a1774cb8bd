"""Judging: the judge's queue, blind marking, a judge's total, a proposal's aggregate, locking.

Rules (docs/domain.md, "Five Small proposals": rubric, and "Rules shared by every part": scoring,
conflict of interest and blind review):
- A judge sees and marks only proposals assigned to them and free of conflict (checked in the SQL of
  every judge query, so a crafted request for another proposal is NotFound).
- Marks are integers 0-10 on each criterion of the campaign's rubric; a judge saves and revises until
  they submit, which needs every criterion marked. Marking opens with the judging window and is frozen
  after it closes, when the admin locks the campaign, or once results are published.
- Every change of a mark is kept (MarkChange: old, new, who, when) and audited.
- A judge's total is services.common.scoring.weighted_total(marks x weights, scale 10), 0-100. A
  proposal's aggregate is services.common.scoring.trimmed_mean of its judges' submitted totals (drop
  one highest and one lowest with 5+ judges) with their spread. When every assigned judge (and at
  least the campaign's minimum) has submitted, the proposal is scored.
- Only union admins lock or unlock judging, and only while the campaign is active.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NoReturn

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import db
from models.proposals import (
    CAMPAIGN_ACTIVE,
    NOTE_ALL_SCORED,
    SCORED,
    UNDER_REVIEW,
    Campaign,
    JudgeAssignment,
    Mark,
    MarkChange,
    Proposal,
    kind_label,
)
from services.common import audit, scoring
from services.common.rows import PlainRow, label_texts
from services.errors import NotFound, RuleViolation
from services.proposals import closing
from services.proposals import loaders as proposal_loaders
from services.proposals import policy as proposals_policy
from services.proposals.lifecycle import judging_frozen, marking_open_clause, transition

MAX_MARK = 10


def flush_or_refuse(message, field: str | None = None) -> None:
    """Flush; a unique constraint hit by a concurrent request becomes RuleViolation(message, field)
    (the view then rolls back). Used where a check-then-insert can race."""
    try:
        db.session.flush()
    except IntegrityError:
        raise RuleViolation(message, field=field) from None


# --- the judge's queue ----------------------------------------------------------------------


def _queue_conditions(judge, campaign_id: int | None = None, pending_only: bool = False) -> list:
    """The judge's conflict-free assignments (queue_query's WHERE)."""
    conditions = [JudgeAssignment.judge_id == judge.id,
                  proposals_policy.not_conflicted_clause(judge, JudgeAssignment.proposal_id)]
    if campaign_id:
        conditions.append(JudgeAssignment.campaign_id == campaign_id)
    if pending_only:
        conditions.append(JudgeAssignment.submitted_at.is_(None))
    return conditions


QUEUE_ORDER = (JudgeAssignment.campaign_id.desc(), JudgeAssignment.id)


def queue_query(judge, campaign_id: int | None = None, pending_only: bool = False):
    """Select of the judge's assignments free of conflict, newest campaign first, proposal and campaign
    loaded; optionally of one campaign, or only those not yet submitted. A range of the judge's
    assignments: the conflict rule is read on JudgeAssignment.proposal_id, never by joining proposal
    (which made PostgreSQL hash-join every proposal of the city to count the queue)."""
    return (select(JudgeAssignment).where(*_queue_conditions(judge, campaign_id, pending_only))
            .options(db.joinedload(JudgeAssignment.proposal).joinedload(Proposal.campaign))
            .order_by(*QUEUE_ORDER))


class QueueRow(PlainRow):
    """One line of the judge's queue page as plain values (no ORM entities; the proposal's long texts stay
    in the database): the assignment's proposal id, submission time and total, the proposal's title and
    kind, its campaign's name, judging deadline, lock and status (named as Campaign's, so
    lifecycle.judging_frozen reads the row as it reads the campaign), then the kind's label (a text:
    `queue_page_rows`)."""

    __slots__ = ("proposal_id", "submitted_at", "total", "title", "kind", "name", "judging_closes_at", "locked",
                 "status", "kind_label")

    @property
    def frozen(self) -> bool:
        """The campaign's marks are frozen (lifecycle.judging_frozen)."""
        return judging_frozen(self)


def queue_page_rows(rows) -> list[QueueRow]:
    """QueueRows of a page of queue_rows' values (queue_page's count after them left out), each kind's label
    translated once a page."""
    text = label_texts()
    return [QueueRow(*row[:9], text(kind_label, row[4])) for row in rows]


def queue_rows(judge, campaign_id: int | None = None, pending_only: bool = False):
    """Select of the rows and order of queue_query as plain columns in QueueRow's order: the proposal's
    title and kind as scalar subqueries through its key (a count of the select reads no proposal), the
    campaign's columns joined on the assignment's campaign (its proposal's, services.proposals.assignment)."""
    def of_proposal(column):
        return select(column).where(Proposal.id == JudgeAssignment.proposal_id).correlate(JudgeAssignment) \
            .scalar_subquery()

    return (select(JudgeAssignment.proposal_id, JudgeAssignment.submitted_at, JudgeAssignment.total,
                   of_proposal(Proposal.title), of_proposal(Proposal.kind), Campaign.name,
                   Campaign.judging_closes_at, Campaign.locked, Campaign.status)
            .join(Campaign, Campaign.id == JudgeAssignment.campaign_id)
            .where(*_queue_conditions(judge, campaign_id, pending_only)).order_by(*QUEUE_ORDER))


def _queue_page_select(has_enterprise: bool, one_campaign: bool, pending_only: bool):
    """queue_page's select for a judge with or without an enterprise, of one campaign or all, pending only or
    not; the judge's id and enterprise, the campaign, the page's limit and offset are bind parameters."""
    judge = proposal_loaders.Viewer(bindparam("judge_id"),
                                    bindparam("judge_enterprise_id") if has_enterprise else None)
    conditions = _queue_conditions(judge, pending_only=pending_only)
    if one_campaign:
        conditions.append(JudgeAssignment.campaign_id == bindparam("campaign_id"))
    page = (select(JudgeAssignment.id, JudgeAssignment.campaign_id, JudgeAssignment.proposal_id,
                   JudgeAssignment.submitted_at, JudgeAssignment.total, func.count().over().label("queue_total"))
            .where(*conditions).order_by(*QUEUE_ORDER)
            .limit(bindparam("page_limit", type_=Integer)).offset(bindparam("page_offset", type_=Integer)).subquery())

    def of_proposal(column):
        return select(column).where(Proposal.id == page.c.proposal_id).scalar_subquery()

    return (select(page.c.proposal_id, page.c.submitted_at, page.c.total, of_proposal(Proposal.title),
                   of_proposal(Proposal.kind), Campaign.name, Campaign.judging_closes_at, Campaign.locked,
                   Campaign.status, page.c.queue_total)
            .select_from(page).join(Campaign, Campaign.id == page.c.campaign_id)
            .order_by(page.c.campaign_id.desc(), page.c.id))


def queue_page(judge, limit: int, offset: int, campaign_id: int | None = None, pending_only: bool = False) -> list:
    """One page of queue_rows (its values and order), each row followed by the number of rows of the whole
    queue, in one statement (kept: core.statements.shared_statement): the page's assignments and that count
    first (a window count, ordered and limited), the proposal's title and kind and the campaign's columns
    for those rows only (with the count beside them, both databases read the title and kind of every
    assignment of the judge)."""
    shape = (judge.enterprise_id is not None, bool(campaign_id), pending_only)
    return db.session.execute(shared_statement(("proposals.queue_page", *shape), lambda: _queue_page_select(*shape)),
                              {"judge_id": judge.id, "judge_enterprise_id": judge.enterprise_id,
                               "campaign_id": campaign_id, "page_limit": limit, "page_offset": offset}).all()


def next_pending(judge, proposal_id: int) -> JudgeAssignment | None:
    """The proposal a judge scores next, offered after submitting one: the first assignment of the judge's
    queue (queue_query order) other than `proposal_id` that is not yet submitted and whose campaign still
    takes marks (judging_frozen), else None."""
    return db.session.scalars(
        queue_query(judge, pending_only=True).join(Campaign, Campaign.id == JudgeAssignment.campaign_id)
        .where(JudgeAssignment.proposal_id != proposal_id, marking_open_clause()).limit(1)).first()


def assignment_not_found() -> NoReturn:
    """Refuse a judge's request for an assignment that is not theirs or not free of conflict (NotFound)."""
    raise NotFound(_l("找不到这个评审任务。"))


def get_assignment(judge, proposal_id: int) -> JudgeAssignment:
    """The judge's own, conflict-free assignment for a proposal with its marks and the proposal shown in
    full (proposal_loaders.detail_options: of its authors' accounts only the names), else NotFound."""
    assignment = None
    if judge is not None and judge.is_authenticated:  # the city's pool or a campaign's panel
        assignment = db.session.scalar(
            queue_query(judge).where(JudgeAssignment.proposal_id == proposal_id)
            .options(db.selectinload(JudgeAssignment.marks),
                     db.joinedload(JudgeAssignment.proposal).options(*proposal_loaders.detail_options(names=True)))
        )
    if assignment is None:
        assignment_not_found()
    return assignment


def marks_of(assignment: JudgeAssignment) -> dict[int, int]:
    """Criterion id -> the judge's current mark."""
    return {m.criterion_id: m.mark for m in assignment.marks}


def marks_frozen(assignment: JudgeAssignment) -> bool:
    """The judge can no longer change these marks: judging is frozen or they submitted them."""
    return judging_frozen(assignment.proposal.campaign) or assignment.submitted_at is not None


def judge_total(criteria, marks_by_criterion: dict[int, int]) -> Decimal | None:
    """The judge's weighted total (0-100, two decimals), or None until every criterion is marked.

    `criteria` are the campaign's RubricCriterion rows (weights in percent summing to 100).
    """
    if any(marks_by_criterion.get(c.id) is None for c in criteria):
        return None
    return scoring.weighted_total(((marks_by_criterion[c.id], c.weight) for c in criteria), MAX_MARK)


# --- marking --------------------------------------------------------------------------------


def _check_marking_open(assignment: JudgeAssignment, marks: dict[int, int | None]) -> None:
    campaign = assignment.proposal.campaign
    if judging_frozen(campaign):
        raise RuleViolation(_l("评审已截止或已锁定，分数不能再修改。"))
    if clock.now() < campaign.judging_opens_at:
        raise RuleViolation(_l("评审尚未开始。"))
    if assignment.submitted_at is not None:
        raise RuleViolation(_l("您已提交这件提案的评分，不能再修改。"))
    if set(marks) - {c.id for c in campaign.criteria}:
        raise NotFound(_l("找不到这个评分标准。"))
    for cid, value in marks.items():
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or not 0 <= value <= MAX_MARK):
            raise RuleViolation(_l("每项分数应为 0 到 10 的整数。"), field=f"c{cid}")


def _record_marks(judge, assignment: JudgeAssignment, marks: dict[int, int | None], now) -> dict[int, Mark]:
    """Write the given marks (None: left as it is), each change kept as a MarkChange and audited;
    returns criterion id -> Mark after the change."""
    proposal = assignment.proposal
    existing = {m.criterion_id: m for m in assignment.marks}
    for cid, value in marks.items():
        mark = existing.get(cid)
        if value is None:
            continue
        if mark is None:
            mark = Mark(assignment=assignment, proposal_id=proposal.id, judge_id=judge.id, criterion_id=cid,
                        mark=value, updated_at=now)
            db.session.add(mark)
            flush_or_refuse(_l("这项分数刚刚被另一次提交保存过，请刷新页面后再试。"))
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
    return existing


def _submit_marks(judge, assignment: JudgeAssignment, current: dict[int, int], now) -> None:
    proposal = assignment.proposal
    total = judge_total(proposal.campaign.criteria, current)
    if total is None:
        raise RuleViolation(_l("请为每一项打分后再提交。"))
    assignment.total = total
    assignment.submitted_at = now
    audit.record("proposals.marks_submitted", actor=judge, obj=proposal, total=total)
    db.session.flush()
    refresh_aggregate(judge, proposal)


def save_marks(judge, proposal_id: int, marks: dict[int, int | None], final: bool = False) -> JudgeAssignment:
    """Save the judge's marks on a proposal (criterion id -> integer 0-10, None to leave a criterion
    as it is) and, with `final`, submit them (see the module rules).

    NotFound for a proposal not assigned to the judge (or conflicted) or an unknown criterion;
    RuleViolation when marking is not open, already submitted, a mark is out of range (on field
    "c<criterion id>") or, on submission, a criterion is unmarked.
    """
    assignment = get_assignment(judge, proposal_id)
    _check_marking_open(assignment, marks)
    now = clock.now()
    existing = _record_marks(judge, assignment, marks, now)
    if final:
        _submit_marks(judge, assignment, {cid: m.mark for cid, m in existing.items()}, now)
    db.session.flush()
    return assignment


def refresh_aggregate(actor, proposal: Proposal) -> None:
    """Recompute a proposal's aggregate, spread and judge count from the submitted totals; move it to
    scored once every assigned judge, and at least the campaign's minimum, has submitted."""
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
        transition(proposal, SCORED, actor, "system", note=NOTE_ALL_SCORED)


def lock_campaign(actor, campaign: Campaign, locked: bool, confirmed_unscreened: int | None = None) -> None:
    """The owner locks (freezes all marks) or unlocks a campaign that is still active.

    NotFound when the campaign does not exist for `actor`, NotAllowed for anyone but its owner;
    RuleViolation once results are published, or when locking while the
    submission window is open or submitted proposals are unscreened and the admin has not confirmed
    exactly what is left out (services.proposals.closing; `confirmed_unscreened`). Locking twice is a
    no-op.
    """
    proposals_policy.require_runner(actor, campaign, _l("只有活动的主办方可以锁定评审。"))
    if campaign.status != CAMPAIGN_ACTIVE:
        raise RuleViolation(_l("结果已公示，不能再修改锁定状态。"))
    if campaign.locked == locked:
        return
    left_out = closing.require_confirmed(campaign, confirmed_unscreened).unscreened if locked else 0
    audit.record("proposals.campaign_locked", actor=actor, obj=campaign, old=campaign.locked, new=locked,
                 left_out=left_out)
    campaign.locked = locked
