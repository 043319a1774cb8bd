"""What Five Small proposals put on people's to-do lists (services.messages.todos): a judge's proposals
to score, with the nearest deadline; a worker's proposals returned for revision; the proposals an
enterprise's HR has to screen; for the union, realised savings waiting for verification (per campaign);
for a town's officers, the campaigns their town owns whose judging closed and whose results are not
published yet (per campaign). Each is one indexed count query; each links to the filtered list.
"""

from __future__ import annotations

from sqlalchemy import func, select

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Role, db
from models.proposals import (
    CAMPAIGN_ACTIVE,
    OWNER_TOWN,
    RETURNED,
    SUBMITTED,
    Campaign,
    JudgeAssignment,
    Proposal,
    ProposalAuthor,
    RealisedSaving,
)
from services.messages.inbox import link_to
from services.messages.todos import (
    ENTERPRISE,
    NOW,
    PERSON,
    TOWN,
    Listing,
    StandIn,
    Tally,
    Todo,
    city_counter,
    enterprise_counter,
    person_params,
    todo_provider,
    town_counter,
)
from services.proposals.lifecycle import marking_open_clause
from services.proposals.policy import not_conflicted_clause


@todo_provider("proposals.judge")
def judge_todos(person) -> list[Tally]:
    """Judges: assigned proposals not yet submitted in campaigns still open for marking, with the
    nearest judging deadline. Also a campaign's panel member without the judge role (an enterprise's own
    staff, issue 14), shown only while they have something to mark (the list drops zero counts). The
    conflict rule is read on the assignment's proposal id (an index range over the judge's assignments)."""

    def make(count, deadline) -> list[Todo]:
        day = deadline.astimezone(clock.SHANGHAI).date() if deadline else None
        return [Todo(_l("待评分的五小提案"), count or 0, link_to("proposals.queue", pending=1), deadline=day,
                     urgent=day is not None and day <= clock.today())]

    has_enterprise = person.enterprise_id is not None

    def build():
        return (select(func.count(JudgeAssignment.id), func.min(Campaign.judging_closes_at))
                .join(Campaign, Campaign.id == JudgeAssignment.campaign_id)
                .where(JudgeAssignment.judge_id == PERSON, JudgeAssignment.submitted_at.is_(None),
                       marking_open_clause(NOW),
                       not_conflicted_clause(StandIn.of(has_enterprise), JudgeAssignment.proposal_id)))

    return [Tally(("proposals.judge", has_enterprise), build, person_params(person), make)]


@todo_provider("proposals.author")
def author_todos(person) -> list[Tally]:
    """Workers: their proposals returned for revision."""
    if not person.has_role(Role.WORKER):
        return []
    return [Tally(("proposals.author",),
                  lambda: select(func.count(ProposalAuthor.id))
                  .join(Proposal, Proposal.id == ProposalAuthor.proposal_id)
                  .where(ProposalAuthor.user_id == PERSON, Proposal.status == RETURNED), person_params(person),
                  lambda count: [Todo(_l("被退回修改的五小提案"), count or 0,
                                      link_to("proposals.proposal_list", status=RETURNED, mine=1))])]


@enterprise_counter("proposals.screening")
def screening_todos(enterprise_id: int) -> list[Tally]:
    """HR: the enterprise's submitted proposals waiting for screening."""
    return [Tally(("proposals.screening",),
                  lambda: select(func.count(Proposal.id)).where(Proposal.enterprise_id == ENTERPRISE,
                                                                Proposal.status == SUBMITTED),
                  {"enterprise_id": enterprise_id},
                  lambda count: [Todo(_l("待审核的五小提案"), count or 0,
                                      link_to("proposals.proposal_list", status=SUBMITTED))])]


@city_counter("proposals.verifications")
def verification_todos() -> list[Listing]:
    """The union: realised savings HR entered that wait for verification, per campaign (one grouped
    query through the index on verified_at, a Listing), each leading to its campaign's list of them."""
    return [Listing(("proposals.verifications",), lambda: (
        select(Campaign.id, Campaign.name, func.count(RealisedSaving.id))
        .select_from(RealisedSaving)
        .join(Proposal, Proposal.id == RealisedSaving.proposal_id)
        .join(Campaign, Campaign.id == Proposal.campaign_id)
        .where(RealisedSaving.verified_at.is_(None))
        .group_by(Campaign.id, Campaign.name)), {}, lambda rows: [
        Todo(_l("“%(name)s”待核实的实际节约额", name=name), count,
             link_to("proposals.campaign_show", campaign_id=campaign_id)) for campaign_id, name, count in rows])]


@town_counter("proposals.to_publish")
def town_publish_todos(town_id: int) -> list[Todo]:
    """A town's officers: active campaigns their town owns whose judging window has closed, results not
    published yet (one query through the owner index), each leading to its campaign's page."""
    rows = db.session.execute(shared_statement(("proposals.to_publish",), lambda: (
        select(Campaign.id, Campaign.name)
        .where(Campaign.owner_level == OWNER_TOWN, Campaign.owner_town_id == TOWN,
               Campaign.status == CAMPAIGN_ACTIVE, Campaign.judging_closes_at <= NOW)
        .order_by(Campaign.judging_closes_at, Campaign.id))), {"town_id": town_id, "now": clock.now()}).all()
    return [Todo(_l("“%(name)s”评审已结束，待公示结果", name=name), 1,
                 link_to("proposals.campaign_show", campaign_id=campaign_id), urgent=True)
            for campaign_id, name in rows]
