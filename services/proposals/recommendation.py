"""Recommendation upward (推荐上报): a lower level's campaign recommends chosen proposals into a higher one.

Design: a Proposal row is one proposal's *entry* in one campaign. Recommending creates the proposal's
entry in the higher campaign: the same kind, title, texts, savings estimate, proposer, enterprise,
authors with their shares and attached files, and `origin_id` naming the original entry (the proposal's
identity, kept through every level) and `recommended_from_id` the entry it came from. The new entry has
its own judges, score, rank and prize, so the higher level's blind review starts fresh, while the lower
level's score and prize stay on the lower entry (visible to the owners, and to everyone once published).

Rules (docs/domain.md, "Recommendation upward"):
- Only the owner of the recommending campaign recommends (services.proposals.policy.can_run_campaign),
  and only a proposal that passed its screening (one of VALID_STATUSES) in that campaign.
- Upward only: an enterprise's campaign into its own town's or the city's, a town's into the city's;
  the target must take recommendations (its `recommend_quota` is set), be active and still accept
  entries (before its submission window closes).
- At most `recommend_quota` proposals per recommending owner (an enterprise or a town) in one target:
  the count is read after locking the target campaign's row (PostgreSQL; SQLite writes one at a time).
- A proposal enters a campaign once (unique (origin_id, campaign_id)).

Withdrawing a recommendation (撤回推荐; docs/domain.md, "Recommendation upward"):
- Only the recommending owner (the owner of the campaign the entry came from) withdraws, and only while
  the target campaign has not started review of the entry: the entry is still 有效 (VALID: no judge of the
  target was ever assigned to it, since the first assignment makes it 评审中), the target is active (no
  results published) and not locked, and nothing was built on the entry (it was not recommended further,
  and the city recorded no recommendation of it to a contest above the city).
- Withdrawing removes the entry from the target (its authors, files and history rows with it; the
  stored files stay): the quota is free again, the proposal page and the growth record no longer show
  that level, and the same proposal may be recommended there again later. The audit record (on the
  source entry) and the authors' message keep what happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, db
from models.achievements import TopAchievement
from models.honours import HigherResult, HigherResultLabels
from models.owners import Owned
from models.proposals import (
    CAMPAIGN_ACTIVE,
    NOTE_RECOMMENDED,
    OWNER_CITY,
    OWNER_ENTERPRISE,
    OWNER_TOWN,
    VALID,
    VALID_STATUSES,
    Campaign,
    Proposal,
    ProposalAttachment,
    ProposalAuthor,
    ProposalStatusChange,
)
from services.common import audit
from services.common.rows import PlainRow
from services.errors import RuleViolation
from services.proposals import events
from services.proposals import policy as proposals_policy

LEVEL_ORDER = {OWNER_ENTERPRISE: 1, OWNER_TOWN: 2, OWNER_CITY: 3}


def _town_of(enterprise_id: int | None) -> int | None:
    if enterprise_id is None:
        return None
    return db.session.scalar(select(Enterprise.town_id).where(Enterprise.id == enterprise_id))


def is_above(source: Campaign, target: Campaign) -> bool:
    """`target` is a level above `source` in the source's own branch of the union's tree."""
    if LEVEL_ORDER.get(target.owner_level, 0) <= LEVEL_ORDER.get(source.owner_level, 0):
        return False
    if target.owner_level == OWNER_TOWN:  # an enterprise recommends only into its own town
        return _town_of(source.owner_enterprise_id) == target.owner_town_id
    return True


def targets_for(actor, source: Campaign) -> list[Campaign]:
    """The campaigns the source campaign's owner may recommend into now (see the module rules),
    closing soonest first; [] for anyone but the owner."""
    if not proposals_policy.can_run_campaign(actor, source):
        return []
    rows = db.session.scalars(select(Campaign).where(
        Campaign.status == CAMPAIGN_ACTIVE, Campaign.recommend_quota.is_not(None),
        Campaign.submission_closes_at > clock.now(), Campaign.owner_level != OWNER_ENTERPRISE,
    ).order_by(Campaign.submission_closes_at).limit(20))
    return [target for target in rows if is_above(source, target)]


@dataclass(frozen=True)
class TargetOption:
    """One campaign the owner could recommend into: `used` of its `campaign.recommend_quota` is taken by
    the owner; `reason` is None when the proposal can go there now, else why it cannot (Chinese)."""

    campaign: Campaign
    used: int
    reason: object | None


def options_for(actor, entry: Proposal) -> list[TargetOption]:
    """The campaigns above the entry's campaign that take recommendations now (see the module rules),
    closing soonest first, each with the owner's used quota and, when the entry cannot go there, why not
    (already recommended there, or the quota is full). [] for anyone but the owner, or an entry that did
    not pass screening. One query."""
    source = entry.campaign
    if entry.status not in VALID_STATUSES or not proposals_policy.can_run_campaign(actor, source):
        return []
    if source.owner_level == OWNER_ENTERPRISE:
        source_town = select(Enterprise.town_id).where(Enterprise.id == source.owner_enterprise_id).scalar_subquery()
        above = or_(Campaign.owner_level == OWNER_CITY,
                    (Campaign.owner_level == OWNER_TOWN) & (Campaign.owner_town_id == source_town))
    elif source.owner_level == OWNER_TOWN:
        above = Campaign.owner_level == OWNER_CITY
    else:
        return []
    used = (select(func.count(Proposal.id)).where(Proposal.campaign_id == Campaign.id, _recommender_clause(source))
            .correlate(Campaign).scalar_subquery())
    origin_id = entry.origin_id or entry.id
    entered = exists().where(Proposal.campaign_id == Campaign.id, Proposal.origin_id == origin_id).correlate(Campaign)
    rows = db.session.execute(select(Campaign, used, entered).where(
        Campaign.status == CAMPAIGN_ACTIVE, Campaign.recommend_quota.is_not(None),
        Campaign.submission_closes_at > clock.now(), above,
    ).order_by(Campaign.submission_closes_at).limit(20).options(db.lazyload(Campaign.criteria)))
    options = []
    for target, taken, already in rows:
        reason = None
        if already:
            reason = _l("这件提案已经推荐到这里。")
        elif taken >= target.recommend_quota:
            reason = _l("推荐名额已用完：每个单位最多推荐 %(n)d 件。", n=target.recommend_quota)
        options.append(TargetOption(target, taken, reason))
    return options


def _recommender_clause(source: Campaign):
    """SQL over the target's entries: recommended from a campaign of the same owner as `source`."""
    lower, lower_campaign = aliased(Proposal), aliased(Campaign)
    same_owner = select(lower.id).join(lower_campaign, lower_campaign.id == lower.campaign_id).where(
        lower_campaign.owner_level == source.owner_level,
        lower_campaign.owner_enterprise_id.is_(None) if source.owner_enterprise_id is None
        else lower_campaign.owner_enterprise_id == source.owner_enterprise_id,
        lower_campaign.owner_town_id.is_(None) if source.owner_town_id is None
        else lower_campaign.owner_town_id == source.owner_town_id)
    return Proposal.recommended_from_id.in_(same_owner)


