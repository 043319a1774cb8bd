"""Writing a proposal: drafts, co-authors and their shares, attachments, submitting and withdrawing.

Rules (docs/domain.md, "Five Small proposals": life cycle, pledge and shares, and "Rules shared by
every part": uploads):
- A worker writes proposals for their own enterprise while the campaign accepts drafts (until its
  submission window closes), in a campaign open to them (services.proposals.policy.can_write_in: the
  city's, their town's, their own enterprise's); the proposer edits a draft or a proposal returned for revision.
- A kind from KIND_LABELS; a title of 4-100 characters; each text at most MAX_TEXT characters; the
  estimated saving as services.proposals.savings.resolve_estimate checks it.
- Co-authors are active workers of the proposer's enterprise, each once and never the proposer; every
  author's share is an integer 1-100 and the shares (proposer included) sum to 100.
- Attachments are photos, drawings or PDF, checked by content (services.common.uploads), at most
  10 MB each and MAX_ATTACHMENTS per proposal.
- Submission needs the open submission window (checked at that moment), the authenticity pledge and
  a complete proposal (problem, solution, expected benefit, estimated saving).
- The proposer withdraws while TRANSITIONS allows it (after submitting, before review starts); a
  draft was never submitted, so it is not withdrawn but deleted by its proposer (with its co-authors
  and attachments): a draft can be edited, submitted or deleted.
- Resubmitting or withdrawing a proposal returned for revision deals with the return: every author's
  退回 message of it is marked read (services.proposals.events.revision_done).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import exists, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Role, User, UserRole, db
from models.proposals import (
    DRAFT,
    KIND_LABELS,
    RETURNED,
    SUBMITTED,
    WITHDRAWN,
    Campaign,
    Proposal,
    ProposalAttachment,
    ProposalAuthor,
)
from services.common import audit, uploads
from services.errors import NotFound, RuleViolation
from services.proposals import events
from services.proposals import loaders as proposal_loaders
from services.proposals import policy as proposals_policy
from services.proposals.lifecycle import drafts_allowed, record_start, status_name, submission_open, transition
from services.proposals.savings import CALC_FIELDS, resolve_estimate

MAX_TEXT = 5000
MAX_ATTACHMENTS = 10
ATTACHMENT_KINDS = ("image", "pdf", "drawing")


@dataclass
class ProposalData:
    """What a worker enters for a proposal. Money and calculator inputs are Decimals or typed strings
    (parsed by the service); shares are integer percents; `coauthors` is a list of (user id, share);
    `files` uploaded files (werkzeug FileStorage)."""

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
    """The authors in order (the proposer first) with their shares, after the module's co-author rules."""
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
        people = {u.id: u for u in db.session.scalars(_colleagues_stmt(actor).where(User.id.in_(ids)))}
    if set(people) != set(ids):
        raise RuleViolation(_l("合作者只能是本企业在职的职工。"), field="coauthors")
    return [(actor, data.proposer_share)] + [(people[uid], share) for uid, share in rows]


def _colleagues_stmt(actor):
    """Active workers of the actor's own enterprise (the possible co-authors, the actor included)."""
    return select(User).where(User.is_active, User.enterprise_id == actor.enterprise_id,
                              exists().where(UserRole.user_id == User.id, UserRole.role == Role.WORKER.value))


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


def _apply_proposal(actor, proposal: Proposal, data: ProposalData) -> None:
    _check_text(data)
    savings = resolve_estimate(data)
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
    """A worker starts a draft in a campaign that still accepts drafts (see the module rules).

    NotAllowed for anyone but a worker of an enterprise; NotFound for a campaign not open to them
    (another enterprise's); RuleViolation (on the form field) otherwise.
    """
    proposals_policy.require_writer_in(actor, campaign)
    if not drafts_allowed(campaign):
        raise RuleViolation(_l("这个活动已截止征集。"))
    proposal = Proposal(campaign=campaign, enterprise_id=actor.enterprise_id, proposer_id=actor.id, status=DRAFT)
    _apply_proposal(actor, proposal, data)
    db.session.add(proposal)
    db.session.flush()
    record_start(proposal, actor)
    _attach(actor, proposal, data.files)
    db.session.flush()
    return proposal


def update_proposal(actor, proposal: Proposal, data: ProposalData) -> Proposal:
    """The proposer edits a draft or a proposal returned for revision, before the submission window closes.

    NotFound for anyone but the proposer; RuleViolation for another status, a closed window or bad data.
    """
    proposals_policy.require_proposer(actor, proposal)
    if proposal.status not in proposals_policy.EDITABLE_STATUSES:
        raise RuleViolation(_l("提案当前状态为“%(current)s”，不能修改。", current=status_name(proposal.status)))
    if not drafts_allowed(proposal.campaign):
        raise RuleViolation(_l("这个活动已截止征集，不能再修改。"))
    _apply_proposal(actor, proposal, data)
    _attach(actor, proposal, data.files)
    db.session.flush()
    audit.record("proposals.edited", actor=actor, obj=proposal, title=proposal.title)
    return proposal


