"""Who may see and do what with a proposal: every per-object rule of the proposals domain.

Rules (docs/domain.md, "The union's tree and the people in it" and "Rules shared by every part":
conflict of interest and blind review):
- Visibility: union admins see every proposal; HR the proposals (drafts aside) of the enterprises they
  manage (services.policy.scope_to); authors their own; an assigned judge the proposals assigned to
  them and free of conflict; everyone logged in the ranked proposals of campaigns whose results are
  published. Anything else is NotFound (404), also a proposal of another enterprise.
- Only workers of an enterprise write proposals; only the proposer edits, submits and withdraws; only
  HR of the proposal's own enterprise screens it, adopts it and records its implementation.
- Conflict of interest: a judge never judges a proposal they (co-)authored nor one of their own
  enterprise.
- Blind review: authors and enterprise are hidden from judges until the results are published.
- Results of a campaign are seen by admins at once, by everyone else once published.

The union-wide helpers (is_admin, is_hr, scope_to, in_scope, require_admin) are services.policy.
"""

from __future__ import annotations

from typing import NoReturn

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, false, or_, select, true

from models import Enterprise, Role, User, db
from models.proposals import (
    DRAFT,
    RANKED_STATUSES,
    RETURNED,
    WITHDRAWN,
    Campaign,
    JudgeAssignment,
    Proposal,
    ProposalAuthor,
)
from services import policy
from services.errors import NotAllowed, NotFound
from services.proposals.lifecycle import PUBLISHED_STATUSES, TRANSITIONS, drafts_allowed, is_published

# Statuses in which the proposer may (re)submit: a draft, or a proposal returned for revision.
EDITABLE_STATUSES = (DRAFT, RETURNED)


def proposal_not_found() -> NoReturn:
    """The one refusal for a proposal out of the actor's reach: NotFound (404), never a hint it exists."""
    raise NotFound(_l("找不到这个提案。"))


# --- SQL conditions -------------------------------------------------------------------------


def author_clause(user_id: int):
    """SQL: the user is an author (proposer or co-author) of the proposal."""
    return exists().where(ProposalAuthor.proposal_id == Proposal.id, ProposalAuthor.user_id == user_id)


def not_conflicted_clause(judge):
    """SQL: the proposal is neither of the judge's enterprise nor (co-)authored by the judge."""
    clause = ~author_clause(judge.id)
    if judge.enterprise_id is not None:
        clause = and_(clause, Proposal.enterprise_id != judge.enterprise_id)
    return clause


def managed_clause(actor):
    """SQL: the proposal's enterprise lies in the part of the union's tree `actor` manages (a town's
    enterprises as of the proposal's `created_at`)."""
    if policy.management_scope(actor).kind == policy.TOWN:
        return policy.scope_condition(actor, Proposal.enterprise_id, at=Proposal.created_at)
    managed = policy.scope_to(select(Enterprise.id).correlate(None), actor, Enterprise.id)
    return Proposal.enterprise_id.in_(managed)


def visible_clause(actor):
    """SQL condition for the proposals `actor` may open (see the module rules)."""
    if actor is None or not actor.is_authenticated:
        return false()
    if policy.is_admin(actor):
        return true()
    published = and_(
        Proposal.status.in_(RANKED_STATUSES),
        Proposal.campaign_id.in_(select(Campaign.id).where(Campaign.status.in_(PUBLISHED_STATUSES))),
    )
    options = [published, author_clause(actor.id)]
    if policy.is_hr(actor) or policy.is_town_officer(actor):
        options.append(and_(managed_clause(actor), Proposal.status != DRAFT))
    if actor.has_role(Role.JUDGE):
        assigned = exists().where(JudgeAssignment.proposal_id == Proposal.id, JudgeAssignment.judge_id == actor.id)
        options.append(and_(assigned, not_conflicted_clause(actor)))
    return or_(*options)


# --- loaders --------------------------------------------------------------------------------


def get_proposal(actor, proposal_id: int) -> Proposal:
    """The proposal if `actor` may see it (visible_clause), authors, attachments, campaign and
    enterprise loaded; else NotFound (404, also for another enterprise's)."""
    proposal = db.session.scalar(
        select(Proposal).where(Proposal.id == proposal_id, visible_clause(actor)).options(
            db.selectinload(Proposal.authors).joinedload(ProposalAuthor.user),
            db.selectinload(Proposal.attachments),
            db.joinedload(Proposal.campaign), db.joinedload(Proposal.enterprise),
        )
    )
    if proposal is None:
        proposal_not_found()
    return proposal