def used_quota(source: Campaign, target: Campaign) -> int:
    """How many proposals the owner of `source` (from any of its campaigns) has recommended into `target`."""
    return db.session.scalar(select(func.count(Proposal.id)).where(
        Proposal.campaign_id == target.id, _recommender_clause(source)))


def _lock(target: Campaign) -> None:
    """Serialise recommendations into one target (PostgreSQL row lock; a no-op on SQLite)."""
    db.session.execute(select(Campaign.id).where(Campaign.id == target.id).with_for_update())


def recommend(actor, source_entry: Proposal, target: Campaign) -> Proposal:
    """The owner of the source entry's campaign recommends it into `target` (see the module rules).

    Returns the new entry (status valid). NotFound when the source campaign does not exist for
    `actor`; NotAllowed for anyone but its owner; RuleViolation (on "target_id" where it concerns the
    target) for a proposal that did not pass screening, a target not above or not taking
    recommendations, a full quota, or a proposal already in the target.
    """
    source = source_entry.campaign
    proposals_policy.require_runner(actor, source, _l("只有活动的主办方可以推荐上报。"))
    if source_entry.status not in VALID_STATUSES:
        raise RuleViolation(_l("只有通过筛选的有效提案才能推荐上报。"))
    if target.recommend_quota is None or not is_above(source, target):
        raise RuleViolation(_l("只能推荐到上级接受推荐的活动。"), field="target_id")
    if target.status != CAMPAIGN_ACTIVE or clock.now() >= target.submission_closes_at:
        raise RuleViolation(_l("“%(name)s”已截止征集，不能再推荐。", name=target.name), field="target_id")
    origin_id = source_entry.origin_id or source_entry.id
    already = _l("这件提案已经推荐到“%(name)s”。", name=target.name)
    if db.session.scalar(select(Proposal.id).where(Proposal.campaign_id == target.id, Proposal.origin_id == origin_id)):
        raise RuleViolation(already, field="target_id")
    _lock(target)
    if used_quota(source, target) >= target.recommend_quota:
        raise RuleViolation(_l("推荐名额已用完：每个单位最多推荐 %(n)d 件。", n=target.recommend_quota),
                            field="target_id")
    now = clock.now()
    entry = Proposal(
        campaign_id=target.id, enterprise_id=source_entry.enterprise_id, proposer_id=source_entry.proposer_id,
        kind=source_entry.kind, title=source_entry.title, problem=source_entry.problem,
        solution=source_entry.solution, expected_benefit=source_entry.expected_benefit,
        estimated_savings=source_entry.estimated_savings,
        calc_quantity_before=source_entry.calc_quantity_before, calc_quantity_after=source_entry.calc_quantity_after,
        calc_unit_price=source_entry.calc_unit_price, calc_annual_output=source_entry.calc_annual_output,
        calc_implementation_cost=source_entry.calc_implementation_cost, status=VALID,
        pledge_confirmed_at=source_entry.pledge_confirmed_at, submitted_at=now,
        origin_id=origin_id, recommended_from_id=source_entry.id, recommended_at=now,
    )
    entry.authors = [ProposalAuthor(user_id=a.user_id, share=a.share, position=a.position)
                     for a in source_entry.authors]
    entry.attachments = [ProposalAttachment(file_id=a.file_id) for a in source_entry.attachments]
    entry.changes = [ProposalStatusChange(from_status=None, to_status=VALID, actor_id=actor.id, at=now,
                                          note=NOTE_RECOMMENDED)]
    db.session.add(entry)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise RuleViolation(already, field="target_id") from None
    audit.record("proposals.recommended", actor=actor, obj=entry, source_id=source_entry.id, target_id=target.id)
    events.recommended(entry, target)
    return entry


