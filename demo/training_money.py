"""Demo data of training upgrades and spending (services/training/upgrades.py, spending.py), relative to
clock.now(), idempotent, after the training programmes are seeded (demo/training.py):

- a finished safety programme of enterprise A (its own, so this module does not depend on the
  programmes part) with costs by category, one with the finance confirmation file, over budget in one
  category; a second cost item was recorded after the end;
- an education upgrade (大专) of 吴小龙 (worker) recorded by hr_a, with the union's subsidy, linked to an
  education programme hr_a may see (neither a draft nor cancelled) when there is one, else to none (a
  degree does not come from a team-leader or safety course);
- a skill upgrade (certificate) of one of A's workers linked to the safety programme, with a subsidy.

Where a service of the programmes or completion part is needed (creating and finishing a programme),
a private helper here writes the programme row directly (`_programme`).
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from core import clock
from models import Enterprise, User, db
from models.skills import SkillLevelChange
from models.training import (
    EDUCATION,
    FINISHED,
    SAFETY,
    EducationUpgrade,
    TrainingCost,
    TrainingProgramme,
)
from services.common import skills
from services.training import spending, upgrades

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SAFETY_NAME = "恒信鞋业2026年度安全生产培训"
CERTIFICATE_NO = "Y350582202611090000001"


def _user(username: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.username == username))


def _programme(name: str, kind: str, status: str, budget: Decimal, *, enterprise_id=None, town_id=None,
               days_ago: int = 40) -> TrainingProgramme:
    """The programme called `name`, made here (a row, not through the programmes part's services) when
    missing: it started `days_ago` days ago and lasted a week."""
    programme = db.session.scalar(db.select(TrainingProgramme).where(TrainingProgramme.name == name))
    if programme is not None:
        return programme
    today = clock.today()
    programme = TrainingProgramme(
        name=name, kind=kind, description="", capacity=40, seats_taken=0, self_enrol=False,
        owner_level="enterprise" if enterprise_id else "town", owner_enterprise_id=enterprise_id,
        owner_town_id=town_id, starts_on=today - timedelta(days=days_ago),
        ends_on=today - timedelta(days=days_ago - 7), budget=budget, funding_source="union", status=status,
        finished_at=clock.now() - timedelta(days=days_ago - 8) if status == FINISHED else None)
    db.session.add(programme)
    db.session.flush()
    return programme


def _education_programme(hr: User) -> TrainingProgramme | None:
    """An education programme (学历提升) hr may link an upgrade to (upgrades.programme_choices), or None."""
    return next((p for p in upgrades.programme_choices(hr) if p.kind == EDUCATION), None)


def _costs(hr: User, programme: TrainingProgramme) -> None:
    if db.session.scalar(db.select(TrainingCost.id).where(TrainingCost.programme_id == programme.id).limit(1)):
        return
    start = programme.starts_on
    items = (("trainer_fee", "4800.00", "union", 2, "安全工程师授课 4 次", True),
             ("venue", "1200.00", "enterprise", 0, "实训车间布置", False),
             ("materials", "2350.50", "union", 1, "安全操作手册 60 册", False),
             ("worker_subsidy", "1800.00", "government", 7, "学员误工补贴（人社局补贴）", False))
    for category, amount, source, day, note, with_file in items:
        confirmation = FileStorage(io.BytesIO(PDF), filename="财务部确认函.pdf") if with_file else None
        spending.record_cost(hr, programme, spending.CostData(category, amount, source, start + timedelta(days=day),
                                                              note), confirmation)
    spending.record_cost(hr, programme, spending.CostData("other", "260.00", "enterprise",
                                                          programme.ends_on + timedelta(days=3), "结业合影冲印"))


def seed() -> None:
    hr, worker = _user("hr_a"), _user("worker")
    if hr is None or worker is None or hr.enterprise_id is None:
        return
    enterprise = db.session.get(Enterprise, hr.enterprise_id)
    safety = _programme(SAFETY_NAME, SAFETY, FINISHED, Decimal("10000"), enterprise_id=enterprise.id)
    _costs(hr, safety)
    if not db.session.scalar(db.select(EducationUpgrade.id).where(EducationUpgrade.worker_id == worker.id).limit(1)):
        school = _education_programme(hr)
        if worker.education in (None, "junior_high", "high_school", "secondary_vocational"):
            worker.education = worker.education or "secondary_vocational"
            upgrades.record_education_upgrade(
                hr, worker, upgrades.EducationData("college", "泉州职业技术大学（成人教育）",
                                                   clock.today() - timedelta(days=20), school.id if school else None,
                                                   "2000.00"),
                FileStorage(io.BytesIO(PNG), filename="毕业证书.png"))
    if not db.session.scalar(db.select(SkillLevelChange.id).where(SkillLevelChange.certificate_no == CERTIFICATE_NO)):
        candidate = db.session.scalar(
            db.select(User).where(User.enterprise_id == enterprise.id, User.skill_level.is_not(None),
                                  User.skill_level < 4, User.phone.like("13901000%")).order_by(User.phone).limit(1))
        if candidate is not None:
            skills.record_certificate(hr, candidate, candidate.skill_level + 1, CERTIFICATE_NO,
                                      "晋江市职业技能鉴定中心", safety.ends_on + timedelta(days=5),
                                      programme_id=safety.id, subsidy="800.00")
    db.session.commit()
