"""Five Small proposals (五小): campaigns, writing and submitting, screening, adoption and savings.

Rules enforced here (domain.md, "Proposals"):
- Only union admins create and edit campaigns; a rubric's weights sum to 100 and cannot change once
  marks exist; windows are in order (submission closes before judging closes).
- A worker writes proposals for their own enterprise while the campaign accepts submissions; drafts are
  saved any time before the submission window closes; submission needs a complete proposal, the
  authenticity pledge and an open window (checked again at the moment of submission).
- Co-authors are active workers of the proposer's enterprise; the shares (proposer included) sum to 100.
- Estimated savings are Decimal yuan between 0 and 100 million; the calculator gives
  (quantity before - quantity after) x unit price x annual output - implementation cost.
- Attachments are photos, drawings or PDF, checked by content, at most 10 MB each and 10 per proposal.
- Every status change follows TRANSITIONS, done by the role named there, and leaves a timeline row
  (from, to, who, when, why) and an audit record. An illegal change is refused and changes nothing.
- Visibility: admins see all; HR their enterprise's; authors their own; assigned judges without a conflict
  of interest the ones assigned; everyone logged in the ranked proposals of published campaigns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, false, func, or_, select, true

from core import clock
from models import Enterprise, Role, User, UserRole, db
from models.proposals import (
    ADOPTED,
    AWARDED,
    CAMPAIGN_ACTIVE,
    CAMPAIGN_FINAL,
    CAMPAIGN_PUBLISHED,
    DRAFT,
    IMPLEMENTED,
    KIND_LABELS,
    PROPOSAL_STATUS_LABELS,
    RANKED_STATUSES,
    REJECTED,
    RETURNED,
    SCORED,
    SCREENING_REASON_LABELS,
    SUBMITTED,
    UNDER_REVIEW,
    VALID,
    VALID_STATUSES,
    WITHDRAWN,
    Campaign,
    JudgeAssignment,
    Mark,
    Proposal,
    ProposalAttachment,
    ProposalAuthor,
    ProposalStatusChange,
    RealisedSaving,
    RubricCriterion,
)
from services import policy
from services.common import audit, uploads
from services.errors import NotAllowed, NotFound, RuleViolation

MAX_SAVINGS = Decimal("100000000")
MAX_TEXT = 5000
MAX_ATTACHMENTS = 10
ATTACHMENT_KINDS = ("image", "pdf", "drawing")
FINANCE_FILE_KINDS = ("image", "pdf")

# Allowed status changes and who makes them: "author", "hr", "admin" or "system" (a service itself,
# e.g. when judges are assigned or have all submitted).
TRANSITIONS: dict[tuple[str | None, str], str] = {
    (DRAFT, SUBMITTED): "author",
    (RETURNED, SUBMITTED): "author",
    (DRAFT, WITHDRAWN): "author",
    (SUBMITTED, WITHDRAWN): "author",
    (RETURNED, WITHDRAWN): "author",
    (VALID, WITHDRAWN): "author",
    (SUBMITTED, VALID): "hr",
    (SUBMITTED, RETURNED): "hr",
    (SUBMITTED, REJECTED): "hr",
    (VALID, UNDER_REVIEW): "system",
    (UNDER_REVIEW, SCORED): "system",
    (SCORED, AWARDED): "system",
    (SCORED, ADOPTED): "hr",
    (AWARDED, ADOPTED): "hr",
    (ADOPTED, IMPLEMENTED): "hr",
}


def status_name(status: str | None) -> str:
    return str(PROPOSAL_STATUS_LABELS.get(status, status or "—"))


def check_transition(proposal: Proposal, to: str, role: str) -> None:
    """Refuse (RuleViolation) a status change TRANSITIONS does not allow for `role`."""
    if TRANSITIONS.get((proposal.status, to)) != role:
        raise RuleViolation(_l("提案当前状态为“%(current)s”，不能变为“%(target)s”。",
                               current=status_name(proposal.status), target=status_name(to)))


def transition(proposal: Proposal, to: str, actor, role: str, *, reason: str | None = None,
               note: str | None = None) -> ProposalStatusChange:
    """Move a proposal to `to` when TRANSITIONS allows it for `role`; record timeline and audit."""
    check_transition(proposal, to, role)
    change = ProposalStatusChange(
        proposal=proposal, from_status=proposal.status, to_status=to,
        actor_id=getattr(actor, "id", None), at=clock.now(), reason=reason, note=note,
    )
    db.session.add(change)
    audit.record("proposals.status", actor=actor, obj=proposal, old=proposal.status, new=to,
                 reason=reason, note=note)
    proposal.status = to
    return change


# --- windows --------------------------------------------------------------------------------


def submission_open(campaign: Campaign, now: datetime | None = None) -> bool:
    now = now or clock.now()
    return campaign.status == CAMPAIGN_ACTIVE and campaign.submission_opens_at <= now < campaign.submission_closes_at


def drafts_allowed(campaign: Campaign) -> bool:
    return campaign.status == CAMPAIGN_ACTIVE and clock.now() < campaign.submission_closes_at


def judging_open(campaign: Campaign) -> bool:
    now = clock.now()
    return (campaign.status == CAMPAIGN_ACTIVE and not campaign.locked
            and campaign.judging_opens_at <= now < campaign.judging_closes_at)


def judging_frozen(campaign: Campaign) -> bool:
    """Marks are frozen once the judging window closed, the admin locked, or results were published."""
    return campaign.locked or campaign.status != CAMPAIGN_ACTIVE or clock.now() >= campaign.judging_closes_at


def is_published(campaign: Campaign) -> bool:
    return campaign.status in (CAMPAIGN_PUBLISHED, CAMPAIGN_FINAL)


# --- campaigns ------------------------------------------------------------------------------


@dataclass
class CampaignData:
    name: str = ""
    description: str | None = None
    submission_opens_at: datetime | None = None
    submission_closes_at: datetime | None = None
    judging_opens_at: datetime | None = None
    judging_closes_at: datetime | None = None
    min_judges: int = 3
    blind_review: bool = True
    quota_first: int = 2
    quota_second: int = 5
    quota_third: int = 52
    pass_mark: Decimal = Decimal("60")
    criteria: list[tuple[str, int]] = field(default_factory=list)


def _require_admin(actor, message=None) -> None:
    if not policy.is_admin(actor):
        raise NotAllowed(message or _l("只有总工会管理员可以这样做。"))


def _check_campaign(data: CampaignData, campaign: Campaign | None) -> None:
    name = (data.name or "").strip()
    if not name:
        raise RuleViolation(_l("请填写活动名称。"), field="name")
    if len(name) > 100:
        raise RuleViolation(_l("活动名称不能超过 100 字。"), field="name")
    clash = db.session.scalar(select(Campaign.id).where(Campaign.name == name))
    if clash and (campaign is None or clash != campaign.id):
        raise RuleViolation(_l("已有同名的活动。"), field="name")
    for attr in ("submission_opens_at", "submission_closes_at", "judging_opens_at", "judging_closes_at"):
        value = getattr(data, attr)
        if value is None or value.tzinfo is None:
            raise RuleViolation(_l("请填写完整的时间。"), field=attr)
    if data.submission_closes_at <= data.submission_opens_at:
        raise RuleViolation(_l("征集截止时间应晚于开始时间。"), field="submission_closes_at")
    if data.judging_closes_at <= data.judging_opens_at:
        raise RuleViolation(_l("评审截止时间应晚于开始时间。"), field="judging_closes_at")
    if data.judging_opens_at < data.submission_opens_at:
        raise RuleViolation(_l("评审不能早于征集开始。"), field="judging_opens_at")
    if data.judging_closes_at <= data.submission_closes_at:
        raise RuleViolation(_l("评审截止时间应晚于征集截止时间。"), field="judging_closes_at")
    if not 1 <= (data.min_judges or 0) <= 15:
        raise RuleViolation(_l("每件提案的评委人数应为 1 到 15 人。"), field="min_judges")
    for attr in ("quota_first", "quota_second", "quota_third"):
        value = getattr(data, attr)
        if value is None or not 0 <= value <= 10000:
            raise RuleViolation(_l("名额应为 0 到 10000 之间的整数。"), field=attr)
    if data.pass_mark is None or not Decimal(0) <= data.pass_mark <= Decimal(100):
        raise RuleViolation(_l("优秀奖分数线应在 0 到 100 之间。"), field="pass_mark")
    names = [(n or "").strip() for n, _w in data.criteria]
    if not data.criteria:
        raise RuleViolation(_l("请至少设置一项评分标准。"), field="criteria")
    if any(not n or len(n) > 32 for n in names) or len(set(names)) != len(names):
        raise RuleViolation(_l("评分标准的名称不能为空、不能重复，且不超过 32 字。"), field="criteria")
    weights = [w for _n, w in data.criteria]
    if any(w is None or not 1 <= w <= 100 for w in weights):
        raise RuleViolation(_l("每项权重应为 1 到 100 之间的整数。"), field="criteria")
    if sum(weights) != 100:
        raise RuleViolation(_l("各项权重之和应为 100，现在是 %(sum)d。", sum=sum(weights)), field="criteria")


def _apply_campaign(campaign: Campaign, data: CampaignData) -> None:
    for attr in ("submission_opens_at", "submission_closes_at", "judging_opens_at", "judging_closes_at",
                 "min_judges", "blind_review", "quota_first", "quota_second", "quota_third", "pass_mark"):
        setattr(campaign, attr, getattr(data, attr))
    campaign.name = data.name.strip()
    campaign.description = (data.description or "").strip() or None


def create_campaign(actor, data: CampaignData) -> Campaign:
    """Admins create a campaign with its rubric (weights summing to 100)."""
    _require_admin(actor, _l("只有总工会管理员可以创建活动。"))
    _check_campaign(data, None)
    campaign = Campaign(created_by_id=actor.id, status=CAMPAIGN_ACTIVE, locked=False)
    _apply_campaign(campaign, data)
    campaign.criteria = [RubricCriterion(name=n.strip(), weight=w, position=i)
                         for i, (n, w) in enumerate(data.criteria)]
    db.session.add(campaign)
    db.session.flush()
    audit.record("proposals.campaign_created", actor=actor, obj=campaign, name=campaign.name,
                 criteria=data.criteria)
    return campaign


def update_campaign(actor, campaign: Campaign, data: CampaignData) -> Campaign:
    """Admins edit a campaign until its results are published; the rubric is fixed once marks exist."""
    _require_admin(actor, _l("只有总工会管理员可以修改活动。"))
    if campaign.status != CAMPAIGN_ACTIVE:
        raise RuleViolation(_l("结果已公示的活动不能再修改。"))
    _check_campaign(data, campaign)
    old_rubric = [(c.name, c.weight) for c in campaign.criteria]
    new_rubric = [(n.strip(), w) for n, w in data.criteria]
    if old_rubric != new_rubric:
        marked = db.session.scalar(select(func.count(Mark.id)).join(RubricCriterion).where(
            RubricCriterion.campaign_id == campaign.id))
        if marked:
            raise RuleViolation(_l("评委已经开始打分，评分标准不能再修改。"), field="criteria")
        campaign.criteria.clear()
        db.session.flush()
        campaign.criteria.extend(RubricCriterion(name=n, weight=w, position=i)
                                 for i, (n, w) in enumerate(new_rubric))
    old = {"name": campaign.name, "judging_closes_at": campaign.judging_closes_at.isoformat()}
    _apply_campaign(campaign, data)
    db.session.flush()
    audit.record("proposals.campaign_updated", actor=actor, obj=campaign, old=old,
                 new={"name": campaign.name, "judging_closes_at": campaign.judging_closes_at.isoformat()},
                 old_rubric=old_rubric, new_rubric=new_rubric)
    return campaign


def get_campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(_l("找不到这个活动。"))
    return campaign


def campaigns_query(status: str | None = None):
    stmt = select(Campaign).order_by(Campaign.submission_opens_at.desc(), Campaign.id.desc())
    if status:
        stmt = stmt.where(Campaign.status == status)
    return stmt


def all_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.id.desc())))


def open_campaigns() -> list[Campaign]:
    """Campaigns a worker can write drafts for now."""
    now = clock.now()
    return list(db.session.scalars(select(Campaign).where(
        Campaign.status == CAMPAIGN_ACTIVE, Campaign.submission_closes_at > now,
    ).order_by(Campaign.submission_closes_at)))


def published_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).where(
        Campaign.status.in_((CAMPAIGN_PUBLISHED, CAMPAIGN_FINAL))).order_by(Campaign.id.desc())))


# --- visibility -----------------------------------------------------------------------------


def _author_clause(user_id: int):
    return exists().where(ProposalAuthor.proposal_id == Proposal.id, ProposalAuthor.user_id == user_id)


def not_conflicted_clause(judge):
    """SQL: the proposal is neither of the judge's enterprise nor (co-)authored by the judge."""
    clause = ~_author_clause(judge.id)
    if judge.enterprise_id is not None:
        clause = and_(clause, Proposal.enterprise_id != judge.enterprise_id)
    return clause