def _withdrawal_refusal(entry: Proposal):
    """Why the recommended `entry` can no longer be withdrawn from its campaign (Chinese), or None."""
    target = entry.campaign
    if target.status != CAMPAIGN_ACTIVE or target.locked:
        return _l("“%(name)s”已锁定评审或已公布结果，不能再撤回推荐。", name=target.name)
    if entry.status != VALID:
        return _l("“%(name)s”已开始评审这件提案（已分配评委），不能再撤回推荐。", name=target.name)
    if db.session.scalar(select(Proposal.id).where(Proposal.recommended_from_id == entry.id).limit(1)):
        return _l("这件提案已从“%(name)s”继续推荐上报，请先撤回上一级的推荐。", name=target.name)
    if db.session.scalar(select(HigherResult.id).where(HigherResult.proposal_id == entry.id).limit(1)):
        return _l("这件提案已记录推荐到市级以上赛事，不能撤回推荐。")
    return None


def may_withdraw(actor, entry: Proposal | LevelEntry) -> bool:
    """Whether `withdraw` would accept now (for the page's button): a recommended entry, `actor` owns the
    campaign it came from, and the target has not started review of it (see the module rules). The entry
    may be the proposal page's plain row (levels_with_honour's LevelEntry)."""
    source = entry.recommended_from
    return (source is not None and proposals_policy.can_run_campaign(actor, source.campaign)
            and _withdrawal_refusal(entry) is None)


