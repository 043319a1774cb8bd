"""Skill-level history: every change of a worker's level is one SkillLevelChange row.

Rules: the current level (user.skill_level) is always the level of the latest entry; a certificate
entry carries a valid 22-character certificate number and the issuing body; a date cannot be in
the future. Competitions and mentoring call `change_skill_level` with their own reason and source.
Every change is audited.
"""

from __future__ import annotations

from datetime import date

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.skills import (
    MAX_RANK,
    MIN_RANK,
    REASON_CERTIFICATE,
    REASON_COMPETITION,
    REASON_INITIAL,
    REASON_LABELS,
    SkillLevelChange,
    level,
)
from services.accounts import policy as accounts_policy
from services.common import audit, validators
from services.common.validators import is_valid_skill_certificate_no, normalize_certificate_no
from services.errors import RuleViolation


def check_skill_level(rank: int | None, field: str = "skill_level") -> None:
    """A rank of the skill ladder (models.skills: MIN_RANK 学徒工 ... MAX_RANK 首席技师), else
    RuleViolation on `field`. Used wherever a level is entered: profiles, title rules, changes."""
    if rank is None or not MIN_RANK <= rank <= MAX_RANK:
        raise RuleViolation(_l("请选择职业技能等级。"), field=field)


def change_skill_level(
    actor,
    worker: User,
    new_level: int,
    *,
    reason: str,
    effective_date: date | None = None,
    certificate_no: str | None = None,
    issuing_body: str | None = None,
    source: tuple[str, int] | None = None,
    note: str | None = None,
) -> SkillLevelChange:
    """Record a new level for `worker` (permission checks are the caller's: HR of the enterprise
    through services.accounts.people / the areas that award levels)."""
    if reason not in REASON_LABELS:
        raise ValueError(f"unknown reason {reason!r}")
    check_skill_level(new_level)
    effective_date = effective_date or clock.today()
    validators.refuse_future_date(effective_date, "effective_date")
    number = normalize_certificate_no(certificate_no) or None
    body = (issuing_body or "").strip() or None
    if reason in (REASON_CERTIFICATE, REASON_COMPETITION) or number:
        if not number or not is_valid_skill_certificate_no(number):
            raise RuleViolation(
                _l("证书编号应为 22 位：Y 或 S 开头，后接 21 位数字。"), field="certificate_no"
            )
        if not body:
            raise RuleViolation(_l("请填写评价机构。"), field="issuing_body")
    entry = SkillLevelChange(
        user_id=worker.id, level=new_level, previous_level=worker.skill_level, reason=reason,
        effective_date=effective_date, certificate_no=number, issuing_body=body,
        source_type=source[0] if source else None, source_id=source[1] if source else None,
        note=(note or "").strip() or None, recorded_by_id=getattr(actor, "id", None),
    )
    db.session.add(entry)
    worker.skill_level = new_level
    db.session.flush()
    audit.record("skill_level.changed", actor=actor, obj=worker, level=new_level,
                 previous=entry.previous_level, reason=reason)
    return entry


def record_initial_level(actor, worker: User) -> SkillLevelChange:
    """The history entry of the level a new account was created with (reason 建档, no previous level;
    the level itself is already stored on the account). Not flushed: the caller flushes once for
    many accounts. Audited like change_skill_level."""
    check_skill_level(worker.skill_level)
    entry = SkillLevelChange(user_id=worker.id, level=worker.skill_level, previous_level=None, reason=REASON_INITIAL,
                             effective_date=clock.today(), recorded_by_id=getattr(actor, "id", None))
    db.session.add(entry)
    audit.record("skill_level.changed", actor=actor, obj=worker, level=worker.skill_level, previous=None,
                 reason=REASON_INITIAL)
    return entry


def history(worker_id: int) -> list[SkillLevelChange]:
    return list(db.session.scalars(
        db.select(SkillLevelChange).where(SkillLevelChange.user_id == worker_id)
        .order_by(SkillLevelChange.effective_date, SkillLevelChange.id)
    ))


def record_certificate(actor, worker: User, new_level: int, certificate_no: str, issuing_body: str,
                       effective_date: date | None, programme_id: int | None = None,
                       subsidy=None) -> SkillLevelChange:
    """HR (of the worker's enterprise) or a union admin records a newly certified level.

    The level must be above the current one (a wrong entry is corrected by editing the profile) and
    a certificate number is recorded once only. Optionally (issue 15) the training programme that led
    to it, one the recorder may see (stored as source "training_programme"), and the union's subsidy
    in yuan (Decimal >= 0): services.training.upgrades.check_programme and read_subsidy.
    """
    from services.training import upgrades

    accounts_policy.require_manageable(actor, worker)
    if new_level is not None and worker.skill_level is not None and new_level <= worker.skill_level:
        raise RuleViolation(_l("新证书的等级应高于当前等级（%(now)s）；录错的等级请在职工资料中更正。",
                               now=level(worker.skill_level)), field="skill_level")
    number = normalize_certificate_no(certificate_no)
    if number and db.session.scalar(db.select(SkillLevelChange.id).where(SkillLevelChange.certificate_no == number)):
        raise RuleViolation(_l("这个证书编号已经登记过。"), field="certificate_no")
    programme = upgrades.check_programme(actor, programme_id)
    amount = upgrades.read_subsidy(subsidy)
    entry = change_skill_level(actor, worker, new_level, reason=REASON_CERTIFICATE, effective_date=effective_date,
                               certificate_no=number, issuing_body=issuing_body,
                               source=(upgrades.PROGRAMME_SOURCE, programme.id) if programme else None)
    if programme is not None or amount is not None:
        entry.subsidy = amount
        audit.record("skill_level.upgrade_linked", actor=actor, obj=worker, change_id=entry.id,
                     programme_id=programme.id if programme else None, subsidy=amount)
    return entry
