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

Owners (docs/domain.md, "Owners and levels"): every campaign has an owner, the city, a town or an
enterprise. Its owner runs it (creates, configures, appoints and assigns judges, locks, publishes,
finalises: can_run_campaign); the levels above oversee it read-only (can_oversee_campaign); it exists
for the people it is open to (can_see_campaign): a city campaign for everyone logged in, a town's for
the people of the town's enterprises, an enterprise's for that enterprise's people, and for the judges
appointed to its panel. Anyone else gets NotFound (404), e.g. HR of A for B's campaign. At enterprise
level the panel is the enterprise's own staff, so the conflict of interest is only one's own or
co-authored proposal, and blind review is the owner's choice.

The union-wide helpers (is_admin, is_hr, scope_to, in_scope, require_admin) are services.policy.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import and_, exists, false, or_, select, true

from core.l10n import lazy_gettext as _l
from models import Enterprise, Role, User, db
from models.proposals import (
    DRAFT,
    OWNER_CITY,
    OWNER_ENTERPRISE,
    OWNER_TOWN,
    RANKED_STATUSES,
    RETURNED,
    WITHDRAWN,
    Campaign,
    CampaignJudge,
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


def author_clause(user_id: int, proposal_id=Proposal.id):
    """SQL: the user is an author (proposer or co-author) of the proposal whose id is `proposal_id`
    (Proposal.id, or a column holding a proposal's id such as JudgeAssignment.proposal_id).

    Written as `id IN (the user's proposals)`, an index lookup on proposal_author.user_id, not as a
    correlated EXISTS: under ORDER BY id DESC LIMIT n, SQLite walked every proposal checking the EXISTS
    until it found n of a worker's few (2 ms at 5,500 proposals, growing with the city's)."""
    return proposal_id.in_(select(ProposalAuthor.proposal_id).where(ProposalAuthor.user_id == user_id))


def not_conflicted_clause(judge, proposal_id=Proposal.id):
    """SQL: the proposal whose id is `proposal_id` (Proposal.id, or a column holding a proposal's id such
    as JudgeAssignment.proposal_id) is not (co-)authored by the judge and, outside an enterprise's own
    campaign, not of the judge's enterprise.

    Written on the proposal's id alone, as `id NOT IN (the judge's proposals)` and `id NOT IN (the judge's
    enterprise's proposals outside enterprise campaigns)`, two small index ranges (proposal_author.user_id,
    proposal.enterprise_id) read once: a query over the judge's assignments then needs no join to
    proposal. With the condition on proposal's columns PostgreSQL hash-joined every proposal of the city
    to count a judge's queue (47 ms at 55,000 proposals, growing with the city's)."""
    clause = ~author_clause(judge.id, proposal_id)
    if judge.enterprise_id is not None:
        enterprise_campaigns = select(Campaign.id).where(Campaign.owner_level == OWNER_ENTERPRISE).correlate(None)
        own_enterprise = select(Proposal.id).where(
            Proposal.enterprise_id == judge.enterprise_id, Proposal.campaign_id.not_in(enterprise_campaigns),
        ).correlate(None)
        clause = and_(clause, proposal_id.not_in(own_enterprise))
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
    return scoped_visible_clause(actor, policy.management_scope(actor))


def scoped_visible_clause(actor, scope):
    """visible_clause of a reader who is not an admin, whose management scope is `scope`; with a scope of
    nobody `actor` may be a Viewer whose values are bind parameters (get_proposal's kept statement)."""
    published = and_(
        Proposal.status.in_(RANKED_STATUSES),
        Proposal.campaign_id.in_(select(Campaign.id).where(Campaign.status.in_(PUBLISHED_STATUSES),
                                                           _campaign_clause(actor, scope))),
    )
    options = [published, author_clause(actor.id)]
    if scope.kind in (policy.ENTERPRISE, policy.TOWN):  # HR of an enterprise, a town officer
        options.append(and_(managed_clause(actor), Proposal.status != DRAFT))
    # An assigned judge: of the city's pool (the judge role) or of a campaign's panel (any staff).
    assigned = exists().where(JudgeAssignment.proposal_id == Proposal.id, JudgeAssignment.judge_id == actor.id)
    options.append(and_(assigned, not_conflicted_clause(actor)))
    return or_(*options)


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
    """A judge may not judge a proposal they (co-)authored, nor, outside an enterprise's own campaign
    (whose panel is necessarily its own staff), one of their own enterprise.

    `author_ids` is the set of the proposal's author user ids (loaded in bulk by the caller).
    """
    if judge.id in author_ids:
        return True
    if proposal.campaign.owner_level == OWNER_ENTERPRISE:
        return False
    return judge.enterprise_id is not None and judge.enterprise_id == proposal.enterprise_id


# --- owners of campaigns --------------------------------------------------------------------


def can_run_campaign(actor, campaign: Campaign) -> bool:
    """The campaign's owner: union admins for the city's, HR of the owning enterprise for an
    enterprise's, the officers of the owning town for a town's. The town branch reads the town scope
    of services.policy (management_scope(actor) == Scope(TOWN, id)), which the town officer role gives."""
    if actor is None or not actor.is_authenticated:
        return False
    if campaign.owner_level == OWNER_CITY:
        return policy.is_admin(actor)
    if campaign.owner_level == OWNER_ENTERPRISE:
        return policy.is_hr(actor) and actor.enterprise_id == campaign.owner_enterprise_id
    if campaign.owner_level == OWNER_TOWN:
        scope = policy.management_scope(actor)
        return scope.kind == policy.TOWN and scope.id == campaign.owner_town_id
    return False


def can_oversee_campaign(actor, campaign: Campaign) -> bool:
    """The owner or a level above it: they see the campaign's management page and figures (only the
    owner acts). The city oversees everything; a town its own and its enterprises' campaigns."""
    if can_run_campaign(actor, campaign):
        return True
    scope = policy.management_scope(actor)
    if scope.kind == policy.CITY:
        return True
    if scope.kind == policy.TOWN and campaign.owner_level == OWNER_ENTERPRISE:
        return policy.in_scope(actor, campaign.owner_enterprise_id)
    return False


def on_panel(actor, campaign: Campaign) -> bool:
    """The actor was appointed to the campaign's judging panel."""
    return bool(actor is not None and actor.is_authenticated and db.session.scalar(
        select(CampaignJudge.id).where(CampaignJudge.campaign_id == campaign.id, CampaignJudge.user_id == actor.id)))


def campaign_visible_clause(actor):
    """SQL: the campaigns that exist for `actor` (see the module's owner rules)."""
    if actor is None or not actor.is_authenticated:
        return false()
    scope = policy.management_scope(actor)
    return true() if scope.kind == policy.CITY else _campaign_clause(actor, scope)


def _campaign_clause(actor, scope):
    """campaign_visible_clause of a reader below the city whose management scope is `scope` (`actor` a
    Viewer for a scope of nobody)."""
    options = [Campaign.owner_level == OWNER_CITY,
               Campaign.id.in_(select(CampaignJudge.campaign_id).where(CampaignJudge.user_id == actor.id))]
    if scope.kind == policy.TOWN:
        options.append(and_(Campaign.owner_level == OWNER_TOWN, Campaign.owner_town_id == scope.id))
        options.append(and_(Campaign.owner_level == OWNER_ENTERPRISE,
                            policy.scope_condition(actor, Campaign.owner_enterprise_id)))
    if actor.enterprise_id is not None:
        options.append(and_(Campaign.owner_level == OWNER_ENTERPRISE,
                            Campaign.owner_enterprise_id == actor.enterprise_id))
        town_of_mine = select(Enterprise.town_id).where(Enterprise.id == actor.enterprise_id).scalar_subquery()
        options.append(and_(Campaign.owner_level == OWNER_TOWN, Campaign.owner_town_id == town_of_mine))
    return or_(*options)


def can_see_campaign(actor, campaign: Campaign) -> bool:
    """The campaign exists for `actor` (campaign_visible_clause, for one object)."""
    if actor is None or not actor.is_authenticated:
        return False
    if campaign.owner_level == OWNER_CITY or can_oversee_campaign(actor, campaign):
        return True
    if campaign.owner_level == OWNER_ENTERPRISE and actor.enterprise_id == campaign.owner_enterprise_id:
        return True
    if campaign.owner_level == OWNER_TOWN and actor.enterprise_id is not None and db.session.scalar(
            select(Enterprise.town_id).where(Enterprise.id == actor.enterprise_id)) == campaign.owner_town_id:
        return True
    return on_panel(actor, campaign)


def campaign_not_found() -> NoReturn:
    """The one refusal for a campaign out of the actor's reach (404)."""
    raise NotFound(_l("找不到这个活动。"))


def get_visible_campaign(actor, campaign_id: int, rubric: bool = True) -> Campaign:
    """The campaign if it exists for `actor` (can_see_campaign), else NotFound; with its rubric unless not `rubric`."""
    loaded = (db.joinedload if rubric else db.lazyload)(Campaign.criteria)
    campaign = db.session.get(Campaign, campaign_id, options=[loaded])
    if campaign is None or not can_see_campaign(actor, campaign):
        campaign_not_found()
    return campaign


def get_overseen_campaign(actor, campaign_id: int) -> Campaign:
    """The campaign for its management page: NotFound when it does not exist for `actor`, NotAllowed
    when it does but `actor` neither runs nor oversees it (e.g. HR on the city's campaign)."""
    campaign = get_visible_campaign(actor, campaign_id)
    if not can_oversee_campaign(actor, campaign):
        raise NotAllowed(_l("只有活动的主办方和上级工会可以查看活动的管理页面。"))
    return campaign


def require_runner(actor, campaign: Campaign, message=None) -> None:
    """NotFound when the campaign does not exist for `actor`; NotAllowed unless `actor` owns it.

    `message` says what was refused, e.g. "只有活动的主办方可以分配评委。"."""
    if not can_see_campaign(actor, campaign):
        campaign_not_found()
    if not can_run_campaign(actor, campaign):
        raise NotAllowed(message or _l("只有活动的主办方可以这样做。"))


def can_write_in(actor, campaign: Campaign) -> bool:
    """Who may take part follows the owner: a city campaign takes every enterprise's workers, a
    town's the workers of its enterprises, an enterprise's only its own workers."""
    if actor is None or actor.enterprise_id is None:
        return False
    if campaign.owner_level == OWNER_ENTERPRISE:
        return actor.enterprise_id == campaign.owner_enterprise_id
    if campaign.owner_level == OWNER_TOWN:
        return db.session.scalar(select(Enterprise.town_id).where(Enterprise.id == actor.enterprise_id)) \
            == campaign.owner_town_id
    return True


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


def sees_levels(user, proposal: Proposal) -> bool:
    """Each level's entry of a recommended proposal, with its score and prize, is shown to its authors and
    to those who manage it (its enterprise's HR and the levels above), never to a judge as such (the
    higher level's review starts fresh)."""
    return manages(user, proposal) or is_author(user, proposal)


def can_see_finance_file(user, proposal: Proposal) -> bool:
    """Finance's confirmation of a realised saving: admins and the enterprise's HR only."""
    return manages(user, proposal)


def can_view_results(user, campaign: Campaign) -> bool:
    """The owner and the levels above see a campaign's results at once; everyone else it exists for
    once they are published."""
    if not can_see_campaign(user, campaign):
        return False
    return can_oversee_campaign(user, campaign) or campaign.status in PUBLISHED_STATUSES


# --- refusals -------------------------------------------------------------------------------


def require_writer(actor) -> None:
    """Only workers of an enterprise write Five Small proposals (NotAllowed otherwise)."""
    if actor is None or not actor.has_role(Role.WORKER) or actor.enterprise_id is None:
        raise NotAllowed(_l("只有企业职工可以提交五小提案。"))


def require_writer_in(actor, campaign: Campaign) -> None:
    """A worker the campaign is open to (can_write_in): NotAllowed for a non-worker, else NotFound."""
    require_writer(actor)
    if not can_write_in(actor, campaign):
        campaign_not_found()


def require_proposer(actor, proposal: Proposal) -> None:
    """NotFound unless `actor` is the proposer."""
    if not is_proposer(actor, proposal):
        proposal_not_found()


def require_screener(actor, proposal: Proposal) -> None:
    """NotFound unless `actor` is HR of the proposal's enterprise."""
    if not is_screener(actor, proposal):
        proposal_not_found()