def visible_clause(actor):
    """SQL condition for the proposals `actor` may open (see module docstring)."""
    if actor is None or not actor.is_authenticated:
        return false()
    if policy.is_admin(actor):
        return true()
    published = and_(
        Proposal.status.in_(RANKED_STATUSES),
        Proposal.campaign_id.in_(select(Campaign.id).where(Campaign.status.in_((CAMPAIGN_PUBLISHED, CAMPAIGN_FINAL)))),
    )
    options = [published, _author_clause(actor.id)]
    if policy.is_hr(actor):
        options.append(and_(Proposal.enterprise_id == actor.enterprise_id, Proposal.status != DRAFT))
    if actor.has_role(Role.JUDGE):
        assigned = exists().where(JudgeAssignment.proposal_id == Proposal.id, JudgeAssignment.judge_id == actor.id)
        options.append(and_(assigned, not_conflicted_clause(actor)))
    return or_(*options)


def get_proposal(actor, proposal_id: int) -> Proposal:
    """The proposal if `actor` may see it, else NotFound (404 also for other enterprises)."""
    proposal = db.session.scalar(
        select(Proposal).where(Proposal.id == proposal_id, visible_clause(actor)).options(
            db.selectinload(Proposal.authors).joinedload(ProposalAuthor.user),
            db.selectinload(Proposal.attachments),
            db.joinedload(Proposal.campaign), db.joinedload(Proposal.enterprise),
        )
    )
    if proposal is None:
        raise NotFound(_l("找不到这个提案。"))
    return proposal


