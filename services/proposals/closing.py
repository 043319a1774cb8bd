"""Closing a campaign's judging: what locking or publishing would leave out, and the admin's
confirmation of exactly that (issue 12, item 8).

Rule: a campaign is not locked nor published while its submission window is still open or while
submitted proposals wait for their enterprise's screening, unless the admin confirmed the page that
lists exactly what is left out (`left_out`): the submitted, unscreened proposals (each one) and, while
the window is open, the drafts and returned proposals that could still come in. The confirmation
carries the number of unscreened proposals the admin saw; if it changed since, the admin confirms
again. Proposals left out are not judged nor ranked; the audit record of the lock or the publication
keeps how many.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.proposal_tallies import ProposalStatusTally
from models.proposals import DRAFT, RETURNED, SUBMITTED, Campaign, Proposal
from services.errors import RuleViolation

# The page lists up to this many unscreened proposals by name; the count is always the exact total.
LISTED = 500


@dataclass
class LeftOut:
    """What locking or publishing `campaign` now leaves out."""

    window_open: bool
    closes_at: datetime
    unscreened: int
    drafts: int
    listed: list[Proposal] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return self.window_open or self.unscreened > 0


def left_out(campaign: Campaign) -> LeftOut:
    """What locking or publishing would leave out now (counts from the stored tally, one query for the
    listed proposals with their enterprise)."""
    counts = dict(db.session.execute(select(ProposalStatusTally.status, ProposalStatusTally.proposals).where(
        ProposalStatusTally.campaign_id == campaign.id, ProposalStatusTally.status.in_((SUBMITTED, DRAFT, RETURNED))
    )).all())
    unscreened = counts.get(SUBMITTED, 0)
    window_open = clock.now() < campaign.submission_closes_at
    listed = list(db.session.scalars(
        select(Proposal).where(Proposal.campaign_id == campaign.id, Proposal.status == SUBMITTED)
        .options(db.joinedload(Proposal.enterprise)).order_by(Proposal.id).limit(LISTED))) if unscreened else []
    return LeftOut(window_open=window_open, closes_at=campaign.submission_closes_at, unscreened=unscreened,
                   drafts=counts.get(DRAFT, 0) + counts.get(RETURNED, 0) if window_open else 0, listed=listed)


def require_confirmed(campaign: Campaign, confirmed_unscreened: int | None) -> LeftOut:
    """Refuse (RuleViolation) to lock or publish while something would be left out and the admin has not
    confirmed exactly it (`confirmed_unscreened`: the number of unscreened proposals on the page they
    confirmed). Returns what is left out."""
    gaps = left_out(campaign)
    if gaps.any and confirmed_unscreened != gaps.unscreened:
        raise RuleViolation(_l(
            "提交期尚未结束或还有未筛选的提案（现有 %(n)d 件），请在确认页面核对将被排除的提案后再确认。",
            n=gaps.unscreened))
    return gaps
