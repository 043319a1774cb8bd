"""Assigning judges to proposals: by hand, automatically by load, and the admin's overview.

Rules (docs/domain.md, "Five Small proposals": at least 3 judges, and "Rules shared by every part":
conflict of interest):
- Only the campaign's owner (services.proposals.policy.can_run_campaign) appoints its panel and assigns
  judges, to valid proposals (or ones already under review) of a campaign whose judging is not frozen
  (services.proposals.lifecycle.judging_frozen).
- The pool of judges of a campaign: for the city's, every active account with the judge role (the city's
  pool) plus the people the admin appointed to its panel; for an enterprise's or a town's, only the
  people its owner appointed to its panel. The owner appoints active people (`appointable_clause`):
  enterprise HR from its own enterprise's staff, a town's officers from the town's people (the staff of
  the enterprises now in the town, services.policy.scope_people) and the city's judge pool (the judge
  role), union admins anyone.
  A panel member is removed only while they hold no assignment in the campaign.
- A judge is in standing (active account, enterprise if any active), checked at the moment of
  assigning, automatic or by hand; never assigned to a proposal they (co-)authored nor, outside an
  enterprise's own campaign, to one of their own enterprise (services.proposals.policy.has_conflict);
  once per proposal, the unique (proposal, judge) constraint being the last word under concurrency.
- The first judge moves a valid proposal under review.
- A judge may be added by hand after the others submitted, until judging is frozen (window closed,
  locked or results published): the proposal goes back under review and, when the added judge submits,
  its aggregate and the ranking are recomputed (services.proposals.judging.refresh_aggregate).
- Automatic assignment tops every assignable proposal up to the campaign's minimum number of judges,
  always picking the eligible judge with the lightest load in the campaign (ties: lowest id).
- An assignment is removed only while its judge has not marked.
- Each judge's load in a campaign (assigned, submitted) is a stored tally kept in the same transaction
  as the assignments (models.proposal_tallies), read a page of judges at a time (services.proposals.judge_pool).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import DateTime, Integer, Numeric, bindparam, cast, exists, func, null, or_, select, union_all

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, Role, User, UserRole, db
from models.proposal_tallies import JudgeLoad, ProposalStatusTally
from models.proposals import (
    CAMPAIGN_ACTIVE,
    NOTE_JUDGE_ADDED,
    NOTE_REVIEW_STARTED,
    OWNER_CITY,
    OWNER_ENTERPRISE,
    OWNER_TOWN,
    SCORED,
    UNDER_REVIEW,
    VALID,
    Campaign,
    CampaignJudge,
    JudgeAssignment,
    Proposal,
    ProposalAuthor,
)
from services import policy
from services.common import audit
from services.errors import NotFound, RuleViolation
from services.proposals import policy as proposals_policy
from services.proposals.judging import flush_or_refuse
from services.proposals.lifecycle import judging_frozen, transition

# Statuses of proposals that take judges: automatically, and by hand (also once every judge submitted).
ASSIGNABLE = (VALID, UNDER_REVIEW)
ASSIGNABLE_BY_HAND = (VALID, UNDER_REVIEW, SCORED)


def pool_clause(campaign: Campaign):
    """SQL: the person is in the campaign's pool of judges (see the module rules)."""
    on_panel = exists().where(CampaignJudge.campaign_id == campaign.id, CampaignJudge.user_id == User.id)
    if campaign.owner_level == OWNER_CITY:
        return or_(exists().where(UserRole.user_id == User.id, UserRole.role == Role.JUDGE.value), on_panel)
    return on_panel


def judge_purpose(campaign: Campaign) -> str:
    """The people-search purpose (services.accounts.search.PURPOSES) of the judge picker: the city's
    pool of judges for a city campaign, else the people its owner may appoint (panel_purpose)."""
    return "judges" if campaign.owner_level == OWNER_CITY else panel_purpose(campaign)


def panel_purpose(campaign: Campaign) -> str:
    """The people-search purpose of the panel's picker: for a town's campaign the town's people and the
    city's judges ("town_panel"), else the people the owner manages ("panel")."""
    return "town_panel" if campaign.owner_level == OWNER_TOWN else "panel"