def withdraw(actor, entry: Proposal) -> Proposal:
    """The recommending owner withdraws the recommended `entry` from its (higher) campaign (撤回推荐, see
    the module rules): the entry is deleted, which frees the quota; audited on the source entry; the
    authors are told. Returns the source entry.

    NotFound for an entry that was not recommended, or when the source campaign does not exist for
    `actor`; NotAllowed for anyone but its owner; RuleViolation once the target started reviewing the
    entry (judge assigned, locked, published) or something was built on it.
    """
    source = entry.recommended_from
    if source is None:
        proposals_policy.proposal_not_found()
    proposals_policy.require_runner(actor, source.campaign, _l("只有推荐单位可以撤回推荐。"))
    _lock(entry.campaign)
    refusal = _withdrawal_refusal(entry)
    if refusal is not None:
        raise RuleViolation(refusal)
    target, entry_id, authors = entry.campaign, entry.id, events.authors_of(entry)
    audit.record("proposals.recommendation_withdrawn", actor=actor, obj=source, entry_id=entry.id,
                 target_id=target.id, old=entry.status, new=None)
    db.session.delete(entry)
    db.session.flush()
    events.recommendation_withdrawn(source, entry_id, target, authors)
    return source


def _levels_select():
    """Select of every entry of the proposal whose identity (its original's id) is the bind parameter
    "identity", lowest level first, campaign loaded (not its rubric)."""
    identity, entry = bindparam("identity"), aliased(Proposal)
    # The OR in a subquery: written on the outer rows under ORDER BY id, SQLite (whose statistics count the
    # NULL origins as one value of 1,000 rows) scanned every proposal instead of the two index lookups.
    entries = select(entry.id).where((entry.id == identity) | (entry.origin_id == identity))
    return (select(Proposal).where(Proposal.id.in_(entries))
            .options(db.joinedload(Proposal.campaign).lazyload(Campaign.criteria)).order_by(Proposal.id))


def levels_of(proposal: Proposal) -> list[Proposal]:
    """Every entry of the proposal (its original and each recommendation), lowest level first, campaign
    loaded (not its rubric): one query (a kept statement, core.statements.shared_statement)."""
    return db.session.scalars(shared_statement(("proposals.levels_of",), _levels_select),
                              {"identity": proposal.identity_id}).all()


class LevelCampaign(PlainRow):
    """The campaign of an entry as the proposal page reads it: plain values, with Campaign's label of its
    owner's level (models.owners.Owned's property, reused); enough for may_withdraw's rules."""

    __slots__ = ("id", "name", "owner_level", "owner_enterprise_id", "owner_town_id", "status", "locked")
    owner_level_label = vars(Owned)["owner_level_label"]


class LevelEntry(PlainRow):
    """One entry of a proposal's levels as plain values (its campaign a LevelCampaign, the entry it was
    recommended from another LevelEntry of the levels, or None), with Proposal's labels (reused)."""

    __slots__ = ("id", "status", "recommended_at", "score", "rank", "prize", "recommended_from_id", "campaign",
                 "recommended_from")
    status_label = vars(Proposal)["status_label"]
    prize_label = vars(Proposal)["prize_label"]


