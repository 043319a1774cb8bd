"""Education upgrades (学历提升) and the training side of skill upgrades (issue 15; docs/domain.md,
"Upgrades, spending and figures").

Rules:
- HR records a new education level for a worker of its own enterprise (a union admin for anyone;
  services.accounts.policy.require_manageable, NotFound otherwise). The level is one of
  models.vocabulary.EDUCATION_LEVELS and must be higher than the person's current one in that list's
  order (初中及以下 < 高中 < 中专 < 大专 < 本科 < 研究生); with no level recorded any level is accepted.
  A wrong level is corrected on the profile, not here.
- The school is required; the graduation date cannot be in the future (Asia/Shanghai); an evidence file
  (image or PDF, services.common.uploads) is required.
- The programme that led to it is optional and must be one the recorder may see
  (services.training.policy.can_see_programme; drafts and cancelled programmes are refused).
- The union's subsidy is optional, Decimal yuan >= 0 with at most two decimals.
- The person's profile education (User.education) becomes the new level; the upgrade keeps the
  previous level and the enterprise at the time (`enterprise_id`, which the figures count by).
  Everything is audited ("education.upgraded").
- Skill upgrades stay SkillLevelChange rows (services.common.skills.record_certificate), which take the
  same optional programme (source "training_programme") and subsidy; `check_programme` and
  `read_subsidy` are shared.
Every refusal is a RuleViolation on the form's field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from core.l10n import lazy_gettext as _l
from models import User, db
from models.files import StoredFile
from models.training import CANCELLED, DRAFT, EducationUpgrade, TrainingProgramme
from models.vocabulary import EDUCATION_LEVELS, education_label
from services import policy
from services.accounts import policy as accounts_policy
from services.common import audit, uploads, validators
from services.errors import NotFound, RuleViolation
from services.training import policy as training_policy

EVIDENCE_KINDS = ("image", "pdf")
MAX_SUBSIDY = Decimal("1000000")
PROGRAMME_SOURCE = "training_programme"  # SkillLevelChange.source_type of a skill upgrade by training
PROGRAMME_CHOICES = 50  # the most recent programmes offered in a form's list


def education_rank(code: str | None) -> int:
    """The place of an education code in EDUCATION_LEVELS (-1 for none or unknown)."""
    order = list(EDUCATION_LEVELS)
    return order.index(code) if code in order else -1


def read_subsidy(raw, field: str = "subsidy") -> Decimal | None:
    """The union's subsidy (元): None when blank, else a Decimal >= 0 with at most two decimals and below
    MAX_SUBSIDY; RuleViolation on `field` otherwise."""
    value = validators.read_decimal(raw, places=2, field=field, thousands=True)
    if value is None:
        return None
    if value < 0:
        raise RuleViolation(_l("补贴金额不能为负数。"), field=field)
    if value >= MAX_SUBSIDY:
        raise RuleViolation(_l("补贴金额过大，请核实。"), field=field)
    return value


def check_programme(actor, programme_id: int | None, field: str = "programme_id") -> TrainingProgramme | None:
    """The programme a recorded upgrade came from: None when not given, else a programme `actor` may see
    that is neither a draft nor cancelled; RuleViolation on `field` otherwise."""
    if not programme_id:
        return None
    programme = db.session.get(TrainingProgramme, programme_id)
    if (programme is None or programme.status in (DRAFT, CANCELLED)
            or not training_policy.can_see_programme(actor, programme)):
        raise RuleViolation(_l("请选择您能看到的培训项目。"), field=field)
    return programme


def programme_choices(actor) -> list[TrainingProgramme]:
    """The programmes offered in an upgrade form: the PROGRAMME_CHOICES most recent (by start) that
    `actor` may see, drafts and cancelled ones left out. One query."""
    return list(db.session.scalars(
        select(TrainingProgramme).where(training_policy.visible_clause(actor),
                                        TrainingProgramme.status.not_in((DRAFT, CANCELLED)))
        .order_by(TrainingProgramme.starts_on.desc(), TrainingProgramme.id.desc()).limit(PROGRAMME_CHOICES)))


@dataclass
class EducationData:
    """What the form gives: the new level, school, graduation date, programme id and subsidy (as typed)."""

    education: str | None
    school: str | None
    graduated_on: date | None
    programme_id: int | None = None
    subsidy: object = None


def record_education_upgrade(actor, worker: User, data: EducationData, evidence) -> EducationUpgrade:
    """Record `worker`'s new education level with its evidence file (a werkzeug FileStorage), by the
    module rules. Updates User.education; audited. Returns the upgrade (flushed)."""
    accounts_policy.require_manageable(actor, worker)
    if data.education not in EDUCATION_LEVELS:
        raise RuleViolation(_l("请从列表中选择新学历。"), field="education")
    if worker.education and education_rank(data.education) <= education_rank(worker.education):
        raise RuleViolation(_l("新学历应高于当前学历（%(now)s）；录错的学历请在职工资料中更正。",
                               now=education_label(worker.education)), field="education")
    school = (data.school or "").strip()
    if not school:
        raise RuleViolation(_l("请填写毕业院校。"), field="school")
    if len(school) > 100:
        raise RuleViolation(_l("院校名称最多 100 个字。"), field="school")
    if data.graduated_on is None:
        raise RuleViolation(_l("请填写毕业日期。"), field="graduated_on")
    validators.refuse_future_date(data.graduated_on, "graduated_on")
    programme = check_programme(actor, data.programme_id)
    subsidy = read_subsidy(data.subsidy)
    if evidence is None:
        raise RuleViolation(_l("请上传学历证明（毕业证书照片或 PDF）。"), field="evidence")
    stored = uploads.save_upload(actor, evidence, allowed=EVIDENCE_KINDS, field="evidence")
    upgrade = EducationUpgrade(
        worker_id=worker.id, enterprise_id=worker.enterprise_id, previous_education=worker.education,
        education=data.education, school=school, graduated_on=data.graduated_on, evidence_file_id=stored.id,
        programme_id=programme.id if programme else None, subsidy=subsidy, recorded_by_id=actor.id)
    db.session.add(upgrade)
    worker.education = data.education
    db.session.flush()
    audit.record("education.upgraded", actor=actor, obj=upgrade, worker_id=worker.id,
                 previous=upgrade.previous_education, education=data.education,
                 programme_id=upgrade.programme_id, subsidy=subsidy)
    return upgrade


def can_view_upgrade(actor, upgrade: EducationUpgrade) -> bool:
    """The person themself, and the managers whose scope holds the enterprise it was recorded at
    (its HR, that enterprise's town officers, union admins)."""
    if actor is None or not actor.is_authenticated:
        return False
    return actor.id == upgrade.worker_id or (
        policy.management_scope(actor).kind != policy.NOBODY and policy.in_scope(actor, upgrade.enterprise_id))


def get_upgrade(actor, upgrade_id: int) -> EducationUpgrade:
    """The upgrade `actor` may see (`can_view_upgrade`); NotFound otherwise."""
    upgrade = db.session.get(EducationUpgrade, upgrade_id)
    if upgrade is None or not can_view_upgrade(actor, upgrade):
        raise NotFound(_l("找不到这条学历提升记录。"))
    return upgrade


def evidence_file(actor, upgrade_id: int) -> StoredFile:
    """The evidence file of an upgrade `actor` may see; NotFound otherwise (or when it has none)."""
    upgrade = get_upgrade(actor, upgrade_id)
    stored = db.session.get(StoredFile, upgrade.evidence_file_id) if upgrade.evidence_file_id else None
    if stored is None:
        raise NotFound(_l("找不到这份学历证明。"))
    return stored


def upgrades_query(actor, search: str | None = None):
    """Education upgrades recorded in `actor`'s scope (by the enterprise at the time), newest first
    (keyset by id); `search` matches the start of the person's name."""
    stmt = (select(EducationUpgrade).join(User, User.id == EducationUpgrade.worker_id)
            .options(db.contains_eager(EducationUpgrade.worker).lazyload(User.role_rows),
                     db.joinedload(EducationUpgrade.programme))
            .where(policy.scope_condition(actor, EducationUpgrade.enterprise_id)))
    if search:
        stmt = stmt.where(User.name.startswith(search))
    return stmt.order_by(EducationUpgrade.id.desc())


def upgrades_of(worker_id: int) -> list[EducationUpgrade]:
    """One person's education upgrades, oldest first (the growth record). One query."""
    return list(db.session.scalars(
        select(EducationUpgrade).options(db.joinedload(EducationUpgrade.programme))
        .where(EducationUpgrade.worker_id == worker_id)
        .order_by(EducationUpgrade.graduated_on, EducationUpgrade.id)))