def appointable_clause(actor, campaign: Campaign):
    """SQL over User: the people `actor` may appoint to the campaign's panel (see the module rules): those
    it manages (services.policy.scope_condition) and, for a town's campaign, the city's judge pool."""
    managed = policy.scope_condition(actor, User.enterprise_id)
    if campaign.owner_level == OWNER_TOWN:
        return or_(managed, exists().where(UserRole.user_id == User.id, UserRole.role == Role.JUDGE.value))
    return managed


def _judges_stmt(campaign: Campaign):
    """Judges of the campaign's pool in standing now (services.common.standing): an active account whose
    enterprise, if any, is active. Their role rows (selectin-loaded by default, in batches that grow with
    the number of judges) only when asked for."""
    return select(User).where(User.is_active, pool_clause(campaign),
                              or_(User.enterprise_id.is_(None),
                                  exists().where(Enterprise.id == User.enterprise_id, Enterprise.is_active))
                              ).options(db.lazyload(User.role_rows))


def judges_with_load(campaign: Campaign) -> list[tuple[User, int]]:
    """Active judges (by name) with their number of assignments in the campaign: one query over the
    judges and their stored loads (models.proposal_tallies.JudgeLoad), none over the assignments."""
    rows = db.session.execute(
        _judges_stmt(campaign).add_columns(func.coalesce(JudgeLoad.assigned, 0))
        .outerjoin(JudgeLoad, (JudgeLoad.judge_id == User.id) & (JudgeLoad.campaign_id == campaign.id))
        .options(db.joinedload(User.enterprise)).order_by(User.name, User.id)
    ).unique().all()
    return [(row[0], row[1]) for row in rows]


def _author_ids(proposal_ids) -> dict[int, set[int]]:
    authors: dict[int, set[int]] = defaultdict(set)
    if proposal_ids:
        for pid, uid in db.session.execute(select(ProposalAuthor.proposal_id, ProposalAuthor.user_id)
                                           .where(ProposalAuthor.proposal_id.in_(proposal_ids))):
            authors[pid].add(uid)
    return authors


def _check_can_assign(actor, campaign: Campaign) -> None:
    proposals_policy.require_runner(actor, campaign, _l("只有活动的主办方可以分配评委。"))
    if judging_frozen(campaign):
        raise RuleViolation(_l("评审已截止或已锁定，不能再分配评委。"))


def _add_assignment(actor, proposal: Proposal, judge: User) -> JudgeAssignment:
    assignment = JudgeAssignment(proposal=proposal, judge_id=judge.id, campaign_id=proposal.campaign_id,
                                 assigned_by_id=actor.id, assigned_at=clock.now())
    db.session.add(assignment)
    if proposal.status == VALID:
        transition(proposal, UNDER_REVIEW, actor, "system", note=NOTE_REVIEW_STARTED)
    elif proposal.status == SCORED:  # a judge added after the others submitted: wait for their marks
        transition(proposal, UNDER_REVIEW, actor, "system", note=NOTE_JUDGE_ADDED)
    audit.record("proposals.judge_assigned", actor=actor, obj=proposal, judge_id=judge.id)
    return assignment