class Designation(PlainRow):
    """A proposal's top-ten designation as the proposal page shows it."""

    __slots__ = ("id", "year", "citation")


class LevelRecord(HigherResultLabels, PlainRow):
    """A higher-level record of an entry as the proposal page shows it (HigherResult's labels)."""

    __slots__ = ("id", "level", "contest", "prize", "result_on")


def levels_with_honour_select():
    """levels_of's entries as plain columns (LevelEntry's, its campaign's), each joined to its designation
    and its higher records (Designation's and LevelRecord's columns; an entry's row repeats per record); the
    entry's and the record's ids labelled entry_id and record_id (a UNION's ORDER BY names them)."""
    identity, entry = bindparam("identity"), aliased(Proposal)
    entries = select(entry.id).where((entry.id == identity) | (entry.origin_id == identity))  # see _levels_select
    return (select(Proposal.id.label("entry_id"), Proposal.status, Proposal.recommended_at, Proposal.score,
                   Proposal.rank, Proposal.prize, Proposal.recommended_from_id, Campaign.id, Campaign.name,
                   Campaign.owner_level,
                   Campaign.owner_enterprise_id, Campaign.owner_town_id, Campaign.status, Campaign.locked,
                   TopAchievement.id, TopAchievement.year, TopAchievement.citation, HigherResult.id.label("record_id"),
                   HigherResult.level, HigherResult.contest, HigherResult.prize, HigherResult.result_on)
            .join(Campaign, Campaign.id == Proposal.campaign_id)
            .outerjoin(TopAchievement, TopAchievement.proposal_id == Proposal.id)
            .outerjoin(HigherResult, HigherResult.proposal_id == Proposal.id)
            .where(Proposal.id.in_(entries)).order_by(Proposal.id, HigherResult.id))


def levels_with_honour(proposal: Proposal) -> tuple[list[LevelEntry], Designation | None, list[LevelRecord]]:
    """The proposal page's levels_of(proposal) as plain rows (LevelEntry), the designation of its identity
    (services.proposals.achievements.honour_of: the top ten's row of the original, unique per proposal)
    and the higher-level records of its entries (services.honours.results), oldest first: one kept
    statement, no ORM objects."""
    return levels_from_rows(proposal, db.session.execute(
        shared_statement(("proposals.levels_with_honour",), levels_with_honour_select),
        {"identity": proposal.identity_id}))


def levels_from_rows(proposal: Proposal, rows) -> tuple[list[LevelEntry], Designation | None, list[LevelRecord]]:
    """levels_with_honour's answer from the rows of levels_with_honour_select (their first 22 columns)."""
    entries: dict[int, LevelEntry] = {}
    honour, records = None, {}
    for row in rows:
        if row[0] not in entries:
            entries[row[0]] = LevelEntry(*row[:7], LevelCampaign(*row[7:14]), None)
            if row[0] == proposal.identity_id and row[14] is not None:
                honour = Designation(*row[14:17])
        if row[17] is not None:
            records[row[17]] = LevelRecord(*row[17:22])
    for entry in entries.values():
        if entry.recommended_from_id is not None:  # an entry of the same proposal: one of its levels
            entry.recommended_from = entries.get(entry.recommended_from_id) or db.session.get(
                Proposal, entry.recommended_from_id)
    return list(entries.values()), honour, sorted(records.values(), key=lambda record: record.id)


def recommended_ids(source: Campaign, proposal_ids) -> dict[int, list[Campaign]]:
    """Source entry id -> the campaigns it was recommended into (one query for a page)."""
    result: dict[int, list[Campaign]] = {}
    if proposal_ids:
        for entry in db.session.scalars(select(Proposal).where(Proposal.recommended_from_id.in_(proposal_ids))
                                        .options(db.joinedload(Proposal.campaign))):
            result.setdefault(entry.recommended_from_id, []).append(entry.campaign)
    return result