def is_author(user, proposal: Proposal) -> bool:
    return any(a.user_id == user.id for a in proposal.authors)


def is_proposer(user, proposal: Proposal) -> bool:
    return user is not None and proposal.proposer_id == user.id


def is_screener(user, proposal: Proposal) -> bool:
    return policy.is_hr(user) and user.enterprise_id == proposal.enterprise_id


def can_edit(user, proposal: Proposal) -> bool:
    return is_proposer(user, proposal) and proposal.status in (DRAFT, RETURNED) and drafts_allowed(proposal.campaign)


def can_withdraw(user, proposal: Proposal) -> bool:
    return is_proposer(user, proposal) and (proposal.status, WITHDRAWN) in TRANSITIONS


def can_see_identity(user, proposal: Proposal) -> bool:
    """Authors and enterprise are hidden from judges when the campaign is blind (and results unpublished)."""
    if policy.is_admin(user) or is_screener(user, proposal) or is_author(user, proposal):
        return True
    return not proposal.campaign.blind_review or is_published(proposal.campaign)


# --- writing proposals ----------------------------------------------------------------------


@dataclass
class ProposalData:
    kind: str = ""
    title: str = ""
    problem: str = ""
    solution: str = ""
    expected_benefit: str = ""
    estimated_savings: Decimal | None = None
    calc_quantity_before: Decimal | None = None
    calc_quantity_after: Decimal | None = None
    calc_unit_price: Decimal | None = None
    calc_annual_output: Decimal | None = None
    calc_implementation_cost: Decimal | None = None
    proposer_share: int | None = 100
    coauthors: list[tuple[int, int | None]] = field(default_factory=list)
    files: list = field(default_factory=list)