def assign_judge(actor, campaign: Campaign, proposal_id: int, judge_id: int) -> JudgeAssignment:
    """The owner assigns one judge of the campaign's pool to one proposal of the campaign (see the module
    rules).

    NotAllowed for anyone else; NotFound for a proposal of another campaign; RuleViolation (on
    "judge_id" where it concerns the judge) when frozen, not assignable, not in the pool, conflicted or
    already assigned.
    """
    _check_can_assign(actor, campaign)
    proposal = db.session.scalar(select(Proposal).where(Proposal.id == proposal_id,
                                                        Proposal.campaign_id == campaign.id))
    if proposal is None:
        proposals_policy.proposal_not_found()
    if proposal.status not in ASSIGNABLE_BY_HAND:
        raise RuleViolation(_l("这件提案当前为“%(status)s”：只有通过筛选的有效提案（含评审中、已评分）才能分配评委。",
                               status=proposal.status_label))
    judge = db.session.scalar(_judges_stmt(campaign).where(User.id == judge_id))
    if judge is None:
        raise RuleViolation(_l("请选择一位在职的评委（本活动的评委库中的人员）。"), field="judge_id")
    if proposals_policy.has_conflict(judge, proposal, _author_ids([proposal.id])[proposal.id]):
        raise RuleViolation(_l("利益冲突：评委不能评审本人参与的提案。") if campaign.is_enterprise_level
                            else _l("利益冲突：评委不能评审本企业或本人参与的提案。"), field="judge_id")
    already_assigned = _l("这位评委已经分配给这件提案。")
    if db.session.scalar(select(JudgeAssignment.id).where(JudgeAssignment.proposal_id == proposal.id,
                                                          JudgeAssignment.judge_id == judge.id)):
        raise RuleViolation(already_assigned, field="judge_id")
    assignment = _add_assignment(actor, proposal, judge)
    flush_or_refuse(already_assigned, field="judge_id")
    return assignment


def _assigned_judges(campaign: Campaign) -> dict[int, set[int]]:
    assigned: dict[int, set[int]] = defaultdict(set)
    for pid, jid in db.session.execute(select(JudgeAssignment.proposal_id, JudgeAssignment.judge_id)
                                       .where(JudgeAssignment.campaign_id == campaign.id)):
        assigned[pid].add(jid)
    return assigned


