"""Results of a campaign: ranking, prizes, publishing with public notice (公示), objections, finalising.

Rules (docs/domain.md, "Five Small proposals": prizes by quota, and "Rules shared by every part":
scoring (shared ranks) and public notice):
- Ranking: the stored places of services.proposals.ranking (RANK() over the aggregate, best first;
  equal aggregates share a rank ("1224"), then by proposal id).
- Prizes follow the rank: rank <= first quota -> first prize, <= first+second -> second,
  <= first+second+third -> third (so proposals tied at a boundary all get the better prize), then
  honourable mention for an aggregate at or above the pass mark.
- Only union admins publish, once judging is frozen and no proposal is still valid or under review:
  ranks and prizes are stored (one set-based UPDATE from the fresh ranking) and the public notice
  opens (services.common.notices), in one transaction.
- During the notice anyone logged in objects under their real name; the admin resolves each
  objection; after the notice, finalising makes the results final and prize winners awarded.
- A judge spread above SPREAD_FLAG points is flagged on the results page.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, case, select, update

from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import db
from models.notices import Objection, PublicNotice
from models.proposal_tallies import ProposalStatusTally
from models.proposals import (
    AWARDED,
    CAMPAIGN_ACTIVE,
    CAMPAIGN_FINAL,
    CAMPAIGN_PUBLISHED,
    NOTICE_SUBJECT,
    PRIZE_NOTES,
    SCORED,
    UNDER_REVIEW,
    VALID,
    Campaign,
    Proposal,
)
from services.common import audit, notices
from services.errors import NotFound, RuleViolation
from services.proposals import closing, events, ranking
from services.proposals import policy as proposals_policy
from services.proposals.lifecycle import judging_frozen, transition
from services.proposals.policy import can_view_results

# Points (0-100 scale) between a proposal's highest and lowest judge total above which it is flagged.
SPREAD_FLAG = Decimal("20")


def _prize_bounds(campaign: Campaign) -> tuple[tuple[str, int], ...]:
    """(prize code, the last rank that gets it) by quota, best prize first."""
    first = campaign.quota_first
    second = first + campaign.quota_second
    return (("first", first), ("second", second), ("third", second + campaign.quota_third))


def prize_for(place: int, score: Decimal | None, campaign: Campaign) -> str | None:
    """The prize code (a key of models.vocabulary.PRIZE_LABELS) of a rank, or None (see the module rules)."""
    for prize, last in _prize_bounds(campaign):
        if place <= last:
            return prize
    if score is not None and score >= campaign.pass_mark:
        return "honourable"
    return None


def prize_case(campaign: Campaign, place, score):
    """prize_for as an SQL expression over the columns `place` and `score` (for set-based updates)."""
    whens = [(place <= last, prize) for prize, last in _prize_bounds(campaign)]
    whens.append((score >= campaign.pass_mark, "honourable"))
    return case(*whens, else_=None)


def results_summary(campaign: Campaign) -> dict:
    """Status code -> number of the campaign's proposals (the stored tally, models.proposal_tallies; a
    kept statement)."""
    rows = db.session.execute(shared_statement(("proposals.results_summary",), lambda: (
        select(ProposalStatusTally.status, ProposalStatusTally.proposals)
        .where(ProposalStatusTally.campaign_id == bindparam("campaign_id"), ProposalStatusTally.proposals != 0))),
        {"campaign_id": campaign.id}).all()
    return dict(rows)


def publish_results(actor, campaign: Campaign, working_days: int = notices.DEFAULT_WORKING_DAYS,
                    confirmed_unscreened: int | None = None) -> PublicNotice:
    """Store ranks and prizes and open the public notice for `working_days` working days.

    NotAllowed for anyone but the campaign's owner; RuleViolation when already published, while judging is not
    frozen (closed or locked), while proposals still await judging, or while the submission window is
    open or submitted proposals are unscreened and the admin has not confirmed exactly what is left out
    (services.proposals.closing; `confirmed_unscreened`).
    """
    proposals_policy.require_runner(actor, campaign, _l("只有活动的主办方可以发布结果。"))
    if campaign.status != CAMPAIGN_ACTIVE:
        raise RuleViolation(_l("结果已经发布过了。"))
    if not judging_frozen(campaign):
        raise RuleViolation(_l("评审还没有截止，请等评审截止或先锁定评审。"))
    pending = sum(results_summary(campaign).get(status, 0) for status in (VALID, UNDER_REVIEW))
    if pending:
        raise RuleViolation(_l("还有 %(n)d 件提案没有完成评审。", n=pending))
    gaps = closing.require_confirmed(campaign, confirmed_unscreened)
    ranked = ranking.refresh_ranking(campaign)
    p = Proposal.__table__
    db.session.execute(update(p).where(p.c.campaign_id == campaign.id, p.c.position.is_not(None))
                       .values(rank=p.c.place, prize=prize_case(campaign, p.c.place, p.c.score)))
    campaign.status = CAMPAIGN_PUBLISHED
    # The notice is titled by the campaign's name alone (what people typed): a sentence stored around it would
    # be in the publisher's language and show untranslated on the owner's to-do list and in messages.
    notice = notices.publish(actor, NOTICE_SUBJECT, campaign.id, campaign.name, working_days=working_days)
    audit.record("proposals.results_published", actor=actor, obj=campaign, ranked=ranked,
                 left_out=gaps.unscreened, window_open=gaps.window_open)
    db.session.expire_all()
    events.results_published(campaign)
    return notice


def campaign_notice(campaign: Campaign) -> PublicNotice | None:
    """The public notice of the campaign's results, None before publication (an active campaign's
    results were never published: no query)."""
    if campaign.status == CAMPAIGN_ACTIVE:
        return None
    return notices.notice_for(NOTICE_SUBJECT, campaign.id)


def file_objection(user, campaign: Campaign, body: str) -> Objection:
    """Anyone logged in objects to published results, under their real name, while the notice runs
    (the rules of services.common.notices.file_objection); NotFound before publication."""
    notice = campaign_notice(campaign)
    if notice is None:
        raise NotFound(_l("这个活动还没有公示。"))
    return notices.file_objection(user, notice, body)


def resolve_objection(actor, campaign: Campaign, objection_id: int, upheld: bool, note: str) -> None:
    """The campaign's owner resolves an objection to the campaign's results (services.common.notices rules);
    NotFound for an objection under another notice."""
    objection = notices.get_objection(objection_id, NOTICE_SUBJECT, campaign.id)
    notices.resolve_objection(actor, objection, upheld, note)


def finalise_results(actor, campaign: Campaign) -> None:
    """After the notice period with every objection resolved: results final, prize winners awarded.

    NotAllowed for anyone but the campaign's owner; RuleViolation before publication, once final, or while the
    notice cannot be finalised (services.common.notices.finalise).
    """
    proposals_policy.require_runner(actor, campaign, _l("只有活动的主办方可以确认结果。"))
    notice = campaign_notice(campaign)
    if notice is None or campaign.status != CAMPAIGN_PUBLISHED:
        raise RuleViolation(_l("结果还没有公示，或已经确认。"))
    notices.finalise(actor, notice)
    campaign.status = CAMPAIGN_FINAL
    for proposal in db.session.scalars(select(Proposal).where(
            Proposal.campaign_id == campaign.id, Proposal.status == SCORED, Proposal.prize.is_not(None))):
        transition(proposal, AWARDED, actor, "system", note=PRIZE_NOTES.get(proposal.prize, proposal.prize))
        events.prize_awarded(proposal)
    audit.record("proposals.results_final", actor=actor, obj=campaign)


def objections(campaign: Campaign) -> list[Objection]:
    """The objections to the campaign's results in order, objector loaded (none before publication)."""
    return notices.objections_of(campaign_notice(campaign))


# The objection flow (blueprints/notices) for a campaign's results: objections are filed on its results page.
notices.register_subject(NOTICE_SUBJECT, notices.NoticeSubject(
    can_see=notices.visible_if(Campaign, can_view_results),
    owned_by=notices.owned_ids(Campaign),
    may_resolve=notices.visible_if(Campaign, proposals_policy.can_run_campaign),
    page=lambda campaign_id: ("proposals.results", {"campaign_id": campaign_id}),
    filed=_l("异议已提交，主办方将处理并答复。"), resolved=_l("异议已处理。")))
