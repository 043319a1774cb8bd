"""Title types (称号) as data: the three defaults, the list, and the admin's create/edit form.

A title type names its level (city / prefecture / province), yearly quota, prerequisite title and
eligibility rules; docs/domain.md ("Titles") gives the defaults: 晋江工匠 (技师 or a top-3 city
place in 3 years; 5 years in the trade), 泉州工匠 (requires 晋江工匠), 福建省金牌工人 (requires
泉州工匠). How the rules are evaluated is services.titles.eligibility.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.l10n import lazy_gettext as _l
from models import db
from models.titles import TITLE_LEVELS, TitleType
from models.vocabulary import COMPETITION_LEVELS
from services import policy
from services.common import audit, skills, validators
from services.errors import NotFound, RuleViolation
from services.training import evidence as training_evidence


@dataclass
class TitleTypeData:
    """The editable fields of a title type; the view fills it from the form. Money in yuan (Decimal)."""

    name: str = ""
    level: str = "city"
    yearly_quota: int | None = None
    prerequisite_id: int | None = None
    description: str | None = None
    min_skill_level: int | None = None
    competition_top_n: int | None = None
    competition_min_level: str | None = None
    competition_within_years: int | None = None
    min_years_in_trade: int | None = None
    min_adopted_proposals: int | None = None
    min_verified_savings: Decimal | None = None
    min_completed_pairs: int | None = None
    validity_years: int | None = None
    is_active: bool = True
    # training rules (models.training.TrainingRequirement; services.training.evidence)
    training_min_hours: Decimal | None = None
    training_hours_years: int | None = None
    training_programme_kind: str | None = None
    training_programme_years: int | None = None


DEFAULT_TITLES = (
    TitleTypeData(name="晋江工匠", level="city", yearly_quota=20, min_skill_level=4, competition_top_n=3,
                  competition_min_level="city", competition_within_years=3, min_years_in_trade=5,
                  description="晋江市总工会评选的市级工匠。"),
    TitleTypeData(name="泉州工匠", level="prefecture", yearly_quota=3, min_skill_level=5, competition_top_n=3,
                  competition_min_level="prefecture", competition_within_years=3, min_years_in_trade=8,
                  description="泉州市总工会评选的地市级工匠，须已获得晋江工匠称号。"),
    TitleTypeData(name="福建省金牌工人", level="province", yearly_quota=4, min_skill_level=5,
                  competition_top_n=3, competition_min_level="province", competition_within_years=3,
                  min_years_in_trade=10, description="福建省总工会评选的省级称号，须已获得泉州工匠称号。"),
)
DEFAULT_PREREQUISITES = {"泉州工匠": "晋江工匠", "福建省金牌工人": "泉州工匠"}


def ensure_default_titles() -> None:
    """Create the three default titles of docs/domain.md ("Titles") where missing (idempotent)."""
    existing = {t.name: t for t in db.session.scalars(db.select(TitleType))}
    for data in DEFAULT_TITLES:
        if data.name not in existing:
            existing[data.name] = TitleType(**{k: v for k, v in data.__dict__.items() if k != "prerequisite_id"})
            db.session.add(existing[data.name])
    db.session.flush()
    for name, prerequisite in DEFAULT_PREREQUISITES.items():
        if existing[name].prerequisite_id is None:
            existing[name].prerequisite_id = existing[prerequisite].id
    db.session.flush()


def title_types(active_only: bool = False) -> list[TitleType]:
    """Every title type in creation order (only the active ones with `active_only`)."""
    stmt = db.select(TitleType).order_by(TitleType.id)
    if active_only:
        stmt = stmt.where(TitleType.is_active)
    return list(db.session.scalars(stmt))


def find_title_type(title_type_id: int | None) -> TitleType | None:
    """The title type with this id, or None (e.g. for a form's choice)."""
    return db.session.get(TitleType, title_type_id) if title_type_id else None


def get_title_type(title_type_id: int) -> TitleType:
    """The title type with this id; NotFound (404) otherwise."""
    title_type = find_title_type(title_type_id)
    if title_type is None:
        raise NotFound(_l("找不到这个称号。"))
    return title_type


def save_title_type(actor, title_type: TitleType | None, data: TitleTypeData) -> TitleType:
    """Create (`title_type` None) or edit a title type; union admins only (NotAllowed otherwise).

    The name is unique (at most 50 characters); the yearly quota 1-10000; at least the skill-level
    or the competition-placing rule is set, and a competition rule is complete (top N >= 1, a
    competition level, within >= 1 years); counts and savings are not negative; the prerequisite
    chain has no cycle. Each broken rule is a RuleViolation on its form field. Audited.
    """
    policy.require_admin(actor, _l("只有总工会管理员可以管理称号。"))
    name = _checked_name(title_type, data.name)
    if data.level not in TITLE_LEVELS:
        raise RuleViolation(_l("请选择称号级别。"), field="level")
    if not data.yearly_quota or data.yearly_quota < 1 or data.yearly_quota > 10000:
        raise RuleViolation(_l("每年名额应为 1 到 10000。"), field="yearly_quota")
    _check_rules(data)
    _check_prerequisite(title_type, data.prerequisite_id)
    created = title_type is None
    title_type = title_type or TitleType()
    for key, value in data.__dict__.items():
        setattr(title_type, key, value.strip() if isinstance(value, str) else value)
    title_type.name = name
    db.session.add(title_type)
    db.session.flush()
    audit.record("title_type.created" if created else "title_type.updated", actor=actor, obj=title_type,
                 name=name)
    return title_type


def _checked_name(title_type: TitleType | None, name: str | None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise RuleViolation(_l("请填写称号名称（不超过 50 个字）。"), field="name")
    clash = db.session.scalar(db.select(TitleType.id).where(TitleType.name == name,
                                                           TitleType.id != getattr(title_type, "id", None)))
    if clash:
        raise RuleViolation(_l("已有同名称号。"), field="name")
    return name


def _check_rules(data: TitleTypeData) -> None:
    """The eligibility rules are complete and in range; clears the competition level when unused."""
    if data.min_skill_level is not None:
        skills.check_skill_level(data.min_skill_level, field="min_skill_level")
    competition_fields = (data.competition_top_n, data.competition_min_level, data.competition_within_years)
    if any(v not in (None, "") for v in competition_fields):
        if not data.competition_top_n or data.competition_top_n < 1:
            raise RuleViolation(_l("竞赛名次条件需要填写前几名（至少为 1）。"), field="competition_top_n")
        if data.competition_min_level not in COMPETITION_LEVELS:
            raise RuleViolation(_l("竞赛名次条件需要选择最低竞赛级别。"), field="competition_min_level")
        if not data.competition_within_years or data.competition_within_years < 1:
            raise RuleViolation(_l("竞赛名次条件需要填写年限（至少 1 年）。"), field="competition_within_years")
    else:
        data.competition_min_level = None
    training_evidence.check_requirement_data(data)
    if data.min_skill_level is None and not data.competition_top_n:
        raise RuleViolation(_l("请至少设置技能等级或竞赛名次中的一项条件。"), field="min_skill_level")
    data.min_verified_savings = validators.read_decimal(data.min_verified_savings, places=2,
                                                         field="min_verified_savings", thousands=True)
    counts = ("min_years_in_trade", "min_adopted_proposals", "min_completed_pairs", "validity_years",
              "min_verified_savings")
    for field_name in counts:
        value = getattr(data, field_name)
        if value is not None and value < 0:
            raise RuleViolation(_l("不能为负数。"), field=field_name)


def _check_prerequisite(title_type: TitleType | None, prerequisite_id: int | None) -> None:
    """The prerequisite exists and does not lead back to `title_type` (no cycle)."""
    if not prerequisite_id:
        return
    prerequisite = db.session.get(TitleType, prerequisite_id)
    if prerequisite is None:
        raise RuleViolation(_l("请选择前置称号。"), field="prerequisite_id")
    cursor = prerequisite
    while cursor is not None:
        if title_type is not None and cursor.id == title_type.id:
            raise RuleViolation(_l("前置称号不能形成循环。"), field="prerequisite_id")
        cursor = cursor.prerequisite