def auto_assign(actor, campaign: Campaign) -> tuple[int, int]:
    """Top every assignable proposal up to the minimum number of judges, lightest load first.

    Returns (assignments made, proposals still short of conflict-free judges). A constant number of
    queries. NotAllowed for anyone but the owner; RuleViolation when judging is frozen.
    """
    _check_can_assign(actor, campaign)
    proposals = list(db.session.scalars(select(Proposal).where(
        Proposal.campaign_id == campaign.id, Proposal.status.in_(ASSIGNABLE)).order_by(Proposal.id)))
    with_load = judges_with_load(campaign)
    judges = [judge for judge, _n in with_load]
    load = {judge.id: n for judge, n in with_load}
    authors = _author_ids([p.id for p in proposals])
    assigned = _assigned_judges(campaign) if proposals else defaultdict(set)
    made = short = 0
    for proposal in proposals:
        needed = campaign.min_judges - len(assigned[proposal.id])
        if needed <= 0:
            continue
        taken, mine = assigned[proposal.id], authors[proposal.id]
        candidates = sorted((j for j in judges if j.id not in taken
                             and not proposals_policy.has_conflict(j, proposal, mine)),
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
    """The owner removes an assignment of the campaign that has no marks yet (NotFound for another
    campaign's; RuleViolation once marked or when judging is frozen)."""
    _check_can_assign(actor, campaign)
    assignment = db.session.scalar(select(JudgeAssignment).where(JudgeAssignment.id == assignment_id,
                                                                 JudgeAssignment.campaign_id == campaign.id))
    if assignment is None:
        raise NotFound(_l("找不到这个分配。"))
    if assignment.marks:
        raise RuleViolation(_l("这位评委已经打分，不能取消分配。"))
    db.session.delete(assignment)
    audit.record("proposals.judge_unassigned", actor=actor, obj=assignment.proposal, judge_id=assignment.judge_id)


def assignable_query():
    """Select of the assignable proposals of the campaign whose id is the bind parameter "campaign_id" by id,
    as plain rows (id, title, status, enterprise_name) for the owner's table (page it by id, keyset_page with
    rows=True and kept: the partial index ix_proposal_assignable holds exactly these rows in that order)."""
    return (select(Proposal.id, Proposal.title, Proposal.status, Enterprise.name.label("enterprise_name"))
            .join(Enterprise, Enterprise.id == Proposal.enterprise_id)
            .where(Proposal.campaign_id == bindparam("campaign_id"), Proposal.status.in_(ASSIGNABLE))
            .order_by(Proposal.id))


def assignments_of(proposal_ids) -> dict[int, list]:
    """Proposal id -> its assignments in order, as plain rows (id, proposal_id, judge_id, judge_name,
    total, submitted_at) for a list page to show: one query for a page (a kept statement), no ORM objects."""
    result: dict[int, list] = defaultdict(list)
    if proposal_ids:
        stmt = shared_statement(("proposals.assignments_of",),
                                lambda: _assignments_select().order_by(JudgeAssignment.id))
        for row in db.session.execute(stmt, {"proposal_ids": list(proposal_ids)}):
            result[row.proposal_id].append(row)
    return result


def _assignments_select():
    """The assignments of the proposals whose ids are the expanding bind parameter "proposal_ids", as plain
    rows (assignments_of's columns, the id labelled so that a UNION's ORDER BY names it), unordered."""
    return (select(JudgeAssignment.id.label("id"), JudgeAssignment.proposal_id, JudgeAssignment.judge_id,
                   User.name.label("judge_name"), JudgeAssignment.total, JudgeAssignment.submitted_at)
            .join(User, User.id == JudgeAssignment.judge_id)
            .where(JudgeAssignment.proposal_id.in_(bindparam("proposal_ids", expanding=True))))


def _with_summary_select():
    """_assignments_select's rows in order, then the campaign's status tally (results_summary's rows) in
    the same columns: no proposal, the count as judge_id, the status as judge_name."""
    tally = select(cast(null(), Integer), cast(null(), Integer), ProposalStatusTally.proposals,
                   ProposalStatusTally.status, cast(null(), Numeric(5, 2)), cast(null(), DateTime)).where(
        ProposalStatusTally.campaign_id == bindparam("campaign_id"), ProposalStatusTally.proposals != 0)
    both = union_all(_assignments_select(), tally)
    return both.order_by(both.selected_columns.id)


def assignments_with_summary(campaign: Campaign, proposal_ids) -> tuple[dict[int, list], dict]:
    """(assignments_of(proposal_ids), services.proposals.results.results_summary(campaign)) in one
    statement (a kept UNION ALL): the campaign page's table and its figures per status."""
    assigned: dict[int, list] = defaultdict(list)
    summary = {}
    for row in db.session.execute(shared_statement(("proposals.assignments_with_summary",), _with_summary_select),
                                  {"proposal_ids": list(proposal_ids), "campaign_id": campaign.id}):
        if row.proposal_id is None:
            summary[row.judge_name] = row.judge_id
        else:
            assigned[row.proposal_id].append(row)
    return assigned, summary


# --- the campaign's panel -------------------------------------------------------------------


def panel_of(campaign: Campaign) -> list:
    """The people appointed to the campaign's panel in order, as plain rows (id: the panel row's,
    user_id, name, enterprise_name: None for no enterprise; and for the pool of an enterprise's or a
    town's campaign, which is its panel (services.proposals.judge_pool.judges_page): active, the account's
    standing, name_order, its place by (name, user id), assigned and submitted, its stored load in the
    campaign, 0 without one): one query (a kept statement); a panel is a handful to a few dozen people."""
    def load(column):
        return func.coalesce(select(column).where(JudgeLoad.campaign_id == bindparam("campaign_id"),
                                                  JudgeLoad.judge_id == CampaignJudge.user_id).scalar_subquery(), 0)

    return db.session.execute(shared_statement(("proposals.panel_of",), lambda: (
        select(CampaignJudge.id, CampaignJudge.user_id, User.name, Enterprise.name.label("enterprise_name"),
               User.is_active.label("active"),
               func.row_number().over(order_by=(User.name, User.id)).label("name_order"),
               load(JudgeLoad.assigned).label("assigned"), load(JudgeLoad.submitted).label("submitted"))
        .join(User, User.id == CampaignJudge.user_id).outerjoin(Enterprise, Enterprise.id == User.enterprise_id)
        .where(CampaignJudge.campaign_id == bindparam("campaign_id")).order_by(CampaignJudge.id))),
        {"campaign_id": campaign.id}).all()


def appoint_judge(actor, campaign: Campaign, user_id: int | None) -> CampaignJudge:
    """The owner appoints an active person it may appoint (appointable_clause: HR its enterprise's staff,
    a town's officers the town's people and the city's judges, admins anyone) to the campaign's panel
    while the campaign is active; once per person.

    NotFound when the campaign does not exist for `actor`; NotAllowed for anyone but its owner;
    RuleViolation on "user_id" for nobody, a person out of reach or inactive, or one already appointed.
    """
    proposals_policy.require_runner(actor, campaign, _l("只有活动的主办方可以任命评委。"))
    if campaign.status != CAMPAIGN_ACTIVE:
        raise RuleViolation(_l("结果已公示的活动不能再任命评委。"))
    person = db.session.scalar(select(User).where(User.id == user_id, User.is_active,
                                                  appointable_clause(actor, campaign))) if user_id else None
    if person is None:
        raise RuleViolation(_l("请选择一位本镇（街道）企业的在职人员或总工会评委库中的评委。")
                            if campaign.owner_level == OWNER_TOWN
                            else _l("请选择一位您管理范围内在职的人员。"), field="user_id")
    already = _l("这位人员已经在本活动的评委库中。")
    if db.session.scalar(select(CampaignJudge.id).where(CampaignJudge.campaign_id == campaign.id,
                                                        CampaignJudge.user_id == person.id)):
        raise RuleViolation(already, field="user_id")
    row = CampaignJudge(campaign_id=campaign.id, user_id=person.id, appointed_by_id=actor.id,
                        appointed_at=clock.now())
    db.session.add(row)
    flush_or_refuse(already, field="user_id")
    audit.record("proposals.judge_appointed", actor=actor, obj=campaign, user_id=person.id)
    return row


def dismiss_judge(actor, campaign: Campaign, panel_id: int) -> None:
    """The owner removes a person from the panel while they hold no assignment in the campaign.

    NotFound for another campaign's panel row; NotAllowed for anyone but the owner; RuleViolation when
    the person already has proposals to judge here."""
    proposals_policy.require_runner(actor, campaign, _l("只有活动的主办方可以任命评委。"))
    row = db.session.scalar(select(CampaignJudge).where(CampaignJudge.id == panel_id,
                                                        CampaignJudge.campaign_id == campaign.id))
    if row is None:
        raise NotFound(_l("本活动的评委库中没有这个人。"))
    if db.session.scalar(select(JudgeAssignment.id).where(JudgeAssignment.campaign_id == campaign.id,
                                                          JudgeAssignment.judge_id == row.user_id).limit(1)):
        raise RuleViolation(_l("这位评委已有评审任务，请先取消分配。"))
    db.session.delete(row)
    audit.record("proposals.judge_dismissed", actor=actor, obj=campaign, user_id=row.user_id)


def end_enterprise_panels(actor, person: User, enterprise_id: int) -> int:
    """A judge who leaves `enterprise_id` (services.accounts.employment) is no longer on the panel of
    that enterprise's own campaigns still being judged (issue 13: roles tied to an enterprise end on
    the leave date): their assignments without marks there are removed (the owner assigns another judge;
    marks already given stay) and their panel rows deleted. `actor` is who recorded the leave (None for
    the periodic task). Audited; returns how many panels the person left."""
    campaign_ids = select(Campaign.id).where(Campaign.owner_level == OWNER_ENTERPRISE,
                                             Campaign.owner_enterprise_id == enterprise_id,
                                             Campaign.status == CAMPAIGN_ACTIVE)
    for assignment in db.session.scalars(select(JudgeAssignment).where(
            JudgeAssignment.judge_id == person.id, JudgeAssignment.campaign_id.in_(campaign_ids))):
        if not assignment.marks:
            db.session.delete(assignment)
            audit.record("proposals.judge_unassigned", actor=actor, obj=assignment.proposal,
                         judge_id=person.id, reason="left")
    rows = list(db.session.scalars(select(CampaignJudge).where(CampaignJudge.user_id == person.id,
                                                               CampaignJudge.campaign_id.in_(campaign_ids))))
    for row in rows:
        db.session.delete(row)
        audit.record("proposals.judge_dismissed", actor=actor, obj=row.campaign, user_id=person.id, reason="left")
    db.session.flush()
    return len(rows)

