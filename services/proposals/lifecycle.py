"""The life cycle of a proposal and the time windows of a campaign.

Rules (docs/domain.md, "Five Small proposals": the life cycle):
- Every status change follows TRANSITIONS and is made by the role named there; an illegal change is
  refused (RuleViolation) and changes nothing.
- Every change leaves a timeline row (from, to, who, when, why) and an audit record.
- A campaign accepts drafts until its submission window closes, submissions inside that window, and
  marks inside its judging window unless the admin locked it or results were published.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.proposals import (
    ADOPTED,
    AWARDED,
    CAMPAIGN_ACTIVE,
    CAMPAIGN_FINAL,
    CAMPAIGN_PUBLISHED,
    DRAFT,
    IMPLEMENTED,
    PROPOSAL_STATUS_LABELS,
    REJECTED,
    RETURNED,
    SCORED,
    SUBMITTED,
    UNDER_REVIEW,
    VALID,
    WITHDRAWN,
    Campaign,
    Proposal,
    ProposalStatusChange,
)
from services.common import audit
from services.errors import RuleViolation

# Campaign statuses in which results are public: published (public notice running) or final.
PUBLISHED_STATUSES = (CAMPAIGN_PUBLISHED, CAMPAIGN_FINAL)

# Allowed status changes and who makes them: "author", "hr", "admin" or "system" (a service itself,
# e.g. when judges are assigned or have all submitted).
TRANSITIONS: dict[tuple[str | None, str], str] = {
    (DRAFT, SUBMITTED): "author",
    (RETURNED, SUBMITTED): "author",
    (SUBMITTED, WITHDRAWN): "author",
    (RETURNED, WITHDRAWN): "author",
    (VALID, WITHDRAWN): "author",
    (SUBMITTED, VALID): "hr",
    (SUBMITTED, RETURNED): "hr",
    (SUBMITTED, REJECTED): "hr",
    (VALID, UNDER_REVIEW): "system",
    (UNDER_REVIEW, SCORED): "system",
    (SCORED, UNDER_REVIEW): "system",  # a judge added after the others submitted
    (SCORED, AWARDED): "system",
    (SCORED, ADOPTED): "hr",
    (AWARDED, ADOPTED): "hr",
    (ADOPTED, IMPLEMENTED): "hr",
}


def status_name(status: str | None) -> str:
    """The label of a proposal status code (e.g. "submitted" -> 已提交), "—" for none."""
    return str(PROPOSAL_STATUS_LABELS.get(status, status or "—"))


def check_transition(proposal: Proposal, to: str, role: str) -> None:
    """Refuse a status change that TRANSITIONS does not allow for `role`.

    `to` is a status code, `role` one of "author", "hr", "admin", "system". Raises RuleViolation
    naming the current and the target status.
    """
    if TRANSITIONS.get((proposal.status, to)) != role:
        raise RuleViolation(_l("提案当前状态为“%(current)s”，不能变为“%(target)s”。",
                               current=status_name(proposal.status), target=status_name(to)))


def transition(proposal: Proposal, to: str, actor, role: str, *, reason: str | None = None,
               note: str | None = None) -> ProposalStatusChange:
    """Move a proposal to `to` when TRANSITIONS allows it for `role`; record the timeline row and audit.

    `reason` is a screening reason code, `note` free text shown on the timeline. Raises RuleViolation
    (see check_transition) and then changes nothing.
    """
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


def record_start(proposal: Proposal, actor) -> None:
    """The first timeline row of a new draft (from nothing to draft), with its audit record."""
    db.session.add(ProposalStatusChange(proposal=proposal, from_status=None, to_status=DRAFT, actor_id=actor.id,
                                        at=clock.now()))
    audit.record("proposals.status", actor=actor, obj=proposal, old=None, new=DRAFT)


# --- windows --------------------------------------------------------------------------------


def submission_open(campaign: Campaign, now: datetime | None = None) -> bool:
    """The campaign is active and `now` (default: the clock) lies in its submission window."""
    now = now or clock.now()
    return campaign.status == CAMPAIGN_ACTIVE and campaign.submission_opens_at <= now < campaign.submission_closes_at


def drafts_allowed(campaign: Campaign) -> bool:
    """Drafts may be written and edited in an active campaign until its submission window closes."""
    return campaign.status == CAMPAIGN_ACTIVE and clock.now() < campaign.submission_closes_at


def judging_open(campaign: Campaign) -> bool:
    """The campaign is active, not locked, and now lies in its judging window."""
    now = clock.now()
    return (campaign.status == CAMPAIGN_ACTIVE and not campaign.locked
            and campaign.judging_opens_at <= now < campaign.judging_closes_at)


def judging_frozen(campaign: Campaign) -> bool:
    """Marks are frozen once the judging window closed, the admin locked, or results were published."""
    return campaign.locked or campaign.status != CAMPAIGN_ACTIVE or clock.now() >= campaign.judging_closes_at


def marking_open_clause(now=None):
    """SQL over Campaign: the campaign still takes marks, the negation of judging_frozen (active, not
    locked, judging window not yet closed at `now`: clock.now(), or a bind parameter of a kept
    statement)."""
    return and_(Campaign.status == CAMPAIGN_ACTIVE, Campaign.locked.is_(False),
                Campaign.judging_closes_at > (clock.now() if now is None else now))


def is_published(campaign: Campaign) -> bool:
    """Results are published (public notice running) or final."""
    return campaign.status in PUBLISHED_STATUSES
