"""Five Small campaigns (e.g. "2026年五小·智慧杯"): creating and editing them with their rubric, and lists.

Rules (docs/domain.md, "Vocabulary" (campaign) and "Five Small proposals": rubric, prizes by quota):
- Owners (services.proposals.policy, "Owners"): union admins create the city's campaigns, enterprise HR
  its enterprise's own (for its own workers only), town officers their town's; only the owner edits a
  campaign, until its results are published.
- The name is unique per owner, at most 100 characters.
- Recommendations: a city or town campaign may take up to `recommend_quota` (1-1000) proposals from
  each lower owner; an enterprise's campaign takes none (it is the first level).
- Rewards (奖金): an optional amount in yuan per prize (services.common.rewards: 0 to 1,000,000, two
  decimals; every change audited).
- Windows are in order: each window closes after it opens, judging opens no earlier than submission
  and closes after submission closes.
- 1 to 15 judges per proposal; prize quotas 0 to 10000; the pass mark for honourable mention 0-100.
- A new campaign starts from the defaults of its owner's level (LEVEL_DEFAULTS, the one place they are
  stated): the city's sized for the whole city, a town's smaller, an enterprise's small (1 judge per
  proposal, open review: colleagues know each other's work anyway).
- The rubric has at least one criterion, names unique and at most 32 characters, integer weights 1-100
  summing to 100; it cannot change once a judge has marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.proposals import (
    CAMPAIGN_ACTIVE,
    OWNER_CITY,
    OWNER_ENTERPRISE,
    OWNER_TOWN,
    Campaign,
    Mark,
    RubricCriterion,
)
from models.rewards import REWARD_FIELDS
from services import policy
from services.common import audit, rewards, validators
from services.errors import NotAllowed, RuleViolation
from services.proposals import policy as proposals_policy
from services.proposals.lifecycle import PUBLISHED_STATUSES

WINDOW_FIELDS = ("submission_opens_at", "submission_closes_at", "judging_opens_at", "judging_closes_at")
SETTING_FIELDS = ("min_judges", "blind_review", "quota_first", "quota_second", "quota_third", "pass_mark",
                  "recommend_quota", *REWARD_FIELDS.values())


# Defaults of a new campaign by its owner's level: judges per proposal, blind review, prize quotas, pass mark.
LEVEL_DEFAULTS: dict[str, dict] = {
    OWNER_CITY: {"min_judges": 3, "blind_review": True, "quota_first": 2, "quota_second": 5, "quota_third": 52,
                 "pass_mark": Decimal("60")},
    OWNER_TOWN: {"min_judges": 2, "blind_review": True, "quota_first": 1, "quota_second": 3, "quota_third": 10,
                 "pass_mark": Decimal("60")},
    OWNER_ENTERPRISE: {"min_judges": 1, "blind_review": False, "quota_first": 1, "quota_second": 2,
                       "quota_third": 3, "pass_mark": Decimal("60")},
}


def defaults_for(level: str) -> dict:
    """The settings a new campaign of an owner `level` ('city', 'town', 'enterprise') starts from: a dict
    of min_judges, blind_review, quota_first/second/third and pass_mark (Decimal); the city's for an
    unknown level."""
    return dict(LEVEL_DEFAULTS.get(level, LEVEL_DEFAULTS[OWNER_CITY]))


@dataclass
class CampaignData:
    """What an admin enters for a campaign. Times are aware datetimes (UTC); `pass_mark` a Decimal
    score 0-100; `criteria` a list of (name, weight in percent)."""

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
    recommend_quota: int | None = None
    reward_first: Decimal | None = None
    reward_second: Decimal | None = None
    reward_third: Decimal | None = None
    reward_honourable: Decimal | None = None


def owner_of(actor) -> tuple[str, int | None, int | None]:
    """The owner a new campaign of `actor` gets, as (level, enterprise id, town id): the city for union
    admins, their town for town officers (services.policy's Scope(TOWN)), their enterprise for HR.
    NotAllowed for anyone else."""
    scope = policy.management_scope(actor)
    if scope.kind == policy.CITY:
        return OWNER_CITY, None, None
    if scope.kind == policy.TOWN:
        return OWNER_TOWN, None, scope.id
    if scope.kind == policy.ENTERPRISE:
        return OWNER_ENTERPRISE, scope.id, None
    raise NotAllowed(_l("只有总工会管理员、镇街工会和企业人力资源可以创建活动。"))


def may_create(actor) -> bool:
    """Whether `actor` creates campaigns at all (owner_of would not refuse): admins, town officers, HR."""
    return policy.management_scope(actor).kind != policy.NOBODY


def _check_name(data: CampaignData, campaign: Campaign | None, owner: tuple[str, int | None, int | None]) -> None:
    name = (data.name or "").strip()
    if not name:
        raise RuleViolation(_l("请填写活动名称。"), field="name")
    if len(name) > 100:
        raise RuleViolation(_l("活动名称不能超过 100 字。"), field="name")
    level, enterprise_id, town_id = owner
    clash = db.session.scalar(select(Campaign.id).where(
        Campaign.owner_level == level, Campaign.owner_enterprise_id.is_(None) if enterprise_id is None
        else Campaign.owner_enterprise_id == enterprise_id,
        Campaign.owner_town_id.is_(None) if town_id is None else Campaign.owner_town_id == town_id,
        Campaign.name == name).limit(1))
    if clash and (campaign is None or clash != campaign.id):
        raise RuleViolation(_l("已有同名的活动。"), field="name")


def _check_windows(data: CampaignData) -> None:
    for attr in WINDOW_FIELDS:
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


def _check_settings(data: CampaignData) -> None:
    if not 1 <= (data.min_judges or 0) <= 15:
        raise RuleViolation(_l("每件提案的评委人数应为 1 到 15 人。"), field="min_judges")
    for attr in ("quota_first", "quota_second", "quota_third"):
        value = getattr(data, attr)
        if value is None or not 0 <= value <= 10000:
            raise RuleViolation(_l("名额应为 0 到 10000 之间的整数。"), field=attr)
    data.pass_mark = validators.read_decimal(data.pass_mark, places=2, field="pass_mark")
    if data.pass_mark is None or not Decimal(0) <= data.pass_mark <= Decimal(100):
        raise RuleViolation(_l("优秀奖分数线应在 0 到 100 之间。"), field="pass_mark")
    rewards.check_rewards(data)


def _check_recommend_quota(data: CampaignData, level: str) -> None:
    if data.recommend_quota is None:
        return
    if level == OWNER_ENTERPRISE:
        raise RuleViolation(_l("企业的活动是第一级，不接受推荐。"), field="recommend_quota")
    if not 1 <= data.recommend_quota <= 1000:
        raise RuleViolation(_l("推荐名额应为 1 到 1000 之间的整数。"), field="recommend_quota")


def _check_rubric(data: CampaignData) -> None:
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
    for attr in WINDOW_FIELDS + SETTING_FIELDS:
        setattr(campaign, attr, getattr(data, attr))
    campaign.name = data.name.strip()
    campaign.description = (data.description or "").strip() or None


def create_campaign(actor, data: CampaignData) -> Campaign:
    """An owner (owner_of: admin, town officer or enterprise HR) creates an active campaign of theirs with
    its rubric (see the module rules for every check).

    Raises NotAllowed for anyone else and RuleViolation (with the form field) for bad data.
    """
    owner = owner_of(actor)
    _check_name(data, None, owner)
    _check_windows(data)
    _check_settings(data)
    _check_recommend_quota(data, owner[0])
    _check_rubric(data)
    campaign = Campaign(created_by_id=actor.id, status=CAMPAIGN_ACTIVE, locked=False, owner_level=owner[0],
                        owner_enterprise_id=owner[1], owner_town_id=owner[2])
    _apply_campaign(campaign, data)
    campaign.criteria = [RubricCriterion(name=n.strip(), weight=w, position=i)
                         for i, (n, w) in enumerate(data.criteria)]
    db.session.add(campaign)
    db.session.flush()
    audit.record("proposals.campaign_created", actor=actor, obj=campaign, name=campaign.name,
                 criteria=data.criteria, owner=f"{owner[0]}:{owner[1] or owner[2] or ''}")
    rewards.audit_change("proposals.rewards_set", actor, campaign, None)
    return campaign


def _replace_rubric(campaign: Campaign, rubric: list[tuple[str, int]]) -> None:
    """Replace the criteria, refused (RuleViolation) once any judge has marked in the campaign."""
    marked = db.session.scalar(select(func.count(Mark.id)).join(RubricCriterion).where(
        RubricCriterion.campaign_id == campaign.id))
    if marked:
        raise RuleViolation(_l("评委已经开始打分，评分标准不能再修改。"), field="criteria")
    campaign.criteria.clear()
    db.session.flush()
    campaign.criteria.extend(RubricCriterion(name=n, weight=w, position=i) for i, (n, w) in enumerate(rubric))


def update_campaign(actor, campaign: Campaign, data: CampaignData) -> Campaign:
    """The owner edits a campaign until its results are published; the rubric is fixed once marks exist.

    Raises NotFound when the campaign does not exist for `actor`, NotAllowed for anyone but its owner,
    RuleViolation for a published campaign or bad data.
    """
    proposals_policy.require_runner(actor, campaign, _l("只有活动的主办方可以修改活动。"))
    if campaign.status != CAMPAIGN_ACTIVE:
        raise RuleViolation(_l("结果已公示的活动不能再修改。"))
    _check_name(data, campaign, (campaign.owner_level, campaign.owner_enterprise_id, campaign.owner_town_id))
    _check_windows(data)
    _check_settings(data)
    _check_recommend_quota(data, campaign.owner_level)
    _check_rubric(data)
    old_rubric = [(c.name, c.weight) for c in campaign.criteria]
    new_rubric = [(n.strip(), w) for n, w in data.criteria]
    if old_rubric != new_rubric:
        _replace_rubric(campaign, new_rubric)
    old = {"name": campaign.name, "judging_closes_at": campaign.judging_closes_at.isoformat()}
    old_rewards = rewards.rewards_of(campaign)
    _apply_campaign(campaign, data)
    db.session.flush()
    audit.record("proposals.campaign_updated", actor=actor, obj=campaign, old=old,
                 new={"name": campaign.name, "judging_closes_at": campaign.judging_closes_at.isoformat()},
                 old_rubric=old_rubric, new_rubric=new_rubric)
    rewards.audit_change("proposals.rewards_set", actor, campaign, old_rewards)
    return campaign


def get_campaign(actor, campaign_id: int, rubric: bool = True) -> Campaign:
    """The campaign if it exists for `actor` (services.proposals.policy.can_see_campaign: a city campaign
    for everyone logged in, an enterprise's for its people, its panel and the levels above), else NotFound;
    its rubric loaded with it unless `rubric` is False."""
    return proposals_policy.get_visible_campaign(actor, campaign_id, rubric=rubric)


def get_owned_campaign(actor, campaign_id: int) -> Campaign:
    """The campaign for one of its owner's acts: NotFound when it does not exist for `actor`, NotAllowed
    unless `actor` runs it (services.proposals.policy.require_runner)."""
    campaign = proposals_policy.get_visible_campaign(actor, campaign_id)
    proposals_policy.require_runner(actor, campaign)
    return campaign


def campaigns_query(actor, status: str | None = None, level: str | None = None):
    """Select of the campaigns that exist for `actor` (optionally of one status or owner level), latest
    submission window first, owners loaded."""
    stmt = (select(Campaign).where(proposals_policy.campaign_visible_clause(actor))
            .options(db.joinedload(Campaign.owner_enterprise), db.joinedload(Campaign.owner_town))
            .order_by(Campaign.submission_opens_at.desc(), Campaign.id.desc()))
    if status:
        stmt = stmt.where(Campaign.status == status)
    if level:
        stmt = stmt.where(Campaign.owner_level == level)
    return stmt


def all_campaigns(actor, limit: int = 20) -> list[Campaign]:
    """The newest campaigns that exist for `actor` (the managers' home; every one is on the paged campaign
    list, and the proposal list's filter finds any by name), at most `limit`."""
    return list(db.session.scalars(select(Campaign).where(proposals_policy.campaign_visible_clause(actor))
                                   .order_by(Campaign.id.desc()).limit(limit)))


def open_campaigns(actor) -> list[Campaign]:
    """Campaigns `actor` can write drafts for now (its own enterprise's, its town's and the city's),
    closing soonest first."""
    now = clock.now()
    return [c for c in db.session.scalars(select(Campaign).where(
        Campaign.status == CAMPAIGN_ACTIVE, Campaign.submission_closes_at > now,
        proposals_policy.campaign_visible_clause(actor),
    ).order_by(Campaign.submission_closes_at).limit(50)) if proposals_policy.can_write_in(actor, c)]


def published_campaigns(actor) -> list[Campaign]:
    """Campaigns whose results are published or final and that exist for `actor`, newest first."""
    return list(db.session.scalars(select(Campaign).where(
        Campaign.status.in_(PUBLISHED_STATUSES), proposals_policy.campaign_visible_clause(actor))
        .order_by(Campaign.id.desc()).limit(50)))
