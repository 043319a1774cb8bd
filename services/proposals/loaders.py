"""Loading a proposal for someone: the one loader of a proposal shown in full, with the visibility rule of
services.proposals.policy (NotFound, 404, for a proposal the reader may not see, also another enterprise's).

- detail_options: the loader options of a proposal shown in full, in a fixed number of statements.
- get_proposal / get_own_proposal / get_screened_proposal: the proposal if the reader may see it (and is its
  proposer / its screener), else NotFound. For an admin and a reader who manages nothing the statement is
  kept (core.statements), the reader's id and enterprise as bind parameters.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import bindparam, select, true
from sqlalchemy.orm import defer, lazyload

from core.statements import shared_statement
from models import Enterprise, StoredFile, User, db
from models.proposals import Campaign, Proposal, ProposalAttachment, ProposalAuthor, RealisedSaving
from services import policy as union_policy
from services.proposals import policy as proposals_policy


def detail_options(for_page: bool = False, *, names: bool = False) -> tuple:
    """Loader options of a proposal shown in full (authors, attachments, campaign, enterprise; fixed queries).
    `names` (scoring page): authors' names only. `for_page` (its page): names, the saving's verifier, the
    campaign without rubric, the authors and attachments (a few each) joined into the proposal's statement
    (get_proposal makes rows unique)."""
    collection = db.joinedload if for_page else db.selectinload
    author = collection(Proposal.authors).joinedload(ProposalAuthor.user)
    author = author.load_only(User.name).lazyload(User.role_rows) if names or for_page else author
    if not for_page:
        return author, db.joinedload(Proposal.campaign), collection(Proposal.attachments), db.joinedload(
            Proposal.enterprise)
    checker = db.joinedload(Proposal.saving).joinedload(RealisedSaving.verified_by).load_only(User.name)
    # the page's columns only of the campaign, the enterprise and the files (any other loads when read)
    campaign = db.joinedload(Proposal.campaign).options(*map(defer, PAGE_UNREAD_CAMPAIGN), lazyload(Campaign.criteria))
    files = db.joinedload(Proposal.attachments).joinedload(ProposalAttachment.file).load_only(
        StoredFile.original_name, StoredFile.size)
    enterprise = db.joinedload(Proposal.enterprise).load_only(Enterprise.name, Enterprise.town_id)
    return author, campaign, files, enterprise, checker.lazyload(User.role_rows)


# A campaign's columns its proposals' page does not read (the texts, rewards and quotas of its results page,
# the ranking's version, who made it and when): left out of the page's statement.
PAGE_UNREAD_CAMPAIGN = (Campaign.description, Campaign.reward_first, Campaign.reward_second, Campaign.reward_third,
                        Campaign.reward_honourable, Campaign.quota_first, Campaign.quota_second,
                        Campaign.quota_third, Campaign.pass_mark, Campaign.ranking_version, Campaign.created_by_id,
                        Campaign.created_at, Campaign.updated_at)


class Viewer(NamedTuple):
    """The reader's values a kept statement takes as bind parameters (id, enterprise_id)."""

    id: object
    enterprise_id: object


def get_proposal(actor, proposal_id: int, *, for_page: bool = False) -> Proposal:
    """The proposal if `actor` may see it (visible_clause), loaded with detail_options(for_page); else
    NotFound (404, also for another enterprise's). For an admin and a reader who manages nothing the
    statement is kept (core.statements.shared_statement; the reader's id and enterprise bind parameters)."""
    scope = union_policy.management_scope(actor) if actor is not None and actor.is_authenticated else None
    if scope is not None and scope.kind in (union_policy.CITY, union_policy.NOBODY):
        has_enterprise = actor.enterprise_id is not None
        viewer = Viewer(bindparam("viewer_id"), bindparam("viewer_enterprise_id") if has_enterprise else None)

        def build():
            seen = true() if scope.kind == union_policy.CITY else proposals_policy.scoped_visible_clause(viewer, scope)
            return select(Proposal).where(Proposal.id == bindparam("proposal_id"), seen).options(
                *detail_options(for_page))

        stmt = shared_statement(("proposals.get_proposal", for_page, scope.kind, has_enterprise), build)
        params = {"proposal_id": proposal_id, "viewer_id": actor.id, "viewer_enterprise_id": actor.enterprise_id}
    else:
        stmt = select(Proposal).where(Proposal.id == proposal_id, proposals_policy.visible_clause(actor)).options(
            *detail_options(for_page))
        params = {}
    proposal = db.session.execute(stmt, params).unique().scalar_one_or_none()
    if proposal is None:
        proposals_policy.proposal_not_found()
    return proposal


def get_own_proposal(actor, proposal_id: int) -> Proposal:
    """The proposal if `actor` is its proposer, else NotFound."""
    proposal = get_proposal(actor, proposal_id)
    proposals_policy.require_proposer(actor, proposal)
    return proposal


def get_screened_proposal(actor, proposal_id: int) -> Proposal:
    """The proposal if `actor` is HR of its enterprise (its screener), else NotFound."""
    proposal = get_proposal(actor, proposal_id)
    proposals_policy.require_screener(actor, proposal)
    return proposal