CALC_FIELDS = ("calc_quantity_before", "calc_quantity_after", "calc_unit_price", "calc_annual_output",
               "calc_implementation_cost")


def calculate_savings(quantity_before, quantity_after, unit_price, annual_output, implementation_cost) -> Decimal:
    """Annual net saving: (quantity before - quantity after) x unit price x annual output - cost, in yuan."""
    values = [Decimal(v) if not isinstance(v, Decimal) else v
              for v in (quantity_before, quantity_after, unit_price, annual_output, implementation_cost)]
    before, after, price, output, cost = values
    return ((before - after) * price * output - cost).quantize(Decimal("0.01"))


def _as_decimal(value, field_name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise RuleViolation(_l("请填写数字。"), field=field_name) from None
    if not number.is_finite():
        raise RuleViolation(_l("请填写数字。"), field=field_name)
    return number


def _resolve_savings(data: ProposalData) -> Decimal | None:
    calc = {name: _as_decimal(getattr(data, name), name) for name in CALC_FIELDS}
    given = [name for name, value in calc.items() if value is not None]
    if given and len(given) != len(CALC_FIELDS):
        missing = next(name for name in CALC_FIELDS if calc[name] is None)
        raise RuleViolation(_l("使用测算时请填写全部五项：改进前后用量、单价、年产量和实施成本。"), field=missing)
    for name, value in calc.items():
        if value is not None and (value < 0 or value > MAX_SAVINGS):
            raise RuleViolation(_l("测算数据应为 0 到 1 亿之间的数。"), field=name)
    for name, value in calc.items():
        setattr(data, name, value)
    if given:
        savings = calculate_savings(*(calc[name] for name in CALC_FIELDS))
        if savings < 0:
            raise RuleViolation(_l("按测算数据算出的年节约额为负数（%(value)s 元），请检查。", value=savings),
                                field="estimated_savings")
    else:
        savings = _as_decimal(data.estimated_savings, "estimated_savings")
    if savings is None:
        return None
    if savings < 0:
        raise RuleViolation(_l("预计年节约额不能为负数。"), field="estimated_savings")
    if savings > MAX_SAVINGS:
        raise RuleViolation(_l("预计年节约额超过 1 亿元，请核实。"), field="estimated_savings")
    return savings.quantize(Decimal("0.01"))


def _check_text(data: ProposalData) -> None:
    if data.kind not in KIND_LABELS:
        raise RuleViolation(_l("请选择提案类别。"), field="kind")
    data.title = re.sub(r"\s+", " ", data.title or "").strip()
    if len(data.title) < 4 or len(data.title) > 100:
        raise RuleViolation(_l("标题应为 4 到 100 字。"), field="title")
    for name in ("problem", "solution", "expected_benefit"):
        value = (getattr(data, name) or "").strip()
        if len(value) > MAX_TEXT:
            raise RuleViolation(_l("内容不能超过 %(n)d 字。", n=MAX_TEXT), field=name)
        setattr(data, name, value)


def _check_authors(actor, data: ProposalData) -> list[tuple[User, int]]:
    rows = [(uid, share) for uid, share in data.coauthors if uid]
    ids = [uid for uid, _s in rows]
    if len(set(ids)) != len(ids) or actor.id in ids:
        raise RuleViolation(_l("合作者不能重复，也不能是提案人本人。"), field="coauthors")
    shares = [data.proposer_share] + [share for _uid, share in rows]
    if any(s is None or not 1 <= s <= 100 for s in shares):
        raise RuleViolation(_l("每位作者的贡献比例应为 1 到 100 之间的整数。"), field="coauthors")
    if sum(shares) != 100:
        raise RuleViolation(_l("所有作者的贡献比例之和应为 100%%，现在是 %(sum)d%%。", sum=sum(shares)),
                            field="coauthors")
    people = {}
    if ids:
        people = {u.id: u for u in db.session.scalars(
            select(User).where(User.id.in_(ids), User.is_active, User.enterprise_id == actor.enterprise_id,
                               exists().where(UserRole.user_id == User.id, UserRole.role == Role.WORKER.value)))}
    if set(people) != set(ids):
        raise RuleViolation(_l("合作者只能是本企业在职的职工。"), field="coauthors")
    return [(actor, data.proposer_share)] + [(people[uid], share) for uid, share in rows]


def _attach(actor, proposal: Proposal, files) -> list[ProposalAttachment]:
    files = [f for f in files or [] if f is not None and getattr(f, "filename", "")]
    if len(proposal.attachments) + len(files) > MAX_ATTACHMENTS:
        raise RuleViolation(_l("每件提案最多 %(n)d 个附件。", n=MAX_ATTACHMENTS), field="files")
    added = []
    for file_storage in files:
        stored = uploads.save_upload(actor, file_storage, allowed=ATTACHMENT_KINDS, field="files")
        attachment = ProposalAttachment(file=stored)
        proposal.attachments.append(attachment)
        added.append(attachment)
    return added


def _check_writer(actor) -> None:
    if actor is None or not actor.has_role(Role.WORKER) or actor.enterprise_id is None:
        raise NotAllowed(_l("只有企业职工可以提交五小提案。"))


def _apply_proposal(actor, proposal: Proposal, data: ProposalData) -> None:
    _check_text(data)
    savings = _resolve_savings(data)
    authors = _check_authors(actor, data)
    proposal.kind = data.kind
    proposal.title = data.title
    proposal.problem = data.problem
    proposal.solution = data.solution
    proposal.expected_benefit = data.expected_benefit
    proposal.estimated_savings = savings
    for name in CALC_FIELDS:
        setattr(proposal, name, getattr(data, name))
    existing = {a.user_id: a for a in proposal.authors}
    keep = []
    for position, (person, share) in enumerate(authors):
        row = existing.get(person.id) or ProposalAuthor(user_id=person.id)
        row.share = share
        row.position = position
        keep.append(row)
    proposal.authors[:] = keep


def create_proposal(actor, campaign: Campaign, data: ProposalData) -> Proposal:
    """A worker starts a draft in a campaign that still accepts submissions."""
    _check_writer(actor)
    if not drafts_allowed(campaign):
        raise RuleViolation(_l("这个活动已截止征集。"))
    proposal = Proposal(campaign=campaign, enterprise_id=actor.enterprise_id, proposer_id=actor.id, status=DRAFT)
    _apply_proposal(actor, proposal, data)
    db.session.add(proposal)
    db.session.flush()
    db.session.add(ProposalStatusChange(proposal=proposal, from_status=None, to_status=DRAFT, actor_id=actor.id,
                                        at=clock.now()))
    audit.record("proposals.status", actor=actor, obj=proposal, old=None, new=DRAFT)
    _attach(actor, proposal, data.files)
    db.session.flush()
    return proposal


def update_proposal(actor, proposal: Proposal, data: ProposalData) -> Proposal:
    """The proposer edits a draft or a proposal returned for revision, before the window closes."""
    if not is_proposer(actor, proposal):
        raise NotFound(_l("找不到这个提案。"))
    if proposal.status not in (DRAFT, RETURNED):
        raise RuleViolation(_l("提案当前状态为“%(current)s”，不能修改。", current=status_name(proposal.status)))
    if not drafts_allowed(proposal.campaign):
        raise RuleViolation(_l("这个活动已截止征集，不能再修改。"))
    _apply_proposal(actor, proposal, data)
    _attach(actor, proposal, data.files)
    db.session.flush()
    audit.record("proposals.edited", actor=actor, obj=proposal, title=proposal.title)
    return proposal


def add_attachments(actor, proposal: Proposal, files) -> list[ProposalAttachment]:
    """The proposer adds files while the proposal can be edited."""
    if not can_edit(actor, proposal):
        raise RuleViolation(_l("现在不能修改这件提案的附件。"), field="files")
    if not [f for f in files or [] if getattr(f, "filename", "")]:
        raise RuleViolation(_l("请选择要上传的文件。"), field="files")
    added = _attach(actor, proposal, files)
    db.session.flush()
    audit.record("proposals.attached", actor=actor, obj=proposal, files=[a.file.original_name for a in added])
    return added


def remove_attachment(actor, proposal: Proposal, attachment_id: int) -> None:
    if not can_edit(actor, proposal):
        raise RuleViolation(_l("现在不能修改这件提案的附件。"))
    attachment = next((a for a in proposal.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise NotFound(_l("找不到这个附件。"))
    proposal.attachments.remove(attachment)
    audit.record("proposals.attachment_removed", actor=actor, obj=proposal, file=attachment.file.original_name)


def get_attachment(actor, proposal_id: int, attachment_id: int):
    """The stored file of an attachment, for someone who may see the proposal."""
    proposal = get_proposal(actor, proposal_id)
    attachment = next((a for a in proposal.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise NotFound(_l("找不到这个附件。"))
    return attachment.file


def submit_proposal(actor, proposal: Proposal, pledge: bool) -> Proposal:
    """The proposer submits (or resubmits) with the authenticity pledge while the window is open."""
    if not is_proposer(actor, proposal):
        raise NotFound(_l("找不到这个提案。"))
    if not submission_open(proposal.campaign):
        raise RuleViolation(_l("不在征集时间内，不能提交。"))
    if not pledge:
        raise RuleViolation(_l("提交前请确认真实性承诺。"), field="pledge")
    missing = [label for name, label in (("problem", _l("现状问题")), ("solution", _l("改进措施")),
                                         ("expected_benefit", _l("预期效益")))
               if not getattr(proposal, name)]
    if missing or proposal.estimated_savings is None:
        if proposal.estimated_savings is None:
            missing.append(_l("预计年节约额"))
        raise RuleViolation(_l("请先补全：%(items)s。", items="、".join(str(m) for m in missing)))
    transition(proposal, SUBMITTED, actor, "author", note=None)
    now = clock.now()
    proposal.submitted_at = now
    proposal.pledge_confirmed_at = now
    return proposal


def withdraw_proposal(actor, proposal: Proposal, note: str | None = None) -> Proposal:
    """The proposer withdraws before review starts (no judge assigned yet)."""
    if not is_proposer(actor, proposal):
        raise NotFound(_l("找不到这个提案。"))
    transition(proposal, WITHDRAWN, actor, "author", note=(note or "").strip() or None)
    return proposal


# --- screening ------------------------------------------------------------------------------

DECISIONS = {"valid": VALID, "return": RETURNED, "reject": REJECTED}


def screen_proposal(actor, proposal: Proposal, decision: str, reason: str | None, note: str | None) -> Proposal:
    """HR of the proposal's enterprise: valid, returned for revision (with a reason), or rejected
    (with a reason code from domain.md and a note)."""
    if not is_screener(actor, proposal):
        raise NotFound(_l("找不到这个提案。"))
    target = DECISIONS.get(decision)
    if target is None:
        raise RuleViolation(_l("请选择审核结论。"), field="decision")
    note = (note or "").strip() or None
    if note and len(note) > 2000:
        raise RuleViolation(_l("说明不能超过 2000 字。"), field="note")
    if target == RETURNED and not note:
        raise RuleViolation(_l("退回修改时请写明需要修改的地方。"), field="note")
    if target == REJECTED:
        if reason not in SCREENING_REASON_LABELS:
            raise RuleViolation(_l("不通过时请选择原因。"), field="reason")
        if not note:
            raise RuleViolation(_l("不通过时请填写说明。"), field="note")
    else:
        reason = None
    transition(proposal, target, actor, "hr", reason=reason, note=note)
    proposal.screening_reason = reason
    proposal.screening_note = note
    return proposal


def _normal_title(title: str) -> str:
    return re.sub(r"[\W_]+", "", (title or "").lower())


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def titles_similar(a: str, b: str, threshold: float = 0.6) -> bool:
    """Similar titles: equal after normalising, or character-bigram Jaccard similarity >= threshold."""
    na, nb = _normal_title(a), _normal_title(b)
    if not na or not nb:
        return False
    if na == nb or (len(na) >= 4 and (na in nb or nb in na)):
        return True
    ga, gb = _bigrams(na), _bigrams(nb)
    return len(ga & gb) / len(ga | gb) >= threshold


def duplicate_flags(proposals) -> dict[int, list[tuple[int, str]]]:
    """For a page of proposals: other proposals of the same enterprise and campaign with a similar title.

    One query for the whole page (every non-draft, non-withdrawn proposal of the page's
    (enterprise, campaign) pairs), then compared in one pass.
    """
    proposals = list(proposals)
    pairs = {(p.enterprise_id, p.campaign_id) for p in proposals}
    if not pairs:
        return {}
    rows = db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.enterprise_id, Proposal.campaign_id).where(
            or_(*(and_(Proposal.enterprise_id == e, Proposal.campaign_id == c) for e, c in pairs)),
            Proposal.status.not_in((DRAFT, WITHDRAWN)),
        )
    ).all()
    by_pair: dict[tuple[int, int], list] = {}
    for row in rows:
        by_pair.setdefault((row.enterprise_id, row.campaign_id), []).append(row)
    flags = {}
    for p in proposals:
        similar = [(r.id, r.title) for r in by_pair.get((p.enterprise_id, p.campaign_id), [])
                   if r.id != p.id and titles_similar(p.title, r.title)]
        if similar:
            flags[p.id] = similar
    return flags


# --- lists ----------------------------------------------------------------------------------


@dataclass
class ProposalFilters:
    campaign_id: int | None = None
    kind: str | None = None
    status: str | None = None
    enterprise_id: int | None = None
    town_id: int | None = None
    search: str | None = None
    mine: bool = False


def proposals_query(actor, filters: ProposalFilters):
    """The proposals `actor` may list, filtered; newest first; related rows loaded in bulk.

    Workers (and judges) see their own proposals; HR their enterprise's (without others' drafts);
    admins all. Published results are listed on the results page, not here.
    """
    stmt = select(Proposal)
    if policy.is_admin(actor) and not filters.mine:
        pass
    elif policy.is_hr(actor) and not filters.mine:
        stmt = stmt.where(Proposal.enterprise_id == actor.enterprise_id, Proposal.status != DRAFT)
    else:
        stmt = stmt.where(_author_clause(actor.id))
    if filters.campaign_id:
        stmt = stmt.where(Proposal.campaign_id == filters.campaign_id)
    if filters.kind:
        stmt = stmt.where(Proposal.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(Proposal.status == filters.status)
    if filters.enterprise_id and policy.is_admin(actor):
        stmt = stmt.where(Proposal.enterprise_id == filters.enterprise_id)
    if filters.town_id and policy.is_admin(actor):
        in_town = select(Enterprise.id).where(Enterprise.town_id == filters.town_id)
        stmt = stmt.where(Proposal.enterprise_id.in_(in_town))
    if filters.search:
        stmt = stmt.where(Proposal.title.contains(filters.search, autoescape=True))
    return stmt.order_by(Proposal.id.desc()).options(
        db.joinedload(Proposal.campaign), db.joinedload(Proposal.enterprise),
        db.joinedload(Proposal.proposer),
    )


def timeline(proposal: Proposal) -> list[ProposalStatusChange]:
    return list(db.session.scalars(
        select(ProposalStatusChange).where(ProposalStatusChange.proposal_id == proposal.id)
        .order_by(ProposalStatusChange.id).options(db.joinedload(ProposalStatusChange.actor))
    ))


def enterprise_workers(actor) -> list[User]:
    """Possible co-authors: active workers of the actor's enterprise, the actor excluded."""
    if actor.enterprise_id is None:
        return []
    return list(db.session.scalars(
        select(User).where(User.enterprise_id == actor.enterprise_id, User.is_active, User.id != actor.id,
                           exists().where(UserRole.user_id == User.id, UserRole.role == Role.WORKER.value))
        .order_by(User.employee_no, User.id)
    ))


# --- adoption and realised savings ----------------------------------------------------------


def adopt_proposal(actor, proposal: Proposal, note: str | None = None) -> Proposal:
    """HR of the enterprise adopts a judged proposal once the campaign's results are published."""
    if not is_screener(actor, proposal):
        raise NotFound(_l("找不到这个提案。"))
    if not is_published(proposal.campaign):
        raise RuleViolation(_l("评审结果公布后才能采纳。"))
    transition(proposal, ADOPTED, actor, "hr", note=(note or "").strip() or None)
    return proposal


def record_implementation(actor, proposal: Proposal, amount, note: str, finance_file) -> RealisedSaving:
    """HR records the implementation with the realised annual saving, a note and finance's confirmation."""
    if not is_screener(actor, proposal):
        raise NotFound(_l("找不到这个提案。"))
    value = _as_decimal(amount, "amount")
    if value is None:
        raise RuleViolation(_l("请填写实际年节约额。"), field="amount")
    if value < 0 or value > MAX_SAVINGS:
        raise RuleViolation(_l("实际年节约额应在 0 到 1 亿元之间。"), field="amount")
    note = (note or "").strip()
    if not note:
        raise RuleViolation(_l("请说明实施情况和节约额的计算依据。"), field="note")
    check_transition(proposal, IMPLEMENTED, "hr")
    stored = uploads.save_upload(actor, finance_file, allowed=FINANCE_FILE_KINDS, field="finance_file")
    saving = RealisedSaving(proposal=proposal, amount=value.quantize(Decimal("0.01")), note=note,
                            finance_file=stored, entered_by_id=actor.id, entered_at=clock.now())
    db.session.add(saving)
    transition(proposal, IMPLEMENTED, actor, "hr", note=note)
    audit.record("proposals.saving_entered", actor=actor, obj=proposal, amount=saving.amount)
    db.session.flush()
    return saving


def verify_saving(actor, proposal: Proposal) -> RealisedSaving:
    """The union admin verifies a realised saving entered by HR (once)."""
    _require_admin(actor, _l("只有总工会管理员可以核实节约额。"))
    saving = proposal.saving
    if saving is None:
        raise RuleViolation(_l("这件提案还没有登记实际节约额。"))
    if saving.verified_at is not None:
        raise RuleViolation(_l("节约额已经核实过了。"))
    saving.verified_by_id = actor.id
    saving.verified_at = clock.now()
    audit.record("proposals.saving_verified", actor=actor, obj=proposal, amount=saving.amount)
    return saving


def finance_file(actor, proposal_id: int):
    """Finance's confirmation: seen by admins and the enterprise's HR only."""
    proposal = get_proposal(actor, proposal_id)
    if not (policy.is_admin(actor) or is_screener(actor, proposal)) or proposal.saving is None:
        raise NotFound(_l("找不到这个文件。"))
    return proposal.saving.finance_file


def savings_totals(actor, campaign: Campaign) -> list:
    """Per enterprise of a campaign: valid proposals, estimated savings and verified realised savings.

    One GROUP BY query; HR see their own enterprise only.
    """
    verified = case((RealisedSaving.verified_at.is_not(None), RealisedSaving.amount), else_=None)
    stmt = (
        select(
            Enterprise.id.label("enterprise_id"), Enterprise.name.label("enterprise"),
            func.count(Proposal.id).label("valid"),
            func.coalesce(func.sum(Proposal.estimated_savings), 0).label("estimated"),
            func.coalesce(func.sum(RealisedSaving.amount), 0).label("entered"),
            func.coalesce(func.sum(verified), 0).label("verified"),
        )
        .join(Enterprise, Enterprise.id == Proposal.enterprise_id)
        .outerjoin(RealisedSaving, RealisedSaving.proposal_id == Proposal.id)
        .where(Proposal.campaign_id == campaign.id, Proposal.status.in_(VALID_STATUSES))
        .group_by(Enterprise.id, Enterprise.name)
        .order_by(func.coalesce(func.sum(verified), 0).desc(), Enterprise.name)
    )
    if not policy.is_admin(actor):
        if not policy.is_hr(actor):
            raise NotAllowed(_l("没有权限查看。"))
        stmt = stmt.where(Proposal.enterprise_id == actor.enterprise_id)
    return db.session.execute(stmt).all()


def pending_verifications(campaign: Campaign) -> list[Proposal]:
    return list(db.session.scalars(
        select(Proposal).join(RealisedSaving).where(Proposal.campaign_id == campaign.id,
                                                     RealisedSaving.verified_at.is_(None))
        .options(db.joinedload(Proposal.enterprise), db.joinedload(Proposal.saving)).order_by(Proposal.id)
    ))