# --- attachments ----------------------------------------------------------------------------


def _require_attachments_editable(actor, proposal: Proposal, field: str | None = None) -> None:
    if not proposals_policy.can_edit(actor, proposal):
        raise RuleViolation(_l("现在不能修改这件提案的附件。"), field=field)


def _attachment_of(proposal: Proposal, attachment_id: int) -> ProposalAttachment:
    attachment = next((a for a in proposal.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise NotFound(_l("找不到这个附件。"))
    return attachment


def add_attachments(actor, proposal: Proposal, files) -> list[ProposalAttachment]:
    """The proposer adds files (uploaded FileStorage objects) while the proposal can be edited.

    RuleViolation on "files" when it cannot be edited, no file was chosen, or a file is refused.
    """
    _require_attachments_editable(actor, proposal, field="files")
    added = _attach(actor, proposal, uploads.chosen_files(files, field="files"))
    db.session.flush()
    audit.record("proposals.attached", actor=actor, obj=proposal, files=[a.file.original_name for a in added])
    return added


def remove_attachment(actor, proposal: Proposal, attachment_id: int) -> None:
    """The proposer removes an attachment while the proposal can be edited (NotFound for another's)."""
    _require_attachments_editable(actor, proposal)
    attachment = _attachment_of(proposal, attachment_id)
    proposal.attachments.remove(attachment)
    audit.record("proposals.attachment_removed", actor=actor, obj=proposal, file=attachment.file.original_name)


def get_attachment(actor, proposal_id: int, attachment_id: int):
    """The stored file of an attachment, for someone who may see the proposal (else NotFound)."""
    return _attachment_of(proposal_loaders.get_proposal(actor, proposal_id), attachment_id).file


# --- submitting and withdrawing -------------------------------------------------------------


def _missing_parts(proposal: Proposal) -> list:
    """Labels of what a proposal still lacks before it can be submitted."""
    missing = [label for name, label in (("problem", _l("现状问题")), ("solution", _l("改进措施")),
                                         ("expected_benefit", _l("预期效益")))
               if not getattr(proposal, name)]
    if proposal.estimated_savings is None:
        missing.append(_l("预计年节约额"))
    return missing


def submit_proposal(actor, proposal: Proposal, pledge: bool) -> Proposal:
    """The proposer submits (or resubmits) with the authenticity pledge while the window is open.

    NotFound for anyone but the proposer; RuleViolation outside the window, without the pledge, for an
    incomplete proposal or a status TRANSITIONS does not allow.
    """
    proposals_policy.require_proposer(actor, proposal)
    if not submission_open(proposal.campaign):
        raise RuleViolation(_l("不在征集时间内，不能提交。"))
    if not pledge:
        raise RuleViolation(_l("提交前请确认真实性承诺。"), field="pledge")
    missing = _missing_parts(proposal)
    if missing:
        raise RuleViolation(_l("请先补全：%(items)s。", items="、".join(str(m) for m in missing)))
    was_returned = proposal.status == RETURNED
    transition(proposal, SUBMITTED, actor, "author", note=None)
    if was_returned:
        events.revision_done(proposal)
    now = clock.now()
    proposal.submitted_at = now
    proposal.pledge_confirmed_at = now
    return proposal


def withdraw_proposal(actor, proposal: Proposal, note: str | None = None) -> Proposal:
    """The proposer withdraws before review starts (no judge assigned yet), with an optional note.

    NotFound for anyone but the proposer; RuleViolation from a status TRANSITIONS does not allow.
    """
    proposals_policy.require_proposer(actor, proposal)
    was_returned = proposal.status == RETURNED
    transition(proposal, WITHDRAWN, actor, "author", note=(note or "").strip() or None)
    if was_returned:
        events.revision_done(proposal)
    return proposal


def delete_draft(actor, proposal: Proposal) -> None:
    """The proposer deletes a draft (never submitted): the proposal, its co-authors, attachments and
    history go (the stored files stay until cleaned). Audited.

    NotFound for anyone but the proposer; RuleViolation for a proposal that is not a draft (a
    submitted one is withdrawn instead, which keeps its history).
    """
    proposals_policy.require_proposer(actor, proposal)
    if proposal.status != DRAFT:
        raise RuleViolation(_l("只有草稿可以删除；已提交的提案请撤回。"))
    audit.record("proposals.delete_draft", actor=actor, obj=proposal, old=DRAFT, new=None)
    db.session.delete(proposal)
    db.session.flush()