def get_own_proposal(actor, proposal_id: int) -> Proposal:
    """The proposal if `actor` is its proposer, else NotFound."""
    proposal = get_proposal(actor, proposal_id)
    require_proposer(actor, proposal)
    return proposal


def get_screened_proposal(actor, proposal_id: int) -> Proposal:
    """The proposal if `actor` is HR of its enterprise (its screener), else NotFound."""
    proposal = get_proposal(actor, proposal_id)
    require_screener(actor, proposal)
    return proposal


# --- who is who -----------------------------------------------------------------------------


def is_author(user, proposal: Proposal) -> bool:
    """The user is the proposer or a co-author."""
    return any(a.user_id == user.id for a in proposal.authors)


def is_proposer(user, proposal: Proposal) -> bool:
    """The user wrote the proposal (the first author, who alone edits, submits and withdraws it)."""
    return user is not None and proposal.proposer_id == user.id


def is_screener(user, proposal: Proposal) -> bool:
    """The user is HR of the proposal's own enterprise: screening, adoption and implementation are the
    enterprise's acts, so an admin who also holds HR acts so only for their own enterprise."""
    return policy.is_hr(user) and user.enterprise_id == proposal.enterprise_id


def manages(user, proposal: Proposal) -> bool:
    """The proposal lies in the part of the union's tree `user` manages (admins: all; HR: own enterprise;
    a town officer, read-only: the town's, by the proposal's date)."""
    return policy.in_scope(user, proposal.enterprise_id, at=proposal.created_at)


def has_conflict(judge: User, proposal: Proposal, author_ids) -> bool:
    """A judge may not judge a proposal of their own enterprise or one they (co-)authored.

    `author_ids` is the set of the proposal's author user ids (loaded in bulk by the caller).
    """
    return judge.id in author_ids or (judge.enterprise_id is not None and judge.enterprise_id == proposal.enterprise_id)


# --- what may be done -----------------------------------------------------------------------


def can_edit(user, proposal: Proposal) -> bool:
    """The proposer edits a draft or a returned proposal (text and attachments) while drafts are allowed."""
    return is_proposer(user, proposal) and proposal.status in EDITABLE_STATUSES and drafts_allowed(proposal.campaign)


def can_submit(user, proposal: Proposal) -> bool:
    """The proposer may submit a draft or a returned proposal (the window is checked on submission)."""
    return is_proposer(user, proposal) and proposal.status in EDITABLE_STATUSES


def can_withdraw(user, proposal: Proposal) -> bool:
    """The proposer may withdraw while TRANSITIONS allows it (submitted, before review starts; never a
    draft, which is deleted instead)."""
    return is_proposer(user, proposal) and (proposal.status, WITHDRAWN) in TRANSITIONS


def can_delete(user, proposal: Proposal) -> bool:
    """The proposer may delete a draft (services.proposals.submission.delete_draft)."""
    return is_proposer(user, proposal) and proposal.status == DRAFT


def can_see_identity(user, proposal: Proposal) -> bool:
    """Authors and enterprise are hidden from judges when the campaign is blind (and results unpublished)."""
    if manages(user, proposal) or is_author(user, proposal):
        return True
    return not proposal.campaign.blind_review or is_published(proposal.campaign)


def can_see_finance_file(user, proposal: Proposal) -> bool:
    """Finance's confirmation of a realised saving: admins and the enterprise's HR only."""
    return manages(user, proposal)


def can_view_results(user, campaign: Campaign) -> bool:
    """Admins see a campaign's results at once; everyone else once they are published."""
    return policy.is_admin(user) or campaign.status in PUBLISHED_STATUSES


# --- refusals -------------------------------------------------------------------------------


def require_writer(actor) -> None:
    """Only workers of an enterprise write Five Small proposals (NotAllowed otherwise)."""
    if actor is None or not actor.has_role(Role.WORKER) or actor.enterprise_id is None:
        raise NotAllowed(_l("只有企业职工可以提交五小提案。"))


def require_proposer(actor, proposal: Proposal) -> None:
    """NotFound unless `actor` is the proposer."""
    if not is_proposer(actor, proposal):
        proposal_not_found()


def require_screener(actor, proposal: Proposal) -> None:
    """NotFound unless `actor` is HR of the proposal's enterprise."""
    if not is_screener(actor, proposal):
        proposal_not_found()
