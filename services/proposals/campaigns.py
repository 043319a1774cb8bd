"""Five Small campaigns (e.g. "2026年五小·智慧杯"): creating and editing them with their rubric, and lists.

Rules (docs/domain.md, "Vocabulary" (campaign) and "Five Small proposals": rubric, prizes by quota):
- Only union admins create and edit campaigns; a campaign is edited until its results are published.
- The name is unique, at most 100 characters.
- Windows are in order: each window closes after it opens, judging opens no earlier than submission
  and closes after submission closes.
- 1 to 15 judges per proposal; prize quotas 0 to 10000; the pass mark for honourable mention 0-100.
- The rubric has at least one criterion, names unique and at most 32 characters, integer weights 1-100
  summing to 100; it cannot change once a judge has marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core import clock
from models import db
from models.proposals import CAMPAIGN_ACTIVE, Campaign, Mark, RubricCriterion
from services import policy
from services.common import audit, validators
from services.errors import NotFound, RuleViolation
from services.proposals.lifecycle import PUBLISHED_STATUSES

WINDOW_FIELDS = ("submission_opens_at", "submission_closes_at", "judging_opens_at", "judging_closes_at")
SETTING_FIELDS = ("min_judges", "blind_review", "quota_first", "quota_second", "quota_third", "pass_mark")


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


def _check_name(data: CampaignData, campaign: Campaign | None) -> None:
    name = (data.name or "").strip()
    if not name:
        raise RuleViolation(_l("请填写活动名称。"), field="name")
    if len(name) > 100:
        raise RuleViolation(_l("活动名称不能超过 100 字。"), field="name")
    clash = db.session.scalar(select(Campaign.id).where(Campaign.name == name))
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
    """Admins create an active campaign with its rubric (see the module rules for every check).

    Raises NotAllowed for anyone else and RuleViolation (with the form field) for bad data.
    """
    policy.require_admin(actor, _l("只有总工会管理员可以创建活动。"))
    _check_name(data, None)
    _check_windows(data)
    _check_settings(data)
    _check_rubric(data)
    campaign = Campaign(created_by_id=actor.id, status=CAMPAIGN_ACTIVE, locked=False)
    _apply_campaign(campaign, data)
    campaign.criteria = [RubricCriterion(name=n.strip(), weight=w, position=i)
                         for i, (n, w) in enumerate(data.criteria)]
    db.session.add(campaign)
    db.session.flush()
    audit.record("proposals.campaign_created", actor=actor, obj=campaign, name=campaign.name,
                 criteria=data.criteria)
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
    """Admins edit a campaign until its results are published; the rubric is fixed once marks exist.

    Raises NotAllowed for anyone else, RuleViolation for a published campaign or bad data.
    """
    policy.require_admin(actor, _l("只有总工会管理员可以修改活动。"))
    if campaign.status != CAMPAIGN_ACTIVE:
        raise RuleViolation(_l("结果已公示的活动不能再修改。"))
    _check_name(data, campaign)
    _check_windows(data)
    _check_settings(data)
    _check_rubric(data)
    old_rubric = [(c.name, c.weight) for c in campaign.criteria]
    new_rubric = [(n.strip(), w) for n, w in data.criteria]
    if old_rubric != new_rubric:
        _replace_rubric(campaign, new_rubric)
    old = {"name": campaign.name, "judging_closes_at": campaign.judging_closes_at.isoformat()}
    _apply_campaign(campaign, data)
    db.session.flush()
    audit.record("proposals.campaign_updated", actor=actor, obj=campaign, old=old,
                 new={"name": campaign.name, "judging_closes_at": campaign.judging_closes_at.isoformat()},
                 old_rubric=old_rubric, new_rubric=new_rubric)
    return campaign


def get_campaign(campaign_id: int) -> Campaign:
    """The campaign, else NotFound (campaigns are union-wide: anyone logged in may know they exist)."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(_l("找不到这个活动。"))
    return campaign


def campaigns_query(status: str | None = None):
    """Select of campaigns (optionally of one status), latest submission window first."""
    stmt = select(Campaign).order_by(Campaign.submission_opens_at.desc(), Campaign.id.desc())
    if status:
        stmt = stmt.where(Campaign.status == status)
    return stmt


def all_campaigns() -> list[Campaign]:
    """Every campaign, newest first (for filters and the admin's home)."""
    return list(db.session.scalars(select(Campaign).order_by(Campaign.id.desc())))


def open_campaigns() -> list[Campaign]:
    """Campaigns a worker can write drafts for now, closing soonest first."""
    now = clock.now()
    return list(db.session.scalars(select(Campaign).where(
        Campaign.status == CAMPAIGN_ACTIVE, Campaign.submission_closes_at > now,
    ).order_by(Campaign.submission_closes_at)))


def published_campaigns() -> list[Campaign]:
    """Campaigns whose results are published or final, newest first."""
    return list(db.session.scalars(select(Campaign).where(
        Campaign.status.in_(PUBLISHED_STATUSES)).order_by(Campaign.id.desc())))
